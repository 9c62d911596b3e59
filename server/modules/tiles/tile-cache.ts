/**
 * The in-process tile cache: gzipped tiles by key, least recently used dropped beyond a byte
 * budget, and dropped at once when an edit touches the tile's area (`invalidate`, fed by the
 * database's notifications). Exactness rests on two rules:
 * - a tile computed while an edit that touches it committed is not stored (its query may have
 *   read the rows before the edit): `begin()` takes a sequence number, `store()` checks every
 *   invalidation since;
 * - while notifications cannot be received (listener down), nothing is stored and nothing is
 *   served from the cache (`setReliable(false)` empties it).
 */
import { boxesIntersect, type LonLatBox } from './tile-math.js';

export interface CachedTile {
  /** gzip of the MVT bytes (empty tile: empty buffer). */
  gzipped: Buffer;
  /** Uncompressed size, for statistics. */
  rawBytes: number;
  etag: string;
  features: number;
}

interface Entry extends CachedTile {
  layer: string;
  box: LonLatBox;
}

interface Invalidation {
  seq: number;
  layer: string;
  /** null: the whole layer. */
  boxes: LonLatBox[] | null;
}

/** How many recent invalidations are remembered for computations in flight. */
const RECENT_INVALIDATIONS = 2000;

export interface TileCacheStats {
  entries: number;
  bytes: number;
  maxBytes: number;
  hits: number;
  misses: number;
  /** Notifications received (one per edit statement). */
  invalidations: number;
  /** Tiles dropped because an edit touched them. */
  tilesInvalidated: number;
  /** Tiles dropped to stay within the byte budget. */
  tilesEvicted: number;
  /** Whether edits are being heard (otherwise nothing is cached). */
  reliable: boolean;
}

export class TileCache {
  private readonly entries = new Map<string, Entry>();
  private readonly recent: Invalidation[] = [];
  private seq = 0;
  private bytes = 0;
  private reliable = false;
  private readonly stats = { hits: 0, misses: 0, invalidations: 0, tilesInvalidated: 0, tilesEvicted: 0 };
  private readonly listeners = new Set<() => void>();

  constructor(private readonly maxBytes: number) {}

  get(key: string): CachedTile | undefined {
    const entry = this.reliable ? this.entries.get(key) : undefined;
    if (!entry) {
      this.stats.misses++;
      return undefined;
    }
    this.stats.hits++;
    // Most recently used last: Map keeps insertion order.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  /** A token for a computation about to start; hand it to `store`. */
  begin(): number {
    return this.seq;
  }

  /** Stores a computed tile unless an edit touching it arrived since `token`. Returns whether stored. */
  store(key: string, layer: string, box: LonLatBox, tile: CachedTile, token: number): boolean {
    if (!this.reliable || tile.gzipped.length > this.maxBytes / 8) return false;
    if (this.seq !== token) {
      const oldest = this.recent[0]?.seq ?? Infinity;
      if (oldest > token + 1) return false; // forgotten what happened since: be safe
      for (const inv of this.recent) {
        if (inv.seq > token && inv.layer === layer && (inv.boxes === null || inv.boxes.some((b) => boxesIntersect(b, box)))) return false;
      }
    }
    const previous = this.entries.get(key);
    if (previous) {
      this.bytes -= previous.gzipped.length;
      this.entries.delete(key);
    }
    this.entries.set(key, { ...tile, layer, box });
    this.bytes += tile.gzipped.length;
    for (const [oldKey, oldEntry] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldKey);
      this.bytes -= oldEntry.gzipped.length;
      this.stats.tilesEvicted++;
    }
    return true;
  }

  /** An edit touched these boxes of a layer (null: the whole layer): drop the tiles they touch, at every zoom. */
  invalidate(layer: string, boxes: LonLatBox[] | null): number {
    this.seq++;
    this.stats.invalidations++;
    this.recent.push({ seq: this.seq, layer, boxes });
    if (this.recent.length > RECENT_INVALIDATIONS) this.recent.shift();
    let dropped = 0;
    for (const [key, entry] of this.entries) {
      if (entry.layer !== layer) continue;
      if (boxes === null || boxes.some((b) => boxesIntersect(b, entry.box))) {
        this.entries.delete(key);
        this.bytes -= entry.gzipped.length;
        dropped++;
      }
    }
    this.stats.tilesInvalidated += dropped;
    for (const listener of this.listeners) listener();
    return dropped;
  }

  /** Whether edits are being heard. Turning unreliable empties the cache; nothing is kept until reliable again. */
  setReliable(reliable: boolean) {
    if (!reliable) this.clear();
    this.seq++;
    this.recent.length = 0;
    this.reliable = reliable;
  }

  clear() {
    this.entries.clear();
    this.bytes = 0;
  }

  /** Called after every invalidation (tests and statistics wait on it). */
  onInvalidation(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  statistics(): TileCacheStats {
    return { entries: this.entries.size, bytes: this.bytes, maxBytes: this.maxBytes, ...this.stats, reliable: this.reliable };
  }
}
