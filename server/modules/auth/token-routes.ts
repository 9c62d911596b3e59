/**
 * `/api/account/tokens`: your own personal access tokens: list, create (the token is shown once),
 * revoke. Managed only from a logged-in session: a token cannot make or revoke tokens.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { badRequest, conflict, forbidden, notFound } from '../../shared/errors.js';
import { ErrorReply } from '../../shared/geojson-schemas.js';
import { RowId } from '../../shared/schema-helpers.js';
import type { AuditRepository } from '../audit/audit-repository.js';
import { MAX_LIVE_TOKENS, type AccessTokensRepository } from './access-tokens-repository.js';
import { STAFF } from './roles.js';
import { AccessTokenList, CreateAccessTokenBody, CreatedAccessToken } from './token-schemas.js';

export const accessTokenRoutes: FastifyPluginAsyncTypebox<{ tokens: AccessTokensRepository; audit: AuditRepository }> = async (app, { tokens, audit }) => {
  const ACCESS = { access: { roles: STAFF } };
  const sessionOnly = (request: FastifyRequest) => {
    if (request.credential?.kind !== 'session') throw forbidden('tokens.sessionOnly');
  };
  const record = (request: FastifyRequest, action: string, success: boolean, targetId?: number, detail?: Record<string, unknown>) =>
    audit.record({
      actorUserId: request.user!.id,
      actorUsername: request.user!.username,
      action,
      targetType: 'access_token',
      ...(targetId === undefined ? {} : { targetId }),
      ip: request.ip,
      success,
      detail,
    });

  app.get(
    '/api/account/tokens',
    {
      config: ACCESS,
      schema: {
        tags: ['auth'],
        summary: 'Your personal access tokens (never the tokens themselves): name, expiry, read-only, last use',
        response: { 200: AccessTokenList, 403: ErrorReply },
      },
    },
    async (request) => {
      sessionOnly(request);
      return { tokens: await tokens.list(request.user!.id) };
    },
  );

  app.post(
    '/api/account/tokens',
    {
      config: ACCESS,
      schema: {
        tags: ['auth'],
        summary: 'Create a personal access token for QGIS, GDAL or a script (Bearer, or the password of HTTP Basic); shown once',
        body: CreateAccessTokenBody,
        response: { 201: CreatedAccessToken, 400: ErrorReply, 403: ErrorReply, 409: ErrorReply },
      },
    },
    async (request, reply) => {
      sessionOnly(request);
      const user = request.user!;
      const name = request.body.name.trim();
      if (!name) throw badRequest('tokens.nameRequired');
      if (await tokens.nameTaken(user.id, name)) throw conflict('tokens.nameTaken', { name });
      if ((await tokens.liveCount(user.id)) >= MAX_LIVE_TOKENS) throw conflict('tokens.tooMany', { max: MAX_LIVE_TOKENS });
      const expiresAt = new Date(Date.now() + request.body.expiresInDays * 86_400_000);
      const created = await tokens.create(user.id, { name, expiresAt, readOnly: request.body.readOnly });
      await record(request, 'auth.token_create', true, created.id, { readOnly: request.body.readOnly, expiresInDays: request.body.expiresInDays });
      const info = (await tokens.list(user.id)).find((t) => t.id === created.id)!;
      return reply.code(201).send({ token: created.token, info });
    },
  );

  app.delete(
    '/api/account/tokens/:id',
    {
      config: ACCESS,
      schema: {
        tags: ['auth'],
        summary: 'Revoke one of your personal access tokens: it is refused (401) from now on',
        params: Type.Object({ id: RowId }),
        response: { 204: Type.Null(), 403: ErrorReply, 404: ErrorReply },
      },
    },
    async (request, reply) => {
      sessionOnly(request);
      const id = request.params.id;
      if (!(await tokens.revoke(request.user!.id, id))) {
        await record(request, 'auth.token_revoke', false, id, { reason: 'no such live token of yours' });
        throw notFound('tokens.notFound', { id });
      }
      await record(request, 'auth.token_revoke', true, id);
      return reply.code(204).send(null);
    },
  );
};
