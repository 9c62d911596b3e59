/**
 * Builds the Wangge app from plugins: configuration and the database pool come in, nothing here
 * reads the environment. `server.ts` only starts what this builds.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { promisify } from 'node:util';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
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
import { badRequest, forbidden, HttpError, refuse } from './shared/errors.js';
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
import { nulCharacterPath } from './shared/request-text.js';
import { validationRefusal } from './shared/validation-refusal.js';
import { noRouteRefusal, preferredLanguage, renderRefusalIn, requestRefusal, type RequestRefusal } from './shared/request-refusals.js';
import { databaseFault } from './shared/database-faults.js';
import { renderRefusal, type RefusalCode, type RefusalParams } from './shared/refusals.js';
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
/** One file per multipart request, with a few form fields beside it. */
const UPLOAD_LIMITS = { files: 1, fields: 20 };

/**
 * The reply of a refusal: status, the English message (for API users), the catalogue code and its
 * parameters (the web renders them in the user's language). OGC API replies also carry
 * `description` (OGC's exception shape, code + description) in the language the client asks for
 * with Accept-Language, English otherwise.
 */
function refusalBody(request: FastifyRequest, status: number, code: RefusalCode, params: RefusalParams, message = renderRefusal(code, params)) {
  const body: Record<string, unknown> = { statusCode: status, error: httpErrorName(status), message, code, params };
  if (request.url === '/ogc' || request.url.startsWith('/ogc/') || request.url.startsWith('/ogc?')) {
    body.description = renderRefusalIn(code, params, preferredLanguage(request.headers['accept-language']));
  }
  return body;
}

function sendRefusal(request: FastifyRequest, reply: FastifyReply, refusal: RequestRefusal) {
  return reply.code(refusal.status).send(refusalBody(request, refusal.status, refusal.code, refusal.params));
}

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
    // A URL that cannot be decoded (a broken %-escape) is refused like any other request.
    frameworkErrors: (error, request, reply) => {
      const [code, params]: [RefusalCode, RefusalParams] = error.code === 'FST_ERR_BAD_URL' ? ['request.badUrl', { url: request.url.slice(0, 200) }] : ['request.other', { detail: error.message }];
      void (reply as FastifyReply).code(400).send(refusalBody(request as FastifyRequest, 400, code, params));
    },
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
      return reply.code(503).header('Connection', 'close').header('Retry-After', '10').send(refusalBody(_request, 503, 'server.shuttingDown', {}));
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
  await app.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: UPLOAD_LIMITS.files, fields: UPLOAD_LIMITS.fields, parts: UPLOAD_LIMITS.fields + 1 } });
  await app.register(swagger, openApiOptions);
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  await app.register(helmet, { contentSecurityPolicy: { directives: contentSecurityPolicy(config) } });
  // JSON answers (GeoJSON too) of 1 KB and more go out compressed to a client that accepts it.
  app.addHook('onSend', compressJson);
  app.addHook('onSend', async (request, reply, payload) => {
    trimNonDocumentHeaders(request, reply);
    return payload;
  });
  // Limits are per route (config.rateLimit): login, and the expensive analysis/import endpoints.
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) => refuse(context.statusCode, 'request.rateLimited', { max: context.max, seconds: Math.max(1, Math.ceil(context.ttl / 1000)) }),
  });
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
      const body = error.code === undefined
        ? { statusCode: error.statusCode, error: httpErrorName(error.statusCode), message: error.message }
        : refusalBody(request, error.statusCode, error.code, error.params ?? {}, error.message);
      if (error.details !== undefined) Object.assign(body, { details: error.details });
      return reply.code(error.statusCode).send(body);
    }
    if (error.validation) {
      const { code, params } = validationRefusal(error.validation, error.validationContext);
      return reply.code(400).send(refusalBody(request, 400, code, params, error.message));
    }
    const refusal = requestRefusal(error, request, { fileSize: MAX_UPLOAD_BYTES, ...UPLOAD_LIMITS });
    if (refusal) {
      if (refusal.code === 'request.invalidInput') request.log.warn({ code: error.code, route: request.routeOptions.url }, 'input refused by the database');
      return reply.code(refusal.status).send(refusalBody(request, refusal.status, refusal.code, refusal.params));
    }
    const fault = databaseFault(error);
    if (fault === 'node') {
      // Distributed mode: a Citus worker is down. Which one goes to the log, not to the client.
      request.log.error({ code: error.code, node: (error as { where?: string }).where ?? error.message }, 'database node unavailable');
      return reply.code(503).header('Retry-After', '5').send(refusalBody(request, 503, 'database.nodeUnavailable', {}));
    }
    if (fault === 'database') {
      request.log.error({ code: error.code }, 'database unavailable');
      return reply.code(503).header('Retry-After', '5').send(refusalBody(request, 503, 'server.databaseUnavailable', {}));
    }
    request.log.error({ err: error }, 'unexpected error');
    return reply.code(500).send(refusalBody(request, 500, 'server.error', {}));
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
  else app.setNotFoundHandler((request, reply) => sendRefusal(request, reply, noRouteRefusal(request)));
  return app;
}

const brotliCompress = promisify(zlib.brotliCompress);
const gzipCompress = promisify(zlib.gzip);
const JSON_TYPE = /^application\/(?:[\w.+-]*\+)?json(?:;|$)/;

/** The encoding to answer with: brotli, else gzip, if the client accepts it (a q of 0 refuses). */
function acceptedEncoding(header: string | undefined): 'br' | 'gzip' | null {
  const accepted = new Set(
    (header ?? '')
      .split(',')
      .map((part) => part.trim().split(';'))
      .filter(([, q]) => !q || !/^\s*q=0(?:\.0*)?\s*$/.test(q))
      .map(([name]) => name!.trim().toLowerCase()),
  );
  return accepted.has('br') ? 'br' : accepted.has('gzip') ? 'gzip' : null;
}

/**
 * A JSON answer of 1 KB and more, compressed (brotli at a fast setting, else gzip) for a client
 * that accepts it. Tiles, the built web files (precompressed) and downloads are not JSON or set
 * their own encoding, and go out as they are.
 */
async function compressJson(request: FastifyRequest, reply: FastifyReply, payload: unknown) {
  if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
  if (reply.getHeader('content-encoding') || !JSON_TYPE.test(String(reply.getHeader('content-type') ?? ''))) return payload;
  const size = Buffer.byteLength(payload);
  if (size < 1024) return payload;
  const vary = reply.getHeader('vary');
  reply.header('Vary', vary ? `${String(vary)}, Accept-Encoding` : 'Accept-Encoding');
  const encoding = acceptedEncoding(request.headers['accept-encoding']);
  if (!encoding) return payload;
  const body =
    encoding === 'br'
      ? await brotliCompress(payload, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: size } })
      : await gzipCompress(payload);
  reply.header('Content-Encoding', encoding);
  reply.removeHeader('content-length');
  return body;
}

/** Helmet's headers that act only on a document (framing, opener, agent cluster) or on browsers long gone. */
const DOCUMENT_ONLY_HEADERS = ['x-frame-options', 'cross-origin-opener-policy', 'origin-agent-cluster', 'x-xss-protection', 'x-download-options', 'x-dns-prefetch-control', 'x-permitted-cross-domain-policies'];

/** Answers that are data or page code, never shown as a document: JSON, vector tiles, glyphs, scripts, styles. */
const NON_DOCUMENT_TYPE = /^\s*(application\/(json|geo\+json|problem\+json|vnd\.mapbox-vector-tile|x-protobuf|javascript)|text\/(css|javascript))\b/i;

/** The policy of an answer that is not a document: it may load nothing and be framed by nobody (OWASP's for APIs). */
const NON_DOCUMENT_POLICY = "default-src 'none'; frame-ancestors 'none'";

/**
 * Helmet gives every answer a page's headers. An answer that is data or a script (not a document)
 * gets a short policy that allows nothing instead of the page's, and none of the document-only
 * headers: ≈550 bytes less on each of the 20–40 answers a map page loads. nosniff, HSTS, CORP and
 * the referrer policy stay on every answer. Kept whole: pages (text/html, the OGC API's HTML too),
 * a module worker's script (a worker runs under the policy of its own script: MapLibre's worker
 * fetches tiles), downloads and other files, and 304s (a browser merges a 304's headers into the
 * page it has cached).
 */
function trimNonDocumentHeaders(request: FastifyRequest, reply: FastifyReply) {
  if (reply.statusCode === 304 || !NON_DOCUMENT_TYPE.test(String(reply.getHeader('content-type') ?? ''))) return;
  if (request.url.split('?')[0]!.endsWith('.mjs')) return;
  reply.header('Content-Security-Policy', NON_DOCUMENT_POLICY);
  for (const name of DOCUMENT_ONLY_HEADERS) reply.removeHeader(name);
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
      const hashed = file.startsWith(assetsDir);
      reply.header('Cache-Control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
      if (hashed) {
        // A hashed file is never revalidated: its validators are dropped (the headers of a script
        // or stylesheet are trimmed like any non-document's, trimNonDocumentHeaders).
        reply.removeHeader('etag');
        reply.removeHeader('last-modified');
      }
    },
  });
  // The app's own page at '/': the static plugin would answer a directory request with 403.
  app.get('/', { config: { access: { public: true } }, schema: { hide: true } }, (_request, reply) =>
    reply.type('text/html').header('Cache-Control', 'no-cache').sendFile('index.html'),
  );
  app.setNotFoundHandler((request, reply) => {
    const isPage = request.method === 'GET' && !request.url.startsWith('/api/') && (request.headers.accept ?? '').includes('text/html');
    if (isPage) return reply.type('text/html').header('Cache-Control', 'no-cache').sendFile('index.html');
    return sendRefusal(request, reply, noRouteRefusal(request));
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
    406: 'Not Acceptable', 423: 'Locked', 500: 'Internal Server Error', 503: 'Service Unavailable',
  };
  return names[status] ?? 'Error';
}
