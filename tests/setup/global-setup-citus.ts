/**
 * Once per `vitest run` of the "distributed" project: a throw-away Citus cluster (a coordinator
 * and two workers, server/local-postgres/citus-cluster.ts) and the same two templates as
 * global-setup.ts (`wangge_tpl_empty`, `wangge_tpl_demo`), migrated on the coordinator (so laid
 * out for Citus by migration 032). A template exists on every node under the same name, shards
 * included; a test file's database is cloned from it on every node (tests/helpers/database.ts,
 * `citusNodeUrls`): the clones keep the shard names and the metadata, and the coordinator reaches
 * the workers' databases by the same name. A template accepts no connections once built (Citus
 * keeps a maintenance connection to every database with the extension, which would block the
 * cloning), and those connections are ended.
 */
import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { createPool } from '../../server/db/pool.js';
import { migrate } from '../../server/db/migrate.js';
import { DEFAULT_APP_ROLE } from '../../server/db/roles.js';
import { startCitusCluster, type CitusCluster } from '../../server/local-postgres/citus-cluster.js';
import { ensureDemoLoaded } from '../../server/demo/ensure-demo.js';
import { TEST_ANCHOR_DATE } from '../helpers/constants.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Distributed project: the maintenance database of each worker, where each test database is cloned too. */
    citusNodeUrls: string[];
  }
}

let cluster: CitusCluster | null = null;

async function onNode(url: string, work: (client: pg.Client) => Promise<unknown>) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

async function buildTemplate(c: CitusCluster, name: string, fill: (pool: pg.Pool) => Promise<void>) {
  await c.dropDatabase(name);
  await c.createDatabase(name);
  // Few shards: the test databases are small, and every multi-shard query visits each one.
  await onNode(c.coordinator.urlFor(name), (client) => client.query(`ALTER DATABASE ${name} SET citus.shard_count = 4`));
  const pool = createPool(c.coordinator.urlFor(name), 4);
  try {
    await fill(pool);
  } finally {
    await pool.end();
  }
  for (const node of [c.coordinator, ...c.workers]) {
    await onNode(node.urlFor('postgres'), async (client) => {
      await client.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false`);
      await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
    });
  }
}

export default async function setup(project: TestProject) {
  cluster = await startCitusCluster({ name: `pg-citus-test-${process.pid}`, preferredPort: 54350, durable: false, log: (line) => console.log(`[citus test db] ${line}`) });
  const c = cluster;
  // The owner role (fixtures, checks, maintenance: ad-hoc SQL) may join incident tables on other
  // columns than the district (repartition joins); the app role may not, so every query the server
  // runs is checked to be one Citus runs on the shards as it is.
  await onNode(c.coordinator.urlFor('postgres'), (client) => client.query('ALTER ROLE wangge SET citus.enable_repartition_joins = on'));
  const started = Date.now();
  await buildTemplate(c, 'wangge_tpl_empty', async (pool) => {
    await migrate(pool, { appRole: DEFAULT_APP_ROLE });
  });
  await buildTemplate(c, 'wangge_tpl_demo', async (pool) => {
    await migrate(pool, { appRole: DEFAULT_APP_ROLE });
    await ensureDemoLoaded(pool, (line) => console.log(`[citus test db] ${line}`), TEST_ANCHOR_DATE);
    await pool.query('VACUUM ANALYZE');
  });
  console.log(`[citus test db] templates ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  project.provide('adminDatabaseUrl', c.coordinator.urlFor('postgres'));
  project.provide('appDatabaseUrl', c.coordinator.appUrlFor('postgres'));
  project.provide('citusNodeUrls', c.workers.map((w) => w.urlFor('postgres')));

  return async () => {
    if (cluster) {
      cluster.stop();
      cluster.remove();
    }
  };
}
