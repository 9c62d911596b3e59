/**
 * Several districts, some without an outline yet: the checks that ask whether a point is ours use
 * the highest outline known on each branch (a district's, else its streets', else its
 * communities'), accept every point while no outline is known, and the tiles' bounds follow.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { addStaffAccounts } from '../helpers/staff-accounts.js';

const box = (x0: number, y0: number, x1: number, y1: number) => `ST_Multi(ST_MakeEnvelope(${x0}, ${y0}, ${x1}, ${y1}, 4326))`;

describe('the known territory', () => {
  let t: TestApp;
  let cookie: string;
  const facilityAt = (lon: number, lat: number) =>
    t.app.inject({
      method: 'POST',
      url: '/api/facilities',
      headers: { cookie },
      payload: { facilityType: 'day_care_centre', name: `站点 ${lon} ${lat}`, address: '', lon, lat, phone: null, openingHours: null, services: [], capacity: null, isPublic: true },
    });
  beforeAll(async () => {
    t = await createTestApp({ template: 'empty' });
    await addStaffAccounts(t.db.pool);
    cookie = await t.loginAs('planner');
    for (const [code, name] of [['410105', '金水区'], ['410105001', '经八路街道'], ['410102', '中原区'], ['410102001', '林山寨街道']]) {
      const res = await t.app.inject({ method: 'POST', url: '/api/areas', headers: { cookie }, payload: { code, name } });
      expect(res.statusCode).toBe(201);
    }
  });
  afterAll(async () => t?.close());

  it('accepts any point while no outline is known', async () => {
    expect((await facilityAt(113.7, 34.8)).statusCode).toBe(201);
  });

  it("uses a district's outline, and a street's where its district has none", async () => {
    await t.db.pool.query(`UPDATE admin_area SET geom = ${box(113.66, 34.76, 113.80, 34.86)} WHERE code = '410105'`);
    await t.db.pool.query(`UPDATE admin_area SET geom = ${box(113.60, 34.76, 113.64, 34.80)} WHERE code = '410102001'`);
    expect((await facilityAt(113.70, 34.80)).statusCode).toBe(201);
    expect((await facilityAt(113.62, 34.78)).statusCode).toBe(201);
    const outside = await facilityAt(113.65, 34.78);
    expect(outside.statusCode).toBe(400);
    expect(outside.json().message).toMatch(/lies \d+ m outside the district/);
  });

  it('the tiles cover both districts', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/tiles/areas.json' });
    expect(res.statusCode).toBe(200);
    const [w, s, e, n] = res.json().bounds.map((v: number) => Math.round(v * 100) / 100);
    expect([w, s, e, n]).toEqual([113.6, 34.76, 113.8, 34.86]);
  });
});
