/**
 * Tile caching, decoded: ETag and 304, gzip, the in-process cache, its invalidation exactly where
 * an edit touched (through the API, by SQL from another writer, at every zoom, and never for a
 * rolled-back edit or for tiles elsewhere), and the cancellation of an abandoned tile's query.
 */
import fs from 'node:fs';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeatureCollection, Point } from 'geojson';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { isDistributed } from '../helpers/database.js';
import { decodeTile, tileAt } from '../fixtures/tiles/mvt.js';

const fixture = JSON.parse(fs.readFileSync(new URL('../fixtures/tiles/facility-move.geojson', import.meta.url), 'utf8')) as FeatureCollection<Point>;
const point = (role: string) => fixture.features.find((f) => f.properties!.role === role)!.geometry.coordinates as [number, number];

let t: TestApp;
let admin: string;
let planner: string;
let facilityId: number;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.loginAs('admin');
  planner = await t.loginAs('planner');
  // The fixture's facility, placed at "from" (a public day-care centre).
  const [lon, lat] = point('from');
  const { rows } = await t.db.pool.query(
    `INSERT INTO facility (facility_type, name, address, geom, services) VALUES ('day_care_centre', '测试日间照料中心', '测试路 1 号', ST_SetSRID(ST_MakePoint($1, $2), 4326), '{助餐,日托}') RETURNING id`,
    [lon, lat],
  );
  facilityId = rows[0].id;
  await waitForInvalidations(0);
});
afterAll(async () => t.close());

async function cacheStats() {
  return (await t.app.inject({ url: '/api/tiles/cache', headers: { cookie: admin } })).json();
}

/** Waits until the server has heard more than `seen` edit notifications. */
async function waitForInvalidations(seen: number) {
  for (let i = 0; i < 200; i++) {
    const stats = await cacheStats();
    if (stats.reliable && stats.invalidations > seen) return stats;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('the server heard no edit notification within 5 s');
}

async function facilities(at: { z: number; x: number; y: number }, headers: Record<string, string> = {}) {
  const res = await t.app.inject({ url: `/api/tiles/facilities/${at.z}/${at.x}/${at.y}`, headers });
  const ids = res.statusCode === 200 ? decodeTile(res.rawPayload, at.z, at.x, at.y).facilities!.features.map((f) => f.id) : [];
  return { res, ids };
}

describe('HTTP caching', () => {
  it('ETag: the same tile again with If-None-Match is a 304 with no body', async () => {
    const at = tileAt(...point('from'), 14);
    const first = await facilities(at);
    expect(first.res.statusCode).toBe(200);
    const etag = first.res.headers.etag as string;
    expect(etag).toMatch(/^W\/"[\w-]+"$/);
    const again = await t.app.inject({ url: `/api/tiles/facilities/${at.z}/${at.x}/${at.y}`, headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);
    expect(again.headers.etag).toBe(etag);
    const other = await t.app.inject({ url: `/api/tiles/facilities/${at.z}/${at.x}/${at.y}`, headers: { 'if-none-match': 'W/"something-else"' } });
    expect(other.statusCode).toBe(200);
  });

  it('gzip for clients that accept it, the same tile uncompressed for those that do not', async () => {
    const at = tileAt(...point('from'), 13);
    const plain = await t.app.inject({ url: `/api/tiles/areas/${at.z}/${at.x}/${at.y}` });
    const gzipped = await t.app.inject({ url: `/api/tiles/areas/${at.z}/${at.x}/${at.y}`, headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.rawPayload.length).toBeLessThan(plain.rawPayload.length);
    expect(zlib.gunzipSync(gzipped.rawPayload).equals(plain.rawPayload)).toBe(true);
    expect(gzipped.headers.etag).toBe(plain.headers.etag);
  });
});

describe('in-process cache and its invalidation', () => {
  it('serves a tile from the cache the second time', async () => {
    const at = tileAt(...point('far'), 15);
    const first = await facilities(at);
    const second = await facilities(at);
    expect(first.res.headers['x-tile-cache']).toBe('miss');
    expect(second.res.headers['x-tile-cache']).toBe('hit');
    expect(second.res.rawPayload.equals(first.res.rawPayload)).toBe(true);
  });

  it('a move through the API drops the tiles it left and entered at every zoom, and no tile elsewhere', async () => {
    const zooms = [10, 12, 14, 16];
    const from = zooms.map((z) => tileAt(...point('from'), z));
    const to = zooms.map((z) => tileAt(...point('to'), z));
    const far = [tileAt(...point('far'), 15), tileAt(...point('far'), 16)];
    // The move crosses tile edges at 14 and 16 only: at 10 and 12 both ends are in one tile.
    expect(from[3]).not.toEqual(to[3]);
    expect(from[0]).toEqual(to[0]);
    for (const at of [...from, ...to, ...far]) {
      await facilities(at);
      expect((await facilities(at)).res.headers['x-tile-cache']).toBe('hit');
    }
    for (const at of from) expect((await facilities(at)).ids).toContain(facilityId);
    expect((await facilities(to[3]!)).ids).not.toContain(facilityId);

    const before = await cacheStats();
    const { rows } = await t.db.pool.query(`SELECT version FROM facility WHERE id = $1`, [facilityId]);
    const [lon, lat] = point('to');
    const moved = await t.app.inject({
      method: 'PATCH',
      url: `/api/facilities/${facilityId}`,
      headers: { cookie: planner },
      payload: { version: rows[0].version, lon, lat },
    });
    expect(moved.statusCode).toBe(200);
    const after = await waitForInvalidations(before.invalidations);
    expect(after.tilesInvalidated).toBeGreaterThan(before.tilesInvalidated);

    const touched = [...from, ...to].filter((a, i, all) => all.findIndex((b) => b.z === a.z && b.x === a.x && b.y === a.y) === i);
    for (const at of touched) {
      const { res, ids } = await facilities(at);
      expect(res.headers['x-tile-cache'], `${at.z}/${at.x}/${at.y}`).toBe('miss');
      const contains = at.z < 14 || to.some((x) => x.z === at.z && x.x === at.x && x.y === at.y);
      if (contains) expect(ids, `${at.z}/${at.x}/${at.y}`).toContain(facilityId);
      else expect(ids, `${at.z}/${at.x}/${at.y}`).not.toContain(facilityId);
    }
    for (const at of far) expect((await facilities(at)).res.headers['x-tile-cache']).toBe('hit');
  });

  it("a write's answer comes only once its tiles are out of the cache: a tile asked for right after it is never stale", async () => {
    const at = tileAt(...point('to'), 16);
    const away = tileAt(...point('from'), 16);
    for (let round = 0; round < 6; round++) {
      // Cache both tiles, then move the facility between them and ask again at once: no waiting.
      await facilities(at);
      await facilities(away);
      const { rows } = await t.db.pool.query(`SELECT version, ST_X(geom) AS lon FROM facility WHERE id = $1`, [facilityId]);
      const target = round % 2 === 0 ? 'from' : 'to';
      const [lon, lat] = point(target);
      const moved = await t.app.inject({ method: 'PATCH', url: `/api/facilities/${facilityId}`, headers: { cookie: planner }, payload: { version: rows[0].version, lon, lat } });
      expect(moved.statusCode).toBe(200);
      const there = await facilities(target === 'to' ? at : away);
      const left = await facilities(target === 'to' ? away : at);
      expect(there.ids, `round ${round}: the tile it moved into`).toContain(facilityId);
      expect(left.ids, `round ${round}: the tile it left`).not.toContain(facilityId);
    }
  });

  it('an edit by another writer (SQL) is heard too; a rolled-back one changes nothing', async () => {
    const at = tileAt(...point('to'), 15);
    await facilities(at);
    expect((await facilities(at)).res.headers['x-tile-cache']).toBe('hit');

    const client = await t.db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`UPDATE facility SET name = '不会保存' WHERE id = $1`, [facilityId]);
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
    const before = await cacheStats();
    // A committed edit far away: once it has been heard, the rolled-back one would have been too.
    const [lon, lat] = point('far');
    await t.db.pool.query(`UPDATE facility SET name = name || '' , geom = geom WHERE geom && ST_Expand(ST_SetSRID(ST_MakePoint($1, $2), 4326), 0.02) AND id = (SELECT min(id) FROM facility WHERE geom && ST_Expand(ST_SetSRID(ST_MakePoint($1, $2), 4326), 0.02))`, [lon, lat]);
    await t.db.pool.query(`UPDATE facility SET capacity = coalesce(capacity, 0) + 1 WHERE id = (SELECT min(id) FROM facility WHERE geom && ST_Expand(ST_SetSRID(ST_MakePoint($1, $2), 4326), 0.02))`, [lon, lat]);
    await waitForInvalidations(before.invalidations);
    expect((await facilities(at)).res.headers['x-tile-cache']).toBe('hit');

    await t.db.pool.query(`UPDATE facility SET name = '改名后的日间照料中心' WHERE id = $1`, [facilityId]);
    await waitForInvalidations((await cacheStats()).invalidations - 1);
    const { res } = await facilities(at);
    expect(res.headers['x-tile-cache']).toBe('miss');
    const names = decodeTile(res.rawPayload, at.z, at.x, at.y).facilities!.features.map((f) => f.properties!.name);
    expect(names).toContain('改名后的日间照料中心');
  });

  it('an incident reported through the API drops the incident tiles around it, for every filter', async () => {
    const analyst = await t.loginAs('analyst');
    const [lon, lat] = point('from');
    const at = tileAt(lon, lat, 15);
    const url = `/api/tiles/incidents/${at.z}/${at.x}/${at.y}?from=2020-01-01&to=2030-01-01`;
    const cluster = tileAt(lon, lat, 11);
    const clusterUrl = `/api/tiles/incidents/${cluster.z}/${cluster.x}/${cluster.y}?from=2020-01-01&to=2030-01-01&category=sanitation`;
    const count = async (u: string) => {
      const res = await t.app.inject({ url: u, headers: { cookie: analyst } });
      const [z, x, y] = u.split('?')[0]!.split('/').slice(-3).map(Number) as [number, number, number];
      const features = res.statusCode === 200 ? decodeTile(res.rawPayload, z, x, y).incidents!.features : [];
      return { res, n: features.reduce((s, f) => s + Number(f.properties!.count ?? 1), 0) };
    };
    const before = [await count(url), await count(clusterUrl)];
    expect((await count(url)).res.headers['x-tile-cache']).toBe('hit');
    const heard = (await cacheStats()).invalidations;
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/incidents',
      headers: { cookie: analyst },
      payload: { category: 'sanitation', subCategory: 'garbage', source: 'hotline_12345', lon, lat, description: '垃圾堆放' },
    });
    expect(created.statusCode, created.body).toBe(201);
    await waitForInvalidations(heard);
    const after = [await count(url), await count(clusterUrl)];
    expect(after[0]!.res.headers['x-tile-cache']).toBe('miss');
    expect(after[0]!.n).toBe(before[0]!.n + 1);
    expect(after[1]!.n).toBe(before[1]!.n + 1);
  });
});

describe('abandoned requests', () => {
  // Not on Citus: there the tile's query waits on the lock of the grid table's placement, and the
  // coordinator still lists it as waiting seconds after the cancel (docs/SCALE.md, known differences).
  it.skipIf(isDistributed())('cancel their query on the database', async () => {
    const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const at = tileAt(...point('far'), 13);
    // Another session holds the grid table: the tile's query waits on the lock until cancelled.
    const blocker = await t.db.pool.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE grid IN ACCESS EXCLUSIVE MODE');
      const abort = new AbortController();
      const request = fetch(`${base}/api/tiles/grids/${at.z}/${at.x}/${at.y}`, { headers: { cookie: planner }, signal: abort.signal }).catch((e) => e);
      const waiting = async () =>
        (await t.db.pool.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%ST_AsMVT%'`)).rows[0].n;
      for (let i = 0; i < 100 && (await waiting()) === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(await waiting()).toBe(1);
      abort.abort();
      expect(await request).toBeInstanceOf(Error);
      for (let i = 0; i < 100 && (await waiting()) > 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(await waiting()).toBe(0);
    } finally {
      await blocker.query('ROLLBACK');
      blocker.release();
    }
    // And the next request for the same tile is answered normally.
    const res = await fetch(`${base}/api/tiles/grids/${at.z}/${at.x}/${at.y}`, { headers: { cookie: planner } });
    expect(res.status).toBe(200);
  });
});
