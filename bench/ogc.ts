/**
 * OGC API – Features items, timed against the bare SQL that builds the same GeoJSON: a page of
 * 1,000 grids over HTTP (a real socket, a personal access token as Bearer, as GDAL and QGIS send
 * it) beside the items query itself (sql/grids.sql) run on a pooled connection and its text read,
 * in one run (machines are shared and noisy: read the ratios). Also the second page (keyset), a
 * bbox page and 1,000 incidents for an analyst. Target: the API at most 1.5× the bare query.
 *
 *   npm run bench:ogc [-- --runs 20]
 *
 * Starts its own local PostGIS cluster (.data/pg-bench-ogc), loads the demo district once, and
 * stops the cluster at the end.
 */
import { Worker } from 'node:worker_threads';
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { createPool } from '../server/db/pool.js';
import { migrate } from '../server/db/migrate.js';
import { ensureDemoLoaded } from '../server/demo/ensure-demo.js';
import { DEMO_ACCOUNTS } from '../server/demo/accounts.js';
import { startLocalCluster } from '../server/local-postgres/cluster.js';
import { toSessionUser } from '../server/modules/auth/session-user.js';
import { createUsersRepository } from '../server/modules/auth/users-repository.js';
import { collectionById } from '../server/modules/ogc/collections.js';
import { itemsQuery, type ItemsRequest } from '../server/modules/ogc/items-repository.js';

/**
 * The HTTP client runs on a thread of its own, as GDAL or QGIS would run in a process of their
 * own: the server's event loop is not also the client's. It times each request itself (from
 * sending to the last byte received, as HTTP clients are timed: what the client then does with
 * the bytes, GDAL parsing them as JSON, is the client's own cost) and posts the milliseconds back.
 */
const CLIENT_SOURCE = `
const http = require('node:http');
const { parentPort } = require('node:worker_threads');
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
parentPort.on('message', ({ url, headers }) => {
  const started = performance.now();
  http.get(url, { headers, agent }, (res) => {
    const chunks = [];
    res.on('data', (chunk) => chunks.push(chunk));
    res.on('end', () => {
      const ms = performance.now() - started;
      const body = Buffer.concat(chunks);
      parentPort.postMessage(res.statusCode === 200 ? { ms, bytes: body.length } : { error: res.statusCode + ' ' + body.toString('utf8', 0, 200) });
    });
  }).on('error', (error) => parentPort.postMessage({ error: String(error) }));
});`;

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 20;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Alternating samples of the two (each returns its own milliseconds), so that both see the same moments of a shared machine. */
async function timePair(a: () => Promise<number>, b: () => Promise<number>): Promise<[number[], number[]]> {
  await a();
  await b(); // warm-up
  const sa: number[] = [];
  const sb: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    sa.push(await a());
    sb.push(await b());
  }
  return [sa, sb];
}

const cluster = await startLocalCluster({ name: 'pg-bench-ogc', preferredPort: 54383, log: (line) => console.log(`[bench db] ${line}`), durable: false });
const pool = createPool(cluster.connectionString, 6);
try {
  await migrate(pool);
  await ensureDemoLoaded(pool, (line) => console.log(`[bench db] ${line}`));
  const app = await buildApp({ config: loadConfig({ DATABASE_URL: cluster.connectionString, LOG_LEVEL: 'silent', DEMO: 'true' }), pool, serveWeb: false });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const policy = { passwordMaxAgeDays: 0, totpRequiredForAdmins: false };

  /** A read-only token of a demo account, and that account as the items queries take it. */
  async function reader(role: 'planner' | 'analyst') {
    const account = DEMO_ACCOUNTS.find((a) => a.role === role)!;
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: account.username, password: account.password } });
    const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const created = await app.inject({ method: 'POST', url: '/api/account/tokens', headers: { cookie }, payload: { name: `bench ${Date.now()}`, expiresInDays: 1, readOnly: true } });
    const user = toSessionUser((await createUsersRepository(pool).byUsername(account.username))!, policy);
    return { authorization: `Bearer ${created.json().token as string}`, user };
  }
  const planner = await reader('planner');
  const analyst = await reader('analyst');

  const { rows: [firstPage] } = await pool.query<{ last: string }>(`SELECT max(id)::text AS last FROM (SELECT id FROM grid WHERE retired_at IS NULL ORDER BY id LIMIT 1000) p`);
  const box = [108.66, 34.30, 108.74, 34.37];
  const cases: { label: string; url: string; collection: string; request: ItemsRequest; authorization: string }[] = [
    {
      label: 'grids, first page of 1,000 (planner)',
      url: '/ogc/collections/grids/items?limit=1000',
      collection: 'grids',
      request: { bbox: null, after: null, limit: 1000, latitudeFirst: false, filters: {}, time: { from: null, to: null }, user: planner.user },
      authorization: planner.authorization,
    },
    {
      label: 'grids, the next page (keyset, after the 1,000th)',
      url: `/ogc/collections/grids/items?limit=1000&after=${firstPage!.last}`,
      collection: 'grids',
      request: { bbox: null, after: firstPage!.last, limit: 1000, latitudeFirst: false, filters: {}, time: { from: null, to: null }, user: planner.user },
      authorization: planner.authorization,
    },
    {
      label: 'grids in a bbox, EPSG:4490 (latitude first)',
      url: `/ogc/collections/grids/items?limit=1000&bbox=${box.join(',')}&crs=EPSG:4490`,
      collection: 'grids',
      request: { bbox: box as [number, number, number, number], after: null, limit: 1000, latitudeFirst: true, filters: {}, time: { from: null, to: null }, user: planner.user },
      authorization: planner.authorization,
    },
    {
      label: 'incidents, 1,000 of 2026 (analyst)',
      url: `/ogc/collections/incidents/items?limit=1000&datetime=${encodeURIComponent('2026-01-01T00:00:00+08:00/..')}`,
      collection: 'incidents',
      request: { bbox: null, after: null, limit: 1000, latitudeFirst: false, filters: {}, time: { from: new Date('2026-01-01T00:00:00+08:00'), to: null }, user: analyst.user },
      authorization: analyst.authorization,
    },
  ];

  const client = new Worker(CLIENT_SOURCE, { eval: true });
  console.log(`\n${RUNS} runs each, median milliseconds. "OGC API": the items page over HTTP with a token, read by a client on its own thread;`);
  console.log('"bare SQL": the same items query (the GeoJSON built by PostGIS) on a pooled connection, its text read.\n');
  console.log(`${'case'.padEnd(52)} ${'features'.padStart(8)} ${'KB'.padStart(7)} ${'OGC API'.padStart(9)} ${'bare SQL'.padStart(9)} ${'ratio'.padStart(7)}`);
  for (const c of cases) {
    let features = 0;
    let bytes = 0;
    const api = () =>
      new Promise<number>((resolve, reject) => {
        client.once('message', (reply: { ms?: number; bytes?: number; error?: string }) => {
          if (reply.error) reject(new Error(`${c.url}: ${reply.error}`));
          bytes = reply.bytes!;
          resolve(reply.ms!);
        });
        client.postMessage({ url: address + c.url, headers: { authorization: c.authorization, accept: 'application/geo+json' } });
      });
    const bare = async () => {
      const started = performance.now();
      const { rows } = await pool.query(itemsQuery(collectionById(c.collection)!, c.request));
      const ms = performance.now() - started;
      features = rows[0].number_returned;
      if ((rows[0].features as string).length === 0 && features > 0) throw new Error('no features');
      return ms;
    };
    const [apiMs, bareMs] = await timePair(api, bare);
    const a = median(apiMs);
    const b = median(bareMs);
    console.log(`${c.label.padEnd(52)} ${String(features).padStart(8)} ${(bytes / 1024).toFixed(0).padStart(7)} ${a.toFixed(1).padStart(9)} ${b.toFixed(1).padStart(9)} ${(a / b).toFixed(2).padStart(6)}×`);
  }
  await client.terminate();
  await app.close();
} finally {
  await pool.end();
  cluster.stop();
}
