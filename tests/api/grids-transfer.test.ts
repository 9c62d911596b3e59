/**
 * Import and export of grids: a GBK Shapefile (with and without .cpg), GCJ-02 GeoJSON landing
 * within 1 m of its WGS84 truth, KML, and export → import giving back the same grids in every
 * format; the Excel sheet of codes and figures.
 */
import * as turf from '@turf/turf';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { COMMUNITY_A, TEST_STREET, fixtureBytes, fixtureJson, importFile, insertTestAreas } from '../fixtures/grids/fixtures.js';
import { reprojectShapefile } from '../helpers/gdal.js';
import { webText } from '../helpers/problem-text.js';

let t: TestApp;
let planner: string;
beforeAll(async () => {
  t = await createTestApp();
  await insertTestAreas(t.db.pool);
  planner = await t.loginAs('planner');
});
afterAll(async () => t?.close());

async function liveGrids(community: string) {
  const { rows } = await t.db.pool.query(
    `SELECT g.id, g.code, g.name, g.grid_type, g.dedicated_kind, g.households, g.residents, g.residents_60_plus, g.residents_80_plus,
            ST_AsGeoJSON(g.geom, 15)::json AS geometry,
            (SELECT json_agg(json_build_object('role', s.role, 'name', s.name, 'phone', s.phone) ORDER BY s.role, s.name) FROM grid_staff s WHERE s.grid_id = g.id) AS staff
       FROM grid g WHERE g.community_code = $1 AND g.retired_at IS NULL ORDER BY g.code`, [community]);
  return rows;
}

describe('Shapefile in GBK', () => {
  it('is really GBK: the attribute table holds the GBK bytes of 网格', async () => {
    const zip = await JSZip.loadAsync(fixtureBytes('gbk-shapefile-with-cpg.zip'));
    const dbf = await zip.file('wangge-gbk.dbf')!.async('nodebuffer');
    expect(dbf.includes(Buffer.from([0xcd, 0xf8, 0xb8, 0xf1]))).toBe(true);
    expect(dbf.includes(Buffer.from('网格', 'utf8'))).toBe(false);
    expect(await zip.file('wangge-gbk.cpg')!.async('string')).toBe('GBK');
  });

  it('imports with the encoding its .cpg names, mapping the Chinese pinyin fields', async () => {
    const res = await importFile(t, planner, 'preview', 'wangge-gbk.zip', fixtureBytes('gbk-shapefile-with-cpg.zip'), { scope: TEST_STREET });
    expect(res.statusCode, res.body).toBe(200);
    const preview = res.json();
    expect(preview.encoding).toEqual({ name: 'gbk', from: 'cpg' });
    expect(preview.mapping).toMatchObject({ code: 'WGBM', name: 'WGMC', households: 'HS', residents: 'RK', leaderName: 'WGZ' });
    expect(preview.rows.map((r: { name: string }) => r.name)).toEqual(['测试甲第1网格（南片）', '测试甲第2网格（南片）', '测试甲第3网格（南片）', '测试甲第4网格（南片）']);
    expect(preview.errors).toEqual([]);
    expect(preview.canCommit).toBe(true);
  });

  it('without a .cpg: detected as GB18030, or read as the encoding the planner chooses', async () => {
    const bytes = fixtureBytes('gbk-shapefile-without-cpg.zip');
    const detected = (await importFile(t, planner, 'preview', 'no-cpg.zip', bytes, { scope: TEST_STREET })).json();
    expect(detected.encoding).toEqual({ name: 'gb18030', from: 'detected' });
    expect(detected.rows[0].name).toBe('测试甲第1网格（南片）');
    const chosen = (await importFile(t, planner, 'preview', 'no-cpg.zip', bytes, { scope: TEST_STREET, encoding: 'gbk' })).json();
    expect(chosen.encoding).toEqual({ name: 'gbk', from: 'chosen' });
    expect(chosen.rows[0].name).toBe('测试甲第1网格（南片）');
    const wrong = (await importFile(t, planner, 'preview', 'no-cpg.zip', bytes, { scope: TEST_STREET, encoding: 'utf-8' })).json();
    expect(wrong.rows[0].name).not.toBe('测试甲第1网格（南片）');
  });

  it('commits all of it in one transaction', async () => {
    const res = await importFile(t, planner, 'commit', 'wangge-gbk.zip', fixtureBytes('gbk-shapefile-with-cpg.zip'), { scope: TEST_STREET });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ created: 4, updated: 0, retired: 0, communityCodes: [COMMUNITY_A] });
    const grids = await liveGrids(COMMUNITY_A);
    expect(grids.map((g) => [g.code, g.name, g.households])).toEqual([
      [`${COMMUNITY_A}001`, '测试甲第1网格（南片）', 400],
      [`${COMMUNITY_A}002`, '测试甲第2网格（南片）', 401],
      [`${COMMUNITY_A}003`, '测试甲第3网格（南片）', 402],
      [`${COMMUNITY_A}004`, '测试甲第4网格（南片）', 403],
    ]);
    expect(grids[0].staff).toEqual([{ role: 'leader', name: '张秀英1', phone: null }]);
  });
});

describe('coordinate systems', () => {
  it('converts a GCJ-02 GeoJSON to WGS84: every vertex lands within 1 m of its truth', async () => {
    const res = await importFile(t, planner, 'commit', 'amap.geojson', fixtureBytes('clean-tiling-gcj02.geojson'), { scope: TEST_STREET, crs: 'gcj02' });
    expect(res.statusCode, res.body).toBe(200);
    const truth = fixtureJson('clean-tiling.geojson');
    const grids = await liveGrids(COMMUNITY_A);
    let worst = 0;
    for (const feature of truth.features) {
      const stored = grids.find((g) => g.code === feature.properties.code)!;
      const storedRing = stored.geometry.coordinates[0][0] as number[][];
      (feature.geometry.coordinates[0] as number[][]).forEach((vertex, i) => {
        worst = Math.max(worst, turf.distance(vertex, storedRing[i]!, { units: 'meters' }));
      });
    }
    expect(worst).toBeLessThan(1);
    // Not converting would have put it hundreds of metres off.
    const raw = fixtureJson('clean-tiling-gcj02.geojson').features[0].geometry.coordinates[0][0];
    expect(turf.distance(raw, truth.features[0].geometry.coordinates[0][0], { units: 'meters' })).toBeGreaterThan(100);
  });

  it('reprojects a Shapefile in a projected CGCS2000 Gauss-Krüger zone (EPSG:4545, CM 108°E) to longitude/latitude', async () => {
    // The same GBK Shapefile, its coordinates turned into metres by GDAL itself.
    const projected = await reprojectShapefile(fixtureBytes('gbk-shapefile-with-cpg.zip'), 'wangge-gbk', 'EPSG:4545');
    const zip = await JSZip.loadAsync(projected);
    expect(await zip.file('wangge-gbk.prj')!.async('string')).toMatch(/^PROJCS\["CGCS2000_3_Degree_GK_CM_108E"/);
    const res = await importFile(t, planner, 'preview', 'projected.zip', projected, { scope: TEST_STREET });
    expect(res.statusCode, res.body).toBe(200);
    const preview = res.json();
    expect(preview.sourceCrs).toEqual({ name: 'CGCS2000 / 3-degree Gauss-Kruger CM 108E', from: 'file', reprojected: true });
    expect(preview.rows.map((r: { name: string }) => r.name)).toEqual(['测试甲第1网格（南片）', '测试甲第2网格（南片）', '测试甲第3网格（南片）', '测试甲第4网格（南片）']);
    // Back in degrees, every vertex within a centimetre of the original.
    const original = (await importFile(t, planner, 'preview', 'wangge-gbk.zip', fixtureBytes('gbk-shapefile-with-cpg.zip'), { scope: TEST_STREET })).json();
    let worst = 0;
    preview.preview.features.forEach((feature: { geometry: { coordinates: number[][][] } }, i: number) => {
      feature.geometry.coordinates[0]!.forEach((vertex, j) => {
        worst = Math.max(worst, turf.distance(vertex, original.preview.features[i].geometry.coordinates[0][j], { units: 'meters' }));
      });
    });
    expect(worst).toBeLessThan(0.01);
  });
});

describe('KML', () => {
  it('reads placemarks with their extended data', async () => {
    const res = await importFile(t, planner, 'preview', 'grids.kml', fixtureBytes('clean-tiling.kml'), { scope: TEST_STREET });
    expect(res.statusCode, res.body).toBe(200);
    const preview = res.json();
    expect(preview.format).toBe('kml');
    expect(preview.mapping).toMatchObject({ code: '网格编码', name: 'name', households: '户数' });
    expect(preview.rows.map((r: { code: string; status: string }) => [r.code, r.status])).toEqual([
      [`${COMMUNITY_A}001`, 'update'], [`${COMMUNITY_A}002`, 'update'], [`${COMMUNITY_A}003`, 'update'], [`${COMMUNITY_A}004`, 'update'],
    ]);
    expect(preview.findings.filter((f: { severity: string }) => f.severity === 'error')).toEqual([]);
  });
});

describe('export → import', () => {
  const community = '610402002003';

  it.each([
    ['geojson', 'utf-8'],
    ['shp', 'utf-8'],
    ['shp', 'gbk'],
    ['gpkg', 'utf-8'],
  ])('%s (%s) gives back the same grids', async (format, encoding) => {
    const before = await liveGrids(community);
    expect(before.length).toBeGreaterThan(2);
    const exported = await t.app.inject({ method: 'GET', url: `/api/exports/grids?area=${community}&format=${format}&encoding=${encoding}`, headers: { cookie: planner } });
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-disposition']).toMatch(/attachment; filename="grids-610402002003/);
    const fileName = format === 'geojson' ? 'export.geojson' : format === 'gpkg' ? 'export.gpkg' : 'export.zip';
    if (format === 'shp') {
      const zip = await JSZip.loadAsync(exported.rawPayload);
      expect(Object.keys(zip.files).map((n) => n.slice(n.lastIndexOf('.'))).sort()).toEqual(['.cpg', '.dbf', '.prj', '.shp', '.shx']);
      expect(await zip.file(/\.cpg$/)[0]!.async('string')).toBe(encoding === 'gbk' ? 'CP936' : 'UTF-8');
      expect(await zip.file(/\.prj$/)[0]!.async('string')).toMatch(/^GEOGCS\["GCS_WGS_1984"/);
    }
    const res = await importFile(t, planner, 'commit', fileName, exported.rawPayload, { scope: community });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ created: 0, updated: before.length, retired: 0 });
    const after = await liveGrids(community);
    expect(after.map(({ geometry: _g, ...rest }) => rest)).toEqual(before.map(({ geometry: _g, ...rest }) => rest));
    for (const [i, grid] of after.entries()) {
      const { rows: [same] } = await t.db.pool.query(
        `SELECT ST_HausdorffDistance(ST_SetSRID(ST_GeomFromGeoJSON($1), 4326), ST_SetSRID(ST_GeomFromGeoJSON($2), 4326)) AS d`,
        [JSON.stringify(grid.geometry), JSON.stringify(before[i].geometry)]);
      expect(same.d).toBeLessThan(1e-12);
    }
  });

  it('exports an Excel sheet of codes and figures with Chinese headers, and audits the export', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/exports/grids?area=610402002&format=xlsx`, headers: { cookie: planner } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/spreadsheetml/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as never);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).values).toEqual(expect.arrayContaining(['网格编码', '网格名称', '户数', '常住人口', '网格长', '网格员']));
    const { rows } = await t.db.pool.query(`SELECT code, households FROM grid WHERE community_code LIKE '610402002%' AND retired_at IS NULL ORDER BY code`);
    expect(sheet.rowCount).toBe(rows.length + 2);
    expect(sheet.getCell('A2').text).toBe(rows[0].code);
    expect(sheet.getCell('I2').value).toBe(rows[0].households);
    expect(sheet.getCell(`I${rows.length + 2}`).value).toBe(rows.reduce((s, r) => s + r.households, 0));
    const { rows: audit } = await t.db.pool.query(`SELECT target_id, detail FROM audit_log WHERE action = 'grid.export' ORDER BY id DESC LIMIT 1`);
    expect(audit[0]).toMatchObject({ target_id: '610402002', detail: { format: 'xlsx' } });
  });
});

describe('feature errors said by code', () => {
  /** The clean tiling with one thing wrong in each of its four features. */
  function brokenTiling() {
    const file = fixtureJson('clean-tiling.geojson');
    const [one, two, three, four] = file.features;
    one.geometry = { type: 'Point', coordinates: [109.3, 34.302] };
    two.geometry.coordinates = two.geometry.coordinates.map((ring: number[][]) => ring.map(([lon, lat]) => [lat, lon]));
    three.properties.households = '四百';
    four.properties.gridType = '片区';
    four.properties.leaderPhone = '请联系社区';
    return Buffer.from(JSON.stringify(file));
  }

  it('gives each feature error a code and parameters beside its English message', async () => {
    const res = await importFile(t, planner, 'preview', 'broken.geojson', brokenTiling(), { scope: TEST_STREET });
    expect(res.statusCode, res.body).toBe(200);
    const { errors, canCommit } = res.json();
    expect(canCommit).toBe(false);
    const of = (feature: number) => errors.filter((e: { feature: number }) => e.feature === feature);
    expect(of(1)).toEqual([{ feature: 1, code: 'grids.featureNotPolygon', params: { type: 'Point' }, message: 'geometry: a grid must be a Polygon or MultiPolygon, not Point' }]);
    expect(of(2)).toEqual([{
      feature: 2, code: 'grids.featurePosition', params: { problem: { code: 'coordinates.swapped', params: { lon: 34.302, lat: 109.303 } } },
      message: 'geometry: (34.302, 109.303) looks like latitude, longitude: give longitude first',
    }]);
    expect(of(3)).toEqual([{ feature: 3, code: 'grids.fieldNotCount', params: { field: { code: 'field.households' }, text: '四百' }, message: 'households: "四百" is not a whole number ≥ 0' }]);
    expect(of(4).map((e: { code: string }) => e.code)).toEqual(['grids.gridTypeUnknown', 'grids.leaderPhoneInvalid']);
    expect(of(4)[0].params).toEqual({ text: '片区' });
    // The phone a planner typed stays out of the problem.
    expect(JSON.stringify(of(4)[1])).not.toContain('请联系社区');
    // Each is said in Chinese by the web's catalogue, the file's own text kept as it was.
    expect(of(2).map((e: { code: string; params: unknown }) => webText(e))).toEqual(['坐标有误：（34.302, 109.303）像是“纬度, 经度”：请把经度写在前面']);
    expect(webText(of(3)[0])).toBe('户数：“四百”不是大于等于 0 的整数');
    expect(webText(of(3)[0], 'en')).toBe(of(3)[0].message);
  });

  it('refuses the commit quoting the first feature error as a phrase, so the refusal reads in one language', async () => {
    const res = await importFile(t, planner, 'commit', 'broken.geojson', brokenTiling(), { scope: TEST_STREET });
    expect(res.statusCode, res.body).toBe(422);
    const body = res.json();
    expect(body.code).toBe('grids.importBlocked');
    expect(body.params.first).toEqual({ code: 'grids.importFirstError', params: { feature: 1, problem: { code: 'grids.featureNotPolygon', params: { type: 'Point' } } } });
    expect(body.message).toBe(`nothing was imported: ${body.params.errors} feature errors and 0 blocking findings; first: feature 1: geometry: a grid must be a Polygon or MultiPolygon, not Point`);
    expect(webText(body)).toBe(`未导入任何数据：${body.params.errors} 处要素错误，0 处阻止导入的问题；第一处：第 1 个要素：网格必须是面（Polygon 或 MultiPolygon），而不是 Point`);
    expect(body.details.errors[0]).toMatchObject({ feature: 1, code: 'grids.featureNotPolygon' });
  });

  it('quotes the first blocking finding by its kind when no feature has an error', async () => {
    const file = fixtureJson('clean-tiling.geojson');
    // The second grid drawn over the first.
    file.features[1].geometry = file.features[0].geometry;
    const res = await importFile(t, planner, 'commit', 'overlap.geojson', Buffer.from(JSON.stringify(file)), { scope: TEST_STREET });
    expect(res.statusCode, res.body).toBe(422);
    const body = res.json();
    expect(body.params.errors).toBe(0);
    expect(body.params.first.code).toBe('grids.importFirstFinding');
    expect(body.params.first.params.kind.code).toMatch(/^gridFinding\./);
    const zh = webText(body);
    expect(zh).toMatch(/^未导入任何数据：0 处要素错误，\d+ 处阻止导入的问题；第一处：/);
    expect(zh).not.toMatch(/[A-Za-z]{4,}/);
  });
});
