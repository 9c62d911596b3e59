/**
 * Buildings import: points or polygons with households, residents, 60+, 80+, an address and an
 * optional building code, read through the one front door (vector files by GDAL, CSV/Excel with
 * coordinate columns by shared/tabular.ts) → columns mapped (field-mapping.ts) → each building
 * placed (sql/place-buildings.sql: a polygon's inner point, its grid and community) → checked →
 * preview; commit all or nothing.
 *
 * An import REPLACES the buildings of the communities it covers: their live buildings are
 * retired (kept, with their history, out of every figure) and the file's buildings take their
 * place; the grids around both are re-counted at once. Communities the file does not touch keep
 * their buildings.
 */
import type { Pool } from '../../db/pool.js';
import { withTransaction } from '../../db/pool.js';
import { lonLatCodedProblem, toWgs84 } from '../../shared/coordinates.js';
import { problem, type Problem } from '../../shared/refusals.js';
import { badRequest, phrase, unprocessable } from '../../shared/errors.js';
import { sqlFile } from '../../shared/sql.js';
import { readTable } from '../../shared/tabular.js';
import { createAuditRepository } from '../audit/audit-repository.js';
import type { SessionUser } from '../auth/roles.js';
import { readVectorFile } from '../imports/read-vector.js';
import type { ChosenCrs } from '../imports/source-crs.js';
import { crsHint } from '../imports/offset-check.js';
import { requiredLonLatCrs } from '../imports/upload.js';
import type { SourceEncoding } from '../imports/text-encoding.js';
import { createBuildingRepository, type NewBuilding } from './building-repository.js';
import { BUILDING_ALIASES, mapColumns, parseCount, type BuildingField } from './field-mapping.js';

const PLACE_SQL = sqlFile(import.meta.url, 'place-buildings.sql');
export const MAX_TABLE_BUILDINGS = 50_000;
const PREVIEW_ROWS = 200;

export interface BuildingImportRequest {
  bytes: Buffer;
  fileName: string;
  crs?: ChosenCrs;
  encoding?: SourceEncoding;
  /** Field → column the user chose ({"households": "HU"}); the rest are recognised by name. */
  columns?: Record<string, string>;
  reason?: string;
}

/** A problem of one row or feature: where, the problem's code and params, its English message. */
export type ImportError = {
  /** The row (tables; the header is row 1) or feature (vector files, from 1). */
  row: number;
  column: string | null;
} & Problem;

export interface PlannedBuilding extends NewBuilding {
  row: number;
  gridCode: string | null;
}

const TABLE = /\.(csv|txt|xlsx|xls|ods)$/i;

/** 'row' or 'feature' as a phrase (第 3 行, 第 3 个要素). */
const unitPhrase = (unit: 'row' | 'feature') => phrase(unit === 'row' ? 'buildings.unitRow' : 'buildings.unitFeature');

interface SourceRow {
  row: number;
  get: (column: string) => unknown;
  geometry: unknown;
  coordinateProblem?: ImportError;
}

async function readSource(request: BuildingImportRequest) {
  const required: BuildingField[] = ['households', 'residents', 'residents60Plus', 'residents80Plus'];
  if (TABLE.test(request.fileName)) {
    const table = await readTable(request.bytes, request.fileName, MAX_TABLE_BUILDINGS);
    const mapping = mapColumns(table.headers, BUILDING_ALIASES, [...required, 'lon', 'lat'], request.columns);
    // A table never says its system: the user's choice, or a 400 naming the missing choice.
    const crs = requiredLonLatCrs(request.crs, 'body/crs');
    const rows: SourceRow[] = table.rows.map((r) => {
      const lonText = r.values[mapping.columns.lon ?? ''] ?? '';
      const latText = r.values[mapping.columns.lat ?? ''] ?? '';
      const lon = Number(lonText);
      const lat = Number(latText);
      let bad: ImportError | undefined;
      if (mapping.missing.length === 0) {
        if (lonText === '' || !Number.isFinite(lon)) bad = { row: r.rowNumber, column: mapping.columns.lon!, ...problem('buildings.rowNotLongitude', { text: lonText.slice(0, 40) }) };
        else if (latText === '' || !Number.isFinite(lat)) bad = { row: r.rowNumber, column: mapping.columns.lat!, ...problem('buildings.rowNotLatitude', { text: latText.slice(0, 40) }) };
        else {
          const p = lonLatCodedProblem(lon, lat);
          if (p) bad = { row: r.rowNumber, column: mapping.columns.lon!, ...p };
        }
      }
      const position = bad ? null : toWgs84([lon, lat], crs);
      return { row: r.rowNumber, get: (c: string) => r.values[c], geometry: position ? { type: 'Point', coordinates: position } : null, coordinateProblem: bad };
    });
    return { format: 'table' as const, unit: 'row' as const, headers: table.headers, mapping, rows, crs };
  }
  const source = await readVectorFile(request.bytes, request.fileName, { crs: request.crs, encoding: request.encoding ?? 'auto' });
  const mapping = mapColumns(source.fields, BUILDING_ALIASES, required, request.columns);
  const rows: SourceRow[] = source.features.map((f, i) => ({ row: i + 1, get: (c: string) => f.properties[c], geometry: f.geometry }));
  return { format: source.format, unit: 'feature' as const, headers: source.fields, mapping, rows, crs: source.crs.name };
}

export function createBuildingImport(pool: Pool) {
  const audit = createAuditRepository(pool);
  const buildings = createBuildingRepository();

  /** Reads, maps, places and checks; throws 400 for what stops reading at all (missing columns). */
  async function plan(db: Pick<Pool, 'query'>, user: SessionUser, request: BuildingImportRequest) {
    const source = await readSource(request);
    const { mapping } = source;
    if (mapping.unknownChoices.length) throw badRequest('buildings.noSuchColumn', { file: request.fileName, columns: mapping.unknownChoices.join(', ') }, { headers: source.headers });
    if (mapping.missing.length) {
      throw badRequest('buildings.missingColumns', { file: request.fileName, missing: mapping.missing.join(', '), headers: source.headers.join(', ') || phrase('buildings.none') },
        { missing: mapping.missing, headers: source.headers });
    }
    if (source.rows.length === 0) throw badRequest('buildings.noBuildings', { file: request.fileName });
    const errors: ImportError[] = [];
    const c = mapping.columns;
    const text = (r: SourceRow, f: BuildingField) => (c[f] === undefined ? '' : String(r.get(c[f]!) ?? '').trim().normalize('NFKC'));

    const places = new Map<number, { gtype: string | null; lon: number | null; lat: number | null; grid_code: string | null; grid_community: string | null; outline_community: string | null; in_territory: boolean }>();
    const located = source.rows.filter((r) => r.geometry);
    for (let i = 0; i < located.length; i += 5000) {
      const part = located.slice(i, i + 5000);
      let rows;
      try {
        ({ rows } = await db.query(PLACE_SQL, [part.map((r) => JSON.stringify(r.geometry))]));
      } catch (error) {
        throw badRequest('buildings.geometryUnreadable', { file: request.fileName, detail: (error as Error).message });
      }
      for (const p of rows) places.set(part[p.ord - 1]!.row, p);
    }
    const { rows: [{ has_grids: hasGrids }] } = await db.query(`SELECT EXISTS (SELECT 1 FROM grid WHERE retired_at IS NULL) AS has_grids`);

    const planned: PlannedBuilding[] = [];
    const codes = new Map<string, number>();
    for (const r of source.rows) {
      const rowErrors: ImportError[] = [];
      if (r.coordinateProblem) rowErrors.push(r.coordinateProblem);
      const place = places.get(r.row);
      if (!r.coordinateProblem && (!place || place.lon === null)) {
        rowErrors.push({ row: r.row, column: null, ...(r.geometry ? problem('buildings.rowNotPointOrPolygon', { type: place?.gtype ?? 'geometry' }) : problem('buildings.rowNoGeometry')) });
      }
      const figures = {} as Record<'households' | 'residents' | 'residents60Plus' | 'residents80Plus', number>;
      for (const field of ['households', 'residents', 'residents60Plus', 'residents80Plus'] as const) {
        const parsed = parseCount(r.get(c[field]!));
        if ('problem' in parsed) rowErrors.push({ row: r.row, column: c[field]!, ...parsed.problem });
        else figures[field] = parsed.value;
      }
      if (figures.residents60Plus !== undefined && figures.residents !== undefined && figures.residents60Plus > figures.residents) {
        rowErrors.push({ row: r.row, column: c.residents60Plus!, ...problem('buildings.rowR60AboveResidents', { r60: figures.residents60Plus, residents: figures.residents }) });
      }
      if (figures.residents80Plus !== undefined && figures.residents60Plus !== undefined && figures.residents80Plus > figures.residents60Plus) {
        rowErrors.push({ row: r.row, column: c.residents80Plus!, ...problem('buildings.rowR80AboveR60', { r80: figures.residents80Plus, r60: figures.residents60Plus }) });
      }
      let buildingCode: string | null = text(r, 'buildingCode') || null;
      if (buildingCode !== null) {
        if (/^\d{1,5}$/.test(buildingCode) && Number(buildingCode) >= 1) buildingCode = buildingCode.padStart(5, '0');
        else {
          rowErrors.push({ row: r.row, column: c.buildingCode!, ...problem('buildings.rowBadBuildingCode', { text: buildingCode.slice(0, 20) }) });
          buildingCode = null;
        }
      }
      let communityCode: string | null = null;
      let gridCode: string | null = null;
      if (place && place.lon !== null) {
        const where = { lon: place.lon.toFixed(6), lat: place.lat!.toFixed(6) };
        gridCode = place.grid_code;
        communityCode = place.grid_community ?? place.outline_community;
        if (hasGrids && !gridCode) rowErrors.push({ row: r.row, column: null, ...problem('buildings.rowOutsideGrids', where) });
        else if (!hasGrids && !place.in_territory) rowErrors.push({ row: r.row, column: null, ...problem('buildings.rowOutsideDistrict', where) });
        else if (user.scopeAreaCode && !(communityCode ?? '').startsWith(user.scopeAreaCode)) {
          rowErrors.push({ row: r.row, column: null, ...problem('buildings.rowOutsideYourArea', { ...where, scope: user.scopeAreaCode }) });
        }
      }
      if (buildingCode && communityCode !== undefined) {
        const key = `${communityCode ?? ''}/${buildingCode}`;
        const first = codes.get(key);
        if (first !== undefined) {
          rowErrors.push({ row: r.row, column: c.buildingCode!, ...problem('buildings.rowCodeTaken', { buildingCode, unit: unitPhrase(source.unit), first, inCommunity: communityCode ? phrase('buildings.inCommunity', { community: communityCode }) : '' }) });
        }
        else codes.set(key, r.row);
      }
      if (rowErrors.length) {
        errors.push(...rowErrors);
        continue;
      }
      const kindText = text(r, 'kind');
      const address = text(r, 'address').slice(0, 200) || null;
      const name = (text(r, 'name') || address || (buildingCode ? `楼栋${buildingCode}` : `楼栋${r.row}`)).slice(0, 100);
      planned.push({
        row: r.row, name, address, buildingCode, communityCode, gridCode,
        kind: /小区|院|compound/i.test(kindText) ? 'compound' : 'building',
        lon: place!.lon!, lat: place!.lat!, ...figures,
      });
    }
    return { source, planned, errors };
  }

  async function communitiesOf(db: Pick<Pool, 'query'>, planned: readonly PlannedBuilding[]) {
    const byCode = new Map<string | null, { buildings: number; households: number; residents: number; residents60Plus: number; residents80Plus: number }>();
    for (const b of planned) {
      const t = byCode.get(b.communityCode) ?? { buildings: 0, households: 0, residents: 0, residents60Plus: 0, residents80Plus: 0 };
      t.buildings++;
      t.households += b.households;
      t.residents += b.residents;
      t.residents60Plus += b.residents60Plus;
      t.residents80Plus += b.residents80Plus;
      byCode.set(b.communityCode, t);
    }
    const codes = [...byCode.keys()].filter((c): c is string => c !== null);
    const { rows } = await db.query<{ code: string; name: string; replacing: number }>(
      `SELECT a.code, a.name,
              (SELECT count(*)::int FROM building b WHERE b.retired_at IS NULL
                 AND (b.community_code = a.code OR (b.community_code IS NULL AND a.geom IS NOT NULL AND ST_Covers(a.geom, b.geom)))) AS replacing
         FROM admin_area a WHERE a.code = ANY ($1::text[]) ORDER BY a.code`, [codes]);
    const list = rows.map((r) => ({ code: r.code, name: r.name, replacing: r.replacing, ...byCode.get(r.code)! }));
    if (byCode.has(null)) {
      const { rows: [u] } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM building WHERE retired_at IS NULL AND community_code IS NULL`);
      list.push({ code: '', name: '', replacing: u!.n, ...byCode.get(null)! });
    }
    return list;
  }

  function totals(planned: readonly PlannedBuilding[]) {
    return planned.reduce((t, b) => ({
      buildings: t.buildings + 1, households: t.households + b.households, residents: t.residents + b.residents,
      residents60Plus: t.residents60Plus + b.residents60Plus, residents80Plus: t.residents80Plus + b.residents80Plus,
    }), { buildings: 0, households: 0, residents: 0, residents60Plus: 0, residents80Plus: 0 });
  }

  return {
    async preview(actor: { user: SessionUser }, request: BuildingImportRequest) {
      const { source, planned, errors } = await plan(pool, actor.user, request);
      return {
        format: source.format,
        crs: String(source.crs),
        unit: source.unit,
        columns: source.mapping.columns,
        rowCount: source.rows.length,
        totals: totals(planned),
        communities: await communitiesOf(pool, planned),
        errors,
        points: planned.map((b) => [Math.round(b.lon * 1e6) / 1e6, Math.round(b.lat * 1e6) / 1e6, b.row]),
        crsHint: await crsHint(pool, planned.map((b) => [b.lon, b.lat]), String(source.crs)),
        rows: planned.slice(0, PREVIEW_ROWS).map(({ lon: _lon, lat: _lat, kind: _kind, ...b }) => b),
      };
    },

    async commit(actor: { user: SessionUser; ip: string }, request: BuildingImportRequest, progress?: (stage: string, done: number, total: number) => void) {
      progress?.('reading', 0, 1);
      return withTransaction(pool, async (client) => {
        // One import at a time, so that two imports of one community cannot interleave.
        await client.query(`SELECT pg_advisory_xact_lock(hashtext('building-import'))`);
        const { source, planned, errors } = await plan(client, actor.user, request);
        if (errors.length) {
          const first = errors[0]!;
          throw unprocessable('buildings.importErrors', {
            count: errors.length, unit: unitPhrase(source.unit), row: first.row,
            column: first.column ? phrase('buildings.atColumn', { column: first.column }) : '', detail: { code: first.code, params: first.params },
          }, { errors });
        }
        progress?.('writing', 0, planned.length);
        const communities = await communitiesOf(client, planned);
        const communityCodes = communities.map((c) => c.code).filter(Boolean);
        const reason = request.reason || `import of ${request.fileName}`;
        const result = await buildings.replaceCommunities(client, communityCodes, planned.some((b) => b.communityCode === null), planned, actor, reason,
          (done, total) => progress?.('writing', done, total));
        await audit.record({
          actorUserId: actor.user.id, actorUsername: actor.user.username, action: 'building.import', targetType: 'community', targetId: communityCodes.join(',').slice(0, 500),
          ip: actor.ip, success: true,
          detail: { format: source.format, rows: source.rows.length, ...result, totals: totals(planned) },
        }, client);
        progress?.('done', planned.length, planned.length);
        return { ...result, communities, totals: totals(planned) };
      });
    },
  };
}
