import { Type } from 'typebox';
import type { FastifyReply } from 'fastify';

/**
 * Sends JSON text that PostGIS already built (json_build_object, ST_AsGeoJSON) without parsing
 * and re-serialising it. The route's response schema still documents its shape.
 */
export function sendJsonText(reply: FastifyReply, text: string) {
  return reply.type('application/json; charset=utf-8').send(text as never);
}

/**
 * A row id in a path or body: a positive integer JavaScript holds exactly (≤ 2⁵³−1, well inside
 * PostgreSQL's bigint). A larger one (9223372036854775808) is a 400 from validation, never a
 * bigint overflow in the database.
 */
export const RowId = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });

/**
 * The code and parameters of a problem found in an upload (server/shared/refusals.ts `problem`),
 * spread into a row error's or finding's schema beside its English `message`: the web says the
 * problem in the UI's language from them (`problemText`).
 */
export const ProblemFields = {
  code: Type.String({ description: 'stable code of the problem (the refusal catalogue)' }),
  params: Type.Record(Type.String(), Type.Unknown(), { description: 'parameters of the code' }),
};
