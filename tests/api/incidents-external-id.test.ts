/**
 * An external id (ticket numbers are sequential) reveals nothing outside the caller's reach:
 * POST /api/incidents with another area's ticket number answers 409 without the incident's
 * status, place or grid, for a grid worker and for an analyst limited to one street; within
 * reach the same ticket still answers the existing incident (idempotent intake).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
let worker: string;
interface Target { id: number; external_id: string; status: string; lon: number; lat: number; grid_code: string | null; community_code: string }
let own: Target;
let inStreet: Target;
let elsewhere: Target;
let street: string;

const pick = async (where: string, params: unknown[]): Promise<Target> => {
  const { rows } = await t.db.pool.query(
    `SELECT i.id, i.external_id, i.status, ST_X(i.geom) AS lon, ST_Y(i.geom) AS lat, g.code AS grid_code, i.community_code
       FROM incident i LEFT JOIN grid g ON g.id = i.grid_id
      WHERE i.grid_id IS NOT NULL AND i.community_code IS NOT NULL AND ${where} ORDER BY i.id LIMIT 1`,
    params,
  );
  expect(rows.length).toBe(1);
  return rows[0];
};

beforeAll(async () => {
  t = await createTestApp();
  worker = await t.loginAs('grid_worker');
  const { rows } = await t.db.pool.query(`SELECT s.grid_id FROM grid_staff s JOIN app_user u ON u.id = s.user_id WHERE u.username = 'gridworker'`);
  const ownGrids = rows.map((r) => Number(r.grid_id));
  expect(ownGrids.length).toBeGreaterThan(0);
  // Tickets of our own: a known number on an incident in the worker's grid, one in a street, one elsewhere.
  own = await pick('i.grid_id = ANY($1)', [ownGrids]);
  street = own.community_code.slice(0, 9);
  inStreet = await pick('left(i.community_code, 9) = $1 AND i.id <> $2', [street, own.id]);
  elsewhere = await pick('left(i.community_code, 9) <> $1', [street]);
  for (const [target, ticket] of [[own, 'TEST-000001'], [inStreet, 'TEST-000002'], [elsewhere, 'TEST-000003']] as const) {
    await t.db.pool.query('UPDATE incident SET external_id = $2 WHERE id = $1', [target.id, ticket]);
    target.external_id = ticket;
  }
});
afterAll(async () => t?.close());

const report = (cookie: string, payload: object) => t.app.inject({ method: 'POST', url: '/api/incidents', headers: { cookie }, payload });
const count = async () => Number((await t.db.pool.query('SELECT count(*) FROM incident')).rows[0].count);

/** The reply names nothing of the incident: not its id, status, grid, community or position. */
function revealsNothingOf(body: string, target: Target) {
  expect(body).not.toContain(`"id":${target.id}`);
  expect(body).not.toContain(target.status);
  if (target.grid_code) expect(body).not.toContain(target.grid_code);
  expect(body).not.toContain(target.community_code);
  expect(body).not.toContain(String(target.lon).slice(0, 8));
}

describe('external ids outside the caller’s reach', () => {
  it('a grid worker reporting in their own grid with another grid’s ticket gets a bare 409', async () => {
    const before = await count();
    const res = await report(worker, { category: 'sanitation', description: '楼道堆物', lon: own.lon, lat: own.lat, externalId: elsewhere.external_id });
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toMatch(/ticket number TEST-000003 is already used/);
    revealsNothingOf(res.body, elsewhere);
    expect(await count()).toBe(before);
    // The detail route agrees: no such incident for them.
    expect((await t.app.inject({ url: `/api/incidents/${elsewhere.id}`, headers: { cookie: worker } })).statusCode).toBe(404);
  });

  it('a grid worker reporting outside their grids learns nothing about the ticket either', async () => {
    const res = await report(worker, { category: 'sanitation', description: 'x', lon: elsewhere.lon, lat: elsewhere.lat, externalId: elsewhere.external_id });
    // Refused for the point (which the caller chose), before the ticket is looked at.
    expect(res.statusCode).toBe(403);
    expect(res.json().message).toMatch(/not one of your grids/);
    expect(res.body).not.toContain(elsewhere.external_id);
    expect(res.body).not.toContain(elsewhere.status);
  });

  it('a grid worker re-sending a ticket of their own grid gets the incident back', async () => {
    const res = await report(worker, { category: 'sanitation', description: 'x', lon: own.lon, lat: own.lat, externalId: own.external_id });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: own.id, created: false });
  });

  it('an analyst limited to one street: 409 for another street’s ticket, the incident for their own', async () => {
    await t.db.pool.query(`UPDATE app_user SET scope_area_code = $1 WHERE username = 'analyst'`, [street]);
    try {
      const analyst = await t.loginAs('analyst');
      const payload = { category: 'sanitation', description: 'x', lon: inStreet.lon, lat: inStreet.lat, source: 'hotline_12345' };
      const before = await count();
      const other = await report(analyst, { ...payload, externalId: elsewhere.external_id });
      expect(other.statusCode).toBe(409);
      revealsNothingOf(other.body, elsewhere);
      expect(await count()).toBe(before);
      const outside = await report(analyst, { ...payload, lon: elsewhere.lon, lat: elsewhere.lat, externalId: elsewhere.external_id });
      expect(outside.statusCode).toBe(403);
      expect(outside.json().message).toMatch(/outside your area/);
      const mine = await report(analyst, { ...payload, externalId: inStreet.external_id });
      expect(mine.statusCode).toBe(200);
      expect(mine.json()).toMatchObject({ id: inStreet.id, created: false });
    } finally {
      await t.db.pool.query(`UPDATE app_user SET scope_area_code = NULL WHERE username = 'analyst'`);
    }
  });

  it('an analyst of the whole district still gets any existing ticket back', async () => {
    const analyst = await t.loginAs('analyst');
    const res = await report(analyst, { category: 'sanitation', description: 'x', lon: own.lon, lat: own.lat, source: 'hotline_12345', externalId: elsewhere.external_id });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: elsewhere.id, created: false });
  });
});
