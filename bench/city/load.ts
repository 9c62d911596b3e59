/**
 * `npm run bench:city:load [-- --scale 0.05]`: creates the city-scale data set in the benchmark's
 * own cluster (see database.ts): 50,000 grids in 7,000 communities, 500,000 buildings, 5,000
 * facilities and 10 million incidents over 3 years at scale 1. Migrates with the project's
 * migrations, generates every row inside PostgreSQL (city-sql.ts), builds the incident indexes
 * once after the rows are in, and creates the demo accounts for the benchmarks to log in with.
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createPool } from '../../server/db/pool.js';
import { migrate } from '../../server/db/migrate.js';
import { DEMO_ACCOUNTS } from '../../server/demo/accounts.js';
import { hashPassword } from '../../server/modules/auth/password.js';
import { cityFigures, citySql, incidentBatchSql } from './city-sql.js';
import { cityDatabase, parseScale, recreateDatabase } from './database.js';

const { values } = parseArgs({ options: { scale: { type: 'string', default: '1' }, anchor: { type: 'string' } } });
const scale = parseScale(values.scale);
const today = new Date();
const anchor = values.anchor ? new Date(`${values.anchor}T00:00:00Z`) : new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()));
const figures = cityFigures(scale);
const log = (line: string) => console.log(line);

const started = performance.now();
const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
const { url, cluster } = await cityDatabase(scale, log);
log(`City data set at scale ${scale}: ${figures.communities} communities, ${figures.grids} grids, ${figures.buildings} buildings, ${figures.facilities} facilities, ${figures.incidents} incidents; anchor ${anchor.toISOString().slice(0, 10)}`);
await recreateDatabase(url);
const pool = createPool(url, 2);
await migrate(pool);
await pool.end();

const db = new pg.Client({ connectionString: url, statement_timeout: 0 } as pg.ClientConfig);
await db.connect();
// Rows are consistent by construction: no foreign-key checks and no triggers while loading
// (the tile invalidation and service-area triggers; service areas are filled by the SQL itself).
await db.query(`SET session_replication_role = replica`);
await db.query(`SET maintenance_work_mem = '1GB'`);
await db.query(`SET max_parallel_maintenance_workers = 2`);
for (const step of citySql({ scale, anchor })) {
  const t0 = performance.now();
  await db.query(step.sql);
  log(`  ${step.label.padEnd(32)} ${((performance.now() - t0) / 1000).toFixed(1).padStart(7)} s`);
}

// Incidents: secondary indexes dropped, rows in batches, indexes built once (sorted GiST builds).
const { rows: indexes } = await db.query<{ name: string; def: string }>(
  `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
    WHERE i.tablename = 'incident' AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
);
for (const index of indexes) await db.query(`DROP INDEX ${index.name}`);
// Two connections insert batches side by side (one per core of the machine measured), each
// taking the next batch in time order: the table ends up (nearly) in reporting order, as in service.
const batch = Math.max(50_000, Math.ceil(figures.incidents / 20));
const batches: number[] = [];
for (let first = 1; first <= figures.incidents; first += batch) batches.push(first);
const incidentsStarted = performance.now();
let inserted = 0;
await Promise.all(
  [0, 1].map(async () => {
    const worker = new pg.Client({ connectionString: url, statement_timeout: 0 } as pg.ClientConfig);
    await worker.connect();
    await worker.query(`SET session_replication_role = replica`);
    for (let first = batches.shift(); first !== undefined; first = batches.shift()) {
      const count = Math.min(batch, figures.incidents - first + 1);
      await worker.query(incidentBatchSql({ scale, anchor }, first, count));
      inserted += count;
      log(`  incidents ${String(inserted).padStart(9)} / ${figures.incidents} ${((performance.now() - incidentsStarted) / 1000).toFixed(1).padStart(7)} s`);
    }
    await worker.end();
  }),
);
for (const index of indexes) {
  const t0 = performance.now();
  await db.query(index.def);
  log(`  index ${index.name.padEnd(32)} ${((performance.now() - t0) / 1000).toFixed(1).padStart(7)} s`);
}
await db.query(`SET session_replication_role = DEFAULT`);
// The incident summaries (migration 011) follow the incidents by trigger; the triggers were off.
{
  const t0 = performance.now();
  await db.query('SELECT incident_summary_rebuild()');
  log(`  incident summaries               ${((performance.now() - t0) / 1000).toFixed(1).padStart(7)} s`);
}

for (const account of DEMO_ACCOUNTS) {
  await db.query(`INSERT INTO app_user (username, display_name, role, password_hash) VALUES ($1, $2, $3, $4) ON CONFLICT (username) DO NOTHING`, [
    account.username,
    account.displayName,
    account.role,
    await hashPassword(account.password),
  ]);
}
// The grid worker serves the grids of the first urban community (as in the demo).
await db.query(
  `UPDATE grid_staff s SET user_id = (SELECT id FROM app_user WHERE username = 'gridworker')
    WHERE s.role = 'manager' AND s.grid_id IN (SELECT id FROM grid WHERE community_code = (SELECT min(code) FROM admin_area WHERE level = 'community' AND kind = 'urban'))`,
);
const t0 = performance.now();
await db.query('VACUUM (ANALYZE)');
log(`  vacuum analyze                   ${((performance.now() - t0) / 1000).toFixed(1).padStart(7)} s`);
const { rows } = await db.query(
  `SELECT (SELECT count(*) FROM admin_area WHERE level = 'community') AS communities, (SELECT count(*) FROM grid) AS grids,
          (SELECT count(*) FROM building) AS buildings, (SELECT count(*) FROM facility) AS facilities, (SELECT count(*) FROM incident) AS incidents,
          pg_size_pretty(pg_database_size(current_database())) AS size`,
);
await db.end();
log(`Loaded in ${seconds()} s: ${JSON.stringify(rows[0])}`);
log(`Database: ${cityDatabaseNameOf(url)} on ${cluster ? 'the benchmark cluster (.data/' + 'pg-bench-city)' : 'BENCH_DATABASE_URL'}`);
// A cluster this run started is stopped again (its data stays in .data/pg-bench-city for the benchmarks).
if (cluster?.startedHere) cluster.stop();
function cityDatabaseNameOf(u: string) {
  return new URL(u).pathname.slice(1);
}
