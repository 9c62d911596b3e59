/**
 * The demo district as loaded into PostGIS: the figures DOMAIN.md gives, exact tiling of
 * district → streets → communities → grids, and the coding rule.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { TEST_ANCHOR_DATE } from '../helpers/constants.js';
import { dataDir } from '../../server/paths.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('demo');
});
afterAll(async () => db?.drop());

const one = async <T = Record<string, number>>(sql: string, params: unknown[] = []) => (await db.pool.query(sql, params)).rows[0] as T;

describe('administrative areas', () => {
  it('has the real 12 streets and 186 communities with their 2023 codes and names', async () => {
    const csv = fs.readFileSync(`${dataDir}/divisions-610402-qindu.csv`, 'utf8').trim().split(/\r?\n/).slice(1);
    const expected = csv.map((line) => line.split(',')).map(([level, code, name, parent]) => ({ level, code, name, parent }));
    const { rows } = await db.pool.query(`SELECT level, code, name, parent_code AS parent FROM admin_area WHERE level <> 'district' ORDER BY code`);
    expect(rows).toEqual([...expected].sort((a, b) => a.code!.localeCompare(b.code!)));
    const kinds = await one(`SELECT count(*) FILTER (WHERE kind = 'urban') AS urban, count(*) FILTER (WHERE kind = 'village') AS village FROM admin_area`);
    expect(kinds).toEqual({ urban: 128, village: 58 });
  });

  it('keeps the real district outline, repaired into a valid polygon of about 260 km²', async () => {
    const r = await one(`SELECT ST_IsValid(geom)::int AS valid, ST_Area(geom::geography) / 1e6 AS km2 FROM admin_area WHERE code = '610402'`);
    expect(r.valid).toBe(1);
    expect(r.km2).toBeGreaterThan(257);
    expect(r.km2).toBeLessThan(263);
  });

  it.each([
    ['streets tile the district', 'street'],
    ['communities tile their street', 'community'],
  ])('%s with no gap or overlap above 1 m²', async (_label, level) => {
    const { rows } = await db.pool.query(
      `WITH children AS (SELECT parent_code, ST_Union(geom) AS u FROM admin_area WHERE level = $1 GROUP BY parent_code)
       SELECT p.code,
              ST_Area(ST_Difference(p.geom, c.u)::geography) AS gap,
              ST_Area(ST_Difference(c.u, p.geom)::geography) AS outside
       FROM admin_area p JOIN children c ON c.parent_code = p.code`,
      [level],
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r.gap, `gap in ${r.code}`).toBeLessThan(1);
      expect(r.outside, `outside ${r.code}`).toBeLessThan(1);
    }
    const overlaps = await db.pool.query(
      `SELECT a.code, b.code AS other, ST_Area(ST_Intersection(a.geom, b.geom)::geography) AS area
       FROM admin_area a JOIN admin_area b ON a.level = $1 AND b.level = $1 AND a.code < b.code AND ST_Intersects(a.geom, b.geom)
       WHERE ST_Area(ST_Intersection(a.geom, b.geom)::geography) >= 1`,
      [level],
    );
    expect(overlaps.rows).toEqual([]);
  });
});

describe('grids', () => {
  it('has 893 grids in the urban communities and at least one in every village', async () => {
    const r = await one(
      `SELECT count(*) FILTER (WHERE a.kind = 'urban') AS urban_grids,
              (SELECT count(*) FROM admin_area v WHERE v.kind = 'village'
                 AND NOT EXISTS (SELECT 1 FROM grid g WHERE g.community_code = v.code)) AS villages_without_grid
       FROM grid g JOIN admin_area a ON a.code = g.community_code`,
    );
    expect(r).toEqual({ urban_grids: 893, villages_without_grid: 0 });
  });

  it('tiles every community exactly: no gap, overlap or spill above 1 m²', async () => {
    const gaps = await db.pool.query(
      `WITH u AS (SELECT community_code, ST_Union(geom) AS u FROM grid GROUP BY community_code)
       SELECT a.code, ST_Area(ST_Difference(a.geom, u.u)::geography) AS gap, ST_Area(ST_Difference(u.u, a.geom)::geography) AS spill
       FROM admin_area a JOIN u ON u.community_code = a.code`,
    );
    expect(gaps.rows).toHaveLength(186);
    const bad = gaps.rows.filter((r) => r.gap >= 1 || r.spill >= 1);
    expect(bad).toEqual([]);
    const overlaps = await db.pool.query(
      `SELECT a.code, b.code AS other, ST_Area(ST_Intersection(a.geom, b.geom)::geography) AS area
       FROM grid a JOIN grid b ON a.id < b.id AND ST_Intersects(a.geom, b.geom)
       WHERE ST_Area(ST_Intersection(a.geom, b.geom)::geography) >= 1`,
    );
    expect(overlaps.rows).toEqual([]);
  });

  it('codes every grid as its community code + a 3-digit sequence, without duplicates', async () => {
    const r = await one(
      `SELECT count(*) FILTER (WHERE code !~ '^[0-9]{15}$' OR substr(code, 1, 12) <> community_code) AS malformed,
              count(*) - count(DISTINCT code) AS duplicates,
              count(*) FILTER (WHERE grid_type = 'comprehensive' AND substr(code, 13, 3)::int NOT BETWEEN 1 AND 899) AS bad_comprehensive,
              count(*) FILTER (WHERE grid_type = 'dedicated' AND substr(code, 13, 3)::int < 901) AS bad_dedicated
       FROM grid`,
    );
    expect(r).toEqual({ malformed: 0, duplicates: 0, bad_comprehensive: 0, bad_dedicated: 0 });
    // Sequences run 001, 002, … without holes inside each community.
    const holes = await db.pool.query(
      `SELECT community_code FROM grid WHERE grid_type = 'comprehensive' GROUP BY community_code
       HAVING max(substr(code, 13, 3)::int) <> count(*)`,
    );
    expect(holes.rows).toEqual([]);
  });

  it('numbers grids west→east then north→south: the first grid lies north of or level with the last', async () => {
    const { rows } = await db.pool.query(
      `SELECT community_code,
              (array_agg(ST_Y(ST_Centroid(geom)) ORDER BY code))[1] AS first_lat,
              (array_agg(ST_Y(ST_Centroid(geom)) ORDER BY code DESC))[1] AS last_lat
       FROM grid WHERE grid_type = 'comprehensive' GROUP BY community_code HAVING count(*) >= 3`,
    );
    expect(rows.length).toBeGreaterThan(100);
    for (const r of rows) expect(r.first_lat, r.community_code).toBeGreaterThan(r.last_lat);
  });

  it('staffs every grid with one leader and at least one manager, 1,219 managers in all', async () => {
    const r = await one(
      `SELECT (SELECT count(*) FROM grid_staff WHERE role = 'manager') AS managers,
              (SELECT count(*) FROM grid g WHERE (SELECT count(*) FROM grid_staff s WHERE s.grid_id = g.id AND s.role = 'leader') <> 1) AS without_one_leader,
              (SELECT count(*) FROM grid g WHERE NOT EXISTS (SELECT 1 FROM grid_staff s WHERE s.grid_id = g.id AND s.role = 'manager')) AS without_manager`,
    );
    expect(r).toEqual({ managers: 1219, without_one_leader: 0, without_manager: 0 });
  });
});

describe('population', () => {
  it('puts 669,700 residents in buildings, about 18% aged 60+, and grid figures are their sums', async () => {
    const r = await one(`SELECT sum(residents) AS residents, sum(residents_60_plus)::float / sum(residents) AS share60 FROM building`);
    expect(r.residents).toBe(669_700);
    expect(r.share60).toBeGreaterThan(0.17);
    expect(r.share60).toBeLessThan(0.19);
    const mismatched = await db.pool.query(
      `SELECT g.code FROM grid g
       LEFT JOIN LATERAL (SELECT coalesce(sum(b.residents), 0) AS res, coalesce(sum(b.households), 0) AS hh
                          FROM building b WHERE ST_Covers(g.geom, b.geom)) s ON true
       WHERE s.res <> g.residents OR s.hh <> g.households`,
    );
    expect(mismatched.rows).toEqual([]);
  });

  it('spreads households evenly over the comprehensive grids of each community', async () => {
    const { rows } = await db.pool.query(
      `SELECT community_code, min(households) AS lo, max(households) AS hi
       FROM grid WHERE grid_type = 'comprehensive' GROUP BY community_code HAVING count(*) > 1`,
    );
    for (const r of rows) expect(r.hi / r.lo, r.community_code).toBeLessThan(1.25);
  });
});

describe('facilities and incidents', () => {
  it('has 141 party-mass service centres and 21 day-care centres, all inside the district', async () => {
    const r = await one(
      `SELECT count(*) FILTER (WHERE facility_type = 'party_mass_service_centre') AS pmsc,
              count(*) FILTER (WHERE facility_type = 'day_care_centre') AS dcc,
              count(*) FILTER (WHERE NOT ST_Covers((SELECT geom FROM admin_area WHERE code = '610402'), f.geom)) AS outside
       FROM facility f`,
    );
    expect(r).toEqual({ pmsc: 141, dcc: 21, outside: 0 });
  });

  it('has at least 20,000 incidents over the 24 months before the anchor date, each in a grid', async () => {
    const r = await one<{ n: number; first: Date; last: Date; without_grid: number; categories: number }>(
      `SELECT count(*) AS n, min(reported_at) AS first, max(reported_at) AS last,
              count(*) FILTER (WHERE grid_id IS NULL) AS without_grid, count(DISTINCT category) AS categories
       FROM incident`,
    );
    expect(r.n).toBeGreaterThanOrEqual(20_000);
    expect(r.without_grid).toBe(0);
    expect(r.categories).toBe(6);
    const twoYearsBefore = new Date(TEST_ANCHOR_DATE);
    twoYearsBefore.setUTCMonth(twoYearsBefore.getUTCMonth() - 24);
    expect(r.first.getTime()).toBeGreaterThanOrEqual(twoYearsBefore.getTime());
    expect(r.last.getTime()).toBeLessThanOrEqual(TEST_ANCHOR_DATE.getTime());
  });
});
