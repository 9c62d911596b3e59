/**
 * Planners' facility editing: create, edit, move and retire one facility; set a type's walking
 * radius; import a CSV/Excel list (preview with row-by-row errors, then an all-or-nothing commit).
 * Service areas are redrawn by the database triggers of migration 006 on every such change.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { rateLimit } from '../../shared/rate-limits.js';
import type { FastifyRequest } from 'fastify';
import { withTransaction, type Pool, type Queryable } from '../../db/pool.js';
import { lonLatCodedProblem, toWgs84, type SourceCrs } from '../../shared/coordinates.js';
import { badRequest, forbidden, notFound, phrase } from '../../shared/errors.js';
import { problem, type RefusalParams } from '../../shared/refusals.js';
import { ErrorReply } from '../../shared/geojson-schemas.js';
import { requiredLonLatCrs } from '../imports/upload.js';
import { crsHint } from '../imports/offset-check.js';
import { readTable } from '../../shared/tabular.js';
import type { AuditRepository } from '../audit/audit-repository.js';
import { STAFF, type Role } from '../auth/roles.js';
import type { FacilitiesRepository } from './facilities-repository.js';
import { createFacilityEditingRepository, type FacilityFields } from './facility-editing-repository.js';
import { checkImportRows, DUPLICATE_DISTANCE_METERS } from './facility-import.js';
import {
  FacilityDraft,
  FacilityPatch,
  FacilityRecord,
  ImportPreview,
  ImportQuery,
  ImportResult,
  RetireBody,
  TypeCodeParams,
  TypeRadiusBody,
} from './editing-schemas.js';
import { FacilityIdParams, FacilityTypeInfo } from './schemas.js';

/** Who may change facilities and their settings. */
export const FACILITY_EDITORS: readonly Role[] = ['planner', 'admin'];
const EDITORS = { access: { roles: FACILITY_EDITORS } };

interface Options {
  pool: Pool;
  audit: AuditRepository;
  facilities: FacilitiesRepository;
  /** Requests per client per minute to the imports. */
  expensiveRatePerMinute?: number;
}

export const facilityEditingRoutes: FastifyPluginAsyncTypebox<Options> = async (app, { pool, audit, facilities, expensiveRatePerMinute = 60 }) => {
  const IMPORT = { ...EDITORS, rateLimit: rateLimit(expensiveRatePerMinute) };
  const repo = createFacilityEditingRepository();

  const actor = (request: FastifyRequest) => ({ actorUserId: request.user!.id, actorUsername: request.user!.username, ip: request.ip });

  /** Converts a typed position to WGS84 and refuses one that is not in the district. */
  async function checkedPosition(db: Queryable, lon: number, lat: number, sourceCrs: SourceCrs | undefined, where: string): Promise<[number, number]> {
    const bad = lonLatCodedProblem(lon, lat);
    if (bad) throw badRequest('facilities.badPosition', { where, problem: phrase(bad.code, bad.params) });
    const [x, y] = toWgs84([lon, lat], sourceCrs ?? 'wgs84');
    const outside = await repo.pointsOutsideDistrict(db, [{ lon: x, lat: y }]);
    if (outside.length > 0) {
      throw badRequest('facilities.outsideDistrict', { where, x: x.toFixed(6), y: y.toFixed(6), distanceMeters: outside[0]!.distanceMeters });
    }
    return [x, y];
  }

  /**
   * A planner whose account is limited to a street or community works on the facilities inside it
   * only (each position: before and after a move).
   */
  async function checkScope(db: Queryable, request: FastifyRequest, points: { lon: number; lat: number }[]) {
    const scope = request.user!.scopeAreaCode;
    if (!scope) return;
    const outside = await repo.pointsOutsideScope(db, points, scope);
    if (outside.length > 0) {
      const p = points[outside[0]!]!;
      throw forbidden('facilities.outsideYourArea', { x: p.lon.toFixed(6), y: p.lat.toFixed(6), scope });
    }
  }

  app.get(
    '/api/facilities/:id',
    {
      config: { access: { roles: STAFF } },
      schema: { tags: ['facilities'], summary: 'One facility as staff edit it, with its version', params: FacilityIdParams, response: { 200: FacilityRecord, 404: ErrorReply } },
    },
    async (request) => {
      const record = await repo.record(pool, request.params.id);
      if (!record) throw notFound('facilities.notFound', { id: request.params.id });
      return record;
    },
  );

  app.post(
    '/api/facilities',
    {
      config: EDITORS,
      schema: { tags: ['facilities'], summary: 'Create a facility (its service area is stored with it)', body: FacilityDraft, response: { 201: FacilityRecord, 400: ErrorReply } },
    },
    async (request, reply) => {
      const draft = request.body;
      const record = await withTransaction(pool, async (client) => {
        const [lon, lat] = await checkedPosition(client, draft.lon, draft.lat, draft.sourceCrs, 'body/lon,lat');
        await checkScope(client, request, [{ lon, lat }]);
        const fields: FacilityFields = { ...draft, name: draft.name.trim(), address: draft.address.trim(), lon, lat };
        const [id] = await repo.insertMany(client, [fields]);
        await audit.record({ ...actor(request), action: 'facility.create', targetType: 'facility', targetId: id!, success: true, detail: { facilityType: draft.facilityType, sourceCrs: draft.sourceCrs ?? 'wgs84' } }, client);
        return (await repo.record(client, id!))!;
      });
      return reply.code(201).send(record);
    },
  );

  app.patch(
    '/api/facilities/:id',
    {
      config: EDITORS,
      schema: {
        tags: ['facilities'],
        summary: 'Edit or move a facility (send the version you read; lon and lat together move it)',
        params: FacilityIdParams,
        body: FacilityPatch,
        response: { 200: FacilityRecord, 400: ErrorReply, 404: ErrorReply, 409: ErrorReply },
      },
    },
    async (request) => {
      const { id } = request.params;
      const { version, sourceCrs, ...patch } = request.body;
      if ((patch.lon === undefined) !== (patch.lat === undefined)) throw badRequest('facilities.lonLatTogether');
      return withTransaction(pool, async (client) => {
        const current = await repo.record(client, id, true);
        if (!current) throw notFound('facilities.notFound', { id });
        let position: [number, number] = [current.lon, current.lat];
        const moved = patch.lon !== undefined && patch.lat !== undefined;
        if (moved) position = await checkedPosition(client, patch.lon!, patch.lat!, sourceCrs, 'body/lon,lat');
        await checkScope(client, request, [{ lon: current.lon, lat: current.lat }, { lon: position[0], lat: position[1] }]);
        const fields: FacilityFields = {
          facilityType: patch.facilityType ?? current.facilityType,
          name: patch.name?.trim() ?? current.name,
          address: patch.address?.trim() ?? current.address,
          lon: position[0],
          lat: position[1],
          phone: patch.phone !== undefined ? patch.phone : current.phone,
          openingHours: patch.openingHours !== undefined ? patch.openingHours : current.openingHours,
          services: patch.services ?? current.services,
          capacity: patch.capacity !== undefined ? patch.capacity : current.capacity,
          isPublic: patch.isPublic ?? current.isPublic,
        };
        await repo.update(client, id, version, fields);
        const changed = Object.keys(patch).filter((k) => k !== 'lon' && k !== 'lat');
        await audit.record({ ...actor(request), action: moved ? 'facility.move' : 'facility.update', targetType: 'facility', targetId: id, success: true, detail: { changed, moved, fromVersion: version } }, client);
        return (await repo.record(client, id))!;
      });
    },
  );

  app.post(
    '/api/facilities/:id/retire',
    {
      config: EDITORS,
      schema: {
        tags: ['facilities'],
        summary: 'Retire a facility: it leaves the maps and the coverage figures; its record is kept',
        params: FacilityIdParams,
        body: RetireBody,
        response: { 200: FacilityRecord, 404: ErrorReply, 409: ErrorReply },
      },
    },
    async (request) => {
      const { id } = request.params;
      return withTransaction(pool, async (client) => {
        const current = await repo.record(client, id);
        if (current) await checkScope(client, request, [current]);
        await repo.retire(client, id, request.body.version);
        await audit.record({ ...actor(request), action: 'facility.retire', targetType: 'facility', targetId: id, success: true }, client);
        return (await repo.record(client, id))!;
      });
    },
  );

  app.put(
    '/api/facility-types/:code/service-radius',
    {
      config: EDITORS,
      schema: {
        tags: ['facilities'],
        summary: "Set a facility type's walking radius; every facility of the type gets its service area redrawn",
        params: TypeCodeParams,
        body: TypeRadiusBody,
        response: { 200: FacilityTypeInfo, 404: ErrorReply },
      },
    },
    async (request) => {
      const { code } = request.params;
      const radius = request.body.serviceRadiusMeters;
      if (request.user!.scopeAreaCode) throw forbidden('facilities.radiusDistrictWide', { scope: request.user!.scopeAreaCode });
      await withTransaction(pool, async (client) => {
        const result = await repo.setTypeRadius(client, code, radius);
        await audit.record({ ...actor(request), action: 'facility_type.set_radius', targetType: 'facility_type', targetId: code, success: true, detail: { ...result, radiusMeters: radius } }, client);
      });
      return (await facilities.types()).find((t) => t.code === code)!;
    },
  );

  /** Reads the uploaded table and checks every row, against the file and against the database. */
  async function previewImport(request: FastifyRequest, crsChoice: string | undefined) {
    const file = await request.file();
    if (!file) throw badRequest('facilities.noFile');
    const bytes = await file.toBuffer();
    const table = await readTable(bytes, file.filename);
    // A table does not say its coordinate system: the user chooses it (no silent WGS84).
    const sourceCrs: SourceCrs = requiredLonLatCrs(crsChoice, 'querystring/sourceCrs');
    const types = await facilities.types();
    const { columns, rows } = checkImportRows(table.rows, table.headers, sourceCrs, types);

    const valid = rows.filter((r) => r.facility);
    const positions = valid.map((r) => [r.facility!.lon, r.facility!.lat] as [number, number]);
    const outside = await repo.pointsOutsideDistrict(pool, valid.map((r) => r.facility!));
    for (const { index, distanceMeters } of outside) {
      const row = valid[index]!;
      row.errors.push({
        column: `${columns.lon}/${columns.lat}`,
        ...problem('facilities.rowOutsideDistrict', {
          x: row.facility!.sourceLon,
          y: row.facility!.sourceLat,
          crs: sourceCrs,
          distance: { code: 'distance.meters', params: { meters: distanceMeters } },
        }),
      });
    }
    const scope = request.user!.scopeAreaCode;
    if (scope) {
      for (const index of await repo.pointsOutsideScope(pool, valid.map((r) => r.facility!), scope)) {
        valid[index]!.errors.push({ column: `${columns.lon}/${columns.lat}`, ...problem('facilities.rowOutsideYourArea', { scope }) });
      }
    }
    const duplicates = await repo.existingDuplicates(pool, valid.map((r) => r.facility!), DUPLICATE_DISTANCE_METERS);
    for (const { index, facilityId, distanceMeters } of duplicates) {
      valid[index]!.errors.push({ column: null, ...problem('facilities.rowExists', { id: facilityId, distance: { code: 'distance.meters', params: { meters: distanceMeters } } }) });
    }
    for (const row of valid) {
      if (row.errors.length > 0) {
        row.ok = false;
        row.facility = null;
      }
    }
    const errorCount = rows.filter((r) => !r.ok).length;
    return {
      crsHint: await crsHint(pool, positions, sourceCrs),
      fileName: file.filename,
      sourceCrs,
      columns: columns as Record<string, string>,
      rowCount: rows.length,
      validCount: rows.length - errorCount,
      errorCount,
      rows,
    };
  }

  app.post(
    '/api/facilities/import/preview',
    {
      config: IMPORT,
      schema: {
        tags: ['facilities'],
        summary: 'Check a facility table (CSV UTF-8/GBK or .xlsx) row by row; writes nothing',
        consumes: ['multipart/form-data'],
        querystring: ImportQuery,
        response: { 200: ImportPreview, 400: ErrorReply },
      },
    },
    async (request) => previewImport(request, request.query.sourceCrs),
  );

  app.post(
    '/api/facilities/import/commit',
    {
      config: IMPORT,
      schema: {
        tags: ['facilities'],
        summary: 'Import a facility table: all rows in one transaction, or none if any row has an error',
        consumes: ['multipart/form-data'],
        querystring: ImportQuery,
        response: { 201: ImportResult, 400: ErrorReply },
      },
    },
    async (request, reply) => {
      const preview = await previewImport(request, request.query.sourceCrs);
      const sourceCrs = preview.sourceCrs;
      if (preview.errorCount > 0) {
        await audit.record({ ...actor(request), action: 'facility.import', targetType: 'facility', success: false, detail: { rows: preview.rowCount, errorRows: preview.errorCount, sourceCrs } });
        const first = preview.rows.find((r) => !r.ok)!;
        const firstError = first.errors[0]!;
        throw badRequest(
          'facilities.importRowErrors',
          {
            errors: preview.errorCount,
            rows: preview.rowCount,
            row: first.rowNumber,
            column: firstError.column ? { code: 'facilities.inColumn', params: { column: firstError.column } } : null,
            detail: { code: firstError.code, params: firstError.params as RefusalParams },
          },
          preview.rows.filter((r) => !r.ok).map((r) => ({ rowNumber: r.rowNumber, errors: r.errors })),
        );
      }
      const ids = await withTransaction(pool, async (client) => {
        const created = await repo.insertMany(client, preview.rows.map((r) => r.facility!));
        await audit.record({ ...actor(request), action: 'facility.import', targetType: 'facility', success: true, detail: { rows: created.length, sourceCrs, firstId: created[0], lastId: created.at(-1) } }, client);
        return created;
      });
      return reply.code(201).send({ created: ids.length, ids });
    },
  );
};
