/**
 * Area outlines (planner, admin): read one with its version, draw or edit it, its history and
 * restore, and deriving outlines from grids or child areas (preview, one, or all under a parent).
 * Every write goes through the area store (area-store.ts). Scope-limited like grid edits.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { Pool } from '../../db/pool.js';
import { withTransaction } from '../../db/pool.js';
import { conflict, notFound } from '../../shared/errors.js';
import { ErrorReply } from '../../shared/geojson-schemas.js';
import { sqlFile } from '../../shared/sql.js';
import type { Actor } from '../grids/grid-store.js';
import { PLANNERS } from '../grids/planning-routes.js';
import { lockArea, normalizeAreaOutline, writeAreaOutline } from './area-store.js';
import { createOutlineDerive } from './outline-derive.js';
import {
  AreaCodeParams,
  AreaHistory,
  AreaOutline,
  AreaRestoreBody,
  DerivableAreas,
  DerivableQuery,
  DeriveAllBody,
  DeriveAllResult,
  DeriveBody,
  DeriveOptions,
  DerivePreview,
  OutlineBody,
  OutlineWriteResult,
} from './outline-schemas.js';

const HISTORY_SQL = sqlFile(import.meta.url, 'area-history.sql');
const PLANNING = { access: { roles: PLANNERS } };
const WRITE_REPLIES = { 200: OutlineWriteResult, 400: ErrorReply, 403: ErrorReply, 404: ErrorReply, 409: ErrorReply, 422: ErrorReply };
const RESTORED_SOURCE: Record<string, 'drawn' | 'derived' | 'import' | 'demo'> = { derive: 'derived', draw: 'drawn', import: 'import', original: 'demo' };
const actorOf = (request: FastifyRequest): Actor => ({ user: request.user!, ip: request.ip });

export const areaOutlineRoutes: FastifyPluginAsyncTypebox<{ pool: Pool; expensiveRatePerMinute?: number }> = async (app, { pool, expensiveRatePerMinute = 60 }) => {
  const derive = createOutlineDerive(pool);
  // Deriving unions every grid of an area (all of a district's at once): limited like analyses.
  const EXPENSIVE = { ...PLANNING, rateLimit: { max: expensiveRatePerMinute, timeWindow: 60_000 } };
  const INTERACTIVE = { ...PLANNING, rateLimit: { max: expensiveRatePerMinute * 4, timeWindow: 60_000 } };

  app.get('/api/areas/:code/outline', {
    config: PLANNING,
    schema: { tags: ['area outlines'], summary: 'An area with its exact outline (or null: none yet), version and where the outline came from', params: AreaCodeParams, response: { 200: AreaOutline, 404: ErrorReply } },
  }, async (request) => {
    const { rows: [area] } = await pool.query(
      `SELECT code, name, level, parent_code AS "parentCode", version, outline_source AS "outlineSource",
              CASE WHEN geom IS NULL THEN NULL ELSE round(ST_Area(geom::geography)::numeric, 1)::double precision END AS "areaSquareMeters",
              ST_AsGeoJSON(geom)::json AS geometry
         FROM admin_area WHERE code = $1 AND retired_at IS NULL`, [request.params.code]);
    if (!area) throw notFound('areas.noLiveArea', { code: request.params.code });
    return area;
  });

  app.put('/api/areas/:code/outline', {
    config: PLANNING,
    schema: {
      tags: ['area outlines'],
      summary: 'Draw or replace the outline of a street or community. Refused: 409 on a stale version; 422 when invalid, overlapping a sibling, outside the parent, or leaving a grid or child area outside. Gaps in the parent are reported.',
      params: AreaCodeParams,
      body: OutlineBody,
      response: WRITE_REPLIES,
    },
  }, async (request) => withTransaction(pool, async (client) => {
    const actor = actorOf(request);
    const area = await lockArea(client, request.params.code, request.body.version, actor);
    const ewkb = await normalizeAreaOutline(client, request.body.geometry, area);
    return writeAreaOutline(client, actor, area, ewkb, { action: 'draw', reason: request.body.reason ?? '', detail: { replaced: area.hasOutline } });
  }));

  app.get('/api/areas/:code/history', {
    config: PLANNING,
    schema: { tags: ['area outlines'], summary: 'Every recorded version of an area (who, when, how, why, the outline)', params: AreaCodeParams, response: { 200: AreaHistory, 404: ErrorReply } },
  }, async (request) => {
    const { rows: [area] } = await pool.query(`SELECT code, version, geom IS NOT NULL AS has FROM admin_area WHERE code = $1`, [request.params.code]);
    if (!area) throw notFound('areas.notFound', { code: request.params.code });
    const { rows } = await pool.query(HISTORY_SQL, [area.code]);
    // An area never changed since it was loaded has no row yet: its current state is its first version.
    if (!rows.some((r) => r.version === area.version)) {
      const { rows: [current] } = await pool.query(
        `SELECT version, 'original' AS action, '' AS reason, NULL AS "changedBy", updated_at AS "changedAt", name, parent_code AS "parentCode",
                retired_at IS NOT NULL AS retired, ST_AsGeoJSON(geom, 7)::json AS geometry,
                CASE WHEN geom IS NULL THEN NULL ELSE round(ST_Area(geom::geography)::numeric, 1)::double precision END AS "areaSquareMeters"
           FROM admin_area WHERE code = $1`, [area.code]);
      rows.unshift(current);
    }
    return { code: area.code, currentVersion: area.version, versions: rows.map((r) => ({ ...r, changedAt: new Date(r.changedAt).toISOString() })) };
  });

  app.post('/api/areas/:code/restore', {
    config: PLANNING,
    schema: { tags: ['area outlines'], summary: 'Restore the outline of an earlier version (checked like a drawn one)', params: AreaCodeParams, body: AreaRestoreBody, response: WRITE_REPLIES },
  }, async (request) => withTransaction(pool, async (client) => {
    const actor = actorOf(request);
    const area = await lockArea(client, request.params.code, request.body.version, actor);
    const { rows: [old] } = await client.query(
      `SELECT ST_AsEWKB(geom) AS ewkb, retired, action FROM area_version WHERE area_code = $1 AND version = $2`, [area.code, request.body.toVersion]);
    if (!old) throw notFound('areas.noVersion', { code: area.code, version: request.body.toVersion });
    if (old.retired || !old.ewkb) throw conflict('areas.versionNoOutline', { code: area.code, version: request.body.toVersion });
    return writeAreaOutline(client, actor, area, old.ewkb, {
      action: 'restore',
      reason: request.body.reason || `restored version ${request.body.toVersion}`,
      detail: { toVersion: request.body.toVersion },
      // The restored outline keeps the origin of the version it comes from.
      source: RESTORED_SOURCE[old.action] ?? 'drawn',
    });
  }));

  app.get('/api/areas/derivable', {
    config: PLANNING,
    schema: { tags: ['area outlines'], summary: 'The streets or communities under a parent that have no outline yet, with what each could be derived from', querystring: DerivableQuery, response: { 200: DerivableAreas } },
  }, async (request) => derive.derivable(request.query.parent, request.query.level));

  app.get('/api/areas/:code/derive-preview', {
    config: INTERACTIVE,
    schema: {
      tags: ['area outlines'],
      summary: 'The outline an area would get from its grids (community) or its children (street): holes, gaps, slivers and separate pieces with their m², and how it fits',
      params: AreaCodeParams,
      querystring: DeriveOptions,
      response: { 200: DerivePreview, 403: ErrorReply, 404: ErrorReply },
    },
  }, async (request) => derive.preview(actorOf(request), request.params.code, request.query.fillGaps ?? false));

  app.post('/api/areas/:code/derive', {
    config: INTERACTIVE,
    schema: { tags: ['area outlines'], summary: 'Derive and save the outline of one area (version+1, history, audit)', params: AreaCodeParams, body: DeriveBody, response: WRITE_REPLIES },
  }, async (request) => {
    const { preview: _preview, ...written } = await derive.apply(actorOf(request), request.params.code, request.body);
    return written;
  });

  app.post('/api/areas/derive', {
    config: EXPENSIVE,
    schema: { tags: ['area outlines'], summary: 'Derive the outline of every street or community under a parent that has none', body: DeriveAllBody, response: { 200: DeriveAllResult, 400: ErrorReply, 403: ErrorReply } },
  }, async (request) => derive.applyAll(actorOf(request), request.body));
};
