/**
 * `npm run bench:coverage`: how long a district-wide coverage run and a what-if take on the demo
 * district, measured against the naive way (union of every service circle, then intersect the
 * union with every grid and count the buildings inside) in the same run, and how close the
 * greedy siting comes to the exhaustive optimum for small k. Machines here are shared and noisy:
 * the ratios travel, the absolute figures do not.
 *
 * Starts its own PostGIS cluster (or uses DATABASE_URL) with the demo district, and stops it.
 * Options: --runs N (repetitions per measurement, median reported; default 7).
 */
import { parseArgs } from 'node:util';
import { createPool } from '../server/db/pool.js';
import { migrate } from '../server/db/migrate.js';
import { ensureDemoLoaded } from '../server/demo/ensure-demo.js';
import { startLocalCluster } from '../server/local-postgres/cluster.js';
import { createCoverageRepository } from '../server/modules/coverage/coverage-repository.js';
import { createCoverageService } from '../server/modules/coverage/coverage-service.js';
import type { Scenario, SitingRequest } from '../server/modules/coverage/schemas.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' } } });
const runs = Math.max(1, Number(values.runs));

const cluster = process.env.DATABASE_URL ? null : await startLocalCluster({ name: 'pg-bench-coverage', preferredPort: 54379, log: console.log, durable: false });
const pool = createPool(process.env.DATABASE_URL ?? cluster!.connectionString, 8);

try {
  await migrate(pool);
  await ensureDemoLoaded(pool, console.log, new Date(Date.UTC(2026, 10, 1)));
  await pool.query('ANALYZE');
  const service = createCoverageService(createCoverageRepository(pool));

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  async function time<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
    await fn(); // warm-up: plans and caches
    const times: number[] = [];
    let value!: T;
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      value = await fn();
      times.push(performance.now() - started);
    }
    return { ms: median(times), value };
  }

  // The naive way, for the same scenario: one union of all circles, intersected with each grid.
  const NAIVE_SQL = `
    WITH counting AS (
      SELECT ST_Buffer(f.geom::geography, t.service_radius_meters, 'quad_segs=16')::geometry AS circle
      FROM facility f JOIN facility_type t ON t.code = f.facility_type
      WHERE f.retired_at IS NULL AND f.facility_type = ANY ($1) AND NOT (f.id = ANY ($2::bigint[]))
      UNION ALL
      SELECT ST_Buffer(ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography, r, 'quad_segs=16')::geometry
      FROM unnest($3::float8[], $4::float8[], $5::float8[]) AS p(lon, lat, r)
    ), circles AS (
      SELECT ST_Union(circle) AS geom FROM counting
    ), per_grid AS (
      SELECT g.id, g.geom, ST_Intersection(g.geom, c.geom) AS covered_geom FROM grid g CROSS JOIN circles c WHERE g.retired_at IS NULL
    )
    SELECT sum(b.residents_60_plus)::int AS population,
           coalesce(sum(b.residents_60_plus) FILTER (WHERE ST_Covers(p.covered_geom, b.geom)), 0)::int AS covered
    FROM per_grid p JOIN building b ON ST_Covers(p.geom, b.geom)`;
  const naive = async (s: Scenario) => {
    const resolved = await service.resolve(s);
    const client = await pool.connect();
    try {
      await client.query('SET jit = off');
      const { rows } = await client.query(NAIVE_SQL, [
        resolved.facilityTypes, resolved.removedFacilityIds, resolved.proposals.map((p) => p.lon), resolved.proposals.map((p) => p.lat), resolved.proposals.map((p) => p.radiusMeters),
      ]);
      return rows[0] as { population: number; covered: number };
    } finally {
      await client.query('RESET jit');
      client.release();
    }
  };

  const scenarios: [string, Scenario][] = [
    ['elderly care (day-care + home stations), aged 60+', { facilityTypes: ['day_care_centre', 'home_elderly_care_station'], population: 'age60' }],
    ['all 11 facility types, aged 60+', {
      facilityTypes: ['party_mass_service_centre', 'community_service_centre', 'day_care_centre', 'home_elderly_care_station', 'elderly_canteen', 'care_home', 'volunteer_station', 'home_for_disabled', 'health_station', 'emergency_shelter', 'convenience_station'],
      population: 'age60',
    }],
  ];

  console.log(`\nCoverage on the demo district (median of ${runs} runs after a warm-up)\n`);
  for (const [name, scenario] of scenarios) {
    const base = await service.analyse(scenario);
    // What-if: a station at the largest uncovered building, and the first counting station removed.
    const { rows: [biggest] } = await pool.query(
      `SELECT ST_X(b.geom) AS lon, ST_Y(b.geom) AS lat FROM building b
       WHERE NOT EXISTS (SELECT 1 FROM facility f JOIN facility_service_area a ON a.facility_id = f.id
                         WHERE f.retired_at IS NULL AND f.facility_type = ANY ($1) AND ST_DWithin(b.geom::geography, f.geom::geography, a.radius_meters))
       ORDER BY b.residents_60_plus DESC LIMIT 1`,
      [scenario.facilityTypes],
    );
    const { rows: [first] } = await pool.query(`SELECT min(id) AS id FROM facility WHERE retired_at IS NULL AND facility_type = ANY ($1)`, [scenario.facilityTypes]);
    const whatIf: Scenario = { ...scenario, proposals: [{ lon: biggest.lon, lat: biggest.lat, facilityType: 'home_elderly_care_station' }], removedFacilityIds: [first.id] };

    const full = await time(() => service.analyse(scenario));
    const fullWithGaps = await time(() => service.analyseWithGapsAsText(scenario));
    const what = await time(() => service.analyse(whatIf));
    const naiveFull = await time(() => naive(scenario));
    const naiveWhat = await time(() => naive(whatIf));

    console.log(`${name}: ${base.countingFacilities} stations, ${base.district.population} people, ${(base.district.share! * 100).toFixed(2)}% reached`);
    const line = (label: string, ms: number, baseline: number) => console.log(`  ${label.padEnd(52)} ${ms.toFixed(0).padStart(6)} ms   naive/this ${(baseline / ms).toFixed(1)}×`);
    line('district run, figures per grid/community/street', full.ms, naiveFull.ms);
    line('district run with the gap layers (map)', fullWithGaps.ms, naiveFull.ms);
    line('what-if (+1 proposed, −1 removed)', what.ms, naiveWhat.ms);
    console.log(`  ${'naive district run (union of circles ∩ every grid)'.padEnd(52)} ${naiveFull.ms.toFixed(0).padStart(6)} ms`);
    console.log(`  ${'naive what-if'.padEnd(52)} ${naiveWhat.ms.toFixed(0).padStart(6)} ms`);
    console.log(
      `  same answer? covered ${full.value.district.covered} (exact distance) vs ${naiveFull.value.covered} (polygon circles); ` +
        `what-if ${what.value.district.covered} vs ${naiveWhat.value.covered}\n`,
    );
  }

  // Siting: greedy against the exhaustive optimum, on grid centres.
  console.log('Where to build next: greedy maximal covering vs exhaustive search (grid centres, home elderly-care stations, aged 60+)');
  for (const k of [1, 2, 3]) {
    const request: SitingRequest = { scenario: scenarios[0]![1], k, facilityType: 'home_elderly_care_station', candidates: 'grid_centroids', compareExhaustive: true };
    const resolved = await service.prepareSiting(request);
    const started = performance.now();
    const result = await service.site(request, resolved, () => {});
    const ex = result.exhaustive!;
    console.log(
      `  k=${k}: greedy +${ex.greedyAdded}, optimum +${ex.optimalAdded}, ratio ${ex.ratio.toFixed(4)}${ex.complete ? '' : ' (search incomplete)'}; ` +
        `${result.usefulCandidates}/${result.candidateCount} useful candidates; run ${(performance.now() - started).toFixed(0)} ms, exhaustive part ${ex.elapsedMs} ms, ${ex.combinationsEvaluated} combinations`,
    );
  }
  {
    const request: SitingRequest = { scenario: scenarios[0]![1], k: 3, facilityType: 'home_elderly_care_station', candidates: 'building_points', compareExhaustive: true };
    const result = await service.site(request, await service.prepareSiting(request), () => {});
    const ex = result.exhaustive!;
    console.log(`  k=3 over building points: greedy +${ex.greedyAdded}, optimum +${ex.optimalAdded}, ratio ${ex.ratio.toFixed(4)}${ex.complete ? '' : ' (search incomplete)'}; ${ex.candidatesSearched} distinct useful sites, ${ex.combinationsEvaluated} combinations, ${ex.elapsedMs} ms`);
  }
  const request: SitingRequest = { scenario: scenarios[0]![1], k: 10, facilityType: 'home_elderly_care_station', candidates: 'building_points' };
  const started = performance.now();
  const result = await service.site(request, await service.prepareSiting(request), () => {});
  console.log(`  k=10 over ${result.candidateCount} building points: +${result.totalAdded} people in ${(performance.now() - started).toFixed(0)} ms`);
} finally {
  await pool.end();
  if (cluster) cluster.stop();
}
