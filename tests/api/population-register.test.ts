/**
 * The resident register import on a real district: 金水区's areas (from the national list), grids
 * and buildings put in by SQL, a register of eleven people. Each building's counts are checked
 * against a hand count, the grids re-counted, an unmatched address assigned and remembered, bad
 * input refused with row and column and nothing written — and no name or ID number of the file
 * in the database (a pg_dump of it), a temporary file or the app's log.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { DEMO_ACCOUNTS } from '../../server/demo/accounts.js';
import { findBinaries } from '../../server/local-postgres/cluster.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { sessionCookie, type TestApp } from '../helpers/app.js';
import { webText } from '../helpers/problem-text.js';
import { insertJinshui, XICAI, YANGGUANG } from '../fixtures/areas/fixtures.js';
import { HEADERS, ID_NUMBERS, id18, insertGridsAndBuildings, NAMES, PEOPLE, postRegister, registerCsv, registerXlsx } from '../fixtures/population/register.js';

let t: TestApp;
let db: TestDatabase;
let app: FastifyInstance;
let cookie: string;
let building: Record<string, number>;
const logLines: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase('empty');
  await insertJinshui(db.pool);
  building = await insertGridsAndBuildings(db.pool);
  const config = loadConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'debug', DEMO: 'true', LOGIN_RATE_PER_MINUTE: '1000' });
  app = await buildApp({ config, pool: db.pool, serveWeb: false, logStream: { write: (line) => void logLines.push(line) } });
  await app.ready();
  t = { app, db, loginAs: async () => '', close: async () => {} };
  const planner = DEMO_ACCOUNTS.find((a) => a.role === 'planner')!;
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: planner.username, password: planner.password } });
  cookie = sessionCookie(login);
});
afterAll(async () => {
  await app?.close();
  await db?.drop();
});

async function buildingCounts() {
  const { rows } = await db.pool.query<{ name: string; h: number; r: number; s60: number; s80: number }>(
    'SELECT name, households AS h, residents AS r, residents_60_plus AS s60, residents_80_plus AS s80 FROM building ORDER BY name');
  return Object.fromEntries(rows.map((b) => [b.name, [b.h, b.r, b.s60, b.s80]]));
}
async function gridCounts() {
  const { rows } = await db.pool.query<{ code: string; h: number; r: number; s60: number; s80: number }>(
    'SELECT code, households AS h, residents AS r, residents_60_plus AS s60, residents_80_plus AS s80 FROM grid ORDER BY code');
  return Object.fromEntries(rows.map((g) => [g.code, [g.h, g.r, g.s60, g.s80]]));
}
async function state() {
  const audit = await db.pool.query("SELECT count(*)::int AS n FROM audit_log WHERE action = 'population.register_import'");
  const assignments = await db.pool.query('SELECT count(*)::int AS n FROM building_address_assignment');
  return { buildings: await buildingCounts(), grids: await gridCounts(), audits: audit.rows[0].n, assignments: assignments.rows[0].n };
}

describe('resident register import', () => {
  it('previews the match rate and the unmatched address, masked, reading .xlsx and CSV alike', async () => {
    const before = await state();
    const xlsx = await postRegister(t, cookie, 'preview', '实有人口.xlsx', await registerXlsx(PEOPLE));
    expect(xlsx.statusCode, xlsx.body).toBe(200);
    const preview = xlsx.json();
    expect(preview.residents).toBe(11);
    // By hand: 张伟, 陈静, 赵敏, 黄强, 周杰 write the building's name exactly (compound + building);
    // 李娜 (一号楼), 王芳 (１栋), 刘洋 (1幢), 杨磊 (锦华 2 栋) match normalised; 花苑 is unmatched (2 people).
    expect(preview.matched).toEqual({ exact: 5, normalised: 4, assigned: 0 });
    expect(preview.unmatchedResidents).toBe(2);
    expect(preview.matchRate).toBeCloseTo(9 / 11, 6);
    expect(preview.unmatched).toEqual([{
      addressKey: `${YANGGUANG}|花苑|5`, communityCode: YANGGUANG, communityName: '阳光社区居民委员会',
      address: '阳光社区居民委员会 花苑 5号楼（3单元）', units: ['3'], residents: 2,
    }]);
    expect(preview.communities).toEqual([
      { code: YANGGUANG, name: '阳光社区居民委员会', residents: 9, matchedResidents: 7 },
      { code: XICAI, name: '西彩社区居民委员会', residents: 2, matchedResidents: 2 },
    ]);
    expect(JSON.stringify(preview)).not.toMatch(/601|H008|吴刚/);
    const csv = await postRegister(t, cookie, 'preview', '实有人口.csv', registerCsv(PEOPLE));
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.json()).toEqual(preview);
    expect(await state()).toEqual(before);
  });

  it('commits the counts of every building, by hand count, and re-counts the grids from them', async () => {
    const res = await postRegister(t, cookie, 'commit', '实有人口.xlsx', await registerXlsx(PEOPLE));
    expect(res.statusCode, res.body).toBe(200);
    // [households, residents, 60+, 80+]
    expect(await buildingCounts()).toEqual({
      锦华小区1号楼: [3, 4, 2, 1], // H001 H002 H003; 张伟 (60 today) and 王芳 (80 today); 刘洋 is 59 today
      锦华小区2号楼: [1, 2, 2, 1], // H004; 陈静 86, 杨磊 76 (15-digit card)
      锦华小区3号楼: [1, 1, 0, 0], // 赵敏; the 99 before is replaced
      西彩小区1号楼: [2, 2, 1, 0], // 黄强 is 79 until tomorrow
      西彩小区2号楼: [0, 0, 0, 0], // no one registered: emptied
      花园小区5号楼: [0, 0, 0, 0], // 花苑5号楼 not matched
    });
    expect(await gridCounts()).toEqual({
      '410105006001001': [4, 6, 4, 2],
      '410105006001002': [1, 1, 0, 0],
      '410105006002001': [2, 2, 1, 0],
      '410105006002002': [50, 100, 0, 0], // no buildings: keeps its entered figures
    });
    const { rows } = await db.pool.query("SELECT detail FROM audit_log WHERE action = 'population.register_import' AND success");
    expect(rows).toHaveLength(1);
    expect(rows[0].detail).toMatchObject({ residents: 11, unmatchedResidents: 2, totals: { households: 7, residents: 9, residents60Plus: 5, residents80Plus: 2 } });
  });

  it('takes the planner’s assignment of an unmatched address, and remembers it for the next register', async () => {
    const assignments = JSON.stringify([{ addressKey: `${YANGGUANG}|花苑|5`, buildingId: building['花园小区5号楼'] }]);
    const preview = await postRegister(t, cookie, 'preview', '实有人口.xlsx', await registerXlsx(PEOPLE), { assignments });
    expect(preview.json()).toMatchObject({ matched: { exact: 5, normalised: 4, assigned: 2 }, unmatchedResidents: 0, matchRate: 1, unmatched: [] });
    const res = await postRegister(t, cookie, 'commit', '实有人口.xlsx', await registerXlsx(PEOPLE), { assignments });
    expect(res.statusCode, res.body).toBe(200);
    expect((await buildingCounts())['花园小区5号楼']).toEqual([1, 2, 2, 1]); // 吴刚 71 (60+), 郑洁 96 (80+), one household
    expect((await gridCounts())['410105006001002']).toEqual([2, 3, 2, 1]);
    const { rows } = await db.pool.query('SELECT address_key, building_id::int FROM building_address_assignment');
    expect(rows).toEqual([{ address_key: `${YANGGUANG}|花苑|5`, building_id: building['花园小区5号楼'] }]);
    // The next register, without any assignment sent, matches the address by the stored one.
    const again = await postRegister(t, cookie, 'preview', 'next.csv', registerCsv(PEOPLE));
    expect(again.json()).toMatchObject({ matched: { assigned: 2 }, unmatchedResidents: 0 });
  });

  it('refuses an assignment to a building outside the register’s communities', async () => {
    const { rows } = await db.pool.query<{ id: number }>(
      `INSERT INTO building (name, kind, geom, households, residents, residents_60_plus, residents_80_plus)
       VALUES ('远处1号楼', 'building', ST_SetSRID(ST_MakePoint(113.69, 34.77), 4326), 0, 0, 0, 0) RETURNING id::int`);
    const assignments = JSON.stringify([{ addressKey: `${YANGGUANG}|花苑|5`, buildingId: rows[0]!.id }]);
    const res = await postRegister(t, cookie, 'preview', 'r.csv', registerCsv(PEOPLE), { assignments });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/assignments\[0\]: building \d+ is not a building of the register/);
    await db.pool.query('DELETE FROM building WHERE id = $1', [rows[0]!.id]);
  });

  describe('bad input: a 4xx naming row and column, and nothing written', () => {
    const spoil = (row: number, column: number, value: string) => PEOPLE.map((p, i) => (i === row ? p.map((c, j) => (j === column ? value : c)) : p));

    it.each([
      ['a check character that does not match', () => spoil(2, 1, `${ID_NUMBERS[2]!.slice(0, 17)}${ID_NUMBERS[2]!.endsWith('0') ? '1' : '0'}`), 4, '公民身份号码', 'idCheckDigit'],
      ['an empty ID number', () => spoil(4, 1, ''), 6, '公民身份号码', 'idMissing'],
      ['an impossible birth date (31 April)', () => spoil(0, 1, id18('410105', '19660431', '011')), 2, '公民身份号码', 'idBirthDate'],
      ['a 15-digit number with 30 February', () => spoil(5, 1, '410105500230061'), 7, '公民身份号码', 'idBirthDate'],
      ['an unknown community', () => spoil(8, 3, '不存在社区'), 10, '社区', 'communityUnknown'],
      ['an empty building', () => spoil(7, 5, ''), 9, '楼栋', 'buildingMissing'],
    ])('%s', async (_name, rows, rowNumber, column, kind) => {
      const before = await state();
      for (const [file, bytes] of [['r.xlsx', await registerXlsx(rows())], ['r.csv', registerCsv(rows())]] as const) {
        for (const step of ['preview', 'commit'] as const) {
          const res = await postRegister(t, cookie, step, file, bytes);
          expect(res.statusCode, res.body).toBe(422);
          const body = res.json();
          expect(body.message).toContain(`row ${rowNumber}, column ${column}`);
          expect(body.details.errors).toEqual([expect.objectContaining({ row: rowNumber, column, kind, code: `population.${kind}` })]);
          // The refusal quotes the row problem as a phrase: the web says it all in Chinese, and in English as the message.
          const problem = body.details.errors[0];
          expect(body.params.first).toEqual([{ code: 'population.rowProblemAt', params: { row: rowNumber, column, problem: { code: problem.code, params: problem.params } } }]);
          expect(webText(body)).toBe(`文件 ${file} 有 1 处行错误，未导入任何数据 — 第 ${rowNumber} 行“${column}”：${webText(problem)}`);
          expect(webText(body, 'en')).toBe(body.message);
          expect(webText(problem, 'en')).toBe(problem.message);
          for (const id of ID_NUMBERS) expect(res.body).not.toContain(id);
        }
      }
      expect(await state()).toEqual(before);
    });

    it('a community name two streets share, unless the street is given', async () => {
      const rows = PEOPLE.map((p) => [...p]);
      rows[0]![3] = '丰乐社区';
      rows[0]![2] = '';
      const res = await postRegister(t, cookie, 'preview', 'r.csv', registerCsv(rows));
      expect(res.statusCode).toBe(422);
      expect(res.json().details.errors[0]).toMatchObject({ row: 2, column: '社区', kind: 'communityAmbiguous', code: 'population.communityAmbiguous', params: { community: '丰乐社区', count: 2 } });
      expect(webText(res.json().details.errors[0])).toMatch(/^丰乐社区 对应 2 个社区（.+410105006007.*）；请增加“街道”列$/);
      rows[0]![2] = '南阳路街道';
      const ok = await postRegister(t, cookie, 'preview', 'r.csv', registerCsv(rows));
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json().communities.map((c: { code: string }) => c.code)).toContain('410105006007');
    });

    it('missing columns: 400 naming row 1 and the columns', async () => {
      const before = await state();
      const headers = HEADERS.map((h) => (h === '公民身份号码' ? '证件' : h === '楼栋' ? '楼' : h));
      const res = await postRegister(t, cookie, 'commit', 'r.xlsx', await registerXlsx(PEOPLE, headers));
      expect(res.statusCode).toBe(400);
      expect(res.json().message).toMatch(/row 1: no column for idNumber \(公民身份号码 \/ 身份证号\), building \(楼栋 \/ 楼号\)/);
      expect(await state()).toEqual(before);
    });

    it('a file that is not a workbook, and a register of another district for a scoped planner', async () => {
      const res = await postRegister(t, cookie, 'preview', 'r.xlsx', Buffer.from('not a zip at all'));
      expect(res.statusCode).toBe(400);
      expect(res.json().message).toMatch(/not an \.xlsx workbook/);
      const { rows: users } = await db.pool.query("SELECT id FROM app_user WHERE role = 'planner' LIMIT 1");
      await db.pool.query("UPDATE app_user SET scope_area_code = '410105007' WHERE id = $1", [users[0].id]);
      try {
        const scoped = await postRegister(t, cookie, 'preview', 'r.csv', registerCsv(PEOPLE));
        expect(scoped.statusCode).toBe(422);
        expect(scoped.json().details.errors[0]).toMatchObject({ row: 2, column: '社区', kind: 'communityUnknown' });
        expect(scoped.json().details.errors[0].message).toContain('within your area 410105007');
      } finally {
        await db.pool.query('UPDATE app_user SET scope_area_code = NULL WHERE id = $1', [users[0].id]);
      }
    });
  });

  it('lists a community’s buildings for assigning on the map, within the planner’s area', async () => {
    const res = await app.inject({ method: 'GET', url: `/api/population-register/buildings?community=${YANGGUANG}`, headers: { cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.json().map((b: { name: string }) => b.name)).toEqual(['锦华小区1号楼', '锦华小区2号楼', '锦华小区3号楼', '花园小区5号楼']);
  });

  it('privacy: no name or ID number of the register in a dump of the database or in the log', async () => {
    // A job run as well, so that its path is in the log too.
    const start = await postRegister(t, cookie, 'commit', '实有人口.xlsx', await registerXlsx(PEOPLE), { async: 'true' });
    expect(start.statusCode, start.body).toBe(202);
    let job = start.json();
    for (let i = 0; i < 100 && job.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      job = (await app.inject({ method: 'GET', url: `/api/population-register/jobs/${job.id}`, headers: { cookie } })).json();
    }
    expect(job.status, JSON.stringify(job)).toBe('done');
    const found = findBinaries();
    const pgDump = 'binDir' in found ? path.join(found.binDir, 'pg_dump') : 'pg_dump';
    const dump = spawnSync(pgDump, ['--format=plain', '--data-only', `--dbname=${db.url}`], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
    expect(dump.status, dump.stderr).toBe(0);
    expect(dump.stdout).toContain('锦华小区1号楼'); // the dump is readable text with the buildings in it
    expect(dump.stdout).toContain('population.register_import');
    const log = logLines.join('');
    expect(log).toContain('/api/population-register/commit');
    const birthDates = ID_NUMBERS.map((id) => id.slice(6, 14)).filter((d) => d.length === 8);
    for (const secret of [...NAMES, ...ID_NUMBERS, ...birthDates]) {
      expect(dump.stdout.includes(secret), `dump has ${secret}`).toBe(false);
      expect(log.includes(secret), `log has ${secret}`).toBe(false);
    }
  });

  it('privacy: no name or ID number of the register in a temporary file', async () => {
    // The app's temporary files go to os.tmpdir(): a fresh folder for this test, searched afterwards
    // (file names and contents) after previews and imports of .xlsx and CSV, at once and as a job.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wangge-register-privacy-'));
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = dir;
    try {
      expect(os.tmpdir()).toBe(dir);
      for (const [file, bytes] of [['实有人口.xlsx', await registerXlsx(PEOPLE)], ['实有人口.csv', registerCsv(PEOPLE)]] as const) {
        expect((await postRegister(t, cookie, 'preview', file, bytes)).statusCode).toBe(200);
        expect((await postRegister(t, cookie, 'commit', file, bytes)).statusCode).toBe(200);
        const start = await postRegister(t, cookie, 'commit', file, bytes, { async: 'true' });
        expect(start.statusCode, start.body).toBe(202);
        let job = start.json();
        for (let i = 0; i < 100 && job.status === 'running'; i++) {
          await new Promise((r) => setTimeout(r, 50));
          job = (await app.inject({ method: 'GET', url: `/api/population-register/jobs/${job.id}`, headers: { cookie } })).json();
        }
        expect(job.status, JSON.stringify(job)).toBe('done');
      }
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
    const files = fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
    const birthDates = ID_NUMBERS.map((id) => id.slice(6, 14)).filter((d) => d.length === 8);
    for (const file of files) {
      const text = fs.readFileSync(file).toString('utf8');
      for (const secret of [...NAMES, ...ID_NUMBERS, ...birthDates]) {
        expect(file.includes(secret), `temporary file name ${file} has ${secret}`).toBe(false);
        expect(text.includes(secret), `temporary file ${file} has ${secret}`).toBe(false);
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
