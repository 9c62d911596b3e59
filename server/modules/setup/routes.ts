/**
 * /setup's API: the first admin of a fresh install, through the one-time link `npm start` prints.
 * The token travels in the link's fragment (`/setup#token=…`, which browsers never send) and then
 * in request bodies, so no URL, and no request log, ever holds it. Once an active admin exists both
 * routes answer 404: set-up is over and every link is void.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Pool } from '../../db/pool.js';
import { badRequest, conflict, HttpError, notFound, phrase, refuse } from '../../shared/errors.js';
import { ErrorReply } from '../../shared/geojson-schemas.js';
import type { AuditRepository } from '../audit/audit-repository.js';
import { hashPassword } from '../auth/password.js';
import { passwordProblem, passwordProblemPhrase } from '../auth/password-policy.js';
import { SessionUserSchema } from '../auth/roles.js';
import { setSessionCookie } from '../auth/session-cookie.js';
import { toSessionUser, type SessionPolicy } from '../auth/session-user.js';
import type { UsersRepository } from '../auth/users-repository.js';
import { activeAdminExists, createAdmin, tokenState, type TokenState } from './setup-repository.js';

export interface SetupRoutesOptions {
  pool: Pool;
  users: UsersRepository;
  audit: AuditRepository;
  policy: SessionPolicy;
  sessionAbsoluteHours: number;
  cookieSecure: boolean;
  /** Attempts per client address per minute (as for login: a token must not be guessable). */
  ratePerMinute: number;
}

const Token = Type.String({ minLength: 1, maxLength: 200, description: 'The token of the set-up link (after #token=)' });

export const SETUP_DONE = 'setup.done';

/** A refusal for a token that cannot be used, saying why. */
function refusal(state: Exclude<TokenState, 'valid'>): HttpError {
  switch (state) {
    case 'unknown':
      return refuse(403, 'setup.linkInvalid', {}, { token: state });
    case 'used':
      return refuse(410, 'setup.linkUsed', {}, { token: state });
    case 'expired':
      return refuse(410, 'setup.linkExpired', {}, { token: state });
  }
}

export const setupRoutes: FastifyPluginAsyncTypebox<SetupRoutesOptions> = async (app, options) => {
  const { pool, users, audit, policy } = options;
  const rateLimit = { max: options.ratePerMinute, timeWindow: 60_000 };

  app.post(
    '/api/setup/check',
    {
      config: { access: { public: true }, rateLimit },
      schema: {
        tags: ['setup'],
        summary: 'Whether a set-up link is still good (404 once an admin exists)',
        body: Type.Object({ token: Token }),
        response: { 200: Type.Object({ totpRequired: Type.Boolean() }), 403: ErrorReply, 404: ErrorReply, 410: ErrorReply },
      },
    },
    async (request) => {
      if (await activeAdminExists(pool)) throw notFound(SETUP_DONE);
      const state = await tokenState(pool, request.body.token);
      if (state !== 'valid') {
        await audit.record({ actorUserId: null, actorUsername: null, action: 'setup.check', ip: request.ip, success: false, detail: { reason: state } });
        throw refusal(state);
      }
      return { totpRequired: policy.totpRequiredForAdmins };
    },
  );

  app.post(
    '/api/setup/admin',
    {
      config: { access: { public: true }, rateLimit },
      schema: {
        tags: ['setup'],
        summary: 'Create the first admin with the set-up link’s token; logs them in (a second factor is enrolled next where required)',
        body: Type.Object({
          token: Token,
          username: Type.String({ pattern: '^[a-zA-Z0-9_.-]{3,64}$' }),
          displayName: Type.String({ minLength: 1, maxLength: 100 }),
          password: Type.String({ minLength: 1, maxLength: 256 }),
        }),
        response: { 201: Type.Object({ user: SessionUserSchema }), 400: ErrorReply, 403: ErrorReply, 404: ErrorReply, 409: ErrorReply, 410: ErrorReply },
      },
    },
    async (request, reply) => {
      const { token, username, password } = request.body;
      const displayName = request.body.displayName.trim();
      if (!displayName) throw badRequest('setup.displayNameRequired');
      const problem = passwordProblem(password);
      if (problem) {
        const known = passwordProblemPhrase(problem);
        throw badRequest('setup.passwordRefused', { problem: known ? phrase(known.code, known.params) : problem });
      }
      if (password.toLowerCase().includes(username.toLowerCase())) throw badRequest('setup.passwordRefused', { problem: phrase('password.containsUsername') });
      const result = await createAdmin(
        pool,
        audit,
        { username, displayName, passwordHash: await hashPassword(password) },
        { token, action: 'setup.admin_create', ip: request.ip, via: 'setup link' },
      );
      if (!result.created) {
        await audit.record({ actorUserId: null, actorUsername: username, action: 'setup.admin_create', ip: request.ip, success: false, detail: { reason: result.reason } });
        if (result.reason === 'admin_exists') throw notFound(SETUP_DONE);
        if (result.reason === 'username_taken') throw conflict('setup.usernameTaken', { username });
        throw refusal(result.reason);
      }
      const row = (await users.byId(result.id))!;
      const session = await users.createSession(row.id, { ip: request.ip, userAgent: request.headers['user-agent'] ?? null, absoluteHours: options.sessionAbsoluteHours });
      setSessionCookie(reply, session, { secure: options.cookieSecure, absoluteHours: options.sessionAbsoluteHours });
      return reply.code(201).send({ user: toSessionUser(row, policy) });
    },
  );
};
