/** The admin's search of the audit log, and its retention purge. */
import { parseInstant } from '../../shared/instant.js';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import type { Pool } from '../../db/pool.js';
import { sqlFile } from '../../shared/sql.js';
import type { AuditRepository } from './audit-repository.js';
import { RowId } from '../../shared/schema-helpers.js';

const SEARCH_SQL = sqlFile(import.meta.url, 'search.sql');

export const AuditRow = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  actorUsername: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  targetType: Type.Union([Type.String(), Type.Null()]),
  targetId: Type.Union([Type.String(), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
  success: Type.Boolean(),
  detail: Type.Record(Type.String(), Type.Unknown()),
});

export type AuditRow = Static<typeof AuditRow>;

export const AuditSearchQuery = Type.Object({
  actor: Type.Optional(Type.String({ maxLength: 64, description: 'Username (exact)' })),
  action: Type.Optional(Type.String({ maxLength: 64, description: "Action or its prefix, e.g. 'auth.' or 'grid.split'" })),
  success: Type.Optional(Type.Boolean()),
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
  /** Rows with an id below this (the last id of the previous page). */
  before: Type.Optional(RowId),
});

export const auditRoutes: FastifyPluginAsyncTypebox<{ pool: Pool; audit: AuditRepository }> = async (app, { pool }) => {
  app.get(
    '/api/admin/audit',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['admin'],
        summary: 'Search the audit log, newest first',
        querystring: AuditSearchQuery,
        response: { 200: Type.Object({ rows: Type.Array(AuditRow), nextBefore: Type.Union([Type.Integer(), Type.Null()]) }) },
      },
    },
    async (request) => {
      const q = request.query;
      const from = q.from === undefined ? null : parseInstant(q.from, 'querystring/from');
      const to = q.to === undefined ? null : parseInstant(q.to, 'querystring/to');
      const { rows } = await pool.query(SEARCH_SQL, [q.actor ?? null, q.action ?? null, q.success ?? null, from, to, q.before ?? null, q.limit]);
      return { rows, nextBefore: rows.length === q.limit ? rows[rows.length - 1]!.id : null };
    },
  );
};
