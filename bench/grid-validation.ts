/**
 * Grid validation and saving, timed: validating one community, validating the whole demo
 * district, and saving one edit through the API, each against the same PostGIS work run bare
 * on a pooled connection in the same run (machines are shared and noisy: read the ratios).
 *
 *   npx tsx bench/grid-validation.ts [--runs 15]
 *
 * Starts its own local PostGIS cluster (.data/pg-bench-grid-validation), loads the demo
 * district once, and stops the cluster at the end.
 */
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { createPool, withTransaction, type PoolClient } from '../server/db/pool.js';
import { migrate } from '../server/db/migrate.js';
import { ensureDemoLoaded } from '../server/demo/ensure-demo.js';
import { DEMO_ACCOUNTS } from '../server/demo/accounts.js';
import { startLocalCluster } from '../server/local-postgres/cluster.js';
import { sqlFile } from '../server/shared/sql.js';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 15;
const gridsModule = new URL('../server/modules/grids/x.ts', import.meta.url).href;
const CREATE = sqlFile(gridsModule, 'candidate-create.sql');
const LIVE = sqlFile(gridsModule, 'candidate-live.sql');
const PREPARE = sqlFile(gridsModule, 'candidate-prepare.sql');
const VALIDATE = sqlFile(gridsModule, 'validate.sql');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function time(fn: () => Promise<unknown>): Promise<number[]> {
  await fn(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return samples;
}

const cluster = await startLocalCluster({ name: 'pg-bench-grid-validation', preferredPort: 54381, log: (line) => console.log(`[bench db] ${line}`), durable: false });
const pool = createPool(cluster.connectionString, 4);
try {
  await migrate(pool);
  await ensureDemoLoaded(pool, (line) => console.log(`[bench db] ${line}`));
  const app = await buildApp({ config: loadConfig({ DATABASE_URL: cluster.connectionString, LOG_LEVEL: 'silent', DEMO: 'true' }), pool, serveWeb: false });
  await app.ready();
  const account = DEMO_ACCOUNTS.find((a) => a.role === 'planner')!;
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: account.username, password: account.password } });
  const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');

  const { rows: [community] } = await pool.query<{ code: string; grids: number }>(
    `SELECT community_code AS code, count(*)::int AS grids FROM grid WHERE retired_at IS NULL GROUP BY community_code ORDER BY count(*) DESC, community_code LIMIT 1`);
  const { rows: all } = await pool.query<{ code: string }>(`SELECT code FROM admin_area WHERE level = 'community' AND code LIKE '610402%' ORDER BY code`);
  const { rows: [gridCount] } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM grid WHERE retired_at IS NULL`);
  const districtCodes = all.map((r) => r.code);

  // The bare PostGIS work: the candidate table and the validation query, nothing else.
  const bareValidation = (codes: string[]) => () =>
    withTransaction(pool, async (client: PoolClient) => {
      await client.query('SET LOCAL jit = off');
      await client.query(CREATE);
      await client.query(LIVE, [codes]);
      await client.query(PREPARE);
      return client.query(VALIDATE, [codes]);
    });
  const apiValidation = (query: string) => async () => {
    const res = await app.inject({ method: 'GET', url: `/api/grid-validation?${query}`, headers: { cookie } });
    if (res.statusCode !== 200) throw new Error(res.body);
  };

  // One edit: the grid's outline nudged 1e-7° back and forth (≈1 cm), so every save really changes it.
  const { rows: [grid] } = await pool.query<{ id: number }>(
    `SELECT id FROM grid WHERE community_code = $1 AND retired_at IS NULL ORDER BY code LIMIT 1`, [community!.code]);
  let flip = 1;
  const apiSave = async () => {
    const { rows: [g] } = await pool.query(`SELECT version, ST_AsGeoJSON(ST_Translate(geom, 0, $2 * 1e-7), 15)::json AS geometry FROM grid WHERE id = $1`, [grid!.id, flip]);
    flip = -flip;
    const res = await app.inject({ method: 'PATCH', url: `/api/grids/${grid!.id}`, headers: { cookie }, payload: { version: g.version, geometry: g.geometry, reason: 'benchmark' } });
    if (res.statusCode !== 200) throw new Error(res.body);
  };
  const bareSave = () =>
    withTransaction(pool, async (client) => {
      flip = -flip;
      await client.query(`UPDATE grid SET geom = ST_Translate(geom, 0, $2 * 1e-7), version = version + 1, updated_at = now() WHERE id = $1`, [grid!.id, flip]);
    });

  const cases: [string, () => Promise<unknown>, () => Promise<unknown>][] = [
    [`validate one community (${community!.code}, ${community!.grids} grids)`, apiValidation(`community=${community!.code}`), bareValidation([community!.code])],
    [`validate the demo district (${districtCodes.length} communities, ${gridCount!.n} grids)`, apiValidation('district=610402'), bareValidation(districtCodes)],
    ['save one edit (outline; checks, history, validation of its community)', apiSave, bareSave],
  ];
  console.log(`\n${RUNS} runs each, median milliseconds; "bare" is the same PostGIS work on a pooled connection\n`);
  console.log(`${'case'.padEnd(78)} ${'Wangge'.padStart(9)} ${'bare'.padStart(9)} ${'ratio'.padStart(7)}`);
  for (const [label, wangge, bare] of cases) {
    // Interleaved, so that a noisy neighbour slows both alike.
    const a: number[] = [];
    const b: number[] = [];
    for (let round = 0; round < 3; round++) {
      a.push(...(await time(wangge)).slice(0, Math.ceil(RUNS / 3)));
      b.push(...(await time(bare)).slice(0, Math.ceil(RUNS / 3)));
    }
    const ma = median(a);
    const mb = median(b);
    console.log(`${label.padEnd(78)} ${ma.toFixed(1).padStart(9)} ${mb.toFixed(1).padStart(9)} ${(ma / mb).toFixed(2).padStart(6)}×`);
  }
  console.log('\nThe bare save is only the UPDATE: the ratio is what validity, overlap and stale-version checks, snapping, history and the validation report cost.');
  await app.close();
} finally {
  await pool.end();
  cluster.stop();
}
