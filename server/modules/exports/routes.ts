/**
 * Every download of data: grids of a street, district or the whole city; facilities; incidents
 * (the analyst's list, capped); hexagon bins and Gi* hot spots as GeoJSON. One writer
 * (file-writer.ts) makes every file; each export is audited with its counts, never its content.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Pool } from '../../db/pool.js';
import { badRequest, forbidden, notFound, refuse } from '../../shared/errors.js';
import { ErrorReply } from '../../shared/geojson-schemas.js';
import { downloadReply } from '../../shared/openapi.js';
import { rateLimit } from '../../shared/rate-limits.js';
import type { AuditRepository } from '../audit/audit-repository.js';
import { STAFF, type Role } from '../auth/roles.js';
import { createAnalysisRepository } from '../incidents/analysis-repository.js';
import { ANALYSTS, filterOf, listOptionsOf } from '../incidents/routes.js';
import { ByGridQuery, HexagonQuery, IncidentListFilterQuery } from '../incidents/schemas.js';
import { createExportsRepository, hexagonFeatures, hotspotFeatures } from './exports-repository.js';
import { attachment, checkCrs, EXPORT_CRS, EXPORT_FORMATS, writeExport, type ExportCrs, type ExportFile, type ExportFormat } from './file-writer.js';
import { facilitiesLayer, gridsLayer, incidentsLayer } from './layers.js';

/** Grid exports hold the grid leaders' and managers' names and phones: the planning roles only. */
const GRID_EXPORTERS: readonly Role[] = ['planner', 'admin'];


const FormatQuery = {
  format: Type.Enum(EXPORT_FORMATS, { description: 'geojson (WGS84), shp (zipped Shapefile), gpkg (GeoPackage), xlsx (Excel) or csv (UTF-8)' }),
  crs: Type.Enum(EXPORT_CRS, { default: '4326', description: 'Shapefile and GeoPackage only: 4326 (WGS84) or 4490 (CGCS2000)' }),
  encoding: Type.Enum(['utf-8', 'gbk'], { default: 'utf-8', description: 'Shapefile attribute encoding (the .cpg says which)' }),
};

const DOWNLOAD_TYPES = ['application/geo+json', 'application/zip', 'application/geopackage+sqlite3', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/csv'];
const Download = downloadReply(DOWNLOAD_TYPES, 'The file, as an attachment, in the media type of its format');
const Refusals = { 400: ErrorReply, 401: ErrorReply, 403: ErrorReply, 404: ErrorReply };

export interface ExportsRoutesOptions {
  pool: Pool;
  audit: AuditRepository;
  expensiveRatePerMinute: number;
  /** EXPORT_MAX_INCIDENTS: the most incidents one export holds; a larger selection is refused (413) and must be narrowed. */
  maxIncidents: number;
}

export const exportsRoutes: FastifyPluginAsyncTypebox<ExportsRoutesOptions> = async (app, { pool, audit, expensiveRatePerMinute, maxIncidents }) => {
  const repo = createExportsRepository(pool);
  const analysis = createAnalysisRepository(pool);
  const limit = rateLimit(expensiveRatePerMinute);

  const record = (request: FastifyRequest, action: string, targetType: string, targetId: string | null, success: boolean, detail: Record<string, unknown>) =>
    audit.record({ actorUserId: request.user!.id, actorUsername: request.user!.username, ip: request.ip, action, targetType, targetId: targetId ?? undefined, success, detail });

  const send = (reply: FastifyReply, file: ExportFile) =>
    reply.type(file.contentType).header('Content-Disposition', attachment(file.fileName)).header('Cache-Control', 'no-store').header('X-Feature-Count', String(file.count)).send(file.body as never);

  app.get('/api/exports/grids', {
    config: { access: { roles: GRID_EXPORTERS }, rateLimit: limit },
    schema: {
      tags: ['exports'],
      summary: 'The live grids of a community, street, district or the whole city in one file (codes, figures, staff); imports back as the same grids',
      querystring: Type.Object({
        area: Type.String({ pattern: '^([0-9]{4}|[0-9]{6}|[0-9]{9}|[0-9]{12})$', description: 'city (4 digits), district (6), street (9) or community (12)' }),
        ...FormatQuery,
      }),
      response: { 200: Download, ...Refusals },
    },
  }, async (request, reply) => {
    const { area, format, crs, encoding } = request.query;
    checkCrs(format, crs);
    const scope = request.user!.scopeAreaCode;
    if (scope && !area.startsWith(scope)) throw forbidden('grids.areaOutsideYourArea', { area, scope });
    if (!(await repo.areaExists(area))) throw notFound('exports.noArea', { area });
    const file = await writeExport(gridsLayer(area), await repo.grids(area), format, { crs, encoding });
    await record(request, 'grid.export', 'area', area, true, { format, crs, grids: file.count, includesStaff: true });
    return send(reply, file);
  });

  app.get('/api/facilities/export', {
    config: { access: { roles: STAFF }, rateLimit: limit },
    schema: {
      tags: ['exports'],
      summary: 'The live facilities (as staff see them), filtered by search text, type and community, in one file; the Excel sheet imports back as is',
      querystring: Type.Object({
        ...FormatQuery,
        q: Type.Optional(Type.String({ maxLength: 100, description: 'Text in the name or address' })),
        type: Type.Optional(Type.String({ maxLength: 500, pattern: '^[a-z0-9_,]*$', description: 'Comma-separated facility type codes' })),
        community: Type.Optional(Type.String({ pattern: '^([0-9]{9}|[0-9]{12})$', description: 'A street or community the facilities stand in' })),
      }),
      response: { 200: Download, ...Refusals },
    },
  }, async (request, reply) => {
    const { format, crs, encoding, q, type, community } = request.query;
    checkCrs(format, crs);
    const types = type ? type.split(',').filter(Boolean) : null;
    if (types?.length) {
      const { rows } = await pool.query<{ code: string }>(`SELECT code FROM facility_type`);
      const known = new Set(rows.map((r) => r.code));
      const unknown = types.filter((t) => !known.has(t));
      if (unknown.length) throw badRequest('exports.unknownFacilityType', { types: unknown, allowed: [...known] });
    }
    const scope = request.user!.scopeAreaCode;
    const collection = await repo.facilities({ types: types?.length ? types : null, q: q?.trim() || null, community: community ?? null, scope });
    const name = `facilities${community ? `-${community}` : ''}`;
    const file = await writeExport(facilitiesLayer(name), collection, format, { crs, encoding });
    await record(request, 'facility.export', 'facility', null, true, { format, crs, facilities: file.count, filter: { q: q ?? null, type: type ?? null, community: community ?? null } });
    return send(reply, file);
  });

  app.get('/api/incidents/export', {
    config: { access: { roles: ANALYSTS }, rateLimit: limit },
    schema: {
      tags: ['exports'],
      summary:
        `The incidents of the analyst's list (the same filter, text, overdue choice and order as GET /api/incidents) in one file, at most EXPORT_MAX_INCIDENTS (default 50,000) ` +
        '(413 above: narrow the period, area or category); nothing about reporters is included; audited with the count',
      querystring: Type.Object({ ...IncidentListFilterQuery, ...FormatQuery }),
      response: { 200: Download, ...Refusals, 413: ErrorReply },
    },
  }, async (request, reply) => {
    const q = request.query;
    checkCrs(q.format, q.crs);
    const filter = filterOf(q, request.user!);
    const options = listOptionsOf(q);
    const filterDetail = {
      from: q.from, to: q.to, category: q.category ?? null, status: q.status ?? null, source: q.source ?? null, area: q.area ?? null,
      overdue: options.overdue, text: options.text !== null, sort: options.sort, descending: options.descending,
    };
    // The list itself picks the incidents and their order: the export is what the list shows.
    const listed = await analysis.list(filter, { ...options, limit: maxIncidents, offset: 0 });
    const total = listed.length > 0 ? Number(listed[0].total) : 0;
    if (total > maxIncidents) {
      await record(request, 'incident.export', 'incident', null, false, { format: q.format, reason: 'cap', selected: total, cap: maxIncidents, filter: filterDetail });
      throw refuse(413, 'exports.tooMany', { selected: total, cap: maxIncidents }, { selected: total, cap: maxIncidents });
    }
    const name = `incidents-${q.from.slice(0, 10)}-${q.to.slice(0, 10)}${q.area ? `-${q.area}` : ''}`;
    const file = await writeExport(incidentsLayer(name), await repo.incidents(listed.map((row) => Number(row.id))), q.format as ExportFormat, { crs: q.crs as ExportCrs, encoding: q.encoding });
    await record(request, 'incident.export', 'incident', null, true, { format: q.format, crs: q.crs, incidents: file.count, personalData: false, filter: filterDetail });
    return send(reply, file);
  });

  const geojsonOnly = { response: { 200: downloadReply(['application/geo+json'], 'GeoJSON FeatureCollection, as an attachment'), ...Refusals } };

  app.get('/api/incidents/hexagons/export', {
    config: { access: { roles: ANALYSTS }, rateLimit: limit },
    schema: {
      tags: ['exports'],
      summary: 'The hexagon bins of GET /api/incidents/hexagons as GeoJSON polygons (WGS84) with their counts',
      querystring: HexagonQuery,
      ...geojsonOnly,
    },
  }, async (request, reply) => {
    const q = request.query;
    const bins = hexagonFeatures(await analysis.hexagons(filterOf(q, request.user!), q.sizeMeters));
    const file = await writeExport({ name: `incident-hexagons-${q.sizeMeters}m-${q.from.slice(0, 10)}-${q.to.slice(0, 10)}`, sheetName: '', columns: [] }, bins, 'geojson');
    await record(request, 'incident.export', 'incident', null, true, { format: 'geojson', kind: 'hexagons', sizeMeters: q.sizeMeters, cells: file.count });
    return send(reply, file);
  });

  app.get('/api/incidents/hotspots/export', {
    config: { access: { roles: ANALYSTS }, rateLimit: limit },
    schema: {
      tags: ['exports'],
      summary: 'Getis-Ord Gi* per grid (GET /api/incidents/by-grid) as GeoJSON grid outlines (WGS84) with count, rate, z-score and hot/cold class',
      querystring: ByGridQuery,
      ...geojsonOnly,
    },
  }, async (request, reply) => {
    const q = request.query;
    const result = await analysis.byGrid(filterOf(q, request.user!), q.contiguity as 'rook' | 'queen');
    const outlines = await analysis.gridOutlinesOf(result.grids.map((g) => g.gridId));
    const file = await writeExport({ name: `incident-hotspots-${q.from.slice(0, 10)}-${q.to.slice(0, 10)}`, sheetName: '', columns: [] }, hotspotFeatures(result, outlines), 'geojson');
    await record(request, 'incident.export', 'incident', null, true, { format: 'geojson', kind: 'hotspots', grids: file.count });
    return send(reply, file);
  });
};
