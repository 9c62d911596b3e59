/**
 * Population imports for planners and admins: buildings (preview, then commit all or nothing,
 * synchronously or as a job with progress when the form says async=true) and figures per grid.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Pool } from '../../db/pool.js';
import { withTransaction } from '../../db/pool.js';
import { createBuildingRepository } from './building-repository.js';
import { notFound } from '../../shared/errors.js';
import { ErrorReply } from '../../shared/geojson-schemas.js';
import { createJobRegistry, publicJob } from '../../shared/jobs.js';
import { chosenCrs, chosenEncoding, jsonField, readUpload } from '../imports/upload.js';
import { createBuildingImport, type BuildingImportRequest } from './building-import.js';
import { createGridFiguresImport } from './grid-figures-import.js';
import {
  Building, BuildingCreateBody, BuildingEditResult, BuildingHistory, BuildingImportJob, BuildingImportPreview, BuildingImportResult, BuildingRetireBody, BuildingUpdateBody,
  GridFiguresPreview, GridFiguresResult, type BuildingImportResult as Result,
} from './schemas.js';

const ACCESS = { access: { roles: ['planner', 'admin'] as const } };
const FIELDS_HELP = 'crs, encoding, columns ({"households": "HU"}) and reason';
const isColumns = (v: unknown): v is Record<string, string> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((c) => typeof c === 'string');

async function readRequest(request: FastifyRequest): Promise<BuildingImportRequest & { async: boolean }> {
  const upload = await readUpload(request, FIELDS_HELP);
  return {
    bytes: upload.bytes,
    fileName: upload.fileName,
    crs: chosenCrs(upload),
    encoding: chosenEncoding(upload),
    columns: jsonField(upload, 'columns', 'an object of field → column, {"households": "HU"}', isColumns),
    reason: upload.field('reason'),
    async: upload.field('async') === 'true',
  };
}

export const buildingRoutes: FastifyPluginAsyncTypebox<{ pool: Pool; expensiveRatePerMinute: number }> = async (app, { pool, expensiveRatePerMinute }) => {
  const IMPORT = { ...ACCESS, rateLimit: { max: expensiveRatePerMinute, timeWindow: 60_000 } };
  const buildingImport = createBuildingImport(pool);
  const gridFigures = createGridFiguresImport(pool);
  const jobs = createJobRegistry<Result>({ maxRunningPerUser: 1, keepMs: 30 * 60 * 1000 });
  const replies = { 400: ErrorReply, 403: ErrorReply, 422: ErrorReply, 429: ErrorReply };

  app.post('/api/building-import/preview', {
    config: IMPORT,
    schema: {
      tags: ['buildings'],
      summary: 'Preview a buildings import (points or polygons: zipped Shapefile, GeoJSON, KML, GeoPackage, or CSV/Excel with coordinate columns): columns recognised, each building placed in its grid and community, errors by row/feature and column; writes nothing',
      consumes: ['multipart/form-data'],
      response: { 200: BuildingImportPreview, ...replies },
    },
  }, async (request) => {
    const { async: _async, ...importRequest } = await readRequest(request);
    return buildingImport.preview({ user: request.user! }, importRequest);
  });

  app.post('/api/building-import/commit', {
    config: IMPORT,
    schema: {
      tags: ['buildings'],
      summary: 'Import buildings all or nothing: they replace the live buildings of the communities they lie in (the old ones are retired) and the grids around them are re-counted; 422 listing every error and nothing written; async=true answers 202 with a job to poll',
      consumes: ['multipart/form-data'],
      response: { 200: BuildingImportResult, 202: BuildingImportJob, ...replies },
    },
  }, async (request, reply) => {
    const { async, ...importRequest } = await readRequest(request);
    const actor = { user: request.user!, ip: request.ip };
    if (!async) return buildingImport.commit(actor, importRequest);
    const job = jobs.start(request.user!.id, (progress) => buildingImport.commit(actor, importRequest, progress),
      (error) => request.log.error({ err: error }, 'building import failed'));
    return reply.code(202).send(publicJob(job));
  });

  app.get('/api/building-import/jobs/:id', {
    config: ACCESS,
    schema: {
      tags: ['buildings'],
      summary: 'A buildings import job: its progress, then its result or why nothing was imported',
      params: Type.Object({ id: Type.String({ pattern: '^[0-9a-f]{32}$' }) }),
      response: { 200: BuildingImportJob, 404: ErrorReply },
    },
  }, async (request) => {
    const job = jobs.get(request.params.id, request.user!.id);
    if (!job) throw notFound('buildings.noJob', { id: request.params.id });
    return publicJob(job);
  });

  app.post('/api/grid-figures-import/preview', {
    config: IMPORT,
    schema: {
      tags: ['buildings'],
      summary: 'Preview figures per grid (Excel/CSV: grid code, households, residents, 60+, 80+) for grids without buildings; errors by row and column; writes nothing',
      consumes: ['multipart/form-data'],
      response: { 200: GridFiguresPreview, ...replies },
    },
  }, async (request) => {
    const { async: _a, crs: _c, encoding: _e, ...r } = await readRequest(request);
    return gridFigures.preview({ user: request.user! }, r);
  });

  app.post('/api/grid-figures-import/commit', {
    config: IMPORT,
    schema: {
      tags: ['buildings'],
      summary: 'Set the entered figures of grids without buildings, all or nothing (422 listing every error, nothing written)',
      consumes: ['multipart/form-data'],
      response: { 200: GridFiguresResult, ...replies },
    },
  }, async (request) => {
    const { async: _a, crs: _c, encoding: _e, ...r } = await readRequest(request);
    return gridFigures.commit({ user: request.user!, ip: request.ip }, r);
  });

  // Buildings on the map: add, move, edit figures, retire; each with a version and history, and
  // the grids around the old and new point re-counted in the same transaction.
  const buildings = createBuildingRepository();
  const ID = Type.Object({ id: Type.Integer({ minimum: 1 }) });
  const EDIT = { 200: BuildingEditResult, 400: ErrorReply, 403: ErrorReply, 404: ErrorReply, 409: ErrorReply, 422: ErrorReply };
  const actorOf = (request: FastifyRequest) => ({ user: request.user!, ip: request.ip });

  app.post('/api/buildings', {
    config: ACCESS,
    schema: { tags: ['buildings'], summary: 'Add a building at a point inside a grid (or at the inner point of a footprint drawn); its grid is re-counted and the reply shows its figures before and after', body: BuildingCreateBody, response: EDIT },
  }, async (request) => withTransaction(pool, (client) => buildings.create(client, request.body, actorOf(request))));

  app.patch('/api/buildings/:id', {
    config: ACCESS,
    schema: { tags: ['buildings'], summary: 'Change a building (figures, name, address, code, or move it to a point or a redrawn footprint\'s inner point) at the version read; 409 when stale; the grids around the old and new point are re-counted and shown before and after', params: ID, body: BuildingUpdateBody, response: EDIT },
  }, async (request) => {
    const { version, ...changes } = request.body;
    return withTransaction(pool, (client) => buildings.update(client, request.params.id, version, changes, actorOf(request)));
  });

  app.post('/api/buildings/:id/retire', {
    config: ACCESS,
    schema: { tags: ['buildings'], summary: 'Retire a building: it leaves every figure, keeps its history; its grid is re-counted', params: ID, body: BuildingRetireBody, response: EDIT },
  }, async (request) => withTransaction(pool, (client) => buildings.retire(client, request.params.id, request.body.version, request.body.reason ?? '', actorOf(request))));

  app.get('/api/buildings/:id', {
    config: ACCESS,
    schema: { tags: ['buildings'], summary: 'One building as it is now', params: ID, response: { 200: Building, 404: ErrorReply } },
  }, async (request) => {
    const { rows: [row] } = await pool.query(
      `SELECT id::int, name, kind, address, building_code AS "buildingCode", community_code AS "communityCode", ST_X(geom) AS lon, ST_Y(geom) AS lat,
              households, residents, residents_60_plus AS "residents60Plus", residents_80_plus AS "residents80Plus", version, retired_at IS NOT NULL AS retired
         FROM building WHERE id = $1`, [request.params.id]);
    if (!row) throw notFound('buildings.notFound', { id: request.params.id });
    return row;
  });

  app.get('/api/buildings/:id/history', {
    config: ACCESS,
    schema: { tags: ['buildings'], summary: 'Every version of a building, newest first', params: ID, response: { 200: BuildingHistory, 404: ErrorReply } },
  }, async (request) => {
    const { rows } = await pool.query(
      `SELECT version, action, name, address, building_code AS "buildingCode", ST_X(geom) AS lon, ST_Y(geom) AS lat, households, residents,
              residents_60_plus AS "residents60Plus", residents_80_plus AS "residents80Plus", retired, reason,
              changed_by_username AS "changedBy", to_char(changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "changedAt"
         FROM building_version WHERE building_id = $1 ORDER BY version DESC`, [request.params.id]);
    if (rows.length === 0) throw notFound('buildings.noHistory', { id: request.params.id });
    return rows;
  });
};
