import crypto from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { createPool } from '../../server/db/pool.js';

export interface TestDatabase {
  /** As the owner role (the tables' owner, as migrations and maintenance run). */
  url: string;
  /** A pool as the owner role: for fixtures and for checking what the app did. */
  pool: pg.Pool;
  /** As the app role (a plain role with the app's grants only, as `npm start` serves). */
  appUrl: string;
  /** A pool as the app role: what the app under test runs on. */
  appPool: pg.Pool;
  drop(): Promise<void>;
}

/**
 * A database of this test file's own, cloned from a template: 'demo' has the Qindu demo
 * district and the demo accounts, 'empty' only the schema (for hand-made fixtures).
 */
export async function createTestDatabase(template: 'demo' | 'empty' = 'demo'): Promise<TestDatabase> {
  const adminUrl = inject('adminDatabaseUrl');
  const name = `wangge_test_${crypto.randomBytes(6).toString('hex')}`;
  // On a Citus cluster (the distributed project) the clone is made on every node: the workers
  // first, so that the coordinator's clone finds its shards.
  const nodeUrls = [...citusNodeUrls(), adminUrl];
  for (const nodeUrl of nodeUrls) {
    const admin = new pg.Client({ connectionString: nodeUrl });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${name} TEMPLATE wangge_tpl_${template}`);
    } finally {
      await admin.end();
    }
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  // The test's own pool (fixtures and checks) waits longer for a connection than the app's, which
  // fails fast by design: on a loaded two-core machine a connect can take more than 3 s.
  const pool = createPool(url, 5, { connectionTimeoutMillis: 20_000 });
  const a = new URL(inject('appDatabaseUrl'));
  a.pathname = `/${name}`;
  const appUrl = a.toString();
  const appPool = createPool(appUrl, 5);
  return {
    url,
    pool,
    appUrl,
    appPool,
    async drop() {
      await appPool.end();
      await pool.end();
      for (const nodeUrl of [adminUrl, ...citusNodeUrls()]) {
        const c = new pg.Client({ connectionString: nodeUrl });
        await c.connect();
        try {
          await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        } finally {
          await c.end();
        }
      }
    },
  };
}

/** Whether this test file runs in the distributed project (on a local Citus cluster). */
export const isDistributed = (): boolean => citusNodeUrls().length > 0;

/** The workers' maintenance databases when the tests run on a Citus cluster; else none. */
function citusNodeUrls(): string[] {
  try {
    return inject('citusNodeUrls') ?? [];
  } catch {
    return [];
  }
}
