/**
 * Faults: personal data never in the logs, a database outage answered with fast 503s and an
 * automatic recovery, and a graceful stop that lets in-flight requests finish.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { createPool } from '../../server/db/pool.js';
import { migrate } from '../../server/db/migrate.js';
import { DEFAULT_APP_ROLE } from '../../server/db/roles.js';
import { removeLocalCluster, startLocalCluster, type LocalCluster } from '../../server/local-postgres/cluster.js';
import { DEMO_ACCOUNTS } from '../../server/demo/accounts.js';
import { createTestDatabase } from '../helpers/database.js';

describe('logs', () => {
  it('never contain passwords, session tokens, or staff names and phones', async () => {
    const db = await createTestDatabase('demo');
    const lines: string[] = [];
    const config = loadConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'debug', DEMO: 'true' });
    const app = await buildApp({ config, pool: db.pool, serveWeb: false, logStream: { write: (line) => lines.push(line) } });
    try {
      const planner = DEMO_ACCOUNTS.find((a) => a.role === 'planner')!;
      const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'planner', password: planner.password } });
      const token = login.cookies[0]!.value;
      const grids = await app.inject({ method: 'GET', url: '/api/grids?community=610402001001', headers: { cookie: `wangge_session=${token}` } });
      const staff = grids.json().features.flatMap((f: { properties: { gridLeader: { name: string; phone: string } } }) => [f.properties.gridLeader.name, f.properties.gridLeader.phone]);
      await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'planner', password: 'Wrong-password-1' } });
      const log = lines.join('\n');
      expect(lines.length).toBeGreaterThan(3);
      for (const secret of [planner.password, 'Wrong-password-1', token, ...staff]) expect(log).not.toContain(secret);
    } finally {
      await app.close();
      await db.drop();
    }
  });
});

describe('database outage', () => {
  let cluster: LocalCluster | null = null;
  afterAll(() => {
    if (cluster) {
      cluster.stop();
      removeLocalCluster(cluster);
    }
  });

  it('answers 503 fast while the database is down, reports it in /health, and recovers by itself', async () => {
    const name = `pg-outage-${process.pid}`;
    cluster = await startLocalCluster({ name, preferredPort: 54349, durable: false });
    const owner = createPool(cluster.connectionString);
    await migrate(owner, { appRole: DEFAULT_APP_ROLE });
    await owner.end();
    // Served as the app role, as npm start does.
    const pool = createPool(cluster.appConnectionString);
    const app = await buildApp({ config: loadConfig({ DATABASE_URL: cluster.appConnectionString, LOG_LEVEL: 'silent', DEMO: 'false' }), pool, serveWeb: false });
    const tile = '/api/tiles/areas/12/3329/1644';
    try {
      expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
      cluster.stop();

      const started = Date.now();
      const burst = await Promise.all(
        Array.from({ length: 40 }, (_, i) => app.inject({ method: 'GET', url: i % 2 ? '/api/areas?level=street' : '/api/facility-types' })),
      );
      expect(burst.map((r) => r.statusCode)).toEqual(Array(40).fill(503));
      expect(burst[0]!.json().message).toMatch(/database is unavailable/);
      expect(burst[0]!.headers['retry-after']).toBe('5');
      expect(Date.now() - started).toBeLessThan(8000);
      const health = await app.inject({ method: 'GET', url: '/health' });
      expect(health.statusCode).toBe(503);
      expect(health.json().status).toBe('unavailable');
      // A tile asked for during the outage: 503, and its failed computation is not kept.
      expect((await app.inject({ method: 'GET', url: tile })).statusCode).toBe(503);

      cluster = await startLocalCluster({ name, preferredPort: cluster.port, durable: false });
      const recovered = await app.inject({ method: 'GET', url: '/health' });
      expect(recovered.statusCode).toBe(200);
      expect((await app.inject({ method: 'GET', url: '/api/areas?level=street' })).statusCode).toBe(200);
      // The same tile, once the database is back, without a restart.
      expect([200, 204]).toContain((await app.inject({ method: 'GET', url: tile })).statusCode);
    } finally {
      await app.close();
      await pool.end();
    }
  });
});

describe('graceful stop', () => {
  it('finishes in-flight requests, refuses new ones with 503, and closes within 10 s', async () => {
    const db = await createTestDatabase('empty');
    const app = await buildApp({ config: loadConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'silent', DEMO: 'false' }), pool: db.pool, serveWeb: false });
    // A request that takes a while, standing in for a long analysis.
    app.get('/test/slow', { config: { access: { public: true } } }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      return { done: true };
    });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const inFlight = fetch(`${address}/test/slow`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const started = Date.now();
      const closing = app.shutdown();
      const late = await fetch(`${address}/api/facility-types`);
      expect(late.status).toBe(503);
      expect((await late.json()).message).toMatch(/shutting down/);
      const slow = await inFlight;
      expect(slow.status).toBe(200);
      expect(await slow.json()).toEqual({ done: true });
      await closing;
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await db.drop();
    }
  });
});
