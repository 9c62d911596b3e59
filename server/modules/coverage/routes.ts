/**
 * /api/coverage: who the service circles reach, per grid, community, street and district; the
 * gaps; what-if scenarios; where to build next (as a job with progress); the Excel export.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { rateLimit } from '../../shared/rate-limits.js';
import { Type } from 'typebox';
import type { Pool } from '../../db/pool.js';
import { lonLatCodedProblem, toWgs84 } from '../../shared/coordinates.js';
import { problem, type Problem } from '../../shared/refusals.js';
import { badRequest, notFound, phrase } from '../../shared/errors.js';
import { ErrorReply } from '../../shared/geojson-schemas.js';
import { sendJsonText } from '../../shared/schema-helpers.js';
import { readTable } from '../../shared/tabular.js';
import type { AuditRepository } from '../audit/audit-repository.js';
import type { Role } from '../auth/roles.js';
import { createCoverageRepository } from './coverage-repository.js';
import { createCoverageService } from './coverage-service.js';
import { coverageWorkbook } from './export.js';
import { createJobRegistry } from './jobs.js';
import {
  AnalysisQuery,
  CandidatesQuery,
  CandidatesUpload,
  CoverageResult,
  JobParams,
  Scenario,
  SitingJob,
  SitingRequest,
  type UploadedCandidate,
  type SitingResult,
} from './schemas.js';
import { downloadReply } from '../../shared/openapi.js';

/** Planners and analysts use coverage; admins may too. */
export const COVERAGE_ROLES: readonly Role[] = ['planner', 'analyst', 'admin'];
const ACCESS = { access: { roles: COVERAGE_ROLES } };

interface Options {
  pool: Pool;
  audit: AuditRepository;
  /** Requests per client per minute to the expensive routes (exports, siting runs); what-ifs get 4×. */
  expensiveRatePerMinute?: number;
}

export const coverageRoutes: FastifyPluginAsyncTypebox<Options> = async (app, { pool, audit, expensiveRatePerMinute = 60 }) => {
  const EXPENSIVE = { ...ACCESS, rateLimit: rateLimit(expensiveRatePerMinute) };
  // A planner trying stations on the map asks for a new figure with every click.
  const INTERACTIVE = { ...ACCESS, rateLimit: rateLimit(expensiveRatePerMinute, 'interactive') };
  const repo = createCoverageRepository(pool);
  const service = createCoverageService(repo);
  const jobs = createJobRegistry<SitingResult>({ maxRunningPerUser: 2, keepMs: 30 * 60 * 1000 });

  /** A proposal must be a real place: the same checks as any typed coordinate. */
  const checkProposals = (scenario: Scenario, where: string) => {
    (scenario.proposals ?? []).forEach((p, i) => {
      const bad = lonLatCodedProblem(p.lon, p.lat);
      if (bad) throw badRequest('coverage.badProposal', { where, index: i, problem: phrase(bad.code, bad.params) });
    });
  };

  app.post(
    '/api/coverage/analysis',
    {
      config: INTERACTIVE,
      schema: {
        tags: ['coverage'],
        summary: 'Coverage of a scenario: shares per grid, community, street and district with targets, and the gaps',
        description:
          'A building is covered when it lies within the walking radius of at least one counting station (ST_DWithin on the spheroid). ' +
          'Proposals and removals make a what-if; nothing is saved. ' +
          "With gaps=map the gaps carry what a map drawing from the vector tiles needs (uncovered building ids for the building tiles' feature state) instead of every building and station as GeoJSON.",
        body: Scenario,
        querystring: AnalysisQuery,
        response: { 200: CoverageResult, 400: ErrorReply },
      },
    },
    async (request, reply) => {
      checkProposals(request.body, 'body');
      return sendJsonText(reply, await service.analyseWithGapsAsText(request.body, request.query.gaps ?? 'full'));
    },
  );

  app.post(
    '/api/coverage/comparison',
    {
      config: INTERACTIVE,
      schema: {
        tags: ['coverage'],
        summary: 'Coverage by walking along the network against the straight-line circle, side by side for the district and each street (400 when no walking network can be used)',
        body: Scenario,
        response: { 200: Type.Object({}, { additionalProperties: true }), 400: ErrorReply },
      },
    },
    async (request) => service.compareMethods(request.body),
  );

  app.post(
    '/api/coverage/export',
    {
      config: EXPENSIVE,
      schema: {
        tags: ['coverage'],
        summary: 'The coverage figures of a scenario as an Excel workbook (sheets 汇总, 网格, 社区, 街道)',
        body: Scenario,
        response: { 200: downloadReply(['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'], 'The workbook'), 400: ErrorReply },
      },
    },
    async (request, reply) => {
      checkProposals(request.body, 'body');
      const result = await service.analyse(request.body);
      const { rows: types } = await pool.query<{ name_zh: string }>(`SELECT name_zh FROM facility_type WHERE code = ANY ($1) ORDER BY sort_order`, [request.body.facilityTypes]);
      const { rows: removed } = await pool.query<{ name: string }>(`SELECT name FROM facility WHERE id = ANY ($1::bigint[]) ORDER BY id`, [request.body.removedFacilityIds ?? []]);
      const resolved = await service.resolve(request.body);
      const bytes = await coverageWorkbook(result, {
        facilityTypeNames: types.map((t) => t.name_zh),
        proposalLabels: resolved.proposals.map((p) => `${p.label} (${p.lon.toFixed(5)}, ${p.lat.toFixed(5)}, ${p.radiusMeters} m)`),
        removedFacilityNames: removed.map((r) => r.name),
        generatedAt: new Date(),
      });
      await audit.record({
        actorUserId: request.user!.id,
        actorUsername: request.user!.username,
        action: 'coverage.export',
        targetType: 'coverage',
        ip: request.ip,
        success: true,
        detail: { facilityTypes: request.body.facilityTypes, population: request.body.population, proposals: resolved.proposals.length, removed: resolved.removedFacilityIds.length },
      });
      const day = new Date().toISOString().slice(0, 10);
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('Content-Disposition', `attachment; filename="coverage-${day}.xlsx"; filename*=UTF-8''${encodeURIComponent(`服务覆盖-${day}.xlsx`)}`)
        .send(bytes as never);
    },
  );

  app.post(
    '/api/coverage/candidates',
    {
      config: EXPENSIVE,
      schema: {
        tags: ['coverage'],
        summary: 'Read a list of candidate sites (CSV/.xlsx with 经度, 纬度 and optionally 名称), converted to WGS84',
        consumes: ['multipart/form-data'],
        querystring: CandidatesQuery,
        response: { 200: CandidatesUpload, 400: ErrorReply },
      },
    },
    async (request) => {
      const file = await request.file();
      if (!file) throw badRequest('coverage.noFile');
      const table = await readTable(await file.toBuffer(), file.filename, 20000);
      const find = (names: string[]) => table.headers.find((h) => names.includes(h.trim().toLowerCase()));
      const lonColumn = find(['经度', 'lon', 'lng', 'longitude', 'x']);
      const latColumn = find(['纬度', 'lat', 'latitude', 'y']);
      const nameColumn = find(['名称', '地点', 'name', 'label']);
      if (!lonColumn || !latColumn) throw badRequest('coverage.lonLatColumns', { headers: table.headers.join(', ') });
      const sourceCrs = request.query.sourceCrs ?? 'wgs84';
      const points: UploadedCandidate[] = [];
      const errors: ({ rowNumber: number; column: string | null } & Problem)[] = [];
      for (const row of table.rows) {
        const lonText = row.values[lonColumn] ?? '';
        const latText = row.values[latColumn] ?? '';
        const lon = Number(lonText);
        const lat = Number(latText);
        if (!lonText || !Number.isFinite(lon)) errors.push({ rowNumber: row.rowNumber, column: lonColumn, ...problem('coverage.rowNotANumber', { text: lonText }) });
        else if (!latText || !Number.isFinite(lat)) errors.push({ rowNumber: row.rowNumber, column: latColumn, ...problem('coverage.rowNotANumber', { text: latText }) });
        else {
          const bad = lonLatCodedProblem(lon, lat);
          if (bad) errors.push({ rowNumber: row.rowNumber, column: null, ...bad });
          else {
            const [x, y] = toWgs84([lon, lat], sourceCrs);
            const label = nameColumn && row.values[nameColumn]?.trim();
            points.push({ lon: x, lat: y, rowNumber: row.rowNumber, ...(label ? { label: label.slice(0, 100) } : {}) });
          }
        }
      }
      return { points, errors };
    },
  );

  app.post(
    '/api/coverage/siting',
    {
      config: EXPENSIVE,
      schema: {
        tags: ['coverage'],
        summary: 'Start a run that suggests k new sites adding the most covered people (greedy maximal covering); poll its progress',
        body: SitingRequest,
        response: { 202: SitingJob, 400: ErrorReply, 429: ErrorReply },
      },
    },
    async (request, reply) => {
      checkProposals(request.body.scenario, 'body/scenario');
      const resolved = await service.prepareSiting(request.body);
      const job = jobs.start(
        request.user!.id,
        (progress) => service.site(request.body, resolved, progress),
        (error) => request.log.error({ err: error }, 'siting run failed'),
      );
      return reply.code(202).send({ id: job.id, status: job.status, progress: job.progress, result: job.result, error: job.error, errorCode: job.errorCode, errorParams: job.errorParams });
    },
  );

  app.get(
    '/api/coverage/siting/:id',
    {
      config: ACCESS,
      schema: { tags: ['coverage'], summary: 'A siting run: its progress, then its result', params: JobParams, response: { 200: SitingJob, 404: ErrorReply } },
    },
    async (request) => {
      const job = jobs.get(request.params.id, request.user!.id);
      if (!job) throw notFound('coverage.noRun', { id: request.params.id });
      return { id: job.id, status: job.status, progress: job.progress, result: job.result, error: job.error, errorCode: job.errorCode, errorParams: job.errorParams };
    },
  );
};
