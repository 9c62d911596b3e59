/**
 * Figures that stay true on the demo district: a grid's figures are the sum of its buildings
 * after every outline change — drawing a grid in place of a retired one, merging, splitting,
 * reshaping an edge, restoring versions — and a community's total never moves while its
 * buildings stay where they are (the bug: a redraw and a merge lost households).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
let planner: string;
beforeAll(async () => {
  t = await createTestApp();
  planner = await t.loginAs('planner');
});
afterAll(async () => t?.close());

const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) => t.app.inject({ method, url, payload, headers: { cookie: planner } });

/** Each live grid of the community: its figures and, counted by hand here, its buildings' sum. */
async function community(code: string) {
  const { rows } = await t.db.pool.query(
    `SELECT g.id, g.code, g.version, g.households, g.residents, g.residents_60_plus AS r60, g.residents_80_plus AS r80,
            coalesce(sum(b.households), 0)::int AS b_households, coalesce(sum(b.residents), 0)::int AS b_residents,
            coalesce(sum(b.residents_60_plus), 0)::int AS b_r60, coalesce(sum(b.residents_80_plus), 0)::int AS b_r80, count(b.id)::int AS buildings
       FROM grid g
       LEFT JOIN building b ON b.retired_at IS NULL AND ST_Covers(g.geom, b.geom)
        AND NOT EXISTS (SELECT 1 FROM grid o WHERE o.retired_at IS NULL AND o.code < g.code AND ST_Covers(o.geom, b.geom))
      WHERE g.community_code = $1 AND g.retired_at IS NULL
      GROUP BY g.id ORDER BY g.code`, [code]);
  return { grids: rows, households: rows.reduce((s, r) => s + r.households, 0), residents: rows.reduce((s, r) => s + r.residents, 0) };
}
function expectTrue(grids: { code: string; households: number; residents: number; r60: number; r80: number; b_households: number; b_residents: number; b_r60: number; b_r80: number; buildings: number }[]) {
  for (const g of grids.filter((x) => x.buildings > 0)) {
    expect([g.code, g.households, g.residents, g.r60, g.r80]).toEqual([g.code, g.b_households, g.b_residents, g.b_r60, g.b_r80]);
  }
}
const outline = async (id: number) => (await t.db.pool.query(`SELECT ST_AsGeoJSON(geom)::json AS g FROM grid WHERE id = $1`, [id])).rows[0].g;

/** Two live comprehensive grids of one community, sharing an edge, both holding buildings. */
async function adjacentPair(offset: number) {
  const { rows: [pair] } = await t.db.pool.query(
    `SELECT a.id AS a, b.id AS b, a.community_code AS community FROM grid a JOIN grid b ON a.community_code = b.community_code AND a.id < b.id
      WHERE a.retired_at IS NULL AND b.retired_at IS NULL AND a.grid_type = 'comprehensive' AND b.grid_type = 'comprehensive'
        AND ST_Length(ST_Intersection(a.geom, b.geom)::geography) > 150
        AND a.households > 0 AND b.households > 0
        AND NOT EXISTS (SELECT 1 FROM grid_version v JOIN grid o ON o.id = v.grid_id WHERE o.community_code = a.community_code)
      ORDER BY a.community_code, a.id OFFSET $1 LIMIT 1`, [offset]);
  return pair as { a: number; b: number; community: string };
}
const version = async (id: number) => (await t.db.pool.query(`SELECT version FROM grid WHERE id = $1`, [id])).rows[0].version as number;

describe('figures that stay true', () => {
  it('the demo grids carry the sums of their buildings', async () => {
    const { a, community: code } = await adjacentPair(0);
    expect(a).toBeGreaterThan(0);
    expectTrue((await community(code)).grids);
  });

  it('a grid drawn in place of a retired one counts its buildings at once, and a merge keeps the community total', async () => {
    const { a, b, community: code } = await adjacentPair(0);
    const before = await community(code);
    const geometry = await outline(a);
    const retired = await call('POST', `/api/grids/${a}/retire`, { version: await version(a), reason: '重画' });
    expect(retired.statusCode, retired.body).toBe(200);
    const drawn = await call('POST', '/api/grids', { communityCode: code, geometry, name: '重画网格' });
    expect(drawn.statusCode, drawn.body).toBe(200);
    const n = drawn.json().grids[0].id;
    const redrawn = await community(code);
    expect(redrawn.grids.find((g) => g.id === n)!.households).toBeGreaterThan(0);
    expect(redrawn.households).toBe(before.households);
    expect(redrawn.residents).toBe(before.residents);
    expectTrue(redrawn.grids);

    const merged = await call('POST', '/api/grids/merge', { grids: [{ id: n, version: await version(n) }, { id: b, version: await version(b) }], reason: '测试' });
    expect(merged.statusCode, merged.body).toBe(200);
    const after = await community(code);
    expect(after.households).toBe(before.households);
    expect(after.residents).toBe(before.residents);
    expectTrue(after.grids);

    // The merged grid split again: each part counts its own buildings, the total stays.
    const keep = n; // the first grid named keeps its code
    const { rows: [cut] } = await t.db.pool.query(
      `SELECT ST_XMin(geom) - 0.001 AS x0, ST_XMax(geom) + 0.001 AS x1, ST_Y(ST_PointOnSurface(geom)) AS y FROM grid WHERE id = $1`, [keep]);
    const split = await call('POST', `/api/grids/${keep}/split`, { version: await version(keep), line: { type: 'LineString', coordinates: [[cut.x0, cut.y], [cut.x1, cut.y]] }, reason: '测试' });
    expect(split.statusCode, split.body).toBe(200);
    const afterSplit = await community(code);
    expect(afterSplit.households).toBe(before.households);
    expectTrue(afterSplit.grids);
  });

  it('reshaping an edge and restoring both grids re-count from the buildings', async () => {
    const { a, b, community: code } = await adjacentPair(1);
    const before = await community(code);
    // Grown by the least of 40, 80, … 200 m that takes at least one of b's buildings.
    const { rows: [g] } = await t.db.pool.query(
      `SELECT ST_AsGeoJSON(x.grown)::json AS grown FROM grid a, grid b,
              generate_series(40, 200, 40) AS m,
              LATERAL (SELECT ST_Intersection(ST_Buffer(a.geom::geography, m)::geometry, ST_Union(a.geom, b.geom)) AS grown) x
        WHERE a.id = $1 AND b.id = $2
          AND EXISTS (SELECT 1 FROM building k WHERE ST_Covers(b.geom, k.geom) AND NOT ST_Intersects(a.geom, k.geom) AND ST_Covers(x.grown, k.geom) AND k.households > 0)
        ORDER BY m LIMIT 1`, [a, b]);
    expect(g).toBeDefined();
    const va = await version(a);
    const vb = await version(b);
    const reshaped = await call('POST', '/api/grids/reshape', { a: { id: a, version: va }, b: { id: b, version: vb }, geometry: g.grown, reason: '测试' });
    expect(reshaped.statusCode, reshaped.body).toBe(200);
    const after = await community(code);
    const moved = after.grids.find((x) => x.id === a)!.households - before.grids.find((x) => x.id === a)!.households;
    expect(moved).toBeGreaterThan(0); // the grown grid took buildings from its neighbour
    expect(after.households).toBe(before.households);
    expectTrue(after.grids);

    const restored = await call('POST', '/api/grids/restore', { grids: [
      { id: a, version: await version(a), toVersion: va }, { id: b, version: await version(b), toVersion: vb }] });
    expect(restored.statusCode, restored.body).toBe(200);
    const back = await community(code);
    expect(back.grids.map((x) => [x.code, x.households])).toEqual(before.grids.map((x) => [x.code, x.households]));
    expectTrue(back.grids);
  });
});

describe('buildings edited one by one', () => {
  const building = async (id: number) => (await call('GET', `/api/buildings/${id}`)).json();

  it('moving a building to the next grid, editing its figures and retiring it re-count both grids; each step is a version', async () => {
    const { a, b, community: code } = await adjacentPair(2);
    const before = await community(code);
    const { rows: [k] } = await t.db.pool.query(
      `SELECT k.id::int FROM building k, grid g WHERE g.id = $1 AND k.retired_at IS NULL AND ST_Covers(g.geom, k.geom) AND k.households > 0
        AND NOT EXISTS (SELECT 1 FROM grid o WHERE o.id <> g.id AND o.retired_at IS NULL AND ST_Covers(o.geom, k.geom)) ORDER BY k.id LIMIT 1`, [a]);
    const { rows: [target] } = await t.db.pool.query(`SELECT ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM grid WHERE id = $1`, [b]);
    const start = await building(k.id);
    const grid = (id: number, c: Awaited<ReturnType<typeof community>>) => c.grids.find((g) => g.id === id)!;

    const moved = await call('PATCH', `/api/buildings/${k.id}`, { version: start.version, lon: target.lon, lat: target.lat, reason: '位置更正' });
    expect(moved.statusCode, moved.body).toBe(200);
    const afterMove = await community(code);
    expect(grid(a, afterMove).households).toBe(grid(a, before).households - start.households);
    expect(grid(b, afterMove).households).toBe(grid(b, before).households + start.households);
    expect(afterMove.households).toBe(before.households);
    expectTrue(afterMove.grids);

    const edited = await call('PATCH', `/api/buildings/${k.id}`, { version: start.version + 1, households: start.households + 7 });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(grid(b, await community(code)).households).toBe(grid(b, before).households + start.households + 7);
    const stale = await call('PATCH', `/api/buildings/${k.id}`, { version: start.version, households: 1 });
    expect(stale.statusCode).toBe(409);
    const bad = await call('PATCH', `/api/buildings/${k.id}`, { version: start.version + 2, residents60Plus: start.residents + 1 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/residents60Plus: 60\+ \(\d+\) is more than the residents/);
    const outside = await call('PATCH', `/api/buildings/${k.id}`, { version: start.version + 2, lon: 100, lat: 30 });
    expect(outside.statusCode).toBe(422);
    expect(outside.json().message).toMatch(/outside every grid/);

    const retired = await call('POST', `/api/buildings/${k.id}/retire`, { version: start.version + 2, reason: '拆除' });
    expect(retired.statusCode, retired.body).toBe(200);
    const afterRetire = await community(code);
    expect(grid(b, afterRetire).households).toBe(grid(b, before).households);
    expect(afterRetire.households).toBe(before.households - start.households);
    const history = (await call('GET', `/api/buildings/${k.id}/history`)).json();
    expect(history.map((v: { action: string }) => v.action)).toEqual(['retire', 'update', 'move']);

    const added = await call('POST', '/api/buildings', { name: '新楼', kind: 'building', address: '新路1号', buildingCode: null, lon: target.lon, lat: target.lat, households: 5, residents: 9, residents60Plus: 2, residents80Plus: 1 });
    expect(added.statusCode, added.body).toBe(200);
    expect(added.json()).toMatchObject({ communityCode: code, version: 1 });
    expect(grid(b, await community(code)).households).toBe(grid(b, before).households + 5);
  });

  it('a building drawn as a footprint sits at its inner point; the reply shows its grid before and after; bad footprints change nothing', async () => {
    const { b, community: code } = await adjacentPair(3);
    const before = await community(code);
    const gridB = before.grids.find((g) => g.id === b)!;
    // An L-shaped footprint inside grid b, whose centroid lies outside the L (in the notch).
    const { rows: [c] } = await t.db.pool.query(
      `SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(geom) AS p FROM grid WHERE id = $1) x`, [b]);
    const d = 0.00015;
    const ring = [[0, 0], [2, 0], [2, 0.5], [0.5, 0.5], [0.5, 2], [0, 2], [0, 0]].map(([x, y]) => [c.lon + (x! - 0.25) * d, c.lat + (y! - 0.25) * d]);
    const footprint = { type: 'Polygon', coordinates: [ring] };
    const { rows: [inside] } = await t.db.pool.query(`SELECT bool_and(ST_Covers(g.geom, ST_SetSRID(ST_GeomFromGeoJSON($2), 4326))) AS ok FROM grid g WHERE g.id = $1`, [b, JSON.stringify(footprint)]);
    expect(inside.ok).toBe(true);
    const count = async () => (await t.db.pool.query(`SELECT count(*)::int AS n FROM building`)).rows[0].n as number;
    const buildingsBefore = await count();

    const bowtie = { type: 'Polygon', coordinates: [[ring[0], ring[2], ring[1], ring[3]!, ring[0]]] };
    const refusals = [
      [await call('POST', '/api/buildings', { name: '自交楼', kind: 'building', address: null, buildingCode: null, footprint: bowtie, households: 1, residents: 1, residents60Plus: 0, residents80Plus: 0 }), 400, /body\/footprint: not a valid polygon/],
      [await call('POST', '/api/buildings', { name: '远方', kind: 'building', address: null, buildingCode: null, footprint: { type: 'Polygon', coordinates: [[[500, 10], [501, 10], [501, 11], [500, 10]]] }, households: 1, residents: 1, residents60Plus: 0, residents80Plus: 0 }), 400, /body\/footprint: its inner point .* is not a longitude\/latitude in China/],
      [await call('POST', '/api/buildings', { name: '未闭合', kind: 'building', address: null, buildingCode: null, footprint: { type: 'Polygon', coordinates: [[[108, 34], [108.001, 34], [108.001, 34.001], [108, 34.002]]] }, households: 1, residents: 1, residents60Plus: 0, residents80Plus: 0 }), 400, /body\/footprint: not a (readable|valid) polygon/],
      [await call('POST', '/api/buildings', { name: '无位置', kind: 'building', address: null, buildingCode: null, households: 1, residents: 1, residents60Plus: 0, residents80Plus: 0 }), 400, /body\/lon: a building needs a point/],
      [await call('POST', '/api/buildings', { name: '两者', kind: 'building', address: null, buildingCode: null, footprint, lon: c.lon, lat: c.lat, households: 1, residents: 1, residents60Plus: 0, residents80Plus: 0 }), 400, /either a point .* or a footprint/],
      [await call('POST', '/api/buildings', { name: '负数', kind: 'building', address: null, buildingCode: null, footprint, households: -3, residents: 1, residents60Plus: 0, residents80Plus: 0 }), 400, /households/],
      [await call('POST', '/api/buildings', { name: '老人多', kind: 'building', address: null, buildingCode: null, footprint, households: 3, residents: 4, residents60Plus: 5, residents80Plus: 0 }), 400, /residents60Plus: 60\+ \(5\) is more than the residents \(4\)/],
      [await call('POST', '/api/buildings', { name: '域外', kind: 'building', address: null, buildingCode: null, lon: 100, lat: 30, households: 3, residents: 4, residents60Plus: 1, residents80Plus: 0 }), 422, /outside every grid/],
    ] as const;
    for (const [reply, status, message] of refusals) {
      expect(reply.statusCode, reply.body).toBe(status);
      expect(reply.json().message).toMatch(message);
    }
    expect(await count()).toBe(buildingsBefore);
    expect((await community(code)).grids.map((g) => [g.id, g.version, g.households])).toEqual(before.grids.map((g) => [g.id, g.version, g.households]));

    const added = await call('POST', '/api/buildings', { name: '拐角楼', kind: 'building', address: '拐角路2号', buildingCode: null, footprint, households: 11, residents: 20, residents60Plus: 6, residents80Plus: 2, reason: '新建' });
    expect(added.statusCode, added.body).toBe(200);
    const body = added.json();
    const { rows: [placed] } = await t.db.pool.query(
      `SELECT ST_Covers(ST_SetSRID(ST_GeomFromGeoJSON($1), 4326), geom) AS on_footprint,
              ST_Equals(geom, ST_PointOnSurface(ST_SetSRID(ST_GeomFromGeoJSON($1), 4326))) AS inner_point,
              ST_Covers(ST_SetSRID(ST_GeomFromGeoJSON($1), 4326), ST_Centroid(ST_SetSRID(ST_GeomFromGeoJSON($1), 4326))) AS centroid_inside
         FROM building WHERE id = $2`, [JSON.stringify(footprint), body.id]);
    expect(placed).toEqual({ on_footprint: true, inner_point: true, centroid_inside: false });
    expect(body.grids).toEqual([expect.objectContaining({
      id: b, code: gridB.code, communityCode: code, households: gridB.households + 11, residents: gridB.residents + 20,
      before: { households: gridB.households, residents: gridB.residents, residents60Plus: gridB.r60, residents80Plus: gridB.r80 },
    })]);
    expectTrue((await community(code)).grids);

    // Redrawn elsewhere in the grid: it moves to the new footprint's inner point.
    const shifted = { type: 'Polygon', coordinates: [ring.map(([x, y]) => [x! + d / 2, y!])] };
    const moved = await call('PATCH', `/api/buildings/${body.id}`, { version: 1, footprint: shifted, reason: '重画轮廓' });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().lon).toBeGreaterThan(body.lon);
    const history = (await call('GET', `/api/buildings/${body.id}/history`)).json();
    expect(history.map((v: { action: string; reason: string }) => [v.action, v.reason])).toEqual([['move', '重画轮廓'], ['create', '新建']]);
  });
});
