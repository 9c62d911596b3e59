/**
 * Every validation finding on real fixture geometries, one file per case (tests/fixtures/grids):
 * each file is the set of grids of test community 610402099001 as a planner would import it,
 * and the import preview runs the same validation as the planning panel does on live grids.
 */
import { Value } from 'typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { ValidationReport, type ValidationFinding } from '../../server/modules/grids/schemas.js';
import { COMMUNITY_A, COMMUNITY_B, TEST_STREET, fixtureBytes, importFile, insertTestAreas } from '../fixtures/grids/fixtures.js';

let t: TestApp;
let planner: string;
beforeAll(async () => {
  t = await createTestApp();
  await insertTestAreas(t.db.pool);
  planner = await t.loginAs('planner');
});
afterAll(async () => t?.close());

async function preview(file: string, fields: Record<string, string> = {}) {
  const res = await importFile(t, planner, 'preview', file, fixtureBytes(file), { scope: TEST_STREET, ...fields });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { findings: ValidationFinding[]; errors: unknown[]; canCommit: boolean; rows: { feature: number; communityCode: string }[] };
}

const ofKind = (findings: ValidationFinding[], kind: string) => findings.filter((f) => f.kind === kind);

describe('validation findings, one fixture per case', () => {
  it('finds nothing wrong with a clean tiling of the community', async () => {
    const result = await preview('clean-tiling.geojson');
    expect(result.errors).toEqual([]);
    expect(result.findings).toEqual([]);
    expect(result.canCommit).toBe(true);
    expect(result.rows.every((r) => r.communityCode === COMMUNITY_A)).toBe(true);
  });

  it('reports a self-intersection with the reason and the place PostGIS gives, and blocks the import', async () => {
    const { findings, canCommit } = await preview('self-intersection.geojson');
    const [invalid] = ofKind(findings, 'invalid_geometry');
    expect(invalid).toBeDefined();
    expect(invalid!.severity).toBe('error');
    expect(invalid!.gridCodes).toEqual([`${COMMUNITY_A}001`]);
    expect(String(invalid!.detail.reason)).toMatch(/self-intersection/i);
    const [lon, lat] = (invalid!.geometry as { coordinates: number[] }).coordinates;
    expect(lon).toBeCloseTo(109.3015, 6);
    expect(lat).toBeCloseTo(34.303, 6);
    expect(canCommit).toBe(false);
  });

  it('reports an overlap between two grids with its area in m²', async () => {
    const { findings, canCommit } = await preview('overlap-between-grids.geojson');
    const overlaps = ofKind(findings, 'overlap');
    expect(overlaps).toHaveLength(1);
    expect([...overlaps[0]!.gridCodes].sort()).toEqual([`${COMMUNITY_A}001`, `${COMMUNITY_A}002`]);
    // 0.0005° of longitude × 0.002° of latitude at 34.3° N ≈ 45.97 m × 221.8 m.
    expect(overlaps[0]!.areaSquareMeters).toBeGreaterThan(10_000);
    expect(overlaps[0]!.areaSquareMeters).toBeLessThan(10_400);
    expect(canCommit).toBe(false);
  });

  it('reports a gap inside the community with its area, as a warning that does not block', async () => {
    const { findings, canCommit } = await preview('gap-between-grids.geojson');
    const gaps = ofKind(findings, 'gap');
    expect(gaps).toHaveLength(1);
    expect(gaps[0]!.severity).toBe('warning');
    expect(gaps[0]!.areaSquareMeters).toBeGreaterThan(10_000);
    expect(gaps[0]!.areaSquareMeters).toBeLessThan(10_400);
    expect(gaps[0]!.geometry!.type).toBe('Polygon');
    expect(canCommit).toBe(true);
  });

  it.each([
    ['sliver-gap.geojson', 'gap'],
    ['sliver-overlap.geojson', 'overlap'],
  ])('reports %s under the 1 m² tolerance as a sliver, not as a %s', async (file, of) => {
    const { findings } = await preview(file);
    const slivers = ofKind(findings, 'sliver');
    expect(slivers).toHaveLength(1);
    expect(slivers[0]!.detail.of).toBe(of);
    expect(slivers[0]!.areaSquareMeters).toBeLessThan(1);
    expect(ofKind(findings, of)).toHaveLength(0);
  });

  it('reports the part of a grid outside its community as an error that blocks the import', async () => {
    const { findings, canCommit } = await preview('spill-outside-community.geojson');
    const outside = ofKind(findings, 'outside_community');
    expect(outside).toHaveLength(1);
    expect(outside[0]!.severity).toBe('error');
    expect(canCommit).toBe(false);
    expect(outside[0]!.gridCodes).toEqual([`${COMMUNITY_A}001`]);
    // The spill reaches 0.0005° of latitude (≈ 55.5 m) beyond the community outline.
    expect(outside[0]!.detail.distanceMeters).toBeGreaterThan(50);
    expect(outside[0]!.detail.distanceMeters).toBeLessThan(60);
    // 0.003° × 0.0005° ≈ 275.8 m × 55.5 m.
    expect(outside[0]!.areaSquareMeters).toBeGreaterThan(15_000);
    expect(outside[0]!.areaSquareMeters).toBeLessThan(15_600);
  });

  it('reports households outside the urban norm of 300–500', async () => {
    const { findings } = await preview('households-out-of-norm.geojson');
    const off = ofKind(findings, 'households_out_of_norm').map((f) => [f.gridCodes[0], f.detail.households, f.detail.min, f.detail.max]);
    expect(off).toEqual([
      [`${COMMUNITY_A}001`, 120, 300, 500],
      [`${COMMUNITY_A}002`, 800, 300, 500],
    ]);
  });

  it('reports a grid with no grid leader and a grid with no grid manager', async () => {
    const { findings } = await preview('no-leader-no-manager.geojson');
    expect(ofKind(findings, 'no_leader').map((f) => f.gridCodes[0])).toEqual([`${COMMUNITY_A}001`]);
    expect(ofKind(findings, 'no_manager').map((f) => f.gridCodes[0])).toEqual([`${COMMUNITY_A}002`]);
  });

  it('reports a community with fewer grid managers than households / 300', async () => {
    const { findings } = await preview('too-few-managers.geojson');
    const [few] = ofKind(findings, 'too_few_managers');
    expect(few!.communityCode).toBe(COMMUNITY_A);
    expect(few!.detail).toMatchObject({ managers: 4, households: 1920, required: 7 });
  });

  it.each([
    ['duplicate-codes.geojson', 'duplicate_code', [`${COMMUNITY_A}001`, `${COMMUNITY_A}001`]],
    ['malformed-code.geojson', 'malformed_code', ['61040209900101']],
    ['code-prefix-mismatch.geojson', 'code_prefix_mismatch', [`${COMMUNITY_B}001`]],
  ])('%s: reports %s and blocks the import', async (file, kind, codes) => {
    const { findings, canCommit } = await preview(file);
    const found = ofKind(findings, kind);
    expect(found).toHaveLength(1);
    expect(found[0]!.gridCodes).toEqual(codes);
    expect(found[0]!.severity).toBe('error');
    expect(canCommit).toBe(false);
  });

  it('refuses to commit a blocked import and writes nothing', async () => {
    const before = await t.db.pool.query(`SELECT count(*)::int AS n FROM grid WHERE community_code = $1`, [COMMUNITY_A]);
    const res = await importFile(t, planner, 'commit', 'overlap-between-grids.geojson', fixtureBytes('overlap-between-grids.geojson'), { scope: TEST_STREET });
    expect(res.statusCode).toBe(422);
    expect(res.json().message).toMatch(/nothing was imported/);
    const after = await t.db.pool.query(`SELECT count(*)::int AS n FROM grid WHERE community_code = $1`, [COMMUNITY_A]);
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });
});

describe('validation of live grids', () => {
  it('validates the committed grids of a community, and one click snaps a sliver away', async () => {
    const commit = await importFile(t, planner, 'commit', 'sliver-overlap.geojson', fixtureBytes('sliver-overlap.geojson'), { scope: TEST_STREET });
    expect(commit.statusCode, commit.body).toBe(200);
    expect(commit.json()).toMatchObject({ created: 4, updated: 0, retired: 0 });
    const res = await t.app.inject({ method: 'GET', url: `/api/grid-validation?community=${COMMUNITY_A}`, headers: { cookie: planner } });
    expect(res.statusCode).toBe(200);
    const report = res.json();
    expect(Value.Check(ValidationReport, report)).toBe(true);
    expect(report.findings.map((f: ValidationFinding) => f.kind)).toEqual(['sliver']);

    const repair = await t.app.inject({ method: 'POST', url: `/api/communities/${COMMUNITY_A}/repair-slivers`, headers: { cookie: planner } });
    expect(repair.statusCode, repair.body).toBe(200);
    expect(repair.json().grids).toHaveLength(1);
    expect(repair.json().validation.findings).toEqual([]);
    // The repair is a version like any other.
    const { rows } = await t.db.pool.query(`SELECT action FROM grid_version v JOIN grid g ON g.id = v.grid_id WHERE g.community_code = $1 AND action = 'repair'`, [COMMUNITY_A]);
    expect(rows).toHaveLength(1);
  });

  it('validates a whole street and the demo district, and the demo tiling has no gap, overlap or sliver', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/grid-validation?district=610402', headers: { cookie: planner } });
    expect(res.statusCode).toBe(200);
    const report = res.json();
    expect(report.communityCodes.length).toBe(188);
    // The test street (610402099) has an empty community: one gap, all of it.
    const emptyCommunity = report.findings.filter((f: ValidationFinding) => f.communityCode === COMMUNITY_B);
    expect(emptyCommunity.map((f: ValidationFinding) => f.kind)).toEqual(['gap']);
    const demo = report.findings.filter((f: ValidationFinding) => !f.communityCode!.startsWith(TEST_STREET));
    const kinds = new Set(demo.map((f: ValidationFinding) => f.kind));
    for (const kind of ['invalid_geometry', 'overlap', 'gap', 'sliver', 'outside_community']) expect(kinds.has(kind)).toBe(false);
    // The demo's urban grids average about 250 households: below the 300–500 norm, as DOMAIN.md says.
    expect(kinds.has('households_out_of_norm')).toBe(true);
  });

  it('counts the staff of live grids one grid at a time: leaders, managers and managers per community as grid_staff has them', async () => {
    // A demo community with at least two grids: one loses its leader, another its managers.
    const { rows: [c] } = await t.db.pool.query(
      `SELECT community_code AS code, array_agg(id ORDER BY code) AS ids FROM grid WHERE retired_at IS NULL AND community_code LIKE '610402%'
       AND community_code NOT LIKE '${TEST_STREET}%' GROUP BY community_code HAVING count(*) >= 2 ORDER BY community_code LIMIT 1`,
    );
    const [first, second] = c.ids.map(Number);
    await t.db.pool.query(`DELETE FROM grid_staff WHERE grid_id = $1 AND role = 'leader'`, [first]);
    await t.db.pool.query(`DELETE FROM grid_staff WHERE grid_id = $1 AND role = 'manager'`, [second]);
    const res = await t.app.inject({ method: 'GET', url: `/api/grid-validation?community=${c.code}`, headers: { cookie: planner } });
    expect(res.statusCode).toBe(200);
    const findings: ValidationFinding[] = res.json().findings;
    const { rows: staff } = await t.db.pool.query(
      `SELECT g.id, count(s.*) FILTER (WHERE s.role = 'leader')::int AS leaders, count(s.*) FILTER (WHERE s.role = 'manager')::int AS managers, g.households
       FROM grid g LEFT JOIN grid_staff s ON s.grid_id = g.id WHERE g.community_code = $1 AND g.retired_at IS NULL GROUP BY g.id`,
      [c.code],
    );
    const keys = (kind: string) => ofKind(findings, kind).flatMap((f) => f.gridKeys).map(Number).sort((a, b) => a - b);
    expect(keys('no_leader')).toEqual(staff.filter((r) => r.leaders === 0).map((r) => Number(r.id)).sort((a, b) => a - b));
    expect(keys('no_leader')).toContain(first);
    expect(keys('no_manager')).toEqual(staff.filter((r) => r.managers === 0).map((r) => Number(r.id)).sort((a, b) => a - b));
    expect(keys('no_manager')).toContain(second);
    const managers = staff.reduce((sum, r) => sum + r.managers, 0);
    const households = staff.reduce((sum, r) => sum + r.households, 0);
    const tooFew = ofKind(findings, 'too_few_managers');
    if (managers < households / 300) expect(tooFew[0]!.detail).toMatchObject({ managers, households });
    else expect(tooFew).toEqual([]);
  });

  it('uses the configured norms', async () => {
    const settings = (await t.app.inject({ method: 'GET', url: '/api/grid-settings', headers: { cookie: planner } })).json();
    expect(settings).toMatchObject({ urbanHouseholdsMin: 300, urbanHouseholdsMax: 500, sliverToleranceSquareMeters: 1, dedicatedSequenceStart: 901 });
    const put = await t.app.inject({ method: 'PATCH', url: '/api/grid-settings', headers: { cookie: planner }, payload: { ...settings, urbanHouseholdsMin: 100 } });
    expect(put.statusCode).toBe(200);
    const { findings } = await preview('households-out-of-norm.geojson');
    expect(ofKind(findings, 'households_out_of_norm').map((f) => f.detail.households)).toEqual([800]);
    await t.app.inject({ method: 'PATCH', url: '/api/grid-settings', headers: { cookie: planner }, payload: settings });
    const bad = await t.app.inject({ method: 'PATCH', url: '/api/grid-settings', headers: { cookie: planner }, payload: { ...settings, urbanHouseholdsMax: 10 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/urbanHouseholdsMax/);
  });

  it('is for planners and admins only', async () => {
    const analyst = await t.loginAs('analyst');
    const res = await t.app.inject({ method: 'GET', url: `/api/grid-validation?community=${COMMUNITY_A}`, headers: { cookie: analyst } });
    expect(res.statusCode).toBe(403);
    const anonymous = await t.app.inject({ method: 'GET', url: `/api/grid-validation?community=${COMMUNITY_A}` });
    expect(anonymous.statusCode).toBe(401);
  });
});
