/**
 * The demo district's synthetic walking network: loaded with the demo, the walking areas stored
 * for every facility, coverage by network below the straight-line circle (per street and for the
 * district), areas kept current when a facility moves or a type's time changes, and bad network
 * files refused with nothing changed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { multipart } from '../fixtures/grids/fixtures.js';

let t: TestApp;
let planner: string;
beforeAll(async () => {
  t = await createTestApp({ env: { EXPENSIVE_RATE_PER_MINUTE: '1000' } });
  planner = await t.loginAs('planner');
});
afterAll(async () => t?.close());

const ELDERLY = ['day_care_centre', 'home_elderly_care_station'];
const count = async (sql: string) => (await t.db.pool.query<{ n: number }>(sql)).rows[0]!.n;

describe('the demo network', () => {
  it('is loaded, synthetic, walkable where it should be, and every live facility has a walking area', async () => {
    const s = (await t.app.inject({ method: 'GET', url: '/api/network', headers: { cookie: planner } })).json();
    expect(s).toMatchObject({ loaded: true, ready: true, synthetic: true, distanceMethod: 'network', source: 'demo' });
    expect(s.segments).toBeGreaterThan(1000);
    expect(await count(`SELECT count(*)::int AS n FROM road_segment WHERE road_class = 'railway' AND walkable`)).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM road_segment WHERE bridge`)).toBeGreaterThanOrEqual(2);
    expect(await count(`SELECT count(*)::int AS n FROM facility f LEFT JOIN facility_walk_area a ON a.facility_id = f.id WHERE f.retired_at IS NULL AND a.facility_id IS NULL`)).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM building b LEFT JOIN building_walk_link l ON l.building_id = b.id WHERE l.building_id IS NULL`)).toBe(0);
    // A walking area never reaches beyond the circle of the same length.
    expect(await count(`SELECT count(*)::int AS n FROM facility_walk_area a JOIN facility f ON f.id = a.facility_id
                        WHERE NOT ST_Covers(ST_Buffer(f.geom::geography, a.reach_meters + 20, 'quad_segs=32')::geometry, a.geom)`)).toBe(0);
  });

  it('coverage by network is below the straight-line circle, for the district and every street, and is labelled', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/coverage/comparison', headers: { cookie: planner }, payload: { facilityTypes: ELDERLY, population: 'age60' } });
    expect(res.statusCode, res.body).toBe(200);
    const c = res.json();
    expect(c.district.networkCovered).toBeLessThan(c.district.straightLineCovered);
    expect(c.district.networkShare).toBeLessThan(c.district.straightLineShare);
    for (const st of c.streets) expect(st.networkCovered, st.name).toBeLessThanOrEqual(st.straightLineCovered);
    const a = await t.app.inject({ method: 'POST', url: '/api/coverage/analysis?gaps=map', headers: { cookie: planner }, payload: { facilityTypes: ELDERLY, population: 'age60' } });
    expect(a.json()).toMatchObject({ distanceMethod: 'network', distanceNote: null });
    expect(a.json().district.covered).toBe(c.district.networkCovered);
    const b = await t.app.inject({ method: 'POST', url: '/api/coverage/analysis?gaps=map', headers: { cookie: planner }, payload: { facilityTypes: ELDERLY, population: 'age60', distance: 'straight_line' } });
    expect(b.json().distanceMethod).toBe('straight_line');
    expect(b.json().district.covered).toBe(c.district.straightLineCovered);
  });

  it('a what-if station adds what a walk from it reaches, and no more than its circle', async () => {
    const body = { facilityTypes: ELDERLY, population: 'all' };
    const run = async (extra: object) => (await t.app.inject({ method: 'POST', url: '/api/coverage/analysis?gaps=map', headers: { cookie: planner }, payload: { ...body, ...extra } })).json();
    const before = await run({});
    // Where the walk does not reach yet: the uncovered building with most people.
    const ids: number[] = before.gaps.uncoveredBuildingIds;
    const people: number[] = before.gaps.uncoveredBuildingPopulation;
    const most = ids[people.indexOf(Math.max(...people))];
    const { rows } = await t.db.pool.query(`SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM building WHERE id = $1`, [most]);
    const proposals = [{ lon: rows[0].lon, lat: rows[0].lat, facilityType: 'day_care_centre' }];
    const after = await run({ proposals });
    expect(after.district.covered).toBeGreaterThan(before.district.covered);
    const beforeCircle = await run({ distance: 'straight_line' });
    const afterCircle = await run({ distance: 'straight_line', proposals });
    expect(after.district.covered - before.district.covered).toBeLessThanOrEqual(afterCircle.district.covered - beforeCircle.district.covered + 50);
  });

  it('siting by network claims exactly what the what-if then computes with its stations added (residents and the elderly)', async () => {
    const waitForJob = async (id: string) => {
      for (let i = 0; i < 1200; i++) {
        const job = (await t.app.inject({ method: 'GET', url: `/api/coverage/siting/${id}`, headers: { cookie: planner } })).json();
        if (job.status !== 'running') return job;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('siting run did not finish');
    };
    const analyse = async (body: object) => {
      const res = await t.app.inject({ method: 'POST', url: '/api/coverage/analysis?gaps=map', headers: { cookie: planner }, payload: body });
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };
    for (const population of ['all', 'age60'] as const) {
      // No distance named: a district with a network is measured by walking, siting and what-if alike.
      const scenario = { facilityTypes: ELDERLY, population };
      const start = await t.app.inject({
        method: 'POST', url: '/api/coverage/siting', headers: { cookie: planner },
        payload: { scenario, k: 3, facilityType: 'home_elderly_care_station', candidates: 'grid_centroids' },
      });
      expect(start.statusCode, start.body).toBe(202);
      const job = await waitForJob(start.json().id);
      expect(job.status, job.error).toBe('done');
      const { suggestions, baseline, totalAdded } = job.result;
      expect(suggestions, population).toHaveLength(3);
      expect(totalAdded).toBeGreaterThan(0);

      const before = await analyse(scenario);
      expect(before.distanceMethod).toBe('network');
      expect(baseline.covered, population).toBe(before.district.covered);
      // Each suggestion added in turn: the what-if's district figure is the claimed one, step by step.
      for (let n = 1; n <= suggestions.length; n++) {
        const proposals = suggestions.slice(0, n).map((s: { lon: number; lat: number }) => ({ lon: s.lon, lat: s.lat, facilityType: 'home_elderly_care_station' }));
        const after = await analyse({ ...scenario, proposals });
        expect(after.distanceMethod).toBe('network');
        expect([population, n, after.district.covered]).toEqual([population, n, suggestions[n - 1].coveredAfter]);
        expect(after.district.covered - (n === 1 ? before.district.covered : suggestions[n - 2].coveredAfter)).toBe(suggestions[n - 1].addedCovered);
      }
      expect(suggestions[2].coveredAfter - before.district.covered).toBe(totalAdded);
    }
  }, 240_000);

  it('keeps a facility\'s walking area current when it moves, and a type\'s areas when its time changes', async () => {
    const { rows } = await t.db.pool.query(`SELECT f.id, a.updated_at, ST_AsText(a.geom) AS g FROM facility f JOIN facility_walk_area a ON a.facility_id = f.id WHERE f.facility_type = 'care_home' ORDER BY f.id LIMIT 1`);
    const other = await t.db.pool.query(`SELECT a.facility_id, a.updated_at FROM facility_walk_area a JOIN facility f ON f.id = a.facility_id WHERE f.facility_type = 'health_station' ORDER BY f.id LIMIT 1`);
    await t.db.pool.query(`UPDATE facility SET geom = ST_Translate(geom, 0.003, 0.001) WHERE id = $1`, [rows[0].id]);
    const moved = await t.db.pool.query(`SELECT ST_AsText(geom) AS g FROM facility_walk_area WHERE facility_id = $1`, [rows[0].id]);
    expect(moved.rows[0].g).not.toBe(rows[0].g);
    const untouched = await t.db.pool.query(`SELECT updated_at FROM facility_walk_area WHERE facility_id = $1`, [other.rows[0].facility_id]);
    expect(untouched.rows[0].updated_at).toEqual(other.rows[0].updated_at);

    const area = async () => (await t.db.pool.query(`SELECT avg(ST_Area(a.geom::geography)) AS a, min(a.reach_meters) AS r FROM facility_walk_area a JOIN facility f ON f.id = a.facility_id WHERE f.facility_type = 'care_home'`)).rows[0];
    const at15 = await area();
    await t.db.pool.query(`UPDATE facility_type SET walk_minutes = 5 WHERE code = 'care_home'`);
    const at5 = await area();
    expect(at5.r).toBeCloseTo(5 * 4000 / 60, 3);
    expect(Number(at5.a)).toBeLessThan(Number(at15.a));
    await t.db.pool.query(`UPDATE facility_type SET walk_minutes = 15 WHERE code = 'care_home'`);
  });

  it('the public nearest stations walk along the network and draw the route', async () => {
    const { rows } = await t.db.pool.query(`SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM building ORDER BY id LIMIT 1 OFFSET 1000`);
    const res = await t.app.inject({ method: 'GET', url: `/api/facilities/nearest?lon=${rows[0].lon}&lat=${rows[0].lat}&limit=3` });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.distanceMethod).toBe('network');
    for (const f of body.features) {
      expect(f.properties.walkingMeters).toBeGreaterThanOrEqual(f.properties.distanceMeters - 1);
      expect(f.properties.route).not.toBeNull();
    }
    const walks = body.features.map((f: { properties: { walkingMeters: number } }) => f.properties.walkingMeters);
    expect([...walks].sort((a, b) => a - b)).toEqual(walks);
  });
});

describe('bad network files: a clear 400 and nothing changed', () => {
  const post = (fileName: string, text: string) => {
    const body = multipart(fileName, Buffer.from(text), {});
    return t.app.inject({ method: 'POST', url: '/api/network/import', payload: body.payload, headers: { ...body.headers, cookie: planner } });
  };
  const line = (coords: number[][], props: object) => ({ type: 'Feature', properties: props, geometry: { type: 'LineString', coordinates: coords } });
  const fc = (...features: object[]) => JSON.stringify({ type: 'FeatureCollection', features });
  const snapshot = async () => (await t.db.pool.query(`SELECT (SELECT count(*) FROM road_segment)::int AS s, (SELECT count(*) FROM walk_edge)::int AS e, (SELECT count(*) FROM facility_walk_area)::int AS a, (SELECT source FROM road_network) AS src`)).rows[0];

  it('no walkable lines, lines far outside the district, an invalid geometry', async () => {
    const before = await snapshot();
    const noWalkable = await post('motorways.geojson', fc(line([[108.70, 34.33], [108.71, 34.33]], { highway: 'motorway' }), line([[108.70, 34.34], [108.71, 34.34]], { highway: 'motorway_link' })));
    expect(noWalkable.statusCode).toBe(400);
    expect(noWalkable.json().message).toMatch(/no walkable lines/);
    const far = await post('far.geojson', fc(line([[108.70, 34.33], [108.71, 34.33]], { highway: 'residential' }), line([[116.40, 39.90], [116.41, 39.90]], { highway: 'residential' })));
    expect(far.statusCode).toBe(400);
    expect(far.json().message).toMatch(/feature 2: lies \d+ m outside the district/);
    const invalid = await post('invalid.geojson', fc(line([[108.70, 34.33], [108.71, 34.33]], { highway: 'residential' }), line([[108.70, 34.33], [108.70, 34.33]], { highway: 'footway' })));
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().message).toMatch(/feature 2: invalid geometry/);
    expect(await snapshot()).toEqual(before);
  });

  it('only planners and admins import', async () => {
    const analyst = await t.loginAs('analyst');
    const body = multipart('x.geojson', Buffer.from(fc(line([[108.70, 34.33], [108.71, 34.33]], { highway: 'residential' }))), {});
    const res = await t.app.inject({ method: 'POST', url: '/api/network/import', payload: body.payload, headers: { ...body.headers, cookie: analyst } });
    expect(res.statusCode).toBe(403);
  });
});
