/**
 * Admin's management of staff accounts: list, create (with a one-time password that must be
 * changed at first login), change role/scope, disable (ends every session), reset a password,
 * end a user's sessions.
 */
import crypto from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { ErrorReply } from '../../shared/geojson-schemas.js';
import { badRequest, conflict, notFound } from '../../shared/errors.js';
import type { AuditRepository } from '../audit/audit-repository.js';
import { hashPassword } from '../auth/password.js';
import { passwordProblem } from '../auth/password-policy.js';
import { RoleSchema } from '../auth/roles.js';
import type { UsersRepository } from '../auth/users-repository.js';
import { RowId } from '../../shared/schema-helpers.js';
import type { Pool } from '../../db/pool.js';
import { withTransaction } from '../../db/pool.js';
import { setServedGrids } from '../grids/staff-links.js';

const ADMIN = { access: { roles: ['admin'] as const } };

export const UserSummary = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  role: RoleSchema,
  scopeAreaCode: Type.Union([Type.String(), Type.Null()]),
  isActive: Type.Boolean(),
  mustChangePassword: Type.Boolean(),
  totpEnabled: Type.Boolean(),
  lockedUntil: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  activeSessions: Type.Integer(),
  /** Grid-worker accounts: the live grids they serve (their posts in grid_staff). */
  grids: Type.Array(
    Type.Object({
      gridId: Type.Integer(),
      code: Type.String(),
      name: Type.String(),
      communityCode: Type.String(),
      role: Type.Union([Type.Literal('leader'), Type.Literal('manager')]),
    }),
  ),
});

export type UserSummary = Static<typeof UserSummary>;

const UserIdParams = Type.Object({ id: RowId });

/** A one-time password that meets the policy: shown once to the admin, changed at first login. */
function temporaryPassword(): string {
  for (;;) {
    const candidate = `${crypto.randomBytes(9).toString('base64url')}-${crypto.randomInt(10, 99)}a`;
    if (!passwordProblem(candidate)) return candidate;
  }
}

export const usersRoutes: FastifyPluginAsyncTypebox<{ pool: Pool; users: UsersRepository; audit: AuditRepository }> = async (app, { pool, users, audit }) => {
  const record = (request: { user: { id: number; username: string } | null; ip: string }, action: string, targetId: number | string, success: boolean, detail?: Record<string, unknown>) =>
    audit.record({ actorUserId: request.user!.id, actorUsername: request.user!.username, action, targetType: 'user', targetId, ip: request.ip, success, detail });

  app.get(
    '/api/admin/users',
    { config: ADMIN, schema: { tags: ['admin'], summary: 'Staff accounts', response: { 200: Type.Array(UserSummary) } } },
    async () => users.list(),
  );

  app.post(
    '/api/admin/users',
    {
      config: ADMIN,
      schema: {
        tags: ['admin'],
        summary: 'Create a staff account; returns a one-time password to hand over (changed at first login)',
        body: Type.Object({
          username: Type.String({ pattern: '^[a-zA-Z0-9_.-]{3,64}$' }),
          displayName: Type.String({ minLength: 1, maxLength: 100 }),
          role: RoleSchema,
          scopeAreaCode: Type.Optional(Type.Union([Type.String({ pattern: '^[0-9]{9}([0-9]{3})?$' }), Type.Null()])),
        }),
        response: { 201: Type.Object({ id: Type.Integer(), temporaryPassword: Type.String() }), 400: ErrorReply, 409: ErrorReply },
      },
    },
    async (request, reply) => {
      const { username, displayName, role, scopeAreaCode } = request.body;
      if (await users.byUsername(username)) throw conflict('users.usernameTaken', { username });
      if (scopeAreaCode && !(await users.areaExists(scopeAreaCode))) throw badRequest('users.noArea', { area: scopeAreaCode });
      const password = temporaryPassword();
      const id = await users.create({ username, displayName, role, passwordHash: await hashPassword(password), mustChangePassword: true, scopeAreaCode: scopeAreaCode ?? null });
      await record(request, 'user.create', id, true, { role, scopeAreaCode: scopeAreaCode ?? null });
      return reply.code(201).send({ id, temporaryPassword: password });
    },
  );

  app.patch(
    '/api/admin/users/:id',
    {
      config: ADMIN,
      schema: {
        tags: ['admin'],
        summary: "Change a user's role, scope, name or whether the account is active (disabling ends its sessions)",
        params: UserIdParams,
        body: Type.Object(
          {
            displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
            role: Type.Optional(RoleSchema),
            scopeAreaCode: Type.Optional(Type.Union([Type.String({ pattern: '^[0-9]{9}([0-9]{3})?$' }), Type.Null()])),
            isActive: Type.Optional(Type.Boolean()),
            unlock: Type.Optional(Type.Boolean()),
          },
          { minProperties: 1 },
        ),
        response: { 200: UserSummary, 400: ErrorReply, 404: ErrorReply },
      },
    },
    async (request) => {
      const { id } = request.params;
      if (!(await users.byId(id))) throw notFound('users.notFound', { id });
      if (id === request.user!.id && (request.body.isActive === false || (request.body.role && request.body.role !== 'admin'))) {
        throw badRequest('users.notYourself');
      }
      if (request.body.scopeAreaCode && !(await users.areaExists(request.body.scopeAreaCode))) {
        throw badRequest('users.noArea', { area: request.body.scopeAreaCode });
      }
      await users.update(id, request.body);
      if (request.body.isActive === false) await users.endAllSessions(id);
      await record(request, 'user.update', id, true, { fields: Object.keys(request.body) });
      return (await users.list()).find((u) => u.id === id)!;
    },
  );

  app.post(
    '/api/admin/users/:id/reset-password',
    {
      config: ADMIN,
      schema: {
        tags: ['admin'],
        summary: 'Set a new one-time password (changed at next login); ends the user’s sessions',
        params: UserIdParams,
        response: { 200: Type.Object({ temporaryPassword: Type.String() }), 404: ErrorReply },
      },
    },
    async (request) => {
      const { id } = request.params;
      if (!(await users.byId(id))) throw notFound('users.notFound', { id });
      const password = temporaryPassword();
      await users.setPassword(id, await hashPassword(password), true);
      await users.endAllSessions(id);
      await record(request, 'user.reset_password', id, true);
      return { temporaryPassword: password };
    },
  );

  app.post(
    '/api/admin/users/:id/end-sessions',
    {
      config: ADMIN,
      schema: { tags: ['admin'], summary: "End every session of a user", params: UserIdParams, response: { 200: Type.Object({ ended: Type.Integer() }), 404: ErrorReply } },
    },
    async (request) => {
      const { id } = request.params;
      if (!(await users.byId(id))) throw notFound('users.notFound', { id });
      const ended = await users.endAllSessions(id);
      await record(request, 'user.end_sessions', id, true, { ended });
      return { ended };
    },
  );

  app.put(
    '/api/admin/users/:id/grids',
    {
      config: ADMIN,
      schema: {
        tags: ['admin'],
        summary: 'Set the grids a grid-worker account serves: its reach (reports, incidents) follows at once; each grid touched gets a new version',
        params: UserIdParams,
        body: Type.Object({
          grids: Type.Array(
            Type.Object({
              code: Type.String({ pattern: '^[0-9]{15}$' }),
              role: Type.Optional(Type.Union([Type.Literal('leader'), Type.Literal('manager')], { description: 'for a grid it joins; default manager' })),
            }),
            { maxItems: 200 },
          ),
        }),
        response: { 200: UserSummary, 400: ErrorReply, 404: ErrorReply, 409: ErrorReply },
      },
    },
    async (request) => {
      const { id } = request.params;
      await withTransaction(pool, async (client) => {
        const changes = await setServedGrids(client, { user: request.user!, ip: request.ip }, id, request.body.grids);
        await audit.record(
          { actorUserId: request.user!.id, actorUsername: request.user!.username, action: 'user.grids', targetType: 'user', targetId: id, ip: request.ip, success: true, detail: changes },
          client,
        );
      });
      return (await users.list()).find((u) => u.id === id)!;
    },
  );
};
