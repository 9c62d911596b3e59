/**
 * `npm run bench:soak [-- --minutes 10 --rate 20]`: a soak on loopback. For --minutes (default 10)
 * it sends --rate requests a second (default 20, bounded: at most 64 in flight) mixing what people
 * do all day: the public map (facility counts, area and facility tiles, nearest stations), the
 * analyst's map (heatmap, hexagons, incident tiles, the list) and edits (a planner renames a grid
 * and changes a facility's capacity, an analyst reports an incident), one edit at a time.
 *
 * It reports per kind the requests, errors (5xx, network errors, and any unexpected 4xx) and
 * p50/p99, and the memory of Node (RSS, heap after GC) and of PostgreSQL (PSS of the cluster's
 * processes) at the start, after a warm-up (the first tenth, at most a minute) and at the end.
 * It fails (exit 1) on any error or when memory grows from the warm-up to the end by more than
 * NODE_GROWTH_MB (heap) or PG_GROWTH_MB.
 *
 * Starts its own PostGIS cluster with the demo district (or uses DATABASE_URL; PostgreSQL memory
 * is then measured only when the cluster runs on this machine under the same user, else n/a).
 * The Node figures include this script's own client, which holds only counters and latencies.
 */
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { parseArgs } from 'node:util';
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { createPool } from '../server/db/pool.js';
import { migrate } from '../server/db/migrate.js';
import { ensureDemoLoaded } from '../server/demo/ensure-demo.js';
import { DEMO_ACCOUNTS } from '../server/demo/accounts.js';
import { startLocalCluster } from '../server/local-postgres/cluster.js';
import { tileAt } from '../server/modules/tiles/tile-math.js';

/** Allowed growth from the warm-up to the end. */
const NODE_GROWTH_MB = 64;
const PG_GROWTH_MB = 128;
const MAX_IN_FLIGHT = 64;

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '10' }, rate: { type: 'string', default: '20' } } });
const minutes = Number(values.minutes);
const rate = Number(values.rate);
if (!(minutes > 0) || !(rate > 0 && rate <= 500)) throw new Error('--minutes must be > 0 and --rate between 1 and 500');

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const env = loadConfig();
const cluster = env.DATABASE_URL ? null : await startLocalCluster({ name: 'pg-bench', preferredPort: 54359, log: console.log });
const databaseUrl = env.DATABASE_URL ?? cluster!.connectionString;
const pool = createPool(databaseUrl, 20);
await migrate(pool);
await ensureDemoLoaded(pool, console.log);
const config = loadConfig({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent', DEMO: 'true', LOGIN_RATE_PER_MINUTE: '100000', EXPENSIVE_RATE_PER_MINUTE: '1000000' });
const app = await buildApp({ config, pool, serveWeb: false });
const base = await app.listen({ port: 0, host: '127.0.0.1' });

async function loginAs(role: string): Promise<string> {
  const account = DEMO_ACCOUNTS.find((a) => a.role === role)!;
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: account.username, password: account.password }),
  });
  if (res.status !== 200) throw new Error(`login as ${role}: ${res.status}`);
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}
const [analyst, planner] = [await loginAs('analyst'), await loginAs('planner')];

// Places in the district: grid interiors for tiles, nearest stations and reports.
const { rows: places } = await pool.query<{ id: number; lon: number; lat: number }>(
  `SELECT id, ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT id, ST_PointOnSurface(geom) AS p FROM grid WHERE retired_at IS NULL ORDER BY id) g`,
);
const { rows: facilityRows } = await pool.query<{ id: number }>(`SELECT id FROM facility ORDER BY id LIMIT 50`);
const to = new Date().toISOString().slice(0, 10);
const from90 = new Date(Date.now() - 90 * 86_400_000).toISOString().slice(0, 10);

let seed = 20260315;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

type Kind = 'public' | 'analyst' | 'edit';
interface Call {
  kind: Kind;
  name: string;
  run: () => Promise<Response>;
  /** Statuses that are a correct answer here besides 2xx. */
  expected?: number[];
}

const get = (url: string, cookie?: string) => () => fetch(`${base}${url}`, { headers: cookie ? { cookie } : {} });
const send = (method: string, url: string, cookie: string, body: unknown) => () =>
  fetch(`${base}${url}`, { method, headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(body) });

function publicCall(): Call {
  const p = pick(places);
  const z = pick([12, 13, 14]);
  const tile = tileAt(p.lon, p.lat, z);
  return pick<Call>([
    { kind: 'public', name: 'facility counts', run: get('/api/facilities/summary') },
    { kind: 'public', name: 'area tile', run: get(`/api/tiles/areas/${tile.z}/${tile.x}/${tile.y}`) },
    { kind: 'public', name: 'facility tile', run: get(`/api/tiles/facilities/${tile.z}/${tile.x}/${tile.y}`) },
    { kind: 'public', name: 'nearest stations', run: get(`/api/facilities/nearest?lon=${p.lon}&lat=${p.lat}&limit=5`) },
  ]);
}

function analystCall(): Call {
  const p = pick(places);
  const tile = tileAt(p.lon, p.lat, pick([12, 13, 14]));
  return pick<Call>([
    { kind: 'analyst', name: 'heatmap 90 days', run: get(`/api/incidents/heat?from=${from90}&to=${to}`, analyst) },
    { kind: 'analyst', name: 'hexagons 90 days', run: get(`/api/incidents/hexagons?from=${from90}&to=${to}`, analyst) },
    { kind: 'analyst', name: 'incident list', run: get(`/api/incidents/list?from=${from90}&to=${to}&limit=50`, analyst) },
    { kind: 'analyst', name: 'incident tile', run: get(`/api/tiles/incidents/${tile.z}/${tile.x}/${tile.y}?from=${from90}&to=${to}`, analyst) },
  ]);
}

let editSerial = 0;
async function editCall(): Promise<Call> {
  editSerial++;
  const which = editSerial % 3;
  if (which === 0) {
    const p = pick(places);
    const { rows } = await pool.query<{ version: number }>('SELECT version FROM grid WHERE id = $1', [p.id]);
    return { kind: 'edit', name: 'rename a grid', run: send('PATCH', `/api/grids/${p.id}`, planner, { version: rows[0]!.version, name: `浸泡测试网格${editSerial}` }) };
  }
  if (which === 1) {
    const f = pick(facilityRows);
    const { rows } = await pool.query<{ version: number }>('SELECT version FROM facility WHERE id = $1', [f.id]);
    return { kind: 'edit', name: 'facility capacity', run: send('PATCH', `/api/facilities/${f.id}`, planner, { version: rows[0]!.version, capacity: 10 + (editSerial % 90) }) };
  }
  const p = pick(places);
  return {
    kind: 'edit',
    name: 'report an incident',
    run: send('POST', '/api/incidents', analyst, { category: 'sanitation', description: `浸泡测试 ${editSerial}`, lon: p.lon, lat: p.lat, source: 'public' }),
  };
}

// ------------------------------------------------------------------ memory

interface Memory {
  nodeRssMb: number;
  nodeHeapMb: number;
  pgMb: number | null;
}

/** PSS (shared pages counted in proportion) of the postmaster and its children, in MB. */
function postgresPssMb(): number | null {
  const dataDir = cluster?.dataDir;
  if (!dataDir) return null;
  try {
    const postmaster = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const pids = [postmaster];
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
        const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        if (parent === postmaster) pids.push(Number(entry));
      } catch {
        // the process ended meanwhile
      }
    }
    let kb = 0;
    for (const pid of pids) {
      try {
        const rollup = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
        kb += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
      } catch {
        // the process ended meanwhile
      }
    }
    return kb / 1024;
  } catch {
    return null;
  }
}

function memory(): Memory {
  gc();
  const usage = process.memoryUsage();
  return { nodeRssMb: usage.rss / 2 ** 20, nodeHeapMb: usage.heapUsed / 2 ** 20, pgMb: postgresPssMb() };
}

// ------------------------------------------------------------------ the soak

const stats = new Map<Kind, { latencies: number[]; errors: number; requests: number; examples: string[] }>();
for (const kind of ['public', 'analyst', 'edit'] as const) stats.set(kind, { latencies: [], errors: 0, requests: 0, examples: [] });
let inFlight = 0;
let skipped = 0;
let editBusy = false;

async function fire(call: Call) {
  const s = stats.get(call.kind)!;
  const started = performance.now();
  inFlight++;
  try {
    const res = await call.run();
    await res.arrayBuffer();
    s.latencies.push(performance.now() - started);
    if (!res.ok && !(call.expected ?? []).includes(res.status)) {
      s.errors++;
      if (s.examples.length < 5) s.examples.push(`${call.name}: ${res.status}`);
    }
  } catch (error) {
    s.errors++;
    if (s.examples.length < 5) s.examples.push(`${call.name}: ${(error as Error).message}`);
  } finally {
    s.requests++;
    inFlight--;
  }
}

async function tick() {
  if (inFlight >= MAX_IN_FLIGHT) {
    skipped++;
    return;
  }
  const roll = random();
  if (roll < 0.1 && !editBusy) {
    editBusy = true;
    try {
      await fire(await editCall());
    } finally {
      editBusy = false;
    }
  } else if (roll < 0.4) await fire(analystCall());
  else await fire(publicCall());
}

const durationMs = minutes * 60_000;
const warmupMs = Math.min(60_000, durationMs / 10);
const atStart = memory();
let afterWarmup: Memory | null = null;
console.log(`\nSoak: ${minutes} min at ${rate} req/s on ${base} (public 60 %, analyst 30 %, edits 10 %, one edit at a time)`);
const startedAt = Date.now();
const interval = 1000 / rate;
let next = startedAt;
const pending = new Set<Promise<void>>();
let lastReport = startedAt;
while (Date.now() - startedAt < durationMs) {
  next += interval;
  const promise = tick();
  pending.add(promise);
  void promise.finally(() => pending.delete(promise));
  const now = Date.now();
  if (!afterWarmup && now - startedAt >= warmupMs) afterWarmup = memory();
  if (now - lastReport >= 30_000) {
    lastReport = now;
    const m = memory();
    const done = [...stats.values()].reduce((sum, s) => sum + s.requests, 0);
    console.log(`  ${((now - startedAt) / 60_000).toFixed(1)} min: ${done} requests, Node heap ${m.nodeHeapMb.toFixed(0)} MB, RSS ${m.nodeRssMb.toFixed(0)} MB, PostgreSQL ${m.pgMb?.toFixed(0) ?? 'n/a'} MB`);
  }
  const wait = next - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}
await Promise.all(pending);
const atEnd = memory();

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN);
console.log(`\n${'kind'.padEnd(10)}${'requests'.padStart(10)}${'errors'.padStart(8)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}`);
let errors = 0;
for (const [kind, s] of stats) {
  s.latencies.sort((a, b) => a - b);
  errors += s.errors;
  console.log(`${kind.padEnd(10)}${String(s.requests).padStart(10)}${String(s.errors).padStart(8)}${percentile(s.latencies, 50).toFixed(1).padStart(9)}${percentile(s.latencies, 99).toFixed(1).padStart(9)}`);
  for (const example of s.examples) console.log(`    e.g. ${example}`);
}
if (skipped) console.log(`(${skipped} ticks skipped: ${MAX_IN_FLIGHT} requests already in flight)`);
const fmt = (m: Memory) => `Node RSS ${m.nodeRssMb.toFixed(0)} MB, heap ${m.nodeHeapMb.toFixed(0)} MB; PostgreSQL ${m.pgMb === null ? 'n/a' : `${m.pgMb.toFixed(0)} MB`}`;
const warm = afterWarmup ?? atStart;
console.log(`\nmemory at start:        ${fmt(atStart)}`);
console.log(`memory after warm-up:   ${fmt(warm)}`);
console.log(`memory at end:          ${fmt(atEnd)}`);
const heapGrowth = atEnd.nodeHeapMb - warm.nodeHeapMb;
const pgGrowth = atEnd.pgMb !== null && warm.pgMb !== null ? atEnd.pgMb - warm.pgMb : null;
console.log(`growth after warm-up:   Node heap ${heapGrowth.toFixed(1)} MB (bound ${NODE_GROWTH_MB}), PostgreSQL ${pgGrowth === null ? 'n/a' : `${pgGrowth.toFixed(1)} MB`} (bound ${PG_GROWTH_MB})`);

const failed = errors > 0 || heapGrowth > NODE_GROWTH_MB || (pgGrowth !== null && pgGrowth > PG_GROWTH_MB);
console.log(failed ? '\nSOAK FAILED' : '\nsoak passed');

await app.close();
await pool.end();
if (cluster?.startedHere) cluster.stop();
process.exit(failed ? 1 : 0);
