/**
 * Vector tiles decoded as a map reads them: the features each layer carries, their fields, the
 * per-zoom generalisation (levels, simplification, feature limits), TileJSON, bad requests, and
 * the 500 KB ceiling over every tile of the demo district.
 */
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Value } from 'typebox/value';
import { TileJson } from '../../server/modules/tiles/schemas.js';
import { TILE_LAYERS, TILE_LAYER_NAMES } from '../../server/modules/tiles/layers.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { decodeTile, tileAt, tilesCovering, vertexCount } from '../fixtures/tiles/mvt.js';

let t: TestApp;
let planner: string;
let analyst: string;
let district: [number, number, number, number];
let communityPoint: [number, number];

beforeAll(async () => {
  t = await createTestApp();
  planner = await t.loginAs('planner');
  analyst = await t.loginAs('analyst');
  const { rows } = await t.db.pool.query(
    `SELECT ARRAY[ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)] AS box FROM (SELECT ST_Extent(geom) e FROM admin_area WHERE level = 'district') d`,
  );
  district = rows[0].box;
  const c = await t.db.pool.query(`SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(geom) p FROM admin_area WHERE code = '610402001001') a`);
  communityPoint = [c.rows[0].lon, c.rows[0].lat];
});
afterAll(async () => t.close());

async function tile(layer: string, z: number, x: number, y: number, cookie?: string, query = '') {
  const res = await t.app.inject({ url: `/api/tiles/${layer}/${z}/${x}/${y}${query}`, headers: cookie ? { cookie } : {} });
  return { res, layers: res.statusCode === 200 ? decodeTile(res.rawPayload, z, x, y) : {} };
}

describe('TileJSON', () => {
  it('describes every layer: a tile URL template, zooms, the district bounds and the fields', async () => {
    for (const name of TILE_LAYER_NAMES) {
      const cookie = name === 'incidents' ? analyst : planner;
      const query = name === 'incidents' ? '?from=2026-01-01&to=2026-11-01&category=dispute' : '';
      const res = await t.app.inject({ url: `/api/tiles/${name}.json${query}`, headers: { cookie } });
      expect(res.statusCode, name).toBe(200);
      const json = res.json();
      expect(Value.Check(TileJson, json), name).toBe(true);
      expect(json.tiles[0]).toMatch(new RegExp(`/api/tiles/${name}/\\{z\\}/\\{x\\}/\\{y\\}`));
      expect(json.minzoom).toBe(TILE_LAYERS[name].minzoom);
      expect(json.bounds.map((n: number) => n.toFixed(5))).toEqual(district.map((n) => n.toFixed(5)));
      expect(json.vector_layers.map((l: { id: string }) => l.id)).toContain(name);
    }
  });

  it('hands the incident filter on to every tile', async () => {
    const res = await t.app.inject({ url: '/api/tiles/incidents.json?from=2026-01-01&to=2026-11-01&category=dispute,sanitation', headers: { cookie: analyst } });
    const url = new URL(res.json().tiles[0].replace('{z}/{x}/{y}', '15/0/0'));
    expect(Object.fromEntries(url.searchParams)).toEqual({ from: '2026-01-01', to: '2026-11-01', category: 'dispute,sanitation' });
  });

  it('refuses a bad filter with the parameter and the reason', async () => {
    const res = await t.app.inject({ url: '/api/tiles/incidents.json?from=2026-05-01&to=2026-01-01', headers: { cookie: analyst } });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/querystring\/to/);
    const unknown = await t.app.inject({ url: '/api/tiles/incidents/15/0/0?from=2026-01-01&to=2026-02-01&category=arson', headers: { cookie: analyst } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().message).toMatch(/querystring\/category: unknown arson/);
  });
});

describe('tile coordinates', () => {
  it('refuses a tile that does not exist at its zoom', async () => {
    const res = await t.app.inject({ url: '/api/tiles/areas/3/8/1' });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/x and y run from 0 to 7 at zoom 3/);
    expect((await t.app.inject({ url: '/api/tiles/areas/23/0/0' })).statusCode).toBe(400);
    expect((await t.app.inject({ url: '/api/tiles/areas/a/0/0' })).statusCode).toBe(400);
  });

  it('answers 204 below a layer\'s first zoom and for a tile with nothing in it', async () => {
    const low = tileAt(communityPoint[0], communityPoint[1], 10);
    expect((await tile('grids', low.z, low.x, low.y, planner)).res.statusCode).toBe(204);
    expect((await tile('areas', 12, 0, 0)).res.statusCode).toBe(204);
  });
});

describe('areas', () => {
  it('carries the communities of the tile with public fields, and one label point each', async () => {
    const at = tileAt(communityPoint[0], communityPoint[1], 13);
    const { res, layers } = await tile('areas', at.z, at.x, at.y);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.mapbox-vector-tile');
    const outlines = layers.areas!.features;
    const codes = new Set(outlines.map((f) => f.properties!.code));
    // Independently: the areas whose outline meets the tile with its buffer.
    const { rows } = await t.db.pool.query(
      `SELECT code FROM admin_area WHERE ST_Intersects(geom, ST_Transform(ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096), 4326))`,
      [at.z, at.x, at.y],
    );
    expect(codes).toEqual(new Set(rows.map((r) => r.code)));
    for (const f of outlines) {
      expect(Object.keys(f.properties!).sort()).toEqual(['areaSquareMeters', 'code', 'kind', 'level', 'name', 'parentCode']);
      expect(['Polygon', 'MultiPolygon']).toContain(f.geometry.type);
    }
    const community = outlines.find((f) => f.properties!.code === '610402001001')!;
    expect(community.properties).toMatchObject({ level: 'community', kind: 'urban', parentCode: '610402001' });
    const labels = layers.area_labels!.features;
    expect(labels.every((f) => f.geometry.type === 'Point')).toBe(true);
    expect(new Set(labels.map((f) => f.properties!.code)).size).toBe(labels.length);
  });

  it('drops communities at low zooms and simplifies outlines there; full detail at high zooms', async () => {
    const z8 = tileAt(communityPoint[0], communityPoint[1], 8);
    const low = (await tile('areas', z8.z, z8.x, z8.y)).layers.areas!.features;
    expect(new Set(low.map((f) => f.properties!.level))).toEqual(new Set(['district', 'street']));
    const z7 = tileAt(communityPoint[0], communityPoint[1], 7);
    expect(new Set((await tile('areas', z7.z, z7.x, z7.y)).layers.areas!.features.map((f) => f.properties!.level))).toEqual(new Set(['district']));

    // The district outline: vertices in one z9 tile against the same outline over its z14 tiles.
    const verticesAt = async (z: number) => {
      let n = 0;
      for (const c of tilesCovering(district, z)) {
        const { layers } = await tile('areas', c.z, c.x, c.y);
        for (const f of layers.areas?.features ?? []) if (f.properties!.level === 'district') n += vertexCount(f);
      }
      return n;
    };
    const [coarse, fine] = [await verticesAt(9), await verticesAt(14)];
    const { rows } = await t.db.pool.query(`SELECT ST_NPoints(geom) AS n FROM admin_area WHERE level = 'district'`);
    expect(fine).toBeGreaterThanOrEqual(rows[0].n * 0.9);
    expect(coarse).toBeLessThan(fine * 0.7);
  });
});

describe('grids, buildings and facilities', () => {
  it('grids carry codes and figures of live grids only', async () => {
    const at = tileAt(communityPoint[0], communityPoint[1], 14);
    const { layers } = await tile('grids', at.z, at.x, at.y, planner);
    const grids = layers.grids!.features;
    expect(grids.length).toBeGreaterThan(0);
    const { rows } = await t.db.pool.query(
      `SELECT code FROM grid WHERE retired_at IS NULL AND ST_Intersects(geom, ST_Transform(ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096), 4326))`,
      [at.z, at.x, at.y],
    );
    expect(new Set(grids.map((f) => f.properties!.code))).toEqual(new Set(rows.map((r) => r.code)));
    expect(Object.keys(grids[0]!.properties!).sort()).toEqual(
      ['code', 'communityCode', 'dedicatedKind', 'gridType', 'households', 'managers', 'name', 'residents', 'residents60Plus', 'residents80Plus', 'version'].sort(),
    );
    // The grid id is the MVT feature id.
    const { rows: ids } = await t.db.pool.query(`SELECT id FROM grid WHERE code = $1`, [grids[0]!.properties!.code]);
    expect(grids[0]!.id).toBe(ids[0].id);
  });

  it('grids carry how many grid managers serve each, and a change of managers reaches the tile', async () => {
    const at = tileAt(communityPoint[0], communityPoint[1], 14);
    const counts = async () => {
      const { layers } = await tile('grids', at.z, at.x, at.y, planner);
      return new Map(layers.grids!.features.map((f) => [Number(f.id), f.properties!.managers]));
    };
    const before = await counts();
    const { rows } = await t.db.pool.query(
      `SELECT g.id, (SELECT count(*) FROM grid_staff s WHERE s.grid_id = g.id AND s.role = 'manager')::int AS managers
         FROM grid g WHERE g.id = ANY($1::bigint[])`,
      [[...before.keys()]],
    );
    expect(rows.length).toBe(before.size);
    for (const r of rows) expect(before.get(Number(r.id)), `grid ${r.id}`).toBe(r.managers);
    expect(rows.some((r) => r.managers > 0)).toBe(true);

    // A manager added through the grid form: the cached tile is dropped, the new count is served.
    const grid = rows.find((r) => r.managers > 0)!;
    const detail = await t.app.inject({ url: `/api/grids?community=${(await t.db.pool.query(`SELECT community_code FROM grid WHERE id = $1`, [grid.id])).rows[0].community_code}`, headers: { cookie: planner } });
    const feature = detail.json().features.find((f: { properties: { id: number } }) => f.properties.id === Number(grid.id));
    const managers = [...feature.properties.gridManagers, { name: '瓦片测试网格员', phone: '13900000000' }];
    const saved = await t.app.inject({ method: 'PATCH', url: `/api/grids/${grid.id}`, headers: { cookie: planner }, payload: { version: feature.properties.version, gridManagers: managers } });
    expect(saved.statusCode, saved.body).toBe(200);
    await expect.poll(async () => (await counts()).get(Number(grid.id)), { timeout: 5000 }).toBe(grid.managers + 1);
    const { layers } = await tile('grids', at.z, at.x, at.y, planner);
    const values = layers.grids!.features.flatMap((f) => Object.values(f.properties!).map(String));
    expect(values).not.toContain('瓦片测试网格员');
    expect(values).not.toContain('13900000000');
  });

  it('buildings carry their population figures', async () => {
    const at = tileAt(communityPoint[0], communityPoint[1], 15);
    const { layers } = await tile('buildings', at.z, at.x, at.y, planner);
    const buildings = layers.buildings!.features;
    expect(buildings.length).toBeGreaterThan(0);
    const first = buildings[0]!;
    const { rows } = await t.db.pool.query(`SELECT residents, households FROM building WHERE id = $1`, [first.id]);
    expect(first.properties).toMatchObject({ residents: rows[0].residents, households: rows[0].households });
  });

  it('facilities: every open public facility of the tile, positioned to within a tile unit', async () => {
    const at = tileAt(communityPoint[0], communityPoint[1], 13);
    const { layers } = await tile('facilities', at.z, at.x, at.y);
    const { rows } = await t.db.pool.query(
      `SELECT id, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM facility
        WHERE is_public AND retired_at IS NULL AND geom && ST_Transform(ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096), 4326)`,
      [at.z, at.x, at.y],
    );
    const features = layers.facilities!.features;
    expect(new Set(features.map((f) => f.id))).toEqual(new Set(rows.map((r) => r.id)));
    const unitDegrees = 360 / 2 ** at.z / 4096;
    for (const r of rows) {
      const f = features.find((x) => x.id === r.id)!;
      const [lon, lat] = (f.geometry as GeoJSON.Point).coordinates as [number, number];
      expect(Math.abs(lon - r.lon)).toBeLessThan(unitDegrees);
      expect(Math.abs(lat - r.lat)).toBeLessThan(unitDegrees);
    }
  });
});

describe('incidents', () => {
  const filter = '?from=2025-11-01&to=2026-11-01';

  it('from zoom 15: the filtered incidents of the tile, newest kept first', async () => {
    const { rows: busiest } = await t.db.pool.query(
      `SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM incident WHERE reported_at >= '2025-11-01' ORDER BY id LIMIT 1`,
    );
    const at = tileAt(busiest[0].lon, busiest[0].lat, 15);
    const { layers } = await tile('incidents', at.z, at.x, at.y, analyst, `${filter}&category=sanitation`);
    const { rows } = await t.db.pool.query(
      `SELECT id FROM incident WHERE category = 'sanitation' AND reported_at >= '2025-10-31T16:00:00Z' AND reported_at < '2026-10-31T16:00:00Z'
          AND geom && ST_Transform(ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096), 4326)`,
      [at.z, at.x, at.y],
    );
    const features = layers.incidents?.features ?? [];
    expect(new Set(features.map((f) => f.id))).toEqual(new Set(rows.map((r) => r.id)));
    expect(features.every((f) => f.properties!.category === 'sanitation')).toBe(true);
  });

  it('below zoom 15: counts per cell that add up to the incidents of the tile', async () => {
    const at = tileAt(communityPoint[0], communityPoint[1], 12);
    const { layers } = await tile('incidents', at.z, at.x, at.y, analyst, filter);
    const cells = layers.incidents!.features;
    expect(cells.every((f) => Object.keys(f.properties!).join() === 'count')).toBe(true);
    const total = cells.reduce((s, f) => s + Number(f.properties!.count), 0);
    const { rows } = await t.db.pool.query(
      `SELECT count(*)::int AS n FROM incident WHERE reported_at >= '2025-10-31T16:00:00Z' AND reported_at < '2026-10-31T16:00:00Z'
          AND ST_Intersects(geom, ST_Transform(ST_TileEnvelope($1, $2, $3), 4326))`,
      [at.z, at.x, at.y],
    );
    // A point exactly on the tile's east or south edge belongs to the next tile.
    expect(Math.abs(total - rows[0].n)).toBeLessThanOrEqual(2);
    expect(total).toBeGreaterThan(100);
    expect(cells.length).toBeLessThanOrEqual(64 * 64);
  });

  it('an area (street or community) keeps only its incidents, and the TileJSON hands it on', async () => {
    const community = '610402001001';
    const json = await t.app.inject({ url: `/api/tiles/incidents.json${filter}&area=${community}`, headers: { cookie: analyst } });
    expect(new URL(json.json().tiles[0].replace('{z}/{x}/{y}', '12/0/0')).searchParams.get('area')).toBe(community);
    const at = tileAt(communityPoint[0], communityPoint[1], 12);
    const { layers } = await tile('incidents', at.z, at.x, at.y, analyst, `${filter}&area=${community}`);
    const total = (layers.incidents?.features ?? []).reduce((s, f) => s + Number(f.properties!.count), 0);
    const { rows } = await t.db.pool.query(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE community_code = $4)::int AS inside FROM incident
        WHERE reported_at >= '2025-10-31T16:00:00Z' AND reported_at < '2026-10-31T16:00:00Z'
          AND ST_Intersects(geom, ST_Transform(ST_TileEnvelope($1, $2, $3), 4326))`,
      [at.z, at.x, at.y, community],
    );
    expect(rows[0].inside).toBeGreaterThan(0);
    expect(rows[0].n).toBeGreaterThan(rows[0].inside); // the tile holds other communities' incidents too
    expect(Math.abs(total - rows[0].inside)).toBeLessThanOrEqual(2);
    const bad = await t.app.inject({ url: `/api/tiles/incidents/12/0/0${filter}&area=61040`, headers: { cookie: analyst } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/querystring\/area/);
  });
});

describe('tile size ceiling', () => {
  it('no tile of the demo district is over 500 KB compressed, at any zoom of any layer', async () => {
    let largest = { bytes: 0, where: '' };
    for (const name of TILE_LAYER_NAMES) {
      const cookie = name === 'incidents' ? analyst : planner;
      // Incidents over the whole two years: the heaviest filter there is.
      const query = name === 'incidents' ? '?from=2024-11-01&to=2026-11-02' : '';
      for (const z of [8, 10, 12, 13, 14, 15]) {
        if (z < TILE_LAYERS[name].minzoom) continue;
        for (const c of tilesCovering(district, z)) {
          if (z >= 14 && (c.x + c.y) % 3 !== 0) continue; // a third of the many high-zoom tiles
          const res = await t.app.inject({ url: `/api/tiles/${name}/${c.z}/${c.x}/${c.y}${query}`, headers: { cookie, 'accept-encoding': 'gzip' } });
          expect([200, 204], `${name} ${c.z}/${c.x}/${c.y}: ${res.body.slice(0, 200)}`).toContain(res.statusCode);
          if (res.statusCode === 200) {
            expect(res.headers['content-encoding']).toBe('gzip');
            expect(zlib.gunzipSync(res.rawPayload).length).toBeGreaterThan(0);
          }
          if (res.rawPayload.length > largest.bytes) largest = { bytes: res.rawPayload.length, where: `${name} ${c.z}/${c.x}/${c.y}` };
        }
      }
    }
    console.log(`largest compressed tile: ${(largest.bytes / 1024).toFixed(1)} KB (${largest.where})`);
    expect(largest.bytes).toBeGreaterThan(1000);
    expect(largest.bytes).toBeLessThanOrEqual(500 * 1024);
  }, 120_000);
});
