/**
 * Coverage on the demo district: the figures agree with an independent count (every building
 * against every counting station by exact distance), add up across levels, react to a what-if,
 * and the siting suggestions add exactly the coverage they claim. Also the export and the access.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { webText } from '../helpers/problem-text.js';

let t: TestApp;
let planner: string;
beforeAll(async () => {
  t = await createTestApp();
  planner = await t.loginAs('planner');
});
afterAll(async () => t?.close());

const ELDERLY = ['day_care_centre', 'home_elderly_care_station'];
// Straight-line (the circle): the brute-force counts below measure the straight line; the walking
// network's figures are compared in network-demo.test.ts.
const elderly60 = { facilityTypes: ELDERLY, population: 'age60', distance: 'straight_line' };

async function analyse(body: object, cookie = planner) {
  const res = await t.app.inject({ method: 'POST', url: '/api/coverage/analysis', headers: { cookie }, payload: body });
  if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`);
  return res.json();
}

async function waitForJob(id: string) {
  for (let i = 0; i < 600; i++) {
    const job = (await t.app.inject({ method: 'GET', url: `/api/coverage/siting/${id}`, headers: { cookie: planner } })).json();
    if (job.status !== 'running') return job;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('siting run did not finish');
}

describe('district figures', () => {
  it('match a brute-force count by exact distance, and add up from grids to the district', async () => {
    const r = await analyse(elderly60);
    // Independent: every building against every counting station, ST_Distance ≤ radius (no index, no DWithin).
    const { rows } = await t.db.pool.query(
      `SELECT sum(b.residents_60_plus)::int AS population,
              sum(b.residents_60_plus) FILTER (WHERE EXISTS (
                SELECT 1 FROM facility f JOIN facility_type ft ON ft.code = f.facility_type
                WHERE f.retired_at IS NULL AND f.facility_type = ANY ($1)
                  AND ST_Distance(b.geom::geography, f.geom::geography) <= ft.service_radius_meters))::int AS covered
       FROM building b`,
      [ELDERLY],
    );
    expect(r.district.population).toBe(rows[0].population);
    expect(r.district.covered).toBe(rows[0].covered);
    expect(r.district.population).toBe(119488);
    expect(r.district.share).toBeGreaterThan(0);
    expect(r.district.share).toBeLessThan(1);
    for (const level of ['grids', 'communities', 'streets'] as const) {
      const sum = r[level].reduce((s: number, x: { covered: number }) => s + x.covered, 0);
      const pop = r[level].reduce((s: number, x: { population: number }) => s + x.population, 0);
      expect([level, pop, sum]).toEqual([level, r.district.population, r.district.covered]);
    }
    expect(r.streets).toHaveLength(12);
    expect(r.communities).toHaveLength(186);
    const { rows: grids } = await t.db.pool.query(`SELECT count(*)::int AS n FROM grid WHERE retired_at IS NULL`);
    expect(r.grids).toHaveLength(grids[0].n);
    // Ranked by uncovered elderly, largest gap first.
    const gaps = r.communities.map((c: { uncovered: number }) => c.uncovered);
    expect([...gaps].sort((a, b) => b - a)).toEqual(gaps);
    // Urban communities are held to 90%, villages to 50%.
    for (const c of r.communities) expect(c.target).toBe(c.kind === 'urban' ? 0.9 : 0.5);
    // Gap layers: one point per uncovered building.
    expect(r.gaps.uncoveredBuildings.features).toHaveLength(r.district.uncoveredBuildings);
    expect(r.gaps.uncoveredBuildingIds).toHaveLength(r.district.uncoveredBuildings);
    expect(r.gaps.uncoveredAreas.features.length).toBeGreaterThan(0);
    expect(r.gaps.serviceAreas.features).toHaveLength(r.countingFacilities);
  });

  it('a what-if station at the largest uncovered building adds at least its people; removing one never adds', async () => {
    const r = await analyse(elderly60);
    const biggest = [...r.gaps.uncoveredBuildings.features].sort((a, b) => b.properties.population - a.properties.population)[0];
    const [lon, lat] = biggest.geometry.coordinates;
    const added = await analyse({ ...elderly60, proposals: [{ lon, lat, facilityType: 'home_elderly_care_station' }] });
    expect(added.district.covered - r.district.covered).toBeGreaterThanOrEqual(biggest.properties.population);
    expect(added.proposals).toBe(1);
    const someStation = r.gaps.facilities.features[0].properties.id;
    const removed = await analyse({ ...elderly60, removedFacilityIds: [someStation] });
    expect(removed.district.covered).toBeLessThanOrEqual(r.district.covered);
    expect(removed.gaps.facilities.features.find((f: { properties: { id: number } }) => f.properties.id === someStation).properties.removed).toBe(true);
  });
});

describe('where to build next', () => {
  it('grid centroids, k = 3: greedy is compared with the exhaustive optimum, and the sites add what they claim', async () => {
    const start = await t.app.inject({
      method: 'POST', url: '/api/coverage/siting', headers: { cookie: planner },
      payload: { scenario: elderly60, k: 3, facilityType: 'home_elderly_care_station', candidates: 'grid_centroids', compareExhaustive: true },
    });
    expect(start.statusCode).toBe(202);
    const job = await waitForJob(start.json().id);
    expect(job.status).toBe('done');
    const result = job.result;
    expect(result.suggestions).toHaveLength(3);
    const added = result.suggestions.map((s: { addedCovered: number }) => s.addedCovered);
    expect([...added].sort((a, b) => b - a)).toEqual(added); // greedy gains never grow
    expect(result.exhaustive.complete).toBe(true);
    expect(result.exhaustive.optimalAdded).toBeGreaterThanOrEqual(result.totalAdded);
    expect(result.exhaustive.ratio).toBeGreaterThanOrEqual(1 - 1 / Math.E);
    expect(result.exhaustive.ratio).toBeLessThanOrEqual(1);

    const before = await analyse(elderly60);
    expect(result.baseline.covered).toBe(before.district.covered);
    const proposals = result.suggestions.map((s: { lon: number; lat: number }) => ({ lon: s.lon, lat: s.lat, facilityType: 'home_elderly_care_station' }));
    const after = await analyse({ ...elderly60, proposals });
    expect(after.district.covered - before.district.covered).toBe(result.totalAdded);
    expect(after.district.covered).toBe(result.suggestions[2].coveredAfter);
  });

  it('building points as candidates report progress while they run', async () => {
    const start = await t.app.inject({
      method: 'POST', url: '/api/coverage/siting', headers: { cookie: planner },
      payload: { scenario: { facilityTypes: ELDERLY, population: 'age80', distance: 'straight_line' }, k: 5, facilityType: 'day_care_centre', candidates: 'building_points' },
    });
    const stages = new Set<string>();
    let job = start.json();
    while (job.status === 'running') {
      stages.add(job.progress.stage);
      await new Promise((r) => setTimeout(r, 20));
      job = (await t.app.inject({ method: 'GET', url: `/api/coverage/siting/${job.id}`, headers: { cookie: planner } })).json();
    }
    expect(job.status).toBe('done');
    expect(stages.has('candidates')).toBe(true);
    expect(job.result.candidateCount).toBe(5724);
    expect(job.result.suggestions).toHaveLength(5);
  });

  it('refuses an exhaustive comparison for large k and an uploaded run without points', async () => {
    const big = await t.app.inject({ method: 'POST', url: '/api/coverage/siting', headers: { cookie: planner }, payload: { scenario: elderly60, k: 6, facilityType: 'day_care_centre', candidates: 'grid_centroids', compareExhaustive: true } });
    expect(big.statusCode).toBe(400);
    expect(big.json().message).toMatch(/k ≤ 3/);
    const none = await t.app.inject({ method: 'POST', url: '/api/coverage/siting', headers: { cookie: planner }, payload: { scenario: elderly60, k: 2, facilityType: 'day_care_centre', candidates: 'uploaded' } });
    expect(none.statusCode).toBe(400);
    expect(none.json().message).toMatch(/candidatePoints/);
  });
});

describe('an uploaded candidate list', () => {
  it('is read and converted from GCJ-02, with unreadable rows named; its sites can then be run', async () => {
    const csv = '名称,经度,纬度\n甲地块,108.714676263,34.343566595\n乙地块,abc,34.3\n丙地块,34.3,108.7\n,108.72,34.34\n';
    const boundary = '----wanggeCandidates';
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="sites.csv"\r\nContent-Type: text/csv\r\n\r\n`),
      Buffer.from(csv),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await t.app.inject({
      method: 'POST', url: '/api/coverage/candidates?sourceCrs=gcj02', payload,
      headers: { cookie: planner, 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.points).toHaveLength(2);
    expect(body.points[0]).toMatchObject({ label: '甲地块', rowNumber: 2 });
    // A row without a name carries its row number and no label: the UI names it in its language.
    expect(body.points[1].rowNumber).toBe(5);
    expect(body.points[1]).not.toHaveProperty('label');
    // The WGS84 truth of that GCJ-02 position is (108.71, 34.345).
    expect(Math.abs(body.points[0].lon - 108.71) * 92_000).toBeLessThan(1);
    expect(Math.abs(body.points[0].lat - 34.345) * 111_000).toBeLessThan(1);
    expect(body.errors.map((e: { rowNumber: number }) => e.rowNumber)).toEqual([3, 4]);
    expect(body.errors[1].message).toMatch(/longitude first/);
    expect(body.errors[0]).toEqual({ rowNumber: 3, column: '经度', code: 'coverage.rowNotANumber', params: { text: 'abc' }, message: '"abc" is not a number' });
    expect(body.errors[1]).toMatchObject({ rowNumber: 4, column: null, code: 'coordinates.swapped', params: { lon: 34.3, lat: 108.7 } });
    expect(webText(body.errors[0])).toBe('“abc”不是数字');
    expect(webText(body.errors[1])).toBe('（34.3, 108.7）像是“纬度, 经度”：请把经度写在前面');
    expect(webText(body.errors[1], 'en')).toBe(body.errors[1].message);

    const start = await t.app.inject({
      method: 'POST', url: '/api/coverage/siting', headers: { cookie: planner },
      payload: { scenario: elderly60, k: 1, facilityType: 'day_care_centre', candidates: 'uploaded', candidatePoints: body.points },
    });
    const job = await waitForJob(start.json().id);
    expect(job.status).toBe('done');
    expect(job.result.candidateCount).toBe(2);
  });
});

describe('export', () => {
  it('writes sheets per grid, community and street with Chinese headers, matching the figures, and audits it', async () => {
    const r = await analyse(elderly60);
    const res = await t.app.inject({ method: 'POST', url: '/api/coverage/export', headers: { cookie: planner }, payload: elderly60 });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/spreadsheetml/);
    expect(res.headers['content-disposition']).toMatch(/filename\*=UTF-8''/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as never);
    expect(wb.worksheets.map((s) => s.name)).toEqual(['汇总', '网格', '社区', '街道']);
    const grids = wb.getWorksheet('网格')!;
    expect(grids.getRow(1).values).toEqual([undefined, '编码', '名称', '上级编码', '类型', '楼栋数', '未覆盖楼栋数', '人口', '已覆盖人口', '未覆盖人口', '覆盖率', '目标覆盖率', '是否达到目标', '是否达到80%']);
    expect(grids.rowCount).toBe(r.grids.length + 1);
    const streets = wb.getWorksheet('街道')!;
    const first = streets.getRow(2).values as unknown[];
    expect(first[1]).toBe(r.streets[0].code);
    expect(first[8]).toBe(r.streets[0].covered);
    expect(first[10]).toBeCloseTo(r.streets[0].share, 10);
    const { rows } = await t.db.pool.query(`SELECT detail FROM audit_log WHERE action = 'coverage.export'`);
    expect(rows).toHaveLength(1);
    expect(rows[0].detail).toMatchObject({ population: 'age60', facilityTypes: ELDERLY });
  });
});

describe('access', () => {
  it('planners and analysts may; grid workers and the public may not', async () => {
    expect((await t.app.inject({ method: 'POST', url: '/api/coverage/analysis', headers: { cookie: await t.loginAs('analyst') }, payload: elderly60 })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/api/coverage/analysis', headers: { cookie: await t.loginAs('grid_worker') }, payload: elderly60 })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: '/api/coverage/analysis', payload: elderly60 })).statusCode).toBe(401);
  });

});

describe('gaps for a map drawn from the vector tiles (gaps=map)', () => {
  it('carry every uncovered building id with its people, and only the proposed and removed stations', async () => {
    const full = await analyse(elderly60);
    const someStation = full.gaps.facilities.features[0].properties.id;
    const proposal = { lon: 108.7, lat: 34.35, facilityType: 'home_elderly_care_station' };
    const scenario = { ...elderly60, proposals: [proposal], removedFacilityIds: [someStation] };
    const res = await t.app.inject({ method: 'POST', url: '/api/coverage/analysis?gaps=map', headers: { cookie: planner }, payload: scenario });
    expect(res.statusCode).toBe(200);
    const map = res.json();
    const whatIf = await analyse(scenario);
    // Same figures as the full answer; the uncovered buildings as ids (ascending) and people, not points.
    expect(map.district).toEqual(whatIf.district);
    expect(map.gaps.uncoveredBuildings).toBeUndefined();
    const points = whatIf.gaps.uncoveredBuildings.features.map((f: { properties: { id: number; population: number } }) => f.properties);
    expect(map.gaps.uncoveredBuildingIds).toEqual(points.map((p: { id: number }) => p.id));
    expect(map.gaps.uncoveredBuildingPopulation).toEqual(points.map((p: { population: number }) => p.population));
    expect(map.gaps.uncoveredBuildingIds).toHaveLength(map.district.uncoveredBuildings);
    expect(whatIf.gaps.uncoveredBuildingIds).toEqual(map.gaps.uncoveredBuildingIds);
    // Stations come from the facility tiles: only the proposal's circle and the removed station here.
    expect(map.gaps.serviceAreas.features.map((f: { properties: { facilityId: number | null; proposalIndex: number | null } }) => f.properties)).toMatchObject([{ facilityId: null, proposalIndex: 0 }]);
    expect(map.gaps.facilities.features.map((f: { properties: { id: number; removed: boolean } }) => f.properties)).toMatchObject([{ id: someStation, removed: true }]);
    expect(map.gaps.uncoveredAreas).toEqual(whatIf.gaps.uncoveredAreas);
  });

  it('refuses an unknown detail, saying where', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/coverage/analysis?gaps=all', headers: { cookie: planner }, payload: elderly60 });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/querystring\/gaps/);
  });

  it('the whole-layer outlines endpoint is gone: the choropleth is drawn on the area and grid tiles', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/coverage/outlines?level=grid', headers: { cookie: planner } });
    expect(res.statusCode).toBe(404);
  });
});
