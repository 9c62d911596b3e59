/**
 * Builds the Wangge app from plugins: configuration and the database pool come in, nothing here
 * reads the environment. `server.ts` only starts what this builds.
 */
import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from './config.js';
import type { Pool } from './db/pool.js';
import { badRequest, forbidden, HttpError } from './shared/errors.js';
import { repoRoot, webDistDir } from './paths.js';
import { openApiOptions } from './shared/openapi.js';
import { accessPlugin } from './modules/auth/access-plugin.js';
import { authRoutes } from './modules/auth/routes.js';
import { createUsersRepository } from './modules/auth/users-repository.js';
import { createAccessTokensRepository } from './modules/auth/access-tokens-repository.js';
import { accessTokenRoutes } from './modules/auth/token-routes.js';
import { ogcRoutes } from './modules/ogc/routes.js';
import { createAuditRepository } from './modules/audit/audit-repository.js';
import { auditRefusedWrites } from './modules/audit/refused-writes.js';
import { crossSiteRefusal } from './modules/auth/cross-site.js';
import { INPUT_ERROR_CODES, nulCharacterPath } from './shared/request-text.js';
import { validationRefusal } from './shared/validation-refusal.js';
import { databaseFault } from './shared/database-faults.js';
import { renderRefusal } from './shared/refusals.js';
import { auditRoutes } from './modules/audit/routes.js';
import { usersRoutes } from './modules/users/routes.js';
import { setupRoutes } from './modules/setup/routes.js';
import { healthRoutes } from './modules/health/routes.js';
import { areasRoutes } from './modules/areas/routes.js';
import { areaOutlineRoutes } from './modules/areas/outline-routes.js';
import { outlineImportRoutes } from './modules/areas/outline-import-routes.js';
import { populationRoutes } from './modules/population/routes.js';
import { buildingRoutes } from './modules/buildings/routes.js';
import { gridsRoutes } from './modules/grids/routes.js';
import { facilitiesRoutes } from './modules/facilities/routes.js';
import { createFacilitiesRepository } from './modules/facilities/facilities-repository.js';
import { facilityEditingRoutes } from './modules/facilities/editing-routes.js';
import { coverageRoutes } from './modules/coverage/routes.js';
import { networkRoutes } from './modules/network/routes.js';
import { clientConfigRoutes } from './modules/client-config/routes.js';
import { incidentsRoutes } from './modules/incidents/routes.js';
import { exportsRoutes } from './modules/exports/routes.js';
import { createTileInvalidation, tilesRoutes } from './modules/tiles/routes.js';
import { basemapRoutes } from './modules/basemap/routes.js';
import { BasemapStore } from './modules/basemap/basemap-store.js';

export interface AppOptions {
  config: Config;
  pool: Pool;
  /** Serve the built web app from web/dist (off in API-only tests). */
  serveWeb?: boolean;
  /** Where logs go (default stdout); tests read them to prove what is never logged. */
  logStream?: { write(line: string): void };
}

/** The largest file an import accepts. */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

/** PostgreSQL error codes and socket errors that mean "the database is not there right now". */

export async function buildApp({ config, pool, serveWeb = true, logStream }: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: config.LOG_LEVEL,
      // Never log credentials or session tokens.
      redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
      ...(logStream ? { stream: logStream } : {}),
    },
    // Behind a reverse proxy (TRUST_PROXY): the client address, scheme and host of absolute URLs
    // (TileJSON, OGC API links) come from X-Forwarded-For/-Proto/-Host.
    trustProxy: config.TRUST_PROXY,
    bodyLimit: 1024 * 1024,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Graceful stop: once shutdown begins, new requests get 503 (and /health tells load balancers)
  // for SHUTDOWN_DRAIN_MS, then the listener closes and the requests in flight finish.
  let draining = false;
  app.decorate('shutdown', async () => {
    draining = true;
    await new Promise((resolve) => setTimeout(resolve, config.SHUTDOWN_DRAIN_MS));
    await app.close();
  });
  app.addHook('onRequest', async (_request, reply) => {
    if (draining) {
      return reply.code(503).header('Connection', 'close').header('Retry-After', '10').send({ statusCode: 503, error: 'Service Unavailable', message: 'Wangge is shutting down' });
    }
  });

  // A successful write answers only once the tiles it touched are out of the tile cache (the
  // database announces them at commit, asynchronously), so a map that refreshes its tiles on the
  // answer never gets one from before the edit. Added before any route, so that it applies to the
  // writes of every module.
  const tileInvalidation = createTileInvalidation(pool, app.log);
  app.addHook('onSend', async (request, reply, payload) => {
    if (!SAFE_METHODS.has(request.method) && reply.statusCode < 400) await tileInvalidation.listener.sync();
    return payload;
  });

  const users = createUsersRepository(pool);
  const audit = createAuditRepository(pool);
  const facilities = createFacilitiesRepository(pool);
  const tokens = createAccessTokensRepository(pool);

  // Failed writes are audited (one row per refused state-changing request; see refused-writes.ts).
  auditRefusedWrites(app, audit);

  // PostgreSQL stores no NUL character: refuse it in any JSON value, query or path parameter,
  // with where it was, instead of a database error.
  app.addHook('preValidation', async (request) => {
    const where = nulCharacterPath(request.params, 'params') ?? nulCharacterPath(request.query, 'querystring') ?? nulCharacterPath(request.body, 'body');
    if (where) throw badRequest('request.nulCharacter', { where });
  });

  await app.register(cookie);
  // Uploads (imports): one file per request, bounded in size; routes read it with request.file().
  await app.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 20, parts: 21 } });
  await app.register(swagger, openApiOptions);
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  await app.register(helmet, { contentSecurityPolicy: { directives: contentSecurityPolicy(config) } });
  // Limits are per route (config.rateLimit): login, and the expensive analysis/import endpoints.
  await app.register(rateLimit, { global: false });
  const policy = {
    passwordMaxAgeDays: config.PASSWORD_MAX_AGE_DAYS,
    totpRequiredForAdmins: config.TOTP_REQUIRED_FOR_ADMINS ?? !config.DEMO,
  };
  await app.register(accessPlugin, {
    users,
    idleMinutes: config.SESSION_IDLE_MINUTES,
    policy,
    isThirdPartyRoute: (url) => url.startsWith('/docs') || url === '/*',
    tokens,
    audit,
    tokenFailuresPerMinute: config.LOGIN_RATE_PER_MINUTE,
  });

  // Cross-site state-changing requests are refused before any route looks at them (after the
  // session is read, so that the refusal's audit row names the user whose cookie was carried).
  app.addHook('onRequest', async (request) => {
    const refusal = crossSiteRefusal(request);
    if (refusal) throw forbidden(refusal.code, refusal.params);
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof HttpError) {
      return reply.code(error.statusCode).send({
        statusCode: error.statusCode,
        error: httpErrorName(error.statusCode),
        message: error.message,
        ...(error.details === undefined ? {} : { details: error.details }),
        ...(error.code === undefined ? {} : { code: error.code, params: error.params ?? {} }),
      });
    }
    if (error.validation) {
      return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: error.message, ...validationRefusal(error.validation, error.validationContext) });
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.code(error.statusCode).send({ statusCode: error.statusCode, error: httpErrorName(error.statusCode), message: error.message });
    }
    if (error.code && INPUT_ERROR_CODES[error.code]) {
      // A value of the request that the database refused (the checks above should have caught it).
      request.log.warn({ code: error.code, route: request.routeOptions.url }, 'input refused by the database');
      return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: `${INPUT_ERROR_CODES[error.code]} (${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]})` });
    }
    const fault = databaseFault(error);
    if (fault === 'node') {
      // Distributed mode: a Citus worker is down. Which one goes to the log, not to the client.
      request.log.error({ code: error.code, node: (error as { where?: string }).where ?? error.message }, 'database node unavailable');
      const code = 'database.nodeUnavailable' as const;
      return reply.code(503).header('Retry-After', '5').send({ statusCode: 503, error: 'Service Unavailable', message: renderRefusal(code, {}), code, params: {} });
    }
    if (fault === 'database') {
      request.log.error({ code: error.code }, 'database unavailable');
      const code = 'database.unavailable' as const;
      return reply.code(503).header('Retry-After', '5').send({ statusCode: 503, error: 'Service Unavailable', message: renderRefusal(code, {}), code, params: {} });
    }
    request.log.error({ err: error }, 'unexpected error');
    return reply.code(500).send({ statusCode: 500, error: 'Internal Server Error', message: 'Something went wrong on the server' });
  });

  await app.register(healthRoutes, { pool });
  const basemapStore = new BasemapStore(config.BASEMAP_DIR ?? path.join(repoRoot, '.data', 'basemaps'), config.BASEMAP_MAX_BYTES);
  await app.register(clientConfigRoutes, {
    installedBasemap: () => basemapStore.current(),
    config: {
      demoMode: config.DEMO,
      basemap: { tiandituKey: config.TIANDITU_KEY ?? null, styleUrl: config.BASEMAP_STYLE_URL ?? null },
    },
  });
  await app.register(authRoutes, {
    users,
    audit,
    policy,
    sessionAbsoluteHours: config.SESSION_ABSOLUTE_HOURS,
    cookieSecure: config.COOKIE_SECURE,
    maxLoginFailures: config.LOGIN_MAX_FAILURES,
    lockMinutes: config.LOGIN_LOCK_MINUTES,
    loginRatePerMinute: config.LOGIN_RATE_PER_MINUTE,
  });
  await app.register(setupRoutes, {
    pool,
    users,
    audit,
    policy,
    sessionAbsoluteHours: config.SESSION_ABSOLUTE_HOURS,
    cookieSecure: config.COOKIE_SECURE,
    ratePerMinute: config.LOGIN_RATE_PER_MINUTE,
  });
  await app.register(usersRoutes, { pool, users, audit });
  await app.register(accessTokenRoutes, { tokens, audit });
  await app.register(ogcRoutes, { pool });
  await app.register(auditRoutes, { pool, audit });
  await app.register(areasRoutes, { pool, audit });
  await app.register(areaOutlineRoutes, { pool, expensiveRatePerMinute: config.EXPENSIVE_RATE_PER_MINUTE });
  await app.register(outlineImportRoutes, { pool, expensiveRatePerMinute: config.EXPENSIVE_RATE_PER_MINUTE });
  await app.register(populationRoutes, { pool, expensiveRatePerMinute: config.EXPENSIVE_RATE_PER_MINUTE });
  await app.register(buildingRoutes, { pool, expensiveRatePerMinute: config.EXPENSIVE_RATE_PER_MINUTE });
  await app.register(gridsRoutes, { pool, expensiveRatePerMinute: config.EXPENSIVE_RATE_PER_MINUTE });
  await app.register(facilitiesRoutes, { facilities, expensiveRatePerMinute: config.EXPENSIVE_RATE_PER_MINUTE });
  await app.register(facilityEditingRoutes, { pool, audit, facilities, expensiveRatePerMinute: config.EXPENSIVE_RATE_PER_MINUTE });
  await app.register(coverageRoutes, { pool, audit, expensiveRatePerMinute: config.EXPENSIVE_RATE_PER_MINUTE });
  await app.register(networkRoutes, { pool, audit, expensiveRatePerMinute: config.EXPENSIVE_RATE_PER_MINUTE });
  await app.register(incidentsRoutes, { pool, audit, expensiveRatePerMinute: config.EXPENSIVE_RATE_PER_MINUTE });
  await app.register(exportsRoutes, { pool, audit, expensiveRatePerMinute: config.EXPENSIVE_RATE_PER_MINUTE, maxIncidents: config.EXPORT_MAX_INCIDENTS });
  await app.register(tilesRoutes, { pool, invalidation: tileInvalidation });
  await app.register(basemapRoutes, { pool, store: basemapStore, glyphsDir: config.GLYPHS_DIR ?? path.join(repoRoot, '.data', 'glyphs') });

  if (serveWeb) registerWeb(app);
  else app.setNotFoundHandler((request, reply) => reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `No route ${request.method} ${request.url}` }));
  return app;
}

/** The built single-page app: files from web/dist, and index.html for its client-side routes. */
function registerWeb(app: FastifyInstance) {
  const indexFile = path.join(webDistDir, 'index.html');
  if (!fs.existsSync(indexFile)) {
    throw new Error('The web app is not built (web/dist/index.html is missing): run `npm run build`.');
  }
  // Built files come precompressed (brotli and gzip copies beside each, written by the build):
  // the copy the browser accepts is sent as it is. Hashed assets never change under their name and
  // are cached for a year; index.html and the other unhashed files are revalidated (ETag) each time.
  const assetsDir = path.join(webDistDir, 'assets') + path.sep;
  app.register(fastifyStatic, {
    root: webDistDir,
    wildcard: true,
    index: false,
    preCompressed: true,
    cacheControl: false,
    setHeaders: (reply, file) => {
      reply.header('Cache-Control', file.startsWith(assetsDir) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  // The app's own page at '/': the static plugin would answer a directory request with 403.
  app.get('/', { config: { access: { public: true } }, schema: { hide: true } }, (_request, reply) =>
    reply.type('text/html').header('Cache-Control', 'no-cache').sendFile('index.html'),
  );
  app.setNotFoundHandler((request, reply) => {
    const isPage = request.method === 'GET' && !request.url.startsWith('/api/') && (request.headers.accept ?? '').includes('text/html');
    if (isPage) return reply.type('text/html').header('Cache-Control', 'no-cache').sendFile('index.html');
    return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `No route ${request.method} ${request.url}` });
  });
}

/**
 * Content-Security-Policy: everything from this origin; map tiles and styles also from Tianditu
 * and the configured style's origin; MapLibre's worker and canvas images as blob:/data:.
 */
function contentSecurityPolicy(config: Config) {
  const mapOrigins = ['https://*.tianditu.gov.cn'];
  if (config.BASEMAP_STYLE_URL) mapOrigins.push(new URL(config.BASEMAP_STYLE_URL).origin);
  return {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:', 'blob:', ...mapOrigins],
    connectSrc: ["'self'", ...mapOrigins],
    workerSrc: ["'self'", 'blob:'],
    fontSrc: ["'self'", 'data:'],
    objectSrc: ["'none'"],
    frameAncestors: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    // Served over plain HTTP on 127.0.0.1 too: do not rewrite its requests to https.
    upgradeInsecureRequests: null,
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyInstance {
    /** Begins a graceful stop: refuse new requests with 503, let in-flight ones finish, close. */
    shutdown(): Promise<void>;
  }
}

function httpErrorName(status: number): string {
  const names: Record<number, string> = {
    400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict',
    413: 'Payload Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Entity', 429: 'Too Many Requests',
  };
  return names[status] ?? 'Error';
}
