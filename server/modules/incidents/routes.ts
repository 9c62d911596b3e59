/**
 * The incidents API: intake (phone form, other systems, imports), the closed-loop workflow,
 * details with masked reporters, and the analyst's aggregates.
 */
import crypto from 'node:crypto';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Pool } from '../../db/pool.js';
import { withTransaction } from '../../db/pool.js';
import { lonLatCodedProblem, toWgs84 } from '../../shared/coordinates.js';
import { requiredLonLatCrs } from '../imports/upload.js';
import { badRequest, conflict, forbidden, HttpError, notFound, phrase, refuse, unprocessable } from '../../shared/errors.js';
import { renderRefusal } from '../../shared/refusals.js';
import { ErrorReply } from '../../shared/geojson-schemas.js';
import { rateLimit } from '../../shared/rate-limits.js';
import { sendJsonText } from '../../shared/schema-helpers.js';
import type { AuditRepository } from '../audit/audit-repository.js';
import { STAFF, type Role, type SessionUser } from '../auth/roles.js';
import { createAnalysisRepository, type AnalysisFilter, type ListOptions } from './analysis-repository.js';
import { checkImport, MAX_REPORTED_ERRORS, previewOf, runImport, type ImportOptions } from './import.js';
import { createIncidentsRepository, summaryOf, type IncidentRow } from './incidents-repository.js';
import { mayUnmask, maskReporter } from './masking.js';
import { parsePeriod } from './period.js';
import { reportRoutes } from './report-routes.js';
import { csvNulByteProblem } from '../../shared/tabular.js';
import { instantOrNull } from '../../shared/instant.js';
import {
  AnalysisQuery,
  ByGridQuery,
  ByGridReply,
  CategoryInfo,
  CompareQuery,
  CompareReply,
  CreatedIncident,
  CreateIncidentBody,
  IncidentListQuery,
  GridOutlineCollection,
  HeatQuery,
  HexagonBins,
  HexagonQuery,
  ImportJob,
  ImportPreview,
  INCIDENT_SOURCES,
  IncidentDetail,
  IncidentIdParams,
  IncidentList,
  IncidentSourceSchema,
  IndicatorsQuery,
  IndicatorsReply,
  LocateQuery,
  LocateReply,
  PhotoParams,
  SummaryReply,
  TransitionBody,
  UnmaskBody,
  UnmaskedReporter,
} from './schemas.js';
import { checkTransition, INCIDENT_STATUSES, transitionsFor } from './workflow.js';
import { downloadReply } from '../../shared/openapi.js';

/** The political-legal commission's analysts and admins: the analyst's map and its aggregates. */
export const ANALYSTS: readonly Role[] = ['analyst', 'admin'];
/** Who may report incidents: grid workers (in their grids), and the centre for other systems. */
const REPORTERS: readonly Role[] = ['grid_worker', 'analyst', 'admin'];
/** Who may open an incident: the centre, and grid workers for incidents in their grids. */
const READERS: readonly Role[] = ['grid_worker', 'analyst', 'admin'];

const MAX_POINTS = 250_000;
const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
const JOB_TTL_MS = 60 * 60_000;

export interface IncidentsRoutesOptions {
  pool: Pool;
  audit: AuditRepository;
  /** EXPENSIVE_RATE_PER_MINUTE (shared/rate-limits.ts). */
  expensiveRatePerMinute: number;
}

export const incidentsRoutes: FastifyPluginAsyncTypebox<IncidentsRoutesOptions> = async (app, { pool, audit, expensiveRatePerMinute }) => {
  const incidents = createIncidentsRepository(pool);
  const analysis = createAnalysisRepository(pool);
  const jobs = new Map<string, ImportJob & { ownerUserId: number; finishedAt: number | null }>();

  const actor = (request: FastifyRequest) => ({ actorUserId: request.user!.id, actorUsername: request.user!.username, ip: request.ip });

  /** The incident, if the caller may see it: 404 otherwise (no hint that it exists). */
  async function readable(request: FastifyRequest, id: number): Promise<{ row: IncidentRow; ownGrid: boolean }> {
    const user = request.user!;
    const row = await incidents.detail(id);
    if (!row) throw notFound('incidents.notFound', { id });
    let ownGrid = false;
    if (user.role === 'grid_worker') {
      const own = await incidents.ownGridIds(user.id);
      ownGrid = row.gridId !== null && own.has(row.gridId);
      if (!ownGrid) throw notFound('incidents.notInYourGrids', { id });
    } else if (user.scopeAreaCode && !(row.placement.communityCode ?? '').startsWith(user.scopeAreaCode)) {
      throw notFound('incidents.notInYourArea', { id });
    }
    return { row, ownGrid };
  }

  async function detailFor(request: FastifyRequest, id: number): Promise<IncidentDetail> {
    const { row, ownGrid } = await readable(request, id);
    const role = request.user!.role;
    const reporter = row.hasReporter ? await incidents.reporter(id) : null;
    return {
      id: row.id,
      externalId: row.externalId,
      category: row.category,
      subCategory: row.subCategory,
      source: row.source,
      status: row.status,
      occurredAt: row.occurredAt?.toISOString() ?? null,
      reportedAt: row.reportedAt.toISOString(),
      dueAt: row.dueAt.toISOString(),
      closedAt: row.closedAt?.toISOString() ?? null,
      overdue: row.overdue,
      description: row.description,
      lon: row.lon,
      lat: row.lat,
      gridCode: row.placement.gridCode,
      gridName: row.placement.gridName,
      communityName: row.placement.communityName,
      placement: row.placement,
      // Masked for everyone by default; the unmasked values only through the audited unmask.
      reporter: reporter ? { ...maskReporter(reporter), masked: true } : null,
      events: row.events,
      photoIds: row.photoIds,
      allowedTransitions: transitionsFor(row.status, role, ownGrid).map((t) => ({ to: t.to, noteRequired: t.noteRequired })),
      mayUnmask: mayUnmask(role) && reporter !== null,
    };
  }

  // ------------------------------------------------------------------ intake

  app.get(
    '/api/incident-categories',
    {
      config: { access: { roles: STAFF } },
      schema: { tags: ['incidents'], summary: 'Incident categories, their sub-categories and handling deadlines', response: { 200: Type.Array(CategoryInfo) } },
    },
    async () => incidents.categories(),
  );

  app.get(
    '/api/incidents/locate',
    {
      config: { access: { roles: STAFF } },
      schema: {
        tags: ['incidents'],
        summary: 'The grid, community and street a point falls in (the rule every intake uses); 422 outside the district',
        querystring: LocateQuery,
        response: { 200: LocateReply, 400: ErrorReply, 422: ErrorReply },
      },
    },
    async (request) => {
      const [lon, lat] = checkedPoint(request.query.lon, request.query.lat, request.query.crs ?? 'wgs84', 'querystring');
      const loc = await incidents.locate(lon, lat);
      if (!loc.inside) throw outsideDistrict(lon, lat, loc.distanceMeters, loc.districtName);
      const own = request.user!.role === 'grid_worker' ? await incidents.ownGridIds(request.user!.id) : null;
      return { lon, lat, placement: loc.placement, ownGrid: own === null || (loc.placement.gridId !== null && own.has(loc.placement.gridId)) };
    },
  );

  app.post(
    '/api/incidents',
    {
      config: { access: { roles: REPORTERS } },
      schema: {
        tags: ['incidents'],
        summary: 'Report an incident (phone form or another system); grid and community come from the point',
        body: CreateIncidentBody,
        response: { 200: CreatedIncident, 201: CreatedIncident, 400: ErrorReply, 403: ErrorReply, 409: ErrorReply, 422: ErrorReply },
      },
    },
    async (request, reply) => {
      const user = request.user!;
      const body = request.body;
      const categories = await incidents.categories();
      const category = categories.find((c) => c.code === body.category);
      if (!category) throw badRequest('incidents.unknownCategory', { category: body.category, allowed: categories.map((c) => c.code).join(', ') });
      if (body.subCategory && !category.subCategories.some((s) => s.code === body.subCategory)) {
        throw badRequest('incidents.notSubCategory', { subCategory: body.subCategory, category: category.code, allowed: category.subCategories.map((s) => s.code).join(', ') });
      }
      let source = body.source ?? (user.role === 'grid_worker' ? 'grid_worker' : null);
      if (!source) throw badRequest('incidents.sourceRequired', { allowed: INCIDENT_SOURCES.join(', ') });
      if (user.role === 'grid_worker' && source !== 'grid_worker') throw forbidden('incidents.workerSourceOnly');
      const occurredAt = body.occurredAt ? parseOccurred(body.occurredAt) : null;
      const [lon, lat] = checkedPoint(body.lon, body.lat, body.crs ?? 'wgs84', 'body');

      const loc = await incidents.locate(lon, lat);
      if (!loc.inside) throw outsideDistrict(lon, lat, loc.distanceMeters, loc.districtName);
      if (user.role === 'grid_worker') {
        const own = await incidents.ownGridIds(user.id);
        if (own.size === 0) throw forbidden('incidents.noGridAssigned');
        if (loc.placement.gridId === null || !own.has(loc.placement.gridId)) {
          throw forbidden('incidents.pointNotYourGrid', { grid: loc.placement.gridCode ?? '—', name: loc.placement.gridName ?? '' });
        }
      } else if (user.scopeAreaCode && !(loc.placement.communityCode ?? '').startsWith(user.scopeAreaCode)) {
        throw forbidden('incidents.pointOutsideYourArea', { community: loc.placement.communityName ?? phrase('incidents.noCommunity'), scope: user.scopeAreaCode });
      }
      // Only after the caller's own checks, and answered only with what the caller may read.
      if (body.externalId) {
        const existing = await incidents.idByExternalId(body.externalId);
        if (existing !== null) return reply.code(200).send(await existingReply(request, existing, body.externalId));
      }
      const created = await withTransaction(pool, async (client) => {
        const row = await incidents.create(
          {
            externalId: body.externalId ?? null,
            category: category.code,
            subCategory: body.subCategory ?? null,
            source,
            occurredAt,
            reportedAt: null,
            lon,
            lat,
            description: body.description,
            reportedBy: user.id,
            reporter: body.reporter ? { name: body.reporter.name ?? null, phone: body.reporter.phone ?? null, idNumber: body.reporter.idNumber?.toUpperCase() ?? null } : null,
          },
          client,
        );
        if (!row) return null; // the same externalId arrived meanwhile
        await audit.record(
          { ...actor(request), action: 'incident.create', targetType: 'incident', targetId: row.id, success: true, detail: { source, category: category.code, gridCode: loc.placement.gridCode } },
          client,
        );
        return row;
      });
      if (!created) return reply.code(200).send(await existingReply(request, (await incidents.idByExternalId(body.externalId!))!, body.externalId!));
      return reply.code(201).send({
        id: created.id,
        externalId: created.externalId,
        status: created.status,
        dueAt: created.dueAt.toISOString(),
        created: true,
        lon: created.lon,
        lat: created.lat,
        placement: loc.placement,
      });
    },
  );

  /**
   * The incident an external id already names, when the caller may read it; otherwise a 409
   * that says nothing about it (not its status, place nor grid).
   */
  async function existingReply(request: FastifyRequest, id: number, externalId: string) {
    try {
      await readable(request, id);
    } catch (error) {
      if (error instanceof HttpError && error.statusCode === 404) {
        throw conflict('incidents.ticketUsed', { externalId });
      }
      throw error;
    }
    return createdReply(id, false);
  }

  async function createdReply(id: number, created: boolean) {
    const row = (await incidents.detail(id))!;
    return { id, externalId: row.externalId, status: row.status, dueAt: row.dueAt.toISOString(), created, lon: row.lon, lat: row.lat, placement: row.placement };
  }

  app.get(
    '/api/incidents/mine',
    {
      config: { access: { roles: ['grid_worker', 'admin'] } },
      schema: {
        tags: ['incidents'],
        summary: "The latest incidents in the caller's own grids (grid worker's task list)",
        querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }) }),
        response: { 200: IncidentList },
      },
    },
    async (request) => {
      const own = [...(await incidents.ownGridIds(request.user!.id))];
      const list = own.length ? await incidents.inGrids(own, request.query.limit) : [];
      return { total: list.length, incidents: list };
    },
  );

  app.get(
    '/api/incidents/my-grids',
    {
      config: { access: { roles: ['grid_worker', 'admin'] } },
      schema: {
        tags: ['incidents'],
        summary: "Outlines of the caller's own grids (where a grid worker may report)",
        response: { 200: GridOutlineCollection },
      },
    },
    async (request, reply) => sendJsonText(reply, await analysis.gridOutlinesOf([...(await incidents.ownGridIds(request.user!.id))])),
  );

  // ------------------------------------------------------------------ details and workflow

  app.get(
    '/api/incidents/:id',
    {
      config: { access: { roles: READERS } },
      schema: {
        tags: ['incidents'],
        summary: 'One incident with its history; the reporter masked (138****5678) for every role',
        params: IncidentIdParams,
        response: { 200: IncidentDetail, 404: ErrorReply },
      },
    },
    async (request) => detailFor(request, request.params.id),
  );

  app.post(
    '/api/incidents/:id/unmask',
    {
      // Declared for all staff so that a refused attempt is audited too.
      config: { access: { roles: STAFF } },
      schema: {
        tags: ['incidents'],
        summary: "The reporter's name, phone and ID number unmasked (admin only); every attempt is audited as incident.unmask",
        params: IncidentIdParams,
        body: UnmaskBody,
        response: { 200: UnmaskedReporter, 403: ErrorReply, 404: ErrorReply },
      },
    },
    async (request) => {
      const user = request.user!;
      const id = request.params.id;
      const record = (success: boolean, detail: Record<string, unknown>) =>
        audit.record({ ...actor(request), action: 'incident.unmask', targetType: 'incident', targetId: id, success, detail: { purpose: request.body.purpose, ...detail } });
      if (!mayUnmask(user.role)) {
        await record(false, { reason: 'role' });
        throw forbidden('incidents.personalDataRole', { role: user.role });
      }
      await readable(request, id);
      const reporter = await incidents.reporter(id);
      if (!reporter) throw notFound('incidents.noReporter', { id });
      await record(true, {});
      return reporter;
    },
  );

  app.post(
    '/api/incidents/:id/transitions',
    {
      config: { access: { roles: READERS } },
      schema: {
        tags: ['incidents'],
        summary: 'Move an incident along the closed loop (受理, 派遣, 处置, 核查, 结案, 退回) if the role may',
        params: IncidentIdParams,
        body: TransitionBody,
        response: { 200: IncidentDetail, 400: ErrorReply, 403: ErrorReply, 404: ErrorReply, 409: ErrorReply },
      },
    },
    async (request) => {
      const user = request.user!;
      const id = request.params.id;
      const { ownGrid } = await readable(request, id);
      const note = (request.body.note ?? '').trim();
      await withTransaction(pool, async (client) => {
        const current = await incidents.lockForTransition(id, client);
        if (!current) throw notFound('incidents.notFound', { id });
        const check = checkTransition(current.status, request.body.to, user.role, ownGrid, note);
        if (!check.ok) throw refuse(check.status, check.code, check.params);
        await incidents.applyTransition(id, current.status, request.body.to, user.id, note, client);
        await audit.record(
          { ...actor(request), action: 'incident.transition', targetType: 'incident', targetId: id, success: true, detail: { from: current.status, to: request.body.to } },
          client,
        );
      });
      return detailFor(request, id);
    },
  );

  app.post(
    '/api/incidents/:id/photos',
    {
      config: { access: { roles: READERS } },
      schema: {
        tags: ['incidents'],
        summary: 'Attach a photo (JPEG, PNG or WebP, at most 10 MB) as multipart field "photo"',
        params: IncidentIdParams,
        consumes: ['multipart/form-data'],
        'x-upload-field': 'photo',
        response: { 201: Type.Object({ id: Type.Integer() }), 400: ErrorReply, 404: ErrorReply, 415: ErrorReply },
      },
    },
    async (request, reply) => {
      const id = request.params.id;
      await readable(request, id);
      const file = await request.file();
      if (!file) throw badRequest('incidents.noPhotoFile');
      const bytes = await file.toBuffer();
      if (bytes.length > MAX_PHOTO_BYTES) throw refuse(413, 'incidents.photoTooLarge', { megabytes: (bytes.length / 1048576).toFixed(1) });
      const contentType = imageType(bytes);
      if (!contentType) throw refuse(415, 'incidents.photoType', { file: file.filename });
      const photoId = await withTransaction(pool, async (client) => {
        const photo = await incidents.addPhoto(id, contentType, bytes, request.user!.id, client);
        await audit.record({ ...actor(request), action: 'incident.photo', targetType: 'incident', targetId: id, success: true, detail: { photoId: photo, bytes: bytes.length } }, client);
        return photo;
      });
      return reply.code(201).send({ id: photoId });
    },
  );

  app.get(
    '/api/incidents/:id/photos/:photoId',
    {
      config: { access: { roles: READERS } },
      schema: { tags: ['incidents'], summary: "An incident's photo", params: PhotoParams, response: { 200: downloadReply(['image/jpeg', 'image/png', 'image/webp'], 'The photo'), 404: ErrorReply } },
    },
    async (request, reply) => {
      await readable(request, request.params.id);
      const photo = await incidents.photo(request.params.id, request.params.photoId);
      if (!photo) throw notFound('incidents.noPhoto', { id: request.params.id, photo: request.params.photoId });
      return reply.type(photo.contentType).header('Cache-Control', 'private, max-age=3600').send(photo.bytes as never);
    },
  );

  // ------------------------------------------------------------------ analysis

  // The analyses the analyst's map asks for as it moves and filters: the interactive limit;
  // imports: the expensive one. Polling a job is not limited.
  const analystRoute = { config: { access: { roles: ANALYSTS }, rateLimit: rateLimit(expensiveRatePerMinute, 'interactive') } };
  const importRoute = { config: { access: { roles: ANALYSTS }, rateLimit: rateLimit(expensiveRatePerMinute) } };
  const jobRoute = { config: { access: { roles: ANALYSTS } } };

  app.get(
    '/api/incidents/heat',
    {
      ...analystRoute,
      schema: {
        tags: ['incidents'],
        summary:
          'Heatmap input, aggregated in PostGIS: the filtered incidents summed per square cell of a metric lattice (EPSG:4545), each cell at its ' +
          'centre, as application/octet-stream of little-endian float32 (lon, lat, weight) records; X-Cell-Count, X-Max-Weight, X-Total-Weight ' +
          'headers. The payload stays at or under 1 MB (83,333 cells): when more cells of cellMeters would be occupied (e.g. a long period at ' +
          'city extent), the cells are coarser (2, 4, 8 … × cellMeters, or 400 m and multiples for an unfiltered period of whole days); ' +
          'X-Cell-Meters gives the size used',
        querystring: HeatQuery,
        response: { 200: downloadReply(['application/octet-stream'], 'float32 lon, lat, weight records'), 400: ErrorReply },
      },
    },
    async (request, reply) => {
      const f = filterOf(request.query, request.user!);
      const heat = await analysis.heat(f, request.query.cellMeters, request.query.weight as 'count' | 'urgency');
      return sendBinary(reply, heat.bytes, { 'X-Cell-Count': heat.cells, 'X-Cell-Meters': heat.cellMeters, 'X-Max-Weight': heat.maxWeight, 'X-Total-Weight': heat.totalWeight });
    },
  );

  app.get(
    '/api/incidents/points',
    {
      ...analystRoute,
      schema: {
        tags: ['incidents'],
        summary:
          'The filtered incidents (newest first, at most 250,000) as application/octet-stream of 16-byte little-endian records: ' +
          'float32 lon, float32 lat, float32 urgency weight, uint32 id; X-Point-Count and X-Truncated headers',
        querystring: AnalysisQuery,
        response: { 200: downloadReply(['application/octet-stream'], 'float32 lon, lat, weight and uint32 id records'), 400: ErrorReply },
      },
    },
    async (request, reply) => {
      const f = filterOf(request.query, request.user!);
      const pts = await analysis.points(f, MAX_POINTS + 1);
      const truncated = pts.points > MAX_POINTS;
      const bytes = truncated ? pts.bytes.subarray(0, MAX_POINTS * 16) : pts.bytes;
      return sendBinary(reply, bytes, { 'X-Point-Count': Math.min(pts.points, MAX_POINTS), 'X-Truncated': truncated ? 'true' : 'false' });
    },
  );

  app.get(
    '/api/incidents/hexagons',
    {
      ...analystRoute,
      schema: {
        tags: ['incidents'],
        summary:
          'Hexagon bins (ST_HexagonGrid cells in EPSG:4545) with incident counts, for the filtered set; gzip-compressed when the client ' +
          'accepts it (city extent, 500 m hexagons: ≈16,500 cells, ≈2.6 MB of JSON, ≈0.5 MB sent)',
        querystring: HexagonQuery,
        response: { 200: HexagonBins, 400: ErrorReply },
      },
    },
    async (request, reply) => sendJsonMaybeGzipped(request, reply, await analysis.hexagons(filterOf(request.query, request.user!), request.query.sizeMeters)),
  );

  // The incident list: filtered, narrowed (overdue, text, one hexagon) and sorted. The same
  // handler under two paths: GET /api/incidents (whose query the list export shares) and the
  // drill-down's older /api/incidents/list.
  for (const url of ['/api/incidents', '/api/incidents/list']) {
    app.get(
      url,
      {
        ...analystRoute,
        schema: {
          tags: ['incidents'],
          summary:
            'The filtered incidents (period, category, status, source, area; overdue; text q), sorted by sort/order (newest first by default); ' +
            'with hexSizeMeters/hexI/hexJ only those of one hexagon (drill-down)',
          querystring: IncidentListQuery,
          response: { 200: IncidentList, 400: ErrorReply },
        },
      },
      async (request) => {
        const q = request.query;
        const rows = await analysis.list(filterOf(q, request.user!), { ...listOptionsOf(q), limit: q.limit, offset: q.offset });
        return { total: rows[0]?.total ?? 0, incidents: rows.map(summaryOf) };
      },
    );
  }

  app.get(
    '/api/incidents/by-grid',
    {
      ...analystRoute,
      schema: {
        tags: ['incidents'],
        summary: 'Incidents per grid (count, per 1,000 residents) with Getis-Ord Gi* hot and cold spots at 90/95/99%',
        querystring: ByGridQuery,
        response: { 200: ByGridReply, 400: ErrorReply },
      },
    },
    async (request) => analysis.byGrid(filterOf(request.query, request.user!), request.query.contiguity as 'rook' | 'queen'),
  );

  app.get(
    '/api/incidents/summary',
    {
      ...analystRoute,
      schema: {
        tags: ['incidents'],
        summary: 'Trend by month, counts by category and status, the top grids and communities',
        querystring: AnalysisQuery,
        response: { 200: SummaryReply, 400: ErrorReply },
      },
    },
    async (request, reply) => sendJsonText(reply, await analysis.summary(filterOf(request.query, request.user!))),
  );

  app.get(
    '/api/incidents/compare',
    {
      ...analystRoute,
      schema: {
        tags: ['incidents'],
        summary: 'Which grids or communities rose or fell most between an earlier period and the filtered one',
        querystring: CompareQuery,
        response: { 200: CompareReply, 400: ErrorReply },
      },
    },
    async (request) => {
      const q = request.query;
      const f = filterOf(q, request.user!);
      const earlier = parsePeriod(q.compareFrom, q.compareTo, 'querystring/compare');
      return analysis.compare(f, earlier, q.level as 'grid' | 'community', q.limit);
    },
  );

  app.get(
    '/api/incidents/indicators',
    {
      ...analystRoute,
      schema: {
        tags: ['incidents'],
        summary: 'Closed-loop indicators per grid, community, street or district: counts by state, 结案率, 按期结案率, mean handling time, 环比, 同比',
        querystring: IndicatorsQuery,
        response: { 200: IndicatorsReply, 400: ErrorReply },
      },
    },
    async (request) => {
      const q = request.query;
      return analysis.indicators({
        period: parsePeriod(q.from, q.to),
        level: q.level as 'grid' | 'community' | 'street' | 'district' | 'city',
        categories: codeList(q.category, null, 'category'),
        area: q.area ?? null,
        scope: request.user!.scopeAreaCode,
      });
    },
  );

  // The weekly / monthly report and its workbook (report-routes.ts).
  await app.register(reportRoutes, { pool, expensiveRatePerMinute });

  // ------------------------------------------------------------------ import

  async function readUpload(request: FastifyRequest): Promise<{ bytes: Buffer; fileName: string; options: ImportOptions }> {
    const file = await request.file();
    if (!file) throw badRequest('incidents.noTableFile');
    const bytes = await file.toBuffer();
    const nul = csvNulByteProblem(bytes, file.filename);
    if (nul) throw badRequest('import.nulByte', nul);
    const field = (name: string) => {
      const f = file.fields[name] as { value?: unknown } | undefined;
      return typeof f?.value === 'string' ? f.value : undefined;
    };
    // A table does not say its coordinate system: the user chooses it (no silent WGS84).
    const crs = requiredLonLatCrs(field('crs')?.trim(), 'crs');
    const source = field('source') ?? 'hotline_12345';
    if (!(IncidentSourceSchema.enum as readonly string[]).includes(source)) throw badRequest('incidents.sourceOneOf', { source, allowed: INCIDENT_SOURCES.join(', ') });
    return { bytes, fileName: file.filename, options: { crs: crs as ImportOptions['crs'], defaultSource: source as ImportOptions['defaultSource'] } };
  }

  app.post(
    '/api/incidents/import/preview',
    {
      ...importRoute,
      schema: {
        tags: ['incidents'],
        summary: 'Check a CSV/Excel export row by row (fields "file", "crs", "source") and say what an import would create; writes nothing',
        consumes: ['multipart/form-data'],
        response: { 200: ImportPreview, 400: ErrorReply },
      },
    },
    async (request) => {
      const upload = await readUpload(request);
      const checked = await checkImport(pool, incidents, { ...upload, scope: request.user!.scopeAreaCode });
      return previewOf(upload.fileName, checked);
    },
  );

  app.post(
    '/api/incidents/import',
    {
      ...importRoute,
      schema: {
        tags: ['incidents'],
        summary: 'Import a CSV/Excel export: all rows or none (any row error writes nothing); 202 with a job to poll for progress',
        consumes: ['multipart/form-data'],
        response: { 202: ImportJob, 400: ErrorReply },
      },
    },
    async (request, reply) => {
      const upload = await readUpload(request);
      const user = request.user!;
      const job: ImportJob & { ownerUserId: number; finishedAt: number | null } = {
        id: crypto.randomUUID(),
        state: 'running',
        phase: 'reading',
        processedRows: 0,
        totalRows: 0,
        created: 0,
        duplicates: 0,
        message: null,
        errors: [],
        ownerUserId: user.id,
        finishedAt: null,
      };
      for (const [key, old] of jobs) if (old.finishedAt && Date.now() - old.finishedAt > JOB_TTL_MS) jobs.delete(key);
      jobs.set(job.id, job);
      const meta = { actorUserId: user.id, actorUsername: user.username, ip: request.ip };
      void (async () => {
        try {
          const { checked, created } = await runImport(pool, incidents, audit, {
            ...upload,
            scope: user.scopeAreaCode,
            progress: (phase, processed, total) => {
              job.phase = phase;
              job.processedRows = processed;
              job.totalRows = total;
            },
          }, meta);
          job.totalRows = checked.totalRows;
          job.duplicates = checked.duplicates;
          if (checked.errorCount > 0) {
            job.state = 'failed';
            job.code = 'incidents.importRowErrors';
            job.params = { count: checked.errorCount };
            job.message = renderRefusal('incidents.importRowErrors', { count: checked.errorCount });
            job.errors = checked.errors.slice(0, MAX_REPORTED_ERRORS);
            return;
          }
          job.created = created;
          job.processedRows = checked.totalRows;
          job.phase = 'finished';
          job.state = 'done';
        } catch (error) {
          job.state = 'failed';
          job.message = error instanceof HttpError ? error.message : renderRefusal('incidents.importFailed', {});
          job.code = error instanceof HttpError ? (error.code ?? null) : 'incidents.importFailed';
          job.params = error instanceof HttpError ? (error.params ?? {}) : {};
          if (!(error instanceof HttpError)) request.log.error({ err: error }, 'incident import failed');
        } finally {
          job.finishedAt = Date.now();
        }
      })();
      return reply.code(202).send(publicJob(job));
    },
  );

  app.get(
    '/api/incidents/import/jobs/:jobId',
    {
      ...jobRoute,
      schema: {
        tags: ['incidents'],
        summary: 'Progress of an import',
        params: Type.Object({ jobId: Type.String({ format: 'uuid' }) }),
        response: { 200: ImportJob, 404: ErrorReply },
      },
    },
    async (request) => {
      const job = jobs.get(request.params.jobId);
      if (!job || job.ownerUserId !== request.user!.id) throw notFound('incidents.noImportJob', { id: request.params.jobId });
      return publicJob(job);
    },
  );
};

function publicJob(job: ImportJob): ImportJob {
  const { id, state, phase, processedRows, totalRows, created, duplicates, message, code, params, errors } = job;
  return { id, state, phase, processedRows, totalRows, created, duplicates, message, code: code ?? null, params: params ?? null, errors };
}

/** A comma-separated list of codes, each checked against the allowed ones. */
function codeList(text: string | undefined, allowed: readonly string[] | null, name: string): string[] | null {
  if (!text) return null;
  const list = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (list.length === 0) return null;
  if (allowed) {
    const unknown = list.filter((c) => !allowed.includes(c));
    if (unknown.length) throw badRequest('incidents.unknownCodes', { name, unknown: unknown.join(', '), allowed: allowed.join(', ') });
  }
  return list;
}

const TOP_CATEGORIES = ['dispute', 'safety_hazard', 'public_order', 'sanitation', 'street_order', 'livelihood'];

const gzipAsync = promisify(zlib.gzip);

export function filterOf(
  q: { from: string; to: string; category?: string; status?: string; source?: string; area?: string },
  user: SessionUser,
): AnalysisFilter {
  return {
    ...parsePeriod(q.from, q.to),
    categories: codeList(q.category, TOP_CATEGORIES, 'category'),
    statuses: codeList(q.status, INCIDENT_STATUSES, 'status'),
    sources: codeList(q.source, INCIDENT_SOURCES, 'source'),
    area: q.area ?? null,
    scope: user.scopeAreaCode,
  };
}

/** The list's own narrowing and order from its query (shared by the list and its export). */
export function listOptionsOf(q: Omit<IncidentListQuery, 'limit' | 'offset'>): Omit<ListOptions, 'limit' | 'offset'> {
  const hexParts = [q.hexSizeMeters, q.hexI, q.hexJ].filter((v) => v !== undefined).length;
  if (hexParts !== 0 && hexParts !== 3) throw badRequest('incidents.hexTogether');
  const text = q.q?.trim();
  return {
    hex: hexParts === 3 ? { sizeMeters: q.hexSizeMeters!, i: q.hexI!, j: q.hexJ! } : null,
    overdue: q.overdue ?? null,
    text: text ? text : null,
    sort: q.sort,
    descending: q.order !== 'asc',
  };
}

function checkedPoint(lon: number, lat: number, crs: 'wgs84' | 'cgcs2000' | 'gcj02' | 'bd09', where: string): [number, number] {
  const bad = lonLatCodedProblem(lon, lat);
  if (bad) throw badRequest('incidents.badPosition', { where, problem: phrase(bad.code, bad.params) });
  return toWgs84([lon, lat], crs);
}

function outsideDistrict(lon: number, lat: number, distanceMeters: number, districtName: string): HttpError {
  const distance = distanceMeters >= 1000 ? `${(distanceMeters / 1000).toFixed(1)} km` : distanceMeters >= 10 ? `${Math.round(distanceMeters)} m` : `${distanceMeters.toFixed(1)} m`;
  return unprocessable('incidents.outsideDistrict', { x: lon.toFixed(6), y: lat.toFixed(6), district: districtName || phrase('incidents.theDistrict'), distance });
}

function parseOccurred(text: string): Date {
  const instant = /([Zz]|[+-]\d{2}:\d{2})$/.test(text) ? instantOrNull(text) : null;
  if (!instant) throw badRequest('incidents.occurredNotInstant', { text });
  const ms = instant.getTime();
  if (ms > Date.now() + 5 * 60_000) throw badRequest('incidents.occurredFuture');
  return new Date(ms);
}

function imageType(bytes: Buffer): 'image/jpeg' | 'image/png' | 'image/webp' | null {
  if (bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length > 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes.length > 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  return null;
}

/** JSON text, gzipped when the client accepts it and it is large enough to gain from it. */
async function sendJsonMaybeGzipped(request: FastifyRequest, reply: FastifyReply, text: string) {
  const accepts = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
  reply.header('Vary', 'Accept-Encoding');
  if (!accepts || text.length < 8192) return sendJsonText(reply, text);
  const gzipped = await gzipAsync(Buffer.from(text, 'utf8'), { level: 4 });
  reply.header('Content-Encoding', 'gzip');
  return reply.type('application/json; charset=utf-8').send(gzipped);
}

function sendBinary(reply: FastifyReply, bytes: Buffer, headers: Record<string, string | number>) {
  for (const [k, v] of Object.entries(headers)) reply.header(k, String(v));
  reply.header('Access-Control-Expose-Headers', Object.keys(headers).join(', '));
  return reply.type('application/octet-stream').send(bytes);
}
