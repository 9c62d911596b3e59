/**
 * The walking network: its status (pgRouting, what is loaded, the graph check), the road class
 * table, and the import (preview, then replace all or nothing) for planners and admins.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Pool } from '../../db/pool.js';
import { ErrorReply } from '../../shared/geojson-schemas.js';
import { notFound } from '../../shared/errors.js';
import { createJobRegistry, publicJob } from '../../shared/jobs.js';
import { MAX_PREVIEW_LINES, NetworkImportJob, NetworkPreview, NetworkSummary, type NetworkPreviewReply, type NetworkSummaryReply } from './schemas.js';
import type { AuditRepository } from '../audit/audit-repository.js';
import { chosenCrs, chosenEncoding, readUpload } from '../imports/upload.js';
import { rateLimit } from '../../shared/rate-limits.js';
import { createNetworkRepository } from './network-repository.js';
import { readRoadLines } from './road-lines.js';

const ACCESS = { access: { roles: ['planner', 'admin'] as const } };
const STAFF = { access: { roles: ['admin', 'planner', 'analyst', 'grid_worker'] as const } };
const FIELDS_HELP = 'crs, encoding, defaultClass (the road class of lines without one, e.g. residential) and async (true: answer 202 with a job to poll)';
const Loose = Type.Object({}, { additionalProperties: true });

export const networkRoutes: FastifyPluginAsyncTypebox<{ pool: Pool; audit: AuditRepository; expensiveRatePerMinute: number }> = async (app, { pool, audit, expensiveRatePerMinute }) => {
  const network = createNetworkRepository(pool);
  const IMPORT = { ...ACCESS, rateLimit: rateLimit(expensiveRatePerMinute) };
  const jobs = createJobRegistry<NetworkSummaryReply>({ maxRunningPerUser: 1, keepMs: 30 * 60 * 1000 });

  app.get('/api/network', {
    config: STAFF,
    schema: { tags: ['network'], summary: 'The walking network: pgRouting present or the command to install it, what is loaded, the distance method in use, and the graph check (islands, dangling ends, with their lengths and as GeoJSON)', response: { 200: Loose } },
  }, async () => network.status());

  app.get('/api/network/road-classes', {
    config: STAFF,
    schema: { tags: ['network'], summary: 'The road class table: which classes (OpenStreetMap highway values) are walkable', response: { 200: Type.Array(Loose) } },
  }, async () => network.roadClasses());

  async function read(request: FastifyRequest) {
    const upload = await readUpload(request, FIELDS_HELP);
    const { lines, format } = await readRoadLines(upload.bytes, upload.fileName, { crs: chosenCrs(upload), encoding: chosenEncoding(upload) });
    return { upload, lines, format };
  }

  app.post('/api/network/preview', {
    config: IMPORT,
    schema: {
      tags: ['network'],
      summary: 'Preview a road import (OpenStreetMap .osm.pbf, or lines in a zipped Shapefile, GeoJSON, GeoPackage, …): lines by class, walkable ones, and the graph check; writes nothing',
      consumes: ['multipart/form-data'],
      response: { 200: NetworkPreview, 400: ErrorReply, 403: ErrorReply },
    },
  }, async (request) => {
    const { upload, lines, format } = await read(request);
    const defaultClass = upload.field('defaultClass');
    const summary = await network.preview(lines, { source: upload.fileName, fileName: upload.fileName, defaultClass });
    // The file's lines for the map, coloured by walkable or left out as the counts say.
    const walkable = new Map(summary.byClass.map((c) => [c.roadClass, c.walkable]));
    const drawn = lines.slice(0, MAX_PREVIEW_LINES).map((l) => {
      const roadClass = l.roadClass !== null && walkable.has(l.roadClass) ? l.roadClass : (defaultClass ?? l.roadClass ?? '');
      return { type: 'Feature', geometry: { type: 'LineString', coordinates: l.coordinates }, properties: { roadClass, walkable: walkable.get(roadClass) ?? false, name: l.name } };
    });
    return { format, ...summary, drawn: { type: 'FeatureCollection', features: drawn }, drawnTruncated: lines.length > MAX_PREVIEW_LINES } as NetworkPreviewReply;
  });

  app.post('/api/network/import', {
    config: IMPORT,
    schema: {
      tags: ['network'],
      summary: 'Replace the walking network all or nothing; every walking service area and building joining point is recomputed with it (400 naming the lines, and nothing changed, when the file is unusable); async=true answers 202 with a job to poll',
      consumes: ['multipart/form-data'],
      response: { 200: NetworkSummary, 202: NetworkImportJob, 400: ErrorReply, 403: ErrorReply, 429: ErrorReply },
    },
  }, async (request, reply) => {
    const upload = await readUpload(request, FIELDS_HELP);
    const user = request.user!;
    const run = async (progress: (stage: string, done: number, total: number) => void): Promise<NetworkSummaryReply> => {
      progress('reading', 0, 4);
      const { lines, format } = await readRoadLines(upload.bytes, upload.fileName, { crs: chosenCrs(upload), encoding: chosenEncoding(upload) });
      const summary = await network.replace(lines, { source: upload.fileName, synthetic: false, fileName: upload.fileName, defaultClass: upload.field('defaultClass') }, async (db, s) => {
        await audit.record({ actorUserId: user.id, actorUsername: user.username, ip: request.ip, action: 'network.import', targetType: 'road_network', targetId: 1, success: true, detail: { fileName: upload.fileName, format, lines: s.lines, walkable: s.walkableLines } }, db);
      }, progress);
      progress('done', 4, 4);
      return { format, ...summary } as NetworkSummaryReply;
    };
    if (upload.field('async') !== 'true') return run(() => {});
    const job = jobs.start(user.id, run, (error) => request.log.error({ err: error }, 'network import failed'));
    return reply.code(202).send(publicJob(job));
  });

  app.get('/api/network/import-jobs/:id', {
    config: ACCESS,
    schema: {
      tags: ['network'],
      summary: 'A network import job: its stage, then the imported network or why nothing was imported',
      params: Type.Object({ id: Type.String({ pattern: '^[0-9a-f]{32}$' }) }),
      response: { 200: NetworkImportJob, 404: ErrorReply },
    },
  }, async (request) => {
    const job = jobs.get(request.params.id, request.user!.id);
    if (!job) throw notFound('network.noImportJob', { id: request.params.id });
    return publicJob(job);
  });
};
