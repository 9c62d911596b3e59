/**
 * Hears the database say which map areas an edit touched (channel 'wangge_tiles', sent by the
 * triggers of migration 010 at commit, whoever wrote) and drops the cached tiles there. Runs on a
 * dedicated connection of its own (LISTEN needs one that stays open, outside the pool), which
 * reconnects after a database restart; while it is down the cache is switched off, because edits
 * made meanwhile would go unheard.
 */
import pg from 'pg';
import type { Pool } from '../../db/pool.js';
import type { TileCache } from './tile-cache.js';
import type { LonLatBox } from './tile-math.js';
import { TILE_LAYER_NAMES } from './layers.js';

export const TILE_CHANNEL = 'wangge_tiles';
/** The listener's own channel: a marker it sends itself to know it has heard everything before. */
export const TILE_SYNC_CHANNEL = 'wangge_tiles_sync';
/** How long `sync` waits for its marker before giving up (the cache is then switched off). */
const SYNC_TIMEOUT_MS = 2_000;

export interface NotificationPayload {
  layer: string;
  boxes?: number[][];
  all?: boolean;
}

/** The boxes of a notification, or null for "the whole layer"; undefined when unreadable. */
export function parseNotification(text: string | undefined): { layer: string; boxes: LonLatBox[] | null } | undefined {
  if (!text) return undefined;
  try {
    const payload = JSON.parse(text) as NotificationPayload;
    if (typeof payload.layer !== 'string') return undefined;
    if (payload.all || !Array.isArray(payload.boxes)) return { layer: payload.layer, boxes: null };
    const boxes = payload.boxes.filter((b) => Array.isArray(b) && b.length === 4 && b.every((n) => typeof n === 'number')) as LonLatBox[];
    return { layer: payload.layer, boxes };
  } catch {
    return undefined;
  }
}

export interface InvalidationListener {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Sends pg_cancel_backend on the listener's own connection (never waits for the pool). */
  cancelBackend(processId: number): Promise<void>;
  /**
   * Resolves once every notification committed before the call has been heard (and its tiles
   * dropped). NOTIFY is delivered after commit, asynchronously: without this, a map that asks for
   * a tile right after an edit's response could still get the cached tile from before the edit.
   * The listener notifies itself on a channel of its own and waits for that marker: notifications
   * reach a listener in commit order, so everything before the marker has arrived by then.
   */
  sync(): Promise<void>;
}

export function createInvalidationListener(pool: Pool, cache: TileCache, log: { warn(o: object, m: string): void }): InvalidationListener {
  let client: pg.Client | null = null;
  let stopped = false;
  let retry: ReturnType<typeof setTimeout> | null = null;
  let delayMs = 500;
  let syncSeq = 0;
  const syncWaiters = new Map<string, () => void>();
  // The listener's connection runs one statement at a time: ours are chained.
  let queue: Promise<unknown> = Promise.resolve();
  const onListener = <T>(c: pg.Client, run: (c: pg.Client) => Promise<T>): Promise<T> => {
    const next = queue.then(() => run(c));
    queue = next.catch(() => {});
    return next;
  };

  const scheduleReconnect = () => {
    if (stopped || retry) return;
    retry = setTimeout(() => {
      retry = null;
      void connect();
    }, delayMs);
    delayMs = Math.min(delayMs * 2, 10_000);
  };

  async function connect(): Promise<void> {
    if (stopped) return;
    const c = new pg.Client({ ...pool.options, application_name: 'wangge-tile-invalidation' } as pg.ClientConfig);
    c.on('error', () => {
      // Connection lost: edits from now on would go unheard. Stop caching until we hear again.
      cache.setReliable(false);
      if (client === c) client = null;
      c.end().catch(() => {});
      scheduleReconnect();
    });
    c.on('notification', (message) => {
      if (message.channel === TILE_SYNC_CHANNEL) {
        const done = syncWaiters.get(message.payload ?? '');
        if (done) done();
        return;
      }
      if (message.channel !== TILE_CHANNEL) return;
      const parsed = parseNotification(message.payload);
      // An unreadable notification still means "something changed": drop everything.
      if (!parsed) {
        for (const layer of TILE_LAYER_NAMES) cache.invalidate(layer, null);
        return;
      }
      cache.invalidate(parsed.layer, parsed.boxes);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${TILE_CHANNEL}; LISTEN ${TILE_SYNC_CHANNEL}`);
      if (stopped) {
        await c.end();
        return;
      }
      client = c;
      delayMs = 500;
      // Anything cached before was computed while edits may have gone unheard.
      cache.clear();
      cache.setReliable(true);
    } catch (error) {
      cache.setReliable(false);
      c.end().catch(() => {});
      log.warn({ code: (error as { code?: string }).code }, 'tile cache: cannot listen for edits; tiles are served uncached meanwhile');
      scheduleReconnect();
    }
  }

  return {
    start: connect,
    async stop() {
      stopped = true;
      if (retry) clearTimeout(retry);
      cache.setReliable(false);
      const c = client;
      client = null;
      if (c) await c.end().catch(() => {});
    },
    async cancelBackend(processId) {
      const c = client;
      const cancel = (runner: pg.Client | Pool) => runner.query('SELECT pg_cancel_backend($1)', [processId]);
      await (c ? onListener(c, cancel) : cancel(pool)).catch(() => {});
    },
    async sync() {
      const c = client;
      if (!c) return; // not listening: the cache is off, nothing stale can be served
      const token = `${process.pid}:${++syncSeq}`;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const heard = new Promise<boolean>((resolve) => {
        syncWaiters.set(token, () => resolve(true));
        timer = setTimeout(() => resolve(false), SYNC_TIMEOUT_MS);
      });
      try {
        await onListener(c, (l) => l.query('SELECT pg_notify($1, $2)', [TILE_SYNC_CHANNEL, token]));
        if (!(await heard)) {
          // Not heard in time: something is wrong with the connection; serve uncached until it is back.
          log.warn({}, 'tile cache: edits not confirmed in time; tiles are served uncached until the listener reconnects');
          cache.setReliable(false);
          c.emit('error', new Error('tile invalidation listener did not hear itself'));
        }
      } catch {
        // The connection failed; its error handler switches the cache off and reconnects.
      } finally {
        clearTimeout(timer);
        syncWaiters.delete(token);
      }
    },
  };
}
