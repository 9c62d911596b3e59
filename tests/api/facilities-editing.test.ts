/**
 * Planners create, edit, move and retire facilities and set a type's walking radius; the stored
 * service area follows every change; stale versions and bad places are refused and change nothing.
 */
import * as turf from '@turf/turf';
import { Value } from 'typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { FacilityRecord } from '../../server/modules/facilities/editing-schemas.js';
import { toWgs84 } from '../../server/shared/coordinates.js';

let t: TestApp;
let planner: string;
beforeAll(async () => {
  t = await createTestApp();
  planner = await t.loginAs('planner');
});
afterAll(async () => t?.close());

const draft = {
  facilityType: 'home_elderly_care_station',
  name: '测试新建居家养老服务站',
  address: '人民路100号',
  lon: 108.7,
  lat: 34.34,
  phone: '029-33000000',
  openingHours: '8:00-18:00',
  services: ['助餐', '日间照料'],
  capacity: 30,
  isPublic: true,
};

const send = (method: 'POST' | 'PATCH' | 'PUT' | 'GET', url: string, payload?: object, cookie = planner) =>
  t.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });

async function storedArea(id: number) {
  const { rows } = await t.db.pool.query(
    `SELECT a.radius_meters, ST_AsGeoJSON(a.geom) AS geom, ST_X(f.geom) AS lon, ST_Y(f.geom) AS lat
     FROM facility_service_area a JOIN facility f ON f.id = a.facility_id WHERE a.facility_id = $1`,
    [id],
  );
  return rows[0] as { radius_meters: number; geom: string; lon: number; lat: number } | undefined;
}

function expectCircle(area: { geom: string; lon: number; lat: number }, radius: number) {
  for (const vertex of JSON.parse(area.geom).coordinates[0]) {
    const d = turf.distance([area.lon, area.lat], vertex, { units: 'meters' });
    expect(Math.abs(d - radius)).toBeLessThan(radius * 0.005 + 1);
  }
}

describe('creating', () => {
  it('stores the facility and its service area (the type radius as a metric circle), with an audit entry', async () => {
    const res = await send('POST', '/api/facilities', draft);
    expect(res.statusCode).toBe(201);
    const record = res.json();
    expect(Value.Check(FacilityRecord, record)).toBe(true);
    expect(record).toMatchObject({ name: draft.name, version: 1, serviceRadiusMeters: 1000, retiredAt: null });
    const area = (await storedArea(record.id))!;
    expect(area.radius_meters).toBe(1000);
    expectCircle(area, 1000);
    const { rows } = await t.db.pool.query(`SELECT detail FROM audit_log WHERE action = 'facility.create' AND target_id = $1`, [String(record.id)]);
    expect(rows).toHaveLength(1);
    // The public map reads the stored circle through the existing route.
    const served = (await t.app.inject({ method: 'GET', url: `/api/facilities/${record.id}/service-area?distance=straight_line` })).json();
    const { rows: stored } = await t.db.pool.query(`SELECT ST_AsGeoJSON(geom, 6)::json AS g FROM facility_service_area WHERE facility_id = $1`, [record.id]);
    expect(served.geometry).toEqual(stored[0].g);
  });

  it('converts GCJ-02 coordinates typed from Amap to within 1 m of the WGS84 truth', async () => {
    // Amap shows this station at the GCJ-02 position of the WGS84 point (108.71, 34.345).
    const truth: [number, number] = [108.71, 34.345];
    const gcj = [108.714676263, 34.343566595] as [number, number];
    expect(turf.distance(toWgs84(gcj, 'gcj02'), truth, { units: 'meters' })).toBeLessThan(1);
    const res = await send('POST', '/api/facilities', { ...draft, name: '测试GCJ站', lon: gcj[0], lat: gcj[1], sourceCrs: 'gcj02' });
    expect(res.statusCode).toBe(201);
    const { rows } = await t.db.pool.query(`SELECT ST_Distance(geom::geography, ST_SetSRID(ST_MakePoint($2, $3), 4326)::geography) AS d FROM facility WHERE id = $1`, [res.json().id, ...truth]);
    expect(rows[0].d).toBeLessThan(1);
  });

  it('keeps empty optional fields empty (null, not 0 or "")', async () => {
    const res = await send('POST', '/api/facilities', { ...draft, name: '测试空字段站', phone: null, openingHours: null, capacity: null, services: [] });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ phone: null, openingHours: null, capacity: null, services: [] });
    const edited = await send('PATCH', `/api/facilities/${res.json().id}`, { version: 1, capacity: null, phone: null });
    expect(edited.json()).toMatchObject({ phone: null, capacity: null });
  });

  it('refuses a place outside the district and swapped coordinates, writing nothing', async () => {
    const { rows: before } = await t.db.pool.query(`SELECT count(*)::int AS n FROM facility`);
    const outside = await send('POST', '/api/facilities', { ...draft, lon: 116.4, lat: 39.9 });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().message).toMatch(/body\/lon,lat: .* outside the district; check the coordinate system/);
    const swapped = await send('POST', '/api/facilities', { ...draft, lon: 34.34, lat: 88 });
    expect(swapped.statusCode).toBe(400);
    const { rows: after } = await t.db.pool.query(`SELECT count(*)::int AS n FROM facility`);
    expect(after[0].n).toBe(before[0].n);
  });

  it('is for planners and admins only', async () => {
    expect((await send('POST', '/api/facilities', draft, await t.loginAs('analyst'))).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: '/api/facilities', payload: draft })).statusCode).toBe(401);
  });
});

describe('editing, moving and retiring', () => {
  let id: number;
  beforeAll(async () => {
    id = (await send('POST', '/api/facilities', { ...draft, name: '测试移动站' })).json().id;
  });

  it('an edit that does not move keeps the stored area; a move redraws it around the new place', async () => {
    const areaBefore = (await storedArea(id))!;
    const edited = await send('PATCH', `/api/facilities/${id}`, { version: 1, name: '测试移动站（改名）', capacity: 40 });
    expect(edited.statusCode).toBe(200);
    expect(edited.json()).toMatchObject({ version: 2, name: '测试移动站（改名）', capacity: 40, services: draft.services });
    expect((await storedArea(id))!.geom).toBe(areaBefore.geom);

    const moved = await send('PATCH', `/api/facilities/${id}`, { version: 2, lon: 108.69, lat: 34.345 });
    expect(moved.statusCode).toBe(200);
    const areaAfter = (await storedArea(id))!;
    expect([areaAfter.lon, areaAfter.lat]).toEqual([108.69, 34.345]);
    expectCircle(areaAfter, 1000);
    const { rows } = await t.db.pool.query(`SELECT action FROM audit_log WHERE target_type = 'facility' AND target_id = $1 ORDER BY id`, [String(id)]);
    expect(rows.map((r) => r.action)).toEqual(['facility.create', 'facility.update', 'facility.move']);
  });

  it('refuses a stale version with a 409 that says so, changing nothing', async () => {
    const res = await send('PATCH', `/api/facilities/${id}`, { version: 1, name: '过期的修改' });
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toMatch(/changed by someone else \(version 3, you edited version 1\)/);
    expect((await send('GET', `/api/facilities/${id}`)).json().name).toBe('测试移动站（改名）');
  });

  it('retires: gone from the public map and its circle, kept on record; a second retire is a 409', async () => {
    const res = await send('POST', `/api/facilities/${id}/retire`, { version: 3 });
    expect(res.statusCode).toBe(200);
    expect(res.json().retiredAt).not.toBeNull();
    const list = (await t.app.inject({ method: 'GET', url: '/api/facilities' })).json();
    expect(list.features.some((f: { id: number }) => f.id === id)).toBe(false);
    expect((await t.app.inject({ method: 'GET', url: `/api/facilities/${id}/service-area` })).statusCode).toBe(404);
    const again = await send('POST', `/api/facilities/${id}/retire`, { version: 4 });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toMatch(/already retired/);
    expect((await send('PATCH', `/api/facilities/${id}`, { version: 4, name: 'x' })).statusCode).toBe(409);
  });

  it('404 for a facility that does not exist', async () => {
    expect((await send('PATCH', '/api/facilities/999999', { version: 1, name: 'x' })).statusCode).toBe(404);
    expect((await send('GET', '/api/facilities/999999')).statusCode).toBe(404);
  });
});

describe("a type's walking radius", () => {
  it('redraws the stored area of every facility of the type (700 m for elderly care), audited', async () => {
    const res = await send('PUT', '/api/facility-types/day_care_centre/service-radius', { serviceRadiusMeters: 700 });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ code: 'day_care_centre', serviceRadiusMeters: 700 });
    const { rows } = await t.db.pool.query(
      `SELECT a.radius_meters, ST_AsGeoJSON(a.geom) AS geom, ST_X(f.geom) AS lon, ST_Y(f.geom) AS lat
       FROM facility f JOIN facility_service_area a ON a.facility_id = f.id WHERE f.facility_type = 'day_care_centre'`,
    );
    expect(rows).toHaveLength(21);
    for (const r of rows) {
      expect(r.radius_meters).toBe(700);
      expectCircle(r, 700);
    }
    const { rows: audit } = await t.db.pool.query(`SELECT detail FROM audit_log WHERE action = 'facility_type.set_radius'`);
    expect(audit[0].detail).toMatchObject({ previousRadiusMeters: 1000, radiusMeters: 700, facilitiesRedrawn: 21 });
  });

  it('refuses a radius out of range', async () => {
    const res = await send('PUT', '/api/facility-types/day_care_centre/service-radius', { serviceRadiusMeters: 20 });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/serviceRadiusMeters/);
  });
});

describe('a planner limited to one community', () => {
  it('works on facilities inside it only, and may not change a district-wide radius', async () => {
    const { rows } = await t.db.pool.query(
      `SELECT code FROM admin_area WHERE level = 'community' AND ST_Covers(geom, ST_SetSRID(ST_MakePoint(108.7, 34.34), 4326))`,
    );
    const community = rows[0].code as string;
    await t.db.pool.query(`UPDATE app_user SET scope_area_code = $1 WHERE username = 'planner'`, [community]);
    try {
      const scoped = await t.loginAs('planner');
      const inside = await send('POST', '/api/facilities', { ...draft, name: '测试范围内站' }, scoped);
      expect(inside.statusCode).toBe(201);
      const outside = await send('POST', '/api/facilities', { ...draft, name: '测试范围外站', lon: 108.66, lat: 34.33 }, scoped);
      expect(outside.statusCode).toBe(403);
      expect(outside.json().message).toMatch(new RegExp(`outside your area ${community}`));
      const away = await send('PATCH', `/api/facilities/${inside.json().id}`, { version: 1, lon: 108.66, lat: 34.33 }, scoped);
      expect(away.statusCode).toBe(403);
      expect((await send('PUT', '/api/facility-types/care_home/service-radius', { serviceRadiusMeters: 800 }, scoped)).statusCode).toBe(403);
      const { rows: names } = await t.db.pool.query(`SELECT count(*)::int AS n FROM facility WHERE name = '测试范围外站'`);
      expect(names[0].n).toBe(0);
    } finally {
      await t.db.pool.query(`UPDATE app_user SET scope_area_code = NULL WHERE username = 'planner'`);
    }
  });
});
