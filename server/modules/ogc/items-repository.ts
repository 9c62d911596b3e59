/**
 * Runs the items queries (sql/<collection>.sql): one page of GeoJSON features as text, built by
 * PostGIS, with the counts and the key the next page starts after.
 */
import type { Queryable } from '../../db/pool.js';
import { sqlFile } from '../../shared/sql.js';
import type { SessionUser } from '../auth/roles.js';
import { COLLECTIONS, type Collection } from './collections.js';

const ITEMS_SQL: Record<string, string> = Object.fromEntries(COLLECTIONS.map((c) => [c.id, sqlFile(import.meta.url, `${c.id}.sql`)]));

export interface ItemsRequest {
  /** CRS84 xmin, ymin, xmax, ymax. */
  bbox: [number, number, number, number] | null;
  after: string | null;
  limit: number;
  latitudeFirst: boolean;
  /** Queryable values, and `fid` for one feature. */
  filters: Record<string, string>;
  time: { from: Date | null; to: Date | null };
  user: SessionUser | null;
}

export interface ItemsPage {
  numberMatched: number;
  numberReturned: number;
  hasMore: boolean;
  lastKey: string | null;
  /** The features, comma-separated GeoJSON (without the enclosing brackets). */
  featuresText: string;
}

/** The SQL and parameters of a page: what the route runs, and what the benchmark runs bare. */
export function itemsQuery(collection: Collection, r: ItemsRequest): { text: string; values: unknown[] } {
  const [xmin, ymin, xmax, ymax] = r.bbox ?? [null, null, null, null];
  return {
    text: ITEMS_SQL[collection.id]!,
    values: [xmin, ymin, xmax, ymax, r.after, r.limit, r.latitudeFirst, JSON.stringify(r.filters), ...collection.callerParameters(r.user, r.time)],
  };
}

export async function itemsPage(db: Queryable, collection: Collection, r: ItemsRequest): Promise<ItemsPage> {
  const { rows } = await db.query(itemsQuery(collection, r));
  const row = rows[0] as { number_matched: number; number_returned: number; has_more: boolean; last_key: string | null; features: string };
  return {
    numberMatched: row.number_matched,
    numberReturned: row.number_returned,
    hasMore: row.has_more,
    lastKey: row.last_key,
    featuresText: row.features,
  };
}
