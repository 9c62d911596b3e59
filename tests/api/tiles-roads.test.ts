/**
 * The roads tiles (public): roads by class with the classes each zoom draws, names only from
 * street zoom, segments of one street merged into one line, and nothing but public fields.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROAD_NAMES_MIN_ZOOM, roadClassesAt } from '../../server/modules/tiles/layers.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { decodeTile, tileAt } from '../fixtures/tiles/mvt.js';
import { roadsAround, seedRoads, tileCentre } from '../fixtures/roads/seed.js';

let t: TestApp;
let centre: { lon: number; lat: number };

beforeAll(async () => {
  t = await createTestApp();
  const { rows } = await t.db.pool.query(`SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM building ORDER BY residents DESC LIMIT 1`);
  centre = tileCentre(rows[0].lon, rows[0].lat);
  // Only the roads seeded here: the demo's own synthetic network would add classes of its own.
  await t.db.pool.query(`DELETE FROM road_segment`);
  await seedRoads(t.db.pool, roadsAround(centre.lon, centre.lat));
});
afterAll(async () => t.close());

async function roadsTile(z: number) {
  // The tile of the crossing: every seeded road runs through it at every zoom.
  const at = tileAt(centre.lon, centre.lat, z);
  const res = await t.app.inject({ url: `/api/tiles/roads/${at.z}/${at.x}/${at.y}` });
  expect(res.statusCode, `z${z}`).toBe(200);
  expect(res.headers['cache-control']).toBe('public, max-age=0, stale-while-revalidate=86400');
  return decodeTile(res.rawPayload, at.z, at.x, at.y).roads?.features ?? [];
}

describe('roads tiles', () => {
  it('carry the classes of each zoom, with names only from street zoom, and only class, name and id', async () => {
    for (const z of [10, 12, 13, 14, 15, 16]) {
      const features = await roadsTile(z);
      const classes = new Set(features.map((f) => f.properties!.class));
      const expected = ['primary', 'residential', 'footway', 'motorway'].filter((c) => roadClassesAt(z).includes(c));
      expect([...classes].sort(), `z${z}`).toEqual(expected.sort());
      for (const f of features) {
        expect(Object.keys(f.properties!).every((k) => k === 'class' || k === 'name'), JSON.stringify(f.properties)).toBe(true);
        expect(f.geometry.type).toMatch(/LineString/);
        expect(typeof f.id).toBe('number');
      }
      const names = new Set(features.map((f) => f.properties!.name).filter(Boolean));
      if (z >= ROAD_NAMES_MIN_ZOOM) expect([...names].sort(), `z${z}`).toEqual(['幸福路', '渭滨大道', '连霍高速'].sort());
      else expect([...names], `z${z}`).toEqual([]);
    }
  });

  it('merge the segments of one street into one line per tile', async () => {
    const features = await roadsTile(15);
    expect(features.filter((f) => f.properties!.name === '渭滨大道').length).toBe(1);
    expect(features.filter((f) => f.properties!.name === '幸福路').length).toBe(1);
  });

  it('have no tiles below zoom 8, and a TileJSON with public fields', async () => {
    expect((await t.app.inject({ url: '/api/tiles/roads/7/103/52' })).statusCode).toBe(204);
    const json = (await t.app.inject({ url: '/api/tiles/roads.json' })).json();
    expect(Object.keys(json.vector_layers[0].fields).sort()).toEqual(['class', 'id', 'name']);
  });

  it('are refreshed when a road changes', async () => {
    const before = await roadsTile(15);
    expect(before.some((f) => f.properties!.name === '幸福路')).toBe(true);
    await t.db.pool.query(`UPDATE road_segment SET name = '新华路' WHERE name = '幸福路'`);
    // The database announces the change at commit; the cached tile is dropped when it is heard.
    await expect.poll(async () => (await roadsTile(15)).map((f) => f.properties!.name).filter(Boolean).sort(), { timeout: 5000 }).toEqual(['新华路', '渭滨大道', '连霍高速']);
  });
});
