import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Pool } from '../../db/pool.js';
import { sendJsonText } from '../../shared/schema-helpers.js';
import { sqlFile } from '../../shared/sql.js';
import { AreaCollection, AreasQuery } from './schemas.js';

const AREAS_SQL = sqlFile(import.meta.url, 'areas.sql');

export const areasRoutes: FastifyPluginAsyncTypebox<{ pool: Pool }> = async (app, { pool }) => {
  app.get(
    '/api/areas',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['areas'],
        summary: 'District, streets or communities/villages with their outlines (public)',
        querystring: AreasQuery,
        response: { 200: AreaCollection },
      },
    },
    async (request, reply) => {
      const { rows } = await pool.query<{ collection: string }>(AREAS_SQL, [request.query.level, request.query.parent ?? null]);
      // Already JSON from PostGIS: send as is rather than parse and re-serialise large outlines.
      return sendJsonText(reply, rows[0]!.collection);
    },
  );
};
