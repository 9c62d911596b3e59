/**
 * Walking distances, reached sets and the graph check on fixture networks worked out by hand
 * (tests/fixtures/network/expected.json says how each figure is made): a river with one bridge,
 * a dead end, a one-way street, a facility off the network. Each network goes in through the
 * import; the facility and buildings are written as any client would, and the stored walking area,
 * the network coverage and the public nearest-station walk are compared with the hand figures.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { multipart } from '../fixtures/grids/fixtures.js';
import { addStaffAccounts } from '../helpers/staff-accounts.js';
import { createCoverageRepository } from '../../server/modules/coverage/coverage-repository.js';

const DIR = path.join(import.meta.dirname, '../fixtures/network');
const EXPECTED = JSON.parse(fs.readFileSync(path.join(DIR, 'expected.json'), 'utf8'));
const TYPE = 'community_service_centre';

interface Case {
  walkMinutes: number;
  reachMeters: number;
  facility: [number, number];
  buildings: { name: string; at: [number, number]; meters: number; covered: boolean }[];
  reachedNodes: { at: [number, number]; meters: number }[];
  notReachedNodes: [number, number][];
  inside: [number, number][];
  outside: [number, number][];
  graph: Record<string, number>;
}

let t: TestApp;
let planner: string;
beforeAll(async () => {
  t = await createTestApp({ template: 'empty', env: { EXPENSIVE_RATE_PER_MINUTE: '1000' } });
  await addStaffAccounts(t.db.pool);
  planner = await t.loginAs('planner');
});
afterAll(async () => t?.close());

async function importNetwork(file: string, step: 'preview' | 'import' = 'import') {
  const body = multipart(file, fs.readFileSync(path.join(DIR, file)), {});
  return t.app.inject({ method: 'POST', url: `/api/network/${step}`, payload: body.payload, headers: { ...body.headers, cookie: planner } });
}

describe.each(['river-one-bridge', 'dead-end', 'one-way', 'facility-off-network'])('%s', (name) => {
  const c = EXPECTED[name] as Case;
  let facilityId: number;

  beforeAll(async () => {
    const db = t.db.pool;
    await db.query('DELETE FROM facility_walk_area; DELETE FROM facility_walk_reach; DELETE FROM facility; DELETE FROM building');
    await db.query('UPDATE facility_type SET walk_minutes = $1, walk_speed_kmh = 4 WHERE code = $2', [c.walkMinutes, TYPE]);
    for (const b of c.buildings) {
      await db.query(`INSERT INTO building (name, kind, geom, households, residents, residents_60_plus, residents_80_plus)
                      VALUES ($1, 'building', ST_SetSRID(ST_MakePoint($2, $3), 4326), 10, 20, 5, 1)`, [b.name, b.at[0], b.at[1]]);
    }
    const res = await importNetwork(`${name}.geojson`);
    expect(res.statusCode, res.body).toBe(200);
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO facility (facility_type, name, geom) VALUES ($1, '测试站', ST_SetSRID(ST_MakePoint($2, $3), 4326)) RETURNING id`,
      [TYPE, c.facility[0], c.facility[1]],
    );
    facilityId = rows[0]!.id;
  });

  it('reports the graph: nodes, edges, islands and dangling ends with their lengths', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/network', headers: { cookie: planner } });
    expect(res.statusCode).toBe(200);
    const s = res.json();
    expect(s).toMatchObject({ loaded: true, ready: true, distanceMethod: 'network', segments: c.graph.lines, walkableSegments: c.graph.walkableLines });
    const r = s.report;
    expect({ nodes: r.nodes, edges: r.edges, islands: r.islands, danglingEnds: r.danglingEnds }).toEqual({
      nodes: c.graph.nodes, edges: c.graph.edges, islands: c.graph.islands, danglingEnds: c.graph.danglingEnds,
    });
    expect(r.islandLengthMeters).toBeCloseTo(c.graph.islandLengthMeters!, 0);
    expect(r.danglingLengthMeters).toBeCloseTo(c.graph.danglingLengthMeters!, 0);
    expect(r.problems.features).toHaveLength(c.graph.islands! + c.graph.danglingEnds!);
  });

  it('stores the reached nodes with the walk to each, and nothing beyond the reach', async () => {
    const { rows } = await t.db.pool.query<{ x: number; y: number; cost: number }>(
      `SELECT ST_X(n.geom) AS x, ST_Y(n.geom) AS y, r.cost FROM facility_walk_reach r JOIN walk_node n ON n.id = r.node_id WHERE r.facility_id = $1`, [facilityId]);
    const at = (p: [number, number]) => rows.find((r) => Math.abs(r.x - p[0]) < 1e-9 && Math.abs(r.y - p[1]) < 1e-9);
    for (const n of c.reachedNodes) {
      expect(at(n.at), `node ${n.at}`).toBeDefined();
      expect(at(n.at)!.cost).toBeCloseTo(n.meters, 0);
    }
    for (const p of c.notReachedNodes) expect(at(p), `node ${p}`).toBeUndefined();
    expect(rows).toHaveLength(c.reachedNodes.length);
    const area = await t.db.pool.query<{ reach: number }>('SELECT reach_meters AS reach FROM facility_walk_area WHERE facility_id = $1', [facilityId]);
    expect(area.rows[0]!.reach).toBeCloseTo(c.reachMeters, 1);
  });

  it('draws the area from the reached edges (the last one partly), not across gaps', async () => {
    const test = async (p: [number, number]) =>
      (await t.db.pool.query<{ yes: boolean }>(`SELECT ST_Covers(geom, ST_SetSRID(ST_MakePoint($2, $3), 4326)) AS yes FROM facility_walk_area WHERE facility_id = $1`, [facilityId, p[0], p[1]])).rows[0]!.yes;
    for (const p of c.inside) expect(await test(p), `inside ${p}`).toBe(true);
    for (const p of c.outside) expect(await test(p), `outside ${p}`).toBe(false);
  });

  it('walks from each building to the facility as worked out by hand (public nearest station, with the route)', async () => {
    for (const b of c.buildings) {
      const res = await t.app.inject({ method: 'GET', url: `/api/facilities/nearest?lon=${b.at[0]}&lat=${b.at[1]}&limit=1` });
      expect(res.statusCode, res.body).toBe(200);
      const f = res.json().features[0];
      expect(f.properties.distanceMethod).toBe('network');
      expect(f.properties.walkingMeters, b.name).toBeCloseTo(b.meters, -0.5);
      expect(f.properties.withinServiceRadius, b.name).toBe(b.covered);
      expect(f.properties.walkingMinutes).toBeCloseTo(b.meters / (4000 / 60), 0);
      expect(['LineString', 'MultiLineString']).toContain(f.properties.route.type);
    }
  });

  it('counts a building covered by network coverage exactly when its walk is within reach', async () => {
    const coverage = createCoverageRepository(t.db.pool);
    const scenario = await coverage.resolveScenario({ facilityTypes: [TYPE], population: 'all' } as never);
    const rows = await coverage.buildingCoverage(scenario, 'network');
    const { rows: names } = await t.db.pool.query<{ id: number; name: string }>('SELECT id, name FROM building');
    const covered = Object.fromEntries(rows.map((r) => [names.find((n) => n.id === Number(r.id))!.name, r.covered]));
    expect(covered).toEqual(Object.fromEntries(c.buildings.map((b) => [b.name, b.covered])));
  });
});
