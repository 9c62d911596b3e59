/**
 * `npm run bench:city:analysis [-- --scale 0.05 --runs 3 --import-rows N]`: the city-scale figures
 * of the other modules, through their own repository functions and SQL (nothing re-implemented):
 * - heatmap cells and hexagon bins (incidents module) at city extent, for 90 days and 3 years,
 *   with payload sizes, against the bare scan of the same filtered rows (count(*));
 * - a full coverage run for the whole city (coverage module), against the bare scan of the
 *   buildings it classifies;
 * - validation of one community and of every community of the city (grids module);
 * - incident import from CSV (incidents module: check, then write in one transaction), rows per
 *   second and the time for 1 million rows at that rate, against a bare COPY of the same file
 *   into a scratch table; `--import-rows 1000000` imports a million (past the 200,000-row cap of
 *   an upload); imported rows are removed afterwards.
 * Every figure is a median over --runs and is printed with its ratio to its baseline.
 */
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';
import { copyFrom } from '../../server/db/copy.js';
import { createPool, withTransaction } from '../../server/db/pool.js';
import { createAuditRepository } from '../../server/modules/audit/audit-repository.js';
import { createCoverageRepository } from '../../server/modules/coverage/coverage-repository.js';
import { createCoverageService } from '../../server/modules/coverage/coverage-service.js';
import { FACILITY_TYPE_CODES } from '../../server/modules/facilities/schemas.js';
import { validateLiveCommunities } from '../../server/modules/grids/validation.js';
import { createAnalysisRepository, type AnalysisFilter } from '../../server/modules/incidents/analysis-repository.js';
import { runImport } from '../../server/modules/incidents/import.js';
import { createIncidentsRepository } from '../../server/modules/incidents/incidents-repository.js';
import { cityDatabase, migrateCityDatabase, parseScale } from './database.js';
import { ms } from './measure.js';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    runs: { type: 'string', default: '3' },
    'import-rows': { type: 'string' },
    only: { type: 'string', description: 'comma-separated: heat,coverage,validation,import' },
    // A git revision: its heat.sql / hexagons.sql are run on the same filter too ("before").
    before: { type: 'string' },
  },
});
const scale = parseScale(values.scale);
const runs = Number(values.runs);
const importRows = Number(values['import-rows'] ?? Math.round(1_000_000 * Math.min(1, scale * 4)));
const only = new Set((values.only ?? 'heat,coverage,validation,import').split(','));

const { url, cluster } = await cityDatabase(scale, console.log);
await migrateCityDatabase(url, console.log);
const pool = createPool(url, 10);
const { rows: counts } = await pool.query(
  `SELECT (SELECT count(*) FROM grid) AS grids, (SELECT count(*) FROM admin_area WHERE level = 'community') AS communities,
          (SELECT count(*) FROM building) AS buildings, (SELECT count(*) FROM facility) AS facilities,
          (SELECT count(*) FROM incident) AS incidents, (SELECT max(reported_at) FROM incident) AS last`,
);
const c = counts[0];
if (!c.grids) throw new Error(`No city data: run npm run bench:city:load -- --scale ${scale} first`);
console.log(`\nCity data set (scale ${scale}): ${c.communities} communities, ${c.grids} grids, ${c.buildings} buildings, ${c.facilities} facilities, ${c.incidents} incidents; ${runs} run(s), medians`);

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}
async function median<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await timed(fn));
  results.sort((a, b) => a.ms - b.ms);
  return results[Math.floor((results.length - 1) / 2)]!;
}
const lines: string[] = [];
function report(label: string, measured: number, baseline: number | null, extra: string, target?: { limitMs: number }) {
  const ratio = baseline ? `${(measured / baseline).toFixed(2)}×` : '';
  const verdict = target ? (measured <= target.limitMs ? `target ≤ ${target.limitMs} ms: met` : `target ≤ ${target.limitMs} ms: MISSED by ${ms(measured - target.limitMs)} ms`) : '';
  const line = `${label.padEnd(46)} ${ms(measured).padStart(10)} ms ${(baseline ? ms(baseline) : '').padStart(10)} ${ratio.padStart(8)}  ${extra}  ${verdict}`;
  lines.push(line);
  console.log(line);
}
console.log(`${'figure'.padEnd(46)} ${'measured'.padStart(13)} ${'baseline'.padStart(10)} ${'ratio'.padStart(8)}`);

// ------------------------------------------------------------------ heatmap and hexagons
if (only.has('heat')) {
  const analysis = createAnalysisRepository(pool);
  const last: Date = c.last;
  // Whole China-time days, as the API reads ?from=YYYY-MM-DD&to=YYYY-MM-DD: the day after the
  // last incident's (China-time) day, at China midnight.
  const CHINA = 8 * 3_600_000;
  const lastLocal = new Date(last.getTime() + CHINA);
  const to = new Date(Date.UTC(lastLocal.getUTCFullYear(), lastLocal.getUTCMonth(), lastLocal.getUTCDate() + 1) - CHINA);
  for (const days of [90, 1095]) {
    const f: AnalysisFilter = { from: new Date(to.getTime() - days * 86_400_000), to, categories: null, statuses: null, sources: null, area: null, scope: null };
    const bare = await median(() => pool.query(`SELECT count(*)::int AS n FROM incident_filtered($1, $2, NULL, NULL, NULL, NULL, NULL)`, [f.from, f.to]));
    const n = bare.value.rows[0].n;
    // 50 m asked for (what the web asks): at city extent the server answers with coarser cells
    // (X-Cell-Meters) so that the payload stays ≤ 1 MB.
    const heat = await median(() => analysis.heat(f, 50, 'count'));
    report(`heatmap ${days} d, 50 m asked (${n} incidents)`, heat.ms, bare.ms, `${heat.value.cells} cells of ${heat.value.cellMeters} m, ${(heat.value.bytes.length / 1024).toFixed(0)} KB`, days === 90 ? { limitMs: 300 } : undefined);
    const coarse = await median(() => analysis.heat(f, 400, 'count'));
    report(`heatmap ${days} d, 400 m asked`, coarse.ms, bare.ms, `${coarse.value.cells} cells of ${coarse.value.cellMeters} m, ${(coarse.value.bytes.length / 1024).toFixed(0)} KB`, days === 90 ? { limitMs: 300 } : undefined);
    // A filter the summaries do not answer (every category named: the same incidents), read from the incidents.
    const all = { ...f, categories: ['dispute', 'safety_hazard', 'public_order', 'sanitation', 'street_order', 'livelihood'] };
    const filtered = days === 90 ? await median(() => analysis.heat(all, 50, 'count')) : null;
    if (filtered) report(`heatmap ${days} d, 50 m, category filter`, filtered.ms, bare.ms, `${filtered.value.cells} cells of ${filtered.value.cellMeters} m, ${(filtered.value.bytes.length / 1024).toFixed(0)} KB (from the incidents)`);
    const hexagons = await median(() => analysis.hexagons(f, 500));
    const gzipped = zlib.gzipSync(Buffer.from(hexagons.value), { level: 4 }).length;
    report(`hexagons ${days} d, 500 m (${n} incidents)`, hexagons.ms, bare.ms, `${(Buffer.byteLength(hexagons.value) / 1024).toFixed(0)} KB JSON, ${(gzipped / 1024).toFixed(0)} KB gzipped`, days === 90 ? { limitMs: 300 } : undefined);
    if (values.before) {
      const show = (file: string) => execFileSync('git', ['show', `${values.before}:server/modules/incidents/sql/${file}`], { encoding: 'utf8' });
      const params = [f.from, f.to, null, null, null, null, null];
      const oldHeat = show('heat.sql');
      const heat50 = await median(() => pool.query(oldHeat, [...params, 50, 'count']));
      report(`  ${values.before}: heatmap ${days} d, 50 m`, heat50.ms, bare.ms, `${heat50.value.rows[0].cells} cells, ${(heat50.value.rows[0].bytes.length / 1024).toFixed(0)} KB`);
      const heat400 = await median(() => pool.query(oldHeat, [...params, 400, 'count']));
      report(`  ${values.before}: heatmap ${days} d, 400 m`, heat400.ms, bare.ms, `${heat400.value.rows[0].cells} cells, ${(heat400.value.rows[0].bytes.length / 1024).toFixed(0)} KB`);
      const hex = await median(() => pool.query(show('hexagons.sql'), [...params, 500]));
      report(`  ${values.before}: hexagons ${days} d, 500 m`, hex.ms, bare.ms, `${(Buffer.byteLength(hex.value.rows[0].bins) / 1024).toFixed(0)} KB JSON`);
    }
    const hexagons1000 = await median(() => analysis.hexagons(f, 1000));
    report(`hexagons ${days} d, 1000 m`, hexagons1000.ms, bare.ms, `${(Buffer.byteLength(hexagons1000.value) / 1024).toFixed(0)} KB JSON`, days === 90 ? { limitMs: 300 } : undefined);
  }
}

// ------------------------------------------------------------------ coverage
if (only.has('coverage')) {
  const coverage = createCoverageService(createCoverageRepository(pool));
  const bare = await median(() => pool.query(`SELECT count(*) FROM building WHERE residents > 0`));
  const run = await median(() => coverage.analyse({ facilityTypes: [...FACILITY_TYPE_CODES], population: 'all' }));
  report('coverage, whole city, all types', run.ms, bare.ms, `${run.value.communities.length} communities, ${run.value.grids.length} grids`, { limitMs: 10_000 });
}

// ------------------------------------------------------------------ validation
if (only.has('validation')) {
  const { rows: communities } = await pool.query<{ code: string }>(`SELECT code FROM admin_area WHERE level = 'community' ORDER BY code`);
  const one = communities[Math.floor(communities.length / 2)]!.code;
  const bareOne = await median(() => pool.query(`SELECT count(*) FROM grid WHERE community_code = $1 AND retired_at IS NULL`, [one]));
  const single = await median(() => withTransaction(pool, (client) => validateLiveCommunities(client, [one])));
  report(`validation, one community (${one})`, single.ms, bareOne.ms, `${single.value.length} findings`, { limitMs: 100 });
  const all = communities.map((r) => r.code);
  const bareAll = await median(() => pool.query(`SELECT count(*) FROM grid WHERE retired_at IS NULL`));
  try {
    const city = await timed(() => withTransaction(pool, (client) => validateLiveCommunities(client, all)));
    report(`validation, every community (${all.length}), 1 run`, city.ms, bareAll.ms, `${city.value.length} findings`);
  } catch (error) {
    // The API's pool stops any statement after 120 s (server/db/pool.ts).
    if ((error as { code?: string }).code !== '57014') throw error;
    report(`validation, every community (${all.length}), 1 run`, 120_000, bareAll.ms, 'did not finish: cancelled by the 120 s statement timeout');
  }
}

// ------------------------------------------------------------------ import
if (only.has('import')) {
  const incidents = createIncidentsRepository(pool);
  const audit = createAuditRepository(pool);
  const { rows: places } = await pool.query<{ lon: number; lat: number }>(
    `SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM building TABLESAMPLE SYSTEM (5) LIMIT 20000`,
  );
  const categories = [['dispute', 'neighbour'], ['sanitation', 'garbage'], ['street_order', 'illegal_parking'], ['livelihood', 'heating']];
  const header = '工单编号,类别,子类,描述,经度,纬度,上报时间,来源';
  const body: string[] = [header];
  const start = Date.UTC(2026, 0, 1);
  for (let i = 0; i < importRows; i++) {
    const p = places[i % places.length]!;
    const [category, sub] = categories[i % categories.length]!;
    const at = new Date(start + (i % 300) * 86_400_000 + (i % 86_400) * 1000).toISOString().slice(0, 19).replace('T', ' ');
    body.push(`BENCH-${i},${category},${sub},测试工单${i},${(p.lon + ((i % 7) - 3) * 1e-5).toFixed(6)},${(p.lat + ((i % 5) - 2) * 1e-5).toFixed(6)},${at},12345热线`);
  }
  const csv = Buffer.from(body.join('\n'), 'utf8');
  body.length = 0;
  const { rows: admin } = await pool.query<{ id: number }>(`SELECT id FROM app_user WHERE username = 'analyst'`);
  // Baseline: the same file copied as it is into a scratch table (no parsing, checks, indexes).
  const bare = await timed(() =>
    withTransaction(pool, async (client) => {
      await client.query(`CREATE TEMP TABLE bench_import_scratch (a text, b text, c text, d text, e text, f text, g text, h text) ON COMMIT DROP`);
      return copyFrom(client, `COPY bench_import_scratch FROM STDIN (FORMAT csv, HEADER true)`, [csv]);
    }),
  );
  const phases: { phase: string; at: number }[] = [];
  const run = await timed(() =>
    runImport(
      pool,
      incidents,
      audit,
      {
        bytes: csv,
        fileName: 'bench.csv',
        options: { crs: 'wgs84', defaultSource: 'hotline_12345' },
        maxRows: importRows,
        progress: (phase) => {
          if (phases.at(-1)?.phase !== phase) phases.push({ phase, at: performance.now() });
        },
      },
      { actorUserId: admin[0]!.id, actorUsername: 'analyst', ip: null },
    ),
  );
  const end = performance.now();
  if (run.value.checked.errorCount > 0) throw new Error(`import check: ${run.value.checked.errorCount} errors, first: ${JSON.stringify(run.value.checked.errors[0])}`);
  const perSecond = importRows / (run.ms / 1000);
  report(
    `import ${importRows} incidents from CSV (${(csv.length / 1e6).toFixed(0)} MB)`,
    run.ms,
    bare.ms,
    `${run.value.created} created, ${perSecond.toFixed(0)} rows/s → 1 M rows in ${(1_000_000 / perSecond).toFixed(0)} s`,
    { limitMs: (60_000 * importRows) / 1_000_000 },
  );
  console.log(`  phases: ${phases.map((p, k) => `${p.phase} ${ms((phases[k + 1]?.at ?? end) - p.at)} ms`).join(', ')}; baseline: a bare COPY of the file into a scratch table (${bare.value} rows)`);
  await pool.query(`DELETE FROM incident WHERE external_id LIKE 'BENCH-%'`);
  // Without this the next run's duplicate check probes a million dead index entries (heap fetch each).
  await pool.query(`VACUUM incident, incident_event, incident_reporter`);
}

await pool.end();
if (cluster?.startedHere) cluster.stop();
