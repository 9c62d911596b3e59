import type { Queryable } from '../../db/pool.js';

/** The urban community whose grids the demo grid worker serves. */
export const DEMO_GRID_WORKER_COMMUNITY = '610402001001';

/**
 * Links the demo account 'gridworker' to one grid-manager post in each grid of one community,
 * so that "report in your own grids" can be tried in the demo. Idempotent; does nothing when
 * the account is missing or already linked. Migration 007 does the same for a database whose
 * demo was loaded before it.
 */
export async function linkDemoGridWorker(db: Queryable): Promise<void> {
  await db.query(
    `UPDATE grid_staff s SET user_id = u.id
     FROM app_user u
     WHERE u.username = 'gridworker'
       AND NOT EXISTS (SELECT 1 FROM grid_staff linked WHERE linked.user_id = u.id)
       AND s.id IN (
         SELECT DISTINCT ON (gs.grid_id) gs.id
         FROM grid_staff gs JOIN grid g ON g.id = gs.grid_id
         WHERE g.community_code = $1 AND g.retired_at IS NULL AND gs.role = 'manager'
         ORDER BY gs.grid_id, gs.id
       )`,
    [DEMO_GRID_WORKER_COMMUNITY],
  );
}
