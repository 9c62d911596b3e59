/**
 * The demo's incidents carry the handling history their statuses imply: every incident starts
 * with its report, a closed one passes every step of the closed loop up to its closure, an open
 * one every step up to its state, a returned one is returned; times run forward between the
 * report and the closure (or the demo's anchor date). The detail panel's 办理记录 reads them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const LOOP = ['reported', 'accepted', 'dispatched', 'handling', 'verifying', 'closed'];

describe('the demo incidents’ handling history', () => {
  it('is the chain each status implies, in time order, within the incident’s own times', async () => {
    const { rows } = await t.db.pool.query(`
      WITH chains AS (
        SELECT i.id, i.status, i.reported_at, i.closed_at,
               array_agg(coalesce(e.from_status, '-') || '>' || e.to_status ORDER BY e.at, e.id) AS steps,
               min(e.at) AS first_at, max(e.at) AS last_at,
               bool_and(e.at >= i.reported_at) AS after_report,
               count(*) FILTER (WHERE e.to_status = 'returned' AND e.note = '') AS returns_without_note
        FROM incident i JOIN incident_event e ON e.incident_id = i.id
        GROUP BY i.district_code, i.id
      )
      SELECT status, steps, count(*)::int AS n,
             bool_and(first_at = reported_at) AS starts_at_report,
             bool_and(after_report) AS after_report,
             bool_and(status <> 'closed' OR last_at = closed_at) AS ends_at_closure,
             bool_and(last_at <= (SELECT anchor_date FROM demo_load)) AS before_anchor,
             sum(returns_without_note)::int AS returns_without_note
      FROM chains GROUP BY status, steps ORDER BY status`);
    const { rows: counts } = await t.db.pool.query(`SELECT count(*)::int AS incidents, count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM incident_event e WHERE e.incident_id = i.id))::int AS without FROM incident i`);
    expect(counts[0].incidents).toBeGreaterThan(20_000);
    expect(counts[0].without).toBe(0);
    // One chain per status, exactly the loop up to it.
    const chainOf = (status: string) => {
      if (status === 'returned') return ['->reported', 'reported>returned'];
      const upTo = LOOP.indexOf(status);
      return LOOP.slice(0, upTo + 1).map((s, k) => (k === 0 ? `->${s}` : `${LOOP[k - 1]}>${s}`));
    };
    expect(rows.map((r) => r.status).sort()).toEqual([...LOOP, 'returned'].sort());
    for (const r of rows) {
      expect(r.steps, r.status).toEqual(chainOf(r.status));
      expect(r).toMatchObject({ starts_at_report: true, after_report: true, ends_at_closure: true, before_anchor: true, returns_without_note: 0 });
    }
    // Times strictly forward within each incident.
    const { rows: backwards } = await t.db.pool.query(`
      SELECT count(*)::int AS n FROM (
        SELECT e.at <= lag(e.at) OVER (PARTITION BY e.incident_id ORDER BY e.id) AS back FROM incident_event e
      ) x WHERE back`);
    expect(backwards[0].n).toBe(0);
  });

  it('shows a closed incident’s 办理记录 in its detail, late closures late in handling', async () => {
    const analyst = await t.loginAs('analyst');
    const { rows } = await t.db.pool.query(`SELECT id FROM incident WHERE status = 'closed' AND closed_at > due_at ORDER BY id LIMIT 1`);
    const res = await t.app.inject({ method: 'GET', url: `/api/incidents/${rows[0].id}`, headers: { cookie: analyst } });
    expect(res.statusCode).toBe(200);
    const detail = res.json();
    expect(detail.events.map((e: { toStatus: string }) => e.toStatus)).toEqual(LOOP);
    expect(detail.events.at(-1).at).toBe(detail.closedAt.replace(/\.\d{3}Z$/, 'Z'));
    // Submitted for verification before the closure, after three quarters of the handling time.
    const t0 = Date.parse(detail.reportedAt);
    const verifying = Date.parse(detail.events[4].at);
    expect((verifying - t0) / (Date.parse(detail.closedAt) - t0)).toBeGreaterThanOrEqual(0.74);
  });
});
