/**
 * A city above its districts: two districts of Zhengzhou with one community each, four buildings
 * and one station on their shared boundary (fixture two-districts-one-station.geojson). Each
 * district gets its own figures and the top row (全市) sums them; with one district the top row is
 * that district (全区).
 */
import { Value } from 'typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoverageResult } from '../../server/modules/coverage/schemas.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { loadFixture } from '../fixtures/coverage/load-fixture.js';

type Row = { level: string; code: string; name: string; population: number; covered: number; uncovered: number; share: number | null; buildings: number; uncoveredBuildings: number };

describe('coverage rolled up from two districts to the city', () => {
  let t: TestApp;
  let cookie: string;
  const analyse = async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/coverage/analysis', headers: { cookie }, payload: { facilityTypes: ['home_elderly_care_station'], population: 'all' } });
    expect(res.statusCode).toBe(200);
    expect(Value.Check(CoverageResult, res.json())).toBe(true);
    return res.json() as { district: Row; districts: Row[]; streets: Row[]; communities: Row[] };
  };
  beforeAll(async () => {
    t = await createTestApp({ template: 'empty' });
    await loadFixture(t.db.pool, 'two-districts-one-station.geojson');
    cookie = await t.loginAs('planner');
  });
  afterAll(async () => t?.close());

  it('the fixture is what it says: a1 and b1 within 1,000 m of the station, a2 and b2 beyond', async () => {
    const { rows } = await t.db.pool.query(`SELECT b.name, ST_Distance(b.geom::geography, f.geom::geography) AS d FROM building b, facility f ORDER BY b.name`);
    expect(rows.map((r) => [r.name, r.d < 1000])).toEqual([['a1', true], ['a2', false], ['b1', true], ['b2', false]]);
  });

  it('each district counts its own buildings; the city (named from the national list) sums them', async () => {
    const r = await analyse();
    const byCode = new Map(r.districts.map((d) => [d.code, d]));
    expect(byCode.get('410105')).toMatchObject({ level: 'district', name: '金水区', population: 150, covered: 100, uncovered: 50, buildings: 2, uncoveredBuildings: 1 });
    expect(byCode.get('410102')).toMatchObject({ level: 'district', name: '中原区', population: 230, covered: 200, uncovered: 30, buildings: 2, uncoveredBuildings: 1 });
    const a = byCode.get('410105')!;
    const b = byCode.get('410102')!;
    expect(r.district).toMatchObject({ level: 'city', code: '4101', name: '郑州市', population: a.population + b.population, covered: a.covered + b.covered, buildings: 4 });
    expect(r.district.share).toBeCloseTo(300 / 380, 10);
    expect(r.streets.map((s) => [s.code, s.population]).sort()).toEqual([['410102001', 230], ['410105001', 150]]);
  });

  it('with the city row added, the top row is that city', async () => {
    await t.db.pool.query(`INSERT INTO admin_area (code, name, level) VALUES ('4101', '郑州市（本市）', 'city')`);
    await t.db.pool.query(`UPDATE admin_area SET parent_code = '4101' WHERE level = 'district'`);
    const r = await analyse();
    expect(r.district).toMatchObject({ level: 'city', code: '4101', name: '郑州市（本市）', population: 380, covered: 300 });
    expect(r.districts).toHaveLength(2);
  });

  it('one district alone is its own top (全区)', async () => {
    await t.db.pool.query(`DELETE FROM building WHERE name IN ('b1', 'b2')`);
    await t.db.pool.query(`UPDATE admin_area SET parent_code = NULL WHERE level = 'district'`);
    await t.db.pool.query(`DELETE FROM admin_area WHERE code LIKE '410102%' OR code = '4101'`);
    const r = await analyse();
    expect(r.district).toMatchObject({ level: 'district', code: '410105', name: '金水区', population: 150, covered: 100 });
    expect(r.districts).toHaveLength(1);
  });

  it('the export names the city and lists each district', async () => {
    await t.db.pool.query(`INSERT INTO admin_area (code, name, level) VALUES ('410102', '中原区', 'district')`);
    const res = await t.app.inject({ method: 'POST', url: '/api/coverage/export', headers: { cookie }, payload: { facilityTypes: ['home_elderly_care_station'], population: 'all' } });
    expect(res.statusCode).toBe(200);
    const ExcelJS = (await import('exceljs')).default;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const summary = workbook.getWorksheet('汇总')!;
    const values = summary.getSheetValues().map((row) => (Array.isArray(row) ? row.slice(1, 3) : []));
    expect(values).toContainEqual(['市名称', '郑州市']);
    expect(workbook.getWorksheet('区县')!.rowCount).toBe(3);
  });
});
