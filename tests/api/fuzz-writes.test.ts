/**
 * Property-based fuzzing (fast-check) of the JSON write routes and the geometry checks. For any
 * input — random, or shrunk to the smallest that breaks the rule — a write answers either a
 * success, or a 4xx with a reason (a non-empty message); never a 5xx; and when refused, nothing
 * changed (a checksum of the tables the route could touch is the same before and after).
 * Runs are bounded (seeded, a fixed number per route) so that the file takes well under a minute.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
let planner: string;
let analyst: string;
let admin: string;
let grid!: { id: number; version: number; community: string; ring: [number, number][] };
let facilityId: number;

beforeAll(async () => {
  t = await createTestApp();
  [planner, analyst, admin] = await Promise.all([t.loginAs('planner'), t.loginAs('analyst'), t.loginAs('admin')]);
  const { rows } = await t.db.pool.query(
    `SELECT id, version, community_code AS community, ST_AsGeoJSON(ST_GeometryN(geom, 1))::json->'coordinates'->0 AS ring
       FROM grid WHERE retired_at IS NULL ORDER BY id LIMIT 1`,
  );
  grid = rows[0];
  facilityId = (await t.db.pool.query(`SELECT id FROM facility ORDER BY id LIMIT 1`)).rows[0].id;
});
afterAll(async () => t?.close());

/** Order-independent checksum of the tables a write route may change (not the audit log, which records refusals). */
async function checksum(): Promise<string> {
  const { rows } = await t.db.pool.query(
    `SELECT (SELECT md5(coalesce(string_agg(g::text, '|' ORDER BY g.id), '')) FROM grid g) AS grid,
            (SELECT md5(coalesce(string_agg(f::text, '|' ORDER BY f.id), '')) FROM facility f) AS facility,
            (SELECT count(*) || ':' || max(id) FROM incident) AS incident,
            (SELECT md5(coalesce(string_agg(u.id || u.username || u.role || u.display_name, '|' ORDER BY u.id), '')) FROM app_user u) AS users`,
  );
  return JSON.stringify(rows[0]);
}

/** Anything JSON can carry, small. */
const junk = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.constantFrom(null, true, false, '', '\u0000', '9223372036854775808', 1e308, -1, 0, '2026-02-31', '<kml/>'),
  fc.array(fc.integer(), { maxLength: 3 }),
);
/** A field that is usually plausible and sometimes junk, or missing. */
const maybe = <T>(plausible: fc.Arbitrary<T>) => fc.option(fc.oneof({ weight: 12, arbitrary: plausible }, { weight: 1, arbitrary: junk }), { nil: undefined, freq: 20 });
const text = fc.string({ minLength: 1, maxLength: 40 });
const lon = fc.oneof({ weight: 4, arbitrary: fc.double({ min: 108.6, max: 108.8, noNaN: true }) }, { weight: 1, arbitrary: fc.double({ min: -200, max: 200, noNaN: true }) });
const lat = fc.oneof({ weight: 4, arbitrary: fc.double({ min: 34.25, max: 34.4, noNaN: true }) }, { weight: 1, arbitrary: fc.double({ min: -100, max: 100, noNaN: true }) });
const position = fc.tuple(lon, lat);

/** Rings near the grid (moved, stretched, spiked, self-crossing, unclosed) and random ones. */
const ring = () => fc.oneof(
  fc.array(position, { minLength: 0, maxLength: 8 }).map((points) => (points.length ? [...points, points[0]!] : points)),
  fc.tuple(fc.double({ min: -0.02, max: 0.02, noNaN: true }), fc.double({ min: -0.02, max: 0.02, noNaN: true }), fc.nat(20), fc.boolean()).map(([dx, dy, spike, close]) => {
    const moved = grid.ring.map(([x, y]) => [x + dx, y + dy] as [number, number]);
    if (spike > 0 && moved.length > 3) moved.splice(1, 0, [moved[1]![0] + spike / 100, moved[1]![1] - spike / 100]);
    return close ? moved : moved.slice(0, -1);
  }),
);
const polygon = () => fc.oneof(
  { weight: 4, arbitrary: fc.array(ring(), { minLength: 1, maxLength: 2 }).map((rings) => ({ type: 'Polygon', coordinates: rings })) },
  { weight: 1, arbitrary: fc.array(fc.array(ring(), { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 2 }).map((polys) => ({ type: 'MultiPolygon', coordinates: polys })) },
  { weight: 1, arbitrary: junk },
);
const line = fc.oneof(fc.array(position, { minLength: 0, maxLength: 5 }).map((coordinates) => ({ type: 'LineString', coordinates })), junk);

interface WriteCase {
  name: string;
  method: 'POST' | 'PATCH';
  url: () => string;
  cookie: () => string;
  /** Built once the demo grid is known. */
  body: () => fc.Arbitrary<unknown>;
  /** Fills in what only the database knows at the time (the version now current). */
  prepare?: (body: Record<string, unknown>) => Promise<Record<string, unknown>>;
}

const CASES: WriteCase[] = [
  {
    name: 'create a facility',
    method: 'POST',
    url: () => '/api/facilities',
    cookie: () => planner,
    body: () => fc.record({
      facilityType: maybe(fc.constantFrom('home_elderly_care_station', 'home_elderly_care_station', 'nope')),
      name: maybe(text), address: text, lon: maybe(lon), lat: maybe(lat),
      sourceCrs: maybe(fc.constantFrom('wgs84', 'gcj02', 'bd09', 'cgcs2000', 'mars')),
      phone: fc.option(text), openingHours: fc.option(text), services: fc.array(text, { maxLength: 3 }),
      capacity: fc.option(fc.integer({ min: -5, max: 200000 })), isPublic: maybe(fc.boolean()),
    }),
  },
  {
    name: 'edit a facility',
    method: 'PATCH',
    url: () => `/api/facilities/${facilityId}`,
    cookie: () => planner,
    body: () => fc.record({ version: maybe(fc.integer({ min: -1, max: 5 })), name: maybe(text), lon: maybe(lon), lat: maybe(lat), capacity: maybe(fc.integer({ min: -1, max: 100000 })) }),
    // -1 stands for the version now current, so that edits get past the concurrency check.
    prepare: async (body) =>
      body.version === -1 ? { ...body, version: (await t.db.pool.query('SELECT version FROM facility WHERE id = $1', [facilityId])).rows[0].version } : body,
  },
  {
    name: 'report an incident',
    method: 'POST',
    url: () => '/api/incidents',
    cookie: () => analyst,
    body: () => fc.record({
      category: maybe(fc.constantFrom('sanitation', 'public_order', 'x')), description: maybe(text), lon: maybe(lon), lat: maybe(lat),
      source: maybe(fc.constantFrom('public', 'grid_worker', 'hotline_12345', 'y')), occurredAt: maybe(fc.constantFrom('2025-03-01T08:00:00+08:00', '2026-02-31T08:00:00Z', '2099-01-01T00:00:00Z', 'yesterday')),
      crs: maybe(fc.constantFrom('wgs84', 'gcj02')),
    }),
  },
  {
    name: 'create a staff account',
    method: 'POST',
    url: () => '/api/admin/users',
    cookie: () => admin,
    body: () => fc.record({ username: maybe(fc.stringMatching(/^[a-z.]{0,8}$/)), displayName: maybe(text), role: maybe(fc.constantFrom('admin', 'planner', 'analyst', 'grid_worker', 'root')), scopeAreaCode: maybe(fc.constantFrom('610402001', '610402001001', '999999999', null)) }),
  },
  {
    name: 'reshape a grid (geometry checks)',
    method: 'PATCH',
    url: () => `/api/grids/${grid.id}`,
    cookie: () => planner,
    body: () => fc.record({ version: fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 3 })).map((v) => (v === -1 ? grid.version : v)), geometry: polygon(), name: maybe(text), reason: maybe(text) }, { requiredKeys: ['version', 'geometry'] }),
  },
  {
    name: 'draw a new grid (geometry checks)',
    method: 'POST',
    url: () => '/api/grids',
    cookie: () => planner,
    body: () => fc.record({ communityCode: fc.oneof(fc.constant(grid.community), fc.constantFrom('610402001001', '000000000000', 'x')), geometry: polygon(), name: maybe(text) }, { requiredKeys: ['communityCode', 'geometry'] }),
  },
  {
    name: 'split a grid (geometry checks)',
    method: 'POST',
    url: () => `/api/grids/${grid.id}/split`,
    cookie: () => planner,
    // A split changes outlines, so it carries the reason the planner gives.
    body: () => fc.record({ version: fc.integer({ min: 0, max: 3 }), line, reason: fc.constant('道路调整') }, { requiredKeys: ['version', 'line', 'reason'] }),
  },
];

describe('JSON writes under random input', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s: 4xx with a reason or success, never 5xx, nothing changed on refusal', async (_name, write) => {
    const seen = new Map<number, number>();
    const lastRefusals: string[] = [];
    await fc.assert(
      fc.asyncProperty(write.body(), async (generated) => {
        const body = write.prepare ? await write.prepare(generated as Record<string, unknown>) : generated;
        const before = await checksum();
        const res = await t.app.inject({ method: write.method, url: write.url(), headers: { cookie: write.cookie() }, payload: body as object });
        seen.set(res.statusCode, (seen.get(res.statusCode) ?? 0) + 1);
        if (res.statusCode >= 500) throw new Error(`${res.statusCode} ${res.body} for ${JSON.stringify(body)}`);
        if (res.statusCode >= 400) {
          const message = res.json().message;
          lastRefusals.splice(0, lastRefusals.length - 2, String(message).slice(0, 120));
          if (typeof message !== 'string' || message.trim() === '') throw new Error(`${res.statusCode} without a reason: ${res.body}`);
          const after = await checksum();
          if (after !== before) throw new Error(`${res.statusCode} (${message}) but the data changed`);
        }
      }),
      { numRuns: 35, seed: 20260315, endOnFailure: false, interruptAfterTimeLimit: 7000 },
    );
    // The runs reached past validation, not only the schema's 400.
    expect([...seen.keys()].some((status) => status !== 400), `statuses: ${JSON.stringify([...seen])}; last 400s: ${lastRefusals.join(' | ')}`).toBe(true);
  }, 30_000);
});
