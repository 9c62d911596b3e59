/**
 * The analyst's aggregates on the hand-made 3×3 district: Getis-Ord Gi* z-scores against a
 * hand computation, rook and queen neighbours, the closed-loop indicators against a fixture
 * with a known answer, and the binary heat cells / hexagon bins / drill-down agreeing.
 */
import { Value } from 'typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { insertIncident, loadGridFixture, readFixture, type GridFixture } from '../fixtures/incidents/load-fixture.js';
import { ByGridReply, HexagonBins, IndicatorsReply } from '../../server/modules/incidents/schemas.js';

let t: TestApp;
let analyst: string;
const PERIOD = 'from=2026-06-01&to=2026-07-01';
beforeAll(async () => {
  t = await createTestApp({ template: 'empty' });
  await loadGridFixture(t.db.pool);
  analyst = await t.loginAs('analyst');
  // The Gi* fixture: each grid's `incidents` count, reported in June 2026.
  const grids = readFixture<GridFixture>('three-by-three-grids.geojson').features.filter((f) => f.properties.table === 'grid');
  for (const g of grids) {
    for (let k = 0; k < g.properties.incidents; k++) {
      await insertIncident(t.db.pool, { grid: g.properties.code, category: 'sanitation', status: 'closed', reportedAt: `2026-06-${String(10 + k).padStart(2, '0')}T09:00:00+08:00`, closedAt: `2026-06-${String(10 + k).padStart(2, '0')}T12:00:00+08:00` });
    }
  }
  // The indicator fixture lives in 2024–2025, outside June 2026.
  for (const i of readFixture<{ incidents: { grid: string; category: string; status: string; reportedAt: string; closedAt: string | null }[] }>('indicators-september-2025-known-answer.json').incidents) {
    await insertIncident(t.db.pool, i);
  }
});
afterAll(async () => t?.close());

const get = (url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: analyst } });
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const byCode = (rows: any[], code: string): any => rows.find((r) => r.code === code)!;

describe('Getis-Ord Gi* on the 3×3 grids', () => {
  // Counts, north-west to south-east:   1 1 1 / 1 1 4 / 1 4 10     n = 9
  // Σx = 24, x̄ = 8/3; Σx² = 6·1 + 2·16 + 100 = 138; S² = 138/9 − (8/3)² = 74/9, S = √74 / 3.
  // Gi* = (Σ_{j∈N(i)∪{i}} x_j − x̄·W) / (S·√((9W − W²)/8)), W = neighbours + 1.
  it('matches the hand computation with rook neighbours (shared edges)', async () => {
    const res = await get(`/api/incidents/by-grid?${PERIOD}&contiguity=rook`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(Value.Check(ByGridReply, body)).toBe(true);
    expect(body.method).toMatchObject({ statistic: 'Getis-Ord Gi*', contiguity: 'rook', units: 9 });
    expect(body.method.mean).toBeCloseTo(8 / 3, 10);
    expect(body.method.standardDeviation).toBeCloseTo(Math.sqrt(74) / 3, 10);
    const g = (n: number) => byCode(body.grids, `610402001001${String(n).padStart(3, '0')}`);
    // 009: itself + 006 + 008 = 10 + 4 + 4 = 18, W = 3: (18 − 8) / (√74/3 · √(18/8)) = 10 / (√74 / 2) = 20/√74 ≈ 2.325 → hot at 95%.
    expect(g(9).z).toBeCloseTo(20 / Math.sqrt(74), 10);
    expect(g(9).hotspotClass).toBe(2);
    // 001: itself + 002 + 004 = 3, W = 3: (3 − 8) / (√74 / 2) = −10/√74 ≈ −1.162 → not significant.
    expect(g(1).z).toBeCloseTo(-10 / Math.sqrt(74), 10);
    expect(g(1).hotspotClass).toBe(0);
    // 005: itself + 002 + 004 + 006 + 008 = 11, W = 5: (11 − 40/3) / (√74/3 · √(20/8)) = −7/√185 ≈ −0.515.
    expect(g(5).z).toBeCloseTo(-7 / Math.sqrt(185), 10);
    expect(g(5).neighbours).toBe(4);
    expect(g(1).neighbours).toBe(2);
    expect(g(5).count).toBe(1);
    expect(g(5).per1000).toBeNull(); // no residents
    expect(g(9).per1000).toBe(10);
  });

  it('matches the hand computation with queen neighbours (corners too)', async () => {
    const body = (await get(`/api/incidents/by-grid?${PERIOD}&contiguity=queen`)).json();
    const g9 = byCode(body.grids, '610402001001009');
    // 009: itself + 005 + 006 + 008 = 19, W = 4: (19 − 32/3) / (√74/3 · √(20/8)) = 25/√185 ≈ 1.838 → hot at 90%.
    expect(g9.z).toBeCloseTo(25 / Math.sqrt(185), 10);
    expect(g9.hotspotClass).toBe(1);
    expect(byCode(body.grids, '610402001001005').neighbours).toBe(8);
  });
});

describe('heat cells, hexagons and drill-down agree', () => {
  it('sends the heat cells as little-endian float32 triples whose weights sum to the incidents', async () => {
    const res = await get(`/api/incidents/heat?${PERIOD}&cellMeters=50`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/octet-stream');
    const bytes = res.rawPayload;
    expect(bytes.length % 12).toBe(0);
    const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
    let weight = 0;
    for (let k = 0; k < values.length; k += 3) {
      expect(values[k]).toBeGreaterThan(108.69);
      expect(values[k]).toBeLessThan(108.74);
      expect(values[k + 1]).toBeGreaterThan(34.29);
      expect(values[k + 1]).toBeLessThan(34.34);
      weight += values[k + 2]!;
    }
    expect(weight).toBe(24);
    expect(Number(res.headers['x-cell-count'])).toBe(values.length / 3);
    const urgent = await get(`/api/incidents/heat?${PERIOD}&cellMeters=50&weight=urgency`);
    expect(Number(urgent.headers['x-total-weight'])).toBeCloseTo(24 * (168 / 72), 4); // sanitation: 72 h deadline
  });

  it('sends points as 16-byte records with the incident ids', async () => {
    const res = await get(`/api/incidents/points?${PERIOD}`);
    const bytes = res.rawPayload;
    expect(bytes.length).toBe(24 * 16);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    const ids = Array.from({ length: 24 }, (_, k) => view.getUint32(k * 16 + 12, true));
    const { rows } = await t.db.pool.query(`SELECT id FROM incident WHERE reported_at >= '2026-06-01T00:00+08' AND reported_at < '2026-07-01T00:00+08'`);
    expect(ids.sort((a, b) => a - b)).toEqual(rows.map((r) => r.id).sort((a, b) => a - b));
  });

  it('bins into hexagons whose counts add up, each cell containing its incidents, and drills down to them', async () => {
    const res = await get(`/api/incidents/hexagons?${PERIOD}&sizeMeters=250`);
    const bins = res.json();
    expect(Value.Check(HexagonBins, bins)).toBe(true);
    expect(bins.total).toBe(24);
    expect(bins.cells.reduce((s: number, c: { count: number }) => s + c.count, 0)).toBe(24);
    for (const cell of bins.cells) {
      const list = (await get(`/api/incidents/list?${PERIOD}&hexSizeMeters=250&hexI=${cell.i}&hexJ=${cell.j}`)).json();
      expect(list.total).toBe(cell.count);
      const ring = JSON.stringify({ type: 'Polygon', coordinates: [cell.ring] });
      for (const inc of list.incidents) {
        const { rows } = await t.db.pool.query(`SELECT ST_Covers(ST_SetSRID(ST_GeomFromGeoJSON($1), 4326), ST_SetSRID(ST_MakePoint($2, $3), 4326)) AS inside`, [ring, inc.lon, inc.lat]);
        expect(rows[0].inside).toBe(true);
      }
    }
  });

  it('refuses an unknown category and a period that ends before it starts', async () => {
    expect((await get(`/api/incidents/heat?${PERIOD}&category=weather`)).json().message).toMatch(/querystring\/category: unknown weather/);
    const back = await get('/api/incidents/summary?from=2026-07-01&to=2026-06-01');
    expect(back.statusCode).toBe(400);
    expect(back.json().message).toMatch(/querystring\/to/);
  });
});

describe('indicators against the known answer (September 2025)', () => {
  let body: { rows: { code: string; current: any; previous: any; yearAgo: any; reportedMonthOnMonth: number | null; reportedYearOnYear: number | null; closureRateMonthOnMonthPoints: number | null; closureRateYearOnYearPoints: number | null }[]; previous: { from: string }; yearAgo: { from: string } };
  beforeAll(async () => {
    const res = await get('/api/incidents/indicators?from=2025-09-01&to=2025-10-01&level=district');
    expect(res.statusCode).toBe(200);
    body = res.json();
    expect(Value.Check(IndicatorsReply, body)).toBe(true);
  });

  it('compares with August 2025 and September 2024', () => {
    expect(body.previous.from).toBe('2025-07-31T16:00:00.000Z');
    expect(body.yearAgo.from).toBe('2024-08-31T16:00:00.000Z');
  });

  it('counts the district by hand', () => {
    const d = byCode(body.rows, '610402');
    // Reported in September: B, C, D, E, F.  Due in September (not returned): A (4th), B (11th), C (16th), D (30th).
    // Closed: A, B, C (B late) → 结案率 3/4, 按期结案率 2/4; D still open. Closed in September: A 144 h, B 48 h, C 12 h → 68 h.
    expect(d.current).toEqual({
      reported: 5,
      byStatus: { closed: 2, handling: 1, accepted: 1, returned: 1 },
      due: 4,
      closed: 3,
      closedOnTime: 2,
      closureRate: 0.75,
      onTimeClosureRate: 0.5,
      meanHandlingHours: 68,
      overdueOpen: 1,
    });
    // August: reported G and A; due G only, closed on time; closed in August: G, 12 h.
    expect(d.previous).toMatchObject({ reported: 2, due: 1, closed: 1, closedOnTime: 1, closureRate: 1, meanHandlingHours: 12 });
    // September 2024: reported H, I; both due in September, both closed, I a month late; closed in September: H, 24 h.
    expect(d.yearAgo).toMatchObject({ reported: 2, due: 2, closed: 2, closedOnTime: 1, closureRate: 1, onTimeClosureRate: 0.5, meanHandlingHours: 24 });
    expect(d.reportedMonthOnMonth).toBe(1.5);
    expect(d.reportedYearOnYear).toBe(1.5);
    expect(d.closureRateMonthOnMonthPoints).toBe(-25);
    expect(d.closureRateYearOnYearPoints).toBe(-25);
  });

  it('counts the grids by hand, with zeros for a grid without incidents', async () => {
    const res = (await get('/api/incidents/indicators?from=2025-09-01&to=2025-10-01&level=grid')).json();
    expect(res.rows).toHaveLength(9);
    // 001: reported B, F; due A, B, both closed, A on time; mean (144 + 48) / 2.
    expect(byCode(res.rows, '610402001001001').current).toMatchObject({ reported: 2, due: 2, closed: 2, closedOnTime: 1, closureRate: 1, onTimeClosureRate: 0.5, meanHandlingHours: 96 });
    // 002: reported C, D, E; due C, D; C closed on time, D open.
    expect(byCode(res.rows, '610402001001002').current).toMatchObject({ reported: 3, due: 2, closed: 1, closedOnTime: 1, closureRate: 0.5, overdueOpen: 1, meanHandlingHours: 12 });
    expect(byCode(res.rows, '610402001001004').current).toMatchObject({ reported: 0, due: 0, closureRate: null, meanHandlingHours: null });
  });

  it('compares two periods: which grids rose or fell', async () => {
    const res = (await get('/api/incidents/compare?from=2025-09-01&to=2025-10-01&compareFrom=2025-08-01&compareTo=2025-09-01&level=grid')).json();
    // September: 001 ×2 (B, F), 002 ×3 (C, D, E). August: 001 ×1 (A), 003 ×1 (G).
    expect(res.rose).toEqual([
      { code: '610402001001002', name: '第2网格', before: 0, after: 3, change: 3 },
      { code: '610402001001001', name: '第1网格', before: 1, after: 2, change: 1 },
    ]);
    expect(res.fell).toEqual([{ code: '610402001001003', name: '第3网格', before: 1, after: 0, change: -1 }]);
  });
});
