/**
 * Bulk import of facilities from CSV and Excel: a preview with row-by-row errors that writes
 * nothing, the coordinate system converted (GCJ-02 lands within 1 m of its WGS84 truth), and a
 * commit that writes every row or none.
 */
import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import { Value } from 'typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { webText } from '../helpers/problem-text.js';
import { ImportPreview } from '../../server/modules/facilities/editing-schemas.js';

let t: TestApp;
let planner: string;
beforeAll(async () => {
  t = await createTestApp();
  planner = await t.loginAs('planner');
});
afterAll(async () => t?.close());

const fixture = (name: string) => new URL(`../fixtures/coverage/${name}`, import.meta.url);

/** A multipart/form-data body with one file, as a browser sends it. */
function upload(fileName: string, bytes: Buffer) {
  const boundary = '----wanggeTestBoundary';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const post = (url: string, fileName: string, bytes: Buffer, cookie = planner) => {
  const { payload, headers } = upload(fileName, bytes);
  return t.app.inject({ method: 'POST', url, payload, headers: { ...headers, cookie } });
};

const facilityCount = async () => (await t.db.pool.query(`SELECT count(*)::int AS n FROM facility`)).rows[0].n as number;

describe('a GCJ-02 list from Amap', () => {
  const file = fixture('import-gcj02-three-stations.csv');
  const bytes = fs.readFileSync(file);
  const truth = (parse(bytes, { columns: true }) as Record<string, string>[]).map((r) => ({ name: r['名称']!, lon: Number(r['真值经度WGS84']), lat: Number(r['真值纬度WGS84']) }));

  it('previews every row converted, writing nothing', async () => {
    const before = await facilityCount();
    const res = await post('/api/facilities/import/preview?sourceCrs=gcj02', 'stations.csv', bytes);
    expect(res.statusCode).toBe(200);
    const preview = res.json();
    expect(Value.Check(ImportPreview, preview)).toBe(true);
    expect(preview).toMatchObject({ sourceCrs: 'gcj02', rowCount: 3, validCount: 3, errorCount: 0 });
    expect(preview.rows.map((r: { facility: { facilityType: string } }) => r.facility.facilityType)).toEqual(['home_elderly_care_station', 'day_care_centre', 'elderly_canteen']);
    expect(await facilityCount()).toBe(before);
  });

  it('commits all rows, each within 1 m of its WGS84 truth, with stored service areas', async () => {
    const res = await post('/api/facilities/import/commit?sourceCrs=gcj02', 'stations.csv', bytes);
    expect(res.statusCode).toBe(201);
    expect(res.json().created).toBe(3);
    for (const expected of truth) {
      const { rows } = await t.db.pool.query(
        `SELECT ST_Distance(f.geom::geography, ST_SetSRID(ST_MakePoint($2, $3), 4326)::geography) AS d, f.services, f.is_public, a.radius_meters
         FROM facility f JOIN facility_service_area a ON a.facility_id = f.id WHERE f.name = $1`,
        [expected.name, expected.lon, expected.lat],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0].d).toBeLessThan(1);
      expect(rows[0].services).toEqual(['助餐', '日间照料']);
      expect(rows[0].radius_meters).toBe(1000);
    }
    const { rows } = await t.db.pool.query(`SELECT detail FROM audit_log WHERE action = 'facility.import' AND success`);
    expect(rows[0].detail).toMatchObject({ rows: 3, sourceCrs: 'gcj02' });
  });

  it('read as WGS84 by mistake, the same file lands ~500 m off: the preview shows the raw positions', async () => {
    const preview = (await post('/api/facilities/import/preview?sourceCrs=wgs84', 'stations.csv', bytes)).json();
    // Already imported (as GCJ-02): these are not duplicates, because they are ~500 m away.
    expect(preview.rows[0].facility.lon).toBeCloseTo(108.70465355, 7);
  });

  it('refuses to import the same list twice, naming the existing facilities', async () => {
    const before = await facilityCount();
    const res = await post('/api/facilities/import/commit?sourceCrs=gcj02', 'stations.csv', bytes);
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/3 of 3 rows have errors, so nothing was imported; first: row 2: facility \d+ of the same name and type already exists 0 m away/);
    // The refusal quotes the first problem as a phrase: the web says all of it in Chinese.
    const first = res.json().details[0].errors[0];
    expect(first).toMatchObject({ column: null, code: 'facilities.rowExists', params: { distance: { code: 'distance.meters', params: { meters: 0 } } } });
    expect(res.json().params).toMatchObject({ column: null, detail: { code: 'facilities.rowExists', params: first.params } });
    expect(webText(res.json())).toBe(`3 行中有 3 行有错误，未导入任何数据；第一处：第 2 行：已有同名同类型的设施 ${first.params.id}，相距 0 米`);
    expect(await facilityCount()).toBe(before);
  });
});

describe('a list with one bad row', () => {
  const bytes = fs.readFileSync(fixture('import-one-bad-row.csv'));

  it('the preview names the row and column and what is wrong', async () => {
    const preview = (await post('/api/facilities/import/preview?sourceCrs=wgs84', 'bad.csv', bytes)).json();
    expect(preview).toMatchObject({ rowCount: 3, validCount: 2, errorCount: 1 });
    expect(preview.rows[1]).toEqual({
      rowNumber: 3,
      ok: false,
      errors: [{ column: '纬度', code: 'facilities.rowNotANumber', params: { text: '34.3x' }, message: '"34.3x" is not a number' }],
      facility: null,
    });
    expect(webText(preview.rows[1].errors[0])).toBe('“34.3x”不是数字');
  });

  it('the commit is refused with that error and writes none of the rows', async () => {
    const before = await facilityCount();
    const res = await post('/api/facilities/import/commit?sourceCrs=wgs84', 'bad.csv', bytes);
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toBe('1 of 3 rows have errors, so nothing was imported; first: row 3, column 纬度: "34.3x" is not a number');
    expect(res.json().details).toEqual([{ rowNumber: 3, errors: [{ column: '纬度', code: 'facilities.rowNotANumber', params: { text: '34.3x' }, message: '"34.3x" is not a number' }] }]);
    expect(webText(res.json())).toBe('3 行中有 1 行有错误，未导入任何数据；第一处：第 3 行“纬度”列：“34.3x”不是数字');
    expect(webText(res.json(), 'en')).toBe(res.json().message);
    expect(await facilityCount()).toBe(before);
    const { rows } = await t.db.pool.query(`SELECT count(*)::int AS n FROM facility WHERE name LIKE '秦都测试便民服务站%'`);
    expect(rows[0].n).toBe(0);
    const { rows: audit } = await t.db.pool.query(`SELECT detail FROM audit_log WHERE action = 'facility.import' AND NOT success`);
    expect(audit.at(-1).detail).toMatchObject({ rows: 3, errorRows: 1 });
  });
});

describe('an Excel workbook', () => {
  it('reads other header spellings, Chinese and English type names, 否 for not public, and capacity', async () => {
    const bytes = fs.readFileSync(fixture('import-wgs84-two-stations.xlsx'));
    const preview = (await post('/api/facilities/import/preview?sourceCrs=wgs84', 'stations.xlsx', bytes)).json();
    expect(preview).toMatchObject({ rowCount: 2, validCount: 2 });
    expect(preview.rows[0].facility).toMatchObject({ facilityType: 'care_home', isPublic: false, capacity: 60, openingHours: '全天', lon: 108.6712, lat: 34.3421 });
    expect(preview.rows[1].facility).toMatchObject({ facilityType: 'health_station', isPublic: true, capacity: null });
    const res = await post('/api/facilities/import/commit?sourceCrs=wgs84', 'stations.xlsx', bytes);
    expect(res.statusCode).toBe(201);
    expect(res.json().ids).toHaveLength(2);
  });
});

describe('refusals', () => {
  it('a table without the coordinate columns', async () => {
    const res = await post('/api/facilities/import/preview?sourceCrs=wgs84', 'x.csv', Buffer.from('名称,类型\n甲,养老院\n'));
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/lacks the column\(s\) 经度 \(lon\), 纬度 \(lat\); its header row has: 名称, 类型/);
  });

  it('a file that is not a table', async () => {
    const res = await post('/api/facilities/import/preview?sourceCrs=wgs84', 'x.pdf', Buffer.from('%PDF-1.4'));
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/only \.csv, \.xlsx, \.xls and \.ods/);
  });

  it('an unknown type and a point outside the district, each named', async () => {
    const csv = '名称,类型,经度,纬度\n甲,赌场,108.7,34.34\n乙,养老院,116.4,39.9\n';
    const preview = (await post('/api/facilities/import/preview?sourceCrs=wgs84', 'x.csv', Buffer.from(csv))).json();
    expect(preview.rows[0].errors[0]).toMatchObject({ column: '类型' });
    expect(preview.rows[0].errors[0].message).toMatch(/unknown facility type "赌场"/);
    expect(preview.rows[1].errors[0].message).toMatch(/outside the district/);
    expect(preview.rows[0].errors[0]).toMatchObject({ code: 'facilities.rowUnknownType', params: { text: '赌场' } });
    expect(preview.rows[1].errors[0]).toMatchObject({ column: '经度/纬度', code: 'facilities.rowOutsideDistrict', params: { x: 116.4, y: 39.9, crs: 'wgs84', distance: { code: 'distance.meters' } } });
    expect(webText(preview.rows[0].errors[0])).toMatch(/^未知的设施类型“赌场”；应为 .+ 之一$/);
    expect(webText(preview.rows[1].errors[0])).toMatch(/^（116\.4, 39\.9）（wgs84）在本区以外 [\d,]+ 米；请检查坐标系或经纬度列$/);
  });

  it('analysts may not import', async () => {
    const res = await post('/api/facilities/import/preview?sourceCrs=wgs84', 'x.csv', Buffer.from('名称,类型,经度,纬度\n'), await t.loginAs('analyst'));
    expect(res.statusCode).toBe(403);
  });
});
