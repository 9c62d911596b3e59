/**
 * OGC API – Features under /ogc: Part 1 Core (GeoJSON, HTML) and Part 2 (CRS by reference: CRS84,
 * EPSG:4326, EPSG:4490) over the areas, grids, buildings, facilities, service areas and incidents,
 * with the same roles and field lists as the rest of the API (collections.ts, access.ts). Items
 * are paged by key (`after`, from the `next` link), and their GeoJSON is built by PostGIS.
 * Credentials for QGIS and GDAL: a personal access token, as Bearer or as the password of HTTP
 * Basic (auth/access-plugin.ts).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Pool } from '../../db/pool.js';
import { badRequest, notFound } from '../../shared/errors.js';
import { ErrorReply } from '../../shared/geojson-schemas.js';
import { mayRead, readerOf, refusal } from './access.js';
import { collectionById, COLLECTIONS, type Collection } from './collections.js';
import { anchor, escapeHtml, page, table } from './html.js';
import { itemsPage } from './items-repository.js';
import {
  CRS84,
  DEFAULT_LIMIT,
  MAX_LIMIT,
  parseAfter,
  parseBbox,
  parseCrs,
  parseDatetime,
  parseFilters,
  parseLimit,
  SUPPORTED_CRS,
} from './parameters.js';

export const GEOJSON = 'application/geo+json';
const OPENAPI_JSON = 'application/vnd.oai.openapi+json;version=3.0';

export const CONFORMANCE = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
  'http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs',
];

const FormatQuery = Type.Object({ f: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('html')], { description: 'json (default for tools) or html (default for browsers)' })) });
const CollectionParams = Type.Object({ collectionId: Type.String({ maxLength: 40, description: COLLECTIONS.map((c) => c.id).join(' | ') }) });
const ItemParams = Type.Object({ collectionId: CollectionParams.properties.collectionId, featureId: Type.String({ maxLength: 40 }) });
const ItemsQuery = Type.Object(
  {
    f: FormatQuery.properties.f,
    limit: Type.Optional(Type.String({ description: `Features per page: 1 to ${MAX_LIMIT} (default ${DEFAULT_LIMIT}; a larger number gets ${MAX_LIMIT})` })),
    after: Type.Optional(Type.String({ description: "The page key of the 'next' link (keyset paging)" })),
    bbox: Type.Optional(Type.String({ description: 'minx,miny,maxx,maxy in bbox-crs (default CRS84, longitude first; EPSG:4326/4490 latitude first)' })),
    'bbox-crs': Type.Optional(Type.String({ description: SUPPORTED_CRS.join(' | ') })),
    crs: Type.Optional(Type.String({ description: `The CRS of the positions returned: ${SUPPORTED_CRS.join(' | ')}` })),
    datetime: Type.Optional(Type.String({ description: 'Incidents: reported at an instant, on a date, or in an interval start/end (`..` for an open end)' })),
  },
  { additionalProperties: Type.String({ description: "A queryable of the collection: prop=value (see /collections/{collectionId}/queryables)" }) },
);
const JsonDocument = Type.Object({}, { additionalProperties: true });
const OgcReplies = (media: string) => ({
  200: { description: `${media}, or text/html with f=html`, content: { [media]: { schema: JsonDocument }, 'text/html': { schema: Type.String() } } },
  400: ErrorReply,
  401: ErrorReply,
  403: ErrorReply,
  404: ErrorReply,
});

export const ogcRoutes: FastifyPluginAsyncTypebox<{ pool: Pool }> = async (app, { pool }) => {
  const config = { access: { public: true as const } };
  // A refusal's `description` is in the language the client asks for (app.ts, refusalBody).
  app.addHook('onSend', async (_request, reply, payload) => {
    if (reply.statusCode >= 400) reply.header('Vary', 'Accept-Language');
    return payload;
  });
  const base = (request: FastifyRequest) => `${request.protocol}://${request.host}/ogc`;

  app.get(
    '/ogc',
    { config, schema: { tags: ['ogc'], summary: 'OGC API – Features landing page', querystring: FormatQuery, response: OgcReplies('application/json') } },
    async (request, reply) => {
      const root = base(request);
      const links = [
        { href: `${root}?f=json`, rel: 'self', type: 'application/json', title: 'This document' },
        { href: `${root}?f=html`, rel: 'alternate', type: 'text/html', title: 'This document as HTML' },
        { href: `${request.protocol}://${request.host}/docs/json`, rel: 'service-desc', type: OPENAPI_JSON, title: 'The API definition (OpenAPI 3)' },
        { href: `${request.protocol}://${request.host}/docs`, rel: 'service-doc', type: 'text/html', title: 'The API documentation' },
        { href: `${root}/conformance`, rel: 'conformance', type: 'application/json', title: 'Conformance classes' },
        { href: `${root}/collections`, rel: 'data', type: 'application/json', title: 'Collections' },
      ];
      const document = { title: 'Wangge 网格', description: 'Grids, areas, facilities, service areas, buildings and incidents of the district as OGC API – Features', links };
      if (wantsHtml(request)) {
        return sendHtml(reply, page('Wangge 网格 · OGC API – Features', `<p>${escapeHtml(document.description)}</p>
<p>QGIS: 图层 → 添加 WFS / OGC API – Features 图层, URL <code>${escapeHtml(root)}</code>; 需登录的图层使用个人访问令牌作为 HTTP Basic 密码 (a personal access token as the Basic password).</p>`, [
          { href: `${root}/collections?f=html`, rel: 'data', title: 'Collections 图层' },
          { href: `${root}/conformance?f=html`, rel: 'conformance', title: 'Conformance' },
          { href: `${root}?f=json`, rel: 'alternate', title: 'JSON' },
        ]));
      }
      return sendJson(reply, document);
    },
  );

  app.get(
    '/ogc/conformance',
    { config, schema: { tags: ['ogc'], summary: 'The conformance classes served', querystring: FormatQuery, response: OgcReplies('application/json') } },
    async (request, reply) => {
      if (wantsHtml(request)) return sendHtml(reply, page('Conformance', `<ul>${CONFORMANCE.map((c) => `<li><code>${escapeHtml(c)}</code></li>`).join('')}</ul>`));
      return sendJson(reply, { conformsTo: CONFORMANCE });
    },
  );

  /** The district's extent (CRS84), for every collection's metadata. */
  async function territoryBbox(): Promise<number[]> {
    const { rows } = await pool.query<{ bounds: number[] | null }>(
      `SELECT ARRAY[ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)] AS bounds
         FROM (SELECT ST_Extent(geom) AS e FROM known_territory()) d WHERE e IS NOT NULL`,
    );
    return rows[0]?.bounds ?? [-180, -90, 180, 90];
  }

  async function collectionDocument(request: FastifyRequest, c: Collection, bbox: number[]) {
    const root = base(request);
    const temporal = c.temporal ? await incidentInterval() : null;
    return {
      id: c.id,
      title: `${c.titleZh} ${c.title}`,
      description: c.description,
      itemType: 'feature',
      links: [
        { href: `${root}/collections/${c.id}?f=json`, rel: 'self', type: 'application/json', title: 'This collection' },
        { href: `${root}/collections/${c.id}?f=html`, rel: 'alternate', type: 'text/html', title: 'This collection as HTML' },
        { href: `${root}/collections/${c.id}/items?f=json`, rel: 'items', type: GEOJSON, title: 'Its features' },
        { href: `${root}/collections/${c.id}/items?f=html`, rel: 'items', type: 'text/html', title: 'Its features as HTML' },
        { href: `${root}/collections/${c.id}/queryables`, rel: 'http://www.opengis.net/def/rel/ogc/1.0/queryables', type: 'application/schema+json', title: 'Queryables' },
      ],
      extent: {
        spatial: { bbox: [bbox], crs: CRS84 },
        ...(temporal ? { temporal: { interval: [temporal], trs: 'http://www.opengis.net/def/uom/ISO-8601/0/Gregorian' } } : {}),
      },
      crs: [...SUPPORTED_CRS],
      storageCrs: CRS84,
    };
  }

  async function incidentInterval(): Promise<[string | null, string | null]> {
    const { rows } = await pool.query<{ first: Date | null; last: Date | null }>('SELECT min(reported_at) AS first, max(reported_at) AS last FROM incident');
    return [rows[0]?.first?.toISOString() ?? null, rows[0]?.last?.toISOString() ?? null];
  }

  app.get(
    '/ogc/collections',
    { config, schema: { tags: ['ogc'], summary: 'The collections the caller may read (the public: areas, buildings, facilities, service areas)', querystring: FormatQuery, response: OgcReplies('application/json') } },
    async (request, reply) => {
      const user = readerOf(request);
      const readable = COLLECTIONS.filter((c) => mayRead(c, user));
      const bbox = await territoryBbox();
      const collections = await Promise.all(readable.map((c) => collectionDocument(request, c, bbox)));
      const root = base(request);
      if (wantsHtml(request)) {
        return sendHtml(reply, page('Collections 图层', table(['id', 'title', 'description'], collections.map((c) => [anchor(`${root}/collections/${c.id}?f=html`, c.id), c.title, c.description])), [
          { href: `${root}/collections?f=json`, rel: 'alternate', title: 'JSON' },
        ]));
      }
      return sendJson(reply, {
        links: [
          { href: `${root}/collections?f=json`, rel: 'self', type: 'application/json', title: 'Collections' },
          { href: `${root}/collections?f=html`, rel: 'alternate', type: 'text/html', title: 'Collections as HTML' },
        ],
        collections,
        crs: [...SUPPORTED_CRS],
      });
    },
  );

  /** The collection, if the caller may read it: 404 for no such collection, 401/403 otherwise. */
  function readableCollection(request: FastifyRequest, reply: FastifyReply, id: string): Collection {
    const c = collectionById(id);
    if (!c) throw notFound('ogc.noCollection', { collection: id.slice(0, 40), collections: COLLECTIONS.map((x) => x.id) });
    if (!mayRead(c, readerOf(request))) {
      // QGIS and GDAL ask for credentials on a Basic challenge.
      if (!request.user) reply.header('WWW-Authenticate', 'Basic realm="Wangge", charset="UTF-8"');
      throw refusal(c, request);
    }
    return c;
  }

  app.get(
    '/ogc/collections/:collectionId',
    { config, schema: { tags: ['ogc'], summary: "A collection's metadata: extent, CRS, links", params: CollectionParams, querystring: FormatQuery, response: OgcReplies('application/json') } },
    async (request, reply) => {
      const c = readableCollection(request, reply, request.params.collectionId);
      const document = await collectionDocument(request, c, await territoryBbox());
      if (wantsHtml(request)) {
        const root = base(request);
        return sendHtml(reply, page(document.title, `<p>${escapeHtml(c.description)}</p>
${table(['', ''], [
  ['extent', document.extent.spatial.bbox[0]!.map((n) => n.toFixed(5)).join(', ')],
  ['crs', document.crs.join(' ')],
  ['queryables', Object.keys(c.queryables).join(', ')],
  ...(c.temporal ? [['datetime', c.temporal]] : []),
])}`, [
          { href: `${root}/collections/${c.id}/items?f=html`, rel: 'items', title: 'Features 要素' },
          { href: `${root}/collections?f=html`, rel: 'up', title: 'Collections' },
          { href: `${root}/collections/${c.id}?f=json`, rel: 'alternate', title: 'JSON' },
        ]));
      }
      return sendJson(reply, document);
    },
  );

  app.get(
    '/ogc/collections/:collectionId/queryables',
    { config, schema: { tags: ['ogc'], summary: 'The properties items may be filtered on (prop=value), as JSON Schema', params: CollectionParams, response: { 200: { description: 'JSON Schema', content: { 'application/schema+json': { schema: JsonDocument } } }, 401: ErrorReply, 403: ErrorReply, 404: ErrorReply } } },
    async (request, reply) => {
      const c = readableCollection(request, reply, request.params.collectionId);
      const properties = Object.fromEntries(
        Object.entries(c.queryables).map(([name, q]) => [name, { title: q.title, type: q.type, ...(q.enum ? { enum: q.enum } : {}), ...(q.pattern ? { pattern: q.pattern } : {}) }]),
      );
      return reply.type('application/schema+json').send(
        JSON.stringify({
          $schema: 'https://json-schema.org/draft/2020-12/schema',
          $id: `${base(request)}/collections/${c.id}/queryables`,
          type: 'object',
          title: c.title,
          properties,
          additionalProperties: false,
        }) as never,
      );
    },
  );

  app.get(
    '/ogc/collections/:collectionId/items',
    {
      config,
      schema: {
        tags: ['ogc'],
        summary: "A page of a collection's features (GeoJSON built by PostGIS), with numberMatched/numberReturned and a 'next' link",
        params: CollectionParams,
        querystring: ItemsQuery,
        response: OgcReplies(GEOJSON),
      },
    },
    async (request, reply) => {
      const c = readableCollection(request, reply, request.params.collectionId);
      const q = request.query as Record<string, string | undefined>;
      const crs = parseCrs(q.crs, 'crs');
      const bbox = parseBbox(q.bbox, parseCrs(q['bbox-crs'], 'bbox-crs'));
      if (q['bbox-crs'] !== undefined && q.bbox === undefined) throw badRequest('ogc.bboxCrsAlone', { parameter: 'bbox-crs' });
      const time = parseDatetime(q.datetime, c);
      const limit = parseLimit(q.limit);
      const after = parseAfter(q.after, c);
      const filters = parseFilters(request.query as Record<string, unknown>, c);
      const result = await itemsPage(pool, c, { bbox, after, limit, latitudeFirst: crs.latitudeFirst, filters, time, user: readerOf(request) });

      const root = base(request);
      const search = (changes: Record<string, string | null>) => {
        const params = new URLSearchParams();
        for (const [k, v] of Object.entries(q)) if (typeof v === 'string' && !(k in changes)) params.set(k, v);
        for (const [k, v] of Object.entries(changes)) if (v !== null) params.set(k, v);
        return params.toString();
      };
      const itemsUrl = `${root}/collections/${c.id}/items`;
      const next = result.hasMore && result.lastKey !== null ? `${itemsUrl}?${search({ after: result.lastKey, f: null })}` : null;
      reply.header('Content-Crs', `<${crs.uri}>`);
      if (wantsHtml(request)) {
        const features = JSON.parse(`[${result.featuresText}]`) as { id: string | number; properties: Record<string, unknown> }[];
        const columns = [...new Set(features.flatMap((f) => Object.keys(f.properties)))];
        const nextHtml = result.hasMore && result.lastKey !== null ? `${itemsUrl}?${search({ after: result.lastKey, f: 'html' })}` : null;
        return sendHtml(reply, page(`${c.titleZh} ${c.title}`, `<p>${result.numberReturned} / ${result.numberMatched}</p>${table(
          ['id', ...columns],
          features.map((f) => [anchor(`${itemsUrl}/${encodeURIComponent(String(f.id))}?f=html`, String(f.id)), ...columns.map((k) => formatCell(f.properties[k]))]),
        )}`, [
          ...(nextHtml ? [{ href: nextHtml, rel: 'next', title: 'Next page 下一页' }] : []),
          { href: `${root}/collections/${c.id}?f=html`, rel: 'collection', title: 'Collection' },
          { href: `${itemsUrl}?${search({ f: 'json' })}`, rel: 'alternate', title: 'GeoJSON' },
        ]));
      }
      const links = [
        { href: `${itemsUrl}?${search({ f: 'json' })}`, rel: 'self', type: GEOJSON, title: 'This page' },
        { href: `${itemsUrl}?${search({ f: 'html' })}`, rel: 'alternate', type: 'text/html', title: 'This page as HTML' },
        ...(next ? [{ href: next, rel: 'next', type: GEOJSON, title: 'Next page' }] : []),
        { href: `${root}/collections/${c.id}`, rel: 'collection', type: 'application/json', title: 'The collection' },
      ];
      // The features are PostGIS's text: wrapped, never parsed nor re-serialised.
      const head = `{"type":"FeatureCollection","numberMatched":${result.numberMatched},"numberReturned":${result.numberReturned},"timeStamp":"${new Date().toISOString()}","links":${JSON.stringify(links)},"features":[`;
      // Encoded once here, piece by piece: a string reply would be joined into one string, scanned
      // for its length and then encoded again.
      return reply.type(`${GEOJSON}; charset=utf-8`).send(Buffer.concat([Buffer.from(head, 'utf8'), Buffer.from(result.featuresText, 'utf8'), Buffer.from(']}')]));
    },
  );

  app.get(
    '/ogc/collections/:collectionId/items/:featureId',
    {
      config,
      schema: { tags: ['ogc'], summary: 'One feature (GeoJSON)', params: ItemParams, querystring: Type.Object({ f: FormatQuery.properties.f, crs: ItemsQuery.properties.crs }), response: OgcReplies(GEOJSON) },
    },
    async (request, reply) => {
      const c = readableCollection(request, reply, request.params.collectionId);
      const crs = parseCrs(request.query.crs, 'crs');
      const fid = request.params.featureId;
      const valid = c.key === 'integer' ? /^\d{1,16}$/.test(fid) : /^[0-9]{4,12}$/.test(fid);
      const result = valid
        ? await itemsPage(pool, c, { bbox: null, after: null, limit: 1, latitudeFirst: crs.latitudeFirst, filters: { fid }, time: { from: null, to: null }, user: readerOf(request) })
        : null;
      if (!result || result.numberReturned === 0) throw notFound('ogc.noFeature', { feature: fid.slice(0, 40), collection: c.id });
      const root = base(request);
      const self = `${root}/collections/${c.id}/items/${encodeURIComponent(fid)}`;
      reply.header('Content-Crs', `<${crs.uri}>`);
      if (wantsHtml(request)) {
        const feature = JSON.parse(result.featuresText) as { properties: Record<string, unknown>; geometry: unknown };
        return sendHtml(reply, page(`${c.titleZh} ${fid}`, table(['property', 'value'], [...Object.entries(feature.properties).map(([k, v]) => [k, formatCell(v)]), ['geometry', JSON.stringify(feature.geometry).slice(0, 2000)]]), [
          { href: `${root}/collections/${c.id}/items?f=html`, rel: 'collection', title: 'Features 要素' },
          { href: `${self}?f=json`, rel: 'alternate', title: 'GeoJSON' },
        ]));
      }
      const links = [
        { href: `${self}?f=json`, rel: 'self', type: GEOJSON, title: 'This feature' },
        { href: `${self}?f=html`, rel: 'alternate', type: 'text/html', title: 'This feature as HTML' },
        { href: `${root}/collections/${c.id}`, rel: 'collection', type: 'application/json', title: 'The collection' },
      ];
      const feature = result.featuresText;
      return reply.type(`${GEOJSON}; charset=utf-8`).send(`${feature.slice(0, -1)},"links":${JSON.stringify(links)}}`);
    },
  );
};

/** f=html|json, else the Accept header: a browser (text/html) gets HTML, tools JSON. */
function wantsHtml(request: FastifyRequest): boolean {
  const f = (request.query as { f?: string }).f;
  if (f === 'html') return true;
  if (f === 'json') return false;
  const accept = request.headers.accept ?? '';
  return /text\/html/.test(accept) && !/application\/(geo\+)?json/.test(accept.split('text/html')[0]!);
}

function sendJson(reply: FastifyReply, document: unknown) {
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(document));
}

function sendHtml(reply: FastifyReply, html: string) {
  return reply.type('text/html; charset=utf-8').send(html);
}

function formatCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
