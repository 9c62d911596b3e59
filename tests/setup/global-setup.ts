/**
 * Once per `vitest run`: a PostGIS to test against (TEST_DATABASE_URL, or a throw-away
 * project-local cluster), and two template databases that each test file clones in
 * milliseconds: `wangge_tpl_empty` (migrated, no rows) and `wangge_tpl_demo` (migrated, with
 * the demo district loaded once).
 */
import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { createPool } from '../../server/db/pool.js';
import { migrate } from '../../server/db/migrate.js';
import { removeLocalCluster, startLocalCluster, type LocalCluster } from '../../server/local-postgres/cluster.js';
import { ensureDemoLoaded } from '../../server/demo/ensure-demo.js';
import { TEST_ANCHOR_DATE } from '../helpers/constants.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Connection string of the test server's maintenance database (for CREATE DATABASE). */
    adminDatabaseUrl: string;
  }
}

let cluster: LocalCluster | null = null;

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function recreateTemplate(adminUrl: string, name: string, fill: (pool: pg.Pool) => Promise<void>) {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const pool = createPool(withDatabase(adminUrl, name), 4);
  try {
    await fill(pool);
  } finally {
    await pool.end();
  }
}

export default async function setup(project: TestProject) {
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    // A cluster of this run's own, so that two runs side by side never share one.
    cluster = await startLocalCluster({ name: `pg-test-${process.pid}`, preferredPort: 54339, log: (line) => console.log(`[test db] ${line}`) });
    adminUrl = cluster.urlFor('postgres');
  }
  const started = Date.now();
  await recreateTemplate(adminUrl, 'wangge_tpl_empty', async (pool) => {
    await migrate(pool);
  });
  await recreateTemplate(adminUrl, 'wangge_tpl_demo', async (pool) => {
    await migrate(pool);
    await ensureDemoLoaded(pool, (line) => console.log(`[test db] ${line}`), TEST_ANCHOR_DATE);
    await pool.query('VACUUM ANALYZE');
  });
  console.log(`[test db] templates ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  project.provide('adminDatabaseUrl', adminUrl);

  return async () => {
    if (cluster) {
      cluster.stop();
      removeLocalCluster(cluster);
    }
  };
}
