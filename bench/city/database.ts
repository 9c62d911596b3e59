/**
 * The city-scale benchmark's own PostgreSQL cluster (`.data/pg-bench-city`, never the demo's or
 * the tests'), and one database per scale in it: `wangge_city` for the full city,
 * `wangge_city_0_05` for 1/20 of it.
 */
import pg from 'pg';
import { startLocalCluster, type LocalCluster } from '../../server/local-postgres/cluster.js';

export const BENCH_CLUSTER = 'pg-bench-city';

/**
 * The database of a scale; `BENCH_CITY_DATABASE` names another one instead (e.g. a copy made with
 * `CREATE DATABASE wangge_city_try TEMPLATE wangge_city` to try a migration on).
 */
export function cityDatabaseName(scale: number): string {
  if (process.env.BENCH_CITY_DATABASE) return process.env.BENCH_CITY_DATABASE;
  return scale === 1 ? 'wangge_city' : `wangge_city_${String(scale).replace('.', '_')}`;
}

export async function startBenchCluster(log: (line: string) => void): Promise<LocalCluster> {
  return startLocalCluster({ name: BENCH_CLUSTER, preferredPort: 54369, log, durable: false });
}

/** Connection string of a scale's database (DATABASE_URL's server instead of the local cluster when set). */
export async function cityDatabase(scale: number, log: (line: string) => void): Promise<{ url: string; cluster: LocalCluster | null }> {
  const name = cityDatabaseName(scale);
  if (process.env.BENCH_DATABASE_URL) {
    const u = new URL(process.env.BENCH_DATABASE_URL);
    u.pathname = `/${name}`;
    return { url: u.toString(), cluster: null };
  }
  const cluster = await startBenchCluster(log);
  return { url: cluster.urlFor(name), cluster };
}

export async function recreateDatabase(url: string): Promise<void> {
  const u = new URL(url);
  const name = u.pathname.slice(1);
  u.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: u.toString() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
}

export function parseScale(text: string | undefined): number {
  const scale = Number(text ?? '1');
  if (!(scale > 0 && scale <= 1)) throw new Error(`--scale must be in (0, 1]; got ${text}`);
  return scale;
}

/** Brings a benchmark database up to the project's migrations (a data set loaded before a new migration). */
export async function migrateCityDatabase(url: string, log: (line: string) => void): Promise<void> {
  const { createPool } = await import('../../server/db/pool.js');
  const { migrate } = await import('../../server/db/migrate.js');
  const pool = createPool(url, 1);
  const started = performance.now();
  try {
    await migrate(pool);
  } finally {
    await pool.end();
  }
  log(`Migrations checked in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
