/**
 * Once per `vitest run`: a PostGIS to test against (TEST_DATABASE_URL, or a throw-away
 * project-local cluster), the app role (a plain login role, as in production), and two template
 * databases that each test file clones in milliseconds: `wangge_tpl_empty` (migrated, no rows)
 * and `wangge_tpl_demo` (migrated, with the demo district loaded once). The templates are
 * migrated as the owner and carry the app role's grants into every clone.
 */
import crypto from 'node:crypto';
import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { createPool } from '../../server/db/pool.js';
import { migrate } from '../../server/db/migrate.js';
import { DEFAULT_APP_ROLE, ensureAppLoginRole } from '../../server/db/roles.js';
import { removeLocalCluster, startLocalCluster, type LocalCluster } from '../../server/local-postgres/cluster.js';
import { ensureDemoLoaded } from '../../server/demo/ensure-demo.js';
import { glyphRangesInUse, glyphServiceFor } from '../../server/modules/basemap/glyphs.js';
import path from 'node:path';
import { repoRoot } from '../../server/paths.js';

/**
 * Builds, once per run and before any test, the glyph ranges the demo's map labels need (into the
 * cache the test servers read), as `npm start` does in the background: a browser test then never
 * waits on a range. One face of the collection per range, so this takes seconds on a fresh clone
 * and nothing when the cache is there.
 */
async function warmGlyphs(pool: pg.Pool) {
  const started = Date.now();
  const { built } = await glyphServiceFor(path.join(repoRoot, '.data', 'glyphs')).warm(await glyphRangesInUse(pool));
  if (built > 0) console.log(`[glyphs] built ${built} range(s) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
import { TEST_ANCHOR_DATE } from '../helpers/constants.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Connection string of the test server's maintenance database (for CREATE DATABASE). */
    adminDatabaseUrl: string;
    /** The same database as the app role (the role the app serves with): swap the database name. */
    appDatabaseUrl: string;
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
  let appUrl: string;
  if (!adminUrl) {
    // A cluster of this run's own, so that two runs side by side never share one; throw-away,
    // so not durable (fsync off).
    cluster = await startLocalCluster({ name: `pg-test-${process.pid}`, preferredPort: 54339, durable: false, log: (line) => console.log(`[test db] ${line}`) });
    adminUrl = cluster.urlFor('postgres');
    appUrl = cluster.appUrlFor('postgres');
  } else {
    // The app role on the given server, its password derived from the URL so that two runs
    // against the same server agree on it.
    const password = crypto.createHash('sha256').update(`wangge-app:${adminUrl}`).digest('base64url').slice(0, 24);
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await ensureAppLoginRole(admin, DEFAULT_APP_ROLE, password);
    } finally {
      await admin.end();
    }
    const u = new URL(adminUrl);
    u.username = DEFAULT_APP_ROLE;
    u.password = encodeURIComponent(password);
    appUrl = u.toString();
  }
  const started = Date.now();
  await recreateTemplate(adminUrl, 'wangge_tpl_empty', async (pool) => {
    await migrate(pool, { appRole: DEFAULT_APP_ROLE });
  });
  await recreateTemplate(adminUrl, 'wangge_tpl_demo', async (pool) => {
    await migrate(pool, { appRole: DEFAULT_APP_ROLE });
    await ensureDemoLoaded(pool, (line) => console.log(`[test db] ${line}`), TEST_ANCHOR_DATE);
    await warmGlyphs(pool);
    await pool.query('VACUUM ANALYZE');
  });
  console.log(`[test db] templates ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  project.provide('adminDatabaseUrl', adminUrl);
  project.provide('appDatabaseUrl', appUrl);

  return async () => {
    if (cluster) {
      cluster.stop();
      removeLocalCluster(cluster);
    }
  };
}
