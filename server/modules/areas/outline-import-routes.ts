/**
 * Outline import for planners and admins: preview, then commit all or nothing (synchronously,
 * or as a job with progress when the form says async=true), within the user's area.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Pool } from '../../db/pool.js';
import { badRequest, notFound } from '../../shared/errors.js';
import { ErrorReply } from '../../shared/geojson-schemas.js';
import { createJobRegistry, publicJob } from '../../shared/jobs.js';
import { chosenCrs, chosenEncoding, jsonField, readUpload } from '../imports/upload.js';
import { createOutlineImport, type OutlineImportRequest } from './outline-import.js';
import { OUTLINE_LEVELS, type OutlineLevel } from './outline-matching.js';
import { OutlineImportCommitResult, OutlineImportJob } from './outline-import-schemas.js';

const ACCESS = { access: { roles: ['planner', 'admin'] as const } };
const FIELDS_HELP = 'level, crs, encoding, codeField, nameField, matches ({"3": "410105001003"}), skips ([4, 7]) and reason';

const isMatches = (v: unknown): v is Record<string, string> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((c) => typeof c === 'string');
const isSkips = (v: unknown): v is number[] => Array.isArray(v) && v.every((n) => Number.isInteger(n));

async function readRequest(request: FastifyRequest): Promise<OutlineImportRequest & { async: boolean }> {
  const upload = await readUpload(request, FIELDS_HELP);
  const level = upload.field('level');
  if (level !== undefined && !(OUTLINE_LEVELS as readonly string[]).includes(level)) throw badRequest('areas.levelOneOf', { allowed: OUTLINE_LEVELS.join(', ') });
  return {
    bytes: upload.bytes,
    fileName: upload.fileName,
    level: level as OutlineLevel | undefined,
    crs: chosenCrs(upload),
    encoding: chosenEncoding(upload),
    codeField: upload.field('codeField'),
    nameField: upload.field('nameField'),
    matches: jsonField(upload, 'matches', 'an object of feature number → area code, {"3": "410105001003"}', isMatches),
    skips: jsonField(upload, 'skips', 'an array of feature numbers, [4, 7]', isSkips),
    reason: upload.field('reason'),
    async: upload.field('async') === 'true',
  };
}

export const outlineImportRoutes: FastifyPluginAsyncTypebox<{ pool: Pool; expensiveRatePerMinute: number }> = async (app, { pool, expensiveRatePerMinute }) => {
  // Reading a file with GDAL and checking outlines is expensive: limited like the other imports.
  const IMPORT = { ...ACCESS, rateLimit: { max: expensiveRatePerMinute, timeWindow: 60_000 } };
  const outlineImport = createOutlineImport(pool);
  const jobs = createJobRegistry<OutlineImportCommitResult>({ maxRunningPerUser: 1, keepMs: 30 * 60 * 1000 });

  app.post('/api/area-import/preview', {
    config: IMPORT,
    schema: {
      tags: ['areas'],
      summary: 'Preview an outline import (zipped Shapefile, GeoJSON, KML/KMZ, GeoPackage, …): each feature matched to a district, street or community by code or name, unmatched and ambiguous ones listed, validation; writes nothing',
      consumes: ['multipart/form-data'],
      response: { 200: Type.Object({}, { additionalProperties: true }), 400: ErrorReply, 403: ErrorReply },
    },
  }, async (request) => {
    const { async: _async, ...importRequest } = await readRequest(request);
    return outlineImport.preview({ user: request.user!, ip: request.ip }, importRequest);
  });

  app.post('/api/area-import/commit', {
    config: IMPORT,
    schema: {
      tags: ['areas'],
      summary: 'Import outlines all or nothing, with the planner\'s matches and skips (400/422 naming the features, and nothing written, when anything blocks); async=true answers 202 with a job to poll',
      consumes: ['multipart/form-data'],
      response: { 200: OutlineImportCommitResult, 202: OutlineImportJob, 400: ErrorReply, 403: ErrorReply, 422: ErrorReply, 429: ErrorReply },
    },
  }, async (request, reply) => {
    const { async, ...importRequest } = await readRequest(request);
    const actor = { user: request.user!, ip: request.ip };
    if (!async) return outlineImport.commit(actor, importRequest);
    const job = jobs.start(
      request.user!.id,
      (progress) => outlineImport.commit(actor, importRequest, progress),
      (error) => request.log.error({ err: error }, 'outline import failed'),
    );
    return reply.code(202).send(publicJob(job));
  });

  app.get('/api/area-import/jobs/:id', {
    config: ACCESS,
    schema: {
      tags: ['areas'],
      summary: 'An outline import job: its progress (reading, matching, validating, writing), then its result or why nothing was imported',
      params: Type.Object({ id: Type.String({ pattern: '^[0-9a-f]{32}$' }) }),
      response: { 200: OutlineImportJob, 404: ErrorReply },
    },
  }, async (request) => {
    const job = jobs.get(request.params.id, request.user!.id);
    if (!job) throw notFound('areas.noImportJob', { id: request.params.id });
    return publicJob(job);
  });
};
