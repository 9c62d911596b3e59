/**
 * Failed operations are audited too (GB/T 22239-2019 level 3): every state-changing request
 * (POST, PUT, PATCH, DELETE) that a route matched and that was answered 4xx or 500 — refused by
 * role (403), conflict (409), validation (400/422), a failed import commit, a rate limit (429),
 * a cross-site refusal — leaves one `request.refused` row: who, from where, the route, the
 * status and the reply's reason. Never the request body; numbers shaped like a phone or an ID
 * number are blanked out of the reason. A route that audits its own failure (login, password
 * change, a refused import…) is not audited twice.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requestAudit, type AuditRepository } from './audit-repository.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const REASON_MAX = 300;

declare module 'fastify' {
  interface FastifyRequest {
    auditScope: { failureRecorded: boolean } | null;
  }
}

/** A reply's message without anything that looks like a phone or an ID number. */
export function scrubbedReason(message: string): string {
  return message
    .replace(/(?<!\d)\d{17}[\dXx](?!\d)|(?<!\d)\d{15}(?!\d)/g, '[id]')
    .replace(/(?<!\d)(\+?86[ -]?)?1[3-9]\d{9}(?!\d)/g, '[phone]')
    .slice(0, REASON_MAX);
}

export function auditRefusedWrites(app: FastifyInstance, audit: AuditRepository) {
  app.decorateRequest('auditScope', null);

  // The scope is entered right before the handler (after the body is parsed, whose stream
  // callbacks would lose it), so that audit.record in the handler marks it.
  app.addHook('preHandler', (request, _reply, done) => {
    if (SAFE_METHODS.has(request.method)) return done();
    const scope = { failureRecorded: false };
    request.auditScope = scope;
    requestAudit.run(scope, done);
  });

  // In onSend, so that the row is written before the client has its answer.
  app.addHook('onSend', async (request, reply, payload) => {
    // 503 (database away, shutting down) is no refusal of the operation, and writing its row
    // would wait for the very database that is away.
    if (SAFE_METHODS.has(request.method) || reply.statusCode < 400 || reply.statusCode === 503) return payload;
    const route = request.routeOptions.url;
    // No such route (nothing was attempted), or the route audited its own failure.
    if (!route || request.auditScope?.failureRecorded) return payload;
    await audit
      .record({
        actorUserId: request.user?.id ?? null,
        actorUsername: request.user?.username ?? null,
        action: 'request.refused',
        targetType: 'route',
        targetId: `${request.method} ${route}`,
        ip: request.ip,
        success: false,
        detail: { status: reply.statusCode, reason: scrubbedReason(typeof payload === 'string' ? (messageOf(payload) ?? '') : ''), params: paramsOf(request) },
      })
      .catch((error: unknown) => request.log.error({ err: error }, 'could not audit a refused request'));
    return payload;
  });
}

function messageOf(payload: string): string | null {
  try {
    const parsed = JSON.parse(payload) as { message?: unknown };
    return typeof parsed.message === 'string' ? parsed.message : null;
  } catch {
    return null;
  }
}

/** Path parameters (ids, codes) only: short, never personal. */
function paramsOf(request: FastifyRequest): Record<string, string> {
  const params = (request.params ?? {}) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(params).map(([key, value]) => [key, String(value).slice(0, 40)]));
}
