/**
 * Exports: grids of a community, street, district or the whole city; facilities; incidents as
 * the analyst's list shows them (no reporter, capped, audited); hexagon bins and Gi* hot spots
 * as GeoJSON. Files are read back with GDAL (ogrinfo) and ExcelJS, never only by their size.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { inTempDir } from '../helpers/gdal.js';

let t: TestApp;
let planner: string;
let analyst: string;
let admin: string;
let worker: string;
beforeAll(async () => {
  t = await createTestApp({ env: { EXPORT_MAX_INCIDENTS: '5000' } });
  [planner, analyst, admin, worker] = await Promise.all([t.loginAs('planner'), t.loginAs('analyst'), t.loginAs('admin'), t.loginAs('grid_worker')]);
});
afterAll(async () => t?.close());

const get = (url: string, cookie?: string) => t.app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });

/** ogrinfo's summary of a file written to a temporary directory (zips unpacked first). */
async function ogrSummary(bytes: Buffer, fileName: string): Promise<string> {
  const files: [string, Buffer][] = fileName.endsWith('.zip')
    ? await Promise.all(Object.values((await JSZip.loadAsync(bytes)).files).map(async (f) => [f.name, await f.async('nodebuffer')] as [string, Buffer]))
    : [[fileName, bytes]];
  return inTempDir((dir) => {
    for (const [name, content] of files) fs.writeFileSync(path.join(dir, name), content);
    const main = files.find(([n]) => /\.(shp|gpkg|geojson)$/.test(n))![0];
    return execFileSync('ogrinfo', ['-so', '-al', path.join(dir, main)], { encoding: 'utf8' });
  });
}

describe('grid exports', () => {
  it('a whole district in one GeoJSON file, with a UTF-8 file name and its media type', async () => {
    const res = await get('/api/exports/grids?area=610402&format=geojson', planner);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/geo+json; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="grids-610402.geojson"; filename*=UTF-8''grids-610402.geojson`);
    const { rows: [live] } = await t.db.pool.query(`SELECT count(*)::int AS n FROM grid WHERE retired_at IS NULL AND community_code LIKE '610402%'`);
    const collection = res.json();
    expect(collection.features.length).toBe(live.n);
    expect(Number(res.headers['x-feature-count'])).toBe(live.n);
    const streets = new Set(collection.features.map((f: { properties: { streetCode: string } }) => f.properties.streetCode));
    expect(streets.size).toBeGreaterThan(5);
  });

  it('the whole city: every district under the city code', async () => {
    await t.db.pool.query(`INSERT INTO admin_area (code, name, level) VALUES ('6104', '咸阳市', 'city') ON CONFLICT DO NOTHING`);
    const city = await get('/api/exports/grids?area=6104&format=geojson', planner);
    expect(city.statusCode, city.body).toBe(200);
    const district = await get('/api/exports/grids?area=610402&format=geojson', planner);
    expect(city.json().features.map((f: { properties: { code: string } }) => f.properties.code)).toEqual(district.json().features.map((f: { properties: { code: string } }) => f.properties.code));
  });

  it('a Shapefile in CGCS2000 (EPSG:4490): its .prj says so, its .cpg says UTF-8, GDAL reads every grid', async () => {
    const res = await get('/api/exports/grids?area=610402002&format=shp&crs=4490', planner);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toMatch(/filename="grids-610402002-cgcs2000-shapefile\.zip"/);
    const zip = await JSZip.loadAsync(res.rawPayload);
    expect(Object.keys(zip.files).sort()).toEqual(['.cpg', '.dbf', '.prj', '.shp', '.shx'].map((e) => `grids-610402002${e}`));
    expect(await zip.file('grids-610402002.prj')!.async('string')).toMatch(/^GEOGCS\["GCS_China_Geodetic_Coordinate_System_2000"/);
    expect(await zip.file('grids-610402002.cpg')!.async('string')).toBe('UTF-8');
    const info = await ogrSummary(res.rawPayload, 'grids.zip');
    const { rows: [live] } = await t.db.pool.query(`SELECT count(*)::int AS n FROM grid WHERE retired_at IS NULL AND community_code LIKE '610402002%'`);
    expect(info).toContain(`Feature Count: ${live.n}`);
    expect(info).toMatch(/ID\["EPSG",4490\]/);
    expect(info).toMatch(/CODE: String \(15\.0\)/);
    expect(info).toMatch(/RES_60: Integer/);
  });

  it('a GeoPackage in WGS84 or CGCS2000', async () => {
    for (const crs of ['4326', '4490']) {
      const res = await get(`/api/exports/grids?area=610402002&format=gpkg&crs=${crs}`, planner);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toBe('application/geopackage+sqlite3');
      const info = await ogrSummary(res.rawPayload, 'grids.gpkg');
      expect(info).toMatch(new RegExp(`ID\\["EPSG",${crs}\\]`));
      expect(info).toMatch(/residents60Plus: Integer/);
    }
  });

  it('refuses what it cannot do: GeoJSON in CGCS2000, an unknown area, a role that may not see staff', async () => {
    const crs = await get('/api/exports/grids?area=610402002&format=geojson&crs=4490', planner);
    expect(crs.statusCode).toBe(400);
    expect(crs.json().message).toMatch(/querystring\/crs: GeoJSON is always WGS84/);
    expect((await get('/api/exports/grids?area=610402777&format=geojson', planner)).statusCode).toBe(404);
    expect((await get('/api/exports/grids?area=610402002&format=geojson', analyst)).statusCode).toBe(403);
    expect((await get('/api/exports/grids?area=610402002&format=geojson')).statusCode).toBe(401);
  });
});

describe('facility exports', () => {
  it('Excel with the import\'s own headers, filtered by type and search text, audited with the count', async () => {
    const res = await get(`/api/facilities/export?format=xlsx&type=day_care_centre&q=${encodeURIComponent('日间照料')}`, planner);
    expect(res.statusCode, res.body).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as never);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).values).toEqual(expect.arrayContaining(['名称', '设施类型', '经度', '纬度', '服务', '是否公开', '社区名称']));
    const { rows } = await t.db.pool.query(
      `SELECT name FROM facility WHERE retired_at IS NULL AND facility_type = 'day_care_centre' AND (strpos(name, '日间照料') > 0 OR strpos(address, '日间照料') > 0) ORDER BY name, id`);
    expect(rows.length).toBeGreaterThan(0);
    expect(sheet.rowCount).toBe(rows.length + 1);
    expect(sheet.getColumn(2).values.slice(2)).toEqual(rows.map((r) => r.name));
    const { rows: [audit] } = await t.db.pool.query(`SELECT actor_username, detail FROM audit_log WHERE action = 'facility.export' ORDER BY id DESC LIMIT 1`);
    expect(audit).toMatchObject({ actor_username: 'planner', detail: { format: 'xlsx', facilities: rows.length, filter: { type: 'day_care_centre' } } });
  });

  it('by community: only the facilities standing in it', async () => {
    const { rows: [c] } = await t.db.pool.query(
      `SELECT a.code, count(*)::int AS n FROM admin_area a JOIN facility f ON f.retired_at IS NULL AND ST_Covers(a.geom, f.geom)
        WHERE a.level = 'community' GROUP BY a.code ORDER BY n DESC LIMIT 1`);
    const res = await get(`/api/facilities/export?format=geojson&community=${c.code}`, analyst);
    expect(res.statusCode, res.body).toBe(200);
    const features = res.json().features;
    expect(features.length).toBe(c.n);
    expect(features.every((f: { properties: { communityCode: string } }) => f.properties.communityCode === c.code)).toBe(true);
    expect((await get('/api/facilities/export?format=geojson&type=no_such_type', analyst)).statusCode).toBe(400);
    expect((await get('/api/facilities/export?format=geojson')).statusCode).toBe(401);
  });

  it('CSV in UTF-8 with a byte-order mark, and a Shapefile GDAL reads', async () => {
    const csv = await get('/api/facilities/export?format=csv&type=day_care_centre', planner);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv.rawPayload.toString('utf8')).toMatch(/^\uFEFF编号,名称,设施类型,类型代码,地址,经度,纬度/);
    const shp = await get('/api/facilities/export?format=shp&type=day_care_centre', planner);
    const info = await ogrSummary(shp.rawPayload, 'f.zip');
    const { rows: [n] } = await t.db.pool.query(`SELECT count(*)::int AS n FROM facility WHERE retired_at IS NULL AND facility_type = 'day_care_centre'`);
    expect(info).toContain(`Feature Count: ${n.n}`);
    expect(info).toMatch(/Geometry: Point/);
  });
});

describe('incident exports', () => {
  const reporter = { name: '欧阳明华', phone: '13812345678', idNumber: '61040219900101123X' };
  let incidentId: number;
  let period: string;

  beforeAll(async () => {
    const { rows: [p] } = await t.db.pool.query(
      `SELECT ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM grid WHERE retired_at IS NULL AND community_code LIKE '610402002%' ORDER BY code LIMIT 1`);
    const created = await t.app.inject({
      method: 'POST', url: '/api/incidents', headers: { cookie: analyst },
      payload: { category: 'dispute', source: 'hotline_12345', description: '楼上漏水，邻里纠纷', lon: p.lon, lat: p.lat, reporter },
    });
    expect(created.statusCode, created.body).toBe(201);
    incidentId = created.json().id;
    const now = Date.now();
    period = `from=${encodeURIComponent(new Date(now - 3_600_000).toISOString())}&to=${encodeURIComponent(new Date(now + 3_600_000).toISOString())}`;
  });

  /** Every text a file holds (zips unpacked), to look for what must not be there. */
  async function textOf(bytes: Buffer, format: string): Promise<string> {
    if (format === 'shp' || format === 'xlsx') {
      const zip = await JSZip.loadAsync(bytes);
      return (await Promise.all(Object.values(zip.files).map((f) => f.async('nodebuffer')))).map((b) => b.toString('utf8')).join('\n');
    }
    return bytes.toString('utf8');
  }

  it.each(['xlsx', 'csv', 'geojson', 'shp', 'gpkg'])('%s: the incident, and nothing about its reporter, for analyst and admin', async (format) => {
    for (const cookie of [analyst, admin]) {
      const res = await get(`/api/incidents/export?${period}&format=${format}`, cookie);
      expect(res.statusCode, res.body).toBe(200);
      expect(Number(res.headers['x-feature-count'])).toBe(1);
      const text = await textOf(res.rawPayload, format);
      expect(text).toContain('楼上漏水');
      for (const secret of [reporter.name, reporter.phone, reporter.idNumber, '欧*', '138****5678', '610402********123X']) expect(text).not.toContain(secret);
    }
  });

  it('is the list the analyst sees: the same filter gives the same incidents in the same order', async () => {
    const filter = 'from=2026-10-01&to=2026-10-08&category=dispute,sanitation&area=610402002';
    const list = await get(`/api/incidents/list?${filter}&limit=500`, analyst);
    expect(list.statusCode, list.body).toBe(200);
    const exported = await get(`/api/incidents/export?${filter}&format=geojson`, analyst);
    expect(exported.statusCode, exported.body).toBe(200);
    const ids = list.json().incidents.map((i: { id: number }) => i.id);
    expect(ids.length).toBeGreaterThan(3);
    expect(exported.json().features.map((f: { id: number }) => f.id)).toEqual(ids);
    const first = exported.json().features[0].properties;
    const listed = list.json().incidents[0];
    expect(first).toMatchObject({ status: listed.status, gridCode: listed.gridCode, communityName: listed.communityName, description: listed.description, overdue: listed.overdue });
    expect(Date.parse(first.reportedAt)).toBe(Math.floor(Date.parse(listed.reportedAt) / 1000) * 1000); // to the second
    expect(first.reportedAt).toMatch(/\+08:00$/);
  });

  it("takes the list's own narrowing too: overdue, a text and the sort give the same incidents in the same order", async () => {
    const filter = 'from=2026-09-01&to=2026-11-01&area=610402002&overdue=true&sort=dueAt&order=asc';
    const list = await get(`/api/incidents?${filter}&limit=500`, analyst);
    expect(list.statusCode, list.body).toBe(200);
    const ids = list.json().incidents.map((i: { id: number }) => i.id);
    expect(ids.length).toBeGreaterThan(1);
    const exported = await get(`/api/incidents/export?${filter}&format=geojson`, analyst);
    expect(exported.statusCode, exported.body).toBe(200);
    expect(exported.json().features.map((f: { id: number }) => f.id)).toEqual(ids);
    expect(exported.json().features.every((f: { properties: { overdue: boolean } }) => f.properties.overdue)).toBe(true);
  });

  it('Excel: Chinese headers, China time', async () => {
    const res = await get(`/api/incidents/export?${period}&format=xlsx`, analyst);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as never);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).values).toEqual(expect.arrayContaining(['编号', '类别', '状态', '上报时间', '事件描述', '网格编码']));
    const headers = (sheet.getRow(1).values as string[]);
    const reported = sheet.getRow(2).getCell(headers.indexOf('上报时间')).text;
    const { rows: [r] } = await t.db.pool.query(`SELECT to_char(reported_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') AS local FROM incident WHERE id = $1`, [incidentId]);
    expect(reported).toBe(r.local);
    expect(sheet.getRow(2).getCell(headers.indexOf('状态')).text).toBe('已上报');
  });

  it('grid workers and the public cannot export; a selection above the cap is refused (413) and audited', async () => {
    expect((await get(`/api/incidents/export?${period}&format=csv`, worker)).statusCode).toBe(403);
    expect((await get(`/api/incidents/export?${period}&format=csv`)).statusCode).toBe(401);
    const big = await get('/api/incidents/export?from=2025-01-01&to=2026-12-01&format=xlsx', analyst);
    expect(big.statusCode).toBe(413);
    expect(big.json().message).toMatch(/the filter selects [\d,]+ incidents; an export holds at most 5,000: narrow the period, area or category/);
    const { rows } = await t.db.pool.query(`SELECT success, detail FROM audit_log WHERE action = 'incident.export' ORDER BY id`);
    expect(rows.at(-1)).toMatchObject({ success: false, detail: { reason: 'cap', cap: 5000 } });
    const done = rows.filter((r) => r.success);
    expect(done.length).toBeGreaterThanOrEqual(10);
    for (const row of rows) {
      const detail = JSON.stringify(row.detail);
      for (const secret of [reporter.name, reporter.phone, reporter.idNumber, '漏水']) expect(detail).not.toContain(secret);
    }
    expect(done[0].detail).toMatchObject({ incidents: 1, personalData: false });
  });
});

describe('analysis results as GeoJSON', () => {
  const filter = 'from=2026-01-01&to=2026-07-01';

  it('hexagon bins: one polygon per occupied cell with the counts of the hexagon map', async () => {
    const bins = (await get(`/api/incidents/hexagons?${filter}&sizeMeters=1000`, analyst)).json();
    const res = await get(`/api/incidents/hexagons/export?${filter}&sizeMeters=1000`, analyst);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/geo+json; charset=utf-8');
    const collection = res.json();
    expect(collection.features.length).toBe(bins.cells.length);
    expect(collection.features.reduce((s: number, f: { properties: { count: number } }) => s + f.properties.count, 0)).toBe(bins.total);
    expect(collection.features[0].geometry.type).toBe('Polygon');
    expect(collection.features[0].geometry.coordinates[0]).toHaveLength(7);
    const info = await ogrSummary(res.rawPayload, 'hex.geojson');
    expect(info).toContain(`Feature Count: ${bins.cells.length}`);
  });

  it('Gi* hot spots: every analysed grid with its outline, z-score and class', async () => {
    const byGrid = (await get(`/api/incidents/by-grid?${filter}&area=610402002`, analyst)).json();
    const res = await get(`/api/incidents/hotspots/export?${filter}&area=610402002`, analyst);
    expect(res.statusCode, res.body).toBe(200);
    const collection = res.json();
    expect(collection.features.length).toBe(byGrid.grids.length);
    for (const [i, g] of byGrid.grids.entries()) {
      expect(collection.features[i].properties).toMatchObject({ code: g.code, count: g.count, hotspotClass: g.hotspotClass });
      expect(collection.features[i].geometry.type).toMatch(/Polygon/);
    }
    expect((await get(`/api/incidents/hotspots/export?${filter}`, planner)).statusCode).toBe(403);
  });
});
