/**
 * Serving tiles: the cache first; otherwise the layer's SQL on a connection of its own, one
 * computation shared by every request for the same tile at the same time, gzipped once and
 * stored. When every request waiting for a computation has gone away (the map moved on), its
 * query is cancelled on the server (pg_cancel_backend of that connection's backend) and the
 * connection is dropped rather than reused, so that a late cancel can never hit another query.
 */
import crypto from 'node:crypto';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Pool, PoolClient } from '../../db/pool.js';
import { sqlFile } from '../../shared/sql.js';
import { chinaDays } from '../incidents/period.js';
import { generalisationAt, INCIDENT_CELL_UNITS, INCIDENT_POINTS_MIN_ZOOM, ROAD_NAMES_MIN_ZOOM, roadClassesAt, type TileLayerName } from './layers.js';
import { TileCache, type CachedTile } from './tile-cache.js';
import { TILE_BUFFER, TILE_EXTENT, tileBoxWithBuffer, type TileCoordinates } from './tile-math.js';

const gzip = promisify(zlib.gzip);

const SQL: Record<Exclude<TileLayerName, 'incidents'>, string> & { incidents: string; incidentClusters: string; incidentClustersSummary: string } = {
  areas: sqlFile(import.meta.url, 'areas.sql'),
  grids: sqlFile(import.meta.url, 'grids.sql'),
  buildings: sqlFile(import.meta.url, 'buildings.sql'),
  facilities: sqlFile(import.meta.url, 'facilities.sql'),
  incidents: sqlFile(import.meta.url, 'incidents.sql'),
  roads: sqlFile(import.meta.url, 'roads.sql'),
  incidentClusters: sqlFile(import.meta.url, 'incident-clusters.sql'),
  incidentClustersSummary: sqlFile(import.meta.url, 'incident-clusters-summary.sql'),
};

/** The Mercator cell levels of incident_tile_day (migration 011). */
const SUMMARY_LEVELS = [14, 20] as const;

/** Morton code of cell (x, y): the bits interleaved, x lowest (as incident_morton in SQL). */
export function morton(x: number, y: number): bigint {
  let code = 0n;
  for (let bit = 0; bit < 26; bit++) {
    code |= BigInt((x >>> bit) & 1) << BigInt(2 * bit);
    code |= BigInt((y >>> bit) & 1) << BigInt(2 * bit + 1);
  }
  return code;
}

/**
 * The cells of zoom 20 (Morton codes) a box of cells covers, as few [from, to) ranges as the
 * quadtree allows (a whole aligned block is one range). x0..x1, y0..y1 inclusive, at zoom 20.
 */
export function mortonRanges(x0: number, y0: number, x1: number, y1: number): [bigint, bigint][] {
  const ranges: [bigint, bigint][] = [];
  const visit = (z: number, qx: number, qy: number) => {
    const size = 2 ** (20 - z);
    const ax = qx * size;
    const ay = qy * size;
    if (ax > x1 || ay > y1 || ax + size - 1 < x0 || ay + size - 1 < y0) return;
    if (ax >= x0 && ay >= y0 && ax + size - 1 <= x1 && ay + size - 1 <= y1) {
      const from = morton(qx, qy) << BigInt(2 * (20 - z));
      const last = ranges[ranges.length - 1];
      if (last && last[1] === from) last[1] = from + (1n << BigInt(2 * (20 - z)));
      else ranges.push([from, from + (1n << BigInt(2 * (20 - z)))]);
      return;
    }
    for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]] as const) visit(z + 1, 2 * qx + dx, 2 * qy + dy);
  };
  // Quads of the zoom at which the box spans at most 2 × 2 of them, visited in Morton order.
  let z = 20;
  while (z > 0 && (x1 >> (20 - z)) - (x0 >> (20 - z)) > 1) z--;
  while (z > 0 && (y1 >> (20 - z)) - (y0 >> (20 - z)) > 1) z--;
  const qx = x0 >> (20 - z);
  const qy = y0 >> (20 - z);
  for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]] as const) visit(z, qx + dx, qy + dy);
  return ranges;
}

/**
 * The zoom-20 cells of incident_cell_reported_idx (migration 011) that may hold the points of
 * a tile drawn with its 64-unit buffer: the tile's own cells and a ring of cells around them.
 */
function incidentPointCells(t: TileCoordinates): { lo: string[]; hi: string[] } {
  // In 2^28 units per world (the positions of incident_mercator_x/_y); a zoom-20 cell is 2^8.
  const tile = 2 ** (28 - t.z);
  const buffer = (TILE_BUFFER / TILE_EXTENT) * tile;
  const cell = (v: number) => Math.min(2 ** 20 - 1, Math.max(0, Math.floor(v / 256)));
  const ranges = mortonRanges(cell(t.x * tile - buffer - 1), cell(t.y * tile - buffer - 1), cell((t.x + 1) * tile + buffer + 1), cell((t.y + 1) * tile + buffer + 1));
  return { lo: ranges.map((r) => r[0].toString()), hi: ranges.map((r) => r[1].toString()) };
}

/**
 * The count tile from the incident summary, when the filter is one the summary answers: whole
 * China-time days, no category/status/source, no scope, no grid limit. Null otherwise.
 */
function incidentSummaryQuery(f: IncidentTileFilter, t: TileCoordinates): { sql: string; params: unknown[] } | null {
  const days = chinaDays(f);
  if (!days || f.categories || f.statuses || f.sources || f.scope || f.ownGridsOfUser !== null) return null;
  const cellZoom = t.z + Math.log2(TILE_EXTENT / INCIDENT_CELL_UNITS);
  const level = SUMMARY_LEVELS.find((l) => l >= cellZoom);
  if (level === undefined || !Number.isInteger(cellZoom)) return null;
  const span = BigInt(2 * (level - t.z));
  const lo = morton(t.x, t.y) << span;
  const hi = (morton(t.x, t.y) + 1n) << span;
  return {
    sql: SQL.incidentClustersSummary,
    params: [t.z, t.x, t.y, 28 - cellZoom, level, days.first, days.end, lo.toString(), hi.toString()],
  };
}

/** The incident filter of a tile request, already checked. */
export interface IncidentTileFilter {
  from: Date;
  to: Date;
  categories: string[] | null;
  statuses: string[] | null;
  sources: string[] | null;
  /** The caller's own reach (scope area code) or null. */
  scope: string | null;
  /** A grid worker's user id: only incidents in their grids. */
  ownGridsOfUser: number | null;
}

/** What varies a tile besides z/x/y: who asks (what they may see) and the filter. */
export type TileVariant =
  | { layer: 'areas' | 'grids' | 'roads' }
  | { layer: 'facilities' | 'buildings'; staff: boolean }
  | { layer: 'incidents'; filter: IncidentTileFilter };

/** The cache key of a tile: layer, coordinates and everything that changes its bytes. */
export function tileKey(variant: TileVariant, t: TileCoordinates): string {
  const base = `${variant.layer}/${t.z}/${t.x}/${t.y}`;
  if (variant.layer === 'facilities' || variant.layer === 'buildings') return `${base}|${variant.staff ? 'staff' : 'public'}`;
  if (variant.layer === 'incidents') {
    const f = variant.filter;
    const list = (l: string[] | null) => (l ? [...l].sort().join(',') : '*');
    return `${base}|${f.from.toISOString()}|${f.to.toISOString()}|${list(f.categories)}|${list(f.statuses)}|${list(f.sources)}|${f.scope ?? '*'}|${f.ownGridsOfUser ?? '*'}`;
  }
  return base;
}

/** The SQL and parameters of a tile. */
export function tileQuery(variant: TileVariant, t: TileCoordinates): { sql: string; params: unknown[] } {
  const g = generalisationAt(variant.layer, t.z);
  const tile = [t.z, t.x, t.y];
  switch (variant.layer) {
    case 'areas':
      return { sql: SQL.areas, params: [...tile, g.featureLimit, g.simplifyDegrees, g.lowestAreaLevel] };
    case 'grids':
      return { sql: SQL.grids, params: [...tile, g.featureLimit, g.simplifyDegrees, g.minFeatureDegrees] };
    case 'buildings':
      return { sql: SQL.buildings, params: [...tile, g.featureLimit, variant.staff] };
    case 'roads':
      return { sql: SQL.roads, params: [...tile, g.featureLimit, g.simplifyDegrees, roadClassesAt(t.z), t.z >= ROAD_NAMES_MIN_ZOOM] };
    case 'facilities':
      return { sql: SQL.facilities, params: [...tile, g.featureLimit, variant.staff] };
    case 'incidents': {
      const f = variant.filter;
      const filter = [f.from, f.to, f.categories, f.statuses, f.sources, f.scope, f.ownGridsOfUser];
      if (t.z >= INCIDENT_POINTS_MIN_ZOOM) {
        const cells = incidentPointCells(t);
        return { sql: SQL.incidents, params: [...tile, g.featureLimit, ...filter, cells.lo, cells.hi] };
      }
      return incidentSummaryQuery(f, t) ?? { sql: SQL.incidentClusters, params: [...tile, INCIDENT_CELL_UNITS, ...filter] };
    }
  }
}

export interface TileResult extends CachedTile {
  fromCache: boolean;
}

interface Flight {
  promise: Promise<CachedTile>;
  waiters: number;
  cancel: () => void;
}

export class TileAbortedError extends Error {
  constructor() {
    super('tile request abandoned');
  }
}

export interface TileServiceOptions {
  pool: Pool;
  cache: TileCache;
  /** Sends pg_cancel_backend for a backend (on a connection that does not wait for the pool). */
  cancelBackend: (processId: number) => Promise<void>;
}

export function createTileService({ pool, cache, cancelBackend }: TileServiceOptions) {
  const inFlight = new Map<string, Flight>();

  function compute(variant: TileVariant, t: TileCoordinates, key: string): Flight {
    let client: PoolClient | null = null;
    let running = false;
    let cancelled = false;
    const token = cache.begin();
    const box = tileBoxWithBuffer(t);
    const flight: Flight = {
      promise: null as unknown as Promise<CachedTile>,
      waiters: 0,
      cancel: () => {
        if (cancelled) return;
        cancelled = true;
        if (inFlight.get(key) === flight) inFlight.delete(key);
        const processId = (client as unknown as { processID?: number } | null)?.processID;
        // Only while the query runs: once the connection is back in the pool, its backend is
        // someone else's.
        if (running && processId) void cancelBackend(processId);
      },
    };
    flight.promise = (async () => {
      // Whatever happens (no connection during an outage, a bad query, a cancel), the flight
      // leaves inFlight when it settles: a failed computation is never shared with later requests.
      try {
        const { sql, params } = tileQuery(variant, t);
        const c = await pool.connect();
        client = c;
        if (cancelled) {
          c.release();
          throw new TileAbortedError();
        }
        running = true;
        try {
          const { rows } = await c.query<{ tile: Buffer; features: number }>(sql, params);
          const raw = rows[0]?.tile ?? Buffer.alloc(0);
          const gzipped = raw.length > 0 ? await gzip(raw, { level: 6 }) : Buffer.alloc(0);
          const etag = `W/"${crypto.createHash('sha1').update(raw).digest('base64url').slice(0, 22)}"`;
          const result: CachedTile = { gzipped, rawBytes: raw.length, etag, features: rows[0]?.features ?? 0 };
          cache.store(key, variant.layer, box, result, token);
          return result;
        } catch (error) {
          throw cancelled ? new TileAbortedError() : error;
        } finally {
          // A connection that was sent a cancel is closed, never reused: the cancel could
          // otherwise land on the next query run on it.
          c.release(cancelled ? true : undefined);
          running = false;
        }
      } finally {
        if (inFlight.get(key) === flight) inFlight.delete(key);
      }
    })();
    flight.promise.catch(() => {});
    return flight;
  }

  return {
    cache,

    /**
     * The tile, from the cache or computed. `signal` aborts the wait; when no one waits for the
     * computation any longer, its query is cancelled.
     */
    async tile(variant: TileVariant, t: TileCoordinates, signal?: AbortSignal): Promise<TileResult> {
      const key = tileKey(variant, t);
      const cached = cache.get(key);
      if (cached) return { ...cached, fromCache: true };
      let flight = inFlight.get(key);
      if (!flight) {
        flight = compute(variant, t, key);
        inFlight.set(key, flight);
      }
      const f = flight;
      f.waiters++;
      try {
        if (!signal) return { ...(await f.promise), fromCache: false };
        if (signal.aborted) throw new TileAbortedError();
        return await new Promise<TileResult>((resolve, reject) => {
          const onAbort = () => reject(new TileAbortedError());
          signal.addEventListener('abort', onAbort, { once: true });
          f.promise.then(
            (tile) => {
              signal.removeEventListener('abort', onAbort);
              resolve({ ...tile, fromCache: false });
            },
            (error: unknown) => {
              signal.removeEventListener('abort', onAbort);
              reject(error);
            },
          );
        });
      } finally {
        f.waiters--;
        if (f.waiters === 0 && signal?.aborted) f.cancel();
      }
    },
  };
}
export type TileService = ReturnType<typeof createTileService>;
