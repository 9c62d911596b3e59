/**
 * `npm run bench:load`: a bounded load test on loopback of the public map's endpoints (its tiles
 * among them) and the
 * analysts' heatmap endpoints. Prints, per endpoint, the request rate held, p50/p95/p99 latency
 * and error rate, and each rate as a ratio of a trivial baseline endpoint measured in the same
 * run (machines here are shared and noisy: ratios travel, absolute figures do not).
 *
 * Starts its own PostGIS cluster (or uses DATABASE_URL) with the demo district.
 * Options: --seconds N (per endpoint, default 6), --connections N (default 10).
 */
import type { EventEmitter } from 'node:events';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { createPool } from '../server/db/pool.js';
import { migrate } from '../server/db/migrate.js';
import { ensureDemoLoaded } from '../server/demo/ensure-demo.js';
import { DEMO_ACCOUNTS } from '../server/demo/accounts.js';
import { startLocalCluster } from '../server/local-postgres/cluster.js';
import { tileAt } from '../server/modules/tiles/tile-math.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '6' }, connections: { type: 'string', default: '10' } } });
const seconds = Number(values.seconds);
const connections = Number(values.connections);

const env = loadConfig();
const cluster = env.DATABASE_URL ? null : await startLocalCluster({ name: 'pg-bench', preferredPort: 54359, log: console.log, durable: false });
const databaseUrl = env.DATABASE_URL ?? cluster!.connectionString;
const pool = createPool(databaseUrl, 20);
await migrate(pool);
await ensureDemoLoaded(pool, console.log);
const config = loadConfig({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent', DEMO: 'true', LOGIN_RATE_PER_MINUTE: '100000', EXPENSIVE_RATE_PER_MINUTE: '1000000' });
const app = await buildApp({ config, pool, serveWeb: false });
const base = await app.listen({ port: 0, host: '127.0.0.1' });

const analyst = DEMO_ACCOUNTS.find((a) => a.role === 'analyst')!;
const login = await fetch(`${base}/api/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ username: analyst.username, password: analyst.password }),
});
const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;

const { rows } = await pool.query(`SELECT ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM admin_area WHERE code = '610402001001'`);
const { lon, lat } = rows[0];
const tile12 = tileAt(lon, lat, 12);
const to = new Date().toISOString().slice(0, 10);
const from90 = new Date(Date.now() - 90 * 86_400_000).toISOString().slice(0, 10);

interface Target {
  name: string;
  path: string;
  staff?: boolean;
}
const targets: Target[] = [
  { name: 'baseline: facility types', path: '/api/facility-types' },
  // What the public map asks for: counts per type and service, and tiles (areas, facilities) at z12.
  { name: 'public: facility counts', path: '/api/facilities/summary' },
  { name: 'public: facility tile z12', path: `/api/tiles/facilities/${tile12.z}/${tile12.x}/${tile12.y}` },
  { name: 'public: area tile z12', path: `/api/tiles/areas/${tile12.z}/${tile12.x}/${tile12.y}` },
  { name: 'public: nearest stations', path: `/api/facilities/nearest?lon=${lon}&lat=${lat}&limit=5` },
  { name: 'analyst: heatmap 90 days', path: `/api/incidents/heat?from=${from90}&to=${to}`, staff: true },
  { name: 'analyst: hexagons 90 days', path: `/api/incidents/hexagons?from=${from90}&to=${to}`, staff: true },
];

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const results: { name: string; rate: number; p50: number; p95: number; p99: number; errorRate: number }[] = [];
for (const target of targets) {
  const latencies: number[] = [];
  let errors = 0;
  // Without a callback autocannon returns an instance that is both an event emitter and a promise.
  const instance = autocannon({
    url: `${base}${target.path}`,
    connections,
    duration: seconds,
    headers: target.staff ? { cookie } : {},
  }) as unknown as Promise<autocannon.Result> & EventEmitter;
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    latencies.push(responseTime);
    if (statusCode >= 400) errors++;
  });
  const result = await instance;
  latencies.sort((a, b) => a - b);
  const total = latencies.length + result.errors + result.timeouts;
  results.push({
    name: target.name,
    rate: result.requests.average,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    errorRate: total ? (errors + result.errors + result.timeouts) / total : 1,
  });
}

const baseline = results[0]!;
console.log(`\nLoad test: ${connections} connections, ${seconds} s per endpoint, loopback`);
console.log('endpoint'.padEnd(30), 'req/s'.padStart(8), '×baseline'.padStart(10), 'p50 ms'.padStart(8), 'p95 ms'.padStart(8), 'p99 ms'.padStart(8), 'errors'.padStart(8));
for (const r of results) {
  console.log(
    r.name.padEnd(30),
    r.rate.toFixed(0).padStart(8),
    (r.rate / baseline.rate).toFixed(2).padStart(10),
    r.p50.toFixed(1).padStart(8),
    r.p95.toFixed(1).padStart(8),
    r.p99.toFixed(1).padStart(8),
    `${(r.errorRate * 100).toFixed(2)}%`.padStart(8),
  );
}

await app.close();
await pool.end();
if (cluster?.startedHere) cluster.stop();
