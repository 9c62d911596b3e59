/**
 * Vector tiles (MVT, built by PostGIS) and their TileJSON, one route pair per layer with that
 * layer's access: `GET /api/tiles/<layer>.json` and `GET /api/tiles/<layer>/{z}/{x}/{y}`.
 * Tiles carry an ETag (304 on If-None-Match), say who may cache them, go out gzipped to clients
 * that accept it, come from an in-process cache that edits invalidate, and cancel their query
 * when the request is abandoned. Admins can read and empty the cache.
 */
import zlib from 'node:zlib';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import pg from 'pg';
import type { Pool } from '../../db/pool.js';
import { badRequest, refuse } from '../../shared/errors.js';
import { ErrorReply } from '../../shared/geojson-schemas.js';
import { createAuditRepository } from '../audit/audit-repository.js';
import { isStaff } from '../auth/access-plugin.js';
import { parsePeriod } from '../incidents/period.js';
import { INCIDENT_SOURCES } from '../incidents/schemas.js';
import { INCIDENT_STATUSES } from '../incidents/workflow.js';
import { createInvalidationListener, type InvalidationListener } from './invalidation-listener.js';
import { TILE_LAYERS, TILE_LAYER_NAMES, type TileLayer, type TileLayerName } from './layers.js';
import { IncidentTileQuery, StaffFieldsTileQuery, TileCacheStatistics, TileJson, TileParams } from './schemas.js';
import { TileCache } from './tile-cache.js';
import { isValidTile } from './tile-math.js';
import { createTileService, TileAbortedError, type IncidentTileFilter, type TileVariant } from './tile-service.js';
import { downloadReply } from '../../shared/openapi.js';

export const MVT_CONTENT_TYPE = 'application/vnd.mapbox-vector-tile';
/** Default budget of the in-process cache (gzipped bytes). */
export const DEFAULT_TILE_CACHE_BYTES = 256 * 1024 * 1024;
/** Tile connections kept open however idle. */
const TILE_POOL_KEPT_OPEN = 4;
/** How long a tile request may wait for a database connection before a 503. */
const TILE_QUEUE_TIMEOUT_MS = 15_000;
const TOP_CATEGORIES = ['dispute', 'safety_hazard', 'public_order', 'sanitation', 'street_order', 'livelihood'];

/** The tile cache and the listener that keeps it true to the database, made by the app. */
export interface TileInvalidation {
  cache: TileCache;
  listener: InvalidationListener;
}

export function createTileInvalidation(pool: Pool, log: { warn(o: object, m: string): void }, cacheBytes = DEFAULT_TILE_CACHE_BYTES): TileInvalidation {
  const cache = new TileCache(cacheBytes);
  return { cache, listener: createInvalidationListener(pool, cache, log) };
}

export interface TilesRoutesOptions {
  pool: Pool;
  invalidation: TileInvalidation;
}

export const tilesRoutes: FastifyPluginAsyncTypebox<TilesRoutesOptions> = async (app, { pool, invalidation }) => {
  const { cache, listener } = invalidation;
  const tilePool = createTilePool(pool);
  const tiles = createTileService({ pool: tilePool, cache, cancelBackend: listener.cancelBackend });
  const audit = createAuditRepository(pool);
  app.addHook('onReady', async () => {
    await listener.start();
  });
  app.addHook('onClose', async () => {
    await listener.stop();
    await tilePool.end().catch(() => {});
  });

  for (const name of TILE_LAYER_NAMES) {
    const layer = TILE_LAYERS[name];
    const config = { access: layer.access };
    const querystring = name === 'incidents' ? IncidentTileQuery : hasStaffFields(layer) ? StaffFieldsTileQuery : Type.Object({});

    app.get(
      `/api/tiles/${name}.json`,
      {
        config,
        schema: {
          tags: ['tiles'],
          summary: `TileJSON of the ${name} vector tiles: ${layer.description}`,
          querystring,
          response: { 200: TileJson, 400: ErrorReply },
        },
      },
      async (request, reply) => {
        const variant = variantOf(name, request); // the same 400s for a bad filter as its tiles would give
        const staff = 'staff' in variant ? variant.staff : isStaff(request);
        const { rows } = await pool.query<{ bounds: number[] | null }>(
          `SELECT ARRAY[ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)] AS bounds
             FROM (SELECT ST_Extent(geom) AS e FROM known_territory()) d WHERE e IS NOT NULL`,
        );
        const bounds = rows[0]?.bounds ?? [-180, -85.0511, 180, 85.0511];
        const search = name === 'incidents' ? incidentSearch(request.query as IncidentTileQuery) : publicFieldsOnly(request) ? '?fields=public' : '';
        reply.header('Cache-Control', cacheControl(layer, request, variant)).header('Vary', 'Cookie');
        return {
          tilejson: '3.0.0' as const,
          name: `wangge-${name}`,
          description: layer.description,
          scheme: 'xyz' as const,
          tiles: [`${request.protocol}://${request.host}/api/tiles/${name}/{z}/{x}/{y}${search}`],
          minzoom: layer.minzoom,
          maxzoom: layer.maxzoom,
          bounds,
          center: [(bounds[0]! + bounds[2]!) / 2, (bounds[1]! + bounds[3]!) / 2, Math.max(layer.minzoom, 11)],
          vector_layers: layer.vectorLayers.map((v) => ({
            id: v.id,
            description: layer.description,
            minzoom: layer.minzoom,
            maxzoom: layer.maxzoom,
            fields: { ...v.fields, ...(staff && v.staffFields ? v.staffFields : {}) },
          })),
        };
      },
    );

    app.get(
      `/api/tiles/${name}/:z/:x/:y`,
      {
        config,
        schema: {
          tags: ['tiles'],
          summary: `A ${name} vector tile (MVT, gzip when accepted; 204 when empty or below zoom ${layer.minzoom})`,
          params: TileParams,
          querystring,
          response: { 200: downloadReply([MVT_CONTENT_TYPE], 'Mapbox Vector Tile 2.1'), 400: ErrorReply },
        },
      },
      async (request, typedReply) => {
        // Binary bodies and the bodiless statuses (204, 304, 499) are outside the JSON schema.
        const reply = typedReply as unknown as FastifyReply;
        const t = request.params;
        if (!isValidTile(t)) throw badRequest('tiles.noSuchTile', { z: t.z, x: t.x, y: t.y, max: 2 ** t.z - 1 });
        const variant = variantOf(name, request);
        reply.header('Cache-Control', cacheControl(layer, request, variant)).header('Vary', layer.cache === 'public' ? 'Accept-Encoding' : 'Accept-Encoding, Cookie');
        if (t.z < layer.minzoom) return reply.code(204).send();
        // An area outside the caller's own has no incidents for them: nothing to compute.
        if (variant.layer === 'incidents' && incidentReach(request.user!.scopeAreaCode, (request.query as IncidentTileQuery).area) === undefined) {
          return reply.code(204).send();
        }

        // The map moved on: stop waiting, and cancel the query if no one else waits for it.
        const abandoned = new AbortController();
        const onClose = () => {
          if (!reply.raw.writableFinished) abandoned.abort();
        };
        reply.raw.once('close', onClose);
        let tile;
        try {
          tile = await tiles.tile(variant, t, abandoned.signal);
        } catch (error) {
          if (error instanceof TileAbortedError) {
            request.log.debug({ layer: name, z: t.z, x: t.x, y: t.y }, 'tile request abandoned; query cancelled');
            return reply.code(499).send();
          }
          if (error instanceof Error && /timeout exceeded when trying to connect/.test(error.message)) {
            reply.header('Retry-After', '5');
            throw refuse(503, 'tiles.busy', { layer: name, z: t.z, x: t.x, y: t.y, seconds: TILE_QUEUE_TIMEOUT_MS / 1000 });
          }
          throw error;
        }
        reply.header('ETag', tile.etag).header('X-Tile-Cache', tile.fromCache ? 'hit' : 'miss');
        if (etagMatches(request.headers['if-none-match'], tile.etag)) return reply.code(304).send();
        if (tile.gzipped.length === 0) return reply.code(204).send();
        reply.type(MVT_CONTENT_TYPE);
        if (acceptsGzip(request)) return reply.header('Content-Encoding', 'gzip').send(tile.gzipped);
        return reply.send(zlib.gunzipSync(tile.gzipped));
      },
    );
  }

  app.get(
    '/api/tiles/cache',
    {
      config: { access: { roles: ['admin'] } },
      schema: { tags: ['tiles'], summary: 'The in-process tile cache: size, hits, misses, invalidations by edits', response: { 200: TileCacheStatistics } },
    },
    async (_request, reply) => {
      reply.header('Cache-Control', 'no-store');
      return cache.statistics();
    },
  );

  app.delete(
    '/api/tiles/cache',
    {
      config: { access: { roles: ['admin'] } },
      schema: { tags: ['tiles'], summary: 'Empty the in-process tile cache (e.g. before measuring cold tiles)', response: { 200: TileCacheStatistics } },
    },
    async (request) => {
      const entries = cache.statistics().entries;
      cache.clear();
      await audit.record({
        actorUserId: request.user!.id,
        actorUsername: request.user!.username,
        action: 'tiles.cache.clear',
        targetType: 'tile_cache',
        ip: request.ip,
        success: true,
        detail: { entries },
      });
      return cache.statistics();
    },
  );
};

/**
 * Tiles have connections of their own (as many as the app's pool): a burst of tile requests from
 * a moving map never starves the rest of the API, and their sessions run without JIT
 * compilation. A tile query's cost estimate is high enough to trigger JIT, which then spends
 * 100–300 ms compiling for a query that runs in tens of milliseconds.
 */
function createTilePool(pool: Pool): pg.Pool {
  const tilePool = new pg.Pool({
    ...pool.options,
    application_name: 'wangge-tiles',
    options: '-c jit=off',
    // A burst of heavy tiles queues for a connection rather than failing after the API's 3 s
    // (an unreachable database still fails at once: connection refused).
    connectionTimeoutMillis: TILE_QUEUE_TIMEOUT_MS,
    // A map fires tiles in bursts seconds apart: keep connections open between them (opening one,
    // with SCRAM authentication, costs milliseconds of a tile's budget).
    min: TILE_POOL_KEPT_OPEN,
    idleTimeoutMillis: 60_000,
  } as pg.PoolConfig);
  // An idle client losing its connection (database restart) must not crash the process.
  tilePool.on('error', () => {});
  return tilePool;
}

/** What varies the tile besides z/x/y, from the caller and the query string. */
function variantOf(name: TileLayerName, request: FastifyRequest): TileVariant {
  switch (name) {
    case 'facilities':
    case 'buildings':
      return { layer: name, staff: isStaff(request) && !publicFieldsOnly(request) };
    case 'incidents':
      return { layer: 'incidents', filter: incidentFilter(request.query as IncidentTileQuery, request) };
    default:
      return { layer: name };
  }
}

function incidentFilter(q: IncidentTileQuery, request: FastifyRequest): IncidentTileFilter {
  const user = request.user!;
  return {
    ...parsePeriod(q.from, q.to),
    categories: codeList(q.category, TOP_CATEGORIES, 'category'),
    statuses: codeList(q.status, INCIDENT_STATUSES, 'status'),
    sources: codeList(q.source, INCIDENT_SOURCES, 'source'),
    scope: incidentReach(user.scopeAreaCode, q.area) ?? user.scopeAreaCode,
    ownGridsOfUser: user.role === 'grid_worker' ? user.id : null,
  };
}

function codeList(text: string | undefined, allowed: readonly string[], name: string): string[] | null {
  if (!text) return null;
  const list = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (list.length === 0) return null;
  const unknown = list.filter((c) => !allowed.includes(c));
  if (unknown.length) throw badRequest('tiles.unknownCodes', { name, unknown: unknown.join(', '), allowed: allowed.join(', ') });
  return list;
}

/**
 * Where a caller's incident tiles reach: the analyst's area (district, street or community code)
 * narrows the caller's own scope. Both are prefixes of an incident's community code, so the
 * longer one is the reach, given to the tile SQL as its scope; an area outside the caller's own
 * reaches nothing (undefined).
 */
export function incidentReach(scope: string | null, area: string | undefined): string | null | undefined {
  if (!area) return scope;
  if (!scope || area.startsWith(scope)) return area;
  if (scope.startsWith(area)) return scope;
  return undefined;
}

/** The incident filter as the tiles' query string (the TileJSON hands it on to every tile). */
function incidentSearch(q: IncidentTileQuery): string {
  const params = new URLSearchParams({ from: q.from, to: q.to });
  for (const key of ['category', 'status', 'source', 'area'] as const) if (q[key]) params.set(key, q[key]!);
  return `?${params.toString()}`;
}

/**
 * Public layers (and the public variant of facilities) may be kept by any cache, staff tiles
 * only by the caller's browser; either way revalidated on every use (no-cache), which the ETag
 * makes a 304: an edit shows on the next look, never after an expiry.
 */
/** The caller asked for the fields anyone may see only (`?fields=public`). */
function publicFieldsOnly(request: FastifyRequest): boolean {
  return (request.query as StaffFieldsTileQuery | undefined)?.fields === 'public';
}

function hasStaffFields(layer: TileLayer): boolean {
  return layer.vectorLayers.some((v) => v.staffFields !== undefined);
}

/** How long a ground layer's public tile may be shown from the cache while it is revalidated (a day). */
const GROUND_STALE_SECONDS = 86_400;

/**
 * A tile with staff fields is for the caller's browser only; without, any cache may keep it. Both
 * are revalidated (ETag) before use, so that an edit shows at once — except a ground layer's public
 * tile, shown at once from the cache and revalidated behind it (see TileLayer.ground).
 */
function cacheControl(layer: TileLayer, request: FastifyRequest, variant: TileVariant): string {
  const staffVariant = 'staff' in variant ? variant.staff : isStaff(request);
  const isPublic = layer.cache === 'public' || (layer.cache === 'by-role' && !staffVariant);
  if (!isPublic) return 'private, no-cache';
  return layer.ground ? `public, max-age=0, stale-while-revalidate=${GROUND_STALE_SECONDS}` : 'public, no-cache';
}

function acceptsGzip(request: FastifyRequest): boolean {
  return /\bgzip\b/i.test(String(request.headers['accept-encoding'] ?? ''));
}

/** If-None-Match against our (weak) ETag, by weak comparison, as for GET. */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const bare = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => bare(tag) === bare(etag));
}
