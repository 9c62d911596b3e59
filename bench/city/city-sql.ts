/**
 * The city-scale data set as set-based SQL: every row is computed inside PostgreSQL from
 * generate_series (no row crosses the wire, so it is faster than COPY from a client), into a
 * database migrated with the project's own migrations.
 *
 * The city is a lattice of communities on a warped, jittered grid of "fine" nodes: cells are
 * smallest at the centre (urban communities ~350 m across) and ten times larger at the edges
 * (villages ~3.5 km), like a prefecture-level city around its core. Every polygon is a rectangle
 * of the fine lattice, drawn through the lattice's own nodes, so neighbours share their edges
 * exactly: grids tile their community, communities their street, streets their district.
 * - community: 8 × 8 fine cells; 7 or 8 grids of 2 × 4 cells (with 7, one grid is 4 × 4);
 * - street: a block of 10 × 5 communities; district: a block of 2 × 7 streets;
 * - 10 buildings per grid, 5,000 facilities, incidents over 3 years, all at random points inside a
 *   grid (bilinear interpolation inside one lattice cell, so always inside it), so each incident's
 *   grid and community are known without a spatial join.
 * Random numbers come from setseed(): the same scale gives the same city.
 */

export interface CityScale {
  /** 1 = the full city: 7,000 communities, 50,000 grids, 500,000 buildings, 5,000 facilities, 10 M incidents. */
  scale: number;
  /** The day the 3 years of incidents end on (exclusive). */
  anchor: Date;
}

export function cityFigures(scale: number) {
  const cols = Math.max(2, Math.round(100 * Math.sqrt(scale)));
  const rows = Math.max(2, Math.round(70 * Math.sqrt(scale)));
  const communities = cols * rows;
  const grids = Math.min(communities * 8, Math.max(communities * 7, Math.round(50_000 * scale)));
  return {
    cols,
    rows,
    communities,
    grids,
    buildings: grids * 10,
    facilities: Math.max(11, Math.round(5_000 * scale)),
    incidents: Math.round(10_000_000 * scale),
  };
}

/** Centre of the synthetic city (Xianyang's core) and the warp of the lattice. */
const CENTRE_LON = 108.72;
const CENTRE_LAT = 34.33;
/** Half-width and half-height of the full city in degrees (~114 km × 93 km). */
const HALF_WIDTH = 0.62;
const HALF_HEIGHT = 0.42;
const WARP = 6;
const FINE = 8;

/** Statements that build the lattice functions and the areas, grids, buildings and facilities. */
export function citySql({ scale }: CityScale): { label: string; sql: string }[] {
  const f = cityFigures(scale);
  const nx = f.cols * FINE;
  const ny = f.rows * FINE;
  const hw = HALF_WIDTH * Math.sqrt(scale);
  const hh = HALF_HEIGHT * Math.sqrt(scale);
  const sinhHalf = Math.sinh(WARP / 2);
  // Streets: blocks of 10 × 5 communities; districts: blocks of 2 × 7 streets.
  const streetCols = Math.ceil(f.cols / 10);
  const districtCols = Math.ceil(streetCols / 2);
  return [
    {
      label: 'lattice functions',
      sql: `
DROP SCHEMA IF EXISTS bench CASCADE;
CREATE SCHEMA bench;
-- A lattice node: warped (denser at the centre) and jittered by up to a quarter of the local
-- spacing (outer boundary nodes stay put), so cells are irregular yet always convex.
CREATE FUNCTION bench.node_lon(i int, j int) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT ${CENTRE_LON} + ${hw} * sinh(${WARP} * (i::float8 / ${nx} - 0.5)) / ${sinhHalf}
       + CASE WHEN i IN (0, ${nx}) OR j IN (0, ${ny}) THEN 0 ELSE
           0.5 * ((hashint8(i::bigint * 1000003 + j) & 65535) / 65535.0 - 0.5)
           * ${hw} * ${WARP} * cosh(${WARP} * (i::float8 / ${nx} - 0.5)) / (${sinhHalf} * ${nx}) END
$$;
CREATE FUNCTION bench.node_lat(i int, j int) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT ${CENTRE_LAT} + ${hh} * sinh(${WARP} * (j::float8 / ${ny} - 0.5)) / ${sinhHalf}
       + CASE WHEN i IN (0, ${nx}) OR j IN (0, ${ny}) THEN 0 ELSE
           0.5 * ((hashint8(j::bigint * 999983 + i + 7) & 65535) / 65535.0 - 0.5)
           * ${hh} * ${WARP} * cosh(${WARP} * (j::float8 / ${ny} - 0.5)) / (${sinhHalf} * ${ny}) END
$$;
-- The rectangle [i0, i1] × [j0, j1] of the lattice as a polygon through every node of its edge.
CREATE FUNCTION bench.rect(i0 int, j0 int, i1 int, j1 int) RETURNS geometry LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT ST_Multi(ST_MakePolygon(ST_MakeLine(array_agg(ST_MakePoint(bench.node_lon(p.i, p.j), bench.node_lat(p.i, p.j)) ORDER BY p.k))))
  FROM (
    SELECT s AS k, i0 + s AS i, j0 AS j FROM generate_series(0, i1 - i0 - 1) s
    UNION ALL SELECT (i1 - i0) + s, i1, j0 + s FROM generate_series(0, j1 - j0 - 1) s
    UNION ALL SELECT (i1 - i0) + (j1 - j0) + s, i1 - s, j1 FROM generate_series(0, i1 - i0 - 1) s
    UNION ALL SELECT 2 * (i1 - i0) + (j1 - j0) + s, i0, j1 - s FROM generate_series(0, j1 - j0) s
  ) p
$$;
-- Every lattice cell with its four corners: a random point inside a cell is the bilinear mix of
-- its corners (inside, since cells are convex), computed with a join rather than a function call.
CREATE TABLE bench.cell AS
SELECT i, j,
       bench.node_lon(i, j) AS x00, bench.node_lat(i, j) AS y00, bench.node_lon(i + 1, j) AS x10, bench.node_lat(i + 1, j) AS y10,
       bench.node_lon(i, j + 1) AS x01, bench.node_lat(i, j + 1) AS y01, bench.node_lon(i + 1, j + 1) AS x11, bench.node_lat(i + 1, j + 1) AS y11
FROM generate_series(0, ${nx - 1}) i, generate_series(0, ${ny - 1}) j;
ALTER TABLE bench.cell ADD PRIMARY KEY (i, j);`,
    },
    {
      label: 'communities, streets, districts',
      sql: `
-- Communities in lattice order; their street and district by block.
CREATE TABLE bench.community AS
SELECT c, r, r * ${f.cols} + c AS n, c / 10 AS sc, r / 5 AS sr, (c / 10) / 2 AS dc, (r / 5) / 7 AS dr,
       -- urban in the core (within 35% of the half-extent), villages outside
       (abs(c + 0.5 - ${f.cols} / 2.0) / ${f.cols} < 0.175 AND abs(r + 0.5 - ${f.rows} / 2.0) / ${f.rows} < 0.175) AS urban
FROM generate_series(0, ${f.cols - 1}) c, generate_series(0, ${f.rows - 1}) r;
ALTER TABLE bench.community ADD COLUMN district_code text, ADD COLUMN street_code text, ADD COLUMN code text;
UPDATE bench.community SET district_code = '6104' || lpad((dr * ${districtCols} + dc + 1)::text, 2, '0');
WITH streets AS (
  SELECT sc, sr, district_code, row_number() OVER (PARTITION BY district_code ORDER BY sr, sc) AS k
  FROM (SELECT DISTINCT sc, sr, district_code FROM bench.community) s
)
UPDATE bench.community m SET street_code = s.district_code || lpad(s.k::text, 3, '0') FROM streets s WHERE s.sc = m.sc AND s.sr = m.sr;
WITH numbered AS (
  SELECT c, r, row_number() OVER (PARTITION BY street_code, urban ORDER BY r DESC, c) AS k FROM bench.community
)
UPDATE bench.community m SET code = m.street_code || lpad((CASE WHEN m.urban THEN n.k ELSE 199 + n.k END)::text, 3, '0')
FROM numbered n
WHERE n.c = m.c AND n.r = m.r;

INSERT INTO admin_area (code, name, level, parent_code, geom)
SELECT district_code, '测试区' || substr(district_code, 5, 2), 'district', NULL,
       bench.rect(min(c) * ${FINE}, min(r) * ${FINE}, (max(c) + 1) * ${FINE}, (max(r) + 1) * ${FINE})
FROM bench.community GROUP BY district_code;
INSERT INTO admin_area (code, name, level, parent_code, geom)
SELECT street_code, '测试街道' || substr(street_code, 7, 3), 'street', substr(street_code, 1, 6),
       bench.rect(min(c) * ${FINE}, min(r) * ${FINE}, (max(c) + 1) * ${FINE}, (max(r) + 1) * ${FINE})
FROM bench.community GROUP BY street_code;
INSERT INTO admin_area (code, name, level, parent_code, geom)
SELECT code, CASE WHEN urban THEN '测试社区' ELSE '测试村' END || substr(code, 10, 3), 'community', street_code,
       bench.rect(c * ${FINE}, r * ${FINE}, (c + 1) * ${FINE}, (r + 1) * ${FINE})
FROM bench.community;`,
    },
    {
      label: 'grids and staff',
      sql: `
-- 8 grids of 2 × 4 cells per community, or 7 (the last two of the upper row as one 4 × 4) for
-- the communities after the first ${f.grids - f.communities * 7}: ${f.grids} grids in all.
CREATE TABLE bench.grid_rect AS
SELECT m.code AS community_code, m.urban, g.k,
       m.c * ${FINE} + 2 * (g.k % 4) AS i0, m.r * ${FINE} + 4 * (g.k / 4) AS j0,
       m.c * ${FINE} + CASE WHEN m.n >= ${f.grids - f.communities * 7} AND g.k = 6 THEN 8 ELSE 2 * (g.k % 4) + 2 END AS i1,
       m.r * ${FINE} + 4 * (g.k / 4) + 4 AS j1
FROM bench.community m CROSS JOIN generate_series(0, 7) g(k)
WHERE g.k < 7 OR m.n < ${f.grids - f.communities * 7};

SELECT setseed(0.42);
INSERT INTO grid (code, name, community_code, geom, households, residents, residents_60_plus, residents_80_plus)
SELECT community_code || lpad((k + 1)::text, 3, '0'), '第' || (k + 1) || '网格', community_code,
       bench.rect(i0, j0, i1, j1), h, h * 3, h * 3 / 5, h * 3 / 25
FROM (SELECT r.*, CASE WHEN r.urban THEN 300 ELSE 200 END + floor(random() * 200)::int AS h FROM bench.grid_rect r) x
ORDER BY 1;
ALTER TABLE bench.grid_rect ADD COLUMN grid_id bigint;
UPDATE bench.grid_rect r SET grid_id = g.id FROM grid g WHERE g.code = r.community_code || lpad((r.k + 1)::text, 3, '0');
CREATE INDEX ON bench.grid_rect (grid_id);
ALTER TABLE bench.grid_rect ADD COLUMN seq serial;
CREATE UNIQUE INDEX ON bench.grid_rect (seq);
INSERT INTO grid_staff (grid_id, role, name, phone)
SELECT id, 'leader', '网格长' || id, '138' || lpad((id % 100000000)::text, 8, '0') FROM grid
UNION ALL
SELECT id, 'manager', '网格员' || id, '139' || lpad((id % 100000000)::text, 8, '0') FROM grid;`,
    },
    {
      label: 'buildings',
      sql: `
SELECT setseed(0.43);
INSERT INTO building (name, kind, geom, households, residents, residents_60_plus, residents_80_plus)
SELECT p.name, p.kind, ST_SetSRID(ST_MakePoint(
         (1 - p.s) * (1 - p.t) * c.x00 + p.s * (1 - p.t) * c.x10 + (1 - p.s) * p.t * c.x01 + p.s * p.t * c.x11,
         (1 - p.s) * (1 - p.t) * c.y00 + p.s * (1 - p.t) * c.y10 + (1 - p.s) * p.t * c.y01 + p.s * p.t * c.y11), 4326), p.hh, p.hh * 3, p.hh * 3 / 5, p.hh * 3 / 25
FROM (
  SELECT q.*, q.fi - floor(q.fi) AS s, q.fj - floor(q.fj) AS t
  FROM (
    SELECT '楼' || r.grid_id || '-' || b AS name, CASE WHEN b = 0 THEN 'compound' ELSE 'building' END AS kind,
           r.i0 + 0.02 + random() * (r.i1 - r.i0 - 0.04) AS fi, r.j0 + 0.02 + random() * (r.j1 - r.j0 - 0.04) AS fj,
           20 + floor(random() * 40)::int AS hh
    FROM bench.grid_rect r CROSS JOIN generate_series(0, 9) b
  ) q
) p
JOIN bench.cell c ON c.i = floor(p.fi)::int AND c.j = floor(p.fj)::int;`,
    },
    {
      label: 'facilities',
      sql: `
SELECT setseed(0.44);
INSERT INTO facility (facility_type, name, address, geom, phone, opening_hours, services, capacity, is_public)
SELECT t.code, t.name_zh || p.n, '测试路' || p.n || '号', ST_SetSRID(ST_MakePoint(
         (1 - p.s) * (1 - p.t) * c.x00 + p.s * (1 - p.t) * c.x10 + (1 - p.s) * p.t * c.x01 + p.s * p.t * c.x11,
         (1 - p.s) * (1 - p.t) * c.y00 + p.s * (1 - p.t) * c.y10 + (1 - p.s) * p.t * c.y01 + p.s * p.t * c.y11), 4326),
       '029-' || lpad(p.n::text, 8, '0'), '08:00-18:00', ARRAY['咨询', '助餐'], 20 + p.n % 80, p.n % 20 <> 0
FROM (
  SELECT q.*, q.fi - floor(q.fi) AS s, q.fj - floor(q.fj) AS t
  FROM (
    SELECT n, r.i0 + 0.05 + random() * (r.i1 - r.i0 - 0.1) AS fi, r.j0 + 0.05 + random() * (r.j1 - r.j0 - 0.1) AS fj
    FROM generate_series(1, ${f.facilities}) n
    JOIN bench.grid_rect r ON r.seq = 1 + (hashint4(n) & 2147483647) % ${f.grids}
  ) q
) p
JOIN bench.cell c ON c.i = floor(p.fi)::int AND c.j = floor(p.fj)::int
JOIN (SELECT code, name_zh, row_number() OVER (ORDER BY sort_order) - 1 AS k FROM facility_type) t ON t.k = p.n % 11;
-- Triggers are off during the load (session_replication_role): the stored service areas as
-- migration 006 computes them.
INSERT INTO facility_service_area (facility_id, radius_meters, geom)
SELECT f.id, t.service_radius_meters, facility_service_area_polygon(f.geom, t.service_radius_meters)
FROM facility f JOIN facility_type t ON t.code = f.facility_type
ON CONFLICT (facility_id) DO NOTHING;`,
    },
  ];
}

/**
 * One batch of incidents (rows first … first + count − 1) of the 3 years before `anchor`: row n
 * is reported at n / total of the way through them, so batches loaded in order are chronological.
 */
export function incidentBatchSql({ scale, anchor }: CityScale, first: number, count: number): string {
  const f = cityFigures(scale);
  return `
SELECT setseed(${(first % 1_000_003) / 1_000_003});
INSERT INTO incident (category, sub_category, source, status, occurred_at, reported_at, due_at, closed_at, geom, grid_id, community_code, district_code, description)
SELECT k.parent_code, k.code, (ARRAY['grid_worker', 'hotline_12345', 'public', 'video', 'higher_level'])[1 + floor(p.source_r * 5)::int],
       p.status, p.reported_at - interval '2 hours', p.reported_at, p.reported_at + make_interval(hours => d.deadline_hours),
       CASE WHEN p.status = 'closed' THEN p.reported_at + make_interval(hours => floor(p.close_r * d.deadline_hours * 1.3)::int) END,
       ST_SetSRID(ST_MakePoint(
         (1 - p.s) * (1 - p.t) * c.x00 + p.s * (1 - p.t) * c.x10 + (1 - p.s) * p.t * c.x01 + p.s * p.t * c.x11,
         (1 - p.s) * (1 - p.t) * c.y00 + p.s * (1 - p.t) * c.y10 + (1 - p.s) * p.t * c.y01 + p.s * p.t * c.y11), 4326),
       p.grid_id, p.community_code, left(p.community_code, 6), ''
FROM (
  SELECT q.*, q.fi - floor(q.fi) AS s, q.fj - floor(q.fj) AS t
  FROM (
    SELECT x.*, r.grid_id, r.community_code,
           r.i0 + 0.01 + random() * (r.i1 - r.i0 - 0.02) AS fi, r.j0 + 0.01 + random() * (r.j1 - r.j0 - 0.02) AS fj
    FROM (
      SELECT ts AS reported_at, grid_seq, category_k, random() AS source_r, random() AS close_r,
             CASE WHEN ts < timestamptz '${anchor.toISOString()}' - interval '30 days' AND random() < 0.95 THEN 'closed'
                  ELSE (ARRAY['reported', 'accepted', 'dispatched', 'handling', 'verifying', 'closed', 'returned'])[1 + floor(random() * 7)::int] END AS status
      FROM (
        -- In the order they were reported, as a live system appends them (rows of a period lie
        -- together on disk), with up to an hour of jitter.
        SELECT n, timestamptz '${anchor.toISOString()}' - interval '1095 days' * (1 - (n - 0.5) / ${f.incidents}) - random() * interval '1 hour' AS ts,
               1 + floor(random() * ${f.grids})::int AS grid_seq, floor(random() * 21)::int AS category_k
        FROM generate_series(${first}, ${first + count - 1}) n
      ) drawn
    ) x
    JOIN bench.grid_rect r ON r.seq = x.grid_seq
  ) q
) p
JOIN bench.cell c ON c.i = floor(p.fi)::int AND c.j = floor(p.fj)::int
JOIN (SELECT code, parent_code, row_number() OVER (ORDER BY code) - 1 AS k FROM incident_category WHERE parent_code IS NOT NULL) k ON k.k = p.category_k
JOIN incident_category d ON d.code = k.parent_code;`;
}
