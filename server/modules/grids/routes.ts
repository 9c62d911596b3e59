import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Pool } from '../../db/pool.js';
import { sendJsonText } from '../../shared/schema-helpers.js';
import { badRequest } from '../../shared/errors.js';
import { ErrorReply } from '../../shared/geojson-schemas.js';
import { sqlFile } from '../../shared/sql.js';
import { STAFF, type Role } from '../auth/roles.js';
import { GridCollection, GridsQuery } from './schemas.js';
import { planningRoutes } from './planning-routes.js';
import { transferRoutes } from './transfer-routes.js';
import { staffRoutes } from './staff-routes.js';

const GRIDS_OF_COMMUNITY_SQL = sqlFile(import.meta.url, 'grids-of-community.sql');

/** Roles that staff grids and so see grid leaders' and managers' names and phones. */
export const ROLES_SEEING_GRID_STAFF: readonly Role[] = ['admin', 'planner'];

export const gridsRoutes: FastifyPluginAsyncTypebox<{ pool: Pool; expensiveRatePerMinute: number }> = async (app, { pool, expensiveRatePerMinute }) => {
  await app.register(planningRoutes, { pool, expensiveRatePerMinute });
  await app.register(transferRoutes, { pool, expensiveRatePerMinute });
  await app.register(staffRoutes, { pool });
  app.get(
    '/api/grids',
    {
      config: { access: { roles: STAFF } },
      schema: {
        tags: ['grids'],
        summary: "The live grids of a community (or of a street) with outlines and figures; staff names only for admin and planner",
        querystring: GridsQuery,
        response: { 200: GridCollection, 400: ErrorReply },
      },
    },
    async (request, reply) => {
      const withStaff = ROLES_SEEING_GRID_STAFF.includes(request.user!.role);
      const { community, street } = request.query;
      if (!community === !street) throw badRequest('grids.communityOrStreet');
      const { rows } = await pool.query<{ collection: string }>(GRIDS_OF_COMMUNITY_SQL, [community ?? street, withStaff]);
      return sendJsonText(reply, rows[0]!.collection);
    },
  );
};
