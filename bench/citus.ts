/**
 * `npm run bench:citus [-- --scale 0.01 --runs 3 --import-rows 2000]`: the city data set
 * (bench/city/) loaded into a single PostGIS and into a local Citus cluster (a coordinator and two
 * workers) in the same run, on the same machine, and measured side by side through the app's own
 * routes and SQL:
 * - incident load throughput (the city loader's set-based batches) and Wangge's CSV import
 *   (check, then write in one transaction), in rows per second;
 * - an analyst's 90-day aggregate (/api/incidents/summary) for one district and for the whole city;
 * - an incident tile at z12 and at z15, and a grid tile at z15 (a reference table);
 * - for the Citus run, which of the statements behind each request ran on one shard (router), which
 *   fanned out to every shard, and which touched only reference or local tables: EXPLAIN on the
 *   coordinator of the very statements the app sent.
 * Scale 0.01 (100,000 incidents, 70 communities) runs in minutes on two cores. On one machine
 * Citus is not faster: the figures show what distribution costs here; docs/SCALE.md models from
 * them and the routing how throughput grows with workers. Results also go to bench/out/citus.json.
 * The clusters are this benchmark's own (.data/pg-bench-citus-*), stopped at the end.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { createPool } from '../server/db/pool.js';
import { migrate } from '../server/db/migrate.js';
import { DEFAULT_APP_ROLE } from '../server/db/roles.js';
import { DEMO_ACCOUNTS } from '../server/demo/accounts.js';
import { hashPassword } from '../server/modules/auth/password.js';
import { createAuditRepository } from '../server/modules/audit/audit-repository.js';
import { runImport } from '../server/modules/incidents/import.js';
import { createIncidentsRepository } from '../server/modules/incidents/incidents-repository.js';
import { tileAt, type TileCoordinates } from '../server/modules/tiles/tile-math.js';
import { startLocalCluster, type LocalCluster } from '../server/local-postgres/cluster.js';
import { citusUnavailableReason, startCitusCluster, type CitusCluster } from '../server/local-postgres/citus-cluster.js';
import { repoRoot } from '../server/paths.js';
import { cityFigures, citySql, incidentBatchSql } from './city/city-sql.js';
import { parseScale } from './city/database.js';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '0.01' },
    runs: { type: 'string', default: '3' },
    'import-rows': { type: 'string', default: '2000' },
    anchor: { type: 'string', default: '2026-11-01' },
    // Shards per distributed table (citus.shard_count; Citus's default is 32).
    shards: { type: 'string', default: '32' },
  },
});
const scale = parseScale(values.scale);
const runs = Math.max(1, Number(values.runs));
const importRows = Math.max(100, Number(values['import-rows']));
const anchor = new Date(`${values.anchor}T00:00:00Z`);
const figures = cityFigures(scale);
const log = (line: string) => console.log(line);
const DATABASE = 'wangge_bench';

const reason = citusUnavailableReason();
if (reason) {
  console.error(`bench:citus needs Citus: ${reason}`);
  process.exit(1);
}

// ------------------------------------------------------------------ statements the app sends
interface Sent {
  text: string;
  values: unknown[] | undefined;
}
let recording: Sent[] | null = null;
const originalQuery = pg.Client.prototype.query;
// Every statement any pool of the app sends while `recording` is set (the tiles have a pool of their own).
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  if (recording) {
    const [config, second] = args as [string | { text?: string; values?: unknown[] }, unknown];
    const text = typeof config === 'string' ? config : config?.text;
    const params = Array.isArray(second) ? second : typeof config === 'object' ? config?.values : undefined;
    if (typeof text === 'string') recording.push({ text, values: params });
  }
  return (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
} as typeof pg.Client.prototype.query;

// ------------------------------------------------------------------ loading
interface LoadFigures {
  incidents: number;
  incidentSeconds: number;
  totalSeconds: number;
  importRows: number;
  importSeconds: number;
}

async function loadCity(ownerUrl: string, label: string): Promise<LoadFigures> {
  const started = performance.now();
  const pool = createPool(ownerUrl, 2, { connectionTimeoutMillis: 30_000 });
  await migrate(pool, { appRole: DEFAULT_APP_ROLE });
  await pool.end();
  const db = new pg.Client({ connectionString: ownerUrl, statement_timeout: 0 } as pg.ClientConfig);
  await db.connect();
  // As bench/city/load.ts: no triggers nor foreign-key checks while loading (on a Citus
  // coordinator this setting stays on the coordinator: the workers check and fire as usual).
  await db.query('SET session_replication_role = replica');
  for (const step of citySql({ scale, anchor })) {
    const t0 = performance.now();
    await db.query(step.sql);
    log(`  [${label}] ${step.label.padEnd(32)} ${((performance.now() - t0) / 1000).toFixed(1).padStart(7)} s`);
  }
  const batch = Math.max(10_000, Math.ceil(figures.incidents / 20));
  const batches: number[] = [];
  for (let first = 1; first <= figures.incidents; first += batch) batches.push(first);
  const t0 = performance.now();
  await Promise.all(
    [0, 1].map(async () => {
      const worker = new pg.Client({ connectionString: ownerUrl, statement_timeout: 0 } as pg.ClientConfig);
      await worker.connect();
      await worker.query('SET session_replication_role = replica');
      for (let first = batches.shift(); first !== undefined; first = batches.shift()) {
        await worker.query(incidentBatchSql({ scale, anchor }, first, Math.min(batch, figures.incidents - first + 1)));
      }
      await worker.end();
    }),
  );
  const incidentSeconds = (performance.now() - t0) / 1000;
  log(`  [${label}] ${figures.incidents} incidents in ${incidentSeconds.toFixed(1)} s`);
  await db.query('SET session_replication_role = DEFAULT');
  await db.query('SELECT incident_summary_rebuild()');
  for (const account of DEMO_ACCOUNTS) {
    await db.query(
      `INSERT INTO app_user (username, display_name, role, password_hash) VALUES ($1, $2, $3, $4) ON CONFLICT (username) DO NOTHING`,
      [account.username, account.displayName, account.role, await hashPassword(account.password)],
    );
  }
  await db.query('VACUUM (ANALYZE)');
  await db.end();

  // Wangge's own CSV import (check, then write), of rows placed on buildings across the city.
  const importPool = createPool(ownerUrl, 4, { connectionTimeoutMillis: 30_000 });
  const { rows: places } = await importPool.query<{ lon: number; lat: number }>(
    `SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM building ORDER BY id LIMIT 5000`,
  );
  const lines = ['工单编号,类别,子类,描述,经度,纬度,上报时间,来源'];
  for (let i = 0; i < importRows; i++) {
    const p = places[(i * 7919) % places.length]!;
    const at = new Date(anchor.getTime() - (1 + (i % 80)) * 86_400_000 + (i % 86_400) * 1000).toISOString().slice(0, 19).replace('T', ' ');
    lines.push(`BENCH-${i},dispute,neighbour,测试工单${i},${p.lon.toFixed(6)},${p.lat.toFixed(6)},${at},12345热线`);
  }
  const { rows: analyst } = await importPool.query<{ id: number }>(`SELECT id FROM app_user WHERE username = 'analyst'`);
  const i0 = performance.now();
  const result = await runImport(
    importPool,
    createIncidentsRepository(importPool),
    createAuditRepository(importPool),
    { bytes: Buffer.from(lines.join('\n'), 'utf8'), fileName: 'bench.csv', options: { crs: 'wgs84', defaultSource: 'hotline_12345' }, maxRows: importRows },
    { actorUserId: analyst[0]!.id, actorUsername: 'analyst', ip: null },
  ).then(
    (r) => (r.checked.errorCount > 0 ? `refused: ${JSON.stringify(r.checked.errors[0])}` : r),
    (error: unknown) => `failed: ${(error as Error).message}`,
  );
  const importSeconds = (performance.now() - i0) / 1000;
  await importPool.end();
  const created = typeof result === 'string' ? 0 : result.created;
  log(`  [${label}] CSV import: ${typeof result === 'string' ? `NOT measured, the import ${result}` : `${created} incidents in ${importSeconds.toFixed(1)} s`}`);
  return { incidents: figures.incidents, incidentSeconds, totalSeconds: (performance.now() - started) / 1000, importRows: created, importSeconds };
}

// ------------------------------------------------------------------ measuring through the app
interface Measured {
  label: string;
  ms: number;
  statements: Sent[];
  /** Why the figure is missing (an answer other than the expected one). */
  failed?: string;
}

async function measure(appUrl: string, label: string): Promise<Measured[]> {
  const pool = createPool(appUrl, 10, { connectionTimeoutMillis: 30_000 });
  const config = loadConfig({
    DATABASE_URL: appUrl, LOG_LEVEL: 'silent', DEMO: 'false', TOTP_REQUIRED_FOR_ADMINS: 'false', PASSWORD_MAX_AGE_DAYS: '0',
    LOGIN_RATE_PER_MINUTE: '10000', EXPENSIVE_RATE_PER_MINUTE: '100000',
  });
  const app = await buildApp({ config, pool, serveWeb: false });
  await app.ready();
  try {
    const account = DEMO_ACCOUNTS.find((a) => a.role === 'analyst')!;
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: account.username, password: account.password } });
    if (login.statusCode !== 200) throw new Error(`[${label}] login: ${login.statusCode} ${login.body}`);
    const session = login.cookies.find((c) => c.name === 'wangge_session');
    const cookie = `${session!.name}=${session!.value}`;
    const { rows } = await pool.query<{ code: string; lon: number; lat: number }>(
      `SELECT code, ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM admin_area
        WHERE level = 'district' ORDER BY ST_Distance(geom, (SELECT ST_Centroid(ST_Collect(geom)) FROM admin_area WHERE level = 'district')), code LIMIT 1`,
    );
    const district = rows[0]!;
    const day = (d: Date) => d.toISOString().slice(0, 10);
    const period = `from=${day(new Date(anchor.getTime() - 90 * 86_400_000))}&to=${day(anchor)}`;
    // Distinct tiles around the district's centre, one per run, so that none comes from the cache.
    const tilesAround = (z: number): TileCoordinates[] => {
      const c = tileAt(district.lon, district.lat, z);
      return Array.from({ length: runs }, (_, k) => ({ z, x: c.x + (k % 2), y: c.y + Math.floor(k / 2) }));
    };

    const results: Measured[] = [];
    const timed = async (name: string, urls: string[], expect: number[] = [200]) => {
      const times: number[] = [];
      let statements: Sent[] = [];
      let failed: string | undefined;
      for (const url of urls) {
        recording = [];
        const t0 = performance.now();
        const res = await app.inject({ method: 'GET', url, headers: { cookie } });
        times.push(performance.now() - t0);
        if (statements.length === 0) statements = recording;
        recording = null;
        if (!expect.includes(res.statusCode)) {
          failed = `${res.statusCode} ${res.json().message ?? ''}`;
          statements = statements.length ? statements : [];
          log(`  [${label}] ${url}: ${failed}`);
          break;
        }
      }
      times.sort((a, b) => a - b);
      results.push({ label: name, ms: failed ? NaN : times[Math.floor((times.length - 1) / 2)]!, statements, failed });
    };
    const summary = (area: string | null) => `/api/incidents/summary?${period}${area ? `&area=${area}` : ''}`;
    // First, once unmeasured: plans and caches warm on both sides alike.
    await app.inject({ method: 'GET', url: summary(null), headers: { cookie } });
    await timed(`90-day aggregate, one district (${district.code})`, Array.from({ length: runs }, () => summary(district.code)));
    await timed('90-day aggregate, whole city', Array.from({ length: runs }, () => summary(null)));
    await timed('incident tile z12', tilesAround(12).map((t) => `/api/tiles/incidents/${t.z}/${t.x}/${t.y}?${period}`), [200, 204]);
    await timed('incident tile z15', tilesAround(15).map((t) => `/api/tiles/incidents/${t.z}/${t.x}/${t.y}?${period}`), [200, 204]);
    await timed('grid tile z15 (reference table)', tilesAround(15).map((t) => `/api/tiles/grids/${t.z}/${t.x}/${t.y}`), [200, 204]);
    return results;
  } finally {
    await app.close();
    await pool.end();
  }
}

// ------------------------------------------------------------------ routing, from EXPLAIN
interface Routing {
  kind: 'router' | 'fan-out' | 'reference/local' | 'not explained';
  tasks: number;
  subplans: number;
  sql: string;
  error?: string;
}

const SKIP = /^\s*(BEGIN|COMMIT|ROLLBACK|SET|RESET|SAVEPOINT|RELEASE|LISTEN|UNLISTEN|DISCARD|SHOW)\b/i;

async function routingOf(ownerUrl: string, statements: Sent[]): Promise<Routing[]> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(`SELECT table_name::text AS name FROM citus_tables WHERE citus_table_type = 'distributed'`);
    const distributed = rows.map((r) => r.name.replace(/^public\./, ''));
    const touches = (sql: string) => distributed.some((t) => new RegExp(`\\b${t}\\b`, 'i').test(sql));
    const out: Routing[] = [];
    for (const s of statements) {
      if (SKIP.test(s.text)) continue;
      const sql = s.text.replace(/\s+/g, ' ').trim();
      let plan: string;
      try {
        await client.query('BEGIN');
        // Executed (in a transaction rolled back): a statement that fails on Citus says why here.
        const res = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, TIMING off) ${s.text}`, s.values as unknown[]);
        plan = res.rows.map((r) => r['QUERY PLAN']).join('\n');
      } catch (error) {
        out.push({ kind: 'not explained', tasks: 0, subplans: 0, sql, error: (error as Error).message });
        continue;
      } finally {
        await client.query('ROLLBACK').catch(() => {});
      }
      const tasks = [...plan.matchAll(/Task Count: (\d+)/g)].map((m) => Number(m[1]));
      const subplans = (plan.match(/Distributed Subplan/g) ?? []).length;
      const most = tasks.length ? Math.max(...tasks) : 0;
      const kind: Routing['kind'] = !touches(s.text) ? 'reference/local' : most > 1 ? 'fan-out' : 'router';
      out.push({ kind, tasks: most, subplans, sql });
    }
    return out;
  } finally {
    await client.end();
  }
}

// ------------------------------------------------------------------ the run
const started = performance.now();
let single: LocalCluster | null = null;
let citus: CitusCluster | null = null;
try {
  log(`City data set at scale ${scale}: ${figures.communities} communities, ${figures.grids} grids, ${figures.buildings} buildings, ${figures.incidents} incidents; ${runs} run(s) per figure, medians`);
  single = await startLocalCluster({ name: 'pg-bench-citus-single', preferredPort: 55620, durable: false, log });
  citus = await startCitusCluster({ name: 'pg-bench-citus', preferredPort: 55630, durable: false, log });
  {
    const admin = new pg.Client({ connectionString: single.urlFor('postgres') });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${DATABASE}`);
    await admin.end();
  }
  await citus.dropDatabase(DATABASE);
  await citus.createDatabase(DATABASE);
  const shardCount = Math.max(1, Number(values.shards));
  {
    const c = new pg.Client({ connectionString: citus.coordinator.urlFor(DATABASE) });
    await c.connect();
    await c.query(`ALTER DATABASE ${DATABASE} SET citus.shard_count = ${shardCount}`);
    await c.end();
  }

  log('\nSingle node: loading…');
  const loadSingle = await loadCity(single.urlFor(DATABASE), 'single');
  log('Citus (coordinator + 2 workers): loading…');
  const loadCitus = await loadCity(citus.coordinator.urlFor(DATABASE), 'citus');

  log('\nMeasuring through the app…');
  const measuredSingle = await measure(single.appUrlFor(DATABASE), 'single');
  const measuredCitus = await measure(citus.coordinator.appUrlFor(DATABASE), 'citus');
  const perWorker = await (async () => {
    const c = new pg.Client({ connectionString: citus!.coordinator.urlFor(DATABASE) });
    await c.connect();
    try {
      const shards = await c.query<{ shardid: string; node: string; table_name: string; bytes: string }>(
        `SELECT shardid::text, nodename || ':' || nodeport AS node, table_name::text, shard_size::text AS bytes FROM citus_shards WHERE citus_table_type = 'distributed'`,
      );
      const districts = await c.query<{ code: string; shardid: string }>(
        `SELECT code, get_shard_id_for_distribution_column('incident', code)::text AS shardid FROM admin_area WHERE level = 'district' ORDER BY code`,
      );
      const nodes = new Map<string, { node: string; shards: number; bytes: number; districts: string[] }>();
      for (const sh of shards.rows) {
        const n = nodes.get(sh.node) ?? { node: sh.node, shards: 0, bytes: 0, districts: [] };
        n.shards += 1;
        n.bytes += Number(sh.bytes);
        if (sh.table_name === 'incident') n.districts.push(...districts.rows.filter((d) => d.shardid === sh.shardid).map((d) => d.code));
        nodes.set(sh.node, n);
      }
      return [...nodes.values()].sort((a, b) => a.node.localeCompare(b.node));
    } finally {
      await c.end();
    }
  })();
  const { rows: layout } = await (async () => {
    const c = new pg.Client({ connectionString: citus!.coordinator.urlFor(DATABASE) });
    await c.connect();
    try {
      return await c.query<{ name: string; kind: string; shards: number }>(
        `SELECT c.relname::text AS name, coalesce(t.citus_table_type, 'local') AS kind, coalesce(t.shard_count, 0) AS shards
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
           LEFT JOIN citus_tables t ON t.table_name = c.oid::regclass
          WHERE c.relkind IN ('r', 'p') ORDER BY 2, 1`,
      );
    } finally {
      await c.end();
    }
  })();

  const rate = (n: number, s: number) => Math.round(n / s);
  const rows: [string, string, string, string][] = [
    ['incident load (set-based batches), rows/s', String(rate(loadSingle.incidents, loadSingle.incidentSeconds)), String(rate(loadCitus.incidents, loadCitus.incidentSeconds)),
      (loadSingle.incidentSeconds / loadCitus.incidentSeconds).toFixed(2) + '×'],
    [`incident CSV import (${importRows} rows), rows/s`, loadSingle.importRows ? String(rate(loadSingle.importRows, loadSingle.importSeconds)) : 'n/a',
      loadCitus.importRows ? String(rate(loadCitus.importRows, loadCitus.importSeconds)) : 'n/a',
      loadSingle.importRows && loadCitus.importRows ? (loadSingle.importSeconds / loadCitus.importSeconds).toFixed(2) + '×' : ''],
    ...measuredSingle.map((m, k): [string, string, string, string] => [
      `${m.label}, ms`, m.failed ? `failed: ${m.failed}` : m.ms.toFixed(0), measuredCitus[k]!.failed ? `failed: ${measuredCitus[k]!.failed}` : measuredCitus[k]!.ms.toFixed(0),
      m.failed || measuredCitus[k]!.failed ? '' : (m.ms / measuredCitus[k]!.ms).toFixed(2) + '×',
    ]),
  ];
  log(`\n${'figure'.padEnd(52)} ${'single node'.padStart(12)} ${'Citus 1+2'.padStart(12)} ${'speed-up'.padStart(9)}`);
  for (const [label, a, b, r] of rows) log(`${label.padEnd(52)} ${a.padStart(12)} ${b.padStart(12)} ${r.padStart(9)}`);
  log('(speed-up: single-node time / Citus time; below 1 means Citus is slower here)');

  log(`\nCitus layout: ${layout.filter((t) => t.kind === 'distributed').length} distributed tables (${shardCount} shards each), ${layout.filter((t) => t.kind === 'reference').length} reference tables, ${layout.filter((t) => t.kind === 'local').length} local (coordinator) tables`);
  log(`  distributed: ${layout.filter((t) => t.kind === 'distributed').map((t) => t.name).join(', ') || '(none)'}`);
  // Where the districts' rows went: with few districts the hash may put them all on one worker.
  for (const w of perWorker) log(`  worker ${w.node}: ${w.shards} shards, ${(w.bytes / 1024 / 1024).toFixed(0)} MB; districts ${w.districts.join(', ') || '(none)'}`);
  log('\nShard routing of the statements behind each request (EXPLAIN on the coordinator):');
  const routing: Record<string, Routing[]> = {};
  for (const m of measuredCitus) {
    const r = await routingOf(citus.coordinator.urlFor(DATABASE), m.statements);
    routing[m.label] = r;
    const count = (k: Routing['kind']) => r.filter((x) => x.kind === k).length;
    log(`  ${m.label}: ${count('router')} router (one shard), ${count('fan-out')} fan-out, ${count('reference/local')} reference/local only${count('not explained') ? `, ${count('not explained')} not explained` : ''}`);
    for (const x of r.filter((y) => y.kind === 'not explained')) log(`    not explained (${x.error}): ${x.sql.slice(0, 110)}`);
    for (const x of r.filter((y) => y.kind === 'fan-out' || y.kind === 'router')) {
      log(`    ${x.kind === 'router' ? 'router ' : `fan-out to ${x.tasks} shards`}${x.subplans ? ` + ${x.subplans} subplan(s)` : ''}: ${x.sql.slice(0, 110)}${x.sql.length > 110 ? '…' : ''}`);
    }
  }

  const out = path.join(repoRoot, 'bench', 'out');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(
    path.join(out, 'citus.json'),
    JSON.stringify({ at: new Date().toISOString(), scale, runs, figures, shardCount, loadSingle, loadCitus, measuredSingle: measuredSingle.map(({ label, ms }) => ({ label, ms })),
      measuredCitus: measuredCitus.map(({ label, ms }) => ({ label, ms })), layout, perWorker, routing }, null, 2),
  );
  log(`\nDone in ${((performance.now() - started) / 1000).toFixed(0)} s; figures in bench/out/citus.json`);
} finally {
  recording = null;
  citus?.stop();
  single?.stop();
}
