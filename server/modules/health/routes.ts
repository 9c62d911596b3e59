import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Pool } from '../../db/pool.js';
import { checkPostgis } from '../../db/pool.js';

const HealthReply = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  database: Type.Union([
    Type.Object({ postgres: Type.String(), postgis: Type.String() }),
    Type.Object({ error: Type.String() }),
  ]),
});

export const healthRoutes: FastifyPluginAsyncTypebox<{ pool: Pool }> = async (app, { pool }) => {
  app.get(
    '/health',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['health'],
        summary: 'Readiness: the database and PostGIS versions, or 503 when the database is unreachable',
        response: { 200: HealthReply, 503: HealthReply },
      },
    },
    async (_request, reply) => {
      try {
        const versions = await checkPostgis(pool);
        return { status: 'ok' as const, database: versions };
      } catch {
        return reply.code(503).send({ status: 'unavailable' as const, database: { error: 'database unreachable' } });
      }
    },
  );
};
