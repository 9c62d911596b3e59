/**
 * Every upload path refuses a hostile archive quickly and with bounded memory: a workbook whose
 * directory claims 1 KB for a 300 MB sheet (grid-free table imports: facilities, incidents,
 * candidate sites), a zipped Shapefile that lies the same way (grid import), and an honest
 * workbook with more rows than the cap (reading stops at the cap). The process's resident
 * memory is sampled during each request; nothing is written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { bigWorkbook, makeZip, workbookBomb } from '../helpers/hostile-zips.js';

let t: TestApp;
let planner: string;
let analyst: string;
let bomb: Buffer;
let tooManyRows: Buffer;
let shapefileBomb: Buffer;
beforeAll(async () => {
  t = await createTestApp();
  planner = await t.loginAs('planner');
  analyst = await t.loginAs('analyst');
  bomb = await workbookBomb(['名称', '类型', '经度', '纬度', '工单编号', '类别', '描述', '上报时间'], 300);
  tooManyRows = await bigWorkbook(['工单编号', '类别', '描述', '经度', '纬度', '上报时间'], 230_000, (i) => [`T-${i}`, 'sanitation', '垃圾', (108.7 + (i % 997) / 1e5).toFixed(6), (34.31 + (i % 991) / 1e5).toFixed(6), '2026-03-03 08:00']);
  const megabyte = Buffer.alloc(1 << 20, 7);
  shapefileBomb = await makeZip([
    { name: 'grids.shp', data: function* () { for (let i = 0; i < 300; i++) yield megabyte; }, claimSize: 1024 },
    { name: 'grids.shx', data: Buffer.alloc(100) },
    { name: 'grids.dbf', data: Buffer.alloc(100) },
  ]);
}, 120_000);
afterAll(async () => t?.close());

function multipart(fileName: string, bytes: Buffer, fields: Record<string, string> = {}) {
  const boundary = '----wangge-memory';
  const parts = Object.entries(fields).map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
  const payload = Buffer.concat([
    Buffer.from(parts.join('')),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const counts = async () => (await t.db.pool.query(`SELECT (SELECT count(*) FROM grid) AS grids, (SELECT count(*) FROM facility) AS facilities, (SELECT count(*) FROM incident) AS incidents`)).rows[0];

/** Uploads, follows an import job to its end, and reports the outcome and the peak RSS growth. */
async function upload(url: string, cookie: string, fileName: string, bytes: Buffer, fields: Record<string, string> = {}) {
  if (global.gc) global.gc();
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const started = Date.now();
  try {
    const body = multipart(fileName, bytes, fields);
    let res = await t.app.inject({ method: 'POST', url, payload: body.payload, headers: { ...body.headers, cookie } });
    let status = res.statusCode;
    let message: string = res.json().message ?? '';
    if (status === 202) {
      const jobId = res.json().id as string;
      for (let i = 0; i < 600; i++) {
        res = await t.app.inject({ url: `/api/incidents/import/jobs/${jobId}`, headers: { cookie } });
        const job = res.json();
        if (job.state !== 'running') {
          status = job.state === 'failed' ? 422 : 200;
          message = job.message ?? JSON.stringify(job);
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    return { status, message, growthMb: (Math.max(peak, process.memoryUsage().rss) - base) / 1048576, ms: Date.now() - started };
  } finally {
    clearInterval(timer);
  }
}

const PATHS: { name: string; url: string; role: 'planner' | 'analyst'; fields?: Record<string, string> }[] = [
  { name: 'facility import preview', url: '/api/facilities/import/preview', role: 'planner' },
  { name: 'facility import commit', url: '/api/facilities/import/commit', role: 'planner' },
  { name: 'incident import preview', url: '/api/incidents/import/preview', role: 'analyst', fields: { crs: 'wgs84', source: 'hotline_12345' } },
  { name: 'incident import', url: '/api/incidents/import', role: 'analyst', fields: { crs: 'wgs84', source: 'hotline_12345' } },
  { name: 'candidate sites', url: '/api/coverage/candidates', role: 'planner' },
];

describe('memory of every upload path', () => {
  it.each(PATHS)('$name: a workbook that claims 1 KB and inflates 300 MB is refused fast, in little memory', async ({ url, role, fields }) => {
    const before = await counts();
    const r = await upload(url, role === 'planner' ? planner : analyst, 'bomb.xlsx', bomb, fields);
    expect(r.status, r.message).toBeGreaterThanOrEqual(400);
    expect(r.status, r.message).toBeLessThan(500);
    expect(r.message).toMatch(/unpacks to more than it declares/);
    expect(r.growthMb).toBeLessThan(64);
    expect(r.ms).toBeLessThan(5000);
    expect(await counts()).toEqual(before);
  });

  it.each(PATHS)('$name: a workbook with more rows than the cap stops at the cap', async ({ url, role, fields }) => {
    const before = await counts();
    const r = await upload(url, role === 'planner' ? planner : analyst, 'many.xlsx', tooManyRows, fields);
    expect(r.status, r.message).toBeGreaterThanOrEqual(400);
    expect(r.status, r.message).toBeLessThan(500);
    expect(r.message).toMatch(/more than \d+ rows/);
    // The reader holds one chunk; the imports hold the rows read up to the cap (200,000 rows
    // of six columns: the incident import's checked rows are the most). Before the streaming
    // reader, the whole workbook model was built first (2.9 GB for 1.3 M rows).
    expect(r.growthMb).toBeLessThan(400);
    expect(await counts()).toEqual(before);
  });

  it('grid import: a zipped Shapefile that claims 1 KB and inflates 300 MB is refused fast, in little memory', async () => {
    const before = await counts();
    const r = await upload('/api/grid-import/preview', planner, 'grids.zip', shapefileBomb, { scope: '610402001001' });
    expect(r.status, r.message).toBeGreaterThanOrEqual(400);
    expect(r.status, r.message).toBeLessThan(500);
    expect(r.message).toMatch(/more than it declares/);
    expect(r.growthMb).toBeLessThan(64);
    expect(r.ms).toBeLessThan(5000);
    expect(await counts()).toEqual(before);
  });
});
