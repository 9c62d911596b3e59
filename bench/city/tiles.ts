/**
 * `npm run bench:tiles [-- --scale 0.05 --runs 3 --seconds 3 --layers incidents --zooms 8,12,15 --concurrency 1]`: tile latency and throughput on the
 * city data set (load it first with `npm run bench:city:load`), for z8, z12 and z15 and every
 * layer that has tiles there, at 1, 10 and 100 concurrent connections:
 * - bare: the layer's tile SQL for the same tiles run directly on the database, through a pool of
 *   the server's size (20), the baseline;
 * - cold: every tile once through the HTTP API after emptying the server's tile cache (the
 *   database's own buffers stay warm, as in service);
 * - warm: the same tiles again and again from the tile cache for `--seconds` (autocannon).
 * Prints p50/p95/p99 in ms, requests per second, errors, and the server's overhead as the ratio
 * cold p50 / bare p50 (and throughput bare / cold). With `--runs N`, medians over N runs.
 * Incidents: reported in the last 90 days. The server runs in a child process. Staff tiles are spread
 * over 17 sessions per role (100 connections ≈ 17 browsers).
 */
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import type { EventEmitter } from 'node:events';
import autocannon from 'autocannon';
import pg from 'pg';
import { TILE_LAYERS, type TileLayerName } from '../../server/modules/tiles/layers.js';
import { tileQuery, type TileVariant } from '../../server/modules/tiles/tile-service.js';
import { tileAt, type TileCoordinates } from '../../server/modules/tiles/tile-math.js';
import { cityDatabase, migrateCityDatabase, parseScale } from './database.js';
import { login, medianFigures, ms, percentile, runConcurrently, startServer, type Figures } from './measure.js';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    runs: { type: 'string', default: '1' },
    seconds: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '1,10,100' },
    zooms: { type: 'string', default: '8,12,15' },
    layers: { type: 'string', default: 'areas,grids,buildings,facilities,incidents' },
    // A git revision: its incident tile SQL is run bare on the same tiles too ("before"), e.g. main.
    before: { type: 'string' },
  },
});
const scale = parseScale(values.scale);
const runs = Number(values.runs);
const seconds = Number(values.seconds);
const concurrencies = values.concurrency!.split(',').map(Number);
const zooms = values.zooms!.split(',').map(Number);
const POOL_SIZE = 20;

const { url, cluster } = await cityDatabase(scale, console.log);
await migrateCityDatabase(url, console.log);
// The bare queries run as the server runs them: same pool size, same session settings (no JIT),
// connections kept open the same way.
const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE, options: '-c jit=off', min: 4, idleTimeoutMillis: 60_000 } as pg.PoolConfig);
const { rows: counts } = await pool.query(`SELECT (SELECT count(*) FROM grid) AS grids, (SELECT count(*) FROM incident) AS incidents, (SELECT max(reported_at) FROM incident) AS last`);
if (!counts[0].grids) throw new Error(`No city data in ${new URL(url).pathname.slice(1)}: run npm run bench:city:load -- --scale ${scale} first`);
const last: Date = counts[0].last;
const to = new Date(Date.UTC(last.getUTCFullYear(), last.getUTCMonth(), last.getUTCDate() + 1));
const from = new Date(to.getTime() - 90 * 86_400_000);
const day = (d: Date) => d.toISOString().slice(0, 10);
// The API reads dates as China-time midnights: the bare query gets the same instants.
const chinaMidnight = (d: Date) => new Date(d.getTime() - 8 * 3_600_000);
const incidentFilter = { from: chinaMidnight(from), to: chinaMidnight(to), categories: null, statuses: null, sources: null, scope: null, ownGridsOfUser: null };
const incidentQuery = `?from=${day(from)}&to=${day(to)}`;

const { rows: b } = await pool.query(`SELECT ST_XMin(e) AS w, ST_YMin(e) AS s, ST_XMax(e) AS e, ST_YMax(e) AS n FROM (SELECT ST_Extent(geom) e FROM admin_area WHERE level = 'district') x`);
const box = b[0] as { w: number; s: number; e: number; n: number };
const centre = [(box.w + box.e) / 2, (box.s + box.n) / 2] as const;

/** The tiles of a zoom: every tile of the city at z8; the 64 (z12) or 144 (z15) nearest the centre above. */
function tilesAt(z: number): TileCoordinates[] {
  const nw = tileAt(box.w, box.n, z);
  const se = tileAt(box.e, box.s, z);
  const c = tileAt(centre[0], centre[1], z);
  const tiles: TileCoordinates[] = [];
  for (let x = nw.x; x <= se.x; x++) for (let y = nw.y; y <= se.y; y++) tiles.push({ z, x, y });
  const distance = (t: TileCoordinates) => Math.max(Math.abs(t.x - c.x), Math.abs(t.y - c.y)) * 1e6 + (t.x - c.x) ** 2 + (t.y - c.y) ** 2;
  tiles.sort((a, b) => distance(a) - distance(b) || a.x - b.x || a.y - b.y);
  return z <= 8 ? tiles : tiles.slice(0, z <= 12 ? 64 : 144);
}

const server = await startServer(url, POOL_SIZE);
// 100 connections are about 17 browsers (6 connections each), not one user: staff tiles are spread
// over 17 sessions per role (every staff request refreshes its session row, so one shared session
// would serialise them all on that row's lock).
const SESSIONS = 17;
const sessions = async (role: 'planner' | 'analyst') => Promise.all(Array.from({ length: SESSIONS }, () => login(server.base, role)));
const cookies = { admin: await login(server.base, 'admin'), planner: await sessions('planner'), analyst: await sessions('analyst') };

const variantOf = (layer: TileLayerName): TileVariant =>
  layer === 'facilities' ? { layer, staff: false } : layer === 'incidents' ? { layer, filter: incidentFilter } : ({ layer } as TileVariant);
const headersOf = (layer: TileLayerName, t: TileCoordinates): Record<string, string> => {
  const session = (t.x * 7 + t.y) % SESSIONS;
  return {
    'accept-encoding': 'gzip',
    ...(layer === 'incidents' ? { cookie: cookies.analyst[session]! } : layer === 'grids' || layer === 'buildings' ? { cookie: cookies.planner[session]! } : {}),
  };
};
const urlOf = (layer: TileLayerName, t: TileCoordinates) => `${server.base}/api/tiles/${layer}/${t.z}/${t.x}/${t.y}${layer === 'incidents' ? incidentQuery : ''}`;

async function fetchTile(layer: TileLayerName, t: TileCoordinates, stats?: { bytes: number; max: number }): Promise<boolean> {
  const res = await fetch(urlOf(layer, t), { headers: headersOf(layer, t) });
  const body = await res.arrayBuffer();
  if (stats) {
    stats.bytes += body.byteLength;
    stats.max = Math.max(stats.max, body.byteLength);
  }
  return res.status === 200 || res.status === 204;
}

/**
 * Warm: autocannon (a leaner HTTP client than fetch, so the load generator takes less of the
 * machine from the server) cycles each connection through the tiles for `seconds`.
 */
async function warmRun(layer: TileLayerName, tiles: TileCoordinates[], concurrency: number): Promise<Figures> {
  const latencies: number[] = [];
  let errors = 0;
  const instance = autocannon({
    url: server.base,
    connections: concurrency,
    duration: seconds,
    requests: tiles.map((t) => ({ method: 'GET' as const, path: new URL(urlOf(layer, t)).pathname + new URL(urlOf(layer, t)).search, headers: headersOf(layer, t) })),
  }) as unknown as Promise<autocannon.Result> & EventEmitter;
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    latencies.push(responseTime);
    if (statusCode !== 200 && statusCode !== 204) errors++;
  });
  const result = await instance;
  latencies.sort((a, b) => a - b);
  return {
    n: latencies.length,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    rate: latencies.length / seconds,
    errors: errors + result.errors + result.timeouts,
  };
}

async function clearCache() {
  const res = await fetch(`${server.base}/api/tiles/cache`, { method: 'DELETE', headers: { cookie: cookies.admin } });
  if (res.status !== 200) throw new Error(`cannot empty the tile cache: ${res.status}`);
}

// The incident tile SQL of another revision (the count and the point tiles, parameters as then:
// z, x, y, cell units or feature limit, the 7 filter values), run bare for comparison.
const before = values.before
  ? {
      points: execFileSync('git', ['show', `${values.before}:server/modules/tiles/sql/incidents.sql`], { encoding: 'utf8' }),
      clusters: execFileSync('git', ['show', `${values.before}:server/modules/tiles/sql/incident-clusters.sql`], { encoding: 'utf8' }),
    }
  : null;
const f0 = incidentFilter;
const beforeQuery = (t: TileCoordinates) =>
  t.z >= 15
    ? { sql: before!.points, params: [t.z, t.x, t.y, 10_000, f0.from, f0.to, null, null, null, null, null] }
    : { sql: before!.clusters, params: [t.z, t.x, t.y, 64, f0.from, f0.to, null, null, null, null, null] };

interface Row {
  layer: TileLayerName;
  z: number;
  tiles: number;
  concurrency: number;
  bare: Figures;
  cold: Figures;
  warm: Figures;
  maxKb: number;
}
const rows: Row[] = [];
const layers = values.layers!.split(',') as TileLayerName[];
for (const layer of layers) if (!TILE_LAYERS[layer]) throw new Error(`--layers: unknown layer ${layer}`);

console.log(`\nTiles on the city data set (scale ${scale}): ${counts[0].grids} grids, ${counts[0].incidents} incidents; incidents of ${day(from)} … ${day(to)}; ${runs} run(s)`);
for (const z of zooms) {
  const tiles = tilesAt(z);
  for (const layer of layers) {
    if (z < TILE_LAYERS[layer].minzoom) continue;
    for (const concurrency of concurrencies) {
      const bare: Figures[] = [];
      const cold: Figures[] = [];
      const warm: Figures[] = [];
      const size = { bytes: 0, max: 0 };
      for (let run = 0; run < runs; run++) {
        bare.push(
          await runConcurrently(tiles, concurrency, async (t) => {
            const { sql, params } = tileQuery(variantOf(layer), t);
            await pool.query(sql, params);
            return true;
          }),
        );
        await clearCache();
        cold.push(await runConcurrently(tiles, concurrency, (t) => fetchTile(layer, t, size)));
        warm.push(await warmRun(layer, tiles, concurrency));
      }
      const row = { layer, z, tiles: tiles.length, concurrency, bare: medianFigures(bare), cold: medianFigures(cold), warm: medianFigures(warm), maxKb: size.max / 1024 };
      rows.push(row);
      printRow(row);
      if (before && layer === 'incidents') {
        const old: Figures[] = [];
        for (let run = 0; run < runs; run++) {
          old.push(
            await runConcurrently(tiles, concurrency, async (t) => {
              const { sql, params } = beforeQuery(t);
              await pool.query(sql, params);
              return true;
            }),
          );
        }
        const o = medianFigures(old);
        console.log(
          `  ${values.before} SQL, bare: p50 ${ms(o.p50)} p95 ${ms(o.p95)} p99 ${ms(o.p99)} ms, ${o.rate.toFixed(0)} req/s; now bare/before p50 ${(row.bare.p50 / o.p50).toFixed(3)}, cold p95/before bare p95 ${(row.cold.p95 / o.p95).toFixed(3)}`,
        );
      }
    }
  }
}

function printRow(r: Row) {
  if (!printRow.header) {
    printRow.header = true;
    console.log(
      ['layer', 'z', 'tiles', 'conn', '| bare p50', 'p95', 'p99', 'req/s', '| cold p50', 'p95', 'p99', 'req/s', 'err', '| warm p50', 'p95', 'p99', 'req/s', 'err', '| cold/bare p50', 'bare/cold req/s', 'max KB gz']
        .map((h, i) => (i === 0 ? h.padEnd(10) : h.padStart(i === 1 || i === 2 || i === 3 ? 5 : 9)))
        .join(' '),
    );
  }
  console.log(
    [
      r.layer.padEnd(10),
      String(r.z).padStart(5),
      String(r.tiles).padStart(5),
      String(r.concurrency).padStart(5),
      ms(r.bare.p50).padStart(9), ms(r.bare.p95).padStart(9), ms(r.bare.p99).padStart(9), r.bare.rate.toFixed(0).padStart(9),
      ms(r.cold.p50).padStart(9), ms(r.cold.p95).padStart(9), ms(r.cold.p99).padStart(9), r.cold.rate.toFixed(0).padStart(9), String(r.cold.errors).padStart(9),
      ms(r.warm.p50).padStart(9), ms(r.warm.p95).padStart(9), ms(r.warm.p99).padStart(9), r.warm.rate.toFixed(0).padStart(9), String(r.warm.errors).padStart(9),
      (r.cold.p50 / r.bare.p50).toFixed(2).padStart(13),
      (r.bare.rate / r.cold.rate).toFixed(2).padStart(15),
      r.maxKb.toFixed(1).padStart(9),
    ].join(' '),
  );
}
printRow.header = false;

// The targets of the issue, checked against these figures.
console.log('\nTargets:');
const check = (label: string, ok: boolean, detail: string) => console.log(`  ${ok ? 'met   ' : 'MISSED'} ${label}: ${detail}`);
for (const z of zooms) {
  const limit = z <= 8 ? 250 : 50;
  const worst = rows.filter((r) => r.z === z).sort((a, b) => b.cold.p95 - a.cold.p95)[0];
  if (worst) check(`cold p95 ≤ ${limit} ms at z${z}`, worst.cold.p95 <= limit, `worst ${ms(worst.cold.p95)} ms (${worst.layer}, ${worst.concurrency} conn)`);
}
const warm100 = rows.filter((r) => r.concurrency === 100);
if (warm100.length) {
  const worst = warm100.sort((a, b) => b.warm.p99 - a.warm.p99)[0]!;
  const errors = warm100.reduce((s, r) => s + r.warm.errors, 0);
  check('warm p99 ≤ 20 ms at 100 connections, no errors', worst.warm.p99 <= 20 && errors === 0, `worst ${ms(worst.warm.p99)} ms (${worst.layer} z${worst.z}), ${errors} errors`);
}
const single = rows.filter((r) => r.concurrency === 1);
if (single.length) {
  const worst = single.sort((a, b) => b.cold.p50 / b.bare.p50 - a.cold.p50 / a.bare.p50)[0]!;
  check('server overhead ≤ 1.3× the bare query (1 connection, p50)', worst.cold.p50 / worst.bare.p50 <= 1.3, `worst ${(worst.cold.p50 / worst.bare.p50).toFixed(2)}× (${worst.layer} z${worst.z})`);
}
const maxKb = Math.max(...rows.map((r) => r.maxKb));
check('no tile over 500 KB compressed', maxKb <= 500, `largest ${maxKb.toFixed(1)} KB`);

await server.stop();
await pool.end();
if (cluster?.startedHere) cluster.stop();
