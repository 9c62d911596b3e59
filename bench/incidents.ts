/**
 * `npm run bench:incidents`: the analyst's map at 1 and 10 million incidents. For each scale it
 * times, over the whole two years with no other filter:
 *   - heat cells: the points summed on a 50 m lattice in PostGIS, sent as packed float32 (the
 *     heatmap's input);
 *   - hexagon bins: counts per 500 m hexagon in PostGIS, sent as JSON;
 *   - binary points: every point as a 16-byte record (float32 lon, lat, weight, uint32 id);
 *   - the baseline: the same points as GeoJSON Features, built by PostGIS and streamed through a
 *     cursor (a single json_agg cannot hold 10 million features: PostgreSQL caps a value at 1 GB).
 * and prints time and payload size of each, and their ratios to the baseline measured in the
 * same run. Machines are shared and noisy: the ratios travel, the absolute figures do not.
 *
 * Starts its own PostGIS cluster (.data/pg-bench-incidents), loads the demo district, grows the
 * incidents with bench/generate-incidents.ts, and stops the cluster at the end (its data stays
 * for the next run; delete .data/pg-bench-incidents to start over).
 * Options: --scales 1000000,10000000   --runs N (median of N; default 3)
 */
import { parseArgs } from 'node:util';
import { createPool } from '../server/db/pool.js';
import { migrate } from '../server/db/migrate.js';
import { ensureDemoLoaded } from '../server/demo/ensure-demo.js';
import { startLocalCluster } from '../server/local-postgres/cluster.js';
import { createAnalysisRepository, type AnalysisFilter } from '../server/modules/incidents/analysis-repository.js';
import { growIncidents } from './generate-incidents.js';

const { values } = parseArgs({ options: { scales: { type: 'string', default: '1000000,10000000' }, runs: { type: 'string', default: '3' } } });
const scales = values.scales!.split(',').map(Number).sort((a, b) => a - b);
const runs = Math.max(1, Number(values.runs));

const cluster = process.env.DATABASE_URL ? null : await startLocalCluster({ name: 'pg-bench-incidents', preferredPort: 54389, log: console.log, durable: false });
const pool = createPool(process.env.DATABASE_URL ?? cluster!.connectionString, 4);
// The app's 120 s statement limit guards a server; a benchmark at 10 million rows may take longer.
pool.on('connect', (client) => void client.query('SET statement_timeout = 0'));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
async function time(fn: () => Promise<number>): Promise<{ ms: number; bytes: number }> {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    bytes = await fn();
    times.push(performance.now() - started);
  }
  return { ms: median(times), bytes };
}

/** The baseline: every filtered point as a GeoJSON Feature, streamed from a cursor; returns bytes. */
async function geoJsonBytes(f: AnalysisFilter): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      `DECLARE features NO SCROLL CURSOR FOR
       SELECT json_build_object('type', 'Feature', 'id', i.id, 'geometry', ST_AsGeoJSON(i.geom, 6)::json,
                                'properties', json_build_object('id', i.id, 'category', i.category, 'status', i.status))::text AS feature
       FROM incident_filtered($1, $2, $3, $4, $5, $6, $7) i`,
      [f.from, f.to, f.categories, f.statuses, f.sources, f.area, f.scope],
    );
    let bytes = Buffer.byteLength('{"type":"FeatureCollection","features":[]}');
    let first = true;
    for (;;) {
      const { rows } = await client.query<{ feature: string }>('FETCH 50000 FROM features');
      if (rows.length === 0) break;
      for (const r of rows) {
        bytes += Buffer.byteLength(r.feature) + (first ? 0 : 1);
        first = false;
      }
    }
    await client.query('COMMIT');
    return bytes;
  } finally {
    client.release();
  }
}

const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;
const sec = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);

try {
  await migrate(pool);
  await ensureDemoLoaded(pool, console.log, new Date(Date.UTC(2026, 10, 1)));
  const analysis = createAnalysisRepository(pool);
  const all: AnalysisFilter = { from: new Date('2000-01-01T00:00:00Z'), to: new Date('2100-01-01T00:00:00Z'), categories: null, statuses: null, sources: null, area: null, scope: null };
  const results: string[] = [];
  for (const scale of scales) {
    console.log(`Growing the incidents to ${scale.toLocaleString('en')}…`);
    await growIncidents(pool, scale, console.log);
    const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM incident');
    const n = rows[0]!.n;
    await analysis.heat(all, 50, 'count'); // warm the cache once
    const heat = await time(async () => (await analysis.heat(all, 50, 'count')).bytes.length);
    const hex = await time(async () => Buffer.byteLength(await analysis.hexagons(all, 500)));
    const points = await time(async () => (await analysis.points(all, n)).bytes.length);
    const geojson = await time(() => geoJsonBytes(all));
    const line = (name: string, m: { ms: number; bytes: number }) =>
      `  ${name.padEnd(34)} ${sec(m.ms).padStart(9)}  ${mb(m.bytes).padStart(9)}   time ×${(m.ms / geojson.ms).toFixed(3)}  size ×${(m.bytes / geojson.bytes).toFixed(5)}`;
    const block = [
      `${n.toLocaleString('en')} incidents (median of ${runs}; ratios against the GeoJSON baseline of the same run)`,
      line('heat cells, 50 m, float32 binary', heat),
      line('hexagon bins, 500 m, JSON', hex),
      line('all points, 16-byte binary', points),
      line('baseline: all points as GeoJSON', geojson),
    ].join('\n');
    console.log(block);
    results.push(block);
  }
  console.log('\n' + results.join('\n\n'));
} finally {
  await pool.end();
  cluster?.stop();
}
