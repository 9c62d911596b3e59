/**
 * GDAL round trips: what Wangge exports, rewritten by Debian's ogr2ogr into each format a planner's
 * GIS writes (GeoPackage, Shapefile, FlatGeobuf, GeoJSON; CSV for the facility table), imports
 * back through Wangge's own imports as the same features and attributes: codes, names, figures,
 * staff, and geometry within a hair.
 *
 * Grids: after the export the grids are scrambled (names, figures, type, staff) and the file must
 * put them back. Facilities: the exported ones are retired and the file must bring them back.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { ogr2ogr, zipShapefile } from '../helpers/gdal.js';
import { COMMUNITY_A, TEST_STREET, fixtureBytes, importFile, insertTestAreas, multipart } from '../fixtures/grids/fixtures.js';

let t: TestApp;
let planner: string;
beforeAll(async () => {
  t = await createTestApp();
  planner = await t.loginAs('planner');
});
afterAll(async () => t?.close());

const get = (url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: planner } });

/** Rewrites `bytes` (named `name`) with ogr2ogr into `driver`; a Shapefile comes back zipped. */
async function rewrite(bytes: Buffer, name: string, driver: 'GPKG' | 'ESRI Shapefile' | 'FlatGeobuf' | 'GeoJSON' | 'CSV', extension: string): Promise<Buffer> {
  const dir = fs.mkdtempSync(path.join(fs.realpathSync('/tmp'), 'wangge-round-trip-'));
  try {
    fs.writeFileSync(path.join(dir, name), bytes);
    const target = path.join(dir, `rewritten${extension}`);
    ogr2ogr(['-f', driver, ...(driver === 'ESRI Shapefile' ? ['-lco', 'ENCODING=UTF-8'] : []), target, path.join(dir, name)]);
    return driver === 'ESRI Shapefile' ? await zipShapefile(dir, 'rewritten') : fs.readFileSync(target);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('grids: export → ogr2ogr → grid import', () => {
  /** The grids of the test street as the database holds them (no geometry), and their geometry apart. */
  async function gridsOfStreet() {
    const { rows } = await t.db.pool.query(
      `SELECT g.code, g.name, g.community_code, g.grid_type, g.dedicated_kind, g.households, g.residents, g.residents_60_plus, g.residents_80_plus,
              (SELECT json_agg(json_build_object('role', s.role, 'name', s.name, 'phone', s.phone) ORDER BY s.role, s.name) FROM grid_staff s WHERE s.grid_id = g.id) AS staff,
              ST_AsGeoJSON(g.geom, 15) AS geometry, ST_Area(g.geom::geography) AS area
         FROM grid g WHERE g.community_code LIKE $1 || '%' AND g.retired_at IS NULL ORDER BY g.code`, [TEST_STREET]);
    return rows;
  }

  let before: Awaited<ReturnType<typeof gridsOfStreet>>;
  let geojsonExport: Buffer;

  beforeAll(async () => {
    await insertTestAreas(t.db.pool);
    const imported = await importFile(t, planner, 'commit', 'clean-tiling.geojson', fixtureBytes('clean-tiling.geojson'), { scope: TEST_STREET });
    expect(imported.statusCode, imported.body).toBe(200);
    // Figures that differ from grid to grid, and a dedicated grid, so that a shifted column shows.
    await t.db.pool.query(
      `UPDATE grid SET households = 300 + 7 * substr(code, 13)::int, residents = 700 + 31 * substr(code, 13)::int,
              residents_60_plus = 100 + 11 * substr(code, 13)::int, residents_80_plus = 20 + 3 * substr(code, 13)::int,
              grid_type = CASE WHEN code LIKE '%004' THEN 'dedicated' ELSE 'comprehensive' END,
              dedicated_kind = CASE WHEN code LIKE '%004' THEN 'school' END
        WHERE community_code = $1`, [COMMUNITY_A]);
    before = await gridsOfStreet();
    expect(before).toHaveLength(4);
    const res = await get(`/api/exports/grids?area=${TEST_STREET}&format=geojson`);
    expect(res.statusCode, res.body).toBe(200);
    geojsonExport = res.rawPayload;
  });

  async function scramble() {
    await t.db.pool.query(
      `UPDATE grid SET name = name || '（旧）', households = 0, residents = 0, residents_60_plus = 0, residents_80_plus = 0,
              grid_type = 'comprehensive', dedicated_kind = NULL WHERE community_code = $1 AND retired_at IS NULL`, [COMMUNITY_A]);
    await t.db.pool.query(`DELETE FROM grid_staff WHERE grid_id IN (SELECT id FROM grid WHERE community_code = $1)`, [COMMUNITY_A]);
    const scrambled = await gridsOfStreet();
    expect(scrambled[0].households).toBe(0);
    expect(scrambled[0].staff).toBeNull();
  }

  async function expectSameGrids() {
    const after = await gridsOfStreet();
    const attributes = (rows: typeof before) => rows.map(({ geometry: _g, area: _a, ...rest }) => rest);
    expect(attributes(after)).toEqual(attributes(before));
    for (const [i, grid] of after.entries()) {
      expect(Math.abs(grid.area - before[i].area)).toBeLessThan(0.01);
      const { rows: [d] } = await t.db.pool.query(
        `SELECT ST_HausdorffDistance(ST_GeomFromGeoJSON($1), ST_GeomFromGeoJSON($2)) AS degrees`, [grid.geometry, before[i].geometry]);
      expect(d.degrees).toBeLessThan(1e-9);
    }
  }

  // GDAL's Shapefile driver cuts field names to ten characters (residents60Plus → residents6);
  // the planner names those in the import's field mapping.
  const SHORTENED = JSON.stringify({ residents60Plus: 'residents6', residents80Plus: 'residents8', dedicatedKind: 'dedicatedK', leaderPhone: 'leaderPhon' });

  it.each([
    ['GPKG', '.gpkg', {}],
    ['ESRI Shapefile', '.zip', { mapping: SHORTENED }],
    ['FlatGeobuf', '.fgb', {}],
    ['GeoJSON', '.geojson', {}],
  ] as const)('GeoJSON export → %s → import gives back the same grids', async (driver, extension, fields) => {
    const file = await rewrite(geojsonExport, 'export.geojson', driver, driver === 'ESRI Shapefile' ? '.shp' : extension);
    await scramble();
    const res = await importFile(t, planner, 'commit', `rewritten${extension}`, file, { scope: TEST_STREET, ...fields });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ created: 0, updated: 4, retired: 0 });
    await expectSameGrids();
  });

  it.each([
    ['shp', 'export.zip'],
    ['gpkg', 'export.gpkg'],
  ])('Wangge\'s own %s in CGCS2000 → import gives back the same grids', async (format, fileName) => {
    const res = await get(`/api/exports/grids?area=${TEST_STREET}&format=${format}&crs=4490`);
    expect(res.statusCode, res.body).toBe(200);
    await scramble();
    const imported = await importFile(t, planner, 'commit', fileName, res.rawPayload, { scope: TEST_STREET });
    expect(imported.statusCode, imported.body).toBe(200);
    await expectSameGrids();
  });
});

describe('facilities: export → ogr2ogr → facility import', () => {
  const TYPE = 'day_care_centre';

  async function liveFacilities() {
    const { rows } = await t.db.pool.query(
      `SELECT name, facility_type, address, round(ST_X(geom)::numeric, 7)::float8 AS lon, round(ST_Y(geom)::numeric, 7)::float8 AS lat,
              phone, opening_hours, services, capacity, is_public
         FROM facility WHERE retired_at IS NULL AND facility_type = $1 ORDER BY name, address`, [TYPE]);
    return rows;
  }

  async function retireAndImport(file: Buffer, fileName: string) {
    const before = await liveFacilities();
    expect(before.length).toBeGreaterThan(5);
    await t.db.pool.query(`UPDATE facility SET retired_at = now() WHERE retired_at IS NULL AND facility_type = $1`, [TYPE]);
    expect(await liveFacilities()).toEqual([]);
    const { payload, headers } = multipart(fileName, file, {});
    const res = await t.app.inject({ method: 'POST', url: '/api/facilities/import/commit?sourceCrs=wgs84', payload, headers: { ...headers, cookie: planner } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().created).toBe(before.length);
    expect(await liveFacilities()).toEqual(before);
  }

  it('the Excel export imports back as it is', async () => {
    const res = await get(`/api/facilities/export?format=xlsx&type=${TYPE}`);
    expect(res.statusCode, res.body).toBe(200);
    await retireAndImport(res.rawPayload, 'facilities.xlsx');
  });

  it.each([
    ['geojson', 'export.geojson'],
    ['gpkg', 'export.gpkg'],
  ])('the %s export → CSV by ogr2ogr → import', async (format, name) => {
    const res = await get(`/api/facilities/export?format=${format}&type=${TYPE}`);
    expect(res.statusCode, res.body).toBe(200);
    const csv = await rewrite(res.rawPayload, name, 'CSV', '.csv');
    expect(csv.toString('utf8').split('\n')[0]).toMatch(/\bname,facilityType,facilityTypeName,address,lon,lat\b/);
    await retireAndImport(csv, 'facilities.csv');
  });
});
