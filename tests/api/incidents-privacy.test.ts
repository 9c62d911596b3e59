/**
 * Reporters' personal data on the demo district: masked in every answer to every role, unmasked
 * only for admin through the audited unmask, and never in the audit log itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { maskIdNumber, maskName, maskPhone } from '../../server/modules/incidents/masking.js';
import type { Role } from '../../server/modules/auth/roles.js';

let t: TestApp;
const cookies = {} as Record<Role, string>;
let ownIncident: number;
const SECRET = { name: '欧阳小明', phone: '13812345678', idNumber: '61040219900101123X' };
beforeAll(async () => {
  t = await createTestApp();
  for (const role of ['admin', 'planner', 'analyst', 'grid_worker'] as Role[]) cookies[role] = await t.loginAs(role);
  // An incident in one of the demo grid worker's grids, with a full reporter record.
  const { rows } = await t.db.pool.query(
    `SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(g.geom) AS p FROM grid g JOIN grid_staff s ON s.grid_id = g.id
       JOIN app_user u ON u.id = s.user_id WHERE u.username = 'gridworker' ORDER BY g.code LIMIT 1) x`,
  );
  const res = await t.app.inject({
    method: 'POST', url: '/api/incidents', headers: { cookie: cookies.admin },
    payload: { category: 'dispute', subCategory: 'neighbour', description: '邻里纠纷', lon: rows[0].lon, lat: rows[0].lat, source: 'hotline_12345', reporter: SECRET },
  });
  expect(res.statusCode).toBe(201);
  ownIncident = res.json().id;
});
afterAll(async () => t?.close());

describe('masking rules', () => {
  it('masks phones, ID numbers and names as the norm says', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('029-33123456')).toBe('029-****3456');
    expect(maskIdNumber('610402199001011234')).toBe('610402********1234');
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳小明')).toBe('欧**明');
  });
});

describe('what leaves the server', () => {
  it('the demo grid worker is linked to the grids of one community', async () => {
    const { rows } = await t.db.pool.query(`SELECT count(DISTINCT g.community_code)::int AS communities, count(*)::int AS grids FROM grid_staff s JOIN grid g ON g.id = s.grid_id JOIN app_user u ON u.id = s.user_id WHERE u.username = 'gridworker'`);
    expect(rows[0]).toEqual({ communities: 1, grids: 6 });
  });

  it.each(['admin', 'analyst', 'grid_worker'] as Role[])('%s sees the reporter masked in the detail', async (role) => {
    const res = await t.app.inject({ method: 'GET', url: `/api/incidents/${ownIncident}`, headers: { cookie: cookies[role] } });
    expect(res.statusCode).toBe(200);
    expect(res.json().reporter).toEqual({ name: '欧**明', phone: '138****5678', idNumber: '610402********123X', masked: true });
    expect(res.json().mayUnmask).toBe(role === 'admin');
    for (const value of Object.values(SECRET)) expect(res.body).not.toContain(value);
  });

  it('no answer of any incident route to an analyst or grid worker holds a demo reporter phone or name', async () => {
    const { rows } = await t.db.pool.query(
      `SELECT r.incident_id, r.name, r.phone FROM incident_reporter r JOIN incident i ON i.id = r.incident_id
       WHERE r.phone IS NOT NULL AND i.reported_at >= '2026-10-01' ORDER BY r.incident_id LIMIT 40`,
    );
    expect(rows.length).toBe(40);
    const q = 'from=2026-10-01&to=2026-11-01';
    const urls = [
      `/api/incidents/list?${q}&limit=500`, `/api/incidents?${q}&overdue=true&limit=500`, `/api/incidents/report?${q}`, `/api/incidents/summary?${q}`, `/api/incidents/by-grid?${q}`, `/api/incidents/hexagons?${q}`,
      `/api/incidents/compare?${q}&compareFrom=2026-09-01&compareTo=2026-10-01`, ...rows.map((r) => `/api/incidents/${r.incident_id}`),
    ];
    for (const url of urls) {
      const res = await t.app.inject({ method: 'GET', url, headers: { cookie: cookies.analyst } });
      expect(res.statusCode, url).toBe(200);
      for (const r of rows) {
        expect(res.body).not.toContain(r.phone);
        if (r.name && r.name.length >= 2) expect(res.body).not.toContain(`"${r.name}"`);
      }
    }
    const mine = await t.app.inject({ method: 'GET', url: '/api/incidents/mine?limit=200', headers: { cookie: cookies.grid_worker } });
    expect(mine.body).not.toContain(SECRET.phone);
    expect(mine.body).not.toMatch(/reporter/);
  });

  it('a grid worker cannot open an incident outside their grids', async () => {
    const { rows } = await t.db.pool.query(
      `SELECT i.id FROM incident i WHERE i.grid_id NOT IN (SELECT grid_id FROM grid_staff s JOIN app_user u ON u.id = s.user_id WHERE u.username = 'gridworker') LIMIT 1`,
    );
    const res = await t.app.inject({ method: 'GET', url: `/api/incidents/${rows[0].id}`, headers: { cookie: cookies.grid_worker } });
    expect(res.statusCode).toBe(404);
  });
});

describe('unmask', () => {
  const unmask = (role: Role, purpose = 'callback') =>
    t.app.inject({ method: 'POST', url: `/api/incidents/${ownIncident}/unmask`, headers: { cookie: cookies[role] }, payload: { purpose } });
  const audits = async () => (await t.db.pool.query(`SELECT actor_username, success, detail, target_id FROM audit_log WHERE action = 'incident.unmask' ORDER BY id`)).rows;

  it.each(['analyst', 'grid_worker', 'planner'] as Role[])('refuses %s and audits the refusal', async (role) => {
    const before = (await audits()).length;
    const res = await unmask(role);
    expect(res.statusCode).toBe(403);
    for (const value of Object.values(SECRET)) expect(res.body).not.toContain(value);
    const after = await audits();
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)).toMatchObject({ success: false, target_id: String(ownIncident), detail: { purpose: 'callback', reason: 'role' } });
  });

  it('gives admin the full record and audits it, with no personal data in the audit log', async () => {
    const res = await unmask('admin', 'verification');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(SECRET);
    expect((await audits()).at(-1)).toMatchObject({ actor_username: 'admin', success: true, detail: { purpose: 'verification' } });
    const { rows } = await t.db.pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE detail::text LIKE '%' || $1 || '%' OR detail::text LIKE '%' || $2 || '%'`, [SECRET.phone, SECRET.name]);
    expect(rows[0].n).toBe(0);
  });

  it('refuses a free-text purpose', async () => {
    const res = await unmask('admin', 'because I want to');
    expect(res.statusCode).toBe(400);
  });
});
