/**
 * The incident summaries of migration 011 (per-day Web Mercator cells for count tiles; sorted
 * report days per heatmap square / hexagon for the heatmap and hexagons) against real PostGIS:
 * exactly what a recomputation from the incidents gives after the demo load and after inserts,
 * status transitions, moves, report-time changes and deletes; and every answer read from them
 * (count tiles, zoom-15 tiles through the cell index, heat cells, hexagons) the same as the
 * answer computed from the incidents themselves.
 */
import fs from 'node:fs';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { isDistributed } from '../helpers/database.js';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { decodeTile, tileAt, tilesCovering } from '../fixtures/tiles/mvt.js';
import { createAnalysisRepository, MAX_HEAT_CELLS, type AnalysisFilter } from '../../server/modules/incidents/analysis-repository.js';
import { morton } from '../../server/modules/tiles/tile-service.js';

const HEAT_SUMMARY_SQL = fs.readFileSync(new URL('../../server/modules/incidents/sql/heat-summary.sql', import.meta.url), 'utf8');
const HEAT_SQL = fs.readFileSync(new URL('../../server/modules/incidents/sql/heat.sql', import.meta.url), 'utf8');

let t: TestApp;
let analyst: string;
let district: [number, number, number, number];

beforeAll(async () => {
  t = await createTestApp();
  analyst = await t.loginAs('analyst');
  const { rows } = await t.db.pool.query(
    `SELECT ARRAY[ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)] AS box FROM (SELECT ST_Extent(geom) e FROM admin_area WHERE level = 'district') d`,
  );
  district = rows[0].box;
});
afterAll(async () => t?.close());

/** Rows of the summaries that a recomputation from the incidents does not give, and the other way round. */
async function summaryDifferences() {
  const { rows } = await t.db.pool.query(`
    WITH fresh_tiles AS (
      SELECT k.level, k.day, k.cell, count(*)::int AS n, sum(k.px)::bigint AS sx, sum(k.py)::bigint AS sy
      FROM incident i CROSS JOIN LATERAL incident_tile_keys(i.reported_at, i.geom) k GROUP BY 1, 2, 3
    ), fresh_bins AS (
      SELECT k.kind, k.size, k.block, k.i, k.j, array_agg(k.d ORDER BY k.d) AS days
      FROM incident i CROSS JOIN LATERAL incident_bin_keys(i.reported_at, i.geom_metric) k GROUP BY 1, 2, 3, 4, 5
    )
    SELECT
      (SELECT count(*) FROM ((SELECT * FROM fresh_tiles EXCEPT ALL SELECT level, day, cell, n, sx, sy FROM incident_tile_day)
                        UNION ALL (SELECT level, day, cell, n, sx, sy FROM incident_tile_day EXCEPT ALL SELECT * FROM fresh_tiles)) x)::int AS tiles,
      (SELECT count(*) FROM ((SELECT * FROM fresh_bins EXCEPT ALL SELECT kind, size, block, i, j, days FROM incident_bin)
                        UNION ALL (SELECT kind, size, block, i, j, days FROM incident_bin EXCEPT ALL SELECT * FROM fresh_bins)) x)::int AS bins,
      (SELECT count(*) FROM (SELECT DISTINCT kind, size, i, j FROM incident_bin) b
        WHERE NOT EXISTS (SELECT 1 FROM incident_bin_place p WHERE (p.kind, p.size, p.i, p.j) = (b.kind, b.size, b.i, b.j)))::int AS unplaced,
      (SELECT count(*) FROM incident_tile_day)::int AS tile_rows,
      (SELECT count(*) FROM incident_bin)::int AS bin_rows`);
  return rows[0] as { tiles: number; bins: number; unplaced: number; tile_rows: number; bin_rows: number };
}
// On Citus the places of new heat cells (incident_bin_place, a reference table) cannot be written
// from the incident shards' triggers: a cell reached only by an edit made in SQL by hand has no
// stored place, and the heat and hexagon readers compute it on the fly (same answers). The
// summaries themselves are exact in both modes.
const exact = isDistributed() ? { tiles: 0, bins: 0 } : { tiles: 0, bins: 0, unplaced: 0 };

describe('the summaries stay exact', () => {
  it('after the demo load', async () => {
    const d = await summaryDifferences();
    expect(d).toMatchObject(exact);
    expect(d.tile_rows).toBeGreaterThan(1000);
    expect(d.bin_rows).toBeGreaterThan(100);
  });

  it('through reports and status transitions made through the API', async () => {
    const { rows } = await t.db.pool.query(`SELECT ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM grid WHERE retired_at IS NULL ORDER BY code LIMIT 3`);
    const ids: number[] = [];
    for (const p of rows) {
      const res = await t.app.inject({ method: 'POST', url: '/api/incidents', headers: { cookie: analyst }, payload: { category: 'sanitation', subCategory: 'garbage', description: 'summary test', lon: p.lon, lat: p.lat, source: 'hotline_12345' } });
      expect(res.statusCode, res.body).toBe(201);
      ids.push(res.json().id);
    }
    expect(await summaryDifferences()).toMatchObject(exact);
    const before = await summaryDifferences();
    for (const to of ['accepted', 'dispatched']) {
      const res = await t.app.inject({ method: 'POST', url: `/api/incidents/${ids[0]}/transitions`, headers: { cookie: analyst }, payload: { to, note: 'summary test' } });
      expect(res.statusCode, res.body).toBe(200);
    }
    const after = await summaryDifferences();
    expect(after).toMatchObject(exact);
    // A transition changes neither summary.
    expect(after).toEqual(before);
  });

  it('through moves, report-time changes, swaps and deletes, one row or many at a time', async () => {
    const db = t.db.pool;
    await db.query(`UPDATE incident SET geom = ST_SetSRID(ST_MakePoint(ST_X(geom) + 0.0000001, ST_Y(geom)), 4326) WHERE id % 11 = 0`); // within the cell
    expect(await summaryDifferences()).toMatchObject(exact);
    await db.query(`UPDATE incident SET geom = ST_SetSRID(ST_MakePoint(ST_X(geom) + 0.004, ST_Y(geom) - 0.003), 4326) WHERE id % 13 = 0`);
    expect(await summaryDifferences()).toMatchObject(exact);
    // Times shifted in UTC (immutable arithmetic: Citus refuses a STABLE timestamptz − interval on a
    // column in an UPDATE; the same instants on a plain PostGIS).
    const earlier = (column: string, days: number) => `(${column} AT TIME ZONE 'UTC' - interval '${days} days') AT TIME ZONE 'UTC'`;
    await db.query(`UPDATE incident SET reported_at = ${earlier('reported_at', 2)}, occurred_at = NULL WHERE id % 17 = 0 AND closed_at IS NULL`);
    await db.query(`UPDATE incident SET reported_at = ${earlier('reported_at', 600)}, occurred_at = NULL, due_at = ${earlier('due_at', 600)} WHERE id % 19 = 0 AND closed_at IS NULL`);
    expect(await summaryDifferences()).toMatchObject(exact);
    const { rows: ends } = await db.query(`SELECT min(id)::int AS a, max(id)::int AS b FROM incident`);
    // Two incidents swap places in one statement (read first: a self-join is not co-located on Citus).
    const { rows: places } = await db.query(`SELECT id::int, ST_AsEWKT(geom) AS geom FROM incident WHERE id IN ($1, $2)`, [ends[0].a, ends[0].b]);
    const placeOf = (id: number) => places.find((p) => p.id === id)!.geom as string;
    await db.query(`UPDATE incident SET geom = CASE WHEN id = $1 THEN $3::geometry ELSE $4::geometry END WHERE id IN ($1, $2)`, [ends[0].a, ends[0].b, placeOf(ends[0].b), placeOf(ends[0].a)]);
    expect(await summaryDifferences()).toMatchObject(exact);
    const client = await db.connect();
    try {
      await client.query('BEGIN');
      await client.query(`UPDATE incident SET geom = ST_SetSRID(ST_MakePoint(108.7, 34.31), 4326) WHERE id % 5 = 0`);
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
    expect(await summaryDifferences()).toMatchObject(exact);
    await db.query(`DELETE FROM incident WHERE id = (SELECT max(id) FROM incident)`);
    await db.query(`DELETE FROM incident WHERE id % 23 = 0`);
    const d = await summaryDifferences();
    expect(d).toMatchObject(exact);
    // Cells emptied are gone, not left at zero.
    const { rows } = await db.query(`SELECT (SELECT count(*) FROM incident_tile_day WHERE n = 0)::int AS tiles, (SELECT count(*) FROM incident_bin WHERE cardinality(days) = 0)::int AS bins`);
    expect(rows[0]).toEqual({ tiles: 0, bins: 0 });
  });

  it('computes Morton codes in SQL as the server does', async () => {
    const { rows } = await t.db.pool.query(`SELECT incident_morton(700001, 350003)::text AS a, incident_morton(0, 1048575)::text AS b`);
    expect(rows[0]).toEqual({ a: morton(700001, 350003).toString(), b: morton(0, 1048575).toString() });
  });
});

describe('answers from the summaries are the answers from the incidents', () => {
  // Whole days, unfiltered: from the summaries. The same with every category named: from the incidents.
  const period = 'from=2024-11-01&to=2026-11-02';
  const allCategories = '&category=dispute,safety_hazard,public_order,sanitation,street_order,livelihood';

  /** The count cells of a tile, in tile units. */
  async function cells(z: number, x: number, y: number, query: string) {
    const res = await t.app.inject({ url: `/api/tiles/incidents/${z}/${x}/${y}?${query}`, headers: { cookie: analyst } });
    expect([200, 204]).toContain(res.statusCode);
    if (res.statusCode === 204) return [];
    const layer = new VectorTile(new PbfReader(res.rawPayload)).layers.incidents;
    return Array.from({ length: layer?.length ?? 0 }, (_, k) => {
      const f = layer!.feature(k);
      const p = f.loadGeometry()[0]![0]!;
      return { count: Number(f.properties.count), x: p.x, y: p.y };
    });
  }

  it('count tiles at zooms 8–14: the same cells, counts and mean positions (to a tile unit), adding up to a direct count', async () => {
    for (const z of [8, 10, 12, 13, 14]) {
      for (const c of tilesCovering(district, z).filter((_, k) => z < 13 || k % 4 === 0)) {
        const where = `${z}/${c.x}/${c.y}`;
        const fromSummary = await cells(c.z, c.x, c.y, period);
        const fromIncidents = await cells(c.z, c.x, c.y, period + allCategories);
        expect(fromSummary.length, where).toBe(fromIncidents.length);
        // Each cell of one is a cell of the other: the same count, the mean position within a unit.
        const unmatched = [...fromIncidents];
        for (const a of fromSummary) {
          const k = unmatched.findIndex((b) => b.count === a.count && Math.abs(b.x - a.x) <= 1 && Math.abs(b.y - a.y) <= 1);
          expect(k, `${where}: ${JSON.stringify(a)} among ${JSON.stringify(unmatched.filter((b) => Math.abs(b.x - a.x) < 64 && Math.abs(b.y - a.y) < 64))}`).toBeGreaterThanOrEqual(0);
          unmatched.splice(k, 1);
        }
        const { rows } = await t.db.pool.query(
          `SELECT count(*)::int AS n FROM incident WHERE reported_at >= '2024-10-31T16:00:00Z' AND reported_at < '2026-11-01T16:00:00Z'
              AND incident_mercator_x(ST_X(geom)) >> (28 - $1::int) = $2 AND incident_mercator_y(ST_Y(geom)) >> (28 - $1::int) = $3`,
          [c.z, c.x, c.y],
        );
        expect(fromSummary.reduce((s, f) => s + f.count, 0), where).toBe(rows[0].n);
      }
    }
  });

  it('zoom-15 tiles through the cell index: exactly the incidents of the tile and its buffer', async () => {
    const { rows: points } = await t.db.pool.query(`SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM incident ORDER BY id LIMIT 40`);
    const seen = new Set<string>();
    for (const p of points) {
      const at = tileAt(p.lon, p.lat, 15);
      if (seen.has(`${at.x}/${at.y}`)) continue;
      seen.add(`${at.x}/${at.y}`);
      const res = await t.app.inject({ url: `/api/tiles/incidents/15/${at.x}/${at.y}?${period}`, headers: { cookie: analyst } });
      const ids = new Set((decodeTile(res.rawPayload, 15, at.x, at.y).incidents?.features ?? []).map((f) => Number(f.id)));
      const { rows } = await t.db.pool.query(
        `SELECT id FROM incident WHERE reported_at >= '2024-10-31T16:00:00Z' AND reported_at < '2026-11-01T16:00:00Z'
            AND geom && ST_Transform(ST_TileEnvelope(15, $1, $2, margin => 64.0 / 4096), 4326)
            -- (as before the cell index: a point on the buffer's very edge is clipped away)
            AND ST_AsMVTGeom(ST_Transform(geom, 3857), ST_TileEnvelope(15, $1, $2), 4096, 64, true) IS NOT NULL`,
        [at.x, at.y],
      );
      expect(ids).toEqual(new Set(rows.map((r) => Number(r.id))));
      expect(ids.size).toBeGreaterThan(0);
    }
  });

  it('heat cells and hexagons: the same from the summary as from the incidents', async () => {
    const analysis = createAnalysisRepository(t.db.pool);
    const f: AnalysisFilter = { from: new Date('2024-10-31T16:00:00Z'), to: new Date('2026-11-01T16:00:00Z'), categories: null, statuses: null, sources: null, area: null, scope: null };
    const { rows: days } = await t.db.pool.query(`SELECT incident_day($1) AS first, incident_day($2) AS end`, [f.from, f.to]);
    const first = days[0].first;
    const end = days[0].end;
    const records = (bytes: Buffer) => {
      const out: string[] = [];
      for (let k = 0; k < bytes.length; k += 12) out.push(`${bytes.readFloatBE(k).toFixed(5)},${bytes.readFloatBE(k + 4).toFixed(5)},${bytes.readFloatBE(k + 8)}`);
      return out.sort();
    };
    // 400 m cells (and, with room for fewer cells, 800 m, 1600 m …) from either side.
    for (const most of [MAX_HEAT_CELLS, 40, 5]) {
      const summary = (await t.db.pool.query(HEAT_SUMMARY_SQL, [first, end, most])).rows[0];
      const direct = (await t.db.pool.query(HEAT_SQL, [f.from, f.to, null, null, null, null, null, 400, 'count', most])).rows[0];
      expect(summary.cells).toBeLessThanOrEqual(most);
      expect(summary.cell_meters).toBe(direct.cell_meters);
      expect(summary.total_weight).toBe(direct.total_weight);
      expect(records(summary.bytes)).toEqual(records(direct.bytes));
    }
    // Periods ending inside a block of days, over two blocks, and a single day.
    for (const [a, b] of [[first + 100, first + 190], [first + 30, first + 700], [first + 400, first + 401]] as const) {
      const { rows } = await t.db.pool.query(`SELECT (timestamptz '1970-01-01 00:00+08' + $1 * interval '1 day') AS from, (timestamptz '1970-01-01 00:00+08' + $2 * interval '1 day') AS to`, [a, b]);
      const g: AnalysisFilter = { ...f, from: rows[0].from, to: rows[0].to };
      for (const size of [250, 500, 1000, 2000]) {
        const summary = JSON.parse(await analysis.hexagons(g, size));
        const direct = JSON.parse(await analysis.hexagons({ ...g, categories: ['dispute', 'safety_hazard', 'public_order', 'sanitation', 'street_order', 'livelihood'] }, size));
        expect(summary).toEqual(direct);
        const { rows: n } = await t.db.pool.query(`SELECT count(*)::int AS n FROM incident WHERE reported_at >= $1 AND reported_at < $2`, [g.from, g.to]);
        expect(summary.total).toBe(n[0].n);
      }
      const summary = (await t.db.pool.query(HEAT_SUMMARY_SQL, [a, b, MAX_HEAT_CELLS])).rows[0];
      const direct = (await t.db.pool.query(HEAT_SQL, [g.from, g.to, null, null, null, null, null, 400, 'count', MAX_HEAT_CELLS])).rows[0];
      expect(records(summary.bytes)).toEqual(records(direct.bytes));
    }
  });

  it('keeps the heatmap payload within 1 MB by coarser cells, and says which', async () => {
    const res = await t.app.inject({ url: `/api/incidents/heat?${period}&cellMeters=25`, headers: { cookie: analyst } });
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.length).toBeLessThanOrEqual(1_000_000);
    expect(Number(res.headers['x-cell-meters'])).toBeGreaterThanOrEqual(25);
    expect(Number(res.headers['x-cell-count']) * 12).toBe(res.rawPayload.length);
  });

  it('sends hexagons gzipped to a client that accepts it', async () => {
    const res = await t.app.inject({ url: `/api/incidents/hexagons?${period}&sizeMeters=250`, headers: { cookie: analyst, 'accept-encoding': 'gzip, deflate' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    const plain = await t.app.inject({ url: `/api/incidents/hexagons?${period}&sizeMeters=250`, headers: { cookie: analyst } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(zlib.gunzipSync(res.rawPayload).toString('utf8'))).toEqual(plain.json());
  });
});
