/**
 * Area outlines against the demo district on real PostGIS: deriving a community's outline from
 * its grids and a street's from its communities (holes, gaps and slivers measured), drawing and
 * editing an outline through the area store (409 on a stale version, 422 on an overlap with a
 * sibling, 422 when a grid would be left outside, history and restore), and a grid saved far
 * outside its community refused with nothing changed.
 */
import { Value } from 'typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { webText } from '../helpers/problem-text.js';
import { AreaHistory, DerivePreview, OutlineWriteResult } from '../../server/modules/areas/outline-schemas.js';

let t: TestApp;
let planner: string;
beforeAll(async () => {
  t = await createTestApp();
  planner = await t.loginAs('planner');
});
afterAll(async () => t?.close());

const call = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: object, cookie = planner) =>
  t.app.inject({ method, url, payload, headers: { cookie } });
const q = async (sql: string, params: unknown[] = []) => (await t.db.pool.query(sql, params)).rows;

/** Demo communities with grids, none touched by another test yet (the offset picks one). */
async function communityWithGrids(offset: number): Promise<{ code: string; version: number; grids: number }> {
  const [row] = await q(
    `SELECT a.code, a.version, count(g.*)::int AS grids FROM admin_area a JOIN grid g ON g.community_code = a.code AND g.retired_at IS NULL
      WHERE a.level = 'community' AND a.geom IS NOT NULL GROUP BY a.code, a.version HAVING count(g.*) >= 3 ORDER BY a.code OFFSET $1 LIMIT 1`, [offset]);
  return row;
}
const outlineOf = async (code: string) => (await q(`SELECT ST_AsGeoJSON(geom)::json AS g FROM admin_area WHERE code = $1`, [code]))[0].g;
const versionOf = async (code: string) => Number((await q(`SELECT version FROM admin_area WHERE code = $1`, [code]))[0].version);

describe('deriving outlines', () => {
  it('builds a community outline from its grids: the area equals the sum of its grids, saved as derived with a version and an audit row', async () => {
    const c = await communityWithGrids(0);
    await q(`UPDATE admin_area SET geom = NULL, outline_source = NULL WHERE code = $1`, [c.code]);

    // Until then, grid validation says the outline is missing instead of failing.
    const validation = await call('GET', `/api/grid-validation?community=${c.code}`);
    expect(validation.statusCode).toBe(200);
    expect(validation.json().findings.filter((f: { kind: string }) => f.kind === 'community_without_outline')).toHaveLength(1);
    const derivable = await call('GET', `/api/areas/derivable?parent=${c.code.slice(0, 9)}&level=community`);
    expect(derivable.json()).toEqual([expect.objectContaining({ code: c.code, partCount: c.grids })]);

    const preview = await call('GET', `/api/areas/${c.code}/derive-preview`);
    expect(preview.statusCode, preview.body).toBe(200);
    const p = preview.json();
    expect(Value.Check(DerivePreview, p)).toBe(true);
    const [sum] = await q(`SELECT sum(ST_Area(geom::geography)) AS m2 FROM grid WHERE community_code = $1 AND retired_at IS NULL`, [c.code]);
    expect(p).toMatchObject({ code: c.code, from: 'grids', partCount: c.grids, hasOutline: false, canApply: true, refusal: null });
    expect(p.partsAreaSquareMeters).toBeCloseTo(sum.m2, 0);
    const fillings = p.holes.filter((h: { filled: boolean }) => h.filled).reduce((s: number, h: { areaSquareMeters: number }) => s + h.areaSquareMeters, 0);
    expect(Math.abs(p.areaSquareMeters - sum.m2 - fillings)).toBeLessThan(1);
    expect(['Polygon', 'MultiPolygon']).toContain(p.geometry.type);

    const applied = await call('POST', `/api/areas/${c.code}/derive`, { version: c.version, reason: 'outline from the grids' });
    expect(applied.statusCode, applied.body).toBe(200);
    expect(Value.Check(OutlineWriteResult, applied.json())).toBe(true);
    expect(applied.json()).toMatchObject({ code: c.code, version: c.version + 1, outlineSource: 'derived' });
    const [stored] = await q(`SELECT outline_source, version, ST_Area(geom::geography) AS m2 FROM admin_area WHERE code = $1`, [c.code]);
    expect(stored).toMatchObject({ outline_source: 'derived', version: c.version + 1 });
    expect(Math.abs(stored.m2 - sum.m2 - fillings)).toBeLessThan(1);
    const versions = await q(`SELECT version, action, changed_by_username FROM area_version WHERE area_code = $1 ORDER BY version`, [c.code]);
    expect(versions.map((v) => [v.version, v.action])).toEqual([[c.version, 'original'], [c.version + 1, 'derive']]);
    expect(versions[1].changed_by_username).toBe('planner');
    const audit = await q(`SELECT action, target_id FROM audit_log WHERE action = 'area.derive' AND target_id = $1`, [c.code]);
    expect(audit).toHaveLength(1);
    // Every grid now lies inside it: validation finds no spill and no missing outline.
    const after = (await call('GET', `/api/grid-validation?community=${c.code}`)).json();
    expect(after.findings.filter((f: { kind: string }) => ['outside_community', 'community_without_outline'].includes(f.kind))).toEqual([]);
  });

  it('reports a gap (a grid retired in the middle) and a sliver (a hole under 1 m²) with their areas; fills the sliver and, when asked, the gap', async () => {
    const c = await communityWithGrids(1);
    // A grid that does not touch the community's outline leaves a hole when it is gone.
    const [inner] = await q(
      `SELECT g.id, ST_Area(g.geom::geography) AS m2 FROM grid g JOIN admin_area a ON a.code = g.community_code
        WHERE g.community_code = $1 AND g.retired_at IS NULL AND NOT ST_Intersects(ST_Boundary(a.geom), g.geom) ORDER BY g.id LIMIT 1`, [c.code]);
    expect(inner, 'a demo community with an inner grid').toBeDefined();
    const [other] = await q(`SELECT id FROM grid WHERE community_code = $1 AND retired_at IS NULL AND id <> $2 ORDER BY id LIMIT 1`, [c.code, inner.id]);
    await q(`UPDATE grid SET retired_at = now() WHERE id = $1`, [inner.id]);
    // A hole of radius ≈ 0.3 m inside another grid: ≈ 0.3 m², a sliver.
    await q(`UPDATE grid SET geom = ST_Multi(ST_Difference(geom, ST_Buffer(ST_PointOnSurface(geom), 0.000003))) WHERE id = $1`, [other.id]);
    const [hole] = await q(`SELECT ST_Area(ST_Buffer(ST_PointOnSurface(geom), 0.000003)::geography) AS m2 FROM grid WHERE id = $1`, [other.id]);
    await q(`UPDATE admin_area SET geom = NULL, outline_source = NULL WHERE code = $1`, [c.code]);

    const p = (await call('GET', `/api/areas/${c.code}/derive-preview`)).json();
    const gaps = p.holes.filter((h: { kind: string }) => h.kind === 'gap');
    const slivers = p.holes.filter((h: { kind: string }) => h.kind === 'sliver');
    expect(gaps).toHaveLength(1);
    expect(gaps[0].areaSquareMeters).toBeCloseTo(inner.m2, -1);
    expect(gaps[0].filled).toBe(false);
    expect(gaps[0].geometry.type).toBe('Polygon');
    expect(slivers).toHaveLength(1);
    expect(slivers[0].areaSquareMeters).toBeGreaterThan(0.1);
    expect(slivers[0].areaSquareMeters).toBeLessThan(1);
    expect(slivers[0].areaSquareMeters).toBeCloseTo(hole.m2, 1);
    expect(slivers[0].filled).toBe(true);

    const filled = (await call('GET', `/api/areas/${c.code}/derive-preview?fillGaps=true`)).json();
    expect(filled.holes.every((h: { filled: boolean | null; kind: string }) => h.kind === 'separate_part' || h.filled)).toBe(true);
    expect(filled.areaSquareMeters - p.areaSquareMeters).toBeCloseTo(inner.m2, -1);

    const applied = await call('POST', `/api/areas/${c.code}/derive`, { version: c.version, fillGaps: true });
    expect(applied.statusCode, applied.body).toBe(200);
    const [stored] = await q(`SELECT ST_NumInteriorRings(ST_GeometryN(geom, 1)) AS holes FROM admin_area WHERE code = $1`, [c.code]);
    expect(stored.holes).toBe(0);
  });

  it('builds a street outline from its communities, and derives all outline-less communities of a street in one call', async () => {
    const [street] = await q(
      `SELECT s.code, s.version FROM admin_area s WHERE s.level = 'street' AND s.code LIKE '610402%'
          AND NOT EXISTS (SELECT 1 FROM admin_area c WHERE c.parent_code = s.code AND c.geom IS NULL)
        ORDER BY s.code DESC LIMIT 1`);
    const [sum] = await q(`SELECT count(*)::int AS n, sum(ST_Area(geom::geography)) AS m2 FROM admin_area WHERE parent_code = $1 AND retired_at IS NULL`, [street.code]);
    const [original] = await q(`SELECT ST_Area(geom::geography) AS m2 FROM admin_area WHERE code = $1`, [street.code]);
    await q(`UPDATE admin_area SET geom = NULL, outline_source = NULL WHERE code = $1`, [street.code]);
    const p = (await call('GET', `/api/areas/${street.code}/derive-preview`)).json();
    expect(p).toMatchObject({ from: 'children', partCount: sum.n, canApply: true });
    const holesFilled = p.holes.filter((h: { filled: boolean }) => h.filled).reduce((s: number, h: { areaSquareMeters: number }) => s + h.areaSquareMeters, 0);
    expect(Math.abs(p.areaSquareMeters - sum.m2 - holesFilled)).toBeLessThan(1);
    // The demo's communities tile their street: the derived outline has the street's area.
    expect(Math.abs(p.areaSquareMeters - original.m2) / original.m2).toBeLessThan(0.001);

    const all = await call('POST', '/api/areas/derive', { parent: street.code.slice(0, 6), level: 'street' });
    expect(all.statusCode, all.body).toBe(200);
    expect(all.json().results).toEqual([expect.objectContaining({ code: street.code, status: 'derived', version: street.version + 1 })]);
    expect((await q(`SELECT outline_source FROM admin_area WHERE code = $1`, [street.code]))[0].outline_source).toBe('derived');
  });

  it('refuses to derive a community with no grids, and a stale version', async () => {
    const [empty] = await q(
      `SELECT a.code, a.version FROM admin_area a WHERE a.level = 'community' AND a.code LIKE '610402%'
          AND NOT EXISTS (SELECT 1 FROM grid g WHERE g.community_code = a.code AND g.retired_at IS NULL) ORDER BY a.code LIMIT 1`);
    if (empty) {
      const res = await call('POST', `/api/areas/${empty.code}/derive`, { version: empty.version });
      expect(res.statusCode).toBe(422);
      expect(res.json().message).toMatch(/no live grids/);
    }
    const c = await communityWithGrids(2);
    const stale = await call('POST', `/api/areas/${c.code}/derive`, { version: c.version - 1 < 1 ? c.version + 5 : c.version - 1 });
    expect(stale.statusCode).toBe(409);
  });

  it('says why it cannot derive by code: in the preview, in the refusal and in a derive-all result', async () => {
    // A new community under a demo street: no grids yet.
    const [street] = await q(`SELECT code FROM admin_area WHERE level = 'street' AND code LIKE '610402%' AND retired_at IS NULL ORDER BY code LIMIT 1`);
    const code = `${street.code}901`;
    expect((await call('POST', '/api/areas', { code, name: '新建测试社区' })).statusCode).toBe(201);
    const preview = (await call('GET', `/api/areas/${code}/derive-preview`)).json();
    expect(preview).toMatchObject({ canApply: false, refusalCode: 'areas.deriveNoGrids', refusalParams: { code, name: '新建测试社区' } });
    expect(preview.refusal).toBe(`community ${code} (新建测试社区) has no live grids to build an outline from`);
    expect(webText({ code: preview.refusalCode, params: preview.refusalParams })).toBe(`社区 新建测试社区（${code}）没有在用的网格，无法生成边界`);
    const { version } = (await q(`SELECT version FROM admin_area WHERE code = $1`, [code]))[0];
    const refused = await call('POST', `/api/areas/${code}/derive`, { version });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().params.detail).toEqual({ code: 'areas.deriveNoGrids', params: { code, name: '新建测试社区' } });
    expect(webText(refused.json())).toBe(`无法生成 新建测试社区（${code}）的边界：社区 新建测试社区（${code}）没有在用的网格，无法生成边界`);
    const all = (await call('POST', '/api/areas/derive', { parent: street.code, level: 'community' })).json();
    expect(all.results.find((r: { code: string }) => r.code === code)).toMatchObject({ status: 'skipped', messageCode: 'areas.deriveNothing', messageParams: {}, message: 'nothing to derive from' });
  });
});

describe('drawing and editing an outline', () => {
  it('draws the outline of a community that has none; the area tree then has it; a second save of the same version gets 409 saying who changed it', async () => {
    const c = await communityWithGrids(3);
    const original = await outlineOf(c.code);
    await q(`UPDATE admin_area SET geom = NULL, outline_source = NULL WHERE code = $1`, [c.code]);
    const drawn = await call('PUT', `/api/areas/${c.code}/outline`, { version: c.version, geometry: original, reason: 'drawn from the paper map' });
    expect(drawn.statusCode, drawn.body).toBe(200);
    expect(drawn.json()).toMatchObject({ version: c.version + 1, outlineSource: 'drawn', gaps: [] });
    const read = (await call('GET', `/api/areas/${c.code}/outline`)).json();
    expect(read).toMatchObject({ code: c.code, version: c.version + 1, outlineSource: 'drawn' });

    const again = await call('PUT', `/api/areas/${c.code}/outline`, { version: c.version, geometry: original }, await t.loginAs('admin'));
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toMatch(new RegExp(`${c.code}.*changed by planner`));
    expect(again.json().details).toMatchObject({ readVersion: c.version, currentVersion: c.version + 1, changedBy: 'planner', changedFields: ['outline'] });
  });

  it('refuses an outline that overlaps a sibling with a 422 naming it and the overlap in m², and changes nothing', async () => {
    const [pair] = await q(
      `SELECT a.code AS a, b.code AS b, a.version FROM admin_area a JOIN admin_area b ON b.parent_code = a.parent_code AND b.code <> a.code AND b.level = 'community'
        WHERE a.level = 'community' AND a.geom IS NOT NULL AND b.geom IS NOT NULL AND ST_Length(ST_Intersection(a.geom, b.geom)::geography) > 200
          AND NOT EXISTS (SELECT 1 FROM area_version v WHERE v.area_code IN (a.code, b.code))
        ORDER BY a.code DESC LIMIT 1`);
    // A's outline grown 30 m into B.
    const [grown] = await q(
      `SELECT ST_AsGeoJSON(ST_Union(a.geom, ST_Intersection(b.geom, ST_Buffer(a.geom::geography, 30)::geometry)))::json AS g,
              ST_Area(ST_Intersection(b.geom, ST_Buffer(a.geom::geography, 30)::geometry)::geography) AS m2
         FROM admin_area a, admin_area b WHERE a.code = $1 AND b.code = $2`, [pair.a, pair.b]);
    const res = await call('PUT', `/api/areas/${pair.a}/outline`, { version: pair.version, geometry: grown.g });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().message).toContain(pair.b);
    expect(res.json().message).toMatch(/overlap .* by [\d,.]+ m²/);
    // The web says the whole refusal in Chinese: the finding is a phrase, not English inside it.
    expect(webText(res.json())).toMatch(new RegExp(`的边界不合适：与 .+（${pair.b}）重叠 [\\d,]+ 平方米（同级区域可以相接，不能重叠）$`));
    expect(webText(res.json(), 'en')).toBe(res.json().message);
    const overlap = res.json().details.findings.find((f: { kind: string; code: string }) => f.kind === 'overlap' && f.code === pair.b);
    expect(overlap.areaSquareMeters).toBeGreaterThan(grown.m2 * 0.95);
    expect(overlap.areaSquareMeters).toBeLessThan(grown.m2 * 1.05);
    expect(await versionOf(pair.a)).toBe(pair.version);
  });

  it('refuses an outline that would leave a grid outside, naming the grid; a gap it leaves in the street is reported, not refused', async () => {
    const c = await communityWithGrids(4);
    const [edge] = await q(
      `SELECT g.code, ST_AsGeoJSON(ST_Difference(a.geom, g.geom))::json AS without FROM grid g JOIN admin_area a ON a.code = g.community_code
        WHERE g.community_code = $1 AND g.retired_at IS NULL AND ST_Intersects(ST_Boundary(a.geom), g.geom)
          AND ST_GeometryType(ST_Difference(a.geom, g.geom)) IN ('ST_Polygon', 'ST_MultiPolygon') ORDER BY g.code LIMIT 1`, [c.code]);
    const res = await call('PUT', `/api/areas/${c.code}/outline`, { version: c.version, geometry: edge.without });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().message).toContain(`grid ${edge.code}`);
    expect(res.json().details.findings).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'grid_outside', code: edge.code })]));
    expect(await versionOf(c.code)).toBe(c.version);

    // Without that grid (retired), the same outline is allowed, and the hole in the street is reported with its area.
    await q(`UPDATE grid SET retired_at = now() WHERE code = $1`, [edge.code]);
    const [gridArea] = await q(`SELECT ST_Area(geom::geography) AS m2 FROM grid WHERE code = $1`, [edge.code]);
    const ok = await call('PUT', `/api/areas/${c.code}/outline`, { version: c.version, geometry: edge.without });
    expect(ok.statusCode, ok.body).toBe(200);
    const gapTotal = ok.json().gaps.reduce((s: number, g: { areaSquareMeters: number }) => s + g.areaSquareMeters, 0);
    expect(gapTotal).toBeGreaterThan(gridArea.m2 * 0.95);
    expect(ok.json().gaps[0].code).toBe(c.code.slice(0, 9));
  });

  it('refuses an outline that leaves its street', async () => {
    const c = await communityWithGrids(5);
    const [moved] = await q(`SELECT ST_AsGeoJSON(ST_Union(geom, ST_Translate(geom, 0.5, 0)))::json AS g FROM admin_area WHERE code = $1`, [c.code]);
    const res = await call('PUT', `/api/areas/${c.code}/outline`, { version: c.version, geometry: moved.g });
    expect(res.statusCode).toBe(422);
    expect(res.json().message).toMatch(new RegExp(`outside its parent ${c.code.slice(0, 9)}`));
  });

  it('keeps every version: history lists them (who, how, the outline) and restore brings an old outline back as a new version', async () => {
    const c = await communityWithGrids(6);
    const original = await outlineOf(c.code);
    await q(`UPDATE admin_area SET geom = NULL, outline_source = NULL WHERE code = $1`, [c.code]);
    expect((await call('PUT', `/api/areas/${c.code}/outline`, { version: c.version, geometry: original })).statusCode).toBe(200);
    expect((await call('POST', `/api/areas/${c.code}/derive`, { version: c.version + 1 })).statusCode).toBe(200);

    const history = await call('GET', `/api/areas/${c.code}/history`);
    expect(history.statusCode).toBe(200);
    const h = history.json();
    expect(Value.Check(AreaHistory, h)).toBe(true);
    expect(h.currentVersion).toBe(c.version + 2);
    expect(h.versions.map((v: { version: number; action: string }) => [v.version, v.action])).toEqual([
      [c.version + 2, 'derive'], [c.version + 1, 'draw'], [c.version, 'original'],
    ]);
    expect(h.versions[2].geometry).toBeNull();
    expect(h.versions[1].changedBy).toBe('planner');

    const restored = await call('POST', `/api/areas/${c.code}/restore`, { version: c.version + 2, toVersion: c.version + 1 });
    expect(restored.statusCode, restored.body).toBe(200);
    expect(restored.json()).toMatchObject({ version: c.version + 3, outlineSource: 'drawn' });
    // The drawn version as saved (snapped onto its neighbours within 0.1 m of what was sent).
    const [same] = await q(
      `SELECT ST_Equals(a.geom, v.geom) AS eq, ST_HausdorffDistance(a.geom, ST_SetSRID(ST_GeomFromGeoJSON($3), 4326)) AS drift
         FROM admin_area a JOIN area_version v ON v.area_code = a.code AND v.version = $2 WHERE a.code = $1`, [c.code, c.version + 1, JSON.stringify(original)]);
    expect(same.eq).toBe(true);
    expect(same.drift).toBeLessThan(2e-6);
    const noOutline = await call('POST', `/api/areas/${c.code}/restore`, { version: c.version + 3, toVersion: c.version });
    expect(noOutline.statusCode).toBe(409);
  });

  it('is for planners and admins, within their area', async () => {
    const c = await communityWithGrids(7);
    const analyst = await t.loginAs('analyst');
    expect((await call('PUT', `/api/areas/${c.code}/outline`, { version: c.version, geometry: await outlineOf(c.code) }, analyst)).statusCode).toBe(403);
    expect((await call('GET', `/api/areas/${c.code}/derive-preview`, undefined, analyst)).statusCode).toBe(403);
    // A planner limited to another street may neither draw this community nor derive it.
    const [otherStreet] = await q(`SELECT code FROM admin_area WHERE level = 'street' AND code <> $1 ORDER BY code LIMIT 1`, [c.code.slice(0, 9)]);
    await q(`UPDATE app_user SET scope_area_code = $1 WHERE username = 'planner'`, [otherStreet.code]);
    try {
      const scoped = await t.loginAs('planner');
      const drawn = await call('PUT', `/api/areas/${c.code}/outline`, { version: c.version, geometry: await outlineOf(c.code) }, scoped);
      expect(drawn.statusCode).toBe(403);
      expect(drawn.json().message).toContain(`outside your area ${otherStreet.code}`);
      expect((await call('POST', `/api/areas/${c.code}/derive`, { version: c.version }, scoped)).statusCode).toBe(403);
      expect(await versionOf(c.code)).toBe(c.version);
    } finally {
      await q(`UPDATE app_user SET scope_area_code = NULL WHERE username = 'planner'`);
    }
  });
});

describe('a grid outside its community', () => {
  it('refuses a grid drawn 16 km east of its community with a 422 naming the community and the distance, and creates nothing', async () => {
    const c = await communityWithGrids(8);
    const [far] = await q(
      `SELECT ST_AsGeoJSON(ST_Translate(ST_Envelope(ST_Buffer(ST_PointOnSurface(geom), 0.001)), 0.18, 0))::json AS g FROM admin_area WHERE code = $1`, [c.code]);
    const [before] = await q(`SELECT (SELECT count(*) FROM grid)::int AS grids, (SELECT count(*) FROM grid_version)::int AS versions`);
    const res = await call('POST', '/api/grids', { communityCode: c.code, geometry: far.g, name: 'far away' });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().message).toContain(`community ${c.code}`);
    expect(res.json().message).toMatch(/1[5-8]\.\d km beyond its outline/);
    expect(res.json().details.distanceMeters).toBeGreaterThan(15_000);
    expect(res.json().details.areaSquareMeters).toBeGreaterThan(10_000);
    const [after] = await q(`SELECT (SELECT count(*) FROM grid)::int AS grids, (SELECT count(*) FROM grid_version)::int AS versions`);
    expect(after).toEqual(before);

    // Moving an existing grid there is refused the same way.
    const [g] = await q(`SELECT id, version, ST_AsGeoJSON(ST_Translate(geom, 0.18, 0))::json AS moved FROM grid WHERE community_code = $1 AND retired_at IS NULL ORDER BY id LIMIT 1`, [c.code]);
    const moved = await call('PATCH', `/api/grids/${g.id}`, { version: g.version, geometry: g.moved, reason: '测试' });
    expect(moved.statusCode).toBe(422);
    expect(moved.json().message).toContain(`community ${c.code}`);
    expect(Number((await q(`SELECT version FROM grid WHERE id = $1`, [g.id]))[0].version)).toBe(g.version);
  });

  it('lets a grid be drawn in a community without an outline (nothing to check against), and validation says so', async () => {
    const c = await communityWithGrids(9);
    const [spot] = await q(
      `SELECT ST_AsGeoJSON(ST_Translate(ST_Envelope(ST_Buffer(ST_PointOnSurface(geom), 0.0005)), 0.18, 0))::json AS g FROM admin_area WHERE code = $1`, [c.code]);
    await q(`UPDATE admin_area SET geom = NULL, outline_source = NULL WHERE code = $1`, [c.code]);
    const res = await call('POST', '/api/grids', { communityCode: c.code, geometry: spot.g });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().validation.findings.map((f: { kind: string }) => f.kind)).toContain('community_without_outline');
    // Encoding needs no outline: the codes follow the grids' places.
    const encoding = await call('GET', `/api/communities/${c.code}/encoding-preview`);
    expect(encoding.statusCode, encoding.body).toBe(200);
    expect(encoding.json().rows).toHaveLength(c.grids + 1);
  });
});
