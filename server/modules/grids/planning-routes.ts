/**
 * The planning workspace API (planner and admin): validation, edits with history and optimistic
 * concurrency, encoding with preview, norms, and figures for the area tree.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { rateLimit } from '../../shared/rate-limits.js';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Pool } from '../../db/pool.js';
import { ErrorReply } from '../../shared/geojson-schemas.js';
import { badRequest, notFound } from '../../shared/errors.js';
import type { Role } from '../auth/roles.js';
import { createGridEditing } from './editing.js';
import { createPlanningRepository } from './planning-repository.js';
import { assertInScope, type Actor } from './grid-store.js';
import {
  AreaFiguresCollection,
  BuildingFigures,
  CommunityParams,
  EditResult,
  EncodeBody,
  EncodingPreview,
  GridCreateBody,
  GridHistory,
  GridIdParams,
  GridNormSettings,
  GridUpdateBody,
  MergeBody,
  ReshapeBody,
  RestoreBody,
  RestoreSetBody,
  RetireBody,
  SplitBody,
  ValidationQuery,
  ValidationReport,
} from './schemas.js';

export const PLANNERS: readonly Role[] = ['planner', 'admin'];
const PLANNING = { access: { roles: PLANNERS } };
const EDIT_REPLIES = { 200: EditResult, 400: ErrorReply, 403: ErrorReply, 404: ErrorReply, 409: ErrorReply, 422: ErrorReply };

const actorOf = (request: FastifyRequest): Actor => ({ user: request.user!, ip: request.ip });

export const planningRoutes: FastifyPluginAsyncTypebox<{ pool: Pool; expensiveRatePerMinute: number }> = async (app, { pool, expensiveRatePerMinute }) => {
  // The planning checks run over a whole community or district: limited (shared/rate-limits.ts).
  const CHECKING = { ...PLANNING, rateLimit: rateLimit(expensiveRatePerMinute) };
  const FIGURES = { ...PLANNING, rateLimit: rateLimit(expensiveRatePerMinute, 'interactive') };
  const planning = createPlanningRepository(pool);
  const editing = createGridEditing(pool);

  app.get('/api/grid-validation', {
    config: CHECKING,
    schema: {
      tags: ['grid planning'],
      summary: 'Validate the grids of a community, a street or the district: geometry, overlaps, gaps, slivers, spill, norms, staffing, codes',
      querystring: ValidationQuery,
      response: { 200: ValidationReport, 400: ErrorReply, 404: ErrorReply },
    },
  }, async (request) => {
    const { community, street, district } = request.query;
    const area = community ?? street ?? district;
    if (!area || [community, street, district].filter(Boolean).length !== 1) throw badRequest('grids.oneAreaFilter');
    const codes = await planning.communitiesOf(area);
    if (codes.length === 0) throw notFound('grids.noCommunityInArea', { area });
    return planning.validate(codes);
  });

  app.get('/api/grid-settings', {
    config: PLANNING,
    schema: { tags: ['grid planning'], summary: 'The planning norms (households per grid, managers, sliver tolerance, dedicated range)', response: { 200: GridNormSettings } },
  }, async () => planning.readSettings());

  app.patch('/api/grid-settings', {
    config: PLANNING,
    schema: { tags: ['grid planning'], summary: 'Change the planning norms', body: GridNormSettings, response: { 200: GridNormSettings, 400: ErrorReply } },
  }, async (request) => {
    const s = request.body;
    if (s.urbanHouseholdsMax < s.urbanHouseholdsMin) throw badRequest('grids.householdsMaxBelowMin', { field: 'urbanHouseholdsMax', other: 'urbanHouseholdsMin' });
    if (s.ruralHouseholdsMax < s.ruralHouseholdsMin) throw badRequest('grids.householdsMaxBelowMin', { field: 'ruralHouseholdsMax', other: 'ruralHouseholdsMin' });
    return planning.writeSettings(actorOf(request), s);
  });

  app.get('/api/grid-figures', {
    config: FIGURES,
    schema: {
      tags: ['grid planning'],
      summary: 'Figures (grids, households, residents, 60+, 80+, grid managers) of an area or of the areas one level below it',
      querystring: Type.Object({
        area: Type.String({ pattern: '^[0-9]{6}([0-9]{3}([0-9]{3})?)?$' }),
        children: Type.Boolean({ default: false }),
      }),
      response: { 200: AreaFiguresCollection },
    },
  }, async (request) => planning.areaFigures(request.query.area, !request.query.children));

  app.post('/api/grids', {
    config: PLANNING,
    schema: { tags: ['grid planning'], summary: 'Draw a new grid: it takes the next free code of its community', body: GridCreateBody, response: EDIT_REPLIES },
  }, async (request) => editing.create(actorOf(request), request.body));

  app.patch('/api/grids/:id', {
    config: PLANNING,
    schema: {
      tags: ['grid planning'],
      summary: 'Change a grid (outline and/or attributes and staff). Refused: 409 on a stale version, 422 on an invalid outline or an overlap',
      params: GridIdParams,
      body: GridUpdateBody,
      response: EDIT_REPLIES,
    },
  }, async (request) => editing.update(actorOf(request), request.params.id, request.body));

  app.post('/api/grids/:id/split', {
    config: PLANNING,
    schema: { tags: ['grid planning'], summary: 'Split a grid with a line drawn across it; the larger part keeps the code, the other takes the next free one', params: GridIdParams, body: SplitBody, response: EDIT_REPLIES },
  }, async (request) => editing.split(actorOf(request), request.params.id, request.body));

  app.post('/api/grids/merge', {
    config: PLANNING,
    schema: { tags: ['grid planning'], summary: 'Merge adjacent grids of one community into the first; the others are retired', body: MergeBody, response: EDIT_REPLIES },
  }, async (request) => editing.merge(actorOf(request), request.body));

  app.post('/api/grids/reshape', {
    config: PLANNING,
    schema: { tags: ['grid planning'], summary: 'Move the shared boundary of two neighbouring grids; both change together, with no gap or overlap', body: ReshapeBody, response: EDIT_REPLIES },
  }, async (request) => editing.reshape(actorOf(request), request.body));

  app.post('/api/grids/:id/restore', {
    config: PLANNING,
    schema: { tags: ['grid planning'], summary: 'Restore an earlier version of a grid (as a new version)', params: GridIdParams, body: RestoreBody, response: EDIT_REPLIES },
  }, async (request) => editing.restore(actorOf(request), request.params.id, request.body));

  app.post('/api/grids/restore', {
    config: PLANNING,
    schema: { tags: ['grid planning'], summary: 'Restore several grids to earlier versions together, in one transaction (undo/redo of an edit that changed them together)', body: RestoreSetBody, response: EDIT_REPLIES },
  }, async (request) => editing.restoreSet(actorOf(request), request.body));

  app.post('/api/grids/:id/retire', {
    config: PLANNING,
    schema: { tags: ['grid planning'], summary: 'Retire (delete) a grid; its code is never issued again', params: GridIdParams, body: RetireBody, response: EDIT_REPLIES },
  }, async (request) => editing.retire(actorOf(request), request.params.id, request.body));

  app.get('/api/grids/:id/history', {
    config: PLANNING,
    schema: { tags: ['grid planning'], summary: 'Every version of a grid with who, when, how and why', params: GridIdParams, response: { 200: GridHistory, 404: ErrorReply } },
  }, async (request) => {
    const history = await planning.history(request.params.id, true);
    if (!history) throw notFound('grids.notFound', { id: request.params.id });
    return history;
  });

  app.get('/api/grids/:id/building-figures', {
    config: FIGURES,
    schema: { tags: ['grid planning'], summary: 'Households and residents of the buildings inside a grid', params: GridIdParams, response: { 200: BuildingFigures, 404: ErrorReply } },
  }, async (request) => {
    const figures = await planning.buildingFigures(request.params.id);
    if (!figures) throw notFound('grids.notFound', { id: request.params.id });
    return figures;
  });

  app.post('/api/communities/:code/repair-slivers', {
    config: CHECKING,
    schema: { tags: ['grid planning'], summary: 'Snap away the slivers (overlaps, gaps, spill under the tolerance) of a community in one step', params: CommunityParams, response: EDIT_REPLIES },
  }, async (request) => editing.repairSlivers(actorOf(request), request.params.code));

  app.get('/api/communities/:code/encoding-preview', {
    config: CHECKING,
    schema: { tags: ['grid planning'], summary: 'What the coding rule gives: old code → new code for every live grid', params: CommunityParams, response: { 200: EncodingPreview, 422: ErrorReply } },
  }, async (request) => {
    assertInScope(request.user!, request.params.code);
    return planning.encodingPreview(request.params.code);
  });

  app.post('/api/communities/:code/encode', {
    config: CHECKING,
    schema: { tags: ['grid planning'], summary: 'Apply a previewed renumbering (409 if the grids changed since the preview)', params: CommunityParams, body: EncodeBody, response: { 200: EncodingPreview, 403: ErrorReply, 404: ErrorReply, 409: ErrorReply } },
  }, async (request) => planning.encode(actorOf(request), request.params.code, request.body.rows, request.body.reason ?? ''));
};
