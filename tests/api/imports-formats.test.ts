/**
 * Every file a planner or analyst has, read by the library made for it: vector files written by
 * GDAL itself (GeoPackage, FlatGeobuf, GML, DXF, CSV with WKT or coordinate columns, LIBKML's
 * KMZ, Shapefiles in CGCS2000 Gauss-Krüger zones and in Xian 80), tables with real Excel date
 * cells, Chinese date forms, .xls and .ods; the coordinate system asked for when a file does not
 * say it; the GCJ-02 hint. Truth is the source GeoJSON (or points computed here with gcoord and
 * GDAL's own gdaltransform), never the code under test.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import gcoord from 'gcoord';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readVectorFile } from '../../server/modules/imports/read-vector.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { inTempDir, ogr2ogr, zipShapefile } from '../helpers/gdal.js';
import { COMMUNITY_A, COMMUNITY_B, TEST_STREET, fixtureJson, importFile, insertTestAreas, multipart } from '../fixtures/grids/fixtures.js';

let t: TestApp;
let planner: string;
let analyst: string;
beforeAll(async () => {
  t = await createTestApp();
  await insertTestAreas(t.db.pool);
  planner = await t.loginAs('planner');
  analyst = await t.loginAs('analyst');
});
afterAll(async () => t?.close());

type Position = [number, number];
interface TruthFeature { geometry: { type: 'Polygon'; coordinates: Position[][] }; properties: Record<string, unknown> }
const truth = fixtureJson('clean-tiling.geojson') as { type: 'FeatureCollection'; features: TruthFeature[] };

/** The truth with attribute names long enough that a Shapefile must shorten them. */
const longNames = {
  ...truth,
  features: truth.features.map((f) => ({ ...f, properties: { ...f.properties, dedicatedKind: '' } })),
};

/** Runs ogr2ogr on the truth (or `source`) in a temporary folder; returns the files it wrote. */
function convert(args: (dir: string) => string[], output: string, source: object = truth): Map<string, Buffer> {
  return inTempDir((dir) => {
    fs.writeFileSync(path.join(dir, 'truth.geojson'), JSON.stringify(source));
    ogr2ogr(args(dir));
    const files = new Map<string, Buffer>();
    for (const name of fs.readdirSync(dir)) if (name.startsWith(output)) files.set(name, fs.readFileSync(path.join(dir, name)));
    return files;
  });
}
const one = (args: (dir: string) => string[], file: string, source?: object) => convert(args, file, source).get(file)!;

/** A zipped Shapefile of the truth in `srs`, written by ogr2ogr (which shortens long names). */
function shapefileIn(srs: string, source: object = longNames): Promise<Buffer> {
  return inTempDir((dir) => {
    fs.writeFileSync(path.join(dir, 'truth.geojson'), JSON.stringify(source));
    ogr2ogr(['-f', 'ESRI Shapefile', '-t_srs', srs, '-lco', 'ENCODING=UTF-8', path.join(dir, 'grids.shp'), path.join(dir, 'truth.geojson')]);
    return zipShapefile(dir, 'grids');
  });
}

/** Every vertex of every feature within `tolerance` degrees of the truth, feature by feature (matched by code or order). */
function expectSameOutlines(features: { geometry: unknown; properties: Record<string, unknown> }[], tolerance: number, byCode = true) {
  expect(features).toHaveLength(truth.features.length);
  truth.features.forEach((expected, i) => {
    const found = byCode ? features.find((f) => f.properties.code === expected.properties.code) : features[i];
    expect(found, String(expected.properties.code)).toBeDefined();
    const ring = (found!.geometry as { coordinates: Position[][] | Position[][][] }).coordinates;
    const outer = (Array.isArray(ring[0]![0]![0]) ? (ring as Position[][][])[0]![0]! : (ring as Position[][])[0]!);
    const want = expected.geometry.coordinates[0]!;
    expect(outer).toHaveLength(want.length);
    // Writers may start the ring at another vertex or turn it: compare as sets of points.
    for (const p of want) {
      const nearest = Math.min(...outer.map((q) => Math.hypot(q[0] - p[0], q[1] - p[1])));
      expect(nearest, `${expected.properties.code} vertex ${p}`).toBeLessThan(tolerance);
    }
  });
}

async function liveOutlines() {
  const { rows } = await t.db.pool.query(
    `SELECT code, name, households, residents_60_plus AS r60, residents_80_plus AS r80, ST_AsGeoJSON(geom, 12)::json AS geometry
       FROM grid WHERE community_code IN ($1, $2) AND retired_at IS NULL ORDER BY code`, [COMMUNITY_A, COMMUNITY_B]);
  return rows.map((r) => ({ geometry: r.geometry, properties: { code: r.code, name: r.name, households: r.households, r60: r.r60, r80: r.r80 } }));
}

describe('vector files through GDAL, into the grid import', () => {
  it('a GeoPackage (QGIS’s default) commits the same grids, attributes and vertices', async () => {
    const gpkg = one((d) => ['-f', 'GPKG', path.join(d, 'grids.gpkg'), path.join(d, 'truth.geojson')], 'grids.gpkg');
    const preview = await importFile(t, planner, 'preview', 'grids.gpkg', gpkg, { scope: TEST_STREET });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json()).toMatchObject({ format: 'geopackage', featureCount: 4, sourceCrs: { name: 'WGS 84', from: 'file', reprojected: false }, crsHint: null });
    // A GeoPackage that does not state its system (srs_id 0, "Undefined geographic SRS") is asked for one.
    const undefinedSrs = one((d) => ['-f', 'GPKG', '-a_srs', 'None', path.join(d, 'nosrs.gpkg'), path.join(d, 'truth.geojson')], 'nosrs.gpkg');
    const asked = await importFile(t, planner, 'preview', 'nosrs.gpkg', undefinedSrs, { scope: TEST_STREET });
    expect(asked.statusCode).toBe(400);
    expect(asked.json()).toMatchObject({ details: { needsCrs: true } });
    expect((await importFile(t, planner, 'preview', 'nosrs.gpkg', undefinedSrs, { scope: TEST_STREET, crs: 'wgs84' })).statusCode).toBe(200);
    const commit = await importFile(t, planner, 'commit', 'grids.gpkg', gpkg, { scope: TEST_STREET });
    expect(commit.statusCode, commit.body).toBe(200);
    const live = await liveOutlines();
    expectSameOutlines(live, 1e-9);
    expect(live.map((g) => [g.properties.code, g.properties.name, g.properties.households])).toEqual(
      truth.features.map((f) => [f.properties.code, f.properties.name, f.properties.households]));
  });

  it('FlatGeobuf, GML and a KMZ written by GDAL’s LIBKML driver: every feature with its geometry and attributes', async () => {
    const files: [string, Buffer][] = [
      ['grids.fgb', one((d) => ['-f', 'FlatGeobuf', path.join(d, 'grids.fgb'), path.join(d, 'truth.geojson')], 'grids.fgb')],
      ['grids.gml', one((d) => ['-f', 'GML', path.join(d, 'grids.gml'), path.join(d, 'truth.geojson')], 'grids.gml')],
      ['grids.kmz', one((d) => ['-f', 'LIBKML', path.join(d, 'grids.kmz'), path.join(d, 'truth.geojson')], 'grids.kmz')],
    ];
    for (const [name, bytes] of files) {
      const source = await readVectorFile(bytes, name);
      expectSameOutlines(source.features, 1e-9);
      for (const f of truth.features) {
        const read = source.features.find((s) => s.properties.code === f.properties.code)!;
        // Counts may come as text (GML without its schema is read all as text): the grid import parses them.
        expect(read.properties, name).toMatchObject({ name: f.properties.name, leaderPhone: f.properties.leaderPhone, managers: f.properties.managers });
        expect(Number(read.properties.households), name).toBe(f.properties.households);
      }
      const preview = await importFile(t, planner, 'preview', name, bytes, { scope: TEST_STREET });
      expect(preview.statusCode, `${name}: ${preview.body}`).toBe(200);
      expect(preview.json().rows.map((r: { code: string }) => r.code).sort()).toEqual(truth.features.map((f) => f.properties.code).sort());
      expect(preview.json().canCommit, name).toBe(true);
    }
  });

  it('a CSV with WKT does not say its system: refused naming the choice, then read as chosen', async () => {
    const csv = one((d) => ['-f', 'CSV', '-lco', 'GEOMETRY=AS_WKT', path.join(d, 'grids.csv'), path.join(d, 'truth.geojson')], 'grids.csv');
    const refused = await importFile(t, planner, 'preview', 'grids.csv', csv, { scope: TEST_STREET });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().message).toMatch(/grids\.csv: it does not say which coordinate system.*Choose the coordinate system \(crs: wgs84, cgcs2000, gcj02/);
    expect(refused.json().details).toMatchObject({ needsCrs: true });
    const read = await importFile(t, planner, 'preview', 'grids.csv', csv, { scope: TEST_STREET, crs: 'cgcs2000' });
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json()).toMatchObject({ format: 'csv', featureCount: 4, sourceCrs: { name: 'cgcs2000', from: 'chosen' } });
    expectSameOutlines((await readVectorFile(csv, 'grids.csv', { crs: 'wgs84' })).features, 1e-12);
  });

  it('a CSV of points in 经度/纬度 or X/Y columns, GBK or UTF-8', async () => {
    const text = '名称,经度,纬度\n甲站,109.301,34.301\n乙站,109.307,34.303\n';
    for (const [name, bytes] of [['points.csv', Buffer.from(text)], ['gbk.csv', iconvGbk(text)]] as const) {
      const source = await readVectorFile(bytes, name, { crs: 'wgs84' });
      expect(source.features.map((f) => [f.properties['名称'], f.geometry])).toEqual([
        ['甲站', { type: 'Point', coordinates: [109.301, 34.301] }],
        ['乙站', { type: 'Point', coordinates: [109.307, 34.303] }],
      ]);
    }
  });

  it('a DXF from a CAD drawing in Gauss-Krüger metres: the system asked for, metres never read as degrees, reprojected by PROJ', async () => {
    const dxf = one((d) => ['-f', 'DXF', '-t_srs', 'EPSG:4524', path.join(d, 'grids.dxf'), path.join(d, 'truth.geojson')], 'grids.dxf');
    const none = await importFile(t, planner, 'preview', 'grids.dxf', dxf, { scope: TEST_STREET });
    expect(none.statusCode).toBe(400);
    expect(none.json().message).toMatch(/does not say which coordinate system/);
    const degrees = await importFile(t, planner, 'preview', 'grids.dxf', dxf, { scope: TEST_STREET, crs: 'wgs84' });
    expect(degrees.statusCode).toBe(400);
    expect(degrees.json().message).toMatch(/not longitude\/latitude in degrees but projected metres; choose the projection's EPSG code/);
    const chosen = await importFile(t, planner, 'preview', 'grids.dxf', dxf, { scope: TEST_STREET, crs: 'EPSG:4524' });
    expect(chosen.statusCode, chosen.body).toBe(200);
    expect(chosen.json()).toMatchObject({ format: 'dxf', featureCount: 4, sourceCrs: { name: 'CGCS2000 / 3-degree Gauss-Kruger zone 36', from: 'chosen', reprojected: true } });
    // DXF carries no attributes: the outlines in file order, within 1 mm (1e-8°).
    expectSameOutlines((await readVectorFile(dxf, 'grids.dxf', { crs: 'EPSG:4524' })).features, 1e-8, false);
    const unknown = await importFile(t, planner, 'preview', 'grids.dxf', dxf, { scope: TEST_STREET, crs: 'EPSG:99999' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().message).toMatch(/EPSG:99999 is not a coordinate system PROJ knows/);
  });

  it.each([
    ['EPSG:4524', '3° zone 36 with zone number', 36_000_000],
    ['EPSG:4545', '3° CM 108°E', 0],
    ['EPSG:4497', '6° zone 19 with zone number', 19_000_000],
    ['EPSG:4508', '6° CM 111°E', 0],
  ])('a Shapefile in CGCS2000 Gauss-Krüger %s (%s): reprojected by PROJ, shortened names mapped, same grids committed', async (srs, _label, zonePrefix) => {
    const zipped = await shapefileIn(srs);
    // The file really holds Gauss-Krüger metres: its first vertex is where gdaltransform puts the truth's.
    const [lon, lat] = truth.features[0]!.geometry.coordinates[0]![0]!;
    const [e] = execFileSync('gdaltransform', ['-s_srs', 'EPSG:4326', '-t_srs', srs], { input: `${lon} ${lat}\n` }).toString().trim().split(/\s+/).map(Number);
    expect(e! - zonePrefix).toBeGreaterThan(100_000);
    expect(e! - zonePrefix).toBeLessThan(900_000);
    const preview = await importFile(t, planner, 'preview', 'gk.zip', zipped, { scope: TEST_STREET });
    expect(preview.statusCode, preview.body).toBe(200);
    const p = preview.json();
    expect(p.sourceCrs).toMatchObject({ from: 'file', reprojected: true });
    expect(p.sourceFields).toEqual(expect.arrayContaining(['residents6', 'residents8', 'leaderPhon', 'dedicatedK']));
    expect(p.mapping).toMatchObject({ residents60Plus: 'residents6', residents80Plus: 'residents8', leaderPhone: 'leaderPhon', dedicatedKind: 'dedicatedK', households: 'households' });
    const commit = await importFile(t, planner, 'commit', 'gk.zip', zipped, { scope: TEST_STREET, reason: `Gauss-Krüger ${srs}` });
    expect(commit.statusCode, commit.body).toBe(200);
    const live = await liveOutlines();
    // PROJ there and back: within a millimetre (1e-8° ≈ 1 mm).
    expectSameOutlines(live, 1e-8);
    expect(live.map((g) => [g.properties.code, g.properties.r60, g.properties.r80])).toEqual(
      truth.features.map((f) => [f.properties.code, f.properties.residents60Plus, f.properties.residents80Plus]));
  });

  it('a Xian 80 Shapefile (projected or geographic) is refused with the reason, never taken as WGS84; nothing written', async () => {
    const before = await liveOutlines();
    for (const srs of ['EPSG:2381', 'EPSG:4610']) {
      const zipped = await shapefileIn(srs, truth);
      for (const step of ['preview', 'commit'] as const) {
        const res = await importFile(t, planner, step, 'xian80.zip', zipped, { scope: TEST_STREET, crs: 'wgs84' });
        expect(res.statusCode, `${srs} ${step}`).toBe(400);
        expect(res.json().message).toMatch(/Xian 1980 \(西安80\) datum\. Wangge does not convert Xian 1980/);
      }
    }
    expect(await liveOutlines()).toEqual(before);
  });
});

describe('the GCJ-02 hint', () => {
  it('grids drawn on Amap (GCJ-02) and read as WGS84: the preview says so; read as GCJ-02 it says nothing', async () => {
    const gcj = Buffer.from(JSON.stringify(fixtureJson('clean-tiling-gcj02.geojson')));
    const asWgs = await importFile(t, planner, 'preview', 'amap.geojson', gcj, { scope: TEST_STREET });
    expect(asWgs.statusCode, asWgs.body).toBe(200);
    expect(asWgs.json().crsHint).toMatchObject({ suggested: 'gcj02' });
    expect(asWgs.json().crsHint.shareNearer).toBeGreaterThanOrEqual(0.75);
    expect(asWgs.json().crsHint.shiftMeters).toBeGreaterThan(300);
    expect(asWgs.json().crsHint.message).toMatch(/look like GCJ-02/);
    const asGcj = await importFile(t, planner, 'preview', 'amap.geojson', gcj, { scope: TEST_STREET, crs: 'gcj02' });
    expect(asGcj.json().crsHint).toBeNull();
    const right = await importFile(t, planner, 'preview', 'grids.geojson', Buffer.from(JSON.stringify(truth)), { scope: TEST_STREET });
    expect(right.json().crsHint).toBeNull();
  });

  it('facilities at buildings of the demo district, copied from Amap: the preview suggests GCJ-02', async () => {
    const { rows: buildings } = await t.db.pool.query<{ lon: number; lat: number }>(
      `SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM building WHERE retired_at IS NULL ORDER BY id LIMIT 40`);
    const { rows: [type] } = await t.db.pool.query<{ code: string }>(`SELECT code FROM facility_type ORDER BY sort_order LIMIT 1`);
    const amap = buildings.map((b) => gcoord.transform([b.lon, b.lat], gcoord.WGS84, gcoord.GCJ02) as Position);
    const csv = Buffer.from(['名称,类型,经度,纬度', ...amap.map((p, i) => `格式测试站${i},${type!.code},${p[0].toFixed(7)},${p[1].toFixed(7)}`)].join('\n'));
    const post = (crs: string) => {
      const body = multipart('amap.csv', csv, {});
      return t.app.inject({ method: 'POST', url: `/api/facilities/import/preview?sourceCrs=${crs}`, payload: body.payload, headers: { ...body.headers, cookie: planner } });
    };
    const asWgs = (await post('wgs84')).json();
    expect(asWgs.crsHint, JSON.stringify(asWgs.crsHint)).toMatchObject({ suggested: 'gcj02' });
    expect(asWgs.crsHint.shareNearer).toBeGreaterThanOrEqual(0.75);
    expect(asWgs.crsHint.medianSuggested).toBeLessThan(asWgs.crsHint.medianAsRead);
    const asGcj = (await post('gcj02')).json();
    expect(asGcj.crsHint).toBeNull();
    // The true positions read as WGS84: nothing to say.
    const trueCsv = multipart('true.csv', Buffer.from(['名称,类型,经度,纬度', ...buildings.map((b, i) => `格式真值站${i},${type!.code},${b.lon},${b.lat}`)].join('\n')), {});
    const right = await t.app.inject({ method: 'POST', url: '/api/facilities/import/preview?sourceCrs=wgs84', payload: trueCsv.payload, headers: { ...trueCsv.headers, cookie: planner } });
    expect(right.json().crsHint).toBeNull();
    // Read as GCJ-02, each facility lands within 1 m of its building.
    asGcj.rows.filter((r: { facility: unknown }) => r.facility).forEach((r: { rowNumber: number; facility: { lon: number; lat: number } }) => {
      const b = buildings[r.rowNumber - 2]!;
      expect(Math.hypot((r.facility.lon - b.lon) * 92_000, (r.facility.lat - b.lat) * 111_000)).toBeLessThan(1);
    });
    const missing = multipart('amap.csv', csv, {});
    const refused = await t.app.inject({ method: 'POST', url: '/api/facilities/import/preview', payload: missing.payload, headers: { ...missing.headers, cookie: planner } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().message).toMatch(/^querystring\/sourceCrs: choose the coordinate system/);
  });
});

describe('incident tables: dates as spreadsheets and exports write them', () => {
  const HEADER = ['工单编号', '类别', '诉求内容', '经度', '纬度', '上报时间'];
  const preview = (name: string, bytes: Buffer, fields: Record<string, string> = { crs: 'wgs84' }) => {
    const body = multipart(name, bytes, fields);
    return t.app.inject({ method: 'POST', url: '/api/incidents/import/preview', payload: body.payload, headers: { ...body.headers, cookie: analyst } });
  };
  const china = (text: string) => new Date(`${text}+08:00`).toISOString();

  it('an Excel workbook with real date cells (a date-time, a Chinese date format, in a 1900 and a 1904 workbook)', async () => {
    for (const date1904 of [false, true]) {
      const workbook = new ExcelJS.Workbook();
      if (date1904) workbook.properties.date1904 = true;
      const sheet = workbook.addWorksheet('工单');
      sheet.addRow([...HEADER, '发生时间']);
      // Excel's cells hold the wall-clock time they show; ExcelJS writes a Date's UTC fields.
      sheet.addRow(['XL-1', 'sanitation', '垃圾未清运', 108.715, 34.325, new Date(Date.UTC(2025, 8, 9, 8, 30)), new Date(Date.UTC(2025, 8, 9, 7, 45))]);
      sheet.addRow(['XL-2', 'sanitation', '路面积水', 108.716, 34.326, new Date(Date.UTC(2025, 8, 10, 14, 5)), null]);
      sheet.getCell('F3').numFmt = 'yyyy"年"m"月"d"日" hh:mm';
      sheet.getCell('G2').numFmt = 'yyyy/m/d h:mm';
      const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
      const res = await preview(`hotline${date1904 ? '-1904' : ''}.xlsx`, bytes);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().errors, `date1904=${date1904}`).toEqual([]);
      expect(res.json().sample.map((s: { reportedAt: string }) => s.reportedAt)).toEqual([china('2025-09-09T08:30:00'), china('2025-09-10T14:05:00')]);
    }
  });

  it('Chinese date forms, slashes and ISO without an offset are China time', async () => {
    const forms = ['2025年9月3日 08:30', '2025/9/3 8:30', '2025-09-03T08:30', '2025年9月3日8时30分', '45903.3541666667'];
    const csv = [HEADER.join(','), ...forms.map((f, i) => `CN-${i},sanitation,日期${i},108.715,34.325,${f}`)].join('\n');
    const res = await preview('cn-dates.csv', Buffer.from(csv));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().errors).toEqual([]);
    expect(new Set(res.json().sample.map((s: { reportedAt: string }) => s.reportedAt))).toEqual(new Set([china('2025-09-03T08:30:00')]));
    const dateOnly = await preview('day.csv', Buffer.from(`${HEADER.join(',')}\nCN-D,sanitation,日期,108.715,34.325,2025年9月3日\n`));
    expect(dateOnly.json().sample[0].reportedAt).toBe(china('2025-09-03T00:00:00'));
  });

  it('impossible dates are refused with their row and column, never rolled over', async () => {
    const bad = ['2025年2月31日 08:00', '2025/13/1 8:00', '2025-09-03 25:00', '2025/9/3 8:61', '2025年2月29日'];
    const csv = [HEADER.join(','), ...bad.map((f, i) => `BAD-${i},sanitation,日期${i},108.715,34.325,${f}`)].join('\n');
    const res = await preview('bad-dates.csv', Buffer.from(csv));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().errors.map((e: { row: number; column: string }) => [e.row, e.column])).toEqual(bad.map((_, i) => [i + 2, '上报时间']));
    bad.forEach((f, i) => expect(res.json().errors[i].message).toContain(`'${f}' is not a time`));
    expect(res.json().toCreate).toBe(0);
  });

  it('an .xls workbook (BIFF8 with date cells) and an .ods one, read through GDAL with their sheet row numbers', async () => {
    const xls = fs.readFileSync(new URL('../fixtures/incidents/hotline-date-cells.xls', import.meta.url));
    const fromXls = await preview('hotline.xls', xls);
    expect(fromXls.statusCode, fromXls.body).toBe(200);
    expect(fromXls.json()).toMatchObject({ rows: 2, toCreate: 2, errors: [] });
    expect(fromXls.json().sample.map((s: { row: number; reportedAt: string }) => [s.row, s.reportedAt])).toEqual([
      [2, china('2025-09-09T08:30:00')], [4, china('2025-09-10T14:05:00')],
    ]);
    const ods = inTempDir((dir) => {
      // Typed columns: the ODS holds real date-time cells.
      fs.writeFileSync(path.join(dir, 't.csv'), `${HEADER.join(',')}\nODS-1,sanitation,积水,108.715,34.325,2025/09/11 09:15:00\nODS-2,sanitation,积水,108.716,34.326,2025-13-01\n`);
      ogr2ogr(['-f', 'ODS', path.join(dir, 't.ods'), path.join(dir, 't.csv'), '-oo', 'AUTODETECT_TYPE=YES']);
      return fs.readFileSync(path.join(dir, 't.ods'));
    });
    expect(ods.subarray(0, 2).toString()).toBe('PK');
    const fromOds = await preview('hotline.ods', ods);
    expect(fromOds.statusCode, fromOds.body).toBe(200);
    expect(fromOds.json().sample.map((s: { row: number; reportedAt: string }) => [s.row, s.reportedAt])).toEqual([[2, china('2025-09-11T09:15:00')]]);
    expect(fromOds.json().errors).toMatchObject([{ row: 3, column: '上报时间' }]);
  });

  it('a table without a chosen coordinate system is refused, naming the choice', async () => {
    const res = await preview('no-crs.csv', Buffer.from(`${HEADER.join(',')}\nN-1,sanitation,x,108.715,34.325,2025-09-03 08:30\n`), {});
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/^crs: choose the coordinate system of the table's longitude\/latitude \(wgs84, cgcs2000, gcj02, bd09\)/);
  });
});

/** GBK bytes of a text (the test's own encoder: TextEncoder writes UTF-8 only). */
function iconvGbk(text: string): Buffer {
  return inTempDir((dir) => {
    fs.writeFileSync(path.join(dir, 'u.txt'), text);
    return execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GBK', path.join(dir, 'u.txt')]);
  });
}
