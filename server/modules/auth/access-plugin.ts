/**
 * Who is calling, and may they? Reads the session cookie into `request.user`, and enforces the
 * `config.access` that every route must declare (the app refuses to start if one does not).
 * The check runs in onRequest, before the body or query is even validated, so a caller who may
 * not use a route learns nothing from it but 401/403.
 */
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { forbidden, refuse, unauthorized, type RefusalCode, type RefusalParams } from '../../shared/errors.js';
import { FailureLimiter } from '../../shared/rate-limits.js';
import type { AuditRepository } from '../audit/audit-repository.js';
import { isTokenShaped, TOKEN_PREFIX, type AccessTokensRepository } from './access-tokens-repository.js';
import type { RouteAccess, SessionUser } from './roles.js';
import { toSessionUser, type SessionPolicy } from './session-user.js';
import type { UsersRepository } from './users-repository.js';

export const SESSION_COOKIE = 'wangge_session';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    user: SessionUser | null;
    /** How the caller proved who they are: a session cookie, or a personal access token. */
    credential: { kind: 'session' } | { kind: 'token'; tokenId: number; readOnly: boolean } | null;
  }
}

interface AccessOptions {
  users: UsersRepository;
  idleMinutes: number;
  policy: SessionPolicy;
  /** Routes registered by third-party plugins (API documentation, static files): public. */
  isThirdPartyRoute: (url: string) => boolean;
  /** Personal access tokens (Authorization: Bearer, or the password of HTTP Basic). */
  tokens: AccessTokensRepository;
  audit: AuditRepository;
  /** Failed token attempts per client address per minute before 429. */
  tokenFailuresPerMinute: number;
}

/** Every route and what it declared, for the access-matrix test and the audit of the API. */
export interface DeclaredRoute {
  method: string;
  url: string;
  access: RouteAccess;
  /** The route's config.rateLimit (shared/rate-limits.ts), or null when it has none. */
  rateLimit: { max: number; timeWindow: number } | null;
}

export const accessPlugin = fp<AccessOptions>(async (app: FastifyInstance, options) => {
  const declared: DeclaredRoute[] = [];
  app.decorate('declaredRoutes', declared);
  app.decorateRequest('user', null);
  app.decorateRequest('credential', null);
  const failures = new FailureLimiter(options.tokenFailuresPerMinute);

  app.addHook('onRequest', async (request) => {
    const authorization = request.headers.authorization;
    if (authorization) {
      await authenticateWithToken(request, authorization);
      return;
    }
    const token = request.cookies[SESSION_COOKIE];
    if (!token) return;
    const row = await options.users.userForSession(token, options.idleMinutes);
    request.user = row ? toSessionUser(row, options.policy) : null;
    if (request.user) request.credential = { kind: 'session' };
  });

  /**
   * A request that carries an Authorization header is judged by it alone (never by a cookie
   * beside it): a live token makes the caller its owner; anything else is a 401 that says why,
   * audited, and counted against the address (429 past tokenFailuresPerMinute).
   */
  async function authenticateWithToken(request: FastifyRequest, authorization: string) {
    const retryAfter = failures.retryAfterSeconds(request.ip);
    if (retryAfter > 0) {
      throw refuse(429, 'tokens.tooManyFailures', { seconds: retryAfter });
    }
    const refuseToken = async (reason: string, message: { code: RefusalCode; params?: RefusalParams }, who: { id: number; username: string } | null = null, tokenId?: number) => {
      failures.recordFailure(request.ip);
      await options.audit.record({
        actorUserId: who?.id ?? null,
        actorUsername: who?.username ?? null,
        action: 'auth.token_use',
        targetType: 'access_token',
        ...(tokenId === undefined ? {} : { targetId: tokenId }),
        ip: request.ip,
        success: false,
        detail: { reason },
      });
      return unauthorized(message.code, message.params ?? {});
    };
    const parsed = parseAuthorization(authorization);
    if ('problem' in parsed) throw await refuseToken('malformed', { code: 'tokens.malformed', params: { detail: parsed.problem } });
    const use = await options.tokens.use(parsed.token, request.ip);
    if (!use) throw await refuseToken('unknown token', { code: 'tokens.invalid' });
    const who = { id: use.user.id, username: use.user.username };
    if (parsed.username !== null && parsed.username !== use.user.username) {
      throw await refuseToken('username does not match', { code: 'tokens.otherUser' }, null, use.tokenId);
    }
    if (use.refusal === 'revoked') throw await refuseToken('revoked', { code: 'tokens.revoked' }, who, use.tokenId);
    if (use.refusal === 'expired') throw await refuseToken('expired', { code: 'tokens.expired' }, who, use.tokenId);
    if (use.refusal === 'owner disabled') throw await refuseToken('owner disabled', { code: 'tokens.ownerDisabled' }, who, use.tokenId);
    request.user = toSessionUser(use.user, options.policy);
    request.credential = { kind: 'token', tokenId: use.tokenId, readOnly: use.readOnly };
    if (use.firstUse) {
      await options.audit.record({
        actorUserId: use.user.id,
        actorUsername: use.user.username,
        action: 'auth.token_use',
        targetType: 'access_token',
        targetId: use.tokenId,
        ip: request.ip,
        success: true,
        detail: { readOnly: use.readOnly, firstUseToday: true },
      });
    }
    if (use.readOnly && !SAFE_METHODS.has(request.method)) {
      throw forbidden('tokens.readOnly');
    }
  }

  app.addHook('onRoute', (route) => {
    const access = route.config?.access;
    if (!access) {
      if (options.isThirdPartyRoute(route.url)) return;
      throw new Error(`Route ${route.method} ${route.url} declares no config.access`);
    }
    for (const method of [route.method].flat()) declared.push({ method, url: route.url, access, rateLimit: (route.config as { rateLimit?: DeclaredRoute['rateLimit'] } | undefined)?.rateLimit ?? null });
    if ('public' in access) return;
    const allowed = new Set(access.roles);
    const duringSetup = access.duringSetup === true;
    const check = async (request: FastifyRequest) => {
      const user = request.user;
      if (!user) throw unauthorized();
      if (!allowed.has(user.role)) throw forbidden();
      if (!duringSetup && user.mustChangePassword) throw forbidden('auth.changePasswordFirst');
      if (!duringSetup && user.mustEnrolTotp) throw forbidden('auth.enrolTotpFirst');
    };
    const existing = route.onRequest;
    route.onRequest = existing ? [...[existing].flat(), check] : [check];
  });
});

declare module 'fastify' {
  interface FastifyInstance {
    declaredRoutes: DeclaredRoute[];
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * `Bearer <token>`, or `Basic base64(username:token)` (QGIS's and GDAL's way: the token is the
 * password, the account name the user name).
 */
function parseAuthorization(header: string): { token: string; username: string | null } | { problem: string } {
  const [scheme = '', value = ''] = header.trim().split(/\s+/, 2);
  if (/^bearer$/i.test(scheme)) {
    if (!isTokenShaped(value)) return { problem: `Authorization: Bearer takes a personal access token (${TOKEN_PREFIX}…, created on the account page)` };
    return { token: value, username: null };
  }
  if (/^basic$/i.test(scheme)) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const username = colon >= 0 ? decoded.slice(0, colon) : '';
    const password = colon >= 0 ? decoded.slice(colon + 1) : '';
    if (!username || !isTokenShaped(password)) {
      return { problem: `HTTP Basic takes your user name and a personal access token (${TOKEN_PREFIX}…, created on the account page) as the password, never the account's password` };
    }
    return { token: password, username };
  }
  return { problem: 'Authorization: use Bearer <personal access token> or HTTP Basic with the token as password' };
}

/** Whether the caller is staff (any logged-in role); used to widen what a public route returns. */
export const isStaff = (request: FastifyRequest) =>
  request.user !== null && !request.user.mustChangePassword && !request.user.mustEnrolTotp;
