/**
 * Coverage on hand-made fixtures with known answers: the 1,000 m edge (999 m in, 1,001 m out),
 * shares per grid, community, street and district counted by hand, what-if changes, stored
 * service areas following moves and radius changes, and siting on an uploaded candidate list.
 */
import { Value } from 'typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { loadFixture } from '../fixtures/coverage/load-fixture.js';
import { CoverageResult, SitingJob } from '../../server/modules/coverage/schemas.js';

type Row = { code: string; population: number; covered: number; uncovered: number; share: number | null; target: number | null; meetsTarget: boolean | null; meetsLine: boolean | null; buildings: number; uncoveredBuildings: number };
type Result = { district: Row; streets: Row[]; communities: Row[]; grids: Row[]; gaps: { uncoveredBuildings: { features: { properties: { id: number; name: string; nearestStationMeters: number } }[] }; uncoveredAreas: { features: { properties: { gridCode: string; uncoveredBuildings: number } }[] }; serviceAreas: { features: { properties: { facilityId: number | null; radiusMeters: number } }[] } } };

async function analyse(t: TestApp, cookie: string, body: object) {
  const res = await t.app.inject({ method: 'POST', url: '/api/coverage/analysis', headers: { cookie }, payload: body });
  if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`);
  const json = res.json();
  expect(Value.Check(CoverageResult, json), 'the reply matches the CoverageResult schema').toBe(true);
  return json as Result;
}
const byCode = (rows: Row[], code: string) => rows.find((r) => r.code === code)!;

describe('the 1,000 m edge', () => {
  let t: TestApp;
  let cookie: string;
  let ids: Awaited<ReturnType<typeof loadFixture>>;
  beforeAll(async () => {
    t = await createTestApp({ template: 'empty' });
    ids = await loadFixture(t.db.pool, 'station-999m-and-1001m.geojson');
    cookie = await t.loginAs('planner');
  });
  afterAll(async () => t?.close());

  it('the fixture is what it says: buildings 999 m and 1,001 m from the station on the spheroid', async () => {
    const { rows } = await t.db.pool.query(
      `SELECT b.name, ST_Distance(b.geom::geography, f.geom::geography) AS d FROM building b, facility f ORDER BY b.id`,
    );
    for (const r of rows) expect(Math.abs(r.d - Number(r.name.match(/^b(\d+)/)[1]))).toBeLessThan(0.01);
  });

  it('covers the buildings 999 m away at a 1,000 m radius and not those 1,001 m away', async () => {
    const result = await analyse(t, cookie, { facilityTypes: ['home_elderly_care_station'], population: 'all' });
    const uncovered = result.gaps.uncoveredBuildings.features.map((f) => f.properties.name).sort();
    expect(uncovered).toEqual(['b1001e', 'b1001n', 'b1001sw']);
    expect(result.district).toMatchObject({ population: 600, covered: 300, uncovered: 300, share: 0.5, buildings: 6, uncoveredBuildings: 3 });
    for (const f of result.gaps.uncoveredBuildings.features) expect(f.properties.nearestStationMeters).toBe(1001);
  });

  it('follows a change of the type radius (stored areas redrawn): at 1,002 m all six are covered', async () => {
    const res = await t.app.inject({ method: 'PUT', url: '/api/facility-types/home_elderly_care_station/service-radius', headers: { cookie }, payload: { serviceRadiusMeters: 1002 } });
    expect(res.statusCode).toBe(200);
    expect(res.json().serviceRadiusMeters).toBe(1002);
    const { rows } = await t.db.pool.query(`SELECT radius_meters FROM facility_service_area WHERE facility_id = $1`, [ids.facilities.S]);
    expect(rows[0].radius_meters).toBe(1002);
    const result = await analyse(t, cookie, { facilityTypes: ['home_elderly_care_station'], population: 'all' });
    expect(result.district.covered).toBe(600);
    await t.app.inject({ method: 'PUT', url: '/api/facility-types/home_elderly_care_station/service-radius', headers: { cookie }, payload: { serviceRadiusMeters: 1000 } });
  });

  it('follows a move of the station: 2 m east, the east 1,001 m building is in and the south-west 999 m one is out', async () => {
    const current = (await t.app.inject({ method: 'GET', url: `/api/facilities/${ids.facilities.S}`, headers: { cookie } })).json();
    const { rows } = await t.db.pool.query(
      `SELECT ST_X(p::geometry) AS lon, ST_Y(p::geometry) AS lat FROM (SELECT ST_Project(geom::geography, 2, radians(90)) AS p FROM facility WHERE id = $1) s`,
      [ids.facilities.S],
    );
    const res = await t.app.inject({ method: 'PATCH', url: `/api/facilities/${ids.facilities.S}`, headers: { cookie }, payload: { version: current.version, lon: rows[0].lon, lat: rows[0].lat } });
    expect(res.statusCode).toBe(200);
    const result = await analyse(t, cookie, { facilityTypes: ['home_elderly_care_station'], population: 'all' });
    const uncovered = result.gaps.uncoveredBuildings.features.map((f) => f.properties.name).sort();
    expect(uncovered).toContain('b999sw');
    expect(uncovered).not.toContain('b1001e');
  });
});

describe('shares counted by hand (urban community U with grids U1, U2; village V with grid V1)', () => {
  let t: TestApp;
  let cookie: string;
  let ids: Awaited<ReturnType<typeof loadFixture>>;
  const elderly = { facilityTypes: ['day_care_centre', 'home_elderly_care_station'], population: 'age60' };
  beforeAll(async () => {
    t = await createTestApp({ template: 'empty' });
    ids = await loadFixture(t.db.pool, 'two-communities-hand-count.geojson');
    cookie = await t.loginAs('analyst');
  });
  afterAll(async () => t?.close());

  it('elderly facilities, people aged 60+', async () => {
    const r = await analyse(t, cookie, elderly);
    // U1: a1 (50) and a2 (30) within 1,000 m of day-care centre A, a3 (40) 1,400 m away → 80 of 120.
    expect(byCode(r.grids, '610402001001001')).toMatchObject({ population: 120, covered: 80, uncovered: 40, target: 0.9, meetsTarget: false, meetsLine: false });
    expect(byCode(r.grids, '610402001001001').share).toBeCloseTo(80 / 120, 10);
    // U2: c1 (60) and c2 (20) are near party-mass centre C only, which is no elderly facility → 0 of 80.
    expect(byCode(r.grids, '610402001001002')).toMatchObject({ population: 80, covered: 0, share: 0, uncoveredBuildings: 2 });
    // V1: v1 (50) and v3 (35) within reach of station B, v2 (30) 2 km away → 85 of 115; village target 50%.
    expect(byCode(r.grids, '610402001201001')).toMatchObject({ population: 115, covered: 85, target: 0.5, meetsTarget: true, meetsLine: false });
    // Community U = U1 + U2 = 80 of 200 = 40%; village V = 85 of 115.
    expect(byCode(r.communities, '610402001001')).toMatchObject({ population: 200, covered: 80, share: 0.4, target: 0.9, meetsTarget: false });
    expect(byCode(r.communities, '610402001201')).toMatchObject({ population: 115, covered: 85, target: 0.5, meetsTarget: true });
    // Street and district: 165 of 315; target the population-weighted mix (200 × 90% + 115 × 50%) / 315.
    for (const row of [r.streets[0]!, r.district]) {
      expect(row).toMatchObject({ population: 315, covered: 165, uncovered: 150, kind: 'mixed' });
      expect(row.target).toBeCloseTo((200 * 0.9 + 115 * 0.5) / 315, 10);
    }
    // Ranked by uncovered elderly: U2 (80) before U1 (40) before V1 (30).
    expect(r.grids.map((g) => g.code)).toEqual(['610402001001002', '610402001001001', '610402001201001']);
    expect(r.gaps.uncoveredBuildings.features.map((f) => f.properties.name).sort()).toEqual(['a3', 'c1', 'c2', 'v2']);
  });

  it('all residents, every facility type counting: C now reaches U2', async () => {
    const r = await analyse(t, cookie, { facilityTypes: ['day_care_centre', 'home_elderly_care_station', 'party_mass_service_centre'], population: 'all' });
    expect(byCode(r.grids, '610402001001002')).toMatchObject({ population: 480, covered: 480, share: 1, meetsTarget: true });
    expect(byCode(r.grids, '610402001001001')).toMatchObject({ population: 450, covered: 300 });
    expect(r.district).toMatchObject({ population: 1200, covered: 300 + 480 + 210 });
  });

  it('people aged 80+', async () => {
    const r = await analyse(t, cookie, { ...elderly, population: 'age80' });
    expect(byCode(r.communities, '610402001001')).toMatchObject({ population: 10 + 5 + 8 + 12 + 4, covered: 15 });
    expect(byCode(r.communities, '610402001201')).toMatchObject({ population: 34, covered: 24 });
  });

  it('what-if: a proposed station at v2 reaches it; removing A uncovers U1; nothing is saved', async () => {
    const { rows } = await t.db.pool.query(`SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM building WHERE id = $1`, [ids.buildings.v2]);
    const withProposal = await analyse(t, cookie, { ...elderly, proposals: [{ lon: rows[0].lon, lat: rows[0].lat, facilityType: 'home_elderly_care_station' }] });
    expect(byCode(withProposal.grids, '610402001201001')).toMatchObject({ covered: 115, share: 1 });
    expect(withProposal.district.covered).toBe(165 + 30);
    expect(withProposal.gaps.serviceAreas.features.filter((f) => f.properties.facilityId === null)).toHaveLength(1);

    const withoutA = await analyse(t, cookie, { ...elderly, removedFacilityIds: [ids.facilities.A] });
    expect(byCode(withoutA.grids, '610402001001001')).toMatchObject({ covered: 0 });
    expect(withoutA.district.covered).toBe(85);

    const again = await analyse(t, cookie, elderly);
    expect(again.district.covered).toBe(165);
    const { rows: count } = await t.db.pool.query(`SELECT count(*)::int AS n FROM facility WHERE retired_at IS NULL`);
    expect(count[0].n).toBe(3);
  });

  it('draws the uncovered residential area only where uncovered buildings are', async () => {
    const r = await analyse(t, cookie, elderly);
    const byGrid = Object.fromEntries(r.gaps.uncoveredAreas.features.map((f) => [f.properties.gridCode, f.properties.uncoveredBuildings]));
    expect(byGrid).toEqual({ '610402001001001': 1, '610402001001002': 2, '610402001201001': 1 });
    const { rows } = await t.db.pool.query(
      `SELECT b.name FROM building b
       WHERE EXISTS (SELECT 1 FROM json_array_elements($1::json) f WHERE ST_Covers(ST_SetSRID(ST_GeomFromGeoJSON(f->>'geometry'), 4326), b.geom))
       ORDER BY b.name`,
      [JSON.stringify(r.gaps.uncoveredAreas.features)],
    );
    expect(rows.map((x) => x.name)).toEqual(['a3', 'c1', 'c2', 'v2']);
  });

  it('refuses a removal of a facility that does not count, and a proposal with swapped coordinates', async () => {
    const bad = await t.app.inject({ method: 'POST', url: '/api/coverage/analysis', headers: { cookie }, payload: { ...elderly, removedFacilityIds: [ids.facilities.C] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/body\/removedFacilityIds\/0: facility \d+ is not a live facility of the counting types/);
    const swapped = await t.app.inject({ method: 'POST', url: '/api/coverage/analysis', headers: { cookie }, payload: { ...elderly, proposals: [{ lon: 34.32, lat: 108.69, facilityType: 'day_care_centre' }] } });
    expect(swapped.statusCode).toBe(400);
    expect(swapped.json().message).toMatch(/body\/proposals\/0\/lat/);
    const none = await t.app.inject({ method: 'POST', url: '/api/coverage/analysis', headers: { cookie }, payload: { facilityTypes: [], population: 'all' } });
    expect(none.statusCode).toBe(400);
    expect(none.json().message).toMatch(/facilityTypes/);
  });

  it('siting on an uploaded list: greedy picks the site reaching c1 + c2 first, then a3, and matches the exhaustive optimum', async () => {
    const at = async (key: string) => (await t.db.pool.query(`SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM building WHERE id = $1`, [ids.buildings[key]])).rows[0];
    const [a3, c1, v2] = [await at('a3'), await at('c1'), await at('v2')];
    const candidatePoints = [
      { lon: v2.lon, lat: v2.lat, label: 'near v2' },
      { lon: a3.lon, lat: a3.lat, label: 'near a3' },
      { lon: c1.lon, lat: c1.lat, label: 'near c1 and c2' },
      { lon: 108.61, lat: 34.339, label: 'empty corner' },
    ];
    const start = await t.app.inject({
      method: 'POST', url: '/api/coverage/siting', headers: { cookie },
      payload: { scenario: elderly, k: 2, facilityType: 'home_elderly_care_station', candidates: 'uploaded', candidatePoints, compareExhaustive: true },
    });
    expect(start.statusCode).toBe(202);
    let job = start.json();
    for (let i = 0; i < 100 && job.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      job = (await t.app.inject({ method: 'GET', url: `/api/coverage/siting/${job.id}`, headers: { cookie } })).json();
    }
    expect(Value.Check(SitingJob, job)).toBe(true);
    expect(job.status).toBe('done');
    const result = job.result;
    expect(result.suggestions.map((s: { label: string }) => s.label)).toEqual(['near c1 and c2', 'near a3']);
    expect(result.suggestions.map((s: { addedCovered: number }) => s.addedCovered)).toEqual([80, 40]);
    expect(result.baseline).toMatchObject({ population: 315, covered: 165 });
    expect(result.usefulCandidates).toBe(3);
    expect(result.exhaustive).toMatchObject({ k: 2, greedyAdded: 120, optimalAdded: 120, ratio: 1, complete: true });
    // Another user does not see the run.
    const other = await t.app.inject({ method: 'GET', url: `/api/coverage/siting/${job.id}`, headers: { cookie: await t.loginAs('planner') } });
    expect(other.statusCode).toBe(404);
  });
});

describe('decided in a local frame, exact at the edge (buildings within millimetres of the radius)', () => {
  // The run decides most buildings, and whole grids, by a planar distance in a metric frame at
  // each station, and leaves to ST_DWithin on the spheroid only what lies within a margin of the
  // radius (2 m at 1,000 m). Here buildings sit at 1,000 m ± 5 mm (closer than the planar
  // distance can tell: it is up to 2 cm off here at 45°), ± 1.5 m and ± 3 m in eight directions, in a grid the station only partly reaches; a second grid, inside the first (its
  // buildings belong to it: the lower code), lies wholly within reach; a third lies beyond reach;
  // and one building is outside every grid and every community. Every figure must equal a
  // brute-force count.
  let t: TestApp;
  let cookie: string;
  const STATION = 'ST_SetSRID(ST_MakePoint(108.7, 34.33), 4326)::geography';
  beforeAll(async () => {
    t = await createTestApp({ template: 'empty' });
    await loadFixture(t.db.pool, 'station-999m-and-1001m.geojson');
    cookie = await t.loginAs('planner');
    const pool = t.db.pool;
    // Grid 000: a small square around the station, inside grid 001, wholly within 1,000 m.
    // Grid 002: beyond the community's east edge, 2.3 km and more from the station.
    await pool.query(
      `INSERT INTO grid (code, name, community_code, geom) VALUES
         ('610402001001000', '近网格', '610402001001', ST_Multi(ST_MakeEnvelope(108.699, 34.329, 108.701, 34.331, 4326))),
         ('610402001001002', '远网格', '610402001001', ST_Multi(ST_MakeEnvelope(108.725, 34.345, 108.735, 34.355, 4326)))`,
    );
    await pool.query(
      `INSERT INTO building (name, kind, geom, households, residents, residents_60_plus, residents_80_plus)
       SELECT format('edge %s m at %s°', d, az), 'building', ST_Project(${STATION}, d, radians(az))::geometry, 1, 10, 4, 1
       FROM unnest(ARRAY[999.995, 1000.005, 998.5, 1001.5, 997.0, 1003.0]::float8[]) AS d, generate_series(0, 315, 45) AS az
       UNION ALL
       SELECT format('near %s', i), 'building', ST_SetSRID(ST_MakePoint(108.6995 + i * 0.0002, 34.3302), 4326), 1, 7, 3, 1 FROM generate_series(0, 4) AS i
       UNION ALL
       SELECT format('far %s', i), 'building', ST_SetSRID(ST_MakePoint(108.726 + i * 0.001, 34.346), 4326), 1, 5, 2, 0 FROM generate_series(0, 4) AS i
       UNION ALL
       SELECT 'outside', 'building', ST_SetSRID(ST_MakePoint(108.75, 34.33), 4326), 1, 9, 9, 9`,
    );
  });
  afterAll(async () => t?.close());

  /** Per grid (lowest code for a building in two) and in all: people and covered people, by exact distance. */
  async function bruteForce(proposal?: { lon: number; lat: number; r: number }) {
    const { rows } = await t.db.pool.query(
      `WITH b AS (
         SELECT b.id, b.name, b.residents,
                (SELECT g.code FROM grid g WHERE g.retired_at IS NULL AND ST_Covers(g.geom, b.geom) ORDER BY g.code LIMIT 1) AS grid_code,
                ST_Distance(b.geom::geography, ${STATION}) <= 1000
                OR ($1::float8 IS NOT NULL AND ST_Distance(b.geom::geography, ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography) <= $3) AS covered
         FROM building b
       )
       SELECT grid_code, sum(residents)::int AS population, coalesce(sum(residents) FILTER (WHERE covered), 0)::int AS covered,
              array_agg(name ORDER BY name) FILTER (WHERE NOT covered) AS uncovered
       FROM b GROUP BY ROLLUP (grid_code)`,
      [proposal?.lon ?? null, proposal?.lat ?? null, proposal?.r ?? null],
    );
    return rows as { grid_code: string | null; population: number; covered: number; uncovered: string[] | null }[];
  }

  it('the edge buildings are where they say, and some of them fall on either side of 1,000 m', async () => {
    const { rows } = await t.db.pool.query(
      `SELECT name, ST_Distance(geom::geography, ${STATION}) AS d FROM building WHERE name LIKE 'edge %'`,
    );
    expect(rows).toHaveLength(48);
    for (const r of rows) expect(Math.abs(r.d - Number(r.name.split(' ')[1]))).toBeLessThan(0.001);
  });

  it('every figure equals the brute-force count, per grid and in all', async () => {
    const result = await analyse(t, cookie, { facilityTypes: ['home_elderly_care_station'], population: 'all' });
    const truth = await bruteForce();
    const total = truth.find((r) => r.grid_code === null && r.population === result.district.population);
    expect(result.district).toMatchObject({ population: 6 * 100 + 48 * 10 + 5 * 7 + 5 * 5 + 9, covered: total!.covered });
    for (const g of ['610402001001000', '610402001001001', '610402001001002']) {
      const row = truth.find((r) => r.grid_code === g)!;
      expect([g, byCode(result.grids, g).population, byCode(result.grids, g).covered]).toEqual([g, row.population, row.covered]);
    }
    // The near grid (inside grid 001, its buildings its own) is covered throughout, the far one not at all.
    expect(byCode(result.grids, '610402001001000')).toMatchObject({ population: 35, covered: 35 });
    expect(byCode(result.grids, '610402001001002')).toMatchObject({ population: 25, covered: 0 });
    const uncovered = result.gaps.uncoveredBuildings.features.map((f) => f.properties.name).sort();
    expect(uncovered).toEqual([...(total!.uncovered ?? [])].sort());
    // Where the planar distance errs by 2 cm, the exact test decides.
    expect(uncovered).toContain('edge 1000.005 m at 135°');
    expect(uncovered).not.toContain('edge 999.995 m at 45°');
    expect(uncovered).toContain('outside');
  });

  it('a proposal just out of reach and one just within reach of the building outside every grid, as the brute force says', async () => {
    // A 500 m proposal 500.03 m west of the outside building leaves it out; one 499.97 m east reaches it.
    const { rows } = await t.db.pool.query(
      `SELECT ST_X(p::geometry) AS lon, ST_Y(p::geometry) AS lat, ST_X(q::geometry) AS qlon, ST_Y(q::geometry) AS qlat
       FROM (SELECT ST_Project(geom::geography, 500.03, radians(270)) AS p, ST_Project(geom::geography, 499.97, radians(90)) AS q
             FROM building WHERE name = 'outside') s`,
    );
    const out = await analyse(t, cookie, { facilityTypes: ['home_elderly_care_station'], population: 'all', proposals: [{ lon: rows[0].lon, lat: rows[0].lat, facilityType: 'home_elderly_care_station', radiusMeters: 500 }] });
    expect(out.gaps.uncoveredBuildings.features.map((f) => f.properties.name)).toContain('outside');
    const truthOut = await bruteForce({ lon: rows[0].lon, lat: rows[0].lat, r: 500 });
    expect(out.district.covered).toBe(truthOut.find((r) => r.grid_code === null && r.population === out.district.population)!.covered);

    const inn = await analyse(t, cookie, { facilityTypes: ['home_elderly_care_station'], population: 'all', proposals: [{ lon: rows[0].qlon, lat: rows[0].qlat, facilityType: 'home_elderly_care_station', radiusMeters: 500 }] });
    expect(inn.gaps.uncoveredBuildings.features.map((f) => f.properties.name)).not.toContain('outside');
    const truthIn = await bruteForce({ lon: rows[0].qlon, lat: rows[0].qlat, r: 500 });
    expect(inn.district.covered).toBe(truthIn.find((r) => r.grid_code === null && r.population === inn.district.population)!.covered);
    expect(inn.district.covered - out.district.covered).toBe(9);
  });
});
