/**
 * The closed loop: every (from, to) pair of states for every role — allowed ones succeed and are
 * logged with who, when and the note; all others are refused with 403 (role), 409 (no such step)
 * or 404 (a grid worker outside their grids) and change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { insertIncident, loadGridFixture } from '../fixtures/incidents/load-fixture.js';
import type { Role } from '../../server/modules/auth/roles.js';

const STATES = ['reported', 'accepted', 'dispatched', 'handling', 'verifying', 'closed', 'returned'] as const;

/** The allowed steps, written out here independently of the server's table. */
const ALLOWED: Record<string, Role[]> = {
  'reported>accepted': ['analyst', 'admin'],
  'reported>returned': ['analyst', 'admin'],
  'accepted>dispatched': ['analyst', 'admin'],
  'accepted>returned': ['analyst', 'admin'],
  'dispatched>handling': ['grid_worker', 'admin'],
  'handling>verifying': ['grid_worker', 'admin'],
  'verifying>closed': ['analyst', 'admin'],
  'verifying>handling': ['analyst', 'admin'],
  'returned>reported': ['grid_worker', 'admin'],
};

let t: TestApp;
const cookies = {} as Record<Role, string>;
beforeAll(async () => {
  t = await createTestApp({ template: 'empty' });
  await loadGridFixture(t.db.pool);
  for (const role of ['admin', 'planner', 'analyst', 'grid_worker'] as Role[]) cookies[role] = await t.loginAs(role);
});
afterAll(async () => t?.close());

type Caller = { role: Role; ownGrid: boolean };
const CALLERS: Caller[] = [
  { role: 'admin', ownGrid: false },
  { role: 'analyst', ownGrid: false },
  { role: 'planner', ownGrid: false },
  { role: 'grid_worker', ownGrid: true },
  { role: 'grid_worker', ownGrid: false },
];

function expectedStatus(from: string, to: string, c: Caller): number {
  if (c.role === 'planner') return 403;
  if (c.role === 'grid_worker' && !c.ownGrid) return 404;
  const roles = ALLOWED[`${from}>${to}`];
  if (!roles) return 409;
  return roles.includes(c.role) ? 200 : 403;
}

const cases = STATES.flatMap((from) => STATES.flatMap((to) => CALLERS.map((c) => [from, to, c] as const)));

describe('every transition for every caller', () => {
  it.each(cases.map(([from, to, c]) => [`${from} → ${to} by ${c.role}${c.role === 'grid_worker' ? (c.ownGrid ? ' (own grid)' : ' (other grid)') : ''}`, from, to, c] as const))(
    '%s',
    async (_name, from, to, c) => {
      // Grid 001 is the grid worker's; 009 is not.
      const id = await insertIncident(t.db.pool, {
        grid: c.ownGrid ? '610402001001001' : '610402001001009',
        category: 'sanitation',
        status: from,
        reportedAt: '2026-10-01T09:00:00+08:00',
        closedAt: from === 'closed' ? '2026-10-02T09:00:00+08:00' : null,
      });
      const res = await t.app.inject({ method: 'POST', url: `/api/incidents/${id}/transitions`, headers: { cookie: cookies[c.role] }, payload: { to, note: 'checked on site' } });
      const expected = expectedStatus(from, to, c);
      expect(res.statusCode, res.body).toBe(expected);
      const { rows } = await t.db.pool.query(`SELECT status, closed_at FROM incident WHERE id = $1`, [id]);
      const events = await t.db.pool.query(`SELECT e.from_status, e.to_status, e.note, u.role FROM incident_event e JOIN app_user u ON u.id = e.actor_user_id WHERE e.incident_id = $1`, [id]);
      if (expected === 200) {
        expect(rows[0].status).toBe(to);
        expect(rows[0].closed_at !== null).toBe(to === 'closed');
        expect(events.rows).toEqual([{ from_status: from, to_status: to, note: 'checked on site', role: c.role }]);
        expect(res.json().status).toBe(to);
        const audit = await t.db.pool.query(`SELECT detail FROM audit_log WHERE action = 'incident.transition' AND target_id = $1`, [String(id)]);
        expect(audit.rows.map((r) => r.detail)).toEqual([{ from, to }]);
      } else {
        expect(rows[0].status).toBe(from);
        expect(events.rows).toEqual([]);
        if (expected === 409) expect(res.json().message).toMatch(new RegExp(`cannot go to '${to}'`));
      }
    },
  );
});

describe('notes, history and deadlines', () => {
  it('needs a note to return an incident, and says so', async () => {
    const id = await insertIncident(t.db.pool, { grid: '610402001001001', category: 'dispute', status: 'reported', reportedAt: '2026-10-01T09:00:00+08:00' });
    const res = await t.app.inject({ method: 'POST', url: `/api/incidents/${id}/transitions`, headers: { cookie: cookies.analyst }, payload: { to: 'returned' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/body\/note: .* needs a note/);
  });

  it('runs the whole loop and keeps who, when and the note of each step; the detail offers only allowed steps', async () => {
    const id = await insertIncident(t.db.pool, { grid: '610402001001001', category: 'dispute', status: 'reported', reportedAt: '2026-11-01T09:00:00+08:00' });
    const step = (role: Role, to: string, note = '') => t.app.inject({ method: 'POST', url: `/api/incidents/${id}/transitions`, headers: { cookie: cookies[role] }, payload: { to, note } });
    const offered = async (role: Role) => (await t.app.inject({ method: 'GET', url: `/api/incidents/${id}`, headers: { cookie: cookies[role] } })).json().allowedTransitions.map((x: { to: string }) => x.to);
    expect(await offered('analyst')).toEqual(['accepted', 'returned']);
    expect(await offered('grid_worker')).toEqual([]);
    expect((await step('analyst', 'accepted', '立案')).statusCode).toBe(200);
    expect((await step('analyst', 'dispatched', '派遣至网格')).statusCode).toBe(200);
    expect(await offered('grid_worker')).toEqual(['handling']);
    expect((await step('grid_worker', 'handling', '已到场')).statusCode).toBe(200);
    expect((await step('grid_worker', 'verifying', '已处置')).statusCode).toBe(200);
    expect((await step('analyst', 'handling', '现场仍有堆物')).statusCode).toBe(200);
    expect((await step('grid_worker', 'verifying', '已清理')).statusCode).toBe(200);
    const closed = await step('analyst', 'closed', '核查通过');
    expect(closed.statusCode).toBe(200);
    const detail = closed.json();
    expect(detail.events.map((e: { toStatus: string; actor: string }) => `${e.toStatus}:${e.actor}`)).toEqual([
      'accepted:analyst', 'dispatched:analyst', 'handling:gridworker', 'verifying:gridworker', 'handling:analyst', 'verifying:gridworker', 'closed:analyst',
    ]);
    expect(detail.events.at(-1).note).toBe('核查通过');
    expect(detail.allowedTransitions).toEqual([]);
    expect(detail.closedAt).not.toBeNull();
  });

  it('flags an open incident past its deadline, and a closed one closed late', async () => {
    const open = await insertIncident(t.db.pool, { grid: '610402001001002', category: 'public_order', status: 'handling', reportedAt: '2026-01-01T09:00:00+08:00' });
    const late = await insertIncident(t.db.pool, { grid: '610402001001002', category: 'public_order', status: 'closed', reportedAt: '2026-01-01T09:00:00+08:00', closedAt: '2026-01-03T09:00:00+08:00' });
    const onTime = await insertIncident(t.db.pool, { grid: '610402001001002', category: 'public_order', status: 'closed', reportedAt: '2026-01-01T09:00:00+08:00', closedAt: '2026-01-01T19:00:00+08:00' });
    const overdue = async (id: number) => (await t.app.inject({ method: 'GET', url: `/api/incidents/${id}`, headers: { cookie: cookies.analyst } })).json().overdue;
    expect([await overdue(open), await overdue(late), await overdue(onTime)]).toEqual([true, true, false]);
  });
});
