import type { FastifyReply } from 'fastify';

/**
 * Sends JSON text that PostGIS already built (json_build_object, ST_AsGeoJSON) without parsing
 * and re-serialising it. The route's response schema still documents its shape.
 */
export function sendJsonText(reply: FastifyReply, text: string) {
  return reply.type('application/json; charset=utf-8').send(text as never);
}
