import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ErrorReply } from '../../shared/geojson-schemas.js';
import { badRequest, forbidden, phrase, refuse as refusal, unauthorized } from '../../shared/errors.js';
import type { AuditRepository } from '../audit/audit-repository.js';
import { SESSION_COOKIE } from './access-plugin.js';
import { DUMMY_HASH_PROMISE, hashPassword, verifyPassword } from './password.js';
import { PASSWORD_HISTORY, passwordProblem, passwordProblemPhrase } from './password-policy.js';
import { SessionUserSchema, STAFF } from './roles.js';
import { toSessionUser, type SessionPolicy } from './session-user.js';
import { newTotpSecret, totpStep, totpUri } from './totp.js';
import type { UsersRepository } from './users-repository.js';

export interface AuthRoutesOptions {
  users: UsersRepository;
  audit: AuditRepository;
  policy: SessionPolicy;
  sessionAbsoluteHours: number;
  cookieSecure: boolean;
  maxLoginFailures: number;
  lockMinutes: number;
  /** Login attempts allowed per client address per minute. */
  loginRatePerMinute: number;
}

const WRONG_CREDENTIALS = 'auth.wrongCredentials';

export const authRoutes: FastifyPluginAsyncTypebox<AuthRoutesOptions> = async (app, { users, audit, policy, ...options }) => {
  const auditAs = (request: FastifyRequest, action: string, success: boolean, detail?: Record<string, unknown>) =>
    audit.record({
      actorUserId: request.user?.id ?? null,
      actorUsername: request.user?.username ?? null,
      action,
      ip: request.ip,
      success,
      detail,
    });

  app.post(
    '/api/auth/login',
    {
      config: { access: { public: true }, rateLimit: { max: options.loginRatePerMinute, timeWindow: 60_000 } },
      schema: {
        tags: ['auth'],
        summary: 'Log in with username, password and (when enrolled) a TOTP code; sets an httpOnly session cookie',
        body: Type.Object({
          username: Type.String({ minLength: 1, maxLength: 64 }),
          password: Type.String({ minLength: 1, maxLength: 256 }),
          otp: Type.Optional(Type.String({ maxLength: 10, description: 'The 6-digit code of the authenticator app' })),
        }),
        response: { 200: Type.Object({ user: SessionUserSchema }), 401: ErrorReply, 423: ErrorReply },
      },
    },
    async (request, reply) => {
      const { username, password, otp } = request.body;
      const row = await users.byUsername(username);
      const record = (success: boolean, reason?: string) =>
        audit.record({ actorUserId: row?.id ?? null, actorUsername: username, action: 'auth.login', ip: request.ip, success, detail: reason ? { reason } : {} });

      // Spend the same scrypt time whether or not the user exists.
      const passwordOk = await verifyPassword(password, row?.password_hash ?? (await DUMMY_HASH_PROMISE));
      if (!row || !row.is_active) {
        await record(false, row ? 'disabled' : 'unknown user');
        throw unauthorized(WRONG_CREDENTIALS);
      }
      if (row.locked_until && row.locked_until > new Date()) {
        // Only the right password learns that the account is locked: a wrong one gets the same
        // answer as an unknown user, so that the lock reveals nothing about which accounts exist.
        await record(false, passwordOk ? 'locked' : 'wrong password; locked');
        if (!passwordOk) throw unauthorized(WRONG_CREDENTIALS);
        throw refusal(423, 'auth.locked', { until: row.locked_until.toISOString() });
      }
      if (!passwordOk) {
        const { lockedUntil } = await users.recordFailure(row.id, options.maxLoginFailures, options.lockMinutes);
        await record(false, lockedUntil ? 'wrong password; locked' : 'wrong password');
        throw unauthorized(WRONG_CREDENTIALS);
      }
      if (row.totp_enabled) {
        if (!otp) {
          await record(false, 'second factor missing');
          throw unauthorized('auth.otpRequired', {}, { otpRequired: true });
        }
        const step = totpStep(row.totp_secret!, otp);
        if (step === null || !(await users.acceptTotpStep(row.id, step))) {
          const { lockedUntil } = await users.recordFailure(row.id, options.maxLoginFailures, options.lockMinutes);
          await record(false, lockedUntil ? 'wrong second factor; locked' : 'wrong second factor');
          throw unauthorized('auth.otpWrong', {}, { otpRequired: true });
        }
      }
      await users.recordSuccess(row.id);
      // A new session at every login; the one the browser held before (if any) ends.
      const previous = request.cookies[SESSION_COOKIE];
      if (previous) await users.endSession(previous);
      const token = await users.createSession(row.id, {
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
        absoluteHours: options.sessionAbsoluteHours,
      });
      await record(true);
      setSessionCookie(reply, token);
      return { user: toSessionUser(row, policy) };
    },
  );

  function setSessionCookie(reply: FastifyReply, token: string) {
    reply.setCookie(SESSION_COOKIE, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: options.cookieSecure,
      maxAge: options.sessionAbsoluteHours * 3600,
    });
  }

  app.post(
    '/api/auth/logout',
    {
      config: { access: { roles: STAFF, duringSetup: true } },
      schema: { tags: ['auth'], summary: 'End the current session', response: { 204: Type.Null() } },
    },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await users.endSession(token);
      await auditAs(request, 'auth.logout', true);
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

  app.post(
    '/api/auth/password',
    {
      config: { access: { roles: STAFF, duringSetup: true }, rateLimit: { max: options.loginRatePerMinute, timeWindow: 60_000 } },
      schema: {
        tags: ['auth'],
        summary: 'Change your own password (ends your other sessions)',
        body: Type.Object({
          currentPassword: Type.String({ minLength: 1, maxLength: 256 }),
          newPassword: Type.String({ minLength: 1, maxLength: 256 }),
        }),
        response: { 204: Type.Null(), 400: ErrorReply, 401: ErrorReply },
      },
    },
    async (request, reply) => {
      const row = (await users.byId(request.user!.id))!;
      if (!(await verifyPassword(request.body.currentPassword, row.password_hash))) {
        await auditAs(request, 'auth.password_change', false, { reason: 'wrong current password' });
        throw unauthorized('auth.currentPasswordWrong');
      }
      const refusePassword = async (reason: string, problem = passwordProblemPhrase(reason)) => {
        await auditAs(request, 'auth.password_change', false, { reason });
        return badRequest('auth.passwordRefused', { problem: problem ? phrase(problem.code, problem.params) : reason });
      };
      const problem = passwordProblem(request.body.newPassword, { username: row.username, displayName: row.display_name });
      if (problem) throw await refusePassword(problem);
      if (await verifyPassword(request.body.newPassword, row.password_hash)) throw await refusePassword('choose a password different from the current one', { code: 'password.sameAsCurrent', params: {} });
      for (const previous of await users.previousPasswordHashes(row.id)) {
        if (await verifyPassword(request.body.newPassword, previous)) {
          throw await refusePassword(`choose a password different from your last ${PASSWORD_HISTORY} passwords`, { code: 'password.usedBefore', params: { count: PASSWORD_HISTORY } });
        }
      }
      await users.setPassword(row.id, await hashPassword(request.body.newPassword), false);
      // Other sessions end; this one goes on with a fresh token.
      await users.endAllSessions(row.id);
      const token = await users.createSession(row.id, { ip: request.ip, userAgent: request.headers['user-agent'] ?? null, absoluteHours: options.sessionAbsoluteHours });
      setSessionCookie(reply, token);
      await auditAs(request, 'auth.password_change', true);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/auth/totp/setup',
    {
      config: { access: { roles: STAFF, duringSetup: true } },
      schema: {
        tags: ['auth'],
        summary: 'Start enrolling an authenticator app: a new secret, confirmed by /api/auth/totp/enable',
        response: { 200: Type.Object({ secret: Type.String(), uri: Type.String() }) },
      },
    },
    async (request) => {
      const secret = newTotpSecret();
      await users.setPendingTotp(request.user!.id, secret);
      await auditAs(request, 'auth.totp_setup', true);
      return { secret, uri: totpUri(secret, request.user!.username) };
    },
  );

  app.post(
    '/api/auth/totp/enable',
    {
      config: { access: { roles: STAFF, duringSetup: true } },
      schema: {
        tags: ['auth'],
        summary: 'Confirm enrolment with one code of the authenticator app',
        body: Type.Object({ code: Type.String({ pattern: '^[0-9]{6}$' }) }),
        response: { 204: Type.Null(), 400: ErrorReply },
      },
    },
    async (request, reply) => {
      const row = (await users.byId(request.user!.id))!;
      if (!row.totp_pending_secret) throw badRequest('auth.totpSetupFirst');
      const step = totpStep(row.totp_pending_secret, request.body.code);
      if (step === null) {
        await auditAs(request, 'auth.totp_enable', false);
        throw badRequest('auth.totpCodeMismatch');
      }
      await users.enableTotp(row.id);
      await users.acceptTotpStep(row.id, step);
      await auditAs(request, 'auth.totp_enable', true);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/auth/totp/disable',
    {
      config: { access: { roles: STAFF } },
      schema: {
        tags: ['auth'],
        summary: 'Remove the second factor (not for admins where it is required)',
        body: Type.Object({ code: Type.String({ pattern: '^[0-9]{6}$' }) }),
        response: { 204: Type.Null(), 400: ErrorReply, 403: ErrorReply },
      },
    },
    async (request, reply) => {
      if (policy.totpRequiredForAdmins && request.user!.role === 'admin') throw forbidden('auth.adminsKeepTotp');
      const row = (await users.byId(request.user!.id))!;
      const step = row.totp_secret ? totpStep(row.totp_secret, request.body.code) : null;
      if (step === null || !(await users.acceptTotpStep(row.id, step))) throw badRequest('auth.totpCodeWrong');
      await users.disableTotp(row.id);
      await auditAs(request, 'auth.totp_disable', true);
      return reply.code(204).send(null);
    },
  );
};
