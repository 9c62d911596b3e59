/**
 * Who is calling, and may they? Reads the session cookie into `request.user`, and enforces the
 * `config.access` that every route must declare (the app refuses to start if one does not).
 */
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { forbidden, unauthorized } from '../../shared/errors.js';
import type { RouteAccess, SessionUser } from './roles.js';
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
  /** Routes registered by third-party plugins (API documentation, static files): public. */
  isThirdPartyRoute: (url: string) => boolean;
}

export const accessPlugin = fp<AccessOptions>(async (app: FastifyInstance, options) => {
  app.decorateRequest('user', null);

  app.addHook('onRoute', (route) => {
    const access = route.config?.access;
    if (!access) {
      if (options.isThirdPartyRoute(route.url)) return;
      throw new Error(`Route ${route.method} ${route.url} declares no config.access`);
    }
    if ('public' in access) return;
    const allowed = new Set(access.roles);
    const check = async (request: FastifyRequest) => {
      if (!request.user) throw unauthorized();
      if (!allowed.has(request.user.role)) throw forbidden();
    };
    const existing = route.preHandler;
    route.preHandler = existing ? [check, ...(Array.isArray(existing) ? existing : [existing])] : [check];
  });

  app.addHook('onRequest', async (request) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) request.user = await options.users.userForSession(token, options.idleMinutes);
  });
});

/** Whether the caller is staff (any logged-in role); used to widen what a public route returns. */
export const isStaff = (request: FastifyRequest) => request.user !== null;
