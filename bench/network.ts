/**
 * `npm run bench:network`: the walking network on the demo district, side by side in one run —
 * computing every facility's walking service area (target ≤ 20 s), a district-wide coverage run by
 * network against the straight-line run (target ≤ 3×), and one facility moved → its walking area
 * and the coverage figures updated (target ≤ 1 s). Machines here are shared and noisy: the ratios
 * travel, the absolute figures do not.
 *
 * Starts its own PostGIS cluster (or uses DATABASE_URL) with the demo district, and stops it.
 * Options: --runs N (repetitions of the coverage runs, median reported; default 5).
 */
import { parseArgs } from 'node:util';
import { createPool } from '../server/db/pool.js';
import { migrate } from '../server/db/migrate.js';
import { ensureDemoLoaded } from '../server/demo/ensure-demo.js';
import { startLocalCluster } from '../server/local-postgres/cluster.js';
import { createCoverageRepository } from '../server/modules/coverage/coverage-repository.js';
import { createCoverageService } from '../server/modules/coverage/coverage-service.js';
import { networkReady, pgroutingStatus } from '../server/modules/network/network-repository.js';
import type { Scenario } from '../server/modules/coverage/schemas.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Math.max(1, Number(values.runs));

const cluster = process.env.DATABASE_URL ? null : await startLocalCluster({ name: 'pg-bench-network', preferredPort: 54381, log: console.log });
const pool = createPool(process.env.DATABASE_URL ?? cluster!.connectionString, 8);

try {
  await migrate(pool);
  await ensureDemoLoaded(pool, console.log, new Date(Date.UTC(2026, 10, 1)));
  if (!(await networkReady(pool))) throw new Error((await pgroutingStatus(pool)).message ?? 'no walking network loaded');
  await pool.query('ANALYZE');
  const service = createCoverageService(createCoverageRepository(pool));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

  // 1. Every facility's walking service area, from scratch.
  const { rows: counts } = await pool.query<{ f: number; e: number; b: number }>(
    `SELECT (SELECT count(*)::int FROM facility WHERE retired_at IS NULL) AS f, (SELECT count(*)::int FROM walk_edge) AS e, (SELECT count(*)::int FROM building) AS b`);
  let started = performance.now();
  await pool.query(`SET jit = off; SELECT count(facility_walk_refresh(id)) FROM facility WHERE retired_at IS NULL`);
  const allAreas = performance.now() - started;
  started = performance.now();
  await pool.query(`SELECT walk_network_rebuild_derived()`);
  const rebuild = performance.now() - started;

  // 2. District coverage, network against straight-line, same scenario.
  const scenario = (distance: 'network' | 'straight_line'): Scenario => ({ facilityTypes: ['day_care_centre', 'home_elderly_care_station'], population: 'age60', distance });
  async function timed(distance: 'network' | 'straight_line') {
    await service.analyse(scenario(distance));
    const times: number[] = [];
    let covered = 0;
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      covered = (await service.analyse(scenario(distance))).district.covered;
      times.push(performance.now() - t0);
    }
    return { ms: median(times), covered };
  }
  const network = await timed('network');
  const straight = await timed('straight_line');

  // 3. One facility moved: its walking area (trigger) and the coverage figures again.
  const { rows: one } = await pool.query<{ id: number }>(`SELECT id FROM facility WHERE facility_type = 'day_care_centre' AND retired_at IS NULL ORDER BY id LIMIT 1`);
  started = performance.now();
  await pool.query(`UPDATE facility SET geom = ST_Translate(geom, 0.002, 0.001) WHERE id = $1`, [one[0]!.id]);
  const moveArea = performance.now() - started;
  const after = await service.analyse(scenario('network'));
  const moveTotal = performance.now() - started;

  console.log(`\nWalking network on the demo district: ${counts[0]!.e} edges, ${counts[0]!.b} buildings, ${counts[0]!.f} facilities\n`);
  console.log(`  all walking service areas (${counts[0]!.f} facilities)        ${s(allAreas).padStart(9)}   target ≤ 20 s   ${allAreas <= 20_000 ? 'ok' : 'MISSED'}`);
  console.log(`  network change: rejoin buildings + all areas         ${s(rebuild).padStart(9)}`);
  console.log(`  district coverage, straight-line (median of ${runs})        ${s(straight.ms).padStart(9)}   covered ${straight.covered.toLocaleString('en')}`);
  console.log(`  district coverage, network (median of ${runs})              ${s(network.ms).padStart(9)}   covered ${network.covered.toLocaleString('en')}   ${(network.ms / straight.ms).toFixed(2)}× straight-line, target ≤ 3×   ${network.ms <= 3 * straight.ms ? 'ok' : 'MISSED'}`);
  console.log(`  one facility moved: its walking area                 ${s(moveArea).padStart(9)}`);
  console.log(`  one facility moved: area + district coverage         ${s(moveTotal).padStart(9)}   target ≤ 1 s   ${moveTotal <= 1000 ? 'ok' : 'MISSED'}   covered ${after.district.covered.toLocaleString('en')}`);
  console.log(`\n  the circle overstates the 60+ covered by ${(straight.covered - network.covered).toLocaleString('en')} people (${((1 - network.covered / straight.covered) * 100).toFixed(1)}% of the circle's figure)\n`);
} finally {
  await pool.end();
  cluster?.stop();
}
