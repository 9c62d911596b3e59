/**
 * Who is calling, and may they? Reads the session cookie into `request.user`, and enforces the
 * `config.access` that every route must declare (the app refuses to start if one does not).
 * The check runs in onRequest, before the body or query is even validated, so a caller who may
 * not use a route learns nothing from it but 401/403.
 */
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { forbidden, unauthorized } from '../../shared/errors.js';
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
  }
}

interface AccessOptions {
  users: UsersRepository;
  idleMinutes: number;
  policy: SessionPolicy;
  /** Routes registered by third-party plugins (API documentation, static files): public. */
  isThirdPartyRoute: (url: string) => boolean;
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

  app.addHook('onRequest', async (request) => {
    const token = request.cookies[SESSION_COOKIE];
    if (!token) return;
    const row = await options.users.userForSession(token, options.idleMinutes);
    request.user = row ? toSessionUser(row, options.policy) : null;
  });

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

/** Whether the caller is staff (any logged-in role); used to widen what a public route returns. */
export const isStaff = (request: FastifyRequest) =>
  request.user !== null && !request.user.mustChangePassword && !request.user.mustEnrolTotp;
