/**
 * Coverage queries. All of them start from the same counting stations (live facilities of the
 * chosen types, less what-if removals, plus what-if proposals) and measure on geography. Which
 * building is covered comes from building-cover.sql (planar distances in a local frame, exact on
 * the spheroid near the radius); the figures are added up per grid in the database.
 */
import type { Pool, Queryable } from '../../db/pool.js';
import { withTransaction } from '../../db/pool.js';
import { badRequest, phrase } from '../../shared/errors.js';
import { sqlFile } from '../../shared/sql.js';
import type { BuildingCoverageRow, CoverageTallyRow, PlaceRow } from './aggregate.js';
import type { CandidatePoint, GapDetail, Population, Scenario } from './schemas.js';
import { hierarchyRoot } from '../areas/hierarchy-repository.js';
import { networkReady, pgroutingStatus } from '../network/network-repository.js';

const COUNTING = sqlFile(import.meta.url, 'counting-stations.sql')
  .split('\n')
  .filter((line) => !line.startsWith('--'))
  .join('\n');
const withCounting = (name: string) => sqlFile(import.meta.url, name).replace('{{counting}}', COUNTING);
const COVER = sqlFile(import.meta.url, 'building-cover.sql')
  .split('\n')
  .filter((line) => !line.startsWith('--'))
  .join('\n');
const COVER_NETWORK = sqlFile(import.meta.url, 'building-cover-network.sql')
  .split('\n')
  .filter((line) => !line.startsWith('--'))
  .join('\n');
const withCover = (name: string, cover = COVER) => sqlFile(import.meta.url, name).replace('{{cover}}', cover);

const BUILDING_COVERAGE_SQL = withCover('building-coverage.sql');
const COVERAGE_TALLIES_SQL = withCover('coverage-tallies.sql');
const BUILDING_COVERAGE_NETWORK_SQL = withCover('building-coverage.sql', COVER_NETWORK);
const COVERAGE_TALLIES_NETWORK_SQL = withCover('coverage-tallies.sql', COVER_NETWORK);

/** How distance is measured: along the walking network, or the straight line (the fallback). */
export type DistanceMethod = 'network' | 'straight_line';
/**
 * A counting station's service area as the gap layers draw it: its stored circle (or a proposal's,
 * buffered on the fly), or by network its stored walking area as drawn (simplified to about 2 m,
 * migration 026; a proposal's walk computed the same way). `c` is the counting row, r its radius
 * or walking reach. The figures never come from these shapes.
 */
const AREA_SQL: Record<DistanceMethod, { area: string; join: string; method: string }> = {
  straight_line: { area: 'coalesce(a.geom, facility_service_area_polygon(c.geom, c.r::int))', join: 'LEFT JOIN facility_service_area a ON a.facility_id = c.facility_id', method: "'straight_line'" },
  network: { area: 'coalesce(w.geom_drawn, ST_SimplifyPreserveTopology(walk_area_polygon(c.geom, c.r), 0.00002))', join: 'LEFT JOIN facility_walk_area w ON w.facility_id = c.facility_id', method: "'network'" },
};
const withArea = (name: string, method: DistanceMethod) =>
  withCounting(name).replaceAll('{{area}}', AREA_SQL[method].area).replaceAll('{{area_join}}', AREA_SQL[method].join).replaceAll('{{method}}', AREA_SQL[method].method);
const SERVICE_AREAS_SQL = { straight_line: withArea('service-areas.sql', 'straight_line'), network: withArea('service-areas.sql', 'network') };
const UNCOVERED_BUILDINGS_SQL = withCounting('uncovered-buildings.sql');
const GAP_AREAS_SQL = { straight_line: withArea('gap-areas.sql', 'straight_line'), network: withArea('gap-areas.sql', 'network') };
const COUNTING_FACILITIES_SQL = sqlFile(import.meta.url, 'counting-facilities.sql');
const PLACES_SQL = sqlFile(import.meta.url, 'places.sql');
const CANDIDATE_COVER_SQL = sqlFile(import.meta.url, 'candidate-cover.sql');
const CANDIDATE_COVER_NETWORK_SQL = sqlFile(import.meta.url, 'candidate-cover-network.sql');
const GRID_CENTROIDS_SQL = sqlFile(import.meta.url, 'candidates-grid-centroids.sql');
const BUILDING_POINTS_SQL = sqlFile(import.meta.url, 'candidates-building-points.sql');

/** A scenario with every proposal's radius settled, ready to bind as $1–$5. */
export interface ResolvedScenario {
  method: DistanceMethod;
  /** Why straight-line, when it is. */
  methodNote: string | null;
  facilityTypes: string[];
  population: Population;
  removedFacilityIds: number[];
  /** radiusMeters: the circle's radius; walkMeters: the walk along the network (the type's walking time × speed unless a radius is given). */
  proposals: { lon: number; lat: number; radiusMeters: number; walkMeters: number; facilityType: string; label: string }[];
}

const countingParams = (s: ResolvedScenario, method: DistanceMethod = 'straight_line') => [
  s.facilityTypes,
  s.removedFacilityIds,
  s.proposals.map((p) => p.lon),
  s.proposals.map((p) => p.lat),
  s.proposals.map((p) => (method === 'network' ? p.walkMeters : p.radiusMeters)),
];

/**
 * These queries join a few thousand rows with cheap index probes, but their cost estimates pass
 * PostgreSQL's JIT threshold and compiling costs more than running; so run them without JIT.
 */
async function withoutJit<T>(pool: Pool, fn: (db: Queryable) => Promise<T>): Promise<T> {
  return withTransaction(pool, async (client) => {
    await client.query('SET LOCAL jit = off');
    return fn(client);
  });
}

/**
 * The coverage of every building (building-cover.sql): without JIT as above, and with room for its
 * hash tables (one row per building, ≈140 MB for half a million) so that they stay in memory.
 */
async function forCoverage<T>(pool: Pool, fn: (db: Queryable) => Promise<T>): Promise<T> {
  return withTransaction(pool, async (client) => {
    await client.query(`SET LOCAL jit = off; SET LOCAL work_mem = '256MB'`);
    return fn(client);
  });
}

export function createCoverageRepository(pool: Pool) {
  return {
    /** Settles proposal radii from the type settings and checks the removed ids; 400 on a bad one. */
    async resolveScenario(scenario: Scenario, where = 'body'): Promise<ResolvedScenario> {
      const { rows: types } = await pool.query<{ code: string; r: number; walk: number; name_zh: string }>(
        `SELECT code, service_radius_meters AS r, walk_reach_meters(walk_minutes, walk_speed_kmh) AS walk, name_zh FROM facility_type`);
      const radius = new Map(types.map((t) => [t.code, t]));
      const removed = scenario.removedFacilityIds ?? [];
      if (removed.length > 0) {
        const { rows } = await pool.query<{ id: number }>(
          `SELECT id FROM facility WHERE id = ANY ($1::bigint[]) AND retired_at IS NULL AND facility_type = ANY ($2::text[])`,
          [removed, scenario.facilityTypes],
        );
        const live = new Set(rows.map((r) => r.id));
        const index = removed.findIndex((id) => !live.has(id));
        if (index >= 0) throw badRequest('coverage.notLiveFacility', { where, index, id: removed[index]! });
      }
      const proposals = (scenario.proposals ?? []).map((p, i) => ({
        lon: p.lon,
        lat: p.lat,
        radiusMeters: p.radiusMeters ?? radius.get(p.facilityType)!.r,
        walkMeters: p.radiusMeters ?? radius.get(p.facilityType)!.walk,
        facilityType: p.facilityType,
        label: p.label ?? `${radius.get(p.facilityType)!.name_zh}（拟建 ${i + 1}）`,
      }));
      const ready = await networkReady(pool);
      if (scenario.distance === 'network' && !ready) {
        const pg = await pgroutingStatus(pool);
        throw badRequest('coverage.noNetwork', { where, detail: pg.message ?? phrase('coverage.noNetworkLoaded') });
      }
      const method: DistanceMethod = scenario.distance ?? (ready ? 'network' : 'straight_line');
      let methodNote: string | null = null;
      if (method === 'straight_line') {
        const pg = await pgroutingStatus(pool);
        methodNote = scenario.distance === 'straight_line' ? 'straight-line distance, as asked' : pg.message ?? 'no walking network is loaded: straight-line distance';
      }
      return { method, methodNote, facilityTypes: scenario.facilityTypes, population: scenario.population, removedFacilityIds: removed, proposals };
    },

    /** The circle's radius, or with 'network' the walking reach (minutes × speed), in metres. */
    async typeRadius(code: string, method: DistanceMethod = 'straight_line'): Promise<number> {
      const { rows } = await pool.query<{ r: number }>(
        method === 'network' ? `SELECT walk_reach_meters(walk_minutes, walk_speed_kmh) AS r FROM facility_type WHERE code = $1` : `SELECT service_radius_meters AS r FROM facility_type WHERE code = $1`, [code]);
      return rows[0]!.r;
    },

    /** Every building, covered or not (for the siting run, which weighs the uncovered ones). */
    async buildingCoverage(s: ResolvedScenario, method: DistanceMethod = 'straight_line'): Promise<BuildingCoverageRow[]> {
      const sql = method === 'network' ? BUILDING_COVERAGE_NETWORK_SQL : BUILDING_COVERAGE_SQL;
      return forCoverage(pool, async (db) => (await db.query<BuildingCoverageRow>(sql, countingParams(s, method))).rows);
    },

    /**
     * The buildings added up per grid (and per community outside every grid), optionally with the
     * ids of the uncovered ones: what the figures need, without shipping every building.
     */
    async coverageTallies(s: ResolvedScenario, withUncoveredIds: boolean, method: DistanceMethod = 'straight_line'): Promise<CoverageTallyRow[]> {
      const sql = method === 'network' ? COVERAGE_TALLIES_NETWORK_SQL : COVERAGE_TALLIES_SQL;
      const rows = await forCoverage(pool, async (db) => (await db.query<CoverageTallyRow>(sql, [...countingParams(s, method), withUncoveredIds])).rows);
      // bigint[] arrives as strings (only scalar int8 has a number parser).
      for (const r of rows) r.uncovered_ids = r.uncovered_ids.map(Number);
      return rows;
    },

    /** The top of the hierarchy the figures roll up to (the city, or the one district). */
    root: () => hierarchyRoot(pool),

    async places(): Promise<PlaceRow[]> {
      return (await pool.query<PlaceRow>(PLACES_SQL)).rows;
    },

    async countingFacilityCount(s: ResolvedScenario): Promise<number> {
      const { rows } = await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM facility WHERE retired_at IS NULL AND facility_type = ANY ($1::text[]) AND NOT (id = ANY ($2::bigint[]))`,
        [s.facilityTypes, s.removedFacilityIds],
      );
      return rows[0]!.n;
    },

    /**
     * The gap layers as JSON texts built in PostGIS. With detail 'map', no building points (the
     * map draws the building tiles), and only the proposed stations' service areas and the
     * removed facilities (the map draws the others from the facility tiles).
     */
    async gapsAsText(
      s: ResolvedScenario,
      uncovered: { id: number; gridId: number | null; gridCode: string | null; communityCode: string | null }[],
      detail: GapDetail,
    ): Promise<{ uncoveredBuildings: string | null; uncoveredAreas: string; serviceAreas: string; facilities: string }> {
      // By network, the proposals' reach is their walk, and the map draws every walking area from
      // here (the facility tiles can only draw circles).
      const base = countingParams(s, s.method);
      const gridIds = [...new Set(uncovered.map((u) => u.gridId).filter((g): g is number => g !== null))];
      const ids = uncovered.map((u) => u.id);
      const forMap = detail === 'map';
      return withoutJit(pool, async (db) => {
        const one = async (sql: string, params: unknown[]) => ((await db.query<{ collection: string }>(sql, params)).rows[0]!.collection);
        return {
          uncoveredBuildings: forMap
            ? null
            : await one(UNCOVERED_BUILDINGS_SQL, [...base, ids, s.population, uncovered.map((u) => u.gridCode), uncovered.map((u) => u.communityCode)]),
          uncoveredAreas: await one(GAP_AREAS_SQL[s.method], [...base, gridIds, ids]),
          serviceAreas: await one(SERVICE_AREAS_SQL[s.method], [...base, s.proposals.map((p) => p.facilityType), s.proposals.map((p) => p.label), forMap && s.method !== 'network']),
          facilities: await one(COUNTING_FACILITIES_SQL, [s.facilityTypes, s.removedFacilityIds, forMap]),
        };
      });
    },

    async candidates(source: 'grid_centroids' | 'building_points'): Promise<CandidatePoint[]> {
      const { rows } = await pool.query<{ label: string; lon: number; lat: number }>(source === 'grid_centroids' ? GRID_CENTROIDS_SQL : BUILDING_POINTS_SQL);
      return rows;
    },

    /**
     * For each candidate, the wanted buildings within radius. Candidates go in chunks so that a
     * long run can report progress (and one query never holds thousands of probes at once).
     */
    async candidateCover(
      candidates: CandidatePoint[],
      radiusMeters: number,
      wantedBuildingIds: number[],
      onChunk: (done: number, total: number) => void,
      chunkSize = 400,
      method: DistanceMethod = 'straight_line',
    ): Promise<Map<number, number[]>> {
      if (method === 'network') chunkSize = Math.min(chunkSize, 50);
      const cover = new Map<number, number[]>();
      for (let start = 0; start < candidates.length; start += chunkSize) {
        const chunk = candidates.slice(start, start + chunkSize);
        const rows = await withoutJit(pool, async (db) =>
          (await db.query<{ idx: number; building_ids: (string | number)[] }>(method === 'network' ? CANDIDATE_COVER_NETWORK_SQL : CANDIDATE_COVER_SQL, [chunk.map((c) => c.lon), chunk.map((c) => c.lat), radiusMeters, wantedBuildingIds])).rows,
        );
        // bigint[] arrives as strings (only scalar int8 has a number parser).
        for (const r of rows) cover.set(start + r.idx, r.building_ids.map(Number));
        onChunk(Math.min(start + chunkSize, candidates.length), candidates.length);
      }
      return cover;
    },
  };
}
export type CoverageRepository = ReturnType<typeof createCoverageRepository>;
