/**
 * Buildings and figures per grid for part of 金水区 (Zhengzhou, 410105), a district from the
 * national list set up in an empty database: two communities with outlines and grids drawn by
 * SQL, buildings imported from CSV (Chinese columns) and GeoJSON polygons (English columns),
 * every figure checked against a hand count, the replacement of a community's buildings, every
 * bad input refused naming row and column with nothing written, and figures per grid for grids
 * without buildings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { areaFixtureJson, insertJinshui, XICAI, XINCUN, YANGGUANG } from '../fixtures/areas/fixtures.js';
import { multipart } from '../fixtures/grids/fixtures.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ogr2ogr, zipShapefile } from '../helpers/gdal.js';
import { webText } from '../helpers/problem-text.js';

let t: TestApp;
let planner: string;
const GRID_A = `${YANGGUANG}001`;
const GRID_B = `${YANGGUANG}002`;
const GRID_C = `${XICAI}001`;
const GRID_D = `${XINCUN}001`;
/** Points inside each grid, made by PostGIS from the grid outlines (seeded, so always the same). */
const inside: Record<string, [number, number][]> = {};

beforeAll(async () => {
  t = await createTestApp({ template: 'empty', env: { EXPENSIVE_RATE_PER_MINUTE: '1000' } });
  await insertJinshui(t.db.pool);
  const { features } = areaFixtureJson('jinshui-five-communities.geojson');
  // The fixture's features in file order: 阳光, 西彩, 丰乐 (006), 丰乐 (007), 新村.
  const codes = [YANGGUANG, XICAI, null, null, XINCUN];
  for (const [i, f] of features.entries()) {
    if (codes[i]) await t.db.pool.query(`UPDATE admin_area SET geom = ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($2), 4326)) WHERE code = $1`, [codes[i], JSON.stringify(f.geometry)]);
  }
  // 阳光社区 in two grids (west and east of its middle), 西彩社区 and 新村社区 one grid each.
  await t.db.pool.query(`
    INSERT INTO grid (code, name, community_code, geom)
    SELECT $1 || '001', '西', code, ST_Multi(ST_CollectionExtract(ST_Intersection(geom, ST_MakeEnvelope(ST_XMin(geom), ST_YMin(geom), (ST_XMin(geom) + ST_XMax(geom)) / 2, ST_YMax(geom), 4326)), 3)) FROM admin_area WHERE code = $1
    UNION ALL
    SELECT $1 || '002', '东', code, ST_Multi(ST_CollectionExtract(ST_Intersection(geom, ST_MakeEnvelope((ST_XMin(geom) + ST_XMax(geom)) / 2, ST_YMin(geom), ST_XMax(geom), ST_YMax(geom), 4326)), 3)) FROM admin_area WHERE code = $1`, [YANGGUANG]);
  await t.db.pool.query(`INSERT INTO grid (code, name, community_code, geom) SELECT code || '001', '全', code, geom FROM admin_area WHERE code = ANY ($1::text[])`, [[XICAI, XINCUN]]);
  for (const code of [GRID_A, GRID_B, GRID_C, GRID_D]) {
    const { rows } = await t.db.pool.query(
      `SELECT ST_X(p.geom) AS lon, ST_Y(p.geom) AS lat FROM grid g, ST_Dump(ST_GeneratePoints(ST_Buffer(g.geom, -0.0002), 3, 7)) p WHERE g.code = $1`, [code]);
    inside[code] = rows.map((r) => [Number(r.lon.toFixed(6)), Number(r.lat.toFixed(6))]);
  }
  planner = await t.loginAs('planner');
});
afterAll(async () => t?.close());

const post = (url: string, fileName: string, text: string | Buffer, fields: Record<string, string> = {}) => {
  const body = multipart(fileName, Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8'), fields);
  return t.app.inject({ method: 'POST', url, payload: body.payload, headers: { ...body.headers, cookie: planner } });
};

async function gridFigures() {
  const { rows } = await t.db.pool.query(
    `SELECT code, households, residents, residents_60_plus AS r60, residents_80_plus AS r80 FROM grid WHERE retired_at IS NULL ORDER BY code`);
  return Object.fromEntries(rows.map((r) => [r.code, [r.households, r.residents, r.r60, r.r80]]));
}
async function state() {
  const { rows: [s] } = await t.db.pool.query(
    `SELECT (SELECT count(*)::int FROM building) AS buildings, (SELECT count(*)::int FROM building_version) AS versions,
            (SELECT count(*)::int FROM grid_version) AS grid_versions,
            (SELECT string_agg(code || ':' || households || '/' || residents, ',' ORDER BY code) FROM grid) AS grids`);
  return s;
}

const HEADER = '经度,纬度,地址,楼栋编码,户数,人数,60岁以上,80岁以上';
/** Two buildings in grid A, one in B, two in C: figures chosen by hand. */
function firstCsv() {
  const [a1, a2] = inside[GRID_A]!;
  const [b1] = inside[GRID_B]!;
  const [c1, c2] = inside[GRID_C]!;
  return [HEADER,
    `${a1![0]},${a1![1]},阳光路1号1栋,1,40,100,20,5`,
    `${a2![0]},${a2![1]},阳光路1号2栋,2,36,90,30,10`,
    `${b1![0]},${b1![1]},阳光路3号,3,12,25,5,0`,
    `${c1![0]},${c1![1]},西彩街8号,1,50,120,40,12`,
    `${c2![0]},${c2![1]},西彩街9号,2,8,17,3,1`].join('\n');
}

describe('buildings from a CSV with Chinese column names', () => {
  it('previews the hand counts, then commits them and re-counts the grids', async () => {
    const preview = await post('/api/building-import/preview', 'buildings.csv', firstCsv(), { crs: 'wgs84' });
    expect(preview.statusCode, preview.body).toBe(200);
    const p = preview.json();
    expect(p.errors).toEqual([]);
    expect(p.columns).toMatchObject({ lon: '经度', lat: '纬度', address: '地址', buildingCode: '楼栋编码', households: '户数', residents: '人数', residents60Plus: '60岁以上', residents80Plus: '80岁以上' });
    expect(p.totals).toEqual({ buildings: 5, households: 146, residents: 352, residents60Plus: 98, residents80Plus: 28 });
    expect(p.communities.map((c: { code: string; buildings: number; households: number }) => [c.code, c.buildings, c.households])).toEqual([[YANGGUANG, 3, 88], [XICAI, 2, 58]]);
    expect(p.rows.map((r: { gridCode: string }) => r.gridCode)).toEqual([GRID_A, GRID_A, GRID_B, GRID_C, GRID_C]);
    expect(p.points).toHaveLength(5);
    expect((await state()).buildings).toBe(0);

    const commit = await post('/api/building-import/commit', 'buildings.csv', firstCsv(), { crs: 'wgs84' });
    expect(commit.statusCode, commit.body).toBe(200);
    expect(commit.json()).toMatchObject({ inserted: 5, retired: 0, gridsRecounted: 3 });
    expect(await gridFigures()).toEqual({
      [GRID_A]: [76, 190, 50, 15], [GRID_B]: [12, 25, 5, 0], [GRID_C]: [58, 137, 43, 13], [GRID_D]: [0, 0, 0, 0],
    });
    const { rows } = await t.db.pool.query(`SELECT building_code, community_code, address, version FROM building ORDER BY id`);
    expect(rows.map((r) => `${r.community_code}/${r.building_code}`)).toEqual([`${YANGGUANG}/00001`, `${YANGGUANG}/00002`, `${YANGGUANG}/00003`, `${XICAI}/00001`, `${XICAI}/00002`]);
    expect((await t.db.pool.query(`SELECT count(*)::int AS n FROM building_version WHERE action = 'import'`)).rows[0].n).toBe(5);
    // The street rolls up from its grids.
    const tree = await t.db.pool.query(`SELECT sum(households)::int AS h FROM grid WHERE community_code LIKE '410105006%' AND retired_at IS NULL`);
    expect(tree.rows[0].h).toBe(146);
  });

  it('as a job with progress, GeoJSON polygons replace one community\'s buildings and leave the other\'s', async () => {
    // An L-shaped block in grid B: its centroid lies outside it, its inner point inside.
    const [[x, y]] = inside[GRID_B]!.slice(1, 2) as [[number, number]];
    const d = 0.0003;
    const ell = { type: 'Polygon', coordinates: [[[x, y], [x + d, y], [x + d, y + d / 5], [x + d / 5, y + d / 5], [x + d / 5, y + d], [x, y + d], [x, y]]] };
    const geojson = JSON.stringify({ type: 'FeatureCollection', features: [
      { type: 'Feature', properties: { name: '阳光花园', address: '阳光路5号', households: 30, residents: 70, elderly: 9, age80: 2 }, geometry: ell },
    ] });
    const started = await post('/api/building-import/commit', 'yangguang.geojson', geojson, { async: 'true' });
    expect(started.statusCode, started.body).toBe(202);
    let job = started.json();
    for (let i = 0; i < 100 && job.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      job = (await t.app.inject({ method: 'GET', url: `/api/building-import/jobs/${job.id}`, headers: { cookie: planner } })).json();
    }
    expect(job.status, JSON.stringify(job)).toBe('done');
    expect(job.result).toMatchObject({ inserted: 1, retired: 3 });
    expect(await gridFigures()).toMatchObject({ [GRID_A]: [0, 0, 0, 0], [GRID_B]: [30, 70, 9, 2], [GRID_C]: [58, 137, 43, 13] });
    const { rows: [b] } = await t.db.pool.query(
      `SELECT ST_DWithin(geom, ST_PointOnSurface(ST_SetSRID(ST_GeomFromGeoJSON($1), 4326)), 1e-9) AND ST_Covers(ST_SetSRID(ST_GeomFromGeoJSON($1), 4326), geom) AS inner_point,
              ST_Covers(ST_SetSRID(ST_GeomFromGeoJSON($1), 4326), ST_Centroid(ST_SetSRID(ST_GeomFromGeoJSON($1), 4326))) AS centroid_inside
         FROM building WHERE retired_at IS NULL AND name = '阳光花园'`, [JSON.stringify(ell)]);
    expect(b).toEqual({ inner_point: true, centroid_inside: false });
    expect((await t.db.pool.query(`SELECT count(*)::int AS n FROM building WHERE retired_at IS NOT NULL`)).rows[0].n).toBe(3);
  });
});

describe('buildings from a zipped Shapefile in projected CGCS2000 (3° Gauss-Krüger, CM 114°E)', () => {
  it('reprojects the points, recognises pinyin column names and re-counts grid C', async () => {
    const [c1, c2, c3] = inside[GRID_C]!;
    const geojson = JSON.stringify({ type: 'FeatureCollection', features: [
      { type: 'Feature', properties: { LDMC: '西彩1栋', DZ: '西彩街1号', LDBM: '11', HS: 21, RK: 50, LNRK: 10, GLRK: 3 }, geometry: { type: 'Point', coordinates: c1 } },
      { type: 'Feature', properties: { LDMC: '西彩2栋', DZ: '西彩街2号', LDBM: '12', HS: 19, RK: 41, LNRK: 9, GLRK: 0 }, geometry: { type: 'Point', coordinates: c2 } },
      { type: 'Feature', properties: { LDMC: '西彩3栋', DZ: '西彩街3号', LDBM: '13', HS: 4, RK: 8, LNRK: 8, GLRK: 8 }, geometry: { type: 'Point', coordinates: c3 } },
    ] });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wangge-test-buildings-'));
    let zipped: Buffer;
    try {
      fs.writeFileSync(path.join(dir, 'src.geojson'), geojson);
      ogr2ogr(['-f', 'ESRI Shapefile', '-lco', 'ENCODING=UTF-8', '-t_srs', 'EPSG:4545', path.join(dir, 'ld.shp'), path.join(dir, 'src.geojson')]);
      zipped = await zipShapefile(dir, 'ld');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const preview = await post('/api/building-import/preview', 'ld.zip', zipped);
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json()).toMatchObject({ format: 'shapefile', unit: 'feature', errors: [], totals: { buildings: 3, households: 44, residents: 99, residents60Plus: 27, residents80Plus: 11 } });
    const commit = await post('/api/building-import/commit', 'ld.zip', zipped);
    expect(commit.statusCode, commit.body).toBe(200);
    // 西彩's two earlier buildings are replaced by these three.
    expect(commit.json()).toMatchObject({ inserted: 3, retired: 2 });
    expect((await gridFigures())[GRID_C]).toEqual([44, 99, 27, 11]);
    const { rows } = await t.db.pool.query(
      `SELECT building_code, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM building WHERE retired_at IS NULL AND community_code = $1 ORDER BY building_code`, [XICAI]);
    expect(rows.map((r) => r.building_code)).toEqual(['00011', '00012', '00013']);
    // Back from Gauss-Krüger metres to within a centimetre (1e-7°) of where they were.
    rows.forEach((r, i) => {
      expect(Math.abs(r.lon - [c1, c2, c3][i]![0])).toBeLessThan(1e-7);
      expect(Math.abs(r.lat - [c1, c2, c3][i]![1])).toBeLessThan(1e-7);
    });
  });
});

describe('bad input: 4xx naming row and column, nothing written', () => {
  const row = (cells: string) => `${HEADER}\n${inside[GRID_C]![2]![0]},${inside[GRID_C]![2]![1]},西彩街1号,7,10,20,5,1\n${cells}`;
  const cases: [string, () => string, number, RegExp][] = [
    ['a missing column', () => '经度,纬度,户数,人数,60岁以上\n113.6,34.7,1,2,0', 400, /missing column\(s\) residents80Plus/],
    ['a negative count', () => row(`${inside[GRID_C]![0]![0]},${inside[GRID_C]![0]![1]},x,8,-3,20,5,1`), 422, /row 3, column 户数: -3 is negative/],
    ['a count that is not whole', () => row(`${inside[GRID_C]![0]![0]},${inside[GRID_C]![0]![1]},x,8,3,20.5,5,1`), 422, /row 3, column 人数: 20.5 is not a whole number/],
    ['more 60+ than residents', () => row(`${inside[GRID_C]![0]![0]},${inside[GRID_C]![0]![1]},x,8,3,20,25,1`), 422, /row 3, column 60岁以上: 60\+ \(25\) is more than the residents \(20\)/],
    ['more 80+ than 60+', () => row(`${inside[GRID_C]![0]![0]},${inside[GRID_C]![0]![1]},x,8,3,20,5,6`), 422, /row 3, column 80岁以上: 80\+ \(6\) is more than 60\+ \(5\)/],
    ['a building outside every grid', () => row('113.2,34.9,x,8,3,20,5,1'), 422, /row 3: the building at \(113\.200000, 34\.900000\) lies outside every grid/],
    ['a duplicate building code', () => row(`${inside[GRID_C]![0]![0]},${inside[GRID_C]![0]![1]},x,00007,3,20,5,1`), 422, /row 3, column 楼栋编码: building code 00007 is already used by row 2/],
    ['a longitude that is not a number', () => row(`东经113,${inside[GRID_C]![0]![1]},x,8,3,20,5,1`), 422, /row 3, column 经度: "东经113" is not a longitude/],
  ];
  it.each(cases)('%s', async (_name, csv, status, message) => {
    const before = await state();
    const res = await post('/api/building-import/commit', 'bad.csv', csv(), { crs: 'wgs84' });
    expect(res.statusCode, res.body).toBe(status);
    expect(res.json().message).toMatch(message);
    if (status === 422) {
      const preview = await post('/api/building-import/preview', 'bad.csv', csv(), { crs: 'wgs84' });
      expect(preview.json().errors[0]).toMatchObject({ row: 3 });
    }
    expect(await state()).toEqual(before);
  });

  it('gives each row problem a code and parameters, and the refusal quotes the first one in the UI language', async () => {
    const csv = row(`${inside[GRID_C]![0]![0]},${inside[GRID_C]![0]![1]},x,00007,3,20,25,1`);
    const preview = await post('/api/building-import/preview', 'bad.csv', csv, { crs: 'wgs84' });
    expect(preview.statusCode, preview.body).toBe(200);
    const { errors } = preview.json();
    expect(errors).toEqual([
      { row: 3, column: '60岁以上', code: 'buildings.rowR60AboveResidents', params: { r60: 25, residents: 20 }, message: '60+ (25) is more than the residents (20)' },
      {
        row: 3, column: '楼栋编码', code: 'buildings.rowCodeTaken',
        params: { buildingCode: '00007', unit: { code: 'buildings.unitRow', params: {} }, first: 2, inCommunity: { code: 'buildings.inCommunity', params: { community: XICAI } } },
        message: `building code 00007 is already used by row 2 in community ${XICAI}`,
      },
    ]);
    expect(webText(errors[0])).toBe('60 岁以上人口（25）多于常住人口（20）');
    expect(webText(errors[1])).toBe(`楼栋编码 00007 已被第 2 行使用（社区 ${XICAI}）`);
    expect(webText(errors[1], 'en')).toBe(errors[1].message);

    const commit = await post('/api/building-import/commit', 'bad.csv', csv, { crs: 'wgs84' });
    expect(commit.statusCode).toBe(422);
    const body = commit.json();
    expect(body.params.detail).toEqual({ code: 'buildings.rowR60AboveResidents', params: { r60: 25, residents: 20 } });
    expect(body.message).toBe('nothing was imported: 2 error(s); first: row 3, column 60岁以上: 60+ (25) is more than the residents (20)');
    expect(webText(body)).toBe('未导入任何数据：2 处错误；第一处：第 3 行，列 60岁以上：60 岁以上人口（25）多于常住人口（20）');
    expect(body.details.errors[1]).toMatchObject({ code: 'buildings.rowCodeTaken' });
  });

  it('says a swapped longitude/latitude by code, with the figures as the file gave them', async () => {
    const [lon, lat] = inside[GRID_C]![0]!;
    const preview = await post('/api/building-import/preview', 'bad.csv', row(`${lat},${lon},x,8,3,20,5,1`), { crs: 'wgs84' });
    const [error] = preview.json().errors;
    expect(error).toMatchObject({ row: 3, column: '经度', code: 'coordinates.swapped', params: { lon: lat, lat: lon } });
    expect(webText(error)).toBe(`（${lat}, ${lon}）像是“纬度, 经度”：请把经度写在前面`);
  });
});

describe('figures per grid for grids without buildings', () => {
  it('sets entered figures, and refuses a grid that holds buildings with its row', async () => {
    const before = await state();
    const bad = await post('/api/grid-figures-import/commit', 'figures.csv', `网格编码,户数,人口,60岁及以上,80岁及以上\n${GRID_D},300,800,150,40\n${GRID_B},1,2,0,0`);
    expect(bad.statusCode).toBe(422);
    expect(bad.json().message).toMatch(new RegExp(`row 3, column 网格编码: grid ${GRID_B} holds 1 buildings`));
    expect(bad.json().params.detail).toEqual({ code: 'buildings.figuresGridHasBuildings', params: { grid: GRID_B, buildings: 1 } });
    expect(webText(bad.json())).toBe(`未导入任何数据：1 处错误；第一处：第 3 行，列 网格编码：网格 ${GRID_B} 含 1 栋楼，其户数人口为楼栋之和，不能直接填写`);
    expect(bad.json().details.errors).toEqual([{ row: 3, column: '网格编码', code: 'buildings.figuresGridHasBuildings', params: { grid: GRID_B, buildings: 1 }, message: `grid ${GRID_B} holds 1 buildings; its figures are their sum and cannot be entered` }]);
    expect(await state()).toEqual(before);
    const unknown = await post('/api/grid-figures-import/commit', 'figures.csv', `网格编码,户数,人口,60岁及以上,80岁及以上\n410105007012999,1,2,0,0`);
    expect(unknown.json().message).toMatch(/row 2, column 网格编码: no live grid 410105007012999/);

    const ok = await post('/api/grid-figures-import/commit', 'figures.csv', `网格编码,户数,人口,60岁及以上,80岁及以上\n${GRID_D},300,800,150,40`);
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await gridFigures())[GRID_D]).toEqual([300, 800, 150, 40]);
  });

  it('a planner cannot type figures for a grid that holds buildings, but can for one that has none', async () => {
    const { rows } = await t.db.pool.query(`SELECT id, code, version FROM grid WHERE code = ANY ($1::text[]) ORDER BY code`, [[GRID_B, GRID_D]]);
    const [b, d] = rows;
    const refused = await t.app.inject({ method: 'PATCH', url: `/api/grids/${b.id}`, payload: { version: b.version, households: 99 }, headers: { cookie: planner } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().message).toMatch(/holds 1 buildings and its figures are their sum/);
    const allowed = await t.app.inject({ method: 'PATCH', url: `/api/grids/${d.id}`, payload: { version: d.version, households: 310 }, headers: { cookie: planner } });
    expect(allowed.statusCode, allowed.body).toBe(200);
    expect((await gridFigures())[GRID_D]).toEqual([310, 800, 150, 40]);
  });
});

describe('coverage on the grid as the unit for grids without buildings', () => {
  it('counts a grid as reached for the share of its area a service area covers, and says it is an estimate', async () => {
    // Grid D (新村) has entered figures (800 residents) and no building; a proposed station on its
    // westmost point with a 300 m radius reaches part of it. The share by hand: a finer circle.
    const { rows: [d] } = await t.db.pool.query(
      `WITH p AS (SELECT (ST_DumpPoints(geom)).geom AS pt FROM grid WHERE code = $1 ORDER BY ST_X((ST_DumpPoints(geom)).geom) LIMIT 1)
       SELECT ST_X(p.pt) AS lon, ST_Y(p.pt) AS lat,
              ST_Area(ST_Intersection(g.geom, ST_Buffer(p.pt::geography, 300, 'quad_segs=64')::geometry)::geography) / ST_Area(g.geom::geography) AS share
         FROM p, grid g WHERE g.code = $1`, [GRID_D]);
    expect(d.share).toBeGreaterThan(0.01);
    expect(d.share).toBeLessThan(0.99);
    const run = async (proposals: object[]) => {
      const res = await t.app.inject({ method: 'POST', url: '/api/coverage/analysis', headers: { cookie: planner },
        payload: { facilityTypes: ['day_care_centre'], population: 'all', proposals } });
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };
    const without = await run([]);
    type GridRow = { code: string; population: number; covered: number; buildings: number; estimatedPopulation?: number };
    const gridRow = (r: { grids: GridRow[] }) => r.grids.find((g) => g.code === GRID_D)!;
    expect(gridRow(without)).toMatchObject({ population: 800, covered: 0, buildings: 0, estimatedPopulation: 800 });
    const withStation = await run([{ lon: d.lon, lat: d.lat, facilityType: 'day_care_centre', radiusMeters: 300 }]);
    const row = gridRow(withStation);
    expect(Math.abs(row.covered - 800 * d.share)).toBeLessThan(800 * 0.01 + 1);
    const xincun = withStation.communities.find((c: { code: string }) => c.code === XINCUN);
    expect(xincun).toMatchObject({ population: 800, covered: row.covered, estimatedPopulation: 800 });
    // The grids with buildings are counted building by building, as before: no estimate there.
    expect(withStation.grids.find((g: { code: string }) => g.code === GRID_C).estimatedPopulation).toBeUndefined();
  });
});
