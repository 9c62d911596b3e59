/**
 * The malformed-geometry corpus (tests/fixtures/bad-geometries/, one file per case) sent to
 * every endpoint that takes a geometry or a point: each answer is a 4xx with a reason, never a
 * 5xx, and no row changes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';

const corpusDir = fileURLToPath(new URL('../fixtures/bad-geometries/', import.meta.url));
/** Case name → the raw JSON text of the geometry (NaN and 1e999 cannot be JSON values, so text). */
const corpus = new Map(
  fs
    .readdirSync(corpusDir)
    .filter((f) => f.endsWith('.json') || f.endsWith('.txt'))
    .sort()
    .map((f) => [f.replace(/\.(json|txt)$/, ''), fs.readFileSync(path.join(corpusDir, f), 'utf8').trim()]),
);

let t: TestApp;
let planner: string;
let gridworker: string;
let grid: { id: number; version: number; community_code: string };
let neighbour: { id: number; version: number };
beforeAll(async () => {
  t = await createTestApp();
  planner = await t.loginAs('planner');
  gridworker = await t.loginAs('grid_worker');
  const { rows } = await t.db.pool.query(
    `SELECT a.id, a.version, a.community_code, b.id AS b_id, b.version AS b_version
     FROM grid a JOIN grid b ON b.community_code = a.community_code AND b.id <> a.id
       AND ST_Length(ST_Intersection(ST_Boundary(a.geom), ST_Boundary(b.geom))::geography) > 10
     WHERE a.retired_at IS NULL AND b.retired_at IS NULL ORDER BY a.code LIMIT 1`,
  );
  grid = rows[0];
  neighbour = { id: rows[0].b_id, version: rows[0].b_version };
});
afterAll(async () => t?.close());

/** What must not change: every table a geometry endpoint could write. */
async function fingerprint() {
  const { rows } = await t.db.pool.query(
    `SELECT (SELECT count(*) FROM grid) AS grids, (SELECT sum(version) FROM grid) AS grid_versions,
            (SELECT md5(string_agg(ST_AsBinary(geom)::text, '' ORDER BY id)) FROM grid) AS grid_geometry,
            (SELECT count(*) FROM facility) AS facilities, (SELECT count(*) FROM incident) AS incidents`,
  );
  return rows[0];
}

async function send(method: 'POST' | 'PATCH', url: string, body: string, cookie: string) {
  return t.app.inject({ method, url, payload: body, headers: { cookie, 'content-type': 'application/json' } });
}

function expectRefused(res: { statusCode: number; body: string }, label: string) {
  expect(res.statusCode, `${label}: ${res.body.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
  expect(res.statusCode, `${label}: ${res.body.slice(0, 200)}`).toBeLessThan(500);
  expect(JSON.parse(res.body).message, label).toMatch(/\S/);
}

describe('malformed area geometries', () => {
  const endpoints: { name: string; method: 'POST' | 'PATCH'; url: () => string; body: (g: string) => string }[] = [
    { name: 'draw a grid', method: 'POST', url: () => '/api/grids', body: (g) => `{"communityCode":"${grid.community_code}","name":"测试网格","geometry":${g}}` },
    { name: 'edit a grid outline', method: 'PATCH', url: () => `/api/grids/${grid.id}`, body: (g) => `{"version":${grid.version},"geometry":${g},"reason":"测试"}` },
    {
      name: 'reshape a shared edge',
      method: 'POST',
      url: () => '/api/grids/reshape',
      body: (g) => `{"a":{"id":${grid.id},"version":${grid.version}},"b":{"id":${neighbour.id},"version":${neighbour.version}},"geometry":${g},"reason":"测试"}`,
    },
    { name: 'split with a line', method: 'POST', url: () => `/api/grids/${grid.id}/split`, body: (g) => `{"version":${grid.version},"line":${g},"reason":"测试"}` },
  ];

  for (const endpoint of endpoints) {
    it(`${endpoint.name}: every corpus case is refused with a 4xx and changes nothing`, async () => {
      const before = await fingerprint();
      for (const [name, geometry] of corpus) {
        expectRefused(await send(endpoint.method, endpoint.url(), endpoint.body(geometry), planner), `${endpoint.name} / ${name}`);
      }
      expect(await fingerprint()).toEqual(before);
    });
  }

  it('refuses a polygon of a million vertices before parsing it (413) and changes nothing', async () => {
    const before = await fingerprint();
    const ring = Array.from({ length: 1_000_000 }, (_, i) => {
      const a = (2 * Math.PI * i) / 1_000_000;
      return `[${(108.7 + 0.001 * Math.cos(a)).toFixed(7)},${(34.33 + 0.001 * Math.sin(a)).toFixed(7)}]`;
    });
    ring.push(ring[0]!);
    const res = await send('POST', '/api/grids', `{"communityCode":"${grid.community_code}","geometry":{"type":"Polygon","coordinates":[[${ring.join(',')}]]}}`, planner);
    expect(res.statusCode).toBe(413);
    expect(await fingerprint()).toEqual(before);
  });
});

describe('malformed points', () => {
  const points: [string, string][] = [
    ['NaN', '"lon":NaN,"lat":34.33'],
    ['Infinity', '"lon":1e999,"lat":34.33'],
    ['1e308', '"lon":1e308,"lat":34.33'],
    ['swapped latitude/longitude', '"lon":34.33,"lat":108.70'],
    ['outside the district', '"lon":116.39,"lat":39.91'],
    ['missing', '"lon":null,"lat":null'],
    ['a string', '"lon":"108.7","lat":"north"'],
  ];
  const endpoints: { name: string; url: string; cookie: () => string; body: (p: string) => string }[] = [
    {
      name: 'create a facility',
      url: '/api/facilities',
      cookie: () => planner,
      body: (p) => `{"facilityType":"day_care_centre","name":"测试站","address":"","${p.slice(1)},"phone":null,"openingHours":null,"services":[],"capacity":null,"isPublic":true}`,
    },
    { name: 'report an incident', url: '/api/incidents', cookie: () => gridworker, body: (p) => `{"category":"sanitation","description":"测试",${p}}` },
  ];

  for (const endpoint of endpoints) {
    it(`${endpoint.name}: every bad point is refused with a 4xx and changes nothing`, async () => {
      const before = await fingerprint();
      for (const [name, point] of points) {
        expectRefused(await send('POST', endpoint.url, endpoint.body(point), endpoint.cookie()), `${endpoint.name} / ${name}`);
      }
      expect(await fingerprint()).toEqual(before);
    });
  }
});

describe('malformed requests', () => {
  it('refuses broken JSON, a wrong content type and an oversized body with 4xx', async () => {
    const before = await fingerprint();
    expectRefused(await send('POST', '/api/grids', '{"communityCode": ', planner), 'broken JSON');
    const wrongType = await t.app.inject({ method: 'POST', url: '/api/grids', payload: 'communityCode=1', headers: { cookie: planner, 'content-type': 'application/x-www-form-urlencoded' } });
    expect(wrongType.statusCode).toBe(415);
    const plainText = await t.app.inject({ method: 'POST', url: '/api/grids', payload: 'communityCode=1', headers: { cookie: planner, 'content-type': 'text/plain' } });
    expectRefused(plainText, 'text/plain body');
    const big = await send('POST', '/api/incidents', JSON.stringify({ category: 'sanitation', description: 'x'.repeat(2_000_000), lon: 108.7, lat: 34.33 }), gridworker);
    expect(big.statusCode).toBe(413);
    expect(await fingerprint()).toEqual(before);
  });
});
