import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorReply } from '../../shared/geojson-schemas.js';
import { unauthorized } from '../../shared/errors.js';
import type { AuditRepository } from '../audit/audit-repository.js';
import { SESSION_COOKIE } from './access-plugin.js';
import { DUMMY_HASH_PROMISE, verifyPassword } from './password.js';
import { SessionUserSchema, STAFF } from './roles.js';
import type { UsersRepository } from './users-repository.js';

interface AuthRoutesOptions {
  users: UsersRepository;
  audit: AuditRepository;
  sessionAbsoluteHours: number;
  cookieSecure: boolean;
}

export const authRoutes: FastifyPluginAsyncTypebox<AuthRoutesOptions> = async (app, { users, audit, ...options }) => {
  app.post(
    '/api/auth/login',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['auth'],
        summary: 'Log in with a username and password; sets an httpOnly session cookie',
        body: Type.Object({
          username: Type.String({ minLength: 1, maxLength: 64 }),
          password: Type.String({ minLength: 1, maxLength: 256 }),
        }),
        response: { 200: Type.Object({ user: SessionUserSchema }), 401: ErrorReply },
      },
    },
    async (request, reply) => {
      const { username, password } = request.body;
      const found = await users.findForLogin(username);
      // Spend the same scrypt time whether or not the user exists.
      const ok = await verifyPassword(password, found?.passwordHash ?? (await DUMMY_HASH_PROMISE));
      const success = Boolean(found && found.isActive && ok);
      await audit.record({
        actorUserId: found?.id ?? null,
        actorUsername: username,
        action: 'auth.login',
        ip: request.ip,
        success,
      });
      if (!found || !success) throw unauthorized('Wrong username or password');
      const token = await users.createSession(found.id, {
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
        absoluteHours: options.sessionAbsoluteHours,
      });
      reply.setCookie(SESSION_COOKIE, token, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: options.cookieSecure,
        maxAge: options.sessionAbsoluteHours * 3600,
      });
      const { passwordHash: _hash, isActive: _active, ...user } = found;
      return { user };
    },
  );

  app.post(
    '/api/auth/logout',
    {
      config: { access: { roles: STAFF } },
      schema: { tags: ['auth'], summary: 'End the current session', response: { 204: Type.Null() } },
    },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await users.endSession(token);
      await audit.record({
        actorUserId: request.user!.id,
        actorUsername: request.user!.username,
        action: 'auth.logout',
        ip: request.ip,
        success: true,
      });
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/auth/me',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['auth'],
        summary: 'The logged-in user, or null',
        response: { 200: Type.Object({ user: Type.Union([SessionUserSchema, Type.Null()]) }) },
      },
    },
    async (request) => ({ user: request.user }),
  );
};
