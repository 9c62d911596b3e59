/**
 * /api/areas: the public outlines (GET /api/areas), the top of the hierarchy, what exists yet
 * (/api/setup-state), and the planners' code list: the national list searched and added from,
 * a bureau's own list previewed and committed, one area added, renamed or retired.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { withTransaction, type Pool } from '../../db/pool.js';
import { badRequest } from '../../shared/errors.js';
import { ErrorReply } from '../../shared/geojson-schemas.js';
import { sendJsonText } from '../../shared/schema-helpers.js';
import { sqlFile } from '../../shared/sql.js';
import type { AuditRepository } from '../audit/audit-repository.js';
import { STAFF, type Role } from '../auth/roles.js';
import { hierarchy, hierarchyRoot, renameArea, retireArea, setupState } from './hierarchy-repository.js';
import { createCodeListService, describeSummary, type AddSummary } from './code-list-service.js';
import { searchNational } from './national-list.js';
import {
  AddAreaBody,
  AddSummarySchema,
  AreaCodeParams,
  AreaCollection,
  AreasQuery,
  CodeListPreviewSchema,
  HierarchyReply,
  HierarchyRootSchema,
  NationalAddBody,
  NationalSearchQuery,
  NationalSearchReply,
  RenameBody,
  RetireBody,
  SetupStateSchema,
  VersionReply,
} from './schemas.js';

const AREAS_SQL = sqlFile(import.meta.url, 'areas.sql');

/** Who may change the hierarchy. */
export const AREA_EDITORS: readonly Role[] = ['planner', 'admin'];
const EDITORS = { access: { roles: AREA_EDITORS } };

const withMessage = (s: AddSummary) => ({ ...s, message: describeSummary(s) });

export const areasRoutes: FastifyPluginAsyncTypebox<{ pool: Pool; audit: AuditRepository }> = async (app, { pool, audit }) => {
  const codeLists = createCodeListService(pool, audit);
  const actor = (request: FastifyRequest) => ({ userId: request.user!.id, username: request.user!.username, ip: request.ip });

  app.get(
    '/api/areas',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['areas'],
        summary: 'The live city, districts, streets or communities/villages that have an outline, with it (public)',
        querystring: AreasQuery,
        response: { 200: AreaCollection },
      },
    },
    async (request, reply) => {
      const { rows } = await pool.query<{ collection: string }>(AREAS_SQL, [request.query.level, request.query.parent ?? null, request.query.withoutOutline ?? false]);
      // Already JSON from PostGIS: send as is rather than parse and re-serialise large outlines.
      return sendJsonText(reply, rows[0]!.collection);
    },
  );

  app.get(
    '/api/areas/root',
    {
      config: { access: { public: true } },
      schema: { tags: ['areas'], summary: 'The top of the hierarchy (the city or the one district) that every total rolls up to', response: { 200: HierarchyRootSchema } },
    },
    async () => hierarchyRoot(pool),
  );

  app.get(
    '/api/setup-state',
    {
      config: { access: { roles: STAFF } },
      schema: { tags: ['areas'], summary: 'What exists yet (areas by level with/without outline, grids, buildings, facilities, incidents), for the pages that say what is missing', response: { 200: SetupStateSchema } },
    },
    async (request) => {
      const [root, state] = await Promise.all([hierarchyRoot(pool), setupState(pool)]);
      let linkedGrids: number | null = null;
      if (request.user!.role === 'grid_worker') {
        const { rows } = await pool.query(`SELECT count(DISTINCT g.id)::int AS n FROM grid_staff s JOIN grid g ON g.id = s.grid_id WHERE s.user_id = $1 AND g.retired_at IS NULL`, [request.user!.id]);
        linkedGrids = rows[0].n;
      }
      return { root, ...state, linkedGrids };
    },
  );

  app.get(
    '/api/areas/hierarchy',
    {
      config: EDITORS,
      schema: { tags: ['areas'], summary: 'The live hierarchy with each area\'s kind, outline state and live grids', response: { 200: HierarchyReply } },
    },
    async () => {
      const [root, areas] = await Promise.all([hierarchyRoot(pool), hierarchy(pool)]);
      return { root, areas };
    },
  );

  app.get(
    '/api/areas/national',
    {
      config: EDITORS,
      schema: { tags: ['areas'], summary: 'Search the bundled national list (统计用区划代码 2023) for cities and districts by code or name', querystring: NationalSearchQuery, response: { 200: NationalSearchReply } },
    },
    async (request) => {
      const found = searchNational(request.query.q);
      const { rows } = await pool.query(`SELECT code FROM admin_area WHERE code = ANY($1::text[]) AND retired_at IS NULL`, [found.map((f) => f.code)]);
      const present = new Set(rows.map((r) => r.code as string));
      return { matches: found.map((f) => ({ ...f, level: f.level as 'city' | 'district', present: present.has(f.code) })) };
    },
  );

  app.get(
    '/api/areas/national/:code',
    {
      config: EDITORS,
      schema: { tags: ['areas'], summary: 'What adding this district or city from the national list would add; writes nothing', params: AreaCodeParams, response: { 200: AddSummarySchema, 400: ErrorReply, 404: ErrorReply } },
    },
    async (request) => withMessage(await codeLists.previewNational(request.params.code)),
  );

  app.post(
    '/api/areas/national',
    {
      config: EDITORS,
      schema: { tags: ['areas'], summary: 'Add a district (or a 4-digit city with all its districts) with its streets and communities from the national list', body: NationalAddBody, response: { 201: AddSummarySchema, 400: ErrorReply, 404: ErrorReply } },
    },
    async (request, reply) => reply.code(201).send(withMessage(await codeLists.addNational(request.body.code, actor(request)))),
  );

  async function upload(request: FastifyRequest) {
    const file = await request.file();
    if (!file) throw badRequest('areas.noCodeListFile');
    return { bytes: await file.toBuffer(), fileName: file.filename };
  }

  app.post(
    '/api/areas/code-list/preview',
    {
      config: EDITORS,
      schema: {
        tags: ['areas'],
        summary: "Check a bureau's own code list (CSV/Excel: level, code, name, parent; or 级别, 代码, 名称, 上级代码) row by row: what would be added and renamed; writes nothing",
        consumes: ['multipart/form-data'],
        response: { 200: CodeListPreviewSchema, 400: ErrorReply },
      },
    },
    async (request) => {
      const { bytes, fileName } = await upload(request);
      const { plan: _plan, ...preview } = await codeLists.previewOwnList(bytes, fileName);
      return withMessage(preview) as typeof preview & { message: string };
    },
  );

  app.post(
    '/api/areas/code-list/commit',
    {
      config: EDITORS,
      schema: {
        tags: ['areas'],
        summary: "Add a bureau's own code list: every row in one transaction, or none when any row has an error (400 naming row and column)",
        consumes: ['multipart/form-data'],
        response: { 201: AddSummarySchema, 400: ErrorReply },
      },
    },
    async (request, reply) => {
      const { bytes, fileName } = await upload(request);
      return reply.code(201).send(withMessage(await codeLists.commitOwnList(bytes, fileName, actor(request))));
    },
  );

  app.post(
    '/api/areas',
    {
      config: EDITORS,
      schema: { tags: ['areas'], summary: 'Add one district, street or community (no outline yet) under a live parent', body: AddAreaBody, response: { 201: AddSummarySchema, 400: ErrorReply, 409: ErrorReply } },
    },
    async (request, reply) => reply.code(201).send(withMessage(await codeLists.addOne(request.body, actor(request)))),
  );

  app.patch(
    '/api/areas/:code',
    {
      config: EDITORS,
      schema: { tags: ['areas'], summary: 'Rename an area (a new version; 409 over a newer one)', params: AreaCodeParams, body: RenameBody, response: { 200: VersionReply, 404: ErrorReply, 409: ErrorReply } },
    },
    async (request) => {
      const { code } = request.params;
      const version = await withTransaction(pool, async (client) => {
        const v = await renameArea(client, code, request.body.name.trim(), request.body.version ?? null, actor(request), request.body.reason ?? '');
        await audit.record({ actorUserId: request.user!.id, actorUsername: request.user!.username, ip: request.ip, action: 'area.rename', targetType: 'admin_area', targetId: code, success: true, detail: { version: v } }, client);
        return v;
      });
      return { code, version };
    },
  );

  app.post(
    '/api/areas/:code/retire',
    {
      config: EDITORS,
      schema: {
        tags: ['areas'],
        summary: 'Retire an area: refused (409, naming them) while it has live grids or live child areas; its outline and history are kept in its versions',
        params: AreaCodeParams,
        body: RetireBody,
        response: { 200: VersionReply, 404: ErrorReply, 409: ErrorReply },
      },
    },
    async (request) => {
      const { code } = request.params;
      return withTransaction(pool, async (client) => {
        await client.query('LOCK TABLE admin_area IN SHARE ROW EXCLUSIVE MODE');
        const version = await retireArea(client, code, request.body.version ?? null, actor(request), request.body.reason ?? '');
        await audit.record({ actorUserId: request.user!.id, actorUsername: request.user!.username, ip: request.ip, action: 'area.retire', targetType: 'admin_area', targetId: code, success: true, detail: { version } }, client);
        return { code, version };
      });
    },
  );
};
