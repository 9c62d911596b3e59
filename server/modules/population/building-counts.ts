/**
 * The only place the register import writes to buildings and grids: the counts of buildings, and
 * the grid re-count that follows. Kept apart so that the building import and editing can share it.
 */
import type { Queryable } from '../../db/pool.js';
import { sqlFile } from '../../shared/sql.js';

const WRITE_BUILDING_COUNTS = sqlFile(import.meta.url, 'write-building-counts.sql');
const RECOUNT_GRIDS = sqlFile(import.meta.url, 'recount-grids.sql');

export interface BuildingCount {
  /** Distinct household numbers (in memory only: only the size is written). */
  households: Set<string>;
  residents: number;
  residents60Plus: number;
  residents80Plus: number;
}

/**
 * Sets households, residents, 60+ and 80+ of the buildings `ids`: from `counts`, or 0 for a
 * building without an entry. Nothing else of a building changes.
 */
export async function writeBuildingPopulationCounts(
  db: Queryable,
  ids: number[],
  counts: Map<number, BuildingCount>,
  progress: (stage: string, done: number, total: number) => void = () => {},
): Promise<void> {
  const CHUNK = 50_000;
  progress('writing', 0, ids.length);
  for (let at = 0; at < ids.length; at += CHUNK) {
    const slice = ids.slice(at, at + CHUNK);
    const c = slice.map((id) => counts.get(id));
    await db.query(WRITE_BUILDING_COUNTS, [
      slice,
      c.map((x) => x?.households.size ?? 0),
      c.map((x) => x?.residents ?? 0),
      c.map((x) => x?.residents60Plus ?? 0),
      c.map((x) => x?.residents80Plus ?? 0),
    ]);
    progress('writing', Math.min(ids.length, at + CHUNK), ids.length);
  }
}

/**
 * Re-counts the live grids of some communities from their buildings (grids that hold buildings;
 * the others keep their entered figures), in one statement. Returns how many grids changed.
 */
export async function recountGridsFromBuildings(db: Queryable, communityCodes: string[]): Promise<number> {
  const { rowCount } = await db.query(RECOUNT_GRIDS, [communityCodes]);
  return rowCount ?? 0;
}
