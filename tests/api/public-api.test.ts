/**
 * The public API as an anonymous visitor and as staff: areas, facilities, nearest stations,
 * service circles, and that nothing private reaches the public.
 */
import * as turf from '@turf/turf';
import { Value } from 'typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { AreaCollection } from '../../server/modules/areas/schemas.js';
import { FacilityCollection, FacilitySummary, NearestCollection, ServiceAreaFeature } from '../../server/modules/facilities/schemas.js';
import { GridCollection } from '../../server/modules/grids/schemas.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const get = (url: string, cookie?: string) => t.app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });

/** A point in the urban core of the demo district: the centroid of its first urban community. */
async function urbanPoint(): Promise<[number, number]> {
  const { rows } = await t.db.pool.query(
    `SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(geom) AS p FROM admin_area WHERE code = '610402001001') s`,
  );
  return [rows[0].lon, rows[0].lat];
}

describe('health', () => {
  it('reports the database and PostGIS versions', async () => {
    const res = await get('/health');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.status).toBe('ok');
    expect(body.database.postgis).toMatch(/^3\.\d+/);
  });
});

describe('areas', () => {
  it.each([
    ['district', 1],
    ['street', 12],
    ['community', 186],
  ])('lists the %s level (%i areas) as GeoJSON that matches the schema', async (level, count) => {
    const res = await get(`/api/areas?level=${level}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    const body = res.json();
    expect(Value.Check(AreaCollection, body)).toBe(true);
    expect(body.features).toHaveLength(count);
  });

  it('lists the communities of one street', async () => {
    const body = (await get('/api/areas?level=community&parent=610402011')).json();
    expect(body.features).toHaveLength(33);
    expect(body.features.filter((f: { properties: { kind: string } }) => f.properties.kind === 'village')).toHaveLength(30);
  });

  it('refuses an unknown level with a 400 that names the parameter', async () => {
    const res = await get('/api/areas?level=province');
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/querystring\/level/);
  });
});

describe('facilities for the public', () => {
  it('returns only public facilities, and only their public fields', async () => {
    const res = await get('/api/facilities');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(Value.Check(FacilityCollection, body)).toBe(true);
    const { rows } = await t.db.pool.query(`SELECT count(*) FILTER (WHERE is_public) AS public, count(*) FILTER (WHERE NOT is_public) AS private FROM facility`);
    expect(rows[0].private).toBeGreaterThan(0);
    expect(body.features).toHaveLength(rows[0].public);
    for (const f of body.features) {
      expect(Object.keys(f.properties).sort()).toEqual(['address', 'facilityType', 'id', 'name', 'openingHours', 'phone', 'services']);
    }
    expect(res.body).not.toMatch(/isPublic|capacity/);
  });

  it('gives staff every facility with capacity and visibility', async () => {
    const cookie = await t.loginAs('analyst');
    const body = (await get('/api/facilities', cookie)).json();
    const { rows } = await t.db.pool.query('SELECT count(*) AS n FROM facility');
    expect(body.features).toHaveLength(rows[0].n);
    expect(body.features.some((f: { properties: { isPublic: boolean } }) => f.properties.isPublic === false)).toBe(true);
  });

  it('filters by type, by service and by text', async () => {
    const byType = (await get('/api/facilities?type=party_mass_service_centre,day_care_centre')).json();
    expect(byType.features).toHaveLength(141 + 21);
    const byService = (await get(`/api/facilities?service=${encodeURIComponent('助餐')}`)).json();
    expect(byService.features.length).toBeGreaterThan(0);
    for (const f of byService.features) expect(f.properties.services).toContain('助餐');
    const sample = byType.features[5].properties.name as string;
    const byText = (await get(`/api/facilities?q=${encodeURIComponent(sample)}`)).json();
    expect(byText.features.map((f: { properties: { name: string } }) => f.properties.name)).toContain(sample);
    const bad = await get('/api/facilities?type=casino');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/casino/);
  });
});

describe('one facility and the counts, for a map that draws facilities from tiles', () => {
  it('returns one public facility by id, nothing for a hidden one, and 400 for a bad id', async () => {
    const { rows } = await t.db.pool.query(
      `(SELECT id, name, is_public FROM facility WHERE is_public AND retired_at IS NULL ORDER BY id DESC LIMIT 1)
       UNION ALL (SELECT id, name, is_public FROM facility WHERE NOT is_public AND retired_at IS NULL ORDER BY id LIMIT 1)`,
    );
    const [open, hidden] = rows;
    const one = (await get(`/api/facilities?id=${open.id}`)).json();
    expect(Value.Check(FacilityCollection, one)).toBe(true);
    expect(one.features).toHaveLength(1);
    expect(one.features[0].properties).toMatchObject({ id: open.id, name: open.name });
    expect(Object.keys(one.features[0].properties).sort()).toEqual(['address', 'facilityType', 'id', 'name', 'openingHours', 'phone', 'services']);
    expect((await get(`/api/facilities?id=${hidden.id}`)).json().features).toHaveLength(0);
    expect((await get(`/api/facilities?id=${hidden.id}`, await t.loginAs('planner'))).json().features[0].properties.isPublic).toBe(false);
    const bad = await get('/api/facilities?id=abc');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/querystring\/id/);
  });

  it('counts facilities per type and per service: public ones for anyone, all for staff', async () => {
    const res = await get('/api/facilities/summary');
    expect(res.statusCode).toBe(200);
    const summary = res.json();
    expect(Value.Check(FacilitySummary, summary)).toBe(true);
    // The same counts as the facilities themselves.
    const all = (await get('/api/facilities')).json() as { features: { properties: { facilityType: string; services: string[] } }[] };
    expect(summary.total).toBe(all.features.length);
    const byType = new Map<string, number>();
    for (const f of all.features) byType.set(f.properties.facilityType, (byType.get(f.properties.facilityType) ?? 0) + 1);
    expect(new Map(summary.byType.map((c: { facilityType: string; count: number }) => [c.facilityType, c.count]))).toEqual(byType);
    const services = new Set(all.features.flatMap((f) => f.properties.services));
    expect(new Set(summary.services.map((s: { service: string }) => s.service))).toEqual(services);
    const meal = summary.services.find((s: { service: string }) => s.service === '助餐');
    const withMeal = all.features.filter((f) => f.properties.services.includes('助餐'));
    expect(meal.byType.reduce((n: number, c: { count: number }) => n + c.count, 0)).toBe(withMeal.length);

    const staff = (await get('/api/facilities/summary', await t.loginAs('analyst'))).json();
    const { rows } = await t.db.pool.query('SELECT count(*)::int AS n FROM facility WHERE retired_at IS NULL');
    expect(staff.total).toBe(rows[0].n);
    expect(staff.total).toBeGreaterThan(summary.total);
  });
});

describe('nearest stations', () => {
  it('returns the nearest stations of a type in order, with distances that match an independent computation', async () => {
    const [lon, lat] = await urbanPoint();
    const res = await get(`/api/facilities/nearest?lon=${lon}&lat=${lat}&type=party_mass_service_centre&limit=5`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(Value.Check(NearestCollection, body)).toBe(true);
    expect(body.features).toHaveLength(5);
    // The demo has a walking network: nearest by the walk along it, which is never shorter than the straight line.
    expect(body.distanceMethod).toBe('network');
    const distances = body.features.map((f: { properties: { distanceMeters: number } }) => f.properties.distanceMeters);
    const walks = body.features.map((f: { properties: { walkingMeters: number } }) => f.properties.walkingMeters);
    expect([...walks].sort((a, b) => a - b)).toEqual(walks);
    for (const f of body.features) {
      expect(f.properties.facilityType).toBe('party_mass_service_centre');
      const haversine = turf.distance([lon, lat], f.geometry.coordinates, { units: 'meters' });
      expect(Math.abs(haversine - f.properties.distanceMeters)).toBeLessThan(haversine * 0.005 + 1);
      expect(f.properties.walkingMeters).toBeGreaterThanOrEqual(f.properties.distanceMeters - 1);
      expect(f.properties.walkingMinutes).toBeCloseTo((f.properties.walkingMeters / 1000) * 15, 0);
    }
    // No public station of that type is nearer than the first answer.
    const all = (await get('/api/facilities?type=party_mass_service_centre')).json();
    const nearestByHand = Math.min(...all.features.map((f: { geometry: { coordinates: number[] } }) => turf.distance([lon, lat], f.geometry.coordinates, { units: 'meters' })));
    expect(Math.min(...distances)).toBeGreaterThanOrEqual(nearestByHand - (nearestByHand * 0.005 + 1));
    // The first answer's walk is no longer than the walk to the straight-line nearest.
    expect(walks[0]).toBeLessThanOrEqual(Math.min(...walks));
  });

  it.each([
    ['lon=200&lat=34.3', /querystring\/lon/],
    ['lon=108.7&lat=108.7', /querystring\/lat/],
    ['lon=abc&lat=34.3', /querystring\/lon/],
    ['lat=34.3', /lon/],
    ['lon=108.7&lat=34.3&limit=0', /querystring\/limit/],
    ['lon=108.7&lat=34.3&type=casino', /querystring\/type/],
  ])('refuses %s with a 400 that says what is wrong', async (query, message) => {
    const res = await get(`/api/facilities/nearest?${query}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(message);
  });
});

describe('service circles', () => {
  it('with the demo walking network: the stored walking area, labelled as walked, not a circle', async () => {
    const { rows } = await t.db.pool.query(
      `SELECT f.id, ST_AsGeoJSON(w.geom, 6)::json AS g, w.walk_minutes, round(w.reach_meters)::int AS reach FROM facility f JOIN facility_walk_area w ON w.facility_id = f.id WHERE f.is_public ORDER BY f.id LIMIT 1`);
    const res = await get(`/api/facilities/${rows[0].id}/service-area`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(Value.Check(ServiceAreaFeature, body)).toBe(true);
    expect(body.properties).toMatchObject({ method: 'network', walkMinutes: rows[0].walk_minutes, radiusMeters: rows[0].reach });
    expect(body.geometry).toEqual(rows[0].g);
  });

  it("draws a true metric circle of the type's radius (1,000 m by default) as the straight-line fallback", async () => {
    const { rows } = await t.db.pool.query(`SELECT id, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM facility WHERE is_public ORDER BY id LIMIT 1`);
    const res = await get(`/api/facilities/${rows[0].id}/service-area?distance=straight_line`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(Value.Check(ServiceAreaFeature, body)).toBe(true);
    expect(body.properties).toMatchObject({ radiusMeters: 1000, method: 'straight_line', walkMinutes: null });
    for (const vertex of body.geometry.coordinates[0]) {
      const d = turf.distance([rows[0].lon, rows[0].lat], vertex, { units: 'meters' });
      expect(d).toBeGreaterThan(990);
      expect(d).toBeLessThan(1010);
    }
  });

  it('follows a change of the type radius', async () => {
    await t.db.pool.query(`UPDATE facility_type SET service_radius_meters = 700 WHERE code = 'day_care_centre'`);
    const { rows } = await t.db.pool.query(`SELECT id FROM facility WHERE facility_type = 'day_care_centre' LIMIT 1`);
    const body = (await get(`/api/facilities/${rows[0].id}/service-area?distance=straight_line`)).json();
    expect(body.properties.radiusMeters).toBe(700);
    await t.db.pool.query(`UPDATE facility_type SET service_radius_meters = 1000 WHERE code = 'day_care_centre'`);
  });

  it('hides non-public facilities from the public (404) but not from staff', async () => {
    const { rows } = await t.db.pool.query(`SELECT id FROM facility WHERE NOT is_public LIMIT 1`);
    expect((await get(`/api/facilities/${rows[0].id}/service-area`)).statusCode).toBe(404);
    const cookie = await t.loginAs('planner');
    expect((await get(`/api/facilities/${rows[0].id}/service-area`, cookie)).statusCode).toBe(200);
  });
});

describe('grids', () => {
  const community = '610402001001';

  it('are not public', async () => {
    const res = await get(`/api/grids?community=${community}`);
    expect(res.statusCode).toBe(401);
    expect(res.body).not.toMatch(/phone/);
  });

  it("show staff names and phones to planners but not to analysts", async () => {
    const planner = (await get(`/api/grids?community=${community}`, await t.loginAs('planner'))).json();
    expect(Value.Check(GridCollection, planner)).toBe(true);
    expect(planner.features.length).toBeGreaterThan(2);
    expect(planner.features[0].properties.gridLeader.name).toBeTruthy();
    expect(planner.features[0].properties.gridManagers.length).toBeGreaterThan(0);

    const analystRes = await get(`/api/grids?community=${community}`, await t.loginAs('analyst'));
    const analyst = analystRes.json();
    expect(Value.Check(GridCollection, analyst)).toBe(true);
    expect(analyst.features[0].properties.hasLeader).toBe(true);
    expect(analyst.features[0].properties.managerCount).toBeGreaterThan(0);
    expect(analystRes.body).not.toMatch(/gridLeader|gridManagers|phone/);
  });

  it('refuses a malformed community code', async () => {
    const res = await get('/api/grids?community=6104', await t.loginAs('planner'));
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/querystring\/community/);
  });
});

describe('API documentation', () => {
  it('serves an OpenAPI document that lists the routes', async () => {
    const res = await get('/docs/json');
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of ['/health', '/api/areas', '/api/grids', '/api/facilities', '/api/facilities/nearest']) expect(doc.paths).toHaveProperty(path);
  });
});
