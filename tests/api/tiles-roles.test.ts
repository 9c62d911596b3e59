/**
 * Role rules on tiles, checked by decoding what each caller receives: public tiles carry only
 * public fields and public facilities; grid staff names and phones are in no tile; incidents are
 * in no public tile and no reporter data in any tile; grid workers see only their grids'
 * incidents; Cache-Control says who may keep each tile.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../server/modules/auth/roles.js';
import { TILE_LAYER_NAMES } from '../../server/modules/tiles/layers.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { decodeTile, tileAt } from '../fixtures/tiles/mvt.js';

let t: TestApp;
const cookies = {} as Record<Role, string>;
const PERIOD = '?from=2024-11-01&to=2026-11-02';

beforeAll(async () => {
  t = await createTestApp();
  for (const role of ['admin', 'planner', 'analyst', 'grid_worker'] as Role[]) cookies[role] = await t.loginAs(role);
});
afterAll(async () => t.close());

async function tile(layer: string, at: { z: number; x: number; y: number }, cookie?: string, query = '') {
  const res = await t.app.inject({ url: `/api/tiles/${layer}/${at.z}/${at.x}/${at.y}${query}`, headers: cookie ? { cookie } : {} });
  return { res, layers: res.statusCode === 200 ? decodeTile(res.rawPayload, at.z, at.x, at.y) : {} };
}

/** Every property value in a decoded tile, as text. */
function allValues(layers: ReturnType<typeof decodeTile>): Set<string> {
  const values = new Set<string>();
  for (const layer of Object.values(layers)) for (const f of layer.features) for (const v of Object.values(f.properties ?? {})) values.add(String(v));
  return values;
}

describe('public callers', () => {
  it('get areas, facilities, buildings and roads, and 401 for grids and incidents (tiles and TileJSON)', async () => {
    const at = { z: 14, x: 13138, y: 6527 };
    for (const layer of ['areas', 'facilities', 'buildings', 'roads']) expect((await t.app.inject({ url: `/api/tiles/${layer}.json` })).statusCode, layer).toBe(200);
    for (const layer of ['grids', 'incidents']) {
      const query = layer === 'incidents' ? PERIOD : '';
      expect((await tile(layer, at, undefined, query)).res.statusCode, layer).toBe(401);
      expect((await t.app.inject({ url: `/api/tiles/${layer}.json${query}` })).statusCode, layer).toBe(401);
    }
  });

  it('facility tiles: public open facilities with public fields only; staff also see hidden ones with capacity', async () => {
    const { rows } = await t.db.pool.query(
      `SELECT id, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM facility WHERE NOT is_public AND retired_at IS NULL ORDER BY id LIMIT 1`,
    );
    expect(rows.length).toBe(1);
    const hidden = rows[0];
    const at = tileAt(hidden.lon, hidden.lat, 14);
    const anonymous = await tile('facilities', at);
    const anonymousIds = anonymous.layers.facilities!.features.map((f) => f.id);
    expect(anonymousIds).not.toContain(hidden.id);
    for (const f of anonymous.layers.facilities!.features) {
      expect(Object.keys(f.properties!).sort()).toEqual(['facilityType', 'name', 'services']);
    }
    const { rows: notPublic } = await t.db.pool.query(`SELECT id FROM facility WHERE NOT is_public OR retired_at IS NOT NULL`);
    const forbidden = new Set(notPublic.map((r) => r.id));
    expect(anonymousIds.filter((id) => forbidden.has(id as number))).toEqual([]);

    const staff = await tile('facilities', at, cookies.planner);
    const mine = staff.layers.facilities!.features.find((f) => f.id === hidden.id)!;
    expect(mine.properties).toMatchObject({ isPublic: false });
    expect(Object.keys(mine.properties!)).toContain('facilityType');
    expect(staff.layers.facilities!.features.length).toBeGreaterThan(anonymous.layers.facilities!.features.length);
  });

  it('building tiles: where and what kind for the public, never a name or a figure; staff get the figures', async () => {
    const { rows } = await t.db.pool.query(`SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM building ORDER BY residents DESC LIMIT 1`);
    const at = tileAt(rows[0].lon, rows[0].lat, 15);
    const anonymous = await tile('buildings', at);
    expect(anonymous.res.statusCode).toBe(200);
    // Building dots are ground: shown from the cache at once, revalidated behind (a day at most).
    expect(anonymous.res.headers['cache-control']).toBe('public, max-age=0, stale-while-revalidate=86400');
    expect(anonymous.layers.buildings!.features.length).toBeGreaterThan(0);
    for (const f of anonymous.layers.buildings!.features) expect(Object.keys(f.properties!)).toEqual(['kind']);
    const staff = await tile('buildings', at, cookies.planner);
    expect(Object.keys(staff.layers.buildings!.features[0]!.properties!).sort()).toEqual(['households', 'kind', 'name', 'residents', 'residents60Plus', 'residents80Plus']);
    const fields = (await t.app.inject({ url: '/api/tiles/buildings.json' })).json().vector_layers[0].fields;
    expect(Object.keys(fields).sort()).toEqual(['id', 'kind']);
  });

  it('?fields=public: staff get the tile anyone gets (the basemap\'s building dots), smaller and for any cache', async () => {
    const { rows } = await t.db.pool.query(`SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM building ORDER BY residents DESC LIMIT 1`);
    const at = tileAt(rows[0].lon, rows[0].lat, 14);
    const full = await tile('buildings', at, cookies.grid_worker);
    const positions = await tile('buildings', at, cookies.grid_worker, '?fields=public');
    const anonymous = await tile('buildings', at);
    expect(positions.res.statusCode).toBe(200);
    expect(positions.res.rawPayload.equals(anonymous.res.rawPayload)).toBe(true);
    expect(positions.res.rawPayload.length).toBeLessThan(full.res.rawPayload.length / 2);
    expect(positions.layers.buildings!.features.length).toBe(full.layers.buildings!.features.length);
    for (const f of positions.layers.buildings!.features) expect(Object.keys(f.properties!)).toEqual(['kind']);
    expect(positions.res.headers['cache-control']).toBe('public, max-age=0, stale-while-revalidate=86400');
    expect(full.res.headers['cache-control']).toBe('private, no-cache');
    // Its TileJSON names the public fields and links tiles of the same kind; facilities take it too.
    const tileJson = (await t.app.inject({ url: '/api/tiles/buildings.json?fields=public', headers: { cookie: cookies.planner } })).json();
    expect(Object.keys(tileJson.vector_layers[0].fields).sort()).toEqual(['id', 'kind']);
    expect(tileJson.tiles[0]).toMatch(/\/api\/tiles\/buildings\/\{z\}\/\{x\}\/\{y\}\?fields=public$/);
    const facilities = await tile('facilities', { z: 13, x: 6569, y: 3263 }, cookies.analyst, '?fields=public');
    expect(facilities.res.headers['cache-control']).toBe('public, no-cache');
    // Anything else is refused with what was wrong.
    const bad = await t.app.inject({ url: `/api/tiles/buildings/${at.z}/${at.x}/${at.y}?fields=all`, headers: { cookie: cookies.planner } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/fields/);
  });

  it('Cache-Control: public layers for any cache, role-restricted ones only for the caller', async () => {
    const at = { z: 13, x: 6569, y: 3263 };
    const areas = await tile('areas', at);
    expect(areas.res.headers['cache-control']).toBe('public, no-cache');
    expect(areas.res.headers.vary).toBe('Accept-Encoding');
    const publicFacilities = await tile('facilities', at);
    expect(publicFacilities.res.headers['cache-control']).toBe('public, no-cache');
    expect(publicFacilities.res.headers.vary).toContain('Cookie');
    expect((await tile('facilities', at, cookies.analyst)).res.headers['cache-control']).toBe('private, no-cache');
    // Ground layers' public tiles may be used stale while revalidated; every other tile is revalidated first.
    expect((await tile('roads', { z: 14, x: 13140, y: 6527 })).res.headers['cache-control']).toBe('public, max-age=0, stale-while-revalidate=86400');
    expect((await tile('roads', { z: 14, x: 13140, y: 6527 }, cookies.planner)).res.headers['cache-control']).toBe('public, max-age=0, stale-while-revalidate=86400');
    for (const layer of ['grids', 'buildings', 'incidents']) {
      const res = (await tile(layer, { z: 15, x: 13138 * 2, y: 6527 * 2 }, cookies.admin, layer === 'incidents' ? PERIOD : '')).res;
      expect(res.headers['cache-control'], layer).toBe('private, no-cache');
      expect(res.headers.vary, layer).toContain('Cookie');
    }
  });
});

describe('staff tiles', () => {
  it('grid tiles never carry grid leaders\' or managers\' names or phones, for any role', async () => {
    const { rows } = await t.db.pool.query(
      `SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(geom) p FROM grid WHERE community_code = '610402001001' LIMIT 1) g`,
    );
    const at = tileAt(rows[0].lon, rows[0].lat, 13);
    const { rows: staff } = await t.db.pool.query(`SELECT name, phone FROM grid_staff`);
    const personal = new Set(staff.flatMap((s) => [s.name, s.phone]).filter(Boolean));
    for (const role of ['admin', 'planner', 'analyst', 'grid_worker'] as Role[]) {
      const { res, layers } = await tile('grids', at, cookies[role]);
      expect(res.statusCode).toBe(200);
      expect(layers.grids!.features.length).toBeGreaterThan(5);
      const leaked = [...allValues(layers)].filter((v) => personal.has(v));
      expect(leaked, role).toEqual([]);
      const keys = new Set(layers.grids!.features.flatMap((f) => Object.keys(f.properties!)));
      // The one field about staff is how many managers a grid has: a count, nothing personal.
      for (const key of keys) if (key !== 'managers') expect(key).not.toMatch(/leader|manager|phone|staff/i);
      for (const f of layers.grids!.features) expect(Number.isInteger(f.properties!.managers) && (f.properties!.managers as number) >= 0).toBe(true);
    }
  });

  it('incident tiles carry no description and nothing of the reporter, at any zoom', async () => {
    const { rows } = await t.db.pool.query(
      `SELECT i.id, ST_X(i.geom) AS lon, ST_Y(i.geom) AS lat FROM incident i JOIN incident_reporter r ON r.incident_id = i.id
        WHERE r.name IS NOT NULL AND i.description <> '' ORDER BY i.id LIMIT 1`,
    );
    expect(rows.length).toBe(1);
    const { rows: reporters } = await t.db.pool.query(`SELECT name, phone, id_number FROM incident_reporter`);
    const { rows: descriptions } = await t.db.pool.query(`SELECT DISTINCT description FROM incident WHERE description <> ''`);
    const personal = new Set([...reporters.flatMap((r) => [r.name, r.phone, r.id_number]), ...descriptions.map((d) => d.description)].filter(Boolean));
    for (const z of [16, 15, 12]) {
      const here = tileAt(rows[0].lon, rows[0].lat, z);
      const { res, layers } = await tile('incidents', here, cookies.analyst, PERIOD);
      expect(res.statusCode).toBe(200);
      if (z >= 15) expect(layers.incidents!.features.map((f) => f.id)).toContain(rows[0].id);
      expect([...allValues(layers)].filter((v) => personal.has(v))).toEqual([]);
      const keys = new Set(layers.incidents!.features.flatMap((f) => Object.keys(f.properties!)));
      for (const key of keys) expect(['count', 'category', 'subCategory', 'status', 'source', 'reportedAt', 'dueAt']).toContain(key);
    }
  });

  it('planners may not read incident tiles; grid workers read only the incidents of the grids they serve', async () => {
    const at = { z: 15, x: 26276, y: 13054 };
    expect((await tile('incidents', at, cookies.planner, PERIOD)).res.statusCode).toBe(403);

    // The grid worker's grids, and a z12 tile over them holding other grids' incidents too.
    const { rows: own } = await t.db.pool.query(
      `SELECT g.id, ST_X(ST_PointOnSurface(g.geom)) AS lon, ST_Y(ST_PointOnSurface(g.geom)) AS lat
         FROM grid g JOIN grid_staff s ON s.grid_id = g.id JOIN app_user u ON u.id = s.user_id WHERE u.username = 'gridworker'`,
    );
    expect(own.length).toBeGreaterThan(0);
    const ownIds = new Set(own.map((g) => g.id));
    const z15 = tileAt(own[0].lon, own[0].lat, 15);
    const worker = await tile('incidents', z15, cookies.grid_worker, PERIOD);
    const analyst = await tile('incidents', z15, cookies.analyst, PERIOD);
    const workerIds = (worker.layers.incidents?.features ?? []).map((f) => f.id as number);
    const analystIds = (analyst.layers.incidents?.features ?? []).map((f) => f.id as number);
    expect(workerIds.length).toBeGreaterThan(0);
    const { rows: placed } = await t.db.pool.query(`SELECT id, grid_id FROM incident WHERE id = ANY($1::bigint[])`, [analystIds]);
    const expected = placed.filter((r) => ownIds.has(r.grid_id)).map((r) => r.id);
    expect(new Set(workerIds)).toEqual(new Set(expected));
    expect(analystIds.length).toBeGreaterThan(workerIds.length);

    // The counts below zoom 15 too.
    const z12 = tileAt(own[0].lon, own[0].lat, 12);
    const count = (layers: ReturnType<typeof decodeTile>) => (layers.incidents?.features ?? []).reduce((s, f) => s + Number(f.properties!.count), 0);
    const workerCount = count((await tile('incidents', z12, cookies.grid_worker, PERIOD)).layers);
    const { rows: n } = await t.db.pool.query(
      `SELECT count(*)::int AS n FROM incident WHERE grid_id = ANY($1::bigint[]) AND reported_at >= '2024-10-31T16:00:00Z' AND reported_at < '2026-11-01T16:00:00Z'
          AND ST_Intersects(geom, ST_Transform(ST_TileEnvelope($2, $3, $4), 4326))`,
      [[...ownIds], z12.z, z12.x, z12.y],
    );
    expect(workerCount).toBe(n[0].n);
  });

  it('a caller with a scope sees only incidents inside it', async () => {
    const { rows } = await t.db.pool.query(`SELECT code FROM admin_area WHERE level = 'street' ORDER BY code LIMIT 1`);
    const street = rows[0].code;
    await t.db.pool.query(`UPDATE app_user SET scope_area_code = $1 WHERE username = 'analyst'`, [street]);
    const scoped = await t.loginAs('analyst');
    const { rows: d } = await t.db.pool.query(`SELECT ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM admin_area WHERE code = $1`, [street]);
    const at = tileAt(d[0].lon, d[0].lat, 11);
    const { layers } = await tile('incidents', at, scoped, PERIOD);
    const total = (layers.incidents?.features ?? []).reduce((s, f) => s + Number(f.properties!.count), 0);
    const { rows: n } = await t.db.pool.query(
      `SELECT count(*)::int AS n FROM incident WHERE community_code LIKE $1 || '%' AND reported_at >= '2024-10-31T16:00:00Z' AND reported_at < '2026-11-01T16:00:00Z'
          AND ST_Intersects(geom, ST_Transform(ST_TileEnvelope($2, $3, $4), 4326))`,
      [street, at.z, at.x, at.y],
    );
    expect(total).toBeGreaterThan(0);
    expect(Math.abs(total - n[0].n)).toBeLessThanOrEqual(2);
    // An area filter narrows the scope and never widens it: the whole district is still the street;
    // another street is nothing at all.
    const district = await tile('incidents', at, scoped, `${PERIOD}&area=${street.slice(0, 6)}`);
    expect((district.layers.incidents?.features ?? []).reduce((s, f) => s + Number(f.properties!.count), 0)).toBe(total);
    const { rows: other } = await t.db.pool.query(`SELECT code FROM admin_area WHERE level = 'street' AND code <> $1 ORDER BY code LIMIT 1`, [street]);
    const outside = await tile('incidents', at, scoped, `${PERIOD}&area=${other[0].code}`);
    expect(outside.res.statusCode).toBe(204);
    await t.db.pool.query(`UPDATE app_user SET scope_area_code = NULL WHERE username = 'analyst'`);
  });

  it('every layer declares its access (the access matrix covers the tile routes)', () => {
    const routes = t.app.declaredRoutes.filter((r) => r.url.startsWith('/api/tiles/') && r.method !== 'HEAD');
    expect(routes.length).toBe(TILE_LAYER_NAMES.length * 2 + 2);
    const incidents = routes.find((r) => r.url === '/api/tiles/incidents/:z/:x/:y')!;
    expect('roles' in incidents.access && incidents.access.roles).toEqual(['analyst', 'admin', 'grid_worker']);
  });
});
