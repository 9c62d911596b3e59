/**
 * The numbered name of a comprehensive grid: "<社区名>第N网格", N the grid's sequence (the last
 * three digits of its code, without leading zeros). A grid whose name a planner did not choose
 * (`name_is_custom` false) carries this name, and it follows the code when the code changes.
 */
import type { PoolClient } from '../../db/pool.js';
import { communityShortName } from '../../demo/names.js';

export function numberedGridName(communityName: string, gridCode: string): string {
  return `${communityShortName(communityName)}第${Number(gridCode.slice(12))}网格`;
}

/** The numbered name a new grid of `communityCode` coded `gridCode` gets. */
export async function numberedNameFor(client: Pick<PoolClient, 'query'>, communityCode: string, gridCode: string): Promise<string> {
  const { rows: [community] } = await client.query<{ name: string }>(`SELECT name FROM admin_area WHERE code = $1`, [communityCode]);
  return numberedGridName(community?.name ?? '', gridCode);
}

/** Gives every grid of `ids` whose name is not a planner's own (and is comprehensive) the name its code gives. */
export async function renameNumbered(client: Pick<PoolClient, 'query'>, ids: readonly number[]): Promise<void> {
  const { rows } = await client.query<{ id: number; code: string; community: string }>(
    `SELECT g.id, g.code, a.name AS community FROM grid g JOIN admin_area a ON a.code = g.community_code
      WHERE g.id = ANY($1::bigint[]) AND NOT g.name_is_custom AND g.grid_type = 'comprehensive'`, [ids]);
  if (rows.length === 0) return;
  await client.query(
    `UPDATE grid g SET name = n.name FROM unnest($1::bigint[], $2::text[]) AS n(id, name) WHERE g.id = n.id`,
    [rows.map((r) => r.id), rows.map((r) => numberedGridName(r.community, r.code))],
  );
}
