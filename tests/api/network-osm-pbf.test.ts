/**
 * A real OpenStreetMap extract as `.osm.pbf`, read through GDAL's OSM driver: the hand-written
 * extract tests/fixtures/osm/walking-classes.osm (one way per case; see its README) written as PBF
 * in the setup. Motorways and their ramps are stored but not walked, footways and paths are; a
 * one-way street is walked both ways; a footway on a bridge and a pedestrian street in a tunnel are
 * walked; the graph check finds the island and the dangling ends with their lengths.
 *
 * Hand figures (WGS84 spheroid at 34.34° N): 0.001° of longitude is 92.0 m, 0.001° of latitude
 * 110.9 m. So the residential street 1→2 and the primary road 3→9 (0.002° east) are 184.0 m, the
 * tunnel 3→4 (0.002° north) 221.9 m, the service road 9→10 110.9 m, the island footway 92.0 m.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { multipart } from '../fixtures/grids/fixtures.js';
import { addStaffAccounts } from '../helpers/staff-accounts.js';
import { osmXmlToPbf } from '../fixtures/osm/osm-pbf.js';
import { readRoadLines } from '../../server/modules/network/road-lines.js';

const XML = fs.readFileSync(path.join(import.meta.dirname, '../fixtures/osm/walking-classes.osm'));
let pbf: Buffer;
let t: TestApp;
let planner: string;
beforeAll(async () => {
  pbf = osmXmlToPbf(XML.toString('utf8'));
  t = await createTestApp({ template: 'empty', env: { EXPENSIVE_RATE_PER_MINUTE: '1000' } });
  await addStaffAccounts(t.db.pool);
  planner = await t.loginAs('planner');
});
afterAll(async () => t?.close());

const send = (step: 'preview' | 'import', fields: Record<string, string> = {}) => {
  const body = multipart('qindu-walking-classes.osm.pbf', pbf, fields);
  return t.app.inject({ method: 'POST', url: `/api/network/${step}`, payload: body.payload, headers: { ...body.headers, cookie: planner } });
};
const at = (lon: number, lat: number) => `ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326)`;
/** The walk from one point of the fixture to a node, in metres (null: not reached within 2 km). */
async function walk(from: [number, number], to: [number, number]): Promise<number | null> {
  const { rows } = await t.db.pool.query<{ cost: number }>(
    `SELECT r.cost FROM walk_reach(${at(...from)}, 2000) r JOIN walk_node n ON n.id = r.node_id WHERE ST_DWithin(n.geom, ${at(...to)}, 1e-6)`,
  );
  return rows[0]?.cost ?? null;
}

describe('an OpenStreetMap extract (.osm.pbf through GDAL)', () => {
  it('the PBF is written the same every time, and GDAL reads from it the same lines as from the XML', async () => {
    expect(osmXmlToPbf(XML.toString('utf8')).equals(pbf)).toBe(true);
    const fromPbf = await readRoadLines(pbf, 'x.osm.pbf');
    const fromXml = await readRoadLines(XML, 'x.osm');
    expect(fromPbf.format).toBe('osm');
    expect(fromPbf.lines).toEqual(fromXml.lines);
    // Eight highways and the island footway; the bus stop (a node) and the building (an area) are no lines.
    expect(fromPbf.lines.map((l) => l.roadClass)).toEqual(['residential', 'footway', 'pedestrian', 'path', 'motorway', 'motorway_link', 'primary', 'service', 'footway']);
    expect(fromPbf.lines.find((l) => l.roadClass === 'pedestrian')).toMatchObject({ name: '人民地下通道', tunnel: true, bridge: false });
    expect(fromPbf.lines.filter((l) => l.oneway).map((l) => l.roadClass)).toEqual(['residential', 'motorway', 'primary']);
  });

  it('the preview counts each class, walkable or left out, and checks the graph; nothing is written', async () => {
    const res = await send('preview');
    expect(res.statusCode, res.body).toBe(200);
    const p = res.json();
    expect(p.format).toBe('osm');
    expect(p.lines).toBe(9);
    expect(p.walkableLines).toBe(7);
    const byClass = Object.fromEntries(p.byClass.map((c: { roadClass: string; lines: number; walkable: boolean }) => [c.roadClass, [c.lines, c.walkable]]));
    expect(byClass).toEqual({
      footway: [2, true], residential: [1, true], pedestrian: [1, true], path: [1, true], primary: [1, true], service: [1, true],
      motorway: [1, false], motorway_link: [1, false],
    });
    // Nodes where lines end or meet: 1, 2, 3, 4, 9, 10 and the island's two (5 is a bend of the path).
    expect(p.report).toMatchObject({ nodes: 8, edges: 7, islands: 1, danglingEnds: 2 });
    expect(p.report.islandLengthMeters).toBeCloseTo(92.0, 0);
    expect(p.report.danglingLengthMeters).toBeCloseTo(184.0 + 110.9, 0);
    const kinds = p.report.problems.features.map((f: { properties: { kind: string } }) => f.properties.kind).sort();
    expect(kinds).toEqual(['dangling', 'dangling', 'island']);
    expect((await t.db.pool.query('SELECT count(*)::int AS n FROM road_segment')).rows[0].n).toBe(0);
  });

  it('imported as a job with its stages: motorways drawn but never walked; one-way, bridge and tunnel walked as pedestrians can', async () => {
    const res = await send('import', { async: 'true' });
    expect(res.statusCode, res.body).toBe(202);
    let job = res.json();
    const stages = new Set<string>([job.progress.stage]);
    while (job.status === 'running') {
      await new Promise((r) => setTimeout(r, 20));
      job = (await t.app.inject({ method: 'GET', url: `/api/network/import-jobs/${job.id}`, headers: { cookie: planner } })).json();
      stages.add(job.progress.stage);
    }
    expect(job.status, job.error).toBe('done');
    expect(job.progress).toEqual({ stage: 'done', done: 4, total: 4 });
    expect(job.result).toMatchObject({ format: 'osm', lines: 9, walkableLines: 7, report: { islands: 1, danglingEnds: 2 } });
    expect(stages.size).toBeGreaterThan(1);
    const { rows: segments } = await t.db.pool.query<{ road_class: string; walkable: boolean; bridge: boolean; tunnel: boolean; oneway: boolean; edges: number }>(
      `SELECT s.road_class, s.walkable, s.bridge, s.tunnel, s.oneway, (SELECT count(*)::int FROM walk_edge e WHERE e.segment_id = s.id) AS edges
       FROM road_segment s ORDER BY s.road_class`,
    );
    const byClass = (c: string) => segments.filter((s) => s.road_class === c);
    for (const c of ['motorway', 'motorway_link']) expect(byClass(c)).toEqual([expect.objectContaining({ walkable: false, edges: 0 })]);
    expect(byClass('footway')).toContainEqual(expect.objectContaining({ walkable: true, bridge: true, edges: 1 }));
    expect(byClass('pedestrian')).toEqual([expect.objectContaining({ walkable: true, tunnel: true, edges: 1 })]);
    expect(byClass('residential')).toEqual([expect.objectContaining({ walkable: true, oneway: true, edges: 1 })]);

    // Against the one-way residential street (it runs 1 → 2): from 2 back to 1 is its length.
    expect(await walk([108.702, 34.34], [108.7, 34.34])).toBeCloseTo(184.0, 0);
    // The primary road is one-way the other way (oneway=-1, cars 9 → 3); walkers go 3 → 9.
    expect(await walk([108.704, 34.34], [108.706, 34.34])).toBeCloseTo(184.0, 0);
    // Over the bridge 2 → 3 directly, not round by the path (627.7 m).
    expect(await walk([108.702, 34.34], [108.704, 34.34])).toBeCloseTo(184.0, 0);
    // Through the tunnel 3 → 4 directly, not round by the bridge and the path (590 m).
    expect(await walk([108.704, 34.34], [108.704, 34.342])).toBeCloseTo(221.9, 0);
    // The motorway's ends are no part of the walking graph.
    expect(await walk([108.704, 34.34], [108.7, 34.338])).toBeNull();
    const status = (await t.app.inject({ method: 'GET', url: '/api/network', headers: { cookie: planner } })).json();
    expect(status).toMatchObject({ loaded: true, synthetic: false, source: 'qindu-walking-classes.osm.pbf', segments: 9, walkableSegments: 7 });
  });
});
