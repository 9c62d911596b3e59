/**
 * The ground under the maps, served by Wangge itself:
 * - `GET /api/basemap` (public): the installed offline basemap (MBTiles/PMTiles), or null;
 * - `POST /api/basemap` (admin): install one (multipart, streamed to disk, at most BASEMAP_MAX_BYTES),
 *   replacing the one before; `DELETE /api/basemap` (admin): remove it;
 * - `GET /api/basemap/tiles/{z}/{x}/{y}` (public): its tiles (204 where it has none, 404 when none is installed);
 * - `GET /api/glyphs/{fontstack}/{range}.pbf` (public): label glyphs built from the machine's fonts.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { Pool } from '../../db/pool.js';
import { badRequest, refuse } from '../../shared/errors.js';
import { ErrorReply } from '../../shared/geojson-schemas.js';
import { createAuditRepository } from '../audit/audit-repository.js';
import { isValidTile } from '../tiles/tile-math.js';
import { TileParams } from '../tiles/schemas.js';
import { BasemapStore } from './basemap-store.js';
import { createGlyphService } from './glyphs.js';
import { BasemapInfoSchema, InstalledBasemap } from './schemas.js';

export interface BasemapRoutesOptions {
  pool: Pool;
  store: BasemapStore;
  glyphsDir: string;
}

const ADMIN = { access: { roles: ['admin'] as const } };
const PUBLIC = { access: { public: true as const } };

export const basemapRoutes: FastifyPluginAsyncTypebox<BasemapRoutesOptions> = async (app, { pool, store, glyphsDir }) => {
  const audit = createAuditRepository(pool);
  const glyphs = createGlyphService(glyphsDir);
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
        response: { 200: Type.Unsafe<Uint8Array>({ type: 'string', format: 'binary' }), 400: ErrorReply, 404: ErrorReply },
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
        summary: 'Label glyphs (SDF protocol buffer) of 256 code points, e.g. /api/glyphs/Noto Sans CJK SC Regular/19968-20223.pbf',
        params: Type.Object({ fontstack: Type.String({ maxLength: 200 }), range: Type.String({ maxLength: 20 }) }),
        response: { 200: Type.Unsafe<Uint8Array>({ type: 'string', format: 'binary' }), 400: ErrorReply, 404: ErrorReply },
      },
    },
    async (request, typedReply) => {
      const reply = typedReply as unknown as FastifyReply;
      const { fontstack, range } = request.params;
      if (!range.endsWith('.pbf')) throw refuse(404, 'basemap.glyphSuffix', { range });
      const pbf = await glyphs.range(fontstack, range.slice(0, -'.pbf'.length));
      return reply.header('Content-Type', 'application/x-protobuf').header('Cache-Control', 'public, max-age=86400').send(pbf);
    },
  );
};
