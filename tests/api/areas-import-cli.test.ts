/**
 * `npm run areas:import` against a test database (DATABASE_URL), as a scripted install runs it:
 * the match table and nothing written without --commit; --commit applies it all; a file that
 * cannot be imported exits non-zero with the reasons and writes nothing.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../server/paths.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { AREA_FIXTURE_DIR, FENGLE_006, YANGGUANG, insertJinshui } from '../fixtures/areas/fixtures.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('empty');
  await insertJinshui(db.pool, { accounts: false });
});
afterAll(async () => db?.drop());

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(path.join(repoRoot, 'node_modules/.bin/tsx'), ['server/cli/areas-import.ts', ...args], {
      cwd: repoRoot, timeout: 120_000, env: { ...process.env, DATABASE_URL: db.url, LOG_LEVEL: 'silent' },
    }, (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }));
  });
}
const fixture = (name: string) => path.join(AREA_FIXTURE_DIR, name);
const imported = async () => (await db.pool.query(`SELECT code FROM admin_area WHERE outline_source = 'import' ORDER BY code`)).rows.map((r) => r.code);

describe('npm run areas:import', () => {
  it('prints the match table, one line per feature, and imports nothing', async () => {
    const { code, stdout } = await run([fixture('unmatched-and-ambiguous-names.geojson'), '--level', 'community']);
    expect(code).toBe(1);
    const lines = stdout.split('\n');
    expect(lines.find((l) => /^\s+1\s+matched/.test(l))).toMatch(/阳光社区 → 410105006001 阳光社区居民委员会 \(by name without suffix\)/);
    expect(lines.find((l) => /^\s+2\s+ambiguous/.test(l))).toMatch(/one of 410105006007 丰乐社区居民委员会\/南阳路街道, 410105007002 丰乐社区居民委员会\/南阳新村街道/);
    expect(lines.find((l) => /^\s+3\s+unmatched/.test(l))).toMatch(/龙子湖畔社区/);
    expect(stdout).toMatch(/1 matched, 1 unmatched, 1 ambiguous, 0 skipped\./);
    expect(stdout).toMatch(/Nothing imported/);
    expect(await imported()).toEqual([]);
  });

  it('refuses --commit with the reasons while features are unmatched, and writes nothing', async () => {
    const { code, stderr } = await run([fixture('unmatched-and-ambiguous-names.geojson'), '--level', 'community', '--commit']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/nothing was imported: feature 2 \(丰乐社区\): ambiguous/);
    expect(await imported()).toEqual([]);
  });

  it('refuses a file it cannot read, naming it', async () => {
    const { code, stderr } = await run([fixture('missing.geojson')]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/missing\.geojson: no such file/);
  });

  it('commits with --match and --skip, all of it', async () => {
    const { code, stdout, stderr } = await run([fixture('unmatched-and-ambiguous-names.geojson'), '--level', 'community', '--match', `2=${FENGLE_006}`, '--skip', '3', '--commit']);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/Imported the outlines of 2 communities, 1 feature skipped\./);
    expect(await imported()).toEqual([YANGGUANG, FENGLE_006]);
    const { rows: [audit] } = await db.pool.query(`SELECT actor_username, detail FROM audit_log WHERE action = 'area.outline_import'`);
    expect(audit).toMatchObject({ actor_username: 'command line', detail: { imported: 2, skipped: 1 } });
  });
});
