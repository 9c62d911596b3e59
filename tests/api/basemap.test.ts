/**
 * Offline basemap files and label glyphs: an admin installs an MBTiles or a PMTiles file, Wangge
 * serves its tiles and says what is installed, and removes it; files that are not MBTiles/PMTiles,
 * truncated or too large are refused with a 4xx and leave nothing behind; glyph ranges are built
 * from the machine's CJK font.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { multipart } from '../fixtures/grids/fixtures.js';
import { makeMbtiles, makePmtiles, onePixelPng } from '../fixtures/basemap/make.js';
import { tileAt } from '../fixtures/tiles/mvt.js';

const MAX_BYTES = 64 * 1024;
let t: TestApp;
let admin: string;
let planner: string;
let dir: string;
let glyphsDir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wangge-basemaps-'));
  glyphsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wangge-glyphs-'));
  t = await createTestApp({ env: { BASEMAP_DIR: dir, BASEMAP_MAX_BYTES: String(MAX_BYTES), GLYPHS_DIR: glyphsDir } });
  admin = await t.loginAs('admin');
  planner = await t.loginAs('planner');
});
afterAll(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(glyphsDir, { recursive: true, force: true });
});

async function upload(fileName: string, bytes: Buffer, cookie = admin) {
  const body = multipart(fileName, bytes, {});
  return t.app.inject({ method: 'POST', url: '/api/basemap', payload: body.payload, headers: { ...body.headers, cookie } });
}

const files = () => fs.readdirSync(dir).sort();

describe('installing a basemap', () => {
  it('MBTiles: installed with what its metadata says, tiles served, then removed', async () => {
    expect((await t.app.inject({ url: '/api/basemap' })).json().installed).toBeNull();
    expect((await t.app.inject({ url: '/api/basemap/tiles/0/0/0' })).statusCode).toBe(404);
    const res = await upload('qindu.mbtiles', makeMbtiles('秦都区底图'));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ name: '秦都区底图', format: 'mbtiles', tileType: 'raster', tileFormat: 'png', minzoom: 0, maxzoom: 0, bounds: [107.0, 34.2, 107.3, 34.5] });
    expect(files()).toEqual(['basemap.json', 'basemap.mbtiles']);

    // Requests that come together just after the install (a page asking for its state, the
    // configuration and tiles at once) all see it: none is told "nothing installed" while the
    // first is still opening it.
    const together = await Promise.all([
      t.app.inject({ url: '/api/basemap' }),
      t.app.inject({ url: '/api/config' }),
      t.app.inject({ url: '/api/basemap' }),
      t.app.inject({ url: '/api/basemap/tiles/0/0/0' }),
      t.app.inject({ url: '/api/basemap/tiles/0/0/0' }),
    ]);
    expect(together[0]!.json().installed.name).toBe('秦都区底图');
    expect(together[1]!.json().basemap.installed.name).toBe('秦都区底图');
    expect(together[2]!.json().installed.name).toBe('秦都区底图');
    expect(together.slice(3).map((r) => r.statusCode)).toEqual([200, 200]);

    const tile = await t.app.inject({ url: '/api/basemap/tiles/0/0/0' });
    expect(tile.statusCode).toBe(200);
    expect(tile.headers['content-type']).toBe('image/png');
    expect(tile.rawPayload.equals(onePixelPng())).toBe(true);
    expect((await t.app.inject({ url: '/api/basemap/tiles/1/0/0' })).statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/basemap/tiles/1/5/0' })).statusCode).toBe(400);

    const removed = await t.app.inject({ method: 'DELETE', url: '/api/basemap', headers: { cookie: admin } });
    expect(removed.json()).toEqual({ removed: true });
    expect(files()).toEqual([]);
    expect((await t.app.inject({ url: '/api/basemap/tiles/0/0/0' })).statusCode).toBe(404);
    const { rows } = await t.db.pool.query(`SELECT action FROM audit_log WHERE action LIKE 'basemap.%' ORDER BY id`);
    expect(rows.map((r) => r.action)).toEqual(['basemap.install', 'basemap.remove']);
  });

  it('PMTiles: installed, served, and replaced by the next install', async () => {
    const res = await upload('城区.pmtiles', makePmtiles('城区影像'));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ name: '城区影像', format: 'pmtiles', tileType: 'raster', tileFormat: 'png', minzoom: 0, maxzoom: 0 });
    expect(res.json().bounds.map((n: number) => Math.round(n * 10) / 10)).toEqual([107.0, 34.2, 107.3, 34.5]);
    const tile = await t.app.inject({ url: '/api/basemap/tiles/0/0/0' });
    expect(tile.statusCode).toBe(200);
    expect(tile.headers['content-type']).toBe('image/png');
    expect(tile.rawPayload.equals(onePixelPng(120))).toBe(true);
    expect((await t.app.inject({ url: '/api/basemap/tiles/3/1/1' })).statusCode).toBe(204);

    expect((await upload('qindu.mbtiles', makeMbtiles())).statusCode).toBe(201);
    expect(files()).toEqual(['basemap.json', 'basemap.mbtiles']);
    expect((await t.app.inject({ url: '/api/basemap/tiles/0/0/0' })).rawPayload.equals(onePixelPng())).toBe(true);
  });

  it('a vector MBTiles: its layers listed, tiles served gzipped as Mapbox Vector Tiles', async () => {
    // A real vector tile: one from Wangge's own areas layer.
    const { rows } = await t.db.pool.query(`SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM building LIMIT 1`);
    const at = tileAt(rows[0].lon, rows[0].lat, 10);
    const areaTile = await t.app.inject({ url: `/api/tiles/areas/${at.z}/${at.x}/${at.y}` });
    expect(areaTile.statusCode).toBe(200);
    const res = await upload('vector.mbtiles', makeMbtiles('矢量底图', areaTile.rawPayload));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ name: '矢量底图', tileType: 'vector', tileFormat: 'pbf', vectorLayers: ['water', 'roads'] });
    const tile = await t.app.inject({ url: '/api/basemap/tiles/0/0/0' });
    expect(tile.statusCode).toBe(200);
    expect(tile.headers['content-type']).toBe('application/vnd.mapbox-vector-tile');
    expect(tile.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(tile.rawPayload).equals(areaTile.rawPayload)).toBe(true);
  });

  it('only admins install or remove', async () => {
    expect((await upload('qindu.mbtiles', makeMbtiles(), planner)).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'DELETE', url: '/api/basemap', headers: { cookie: planner } })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'DELETE', url: '/api/basemap' })).statusCode).toBe(401);
  });
});

describe('bad basemap files: a clear 4xx and nothing changed', () => {
  it('a text file named .mbtiles, a SQLite file without the MBTiles tables, a truncated PMTiles, a file over the limit', async () => {
    const before = files();
    const installed = (await t.app.inject({ url: '/api/basemap' })).json().installed;
    const cases: [string, Buffer, number, RegExp][] = [
      ['notes.mbtiles', Buffer.from('这不是底图 not a basemap\n'.repeat(20), 'utf8'), 415, /notes\.mbtiles: not an MBTiles file .*nor a PMTiles file/],
      ['cut.pmtiles', makePmtiles().subarray(0, 140), 415, /cut\.pmtiles: a truncated PMTiles file/],
      ['huge.mbtiles', Buffer.concat([makeMbtiles(), Buffer.alloc(MAX_BYTES)]), 413, /huge\.mbtiles: larger than the 65536 bytes a basemap may have \(BASEMAP_MAX_BYTES\)/],
      ['empty.pmtiles', Buffer.alloc(0), 400, /empty\.pmtiles: the file is empty/],
    ];
    for (const [name, bytes, status, message] of cases) {
      const res = await upload(name, bytes);
      expect(res.statusCode, `${name}: ${res.body}`).toBe(status);
      expect(res.json().message, name).toMatch(message);
      expect(files(), name).toEqual(before);
      expect((await t.app.inject({ url: '/api/basemap' })).json().installed, name).toEqual(installed);
    }
  });

  it('a SQLite file without the tiles table of MBTiles', async () => {
    const Database = (await import('better-sqlite3')).default;
    const file = path.join(os.tmpdir(), `wangge-not-mbtiles-${process.pid}.sqlite`);
    const db = new Database(file);
    db.exec('CREATE TABLE metadata (name text, value text)');
    db.close();
    const bytes = fs.readFileSync(file);
    fs.rmSync(file);
    const before = files();
    const res = await upload('survey.mbtiles', bytes);
    expect(res.statusCode).toBe(415);
    expect(res.json().message).toMatch(/survey\.mbtiles: a SQLite file without the "tiles" table of MBTiles/);
    expect(files()).toEqual(before);
  });
});

/** The glyphs in one range PBF: the font stack's name and the code points. */
function glyphIds(bytes: Buffer): { names: string[]; ids: number[] } {
  const names: string[] = [];
  const ids: number[] = [];
  new PbfReader(bytes).readFields((tag, _r, pbf) => {
    if (tag !== 1 || !pbf) return;
    pbf.readMessage((stackTag, _s, stack) => {
      if (!stack) return;
      if (stackTag === 1) names.push(stack.readString());
      else if (stackTag === 3) {
        stack.readMessage((glyphTag, glyph, g) => {
          if (glyphTag === 1 && g) glyph.ids.push(g.readVarint());
        }, { ids });
      }
    }, null);
  }, null);
  return { names, ids };
}

describe('glyphs', () => {
  it('serve a PBF for 0-255 and for a CJK range, built once and kept on disk', async () => {
    for (const [range, expectedIds] of [
      ['0-255', [65, 48]],
      ['19968-20223', [0x4e00, 0x4e2d]], // 一, 中
    ] as const) {
      const res = await t.app.inject({ url: `/api/glyphs/${encodeURIComponent('Noto Sans CJK SC Regular')}/${range}.pbf` });
      expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
      expect(res.headers['content-type']).toBe('application/x-protobuf');
      const { names, ids } = glyphIds(res.rawPayload);
      expect(names).toEqual(['Noto Sans CJK SC Regular']);
      for (const id of expectedIds) expect(ids).toContain(id);
    }
    expect(fs.readdirSync(path.join(glyphsDir, 'Noto-Sans-CJK-SC-Regular')).sort()).toEqual(['0-255.pbf', '19968-20223.pbf']);
  });

  it('go gzipped to a browser that accepts it (a third smaller), the same glyphs inside', async () => {
    const url = `/api/glyphs/${encodeURIComponent('Noto Sans CJK SC Regular')}/19968-20223.pbf`;
    const plain = await t.app.inject({ url });
    expect(plain.headers['content-encoding']).toBeUndefined();
    const res = await t.app.inject({ url, headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(String(res.headers.vary)).toMatch(/accept-encoding/i);
    expect(res.headers['cache-control']).toBe('public, max-age=86400');
    expect(res.rawPayload.length).toBeLessThan(plain.rawPayload.length * 0.8);
    expect(zlib.gunzipSync(res.rawPayload).equals(plain.rawPayload)).toBe(true);
  });

  it('refuse a range that is not one and a font that is not served', async () => {
    expect((await t.app.inject({ url: '/api/glyphs/Noto%20Sans%20CJK%20SC%20Regular/0-300.pbf' })).statusCode).toBe(400);
    expect((await t.app.inject({ url: '/api/glyphs/Comic%20Sans/0-255.pbf' })).statusCode).toBe(404);
  });
});
