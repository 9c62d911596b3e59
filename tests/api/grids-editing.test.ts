/**
 * Editing grids through the API against real PostGIS: refusal of invalid and overlapping saves,
 * 409 on a stale version, history and restore, split, merge, reshape of a shared edge, encoding
 * after a preview, new codes that never reuse a retired one, and staff data kept to planners.
 */
import { Value } from 'typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { EncodingPreview, GridHistory } from '../../server/modules/grids/schemas.js';

let t: TestApp;
let planner: string;
beforeAll(async () => {
  t = await createTestApp();
  planner = await t.loginAs('planner');
});
afterAll(async () => t?.close());

const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, cookie = planner) =>
  t.app.inject({ method, url, payload, headers: { cookie } });

interface Grid { id: number; code: string; version: number; community: string; geometry: { type: string; coordinates: number[][][][] } }

async function grid(id: number): Promise<Grid> {
  const { rows: [g] } = await t.db.pool.query(
    `SELECT id, code, version, community_code AS community, ST_AsGeoJSON(geom)::json AS geometry FROM grid WHERE id = $1`, [id]);
  return g;
}

/** Two live grids of one community that share an edge (not just a corner), and a community untouched so far. */
async function adjacentPair(offset = 0): Promise<[Grid, Grid]> {
  const { rows: [pair] } = await t.db.pool.query(
    `SELECT a.id AS a, b.id AS b FROM grid a JOIN grid b ON a.community_code = b.community_code AND a.id < b.id
      WHERE a.retired_at IS NULL AND b.retired_at IS NULL AND a.grid_type = 'comprehensive' AND b.grid_type = 'comprehensive'
        AND ST_Length(ST_Intersection(a.geom, b.geom)::geography) > 150
        AND NOT EXISTS (SELECT 1 FROM grid_version v JOIN grid o ON o.id = v.grid_id WHERE o.community_code = a.community_code)
      ORDER BY a.community_code, a.id OFFSET $1 LIMIT 1`, [offset]);
  return [await grid(pair.a), await grid(pair.b)];
}

/**
 * Retires the buildings inside a grid, so that its figures are entered ones a planner may type
 * (a grid that holds buildings has their sum, and refuses typed figures).
 */
async function withoutBuildings(g: Grid) {
  await t.db.pool.query(`UPDATE building b SET retired_at = now() FROM grid g WHERE g.id = $1 AND ST_Covers(g.geom, b.geom)`, [g.id]);
}

/** The grid's outline pushed 0.0004° (≈ 37 m) east: it then overlaps its eastern neighbour. */
function shiftedEast(g: Grid, degrees = 0.0004) {
  return { type: 'MultiPolygon', coordinates: g.geometry.coordinates.map((p) => p.map((r) => r.map(([x, y]) => [x! + degrees, y!]))) };
}

describe('saving an outline', () => {
  it('refuses an outline that overlaps a neighbour with a 422 naming the neighbour and the area, and changes nothing', async () => {
    const [a] = await adjacentPair();
    const res = await call('PATCH', `/api/grids/${a.id}`, { version: a.version, geometry: shiftedEast(a), reason: '测试' });
    expect(res.statusCode).toBe(422);
    const body = res.json();
    const { rows: neighbours } = await t.db.pool.query(
      `SELECT g.code, ST_Area(ST_Intersection(g.geom, ST_SetSRID(ST_GeomFromGeoJSON($1), 4326))::geography) AS area
         FROM grid g WHERE g.id <> $2 AND g.retired_at IS NULL AND ST_Relate(g.geom, ST_SetSRID(ST_GeomFromGeoJSON($1), 4326), '2********')
        ORDER BY area DESC`, [JSON.stringify(shiftedEast(a)), a.id]);
    expect(neighbours.length).toBeGreaterThan(0);
    expect(body.message).toContain(neighbours[0].code);
    expect(body.message).toMatch(/overlap/);
    expect(body.details.overlaps[0].code).toBe(neighbours[0].code);
    expect(body.details.overlaps[0].areaSquareMeters).toBeCloseTo(neighbours[0].area, 0);
    expect((await grid(a.id)).version).toBe(a.version);
  });

  it('refuses a self-intersecting outline with the reason and the place', async () => {
    const [a] = await adjacentPair();
    const ring = a.geometry.coordinates[0]![0]!;
    const bowTie = { type: 'Polygon', coordinates: [[ring[0], ring[2], ring[1], ring[3] ?? ring[0], ring[0]]] };
    const res = await call('PATCH', `/api/grids/${a.id}`, { version: a.version, geometry: bowTie, reason: '测试' });
    expect(res.statusCode).toBe(422);
    expect(res.json().message).toMatch(/self-intersection at \(\d+\.\d+, \d+\.\d+\)/i);
  });

  it('refuses the second of two saves of the same version with a 409 that says what changed', async () => {
    const [a] = await adjacentPair();
    await withoutBuildings(a);
    const first = await call('PATCH', `/api/grids/${a.id}`, { version: a.version, households: 321, reason: 'recount' });
    expect(first.statusCode, first.body).toBe(200);
    const second = await call('PATCH', `/api/grids/${a.id}`, { version: a.version, name: 'Other planner' }, await t.loginAs('admin'));
    expect(second.statusCode).toBe(409);
    const body = second.json();
    expect(body.details).toMatchObject({ readVersion: a.version, currentVersion: a.version + 1, changedBy: 'planner', changedFields: ['households'] });
    expect(body.message).toMatch(/households changed/);
    const { rows: [now] } = await t.db.pool.query('SELECT name, households FROM grid WHERE id = $1', [a.id]);
    expect(now.households).toBe(321);
    expect(now.name).not.toBe('Other planner');
  });
});

describe('history', () => {
  it('keeps every version (who, when, why) and restores an old one as a new version', async () => {
    const [a] = await adjacentPair(1);
    await withoutBuildings(a);
    const staff = await t.db.pool.query(`SELECT role, name FROM grid_staff WHERE grid_id = $1 ORDER BY role, id`, [a.id]);
    const put = await call('PATCH', `/api/grids/${a.id}`, {
      version: a.version, name: '改名网格', households: 450, gridLeader: { name: '新网格长', phone: '13900001111' }, gridManagers: [], reason: '换届',
    });
    expect(put.statusCode, put.body).toBe(200);
    const history = (await call('GET', `/api/grids/${a.id}/history`)).json();
    expect(Value.Check(GridHistory, history)).toBe(true);
    expect(history.versions.map((v: { version: number; action: string }) => [v.version, v.action])).toEqual([[a.version + 1, 'update'], [a.version, 'original']]);
    expect(history.versions[0]).toMatchObject({ name: '改名网格', households: 450, reason: '换届', changedBy: 'planner', gridLeader: { name: '新网格长' }, gridManagers: [] });

    const restore = await call('POST', `/api/grids/${a.id}/restore`, { version: a.version + 1, toVersion: a.version });
    expect(restore.statusCode, restore.body).toBe(200);
    const { rows: [now] } = await t.db.pool.query(
      `SELECT g.name, g.version, ST_Equals(g.geom, v.geom) AS same_outline FROM grid g JOIN grid_version v ON v.grid_id = g.id AND v.version = $2 WHERE g.id = $1`,
      [a.id, a.version]);
    expect(now.version).toBe(a.version + 2);
    expect(now.name).not.toBe('改名网格');
    expect(now.same_outline).toBe(true);
    const staffNow = await t.db.pool.query(`SELECT role, name FROM grid_staff WHERE grid_id = $1 ORDER BY role, id`, [a.id]);
    expect(staffNow.rows).toEqual(staff.rows);
  });

  it('never puts staff names in the audit log, and keeps the history from other roles', async () => {
    const { rows } = await t.db.pool.query(`SELECT detail::text AS detail FROM audit_log WHERE action LIKE 'grid.%'`);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.detail).not.toMatch(/新网格长|1390000/);
    const [a] = await adjacentPair();
    const res = await call('GET', `/api/grids/${a.id}/history`, undefined, await t.loginAs('analyst'));
    expect(res.statusCode).toBe(403);
  });
});

describe('split, merge and reshape', () => {
  it('splits a grid with a line: both parts in one transaction, the new one with the next free code, figures from the buildings', async () => {
    const { rows: [candidate] } = await t.db.pool.query(
      `SELECT g.id, ST_XMin(g.geom) - 0.001 AS x0, ST_XMax(g.geom) + 0.001 AS x1, ST_Y(ST_Centroid(g.geom)) AS y
         FROM grid g WHERE g.retired_at IS NULL AND g.grid_type = 'comprehensive'
          AND (SELECT count(*) FROM building b WHERE ST_Covers(g.geom, b.geom)) >= 4
          AND ST_NumGeometries(ST_CollectionExtract(ST_Split(g.geom, ST_SetSRID(ST_MakeLine(ST_MakePoint(ST_XMin(g.geom) - 0.001, ST_Y(ST_Centroid(g.geom))),
                ST_MakePoint(ST_XMax(g.geom) + 0.001, ST_Y(ST_Centroid(g.geom)))), 4326)), 3)) = 2
          AND substr(g.code, 1, 12) NOT IN (SELECT community_code FROM grid WHERE retired_at IS NOT NULL)
        ORDER BY g.id DESC LIMIT 1`);
    const before = await grid(candidate.id);
    const { rows: [totals] } = await t.db.pool.query(`SELECT households, residents, ST_Area(geom) AS area FROM grid WHERE id = $1`, [before.id]);
    const { rows: [maxCode] } = await t.db.pool.query(`SELECT max(code) AS code FROM grid WHERE community_code = $1 AND code < $1 || '901'`, [before.community]);
    const line = { type: 'LineString', coordinates: [[candidate.x0, candidate.y], [candidate.x1, candidate.y]] };
    const res = await call('POST', `/api/grids/${before.id}/split`, { version: before.version, line, reason: '新建小区' });
    expect(res.statusCode, res.body).toBe(200);
    const { grids } = res.json();
    expect(grids).toHaveLength(2);
    const newCode = before.community + String(Number(maxCode.code.slice(12)) + 1).padStart(3, '0');
    expect(grids.map((g: { code: string }) => g.code).sort()).toEqual([before.code, newCode].sort());
    const { rows: parts } = await t.db.pool.query(
      `SELECT households, residents, ST_Area(geom) AS area,
              (SELECT coalesce(sum(households), 0) FROM building b WHERE ST_Covers(g.geom, b.geom)) AS building_households
         FROM grid g WHERE code = ANY($1::text[])`, [[before.code, newCode]]);
    expect(parts.reduce((s, p) => s + p.households, 0)).toBe(totals.households);
    expect(parts.reduce((s, p) => s + p.residents, 0)).toBe(totals.residents);
    // Areas on the plane, where the cut happened: the parts add up to the grid (to rounding).
    expect(Math.abs(parts.reduce((s, p) => s + p.area, 0) - totals.area) / totals.area).toBeLessThan(1e-12);
    // More buildings' households in a part → more of the grid's households.
    const [p, q] = parts;
    expect(Math.sign(p.households - q.households)).toBe(Math.sign(p.building_households - q.building_households));
    // Splitting leaves no gap and no overlap.
    expect(res.json().validation.findings.filter((f: { kind: string }) => ['gap', 'overlap', 'sliver'].includes(f.kind))).toEqual([]);
  });

  it('refuses a line that does not cross the grid', async () => {
    const [a] = await adjacentPair();
    const [x, y] = a.geometry.coordinates[0]![0]![0]!;
    const res = await call('POST', `/api/grids/${a.id}/split`, { version: a.version, line: { type: 'LineString', coordinates: [[x! - 0.01, y! - 0.01], [x! - 0.011, y! - 0.012]] }, reason: '测试' });
    expect(res.statusCode).toBe(422);
    expect(res.json().message).toMatch(/does not cut/);
  });

  it('merges two adjacent grids: the first keeps its code, the other is retired with its code, managers move', async () => {
    const [a, b] = await adjacentPair(2);
    const { rows: [staff] } = await t.db.pool.query(`SELECT count(*) FILTER (WHERE role = 'manager')::int AS managers FROM grid_staff WHERE grid_id IN ($1, $2)`, [a.id, b.id]);
    const { rows: [sum] } = await t.db.pool.query(`SELECT sum(households)::int AS households, ST_Area(ST_Union(geom)::geography) AS area FROM grid WHERE id IN ($1, $2)`, [a.id, b.id]);
    const res = await call('POST', '/api/grids/merge', { grids: [{ id: a.id, version: a.version }, { id: b.id, version: b.version }], reason: '合并' });
    expect(res.statusCode, res.body).toBe(200);
    const { rows } = await t.db.pool.query(`SELECT id, code, households, retired_at IS NOT NULL AS retired, ST_Area(geom::geography) AS area, ST_NumGeometries(geom) AS parts FROM grid WHERE id IN ($1, $2) ORDER BY id`, [a.id, b.id]);
    expect(rows[0]).toMatchObject({ code: a.code, households: sum.households, retired: false, parts: 1 });
    expect(rows[0].area).toBeCloseTo(sum.area, 0);
    expect(rows[1]).toMatchObject({ code: b.code, retired: true });
    const { rows: [moved] } = await t.db.pool.query(`SELECT count(*)::int AS n FROM grid_staff WHERE grid_id = $1 AND role = 'manager'`, [a.id]);
    expect(moved.n).toBe(staff.managers);

    // The retired code is never issued again: a new grid in that community takes another number.
    const preview = (await call('GET', `/api/communities/${a.community}/encoding-preview`)).json();
    expect(preview.rows.map((r: { newCode: string }) => r.newCode)).not.toContain(b.code);
  });

  it('refuses to merge grids that do not touch', async () => {
    const { rows: [pair] } = await t.db.pool.query(
      `SELECT a.id AS a, b.id AS b FROM grid a JOIN grid b ON a.community_code = b.community_code AND a.id < b.id
        WHERE a.retired_at IS NULL AND b.retired_at IS NULL AND NOT ST_Intersects(a.geom, b.geom) LIMIT 1`);
    const a = await grid(pair.a);
    const b = await grid(pair.b);
    const res = await call('POST', '/api/grids/merge', { grids: [{ id: a.id, version: a.version }, { id: b.id, version: b.version }], reason: '测试' });
    expect(res.statusCode).toBe(422);
    expect(res.json().message).toMatch(/not adjacent/);
  });

  it('reshapes a shared edge with a line: both grids change together, their union is unchanged, no gap or overlap appears', async () => {
    const [a, b] = await adjacentPair(3);
    // A line across both grids, through a point of their shared edge, turned from that edge.
    const { rows: [g] } = await t.db.pool.query(
      `WITH e AS (SELECT ST_LineMerge(ST_CollectionExtract(ST_Intersection(a.geom, b.geom), 2)) AS edge, ST_Union(a.geom, b.geom) AS u
                    FROM grid a, grid b WHERE a.id = $1 AND b.id = $2),
            p AS (SELECT ST_LineInterpolatePoint(ST_GeometryN(edge, 1), 0.5) AS mid, ST_StartPoint(ST_GeometryN(edge, 1)) AS s, ST_EndPoint(ST_GeometryN(edge, 1)) AS t, u FROM e)
       SELECT ST_AsGeoJSON(ST_MakeLine(
                ST_Translate(s, (ST_X(t) - ST_X(s)) * -2 + (ST_Y(t) - ST_Y(s)) * 0.15, (ST_Y(t) - ST_Y(s)) * -2 - (ST_X(t) - ST_X(s)) * 0.15),
                ST_Translate(t, (ST_X(t) - ST_X(s)) * 2 - (ST_Y(t) - ST_Y(s)) * 0.15, (ST_Y(t) - ST_Y(s)) * 2 + (ST_X(t) - ST_X(s)) * 0.15)))::json AS line,
              ST_Area(u::geography) AS area FROM p`, [a.id, b.id]);
    const res = await call('POST', '/api/grids/reshape', { a: { id: a.id, version: a.version }, b: { id: b.id, version: b.version }, line: g.line, reason: '边界调整' });
    if (res.statusCode !== 200) {
      // The rotated line left the two grids' joint outline somewhere else: say so, do not pass silently.
      throw new Error(`reshape refused: ${res.body}`);
    }
    const { rows: [after] } = await t.db.pool.query(
      `SELECT ST_Area(ST_Union(x.geom, y.geom)::geography) AS area,
              ST_Area(ST_Intersection(x.geom, y.geom)::geography) AS overlap,
              x.version AS va, y.version AS vb,
              NOT ST_Equals(x.geom, ST_SetSRID(ST_GeomFromGeoJSON($3), 4326)) AS a_changed
         FROM grid x, grid y WHERE x.id = $1 AND y.id = $2`, [a.id, b.id, JSON.stringify(a.geometry)]);
    expect(after.area).toBeCloseTo(g.area, 0);
    expect(after.overlap).toBeLessThan(0.01);
    expect(after.a_changed).toBe(true);
    expect([after.va, after.vb]).toEqual([a.version + 1, b.version + 1]);
    expect(res.json().validation.findings.filter((f: { kind: string }) => ['gap', 'overlap', 'sliver'].includes(f.kind))).toEqual([]);
  });

  it('reshapes with a new outline of one grid: the neighbour takes exactly the rest', async () => {
    const [a, b] = await adjacentPair(4);
    const { rows: [g] } = await t.db.pool.query(
      `SELECT ST_AsGeoJSON(ST_Intersection(ST_Buffer(a.geom::geography, 20)::geometry, ST_Union(a.geom, b.geom)))::json AS grown,
              ST_Area(ST_Union(a.geom, b.geom)::geography) AS area
         FROM grid a, grid b WHERE a.id = $1 AND b.id = $2`, [a.id, b.id]);
    const res = await call('POST', '/api/grids/reshape', { a: { id: a.id, version: a.version }, b: { id: b.id, version: b.version }, geometry: g.grown, reason: '测试' });
    expect(res.statusCode, res.body).toBe(200);
    const { rows: [after] } = await t.db.pool.query(
      `SELECT ST_Area(ST_Union(x.geom, y.geom)::geography) AS area, ST_Area(ST_Intersection(x.geom, y.geom)::geography) AS overlap
         FROM grid x, grid y WHERE x.id = $1 AND y.id = $2`, [a.id, b.id]);
    expect(after.area).toBeCloseTo(g.area, 0);
    expect(after.overlap).toBeLessThan(0.01);
  });
});

describe('restoring grids together', () => {
  it('undoes a reshape by restoring both grids in one transaction; restoring one alone is refused as an overlap', async () => {
    const [a, b] = await adjacentPair(5);
    const { rows: [g] } = await t.db.pool.query(
      `SELECT ST_AsGeoJSON(ST_Intersection(ST_Buffer(a.geom::geography, 25)::geometry, ST_Union(a.geom, b.geom)))::json AS grown
         FROM grid a, grid b WHERE a.id = $1 AND b.id = $2`, [a.id, b.id]);
    const reshaped = await call('POST', '/api/grids/reshape', { a: { id: a.id, version: a.version }, b: { id: b.id, version: b.version }, geometry: g.grown, reason: '测试' });
    expect(reshaped.statusCode, reshaped.body).toBe(200);
    // b gave up a band to a: b's old outline alone would overlap a.
    const alone = await call('POST', `/api/grids/${b.id}/restore`, { version: b.version + 1, toVersion: b.version });
    expect(alone.statusCode).toBe(422);
    expect(alone.json().message).toContain(a.code);
    const together = await call('POST', '/api/grids/restore', {
      grids: [{ id: a.id, version: a.version + 1, toVersion: a.version }, { id: b.id, version: b.version + 1, toVersion: b.version }],
      reason: 'undo',
    });
    expect(together.statusCode, together.body).toBe(200);
    const { rows } = await t.db.pool.query(
      `SELECT g.id, g.version, ST_Equals(g.geom, v.geom) AS same FROM grid g JOIN grid_version v ON v.grid_id = g.id AND v.version = 1 WHERE g.id IN ($1, $2) ORDER BY g.id`,
      [a.id, b.id]);
    expect(rows.map((r) => [r.version, r.same])).toEqual([[a.version + 2, true], [b.version + 2, true]]);
  });
});

describe('encoding', () => {
  it('previews old → new codes, applies only that preview, and refuses a stale one with 409', async () => {
    // Swap two grids' codes by hand so that the rule has something to correct.
    const { rows: [c] } = await t.db.pool.query(
      `SELECT community_code AS code FROM grid WHERE retired_at IS NULL AND grid_type = 'comprehensive'
        AND community_code NOT IN (SELECT g.community_code FROM grid_version v JOIN grid g ON g.id = v.grid_id)
        GROUP BY community_code HAVING count(*) >= 4 ORDER BY community_code DESC LIMIT 1`);
    const { rows: grids } = await t.db.pool.query(`SELECT id, code FROM grid WHERE community_code = $1 AND retired_at IS NULL ORDER BY code LIMIT 2`, [c.code]);
    await t.db.pool.query(`BEGIN; SET CONSTRAINTS grid_code_key DEFERRED;
      UPDATE grid SET code = '${grids[1].code}' WHERE id = ${grids[0].id}; UPDATE grid SET code = '${grids[0].code}' WHERE id = ${grids[1].id}; COMMIT;`);

    const res = await call('GET', `/api/communities/${c.code}/encoding-preview`);
    expect(res.statusCode).toBe(200);
    const preview = res.json();
    expect(Value.Check(EncodingPreview, preview)).toBe(true);
    expect(preview.changedCount).toBe(2);
    const byId = new Map(preview.rows.map((r: { gridId: number }) => [r.gridId, r]));
    expect(byId.get(grids[0].id)).toMatchObject({ oldCode: grids[1].code, newCode: grids[0].code, changed: true });

    const stale = preview.rows.map((r: { gridId: number; version: number; newCode: string }) => ({ gridId: r.gridId, version: r.version, newCode: r.newCode }));
    stale[0] = { ...stale[0], version: stale[0].version + 7 };
    const refused = await call('POST', `/api/communities/${c.code}/encode`, { rows: stale });
    expect(refused.statusCode).toBe(409);

    const apply = await call('POST', `/api/communities/${c.code}/encode`, { rows: preview.rows.map((r: { gridId: number; version: number; newCode: string }) => ({ gridId: r.gridId, version: r.version, newCode: r.newCode })), reason: '统一编码' });
    expect(apply.statusCode, apply.body).toBe(200);
    expect(apply.json().changedCount).toBe(2);
    const { rows: after } = await t.db.pool.query(`SELECT id, code FROM grid WHERE id = ANY($1::bigint[]) ORDER BY id`, [grids.map((g) => g.id)]);
    expect(after.map((g) => g.code)).toEqual([...grids].sort((x, y) => x.id - y.id).map((g) => byId.get(g.id) as { newCode: string }).map((r) => r.newCode));
    const again = (await call('GET', `/api/communities/${c.code}/encoding-preview`)).json();
    expect(again.changedCount).toBe(0);
  });

  it('gives a new grid the next free number, never a retired one', async () => {
    const [a] = await adjacentPair();
    const { rows: [last] } = await t.db.pool.query(
      `SELECT id, code, version FROM grid WHERE community_code = $1 AND retired_at IS NULL AND code < $1 || '901' ORDER BY code DESC LIMIT 1`, [a.community]);
    const retire = await call('POST', `/api/grids/${last.id}/retire`, { version: last.version, reason: '拆除' });
    expect(retire.statusCode, retire.body).toBe(200);
    // A small new grid on free ground inside the retired one.
    const { rows: [hole] } = await t.db.pool.query(`SELECT ST_AsGeoJSON(ST_Buffer(ST_PointOnSurface(geom)::geography, 15, 4)::geometry)::json AS geometry FROM grid WHERE id = $1`, [last.id]);
    const res = await call('POST', '/api/grids', { communityCode: a.community, geometry: hole.geometry, name: '新网格', households: 10 });
    expect(res.statusCode, res.body).toBe(200);
    const code = res.json().grids[0].code as string;
    expect(code).not.toBe(last.code);
    expect(Number(code.slice(12))).toBe(Number(last.code.slice(12)) + 1);
  });
});

describe('reading grids', () => {
  it('lists the grids of a whole street, or of one community, and refuses neither or both', async () => {
    const street = (await call('GET', '/api/grids?street=610402001')).json();
    const { rows: [n] } = await t.db.pool.query(`SELECT count(*)::int AS n FROM grid WHERE community_code LIKE '610402001%' AND retired_at IS NULL`);
    expect(street.features).toHaveLength(n.n);
    expect(new Set(street.features.map((f: { properties: { communityCode: string } }) => f.properties.communityCode)).size).toBeGreaterThan(1);
    expect((await call('GET', '/api/grids')).statusCode).toBe(400);
    expect((await call('GET', '/api/grids?street=610402001&community=610402001001')).statusCode).toBe(400);
  });
});

describe('staff data', () => {
  it('shows grid leaders and managers only to planners and admins', async () => {
    const [a] = await adjacentPair();
    const planners = (await call('GET', `/api/grids?community=${a.community}`)).json();
    expect(planners.features[0].properties.gridLeader).toBeDefined();
    const analysts = await call('GET', `/api/grids?community=${a.community}`, undefined, await t.loginAs('analyst'));
    expect(analysts.body).not.toMatch(/gridLeader|gridManagers/);
    const exported = await call('GET', `/api/exports/grids?area=${a.community}&format=geojson`, undefined, await t.loginAs('analyst'));
    expect(exported.statusCode).toBe(403);
  });
});
