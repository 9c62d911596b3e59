/**
 * The tile cache's rules on their own (no database): an edit drops exactly the tiles its boxes
 * touch, at every zoom and in its layer only; a tile computed while a touching edit committed is
 * not stored; nothing is kept while edits cannot be heard; the byte budget evicts the least
 * recently used. The same rules end to end are in tiles-caching.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { TileCache, type CachedTile } from '../../server/modules/tiles/tile-cache.js';
import { parseNotification } from '../../server/modules/tiles/invalidation-listener.js';
import { tileAt, tileBoxWithBuffer, type LonLatBox } from '../../server/modules/tiles/tile-math.js';

const tile = (bytes = 100): CachedTile => ({ gzipped: Buffer.alloc(bytes, 1), rawBytes: bytes * 3, etag: 'W/"x"', features: 1 });
const point = (lon: number, lat: number): LonLatBox => [lon, lat, lon, lat];

function cacheWith(zooms: number[], lon: number, lat: number, layer = 'facilities') {
  const cache = new TileCache(10_000_000);
  cache.setReliable(true);
  for (const z of zooms) {
    const t = tileAt(lon, lat, z);
    cache.store(`${layer}/${z}/${t.x}/${t.y}`, layer, tileBoxWithBuffer(t), tile(), cache.begin());
  }
  return cache;
}

describe('tile cache', () => {
  it('an edit drops the tiles containing it at every zoom, and nothing else', () => {
    const cache = cacheWith([8, 10, 12, 14, 16], 108.7, 34.34);
    const far = tileAt(108.6, 34.31, 16);
    cache.store(`facilities/16/${far.x}/${far.y}`, 'facilities', tileBoxWithBuffer(far), tile(), cache.begin());
    expect(cache.statistics().entries).toBe(6);
    expect(cache.invalidate('facilities', [point(108.7, 34.34)])).toBe(5);
    expect(cache.get(`facilities/16/${far.x}/${far.y}`)).toBeDefined();
  });

  it('an edit of another layer drops nothing; a whole-layer notice drops the layer', () => {
    const cache = cacheWith([12, 14], 108.7, 34.34);
    expect(cache.invalidate('grids', [point(108.7, 34.34)])).toBe(0);
    expect(cache.invalidate('facilities', null)).toBe(2);
  });

  it('a point in the drawing buffer of a neighbouring tile drops that tile too', () => {
    const t = tileAt(108.7, 34.34, 15);
    const box = tileBoxWithBuffer(t);
    const cache = new TileCache(1_000_000);
    cache.setReliable(true);
    cache.store('k', 'facilities', box, tile(), cache.begin());
    // Just east of the tile's own edge, inside its 64/4096 buffer.
    const eastEdge = ((t.x + 1) / 2 ** 15) * 360 - 180;
    expect(cache.invalidate('facilities', [point(eastEdge + 0.1 * (box[2] - eastEdge), 34.34)])).toBe(1);
  });

  it('does not store a tile computed while an edit touching it arrived, but stores one untouched', () => {
    const cache = new TileCache(1_000_000);
    cache.setReliable(true);
    const here = tileAt(108.7, 34.34, 14);
    const token = cache.begin();
    cache.invalidate('facilities', [point(108.7, 34.34)]);
    expect(cache.store('here', 'facilities', tileBoxWithBuffer(here), tile(), token)).toBe(false);
    const elsewhere = tileAt(108.6, 34.31, 14);
    expect(cache.store('elsewhere', 'facilities', tileBoxWithBuffer(elsewhere), tile(), token)).toBe(true);
  });

  it('keeps nothing while edits cannot be heard, and empties itself when hearing stops', () => {
    const cache = cacheWith([14], 108.7, 34.34);
    cache.setReliable(false);
    expect(cache.statistics().entries).toBe(0);
    const t = tileAt(108.7, 34.34, 14);
    expect(cache.store('k', 'facilities', tileBoxWithBuffer(t), tile(), cache.begin())).toBe(false);
    expect(cache.get('k')).toBeUndefined();
  });

  it('evicts the least recently used tiles beyond its byte budget', () => {
    const cache = new TileCache(1000);
    cache.setReliable(true);
    const box = tileBoxWithBuffer(tileAt(108.7, 34.34, 14));
    for (const key of ['a', 'b', 'c']) cache.store(key, 'areas', box, tile(100), cache.begin());
    cache.get('a');
    for (const key of ['d', 'e', 'f', 'g', 'h', 'i', 'j', 'k']) cache.store(key, 'areas', box, tile(100), cache.begin());
    expect(cache.get('a')).toBeDefined();
    expect(cache.get('b')).toBeUndefined();
    expect(cache.statistics().bytes).toBeLessThanOrEqual(1000);
  });
});

describe('notifications', () => {
  it('reads boxes, whole-layer notices, and nothing from garbage', () => {
    expect(parseNotification('{"layer":"grids","boxes":[[108.1,34.2,108.3,34.4]]}')).toEqual({ layer: 'grids', boxes: [[108.1, 34.2, 108.3, 34.4]] });
    expect(parseNotification('{"layer":"incidents","all":true}')).toEqual({ layer: 'incidents', boxes: null });
    expect(parseNotification('not json')).toBeUndefined();
    expect(parseNotification(undefined)).toBeUndefined();
  });
});
