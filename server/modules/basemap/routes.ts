/**
 * The ground under the maps, served by Wangge itself:
 * - `GET /api/basemap` (public): the installed offline basemap (MBTiles/PMTiles), or null;
 * - `POST /api/basemap` (admin): install one (multipart, streamed to disk, at most BASEMAP_MAX_BYTES),
 *   replacing the one before; `DELETE /api/basemap` (admin): remove it;
 * - `GET /api/basemap/tiles/{z}/{x}/{y}` (public): its tiles (204 where it has none, 404 when none is installed);
 * - `GET /api/glyphs/{fontstack}/{range}.pbf` (public): label glyphs built from the machine's fonts.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { Pool } from '../../db/pool.js';
import { badRequest, refuse } from '../../shared/errors.js';
import { ErrorReply } from '../../shared/geojson-schemas.js';
import { createAuditRepository } from '../audit/audit-repository.js';
import { isValidTile } from '../tiles/tile-math.js';
import { TileParams } from '../tiles/schemas.js';
import { BasemapStore } from './basemap-store.js';
import { glyphServiceFor } from './glyphs.js';
import { BasemapInfoSchema, InstalledBasemap } from './schemas.js';
import { downloadReply } from '../../shared/openapi.js';

export interface BasemapRoutesOptions {
  pool: Pool;
  store: BasemapStore;
  glyphsDir: string;
}

const ADMIN = { access: { roles: ['admin'] as const } };
const PUBLIC = { access: { public: true as const } };

const gzip = promisify(zlib.gzip);
/** Gzipped glyph ranges kept in memory (a CJK range is ≈200 KB as built, ≈145 KB gzipped). */
const GZIPPED_GLYPHS_KEPT = 128;

export const basemapRoutes: FastifyPluginAsyncTypebox<BasemapRoutesOptions> = async (app, { pool, store, glyphsDir }) => {
  const audit = createAuditRepository(pool);
  const glyphs = glyphServiceFor(glyphsDir);
  // Glyph ranges compress by about a third: sent gzipped to browsers that accept it (all do).
  const gzippedGlyphs = new Map<string, Buffer>();
  app.addHook('onClose', async () => store.close());

  app.get(
    '/api/basemap',
    { config: PUBLIC, schema: { tags: ['basemap'], summary: 'The installed offline basemap (null when none)', response: { 200: InstalledBasemap } } },
    async () => ({ installed: await store.current(), maxBytes: store.maxBytes }),
  );

  app.post(
    '/api/basemap',
    {
      config: ADMIN,
      schema: {
        tags: ['basemap'],
        summary: 'Install an offline basemap: an MBTiles or PMTiles file (multipart field "file"), replacing the one installed',
        consumes: ['multipart/form-data'],
        response: { 201: BasemapInfoSchema, 400: ErrorReply, 413: ErrorReply, 415: ErrorReply },
      },
    },
    async (request, reply) => {
      const file = await request.file({ limits: { fileSize: store.maxBytes + 1, files: 1 } }).catch((error: Error) => {
        throw badRequest('basemap.notMultipart', { detail: error.message });
      });
      if (!file) throw badRequest('basemap.noFile');
      const info = await store.install(file.file, file.filename);
      await audit.record({
        actorUserId: request.user!.id,
        actorUsername: request.user!.username,
        action: 'basemap.install',
        targetType: 'basemap',
        targetId: info.format,
        ip: request.ip,
        success: true,
        detail: { name: info.name, fileName: info.fileName, bytes: info.bytes, tileType: info.tileType },
      });
      return reply.code(201).send(info);
    },
  );

  app.delete(
    '/api/basemap',
    { config: ADMIN, schema: { tags: ['basemap'], summary: 'Remove the installed offline basemap', response: { 200: Type.Object({ removed: Type.Boolean() }) } } },
    async (request) => {
      const before = await store.current();
      const removed = await store.remove();
      if (removed) {
        await audit.record({
          actorUserId: request.user!.id,
          actorUsername: request.user!.username,
          action: 'basemap.remove',
          targetType: 'basemap',
          targetId: before?.format ?? '',
          ip: request.ip,
          success: true,
          detail: { name: before?.name, fileName: before?.fileName },
        });
      }
      return { removed };
    },
  );

  app.get(
    '/api/basemap/tiles/:z/:x/:y',
    {
      config: PUBLIC,
      schema: {
        tags: ['basemap'],
        summary: 'A tile of the installed basemap (204 where it has none; 404 when none is installed)',
        params: TileParams,
        response: { 200: downloadReply(['application/vnd.mapbox-vector-tile', 'image/png', 'image/jpeg', 'image/webp', 'image/avif'], 'A basemap tile in the format of the installed file'), 400: ErrorReply, 404: ErrorReply },
      },
    },
    async (request, typedReply) => {
      const reply = typedReply as unknown as FastifyReply;
      const t = request.params;
      if (!isValidTile(t)) throw badRequest('basemap.noSuchTile', { z: t.z, x: t.x, y: t.y });
      const tile = await store.tile(t.z, t.x, t.y);
      reply.header('Cache-Control', 'public, no-cache');
      if (!tile) return reply.code(204).send();
      reply.header('Content-Type', tile.contentType);
      if (tile.contentEncoding) reply.header('Content-Encoding', tile.contentEncoding);
      return reply.send(tile.bytes);
    },
  );

  app.get(
    '/api/glyphs/:fontstack/:range',
    {
      config: PUBLIC,
      schema: {
        tags: ['basemap'],
        summary: 'Label glyphs (SDF protocol buffer) of 256 code points, e.g. /api/glyphs/Noto Sans CJK SC Regular/19968-20223.pbf; 204 (not cached) when the range is still being built after a few seconds',
        params: Type.Object({ fontstack: Type.String({ maxLength: 200 }), range: Type.String({ maxLength: 20 }) }),
        response: { 200: downloadReply(['application/x-protobuf'], 'SDF glyphs (protocol buffer)'), 204: Type.Null(), 400: ErrorReply, 404: ErrorReply },
      },
    },
    async (request, typedReply) => {
      const reply = typedReply as unknown as FastifyReply;
      const { fontstack, range } = request.params;
      if (!range.endsWith('.pbf')) throw refuse(404, 'basemap.glyphSuffix', { range });
      const pbf = await glyphs.range(fontstack, range.slice(0, -'.pbf'.length));
      // Still being built: an empty answer now, not a held request; not cached, so the next load has it.
      if (!pbf) return reply.code(204).header('Cache-Control', 'no-store').send();
      reply.header('Content-Type', 'application/x-protobuf').header('Cache-Control', 'public, max-age=86400').header('Vary', 'Accept-Encoding');
      if (!/\bgzip\b/i.test(String(request.headers['accept-encoding'] ?? ''))) return reply.send(pbf);
      const key = `${fontstack}/${range}`;
      let gzipped = gzippedGlyphs.get(key);
      if (!gzipped) {
        gzipped = await gzip(pbf, { level: 9 });
        if (gzippedGlyphs.size >= GZIPPED_GLYPHS_KEPT) gzippedGlyphs.delete(gzippedGlyphs.keys().next().value!);
        gzippedGlyphs.set(key, gzipped);
      }
      return reply.header('Content-Encoding', 'gzip').send(gzipped);
    },
  );
};
