/**
 * The analyst's aggregates, all computed in PostGIS over the same filter (incident_filtered):
 * heatmap cells and points as packed binary, hexagon bins, per-grid counts with Getis-Ord Gi*,
 * trends and rankings, period comparison, and the closed-loop indicators.
 */
import type { Queryable } from '../../db/pool.js';
import { sqlFile } from '../../shared/sql.js';
import { getisOrdGiStar } from './getis-ord.js';
import { nationalArea } from '../areas/national-list.js';
import { chinaDays, previousPeriod, yearAgoPeriod, type Period } from './period.js';
import type { ByGridReply, CompareReply, IndicatorRow, IndicatorsReply, IndicatorValues, INCIDENT_LIST_SORTS } from './schemas.js';

const HEAT_SQL = sqlFile(import.meta.url, 'heat.sql');
const HEAT_SUMMARY_SQL = sqlFile(import.meta.url, 'heat-summary.sql');
const HEXAGONS_SUMMARY_SQL = sqlFile(import.meta.url, 'hexagons-summary.sql');
const POINTS_SQL = sqlFile(import.meta.url, 'points.sql');
const POINTS_GEOJSON_SQL = sqlFile(import.meta.url, 'points-geojson.sql');
const HEXAGONS_SQL = sqlFile(import.meta.url, 'hexagons.sql');
const LIST_SQL = sqlFile(import.meta.url, 'list.sql');
const BY_GRID_SQL = sqlFile(import.meta.url, 'by-grid.sql');
const NEIGHBOURS_SQL = sqlFile(import.meta.url, 'grid-neighbours.sql');
const SUMMARY_SQL = sqlFile(import.meta.url, 'summary.sql');
const COMPARE_SQL = sqlFile(import.meta.url, 'compare.sql');
const INDICATORS_SQL = sqlFile(import.meta.url, 'indicators.sql');
const UNITS_SQL = sqlFile(import.meta.url, 'units.sql');

export interface AnalysisFilter extends Period {
  categories: string[] | null;
  statuses: string[] | null;
  sources: string[] | null;
  /** 6/9/12-digit area code or a 15-digit grid code. */
  area: string | null;
  /** The caller's own reach (app_user.scope_area_code), or null for the whole district. */
  scope: string | null;
}

/** The incident list's own narrowing and order (list.sql). */
export interface ListOptions {
  hex: { sizeMeters: number; i: number; j: number } | null;
  overdue?: boolean | null;
  text?: string | null;
  sort?: (typeof INCIDENT_LIST_SORTS)[number];
  descending?: boolean;
  limit: number;
  offset: number;
}

const filterParams = (f: AnalysisFilter) => [f.from, f.to, f.categories, f.statuses, f.sources, f.area, f.scope];

/** Bytes per record of the packed formats. */
export const HEAT_RECORD_BYTES = 12;
export const POINT_RECORD_BYTES = 16;

/** The heatmap's payload stays at or under 1 MB: at most this many cells (coarser cells beyond). */
export const MAX_HEAT_CELLS = Math.floor(1_000_000 / HEAT_RECORD_BYTES);
/** The cell of the heat summary (incident_bin, migration 011). */
const SUMMARY_HEAT_METERS = 400;

/**
 * The whole China-time days of a filter the incident summaries answer (no category, status,
 * source, area or scope), or null: such a filter reads the incidents themselves.
 */
export function summaryDays(f: AnalysisFilter): { first: number; end: number } | null {
  if (f.categories || f.statuses || f.sources || f.area || f.scope) return null;
  return chinaDays(f);
}

export interface HeatCells {
  cells: number;
  /** The cell size actually used: the one asked for, or coarser to keep the payload ≤ 1 MB. */
  cellMeters: number;
  totalWeight: number;
  maxWeight: number;
  bytes: Buffer;
}

/** PostgreSQL's float4send/int4send are big-endian; typed arrays in browsers are little-endian. */
function toLittleEndian(bytes: Buffer): Buffer {
  return bytes.length > 0 ? bytes.swap32() : bytes;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function heatOf(r: Record<string, any>): HeatCells {
  return { cells: r.cells, cellMeters: r.cell_meters, totalWeight: r.total_weight, maxWeight: r.max_weight, bytes: toLittleEndian(r.bytes) };
}

type ContiguityCache = Map<string, { signature: string; neighbours: Map<number, number[]> }>;

export function createAnalysisRepository(db: Queryable) {
  const contiguity: ContiguityCache = new Map();

  /** Neighbour lists of live grids, recomputed only when the grids change. */
  async function neighboursOf(kind: 'rook' | 'queen'): Promise<Map<number, number[]>> {
    const { rows: sig } = await db.query<{ signature: string }>(
      `SELECT count(*) || ':' || coalesce(max(id), 0) || ':' || coalesce(max(updated_at)::text, '') || ':' || count(retired_at) AS signature FROM grid`,
    );
    const signature = sig[0]!.signature;
    const cached = contiguity.get(kind);
    if (cached && cached.signature === signature) return cached.neighbours;
    const { rows } = await db.query<{ a: number; b: number }>(NEIGHBOURS_SQL, [kind]);
    const neighbours = new Map<number, number[]>();
    const add = (x: number, y: number) => {
      const list = neighbours.get(x);
      if (list) list.push(y);
      else neighbours.set(x, [y]);
    };
    for (const { a, b } of rows) {
      add(a, b);
      add(b, a);
    }
    contiguity.set(kind, { signature, neighbours });
    return neighbours;
  }

  /** indicators.sql for the period, the one before (环比) and a year before (同比), per unit. */
  async function indicatorPeriods(
    q: { period: Period; level: string; categories: string[] | null; area: string | null; scope: string | null },
    now: Date,
    client: Queryable,
  ): Promise<IndicatorPeriods> {
    const previous = previousPeriod(q.period);
    const yearAgo = yearAgoPeriod(q.period);
    const run = async (p: Period) => {
      const asOf = new Date(Math.min(p.to.getTime(), now.getTime()));
      const { rows } = await client.query(INDICATORS_SQL, [p.from, p.to, asOf, q.categories, q.area, q.scope, q.level]);
      return new Map(rows.map((r) => [r.unit as string, valuesOf(r)]));
    };
    const [current, prev, ago] = await Promise.all([run(q.period), run(previous), run(yearAgo)]);
    return { previous, yearAgo, current, prev, ago };
  }

  return {
    /**
     * Heatmap cells: little-endian float32 (lon, lat, weight) records; at most MAX_HEAT_CELLS of
     * them (coarser cells than asked for when the finer ones would be more).
     * Unfiltered whole days with count weights: when the period has more incidents than the
     * payload has room for cells and the cells asked for could be too many (more than the
     * occupied 400 m cells × (400 / cell)²), the 400 m summary answers (400 m cells or coarser);
     * otherwise, and for any other filter, the incidents themselves.
     */
    async heat(f: AnalysisFilter, cellMeters: number, weight: 'count' | 'urgency', client: Queryable = db): Promise<HeatCells> {
      const days = summaryDays(f);
      if (days && weight === 'count') {
        // At most MAX_HEAT_CELLS incidents: as many cells at most, whatever their size.
        const { rows: few } = await client.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM (SELECT 1 FROM incident WHERE reported_at >= $1 AND reported_at < $2 LIMIT $3) x`,
          [f.from, f.to, MAX_HEAT_CELLS + 1],
        );
        if (few[0]!.n > MAX_HEAT_CELLS) {
          const { rows } = await client.query(HEAT_SUMMARY_SQL, [days.first, days.end, MAX_HEAT_CELLS]);
          const r = rows[0]!;
          const finer = cellMeters < SUMMARY_HEAT_METERS && r.cells_400 * (SUMMARY_HEAT_METERS / cellMeters) ** 2 <= MAX_HEAT_CELLS;
          if (!finer) return heatOf(r);
        }
      }
      const { rows } = await client.query(HEAT_SQL, [...filterParams(f), cellMeters, weight, MAX_HEAT_CELLS]);
      return heatOf(rows[0]!);
    },

    /** Individual points: little-endian (float32 lon, float32 lat, float32 weight, uint32 id). */
    async points(f: AnalysisFilter, limit: number, client: Queryable = db) {
      const { rows } = await client.query(POINTS_SQL, [...filterParams(f), limit]);
      return { points: rows[0]!.points as number, bytes: toLittleEndian(rows[0]!.bytes) };
    },

    /** The same points as GeoJSON text (for the benchmark's baseline only). */
    async pointsGeoJson(f: AnalysisFilter, client: Queryable = db): Promise<string> {
      const { rows } = await client.query(POINTS_GEOJSON_SQL, filterParams(f));
      return rows[0]!.collection;
    },

    /** Hexagon bins as JSON text (HexagonBins); unfiltered whole days from the summary. */
    async hexagons(f: AnalysisFilter, sizeMeters: number, client: Queryable = db): Promise<string> {
      const days = summaryDays(f);
      const { rows } = days
        ? await client.query(HEXAGONS_SUMMARY_SQL, [days.first, days.end, sizeMeters])
        : await client.query(HEXAGONS_SQL, [...filterParams(f), sizeMeters]);
      return rows[0]!.bins;
    },

    async list(f: AnalysisFilter, options: ListOptions, client: Queryable = db) {
      const { hex, overdue = null, text = null, sort = 'reportedAt', descending = true, limit, offset } = options;
      const { rows } = await client.query(LIST_SQL, [
        ...filterParams(f), hex?.sizeMeters ?? null, hex?.i ?? null, hex?.j ?? null, limit, offset, overdue, text, sort, descending,
      ]);
      return rows;
    },

    /** Outlines of some grids (a grid worker's own: a handful, for the report form's map). */
    async gridOutlinesOf(gridIds: number[], client: Queryable = db): Promise<string> {
      const { rows } = await client.query(
        `SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
           'type', 'Feature', 'id', g.id, 'geometry', ST_AsGeoJSON(g.geom, 6)::json,
           'properties', json_build_object('id', g.id, 'code', g.code, 'name', g.name, 'communityCode', g.community_code, 'residents', g.residents)
         ) ORDER BY g.code), '[]'::json))::text AS collection
         FROM grid g WHERE g.id = ANY ($1::bigint[]) AND g.retired_at IS NULL`,
        [gridIds],
      );
      return rows[0]!.collection;
    },

    /** Counts per grid with Getis-Ord Gi* z-scores over the units of the area (see by-grid.sql). */
    async byGrid(f: AnalysisFilter, kind: 'rook' | 'queen', client: Queryable = db): Promise<ByGridReply> {
      const unitArea = f.area && f.area.length === 15 ? f.area.slice(0, 12) : f.area;
      const { rows } = await client.query<{ grid_id: number; code: string; residents: number; count: number }>(BY_GRID_SQL, [...filterParams(f), unitArea]);
      const neighbours = await neighboursOf(kind);
      const index = new Map(rows.map((r, i) => [r.grid_id, i]));
      // Neighbours outside the analysed units (another area, another scope) are left out.
      const lists = rows.map((r) => (neighbours.get(r.grid_id) ?? []).map((id) => index.get(id)).filter((i): i is number => i !== undefined));
      const values = rows.map((r) => r.count);
      const gi = getisOrdGiStar(values, lists);
      const n = values.length;
      const mean = n ? values.reduce((a, b) => a + b, 0) / n : 0;
      const sd = n ? Math.sqrt(Math.max(values.reduce((a, b) => a + b * b, 0) / n - mean * mean, 0)) : 0;
      return {
        method: { statistic: 'Getis-Ord Gi*', contiguity: kind, units: n, mean, standardDeviation: sd },
        grids: rows.map((r, i) => ({
          gridId: r.grid_id,
          code: r.code,
          count: r.count,
          residents: r.residents,
          per1000: r.residents > 0 ? (r.count * 1000) / r.residents : null,
          z: gi[i]!.z,
          hotspotClass: gi[i]!.confidenceClass,
          neighbours: lists[i]!.length,
        })),
      };
    },

    async summary(f: AnalysisFilter, client: Queryable = db): Promise<string> {
      const { rows } = await client.query(SUMMARY_SQL, filterParams(f));
      return rows[0]!.summary;
    },

    async compare(f: AnalysisFilter, earlier: Period, level: 'grid' | 'community', limit: number, client: Queryable = db): Promise<CompareReply> {
      const { rows } = await client.query<{ code: string; name: string; before: number; after: number }>(COMPARE_SQL, [...filterParams(f), earlier.from, earlier.to, level]);
      const all = rows.map((r) => ({ ...r, change: r.after - r.before }));
      const rose = all.filter((r) => r.change > 0).sort((a, b) => b.change - a.change || a.code.localeCompare(b.code)).slice(0, limit);
      const fell = all.filter((r) => r.change < 0).sort((a, b) => a.change - b.change || a.code.localeCompare(b.code)).slice(0, limit);
      return { rose, fell };
    },

    async indicators(
      q: { period: Period; level: 'grid' | 'community' | 'street' | 'district' | 'city'; categories: string[] | null; area: string | null; scope: string | null },
      now: Date = new Date(),
      client: Queryable = db,
    ): Promise<IndicatorsReply> {
      const [units, periods] = await Promise.all([
        client.query<{ code: string; name: string }>(UNITS_SQL, [q.level, q.area, q.scope]),
        indicatorPeriods(q, now, client),
      ]);
      const rows = units.rows.map((u) => indicatorRow(u.code, u.name || (nationalArea(u.code)?.name ?? u.code), periods));
      return { period: iso(q.period), previous: iso(periods.previous), yearAgo: iso(periods.yearAgo), rows };
    },

    /**
     * The same indicators per top-level category (indicators.sql with level 'category'): one row
     * for each category given (code and name), zeros included.
     */
    async indicatorsByCategory(
      q: { period: Period; area: string | null; scope: string | null },
      categories: { code: string; name: string }[],
      now: Date = new Date(),
      client: Queryable = db,
    ): Promise<IndicatorRow[]> {
      const periods = await indicatorPeriods({ ...q, level: 'category', categories: null }, now, client);
      return categories.map((c) => indicatorRow(c.code, c.name, periods));
    },
  };
}
export type AnalysisRepository = ReturnType<typeof createAnalysisRepository>;

const EMPTY_VALUES: IndicatorValues = {
  reported: 0,
  byStatus: {},
  due: 0,
  closed: 0,
  closedOnTime: 0,
  closureRate: null,
  onTimeClosureRate: null,
  meanHandlingHours: null,
  overdueOpen: 0,
};

function valuesOf(r: Record<string, any>): IndicatorValues {
  const byStatus: Record<string, number> = {};
  for (const s of ['reported', 'accepted', 'dispatched', 'handling', 'verifying', 'closed', 'returned']) {
    if (r[`s_${s}`] > 0) byStatus[s] = r[`s_${s}`];
  }
  return {
    reported: r.reported,
    byStatus,
    due: r.due,
    closed: r.closed,
    closedOnTime: r.closed_on_time,
    closureRate: r.due > 0 ? r.closed / r.due : null,
    onTimeClosureRate: r.due > 0 ? r.closed_on_time / r.due : null,
    meanHandlingHours: r.mean_handling_hours ?? null,
    overdueOpen: r.overdue_open,
  };
}

interface IndicatorPeriods {
  previous: Period;
  yearAgo: Period;
  current: Map<string, IndicatorValues>;
  prev: Map<string, IndicatorValues>;
  ago: Map<string, IndicatorValues>;
}

const iso = (p: Period) => ({ from: p.from.toISOString(), to: p.to.toISOString() });

function indicatorRow(code: string, name: string, periods: IndicatorPeriods): IndicatorRow {
  const c = periods.current.get(code) ?? EMPTY_VALUES;
  const p = periods.prev.get(code) ?? EMPTY_VALUES;
  const y = periods.ago.get(code) ?? EMPTY_VALUES;
  return {
    code,
    name,
    current: c,
    previous: p,
    yearAgo: y,
    reportedMonthOnMonth: relativeChange(c.reported, p.reported),
    reportedYearOnYear: relativeChange(c.reported, y.reported),
    closureRateMonthOnMonthPoints: pointsChange(c.closureRate, p.closureRate),
    closureRateYearOnYearPoints: pointsChange(c.closureRate, y.closureRate),
  };
}

const relativeChange = (now: number, before: number) => (before > 0 ? (now - before) / before : null);
const pointsChange = (now: number | null, before: number | null) => (now !== null && before !== null ? (now - before) * 100 : null);
