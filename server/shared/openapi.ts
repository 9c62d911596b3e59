/**
 * What @fastify/swagger needs beyond the routes' own schemas, so that the OpenAPI document is
 * complete for generated clients and linters:
 * - the security schemes (the session cookie, a personal access token as Bearer or as the
 *   password of HTTP Basic) and, per operation, the ones it takes (none for public routes);
 * - a request body for every upload: a route whose schema says `consumes: ['multipart/form-data']`
 *   is documented with its `file` part and text fields;
 * - an operationId on every operation: the route's own, else one made from method and path
 *   (GET /api/incidents/{id}/photos → getIncidentsIdPhotos), unique in the document;
 * - the servers.
 * Downloads declare their media types in their response schema with `downloadReply`.
 */
import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import { Type } from 'typebox';
import type { RouteAccess } from '../modules/auth/roles.js';

export const SECURITY_SCHEMES = {
  session: { type: 'apiKey', in: 'cookie', name: 'wangge_session', description: 'The session cookie set by POST /api/auth/login (browsers)' },
  bearerToken: { type: 'http', scheme: 'bearer', description: 'A personal access token (wgpat_…, created on /account): Authorization: Bearer <token>' },
  basicToken: { type: 'http', scheme: 'basic', description: 'HTTP Basic with the account name as user name and a personal access token as password (QGIS, GDAL)' },
} as const;

const STAFF_SECURITY = [{ session: [] }, { bearerToken: [] }, { basicToken: [] }];

/** The multipart body of an upload, as documented: the file part (`x-upload-field`, default "file") and text fields. */
const multipartBody = (field: string) => ({
  type: 'object',
  required: [field],
  properties: { [field]: { type: 'string', format: 'binary', description: 'The file (one per request)' } },
  additionalProperties: { type: 'string', description: 'The text fields the route describes' },
});

/** A 200 reply that is a file: its media types, each a binary body. */
export function downloadReply(mediaTypes: readonly string[], description: string) {
  return {
    description,
    content: Object.fromEntries(mediaTypes.map((m) => [m, { schema: Type.Unsafe<Uint8Array>({ type: 'string', format: 'binary' }) }])),
  };
}

export const openApiOptions: FastifyDynamicSwaggerOptions = {
  openapi: {
    info: { title: 'Wangge API', version: '0.1.0', description: 'Grid maps, service circles and incidents. GeoJSON per RFC 7946, WGS84.' },
    servers: [{ url: '/', description: 'The Wangge server this document was read from' }],
    components: { securitySchemes: SECURITY_SCHEMES as never },
  },
  transform({ schema, url, route }) {
    const access = (route.config as { access?: RouteAccess } | undefined)?.access;
    const documented: Record<string, unknown> = { ...(schema as Record<string, unknown> | undefined) };
    if (access) documented.security = 'public' in access ? [] : STAFF_SECURITY;
    const consumes = documented.consumes as string[] | undefined;
    if (consumes?.includes('multipart/form-data') && !documented.body) documented.body = multipartBody((documented['x-upload-field'] as string | undefined) ?? 'file');
    return { schema: documented as never, url };
  },
  transformObject(documentObject) {
    const document = ('openapiObject' in documentObject ? documentObject.openapiObject : documentObject.swaggerObject) as {
      paths?: Record<string, Record<string, { operationId?: string }>>;
    };
    const used = new Set<string>();
    for (const [path, operations] of Object.entries(document.paths ?? {})) {
      for (const [method, operation] of Object.entries(operations)) {
        if (typeof operation !== 'object' || operation === null || method === 'parameters') continue;
        let id = operation.operationId ?? operationIdOf(method, path);
        for (let n = 2; used.has(id); n++) id = `${operation.operationId ?? operationIdOf(method, path)}${n}`;
        operation.operationId = id;
        used.add(id);
      }
    }
    return document as never;
  },
};

/** get + /api/incidents/{id}/photos → getIncidentsIdPhotos. */
export function operationIdOf(method: string, path: string): string {
  const words = path
    .replace(/^\/api(?=\/|$)/, '')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1));
  return method.toLowerCase() + (words.join('') || 'Root');
}
