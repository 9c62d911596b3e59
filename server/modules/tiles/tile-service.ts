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
import { generalisationAt, INCIDENT_CELL_UNITS, INCIDENT_POINTS_MIN_ZOOM, type TileLayerName } from './layers.js';
import { TileCache, type CachedTile } from './tile-cache.js';
import { tileBoxWithBuffer, type TileCoordinates } from './tile-math.js';

const gzip = promisify(zlib.gzip);

const SQL: Record<Exclude<TileLayerName, 'incidents'>, string> & { incidents: string; incidentClusters: string } = {
  areas: sqlFile(import.meta.url, 'areas.sql'),
  grids: sqlFile(import.meta.url, 'grids.sql'),
  buildings: sqlFile(import.meta.url, 'buildings.sql'),
  facilities: sqlFile(import.meta.url, 'facilities.sql'),
  incidents: sqlFile(import.meta.url, 'incidents.sql'),
  incidentClusters: sqlFile(import.meta.url, 'incident-clusters.sql'),
};

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
  | { layer: 'areas' | 'grids' | 'buildings' }
  | { layer: 'facilities'; staff: boolean }
  | { layer: 'incidents'; filter: IncidentTileFilter };

/** The cache key of a tile: layer, coordinates and everything that changes its bytes. */
export function tileKey(variant: TileVariant, t: TileCoordinates): string {
  const base = `${variant.layer}/${t.z}/${t.x}/${t.y}`;
  if (variant.layer === 'facilities') return `${base}|${variant.staff ? 'staff' : 'public'}`;
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
      return { sql: SQL.buildings, params: [...tile, g.featureLimit] };
    case 'facilities':
      return { sql: SQL.facilities, params: [...tile, g.featureLimit, variant.staff] };
    case 'incidents': {
      const f = variant.filter;
      const filter = [f.from, f.to, f.categories, f.statuses, f.sources, f.scope, f.ownGridsOfUser];
      return t.z >= INCIDENT_POINTS_MIN_ZOOM
        ? { sql: SQL.incidents, params: [...tile, g.featureLimit, ...filter] }
        : { sql: SQL.incidentClusters, params: [...tile, INCIDENT_CELL_UNITS, ...filter] };
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
