/**
 * Operating the distributed mode on a real local Citus cluster (a coordinator and two workers of
 * this file's own): migrations refuse a half-set-up cluster before changing anything and say what
 * is missing; `npm run migrate` and `npm start` print that refusal plainly; a worker stopped while
 * the app serves gives 503 database.nodeUnavailable, and the app recovers when it returns.
 * Skipped, with the reason, where Citus is not installed (npm run citus:install).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import pg from 'pg';
import { citusUnavailableReason, startCitusCluster, type CitusCluster } from '../../server/local-postgres/citus-cluster.js';
import { startLocalCluster } from '../../server/local-postgres/cluster.js';
import { createPool } from '../../server/db/pool.js';
import { migrate } from '../../server/db/migrate.js';
import { citusPreflight, ClusterNotReadyError } from '../../server/db/citus-preflight.js';
import { DEFAULT_APP_ROLE } from '../../server/db/roles.js';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { hashPassword } from '../../server/modules/auth/password.js';
import { DEMO_ACCOUNTS } from '../../server/demo/accounts.js';
import { sessionCookie } from '../helpers/app.js';
import { runCliScript } from '../helpers/cli.js';

const unavailable = citusUnavailableReason();
if (unavailable) console.warn(`[citus] distributed-mode operations tests NOT run: ${unavailable}`);

const NAME = `citus-ops-test-${process.pid}`;
let cluster: CitusCluster;

async function onNode<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A database on the coordinator only, with the given extensions, no worker registered. */
async function coordinatorOnlyDatabase(name: string, extensions: string[]): Promise<string> {
  await onNode(cluster.coordinator.urlFor('postgres'), (c) => c.query(`CREATE DATABASE ${name}`));
  await onNode(cluster.coordinator.urlFor(name), async (c) => {
    for (const extension of extensions) await c.query(`CREATE EXTENSION ${extension}`);
  });
  return cluster.coordinator.urlFor(name);
}

/** Migrates; returns the refusal's message (fails the test when it did not refuse). */
async function migrateRefusal(url: string, options: { distributed?: 'citus' } = {}): Promise<string> {
  const pool = createPool(url, 2, { connectionTimeoutMillis: 20_000 });
  try {
    const error = await migrate(pool, { appRole: null, ...options }).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(ClusterNotReadyError);
    return (error as Error).message;
  } finally {
    await pool.end();
  }
}

/** Whether migrations changed anything: no migration table, no table of Wangge's. */
async function untouched(url: string): Promise<boolean> {
  return onNode(url, async (c) => {
    const { rows } = await c.query(`SELECT to_regclass('public.schema_migration') IS NULL AND to_regclass('public.admin_area') IS NULL AS untouched`);
    return rows[0].untouched as boolean;
  });
}

async function stopWorker(index: number) {
  cluster.workers[index]!.stop();
}

async function startWorker(index: number) {
  const worker = cluster.workers[index]!;
  // The node's state (port, passwords) is kept beside its data: this starts it as it was.
  await startLocalCluster({ name: `${NAME}-worker${index + 1}`, preferredPort: worker.port, durable: false, preloadLibraries: ['citus'] });
}

function runServer(env: Record<string, string>): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsx', 'server/server.ts'], {
      cwd: new URL('../../', import.meta.url).pathname,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'silent', DEMO: 'false', PORT: '3999', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => child.kill('SIGTERM'), 60_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, output });
    });
  });
}

describe.skipIf(unavailable !== null)('Citus cluster operations', () => {
  beforeAll(async () => {
    cluster = await startCitusCluster({ name: NAME, preferredPort: 55610, durable: false });
  }, 240_000);

  afterAll(() => {
    if (!cluster) return;
    cluster.stop();
    cluster.remove();
  });

  describe('migration preflight', () => {
    it('a plain PostGIS database is not a cluster: nothing to check', async () => {
      const url = await coordinatorOnlyDatabase('pf_plain', ['postgis']);
      expect(await onNode(url, (c) => citusPreflight(c))).toBeNull();
    });

    it('refuses WANGGE_DISTRIBUTED=citus on a database without the citus extension, naming the SQL to run', async () => {
      const url = cluster.coordinator.urlFor('pf_plain');
      const message = await migrateRefusal(url, { distributed: 'citus' });
      expect(message).toMatch(/WANGGE_DISTRIBUTED=citus, but database pf_plain has no citus extension/);
      expect(message).toContain('CREATE EXTENSION citus;');
      expect(await untouched(url)).toBe(true);
    });

    it('refuses the citus extension without any worker registered', async () => {
      const url = await coordinatorOnlyDatabase('pf_noworker', ['citus', 'postgis']);
      const message = await migrateRefusal(url);
      expect(message).toMatch(/database pf_noworker has the citus extension but no worker is registered/);
      expect(message).toContain("citus_add_node('worker-host', 5432)");
      expect(await untouched(url)).toBe(true);
    });

    it('refuses while a worker is unreachable, and migrates once it is back', async () => {
      await cluster.createDatabase('pf_down');
      const url = cluster.coordinator.urlFor('pf_down');
      await stopWorker(1);
      try {
        const message = await migrateRefusal(url);
        expect(message).toContain(`worker 127.0.0.1:${cluster.workers[1]!.port} cannot be reached from the coordinator`);
        expect(message).not.toContain(`127.0.0.1:${cluster.workers[0]!.port}`);
        expect(await untouched(url)).toBe(true);
      } finally {
        await startWorker(1);
      }
      const pool = createPool(url, 2, { connectionTimeoutMillis: 20_000 });
      try {
        const { version } = await migrate(pool, { appRole: null });
        expect(version).toBeGreaterThan(0);
      } finally {
        await pool.end();
      }
    }, 240_000);

    it('refuses a worker whose database lacks PostGIS', async () => {
      await cluster.createDatabase('pf_nopostgis');
      await onNode(cluster.workers[0]!.urlFor('pf_nopostgis'), async (c) => {
        await c.query('SET citus.enable_ddl_propagation = off');
        await c.query('DROP EXTENSION postgis');
      });
      const url = cluster.coordinator.urlFor('pf_nopostgis');
      const message = await migrateRefusal(url);
      expect(message).toMatch(new RegExp(`worker 127\\.0\\.0\\.1:${cluster.workers[0]!.port} lacks PostGIS in database pf_nopostgis`));
      expect(message).toContain('CREATE EXTENSION postgis');
      expect(await untouched(url)).toBe(true);
    });

    it('refuses a worker whose database lacks Citus', async () => {
      await cluster.createDatabase('pf_nocitus');
      await onNode(cluster.workers[1]!.urlFor('pf_nocitus'), (c) => c.query('DROP EXTENSION citus CASCADE'));
      const url = cluster.coordinator.urlFor('pf_nocitus');
      const message = await migrateRefusal(url);
      expect(message).toContain(`worker 127.0.0.1:${cluster.workers[1]!.port} has no citus extension in database pf_nocitus`);
      expect(await untouched(url)).toBe(true);
    });

    it('npm run migrate and npm start print the refusal as a message, without a stack trace', async () => {
      const cli = await runCliScript('migrate.ts', [], { databaseUrl: cluster.coordinator.urlFor('pf_noworker') });
      expect(cli.status).toBe(1);
      expect(cli.stderr).toMatch(/^Refusing to migrate database pf_noworker: the Citus cluster is not ready\. Nothing was changed\./);
      expect(cli.stderr).toContain('no worker is registered');
      expect(cli.stderr).not.toMatch(/\n\s+at /);

      const start = await runServer({
        DATABASE_URL: cluster.coordinator.appUrlFor('pf_plain'),
        DATABASE_OWNER_URL: cluster.coordinator.urlFor('pf_plain'),
        WANGGE_DISTRIBUTED: 'citus',
      });
      expect(start.status).toBe(1);
      expect(start.output).toContain('Wangge could not start: Refusing to migrate database pf_plain');
      expect(start.output).toContain('CREATE EXTENSION citus;');
      expect(start.output).not.toMatch(/\n\s+at /);
      expect(await untouched(cluster.coordinator.urlFor('pf_plain'))).toBe(true);
    }, 120_000);
  });

  describe('a worker down while serving', () => {
    it('answers 503 database.nodeUnavailable without internals, and recovers when the worker returns', async () => {
      await cluster.createDatabase('faults');
      // Few shards, as the distributed test project's databases: small data, every shard visited.
      await onNode(cluster.coordinator.urlFor('faults'), (c) => c.query('ALTER DATABASE faults SET citus.shard_count = 4'));
      const owner = createPool(cluster.coordinator.urlFor('faults'), 4, { connectionTimeoutMillis: 20_000 });
      const pool = createPool(cluster.coordinator.appUrlFor('faults'), 4);
      const app = await buildApp({
        config: loadConfig({ DATABASE_URL: cluster.coordinator.appUrlFor('faults'), LOG_LEVEL: 'silent', DEMO: 'false', PASSWORD_MAX_AGE_DAYS: '0', EXPENSIVE_RATE_PER_MINUTE: '1000' }),
        pool,
        serveWeb: false,
      });
      try {
        await migrate(owner, { appRole: DEFAULT_APP_ROLE });
        // An analyst, and incidents in two districts (so on more than one shard) in June 2026.
        const analyst = DEMO_ACCOUNTS.find((a) => a.role === 'analyst')!;
        await owner.query(`INSERT INTO app_user (username, display_name, role, password_hash) VALUES ($1, $2, 'analyst', $3)`, [
          analyst.username, analyst.displayName, await hashPassword(analyst.password),
        ]);
        await owner.query(
          `INSERT INTO incident (category, source, reported_at, due_at, geom, district_code)
           SELECT (ARRAY['dispute', 'safety_hazard', 'public_order'])[1 + n % 3], 'hotline_12345',
                  timestamptz '2026-06-01 08:00+08' + n * interval '2 hours', timestamptz '2026-06-01 08:00+08' + n * interval '2 hours' + interval '3 days',
                  ST_SetSRID(ST_MakePoint(108.70 + (n % 20) * 0.002, 34.30 + (n / 20) * 0.002), 4326), (ARRAY['610402', '610403', '610404'])[1 + n % 3]
           FROM generate_series(0, 239) n`,
        );
        const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: analyst.username, password: analyst.password } });
        expect(login.statusCode).toBe(200);
        const cookie = sessionCookie(login);
        const summary = () => app.inject({ method: 'GET', url: '/api/incidents/summary?from=2026-06-01&to=2026-07-01', headers: { cookie } });

        const before = await summary();
        expect(before.statusCode).toBe(200);
        const answer = before.json();
        expect(answer.total).toBe(240);

        await stopWorker(0);
        try {
          const down = await summary();
          expect(down.statusCode).toBe(503);
          expect(down.headers['retry-after']).toBe('5');
          const body = down.json();
          expect(body.code).toBe('database.nodeUnavailable');
          expect(body.message).toMatch(/^A database node is down/);
          // No host, port, SQL state or stack for the client.
          expect(down.body).not.toMatch(/127\.0\.0\.1|55\d{3}|08006|57P01|remote node|stack|\.ts:/);
          // The session (kept on the coordinator) still holds.
          expect((await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(200);
        } finally {
          await startWorker(0);
        }

        const after = await summary();
        expect(after.statusCode).toBe(200);
        expect(after.json()).toEqual(answer);
      } finally {
        await app.close();
        await pool.end();
        await owner.end();
      }
    }, 300_000);
  });
});
