/**
 * The project-local cluster `npm start` runs when DATABASE_URL is unset holds a bureau's real
 * data: it runs with PostgreSQL's durable defaults (fsync, synchronous_commit, full_page_writes
 * on), and it has the two roles, the app role a plain one. Started here exactly as npm start
 * starts it (same function, same options), under a throw-away name.
 */
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { SERVED_CLUSTER } from '../../server/db/connections.js';
import { removeLocalCluster, startLocalCluster, type LocalCluster } from '../../server/local-postgres/cluster.js';

let cluster: LocalCluster | null = null;
afterAll(() => {
  if (cluster) {
    cluster.stop();
    removeLocalCluster(cluster);
  }
});

async function settings(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'listen_addresses') ORDER BY name`,
    );
    const { rows: role } = await client.query('SELECT rolname, rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user');
    return { settings: Object.fromEntries(rows.map((r) => [r.name, r.setting])), role: role[0] };
  } finally {
    await client.end();
  }
}

describe('the cluster npm start uses', () => {
  it('is durable, listens on 127.0.0.1 only, and serves through a plain app role', async () => {
    cluster = await startLocalCluster({ ...SERVED_CLUSTER, name: `pg-durable-${process.pid}`, preferredPort: 54397 });
    const owner = await settings(cluster.connectionString);
    expect(owner.settings).toEqual({ fsync: 'on', full_page_writes: 'on', listen_addresses: '127.0.0.1', synchronous_commit: 'on' });
    const app = await settings(cluster.appConnectionString);
    expect(app.role).toEqual({ rolname: 'wangge_app', rolsuper: false, rolcreaterole: false, rolcreatedb: false });
  });
});
