/**
 * The building store and the rule that keeps grid figures true: a grid's figures are the sum of
 * its live buildings wherever it has any; a grid without buildings keeps its entered figures.
 * Every write of buildings (the import, the resident register's counts, edits on the map) goes
 * through here, inside the caller's transaction, and re-counts the grids it touched. Grid edits
 * (grids/editing.ts, grids/grid-import.ts) call recountGrids after they change outlines.
 */
import type { PoolClient, Queryable } from '../../db/pool.js';
import { sqlFile } from '../../shared/sql.js';
import { ensureBaseline, recordVersions, type Actor } from '../grids/grid-store.js';

const GRID_FIGURES_SQL = sqlFile(import.meta.url, 'grid-building-figures.sql');
const SNAPSHOT_SQL = sqlFile(import.meta.url, 'building-snapshot.sql');
const GRIDS_HOLDING_SQL = sqlFile(import.meta.url, 'grids-holding-points.sql');

export interface Figures {
  households: number;
  residents: number;
  residents60Plus: number;
  residents80Plus: number;
}

export interface NewBuilding extends Figures {
  name: string;
  kind: 'building' | 'compound';
  address: string | null;
  buildingCode: string | null;
  communityCode: string | null;
  lon: number;
  lat: number;
}

/** The live buildings of each grid, added up (grids without buildings: buildings = 0). */
export async function gridBuildingFigures(db: Queryable, gridIds: readonly number[]): Promise<Map<number, Figures & { buildings: number }>> {
  const { rows } = await db.query<Figures & { id: number; buildings: number }>(GRID_FIGURES_SQL, [gridIds]);
  return new Map(rows.map((r) => [Number(r.id), r]));
}

/**
 * Sets the figures of grids that hold buildings to the sum of their buildings. A grid without
 * buildings keeps its figures unless `zeroWhenEmpty` (its buildings were just retired or moved
 * away, so the figures it had were theirs). Does not bump versions: a grid edit does that itself.
 * Returns the ids whose figures changed.
 */
export async function recountGrids(client: Pick<PoolClient, 'query'>, gridIds: readonly number[], options: { zeroWhenEmpty?: boolean } = {}): Promise<number[]> {
  if (gridIds.length === 0) return [];
  const sums = await gridBuildingFigures(client, gridIds);
  const changed: number[] = [];
  for (const [id, f] of sums) {
    if (f.buildings === 0 && !options.zeroWhenEmpty) continue;
    const { rowCount } = await client.query(
      `UPDATE grid SET households = $2, residents = $3, residents_60_plus = $4, residents_80_plus = $5
        WHERE id = $1 AND (households, residents, residents_60_plus, residents_80_plus) IS DISTINCT FROM ($2, $3, $4, $5)`,
      [id, f.households, f.residents, f.residents60Plus, f.residents80Plus]);
    if (rowCount) changed.push(id);
  }
  return changed;
}

/** The live grids holding any of the points. */
export async function gridsHoldingPoints(db: Queryable, points: readonly { lon: number; lat: number }[]): Promise<number[]> {
  if (points.length === 0) return [];
  const { rows } = await db.query<{ id: string }>(GRIDS_HOLDING_SQL, [points.map((p) => p.lon), points.map((p) => p.lat)]);
  return rows.map((r) => Number(r.id));
}

/**
 * After buildings changed: re-counts the grids that hold their old or new points, and gives each
 * grid whose figures changed a new version (so that a planner's open form is refused as stale).
 */
export async function recountAfterBuildingChange(client: PoolClient, points: readonly { lon: number; lat: number }[], actor: Actor, reason: string): Promise<number[]> {
  const gridIds = await gridsHoldingPoints(client, points);
  if (gridIds.length === 0) return [];
  await ensureBaseline(client, gridIds);
  const changed = await recountGrids(client, gridIds, { zeroWhenEmpty: true });
  if (changed.length) {
    await client.query(`UPDATE grid SET version = version + 1, updated_at = now() WHERE id = ANY ($1::bigint[])`, [changed]);
    await recordVersions(client, changed, 'figures', reason, actor);
  }
  return changed;
}

export async function recordBuildingVersions(client: Pick<PoolClient, 'query'>, ids: readonly number[], action: string, reason: string, actor: Actor) {
  if (ids.length) await client.query(SNAPSHOT_SQL, [ids, action, actor.user.id, actor.user.username, reason]);
}

/** Live buildings' points, for the grids to re-count around them. */
async function pointsOf(client: Pick<PoolClient, 'query'>, where: string, params: unknown[]) {
  const { rows } = await client.query<{ id: string; lon: number; lat: number }>(
    `SELECT id, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM building b WHERE b.retired_at IS NULL AND ${where}`, params);
  return rows.map((r) => ({ id: Number(r.id), lon: r.lon, lat: r.lat }));
}

export function createBuildingRepository() {
  return {
    /**
     * Replaces the live buildings of the communities (those imported for them, and those without
     * a community lying inside their outlines; with `unplaced`, also every live building that has
     * no community) by `buildings`: the old ones are retired (kept with their history), the new
     * ones inserted, and the grids around both re-counted. Returns the counts.
     */
    async replaceCommunities(client: PoolClient, communityCodes: readonly string[], unplaced: boolean, buildings: readonly NewBuilding[], actor: Actor, reason: string, progress?: (done: number, total: number) => void) {
      const old = await pointsOf(client,
        `(b.community_code = ANY ($1::text[])
          OR (b.community_code IS NULL AND ($2::boolean OR EXISTS (
                SELECT 1 FROM admin_area a WHERE a.code = ANY ($1::text[]) AND a.geom IS NOT NULL AND ST_Covers(a.geom, b.geom)))))`,
        [communityCodes, unplaced]);
      const oldIds = old.map((o) => o.id);
      if (oldIds.length) {
        await client.query(`UPDATE building SET retired_at = now(), version = version + 1, updated_at = now() WHERE id = ANY ($1::bigint[])`, [oldIds]);
        await recordBuildingVersions(client, oldIds, 'replace', reason, actor);
      }
      const newIds: number[] = [];
      const chunk = 1000;
      for (let i = 0; i < buildings.length; i += chunk) {
        const part = buildings.slice(i, i + chunk);
        const { rows } = await client.query<{ id: string }>(
          `INSERT INTO building (name, kind, address, building_code, community_code, geom, households, residents, residents_60_plus, residents_80_plus)
           SELECT name, kind, address, code, community, ST_SetSRID(ST_MakePoint(lon, lat), 4326), h, r, r60, r80
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::float8[], $8::int[], $9::int[], $10::int[], $11::int[])
                WITH ORDINALITY AS u(name, kind, address, code, community, lon, lat, h, r, r60, r80, ord)
           ORDER BY ord
           RETURNING id`,
          [part.map((b) => b.name), part.map((b) => b.kind), part.map((b) => b.address), part.map((b) => b.buildingCode), part.map((b) => b.communityCode),
            part.map((b) => b.lon), part.map((b) => b.lat), part.map((b) => b.households), part.map((b) => b.residents),
            part.map((b) => b.residents60Plus), part.map((b) => b.residents80Plus)]);
        newIds.push(...rows.map((r) => Number(r.id)));
        progress?.(Math.min(i + chunk, buildings.length), buildings.length);
      }
      await recordBuildingVersions(client, newIds, 'import', reason, actor);
      const regrids = await recountAfterBuildingChange(client, [...old, ...buildings], actor, reason);
      return { retired: oldIds.length, inserted: newIds.length, gridsRecounted: regrids.length };
    },

    /**
     * Sets the counts of buildings (the resident register's result: households, residents, 60+,
     * 80+ per building), with a version each, and re-counts their grids.
     */
    async setFigures(client: PoolClient, updates: readonly ({ id: number } & Figures)[], actor: Actor, reason: string) {
      const ids = updates.map((u) => u.id);
      await client.query(
        `UPDATE building b SET households = u.h, residents = u.r, residents_60_plus = u.r60, residents_80_plus = u.r80,
                version = b.version + 1, updated_at = now()
           FROM unnest($1::bigint[], $2::int[], $3::int[], $4::int[], $5::int[]) AS u(id, h, r, r60, r80)
          WHERE b.id = u.id AND b.retired_at IS NULL`,
        [ids, updates.map((u) => u.households), updates.map((u) => u.residents), updates.map((u) => u.residents60Plus), updates.map((u) => u.residents80Plus)]);
      await recordBuildingVersions(client, ids, 'update', reason, actor);
      const points = await pointsOf(client, 'b.id = ANY ($1::bigint[])', [ids]);
      return recountAfterBuildingChange(client, points, actor, reason);
    },
  };
}
