/**
 * Things that tripped people up in daily use, through the API against real PostGIS: refusals carry
 * a stable code the web says in the user's language (the observed overlap, schema validation, a
 * wrong login); an outline change needs a reason; a drawn grid is named "<社区名>第N网格"; a
 * renumbered grid's name follows its code unless a planner gave it a name of their own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { communityShortName } from '../../server/demo/names.js';
import { REFUSALS, isRefusalCode, renderTemplate, type RefusalParams } from '../../server/shared/refusals.js';

let t: TestApp;
let planner: string;
beforeAll(async () => {
  t = await createTestApp();
  planner = await t.loginAs('planner');
});
afterAll(async () => t?.close());

const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, cookie = planner) =>
  t.app.inject({ method, url, payload, headers: { cookie } });

/** What the web shows in zh-CN for a reply (the same renderer and templates as web/src/api/refusal-text.ts). */
const chinese = (body: { code: string; params: RefusalParams }) =>
  renderTemplate(REFUSALS[body.code as keyof typeof REFUSALS].zh, body.params, 'zh-CN', (c) => (isRefusalCode(c) ? REFUSALS[c].zh : undefined));

async function adjacentPair(offset = 0) {
  const { rows: [pair] } = await t.db.pool.query(
    `SELECT a.id AS a, b.id AS b FROM grid a JOIN grid b ON a.community_code = b.community_code AND a.id < b.id
      WHERE a.retired_at IS NULL AND b.retired_at IS NULL AND a.grid_type = 'comprehensive' AND b.grid_type = 'comprehensive'
        AND ST_Length(ST_Intersection(a.geom, b.geom)::geography) > 150
      ORDER BY a.community_code DESC, a.id OFFSET $1 LIMIT 1`, [offset]);
  const { rows } = await t.db.pool.query(
    `SELECT id, code, name, version, community_code AS community, ST_AsGeoJSON(geom)::json AS geometry FROM grid WHERE id = ANY($1::bigint[]) ORDER BY id`,
    [[pair.a, pair.b]]);
  return rows as { id: number; code: string; name: string; version: number; community: string; geometry: { coordinates: number[][][][] } }[];
}

const shiftedEast = (g: { geometry: { coordinates: number[][][][] } }, degrees = 0.0004) =>
  ({ type: 'MultiPolygon', coordinates: g.geometry.coordinates.map((p) => p.map((r) => r.map(([x, y]) => [x! + degrees, y!]))) });

describe('refusals in the reader’s language', () => {
  it('sends the overlap with its code and figures; in Chinese it reads fully Chinese with thousands separators', async () => {
    const [a] = await adjacentPair();
    const res = await call('PATCH', `/api/grids/${a!.id}`, { version: a!.version, geometry: shiftedEast(a!, 0.002), reason: '边界调整' });
    expect(res.statusCode).toBe(422);
    const body = res.json();
    expect(body.code).toBe('grids.overlap');
    expect(body.message).toMatch(new RegExp(`^grid ${a!.code} would overlap grid`)); // English for API users
    const area = body.details.overlaps[0].areaSquareMeters as number;
    expect(area).toBeGreaterThan(1000); // so that the separator shows
    const text = chinese(body);
    expect(text).toContain(`网格 ${a!.code} 与网格 ${body.details.overlaps[0].code}`);
    expect(text).toContain(`${new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 0 }).format(area)} 平方米`);
    expect(text).toMatch(/\d,\d{3} 平方米/);
    expect(text.replace(/\d[\d,.]*/g, '')).not.toMatch(/[A-Za-z]/);
  });

  it('names the field of a schema-validation failure with a code', async () => {
    const [a] = await adjacentPair();
    const res = await call('PATCH', `/api/grids/${a!.id}`, { name: 'x' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'validation.required', params: { field: 'body/version' } });
    expect(chinese(res.json())).toBe('缺少必填项 body/version');
  });

  it('refuses a wrong login with a code', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'nobody-here', password: 'wrong password 1' } });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'auth.wrongCredentials', message: 'Wrong username or password' });
  });
});

describe('a change of outline needs a reason', () => {
  it('refuses an outline edit, a split and a merge without 变更原因, and changes nothing', async () => {
    const [a, b] = await adjacentPair(1);
    const noReason = await call('PATCH', `/api/grids/${a!.id}`, { version: a!.version, geometry: a!.geometry });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().code).toBe('grids.reasonRequired');
    const blank = await call('POST', '/api/grids/merge', { grids: [{ id: a!.id, version: a!.version }, { id: b!.id, version: b!.version }], reason: '  ' });
    expect(blank.json().code).toBe('grids.reasonRequired');
    const [x, y] = a!.geometry.coordinates[0]![0]![0]!;
    const split = await call('POST', `/api/grids/${a!.id}/split`, { version: a!.version, line: { type: 'LineString', coordinates: [[x! - 0.01, y!], [x! + 0.01, y!]] } });
    expect(split.json().code).toBe('grids.reasonRequired');
    const { rows: [after] } = await t.db.pool.query(`SELECT version FROM grid WHERE id = $1`, [a!.id]);
    expect(after.version).toBe(a!.version);
    // A change of name alone needs none.
    const renamed = await call('PATCH', `/api/grids/${a!.id}`, { version: a!.version, name: a!.name });
    expect(renamed.statusCode, renamed.body).toBe(200);
  });
});

describe('grid names follow the numbering', () => {
  it('names a drawn grid "<社区名>第N网格" after its code', async () => {
    const [a] = await adjacentPair(2);
    const { rows: [last] } = await t.db.pool.query(
      `SELECT id, code, version FROM grid WHERE community_code = $1 AND retired_at IS NULL AND code < $1 || '901' ORDER BY code DESC LIMIT 1`, [a!.community]);
    expect((await call('POST', `/api/grids/${last.id}/retire`, { version: last.version, reason: '拆除' })).statusCode).toBe(200);
    const { rows: [hole] } = await t.db.pool.query(`SELECT ST_AsGeoJSON(ST_Buffer(ST_PointOnSurface(geom)::geography, 15, 4)::geometry)::json AS geometry FROM grid WHERE id = $1`, [last.id]);
    const res = await call('POST', '/api/grids', { communityCode: a!.community, geometry: hole.geometry, reason: '新建' });
    expect(res.statusCode, res.body).toBe(200);
    const { rows: [created] } = await t.db.pool.query(`SELECT code, name FROM grid WHERE code = $1`, [res.json().grids[0].code]);
    const { rows: [community] } = await t.db.pool.query(`SELECT name FROM admin_area WHERE code = $1`, [a!.community]);
    expect(created.name).toMatch(/^.+第\d+网格$/);
    expect(created.name).toBe(`${communityShortName(community.name)}第${Number(created.code.slice(12))}网格`);
    expect(created.name).not.toMatch(/^网格\d/);
  });

  it('renames a renumbered grid unless a planner gave it a name of its own', async () => {
    const { rows: [c] } = await t.db.pool.query(
      `SELECT community_code AS code FROM grid WHERE retired_at IS NULL AND grid_type = 'comprehensive'
        GROUP BY community_code HAVING count(*) >= 4 ORDER BY community_code LIMIT 1`);
    const { rows: grids } = await t.db.pool.query(`SELECT id, code, name, version FROM grid WHERE community_code = $1 AND retired_at IS NULL AND grid_type = 'comprehensive' ORDER BY code LIMIT 3`, [c.code]);
    // The planner names the third grid; then the first two swap codes by hand, as a renumbering would.
    const named = await call('PATCH', `/api/grids/${grids[2].id}`, { version: grids[2].version, name: '幸福里网格' });
    expect(named.statusCode, named.body).toBe(200);
    await t.db.pool.query(`BEGIN; SET CONSTRAINTS grid_code_key DEFERRED;
      UPDATE grid SET code = '${grids[1].code}' WHERE id = ${grids[0].id}; UPDATE grid SET code = '${grids[0].code}' WHERE id = ${grids[1].id}; COMMIT;`);
    const preview = (await call('GET', `/api/communities/${c.code}/encoding-preview`)).json();
    const apply = await call('POST', `/api/communities/${c.code}/encode`, { rows: preview.rows.map((r: { gridId: number; version: number; newCode: string }) => ({ gridId: r.gridId, version: r.version, newCode: r.newCode })), reason: '统一编码' });
    expect(apply.statusCode, apply.body).toBe(200);
    const { rows: after } = await t.db.pool.query(`SELECT id, code, name FROM grid WHERE id = ANY($1::bigint[]) ORDER BY id`, [grids.map((g: { id: number }) => g.id)]);
    const changed = preview.rows.filter((r: { changed: boolean }) => r.changed);
    expect(changed.length).toBeGreaterThan(0);
    for (const g of after) {
      if (g.id === grids[2].id) expect(g.name).toBe('幸福里网格');
      else expect(g.name).toMatch(new RegExp(`第${Number(g.code.slice(12))}网格$`));
    }
  });
});
