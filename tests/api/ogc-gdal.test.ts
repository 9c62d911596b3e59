/**
 * Real clients of the OGC API: Debian's GDAL (`ogrinfo`/`ogr2ogr`, OAPIF driver) against a
 * listening Wangge. Lists the collections each role may read, with a personal access token as the
 * password of HTTP Basic (GDAL_HTTP_AUTH=BASIC, as QGIS's authentication manager does), and copies
 * a whole collection into a GeoPackage through small pages: the right count and CRS.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../server/modules/auth/roles.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

const run = promisify(execFile);
let t: TestApp;
let root: string;
let dir: string;
const tokens = {} as Record<Role, string>;
const USERNAMES: Record<Role, string> = { admin: 'admin', planner: 'planner', analyst: 'analyst', grid_worker: 'gridworker' };

beforeAll(async () => {
  t = await createTestApp();
  const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
  root = `${address}/ogc`;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wangge-test-oapif-'));
  for (const role of ['admin', 'planner', 'analyst', 'grid_worker'] as Role[]) {
    const cookie = await t.loginAs(role);
    const res = await t.app.inject({ method: 'POST', url: '/api/account/tokens', headers: { cookie }, payload: { name: 'GDAL', expiresInDays: 7, readOnly: true } });
    tokens[role] = res.json().token;
  }
});
afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  await t.close();
});

/** GDAL's options for a role: HTTP Basic with the role's token, or none for the public. */
function credentials(role: Role | null): string[] {
  return role ? ['--config', 'GDAL_HTTP_AUTH', 'BASIC', '--config', 'GDAL_HTTP_USERPWD', `${USERNAMES[role]}:${tokens[role]}`] : [];
}

async function layersFor(role: Role | null): Promise<string[]> {
  const { stdout } = await run('ogrinfo', ['-ro', '-q', ...credentials(role), `OAPIF:${root}`], { timeout: 60_000 });
  // "1: grids (Multi Polygon)" — the layer names, in order.
  return stdout.split('\n').map((line) => /^\d+: (\S+)/.exec(line)?.[1]).filter((n): n is string => !!n).sort();
}

describe('ogrinfo OAPIF: lists what each role may read', () => {
  it('public, grid worker, analyst, planner, admin', async () => {
    expect(await layersFor(null)).toEqual(['areas', 'buildings', 'facilities', 'service-areas']);
    expect(await layersFor('planner')).toEqual(['areas', 'buildings', 'facilities', 'grids', 'service-areas']);
    for (const role of ['grid_worker', 'analyst', 'admin'] as Role[]) {
      expect(await layersFor(role), role).toEqual(['areas', 'buildings', 'facilities', 'grids', 'incidents', 'service-areas']);
    }
  }, 240_000);

  it('a grid worker reads the incidents of their own grids only; a wrong token is refused', async () => {
    const { stdout } = await run('ogrinfo', ['-ro', '-so', ...credentials('grid_worker'), `OAPIF:${root}`, 'incidents'], { timeout: 60_000 });
    const own = (await t.db.pool.query(
      `SELECT count(*)::int AS n FROM incident i WHERE i.grid_id IN (SELECT s.grid_id FROM grid_staff s JOIN app_user u ON u.id = s.user_id WHERE u.username = 'gridworker')`,
    )).rows[0].n;
    expect(own).toBeGreaterThan(0);
    expect(stdout).toContain(`Feature Count: ${own}`);
    const wrong = await run('ogrinfo', ['-ro', '-q', '--config', 'GDAL_HTTP_AUTH', 'BASIC', '--config', 'GDAL_HTTP_USERPWD', `planner:${tokens.analyst}`, `OAPIF:${root}`])
      .then(() => 'opened', (error: { stderr: string }) => error.stderr);
    expect(wrong).toMatch(/401/);
  }, 120_000);
});

describe('ogr2ogr OAPIF → GeoPackage', () => {
  it('copies every live grid through pages of 100, in WGS84 (longitude, latitude), with its attributes', async () => {
    const out = path.join(dir, 'grids.gpkg');
    const before = (await t.db.pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'auth.token_use'`)).rows[0].n;
    const copy = await run('ogr2ogr', ['--debug', 'ON', '-f', 'GPKG', out, ...credentials('planner'), '-oo', 'PAGE_SIZE=100', `OAPIF:${root}`, 'grids'], { timeout: 180_000, maxBuffer: 64 * 1024 * 1024 });
    // GDAL followed the 'next' links: one request per page of 100.
    const pages = new Set(copy.stderr.split('\n').filter((l) => /collections\/grids\/items/.test(l)).map((l) => /after=(\d+)/.exec(l)?.[1] ?? 'first'));
    const { rows } = await t.db.pool.query(`SELECT count(*)::int AS n, min(code) AS first FROM grid WHERE retired_at IS NULL`);
    expect(rows[0].n).toBeGreaterThan(500);
    const { stdout } = await run('ogrinfo', ['-ro', '-so', out, 'grids']);
    expect(stdout).toContain(`Feature Count: ${rows[0].n}`);
    expect(pages.size).toBe(Math.ceil(rows[0].n / 100));
    expect(stdout).toMatch(/ID\["EPSG",4326\]/);
    expect(stdout).toMatch(/code: String/);
    expect(stdout).toMatch(/residents: Integer/);
    const extent = /Extent: \(([\d.]+), ([\d.]+)\) - \(([\d.]+), ([\d.]+)\)/.exec(stdout)!;
    expect(Number(extent[1])).toBeGreaterThan(108); // longitude first: the CRS84 axis order read right
    expect(Number(extent[2])).toBeLessThan(35);
    const first = await run('ogrinfo', ['-ro', '-q', out, '-sql', `SELECT code FROM grids WHERE code = '${rows[0].first}'`]);
    expect(first.stdout).toContain(rows[0].first);
    // Paging happened: the token was used across many requests, and audited once.
    const after = (await t.db.pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'auth.token_use'`)).rows[0].n;
    expect(after - before).toBeLessThanOrEqual(1);
  }, 240_000);

  it('the public copies the public facilities only, without staff fields', async () => {
    const out = path.join(dir, 'facilities.gpkg');
    await run('ogr2ogr', ['-f', 'GPKG', out, '-oo', 'PAGE_SIZE=200', `OAPIF:${root}`, 'facilities'], { timeout: 180_000 });
    const { rows } = await t.db.pool.query(`SELECT count(*)::int AS n FROM facility WHERE is_public AND retired_at IS NULL`);
    const { stdout } = await run('ogrinfo', ['-ro', '-so', out, 'facilities']);
    expect(stdout).toContain(`Feature Count: ${rows[0].n}`);
    expect(stdout).not.toMatch(/capacity:/);
  }, 240_000);
});
