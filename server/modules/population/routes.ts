/**
 * The resident register import for the planning roles: preview (match rate, unmatched addresses
 * masked, row problems), commit all or nothing (optionally as a job with progress), and the
 * buildings of a community with their figures, for assigning an unmatched address on the map.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Pool } from '../../db/pool.js';
import { badRequest, forbidden, notFound, refuse } from '../../shared/errors.js';
import { ErrorReply } from '../../shared/geojson-schemas.js';
import { createJobRegistry, publicJob } from '../../shared/jobs.js';
import { sqlFile } from '../../shared/sql.js';
import { createAuditRepository } from '../audit/audit-repository.js';
import { PLANNERS } from '../grids/planning-routes.js';
import { chinaDate, parseCalendarDate } from './id-number.js';
import { createRegisterImport, type RegisterRequest } from './register-import.js';
import { CommunityBuildings, RegisterCommitResult, RegisterJob, RegisterSummary } from './schemas.js';

const BUILDINGS_SQL = sqlFile(import.meta.url, 'buildings-of-communities.sql').replace(/;\s*$/, '').replace(/^--.*$/gm, '');

/** A district's register as .xlsx is some tens of megabytes. */
export const MAX_REGISTER_BYTES = 200 * 1024 * 1024;

async function readRegisterRequest(request: FastifyRequest): Promise<RegisterRequest & { async: boolean }> {
  if (!request.isMultipart()) throw badRequest('population.notMultipart');
  // The upload stays in memory: a register is never written to a temporary file.
  const file = await request.file({ limits: { fileSize: MAX_REGISTER_BYTES } });
  if (!file) throw badRequest('upload.noFile');
  const bytes = await file.toBuffer().catch((error: { code?: string }) => {
    throw error.code === 'FST_REQ_FILE_TOO_LARGE' ? refuse(413, 'request.fileTooLarge', { megabytes: MAX_REGISTER_BYTES / 1048576 }) : error;
  });
  if (bytes.length === 0) throw badRequest('population.emptyFile', { file: file.filename });
  const field = (name: string) => {
    const f = file.fields[name] as { value?: unknown } | undefined;
    return typeof f?.value === 'string' && f.value.trim() ? f.value.trim() : undefined;
  };
  const dateText = field('date');
  const today = dateText === undefined ? chinaDate(new Date()) : parseCalendarDate(dateText);
  if (!today) throw badRequest('population.dateRequired');
  let assignments: RegisterRequest['assignments'] = [];
  const raw = field('assignments');
  if (raw !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw badRequest('population.assignmentsNotJson');
    }
    if (!Array.isArray(parsed)) throw badRequest('population.assignmentsNotArray');
    assignments = parsed.map((a: unknown, i) => {
      const o = a as { addressKey?: unknown; buildingId?: unknown };
      if (typeof o?.addressKey !== 'string' || o.addressKey.length > 300 || !Number.isSafeInteger(o.buildingId) || (o.buildingId as number) <= 0) {
        throw badRequest('population.assignmentShape', { index: i });
      }
      return { addressKey: o.addressKey, buildingId: o.buildingId as number };
    });
  }
  return { bytes, fileName: file.filename, today, assignments, async: field('async') === 'true' };
}

export const populationRoutes: FastifyPluginAsyncTypebox<{ pool: Pool; expensiveRatePerMinute: number }> = async (app, { pool, expensiveRatePerMinute }) => {
  const ACCESS = { access: { roles: PLANNERS } };
  const IMPORT = { ...ACCESS, rateLimit: { max: expensiveRatePerMinute, timeWindow: 60_000 } };
  const registerImport = createRegisterImport(pool, createAuditRepository(pool));
  const jobs = createJobRegistry<RegisterCommitResult>({ maxRunningPerUser: 1, keepMs: 30 * 60 * 1000 });

  app.post('/api/population-register/preview', {
    config: IMPORT,
    schema: {
      tags: ['population'],
      summary: 'Preview a resident register (实有人口; .xlsx or .csv, one row per person): age bands from the ID numbers, addresses matched to buildings, match rate and unmatched addresses (masked); 422 with row and column of each problem; writes nothing',
      consumes: ['multipart/form-data'],
      response: { 200: RegisterSummary, 400: ErrorReply, 403: ErrorReply, 422: ErrorReply },
    },
  }, async (request) => {
    const { async: _async, ...register } = await readRegisterRequest(request);
    return registerImport.preview({ user: request.user!, ip: request.ip }, register);
  });

  app.post('/api/population-register/commit', {
    config: IMPORT,
    schema: {
      tags: ['population'],
      summary: 'Import a resident register all or nothing: the counts per building (households, residents, 60+, 80+) of every building of its communities, then the grids re-counted; names and ID numbers are never stored; async=true answers 202 with a job to poll',
      consumes: ['multipart/form-data'],
      response: { 200: RegisterCommitResult, 202: RegisterJob, 400: ErrorReply, 403: ErrorReply, 422: ErrorReply, 429: ErrorReply },
    },
  }, async (request, reply) => {
    const { async, ...register } = await readRegisterRequest(request);
    const actor = { user: request.user!, ip: request.ip };
    if (!async) return registerImport.commit(actor, register);
    const job = jobs.start(
      request.user!.id,
      (progress) => registerImport.commit(actor, register, progress),
      // Only the kind of error: a parser's message could quote a cell.
      (error) => request.log.error({ errorName: (error as Error)?.name }, 'resident register import failed'),
    );
    return reply.code(202).send(publicJob(job));
  });

  app.get('/api/population-register/jobs/:id', {
    config: ACCESS,
    schema: {
      tags: ['population'],
      summary: 'A register import job: its progress (reading, matching, writing, recounting grids), then its result or why nothing was imported',
      params: Type.Object({ id: Type.String({ pattern: '^[0-9a-f]{32}$' }) }),
      response: { 200: RegisterJob, 404: ErrorReply },
    },
  }, async (request) => {
    const job = jobs.get(request.params.id, request.user!.id);
    if (!job) throw notFound('population.noJob', { id: request.params.id });
    return publicJob(job);
  });

  app.get('/api/population-register/buildings', {
    config: ACCESS,
    schema: {
      tags: ['population'],
      summary: 'The buildings of a community (in its grids, or in its outline) with their figures: where an unmatched address can be assigned',
      querystring: Type.Object({ community: Type.String({ pattern: '^[0-9]{12}$' }) }),
      response: { 200: CommunityBuildings, 403: ErrorReply },
    },
  }, async (request) => {
    const code = request.query.community;
    const scope = request.user!.scopeAreaCode;
    if (scope && !code.startsWith(scope)) throw forbidden('population.outsideYourArea', { community: code, scope });
    const { rows } = await pool.query(
      `WITH placed AS (${BUILDINGS_SQL})
       SELECT b.id::int, b.name, b.address, ST_X(b.geom) AS lon, ST_Y(b.geom) AS lat, b.households, b.residents,
              b.residents_60_plus AS "residents60Plus", b.residents_80_plus AS "residents80Plus"
       FROM placed p JOIN building b ON b.id = p.id ORDER BY b.id`, [[code]]);
    return rows;
  });
};

