/**
 * Grid-worker accounts and the grid posts they hold. A grid_staff row (a grid leader or grid
 * manager of one grid) may carry the user_id of a grid-worker account: that account then reports
 * in the grid and sees its incidents. Nothing caches the link: every check reads grid_staff, so a
 * worker's reach follows a change at once (the incident tiles of the grids concerned are dropped
 * by the triggers of migration 014).
 */
import type { PoolClient, Queryable } from '../../db/pool.js';
import { badRequest, conflict, notFound } from '../../shared/errors.js';
import type { SessionUser } from '../auth/roles.js';
import { assertInScope, ensureBaseline, recordVersions, type Actor } from './grid-store.js';

export type StaffRole = 'leader' | 'manager';

export interface ServedGrid {
  gridId: number;
  code: string;
  name: string;
  communityCode: string;
  role: StaffRole;
}

export interface GridWorkerAccount {
  id: number;
  username: string;
  displayName: string;
  scopeAreaCode: string | null;
}

/** Active grid-worker accounts a planner may link: all for an unscoped one, else those of their area. */
export async function linkableGridWorkers(db: Queryable, user: SessionUser): Promise<GridWorkerAccount[]> {
  const { rows } = await db.query<GridWorkerAccount>(
    `SELECT id::int, username, display_name AS "displayName", scope_area_code AS "scopeAreaCode"
       FROM app_user
      WHERE role = 'grid_worker' AND is_active
        AND ($1::text IS NULL OR scope_area_code IS NULL OR scope_area_code LIKE $1 || '%' OR $1 LIKE scope_area_code || '%')
      ORDER BY display_name, username`,
    [user.scopeAreaCode],
  );
  return rows;
}

/** The live grids an account serves, with its post in each. */
export async function gridsServedBy(db: Queryable, userId: number): Promise<ServedGrid[]> {
  const { rows } = await db.query<ServedGrid>(
    `SELECT g.id::int AS "gridId", g.code, g.name, g.community_code AS "communityCode", s.role
       FROM grid_staff s JOIN grid g ON g.id = s.grid_id
      WHERE s.user_id = $1 AND g.retired_at IS NULL ORDER BY g.code`,
    [userId],
  );
  return rows;
}

/**
 * Sets the grids an account serves. A grid it leaves: its post there stays (name and phone, which
 * planners edit in /plan) but is no longer linked. A grid it joins: the unlinked post there held
 * by someone of the account's display name is linked, else a new post (grid manager unless
 * `role` says leader) is added in that name. Each grid touched gets a new version, as any staff
 * edit. Returns the grids touched.
 */
export async function setServedGrids(
  client: PoolClient,
  actor: Actor,
  userId: number,
  wanted: readonly { code: string; role?: StaffRole }[],
): Promise<{ linked: string[]; unlinked: string[] }> {
  const { rows: [account] } = await client.query<{ role: string; display_name: string }>(
    'SELECT role, display_name FROM app_user WHERE id = $1 FOR UPDATE', [userId]);
  if (!account) throw notFound('staff.noUser', { id: userId });
  if (account.role !== 'grid_worker') throw badRequest('staff.notGridWorker', { id: userId });
  const codes = wanted.map((w) => w.code);
  const duplicate = codes.find((c, i) => codes.indexOf(c) !== i);
  if (duplicate) throw badRequest('staff.gridTwice', { grid: duplicate });
  const { rows: grids } = await client.query<{ id: number; code: string; community_code: string }>(
    `SELECT id::int, code, community_code FROM grid WHERE code = ANY($1::text[]) AND retired_at IS NULL ORDER BY id FOR UPDATE`, [codes]);
  const byCode = new Map(grids.map((g) => [g.code, g]));
  wanted.forEach((w, i) => {
    const grid = byCode.get(w.code);
    if (!grid) throw badRequest('staff.noLiveGrid', { index: i, grid: w.code });
    assertInScope(actor.user, grid.community_code);
  });
  const current = await gridsServedBy(client, userId);
  const leaving = current.filter((c) => !byCode.has(c.code));
  const joining = wanted.filter((w) => !current.some((c) => c.code === w.code));
  for (const grid of leaving) assertInScope(actor.user, grid.communityCode);
  const touched = [...leaving.map((g) => g.gridId), ...joining.map((w) => byCode.get(w.code)!.id)];
  if (touched.length === 0) return { linked: [], unlinked: [] };
  await ensureBaseline(client, touched);
  if (leaving.length) {
    await client.query('UPDATE grid_staff SET user_id = NULL WHERE user_id = $1 AND grid_id = ANY($2::bigint[])', [userId, leaving.map((g) => g.gridId)]);
  }
  for (const w of joining) {
    const grid = byCode.get(w.code)!;
    const role = w.role ?? 'manager';
    const { rows: [sameName] } = await client.query<{ id: number }>(
      `SELECT id FROM grid_staff WHERE grid_id = $1 AND user_id IS NULL AND name = $2 ORDER BY (role = $3) DESC, id LIMIT 1`,
      [grid.id, account.display_name, role]);
    if (sameName) {
      await client.query('UPDATE grid_staff SET user_id = $2 WHERE id = $1', [sameName.id, userId]);
      continue;
    }
    if (role === 'leader') {
      const { rows: [leader] } = await client.query(`SELECT 1 FROM grid_staff WHERE grid_id = $1 AND role = 'leader'`, [grid.id]);
      if (leader) throw conflict('staff.hasLeader', { grid: grid.code });
    }
    await client.query(`INSERT INTO grid_staff (grid_id, role, name, user_id) VALUES ($1, $2, $3, $4)`, [grid.id, role, account.display_name.slice(0, 50), userId]);
  }
  await client.query('UPDATE grid SET version = version + 1, updated_at = now() WHERE id = ANY($1::bigint[])', [touched]);
  await recordVersions(client, touched, 'staff', 'grids served by an account changed', actor);
  return { linked: joining.map((w) => w.code), unlinked: leaving.map((g) => g.code) };
}
