-- Which building is covered in a scenario, and which grid it belongs to. Included as the CTEs of
-- building-coverage.sql and coverage-tallies.sql ({{cover}}). Its CTE building_cover has one
-- row per building: id, residents, r60, r80, grid_code (the live grid it belongs to; NULL outside
-- every grid), outside_community (for a building outside every grid: the community whose outline
-- holds it) and covered.
-- $1 type codes, $2 removed facility ids, $3 proposed longitudes, $4 latitudes, $5 radii (m).
--
-- Covered means within the walking radius of at least one counting station, measured on the
-- spheroid: ST_DWithin on geography, which is what a brute-force ST_Distance count says. To get
-- there without a spheroid test for every building near every station, distances are first taken
-- in a local metric frame at each station: x = N(φs)·cos φs·Δλ, y = M(φs)·Δφ, with N and M the
-- WGS84 radii of curvature at the station's latitude φs. That planar distance d' differs from the
-- geodesic one by about d²·tan|φ|/R (0.1 m at 1 km and 35° N). With the margin eps = 1 m + r²·1e-6/m
-- (2 m at 1 km, 101 m at the 10 km the radii may reach), safe up to |φ| ≈ 80°:
--   d' ≤ r − eps → covered; d' > r + eps → not covered; in between → the exact ST_DWithin decides.
-- Whole grids are decided at once the same way: a grid whose bounding box lies within r − eps of a
-- station is covered throughout; one whose box comes within r + eps of no station has nobody
-- covered. Only buildings of the grids in between are tested one by one, and only against the
-- stations that come within r + eps of their grid's box.
proposal AS (
  SELECT (p.ord - 1)::int AS proposal_index, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326) AS geom, p.r
  FROM unnest($3::float8[], $4::float8[], $5::float8[]) WITH ORDINALITY AS p(lon, lat, r, ord)
),
-- The counting stations (as counting-stations.sql) with their local frame: metres per degree of
-- longitude (kx) and of latitude (ky), and the squared radii that decide without an exact test.
station AS MATERIALIZED (
  SELECT c.facility_id, c.proposal_index, c.geom, c.r, ST_X(c.geom) AS x, ST_Y(c.geom) AS y, m.eps,
         (c.r + m.eps) ^ 2 AS outer2,
         CASE WHEN c.r > m.eps THEN (c.r - m.eps) ^ 2 ELSE -1 END AS inner2,
         radians(1) * 6378137.0 * cos(radians(ST_Y(c.geom))) / sqrt(1 - 0.00669437999014 * sin(radians(ST_Y(c.geom))) ^ 2) AS kx,
         radians(1) * 6378137.0 * (1 - 0.00669437999014) / (1 - 0.00669437999014 * sin(radians(ST_Y(c.geom))) ^ 2) ^ 1.5 AS ky
  FROM (
    SELECT f.id AS facility_id, NULL::int AS proposal_index, f.geom, a.radius_meters::float8 AS r
    FROM facility f JOIN facility_service_area a ON a.facility_id = f.id
    WHERE f.retired_at IS NULL AND f.facility_type = ANY ($1::text[]) AND NOT (f.id = ANY ($2::bigint[]))
    UNION ALL
    SELECT NULL, p.proposal_index, p.geom, p.r FROM proposal p
  ) c
  CROSS JOIN LATERAL (SELECT 1 + c.r * c.r * 1e-6 AS eps) m
),
-- Each station with the live grids whose bounding box comes within r + eps of it (in the frame
-- of the station, r + eps is exactly (r + eps)/kx degrees of longitude and (r + eps)/ky of
-- latitude; the index box is taken a hair larger). reaches_all: the whole box within r − eps.
grid_station AS MATERIALIZED (
  SELECT g.id AS grid_id, s.x, s.y, s.kx, s.ky, s.r, s.inner2, s.outer2, s.proposal_index IS NOT NULL AS proposed,
         d.max2 <= s.inner2 AS reaches_all
  FROM station s
  CROSS JOIN LATERAL (
    SELECT g.id, ST_XMin(b.box) AS x0, ST_YMin(b.box) AS y0, ST_XMax(b.box) AS x1, ST_YMax(b.box) AS y1
    FROM grid g CROSS JOIN LATERAL (SELECT Box2D(g.geom)::box3d AS box) b
    WHERE g.geom && ST_Expand(s.geom, (s.r + s.eps) / s.kx * 1.000001, (s.r + s.eps) / s.ky * 1.000001) AND g.retired_at IS NULL
    OFFSET 0
  ) g
  CROSS JOIN LATERAL (
    SELECT (s.kx * greatest(g.x0 - s.x, 0, s.x - g.x1)) ^ 2 + (s.ky * greatest(g.y0 - s.y, 0, s.y - g.y1)) ^ 2 AS min2,
           (s.kx * greatest(s.x - g.x0, g.x1 - s.x)) ^ 2 + (s.ky * greatest(s.y - g.y0, g.y1 - s.y)) ^ 2 AS max2
  ) d
  WHERE d.min2 <= s.outer2
),
-- Per grid: covered throughout, or the stations its buildings have to be tested against.
grid_reach AS (
  SELECT grid_id, bool_or(reaches_all) AS reaches_all,
         array_agg(x) AS x, array_agg(y) AS y, array_agg(kx) AS kx, array_agg(ky) AS ky, array_agg(r) AS r,
         array_agg(inner2) AS inner2, array_agg(outer2) AS outer2, array_agg(proposed) AS proposed
  FROM grid_station GROUP BY grid_id
),
-- Every building with each live grid that covers it (on a shared boundary, more than one), and
-- whether it is covered. Materialized, so that the test runs here and not after the grouping.
in_grid AS MATERIALIZED (
  SELECT b.id, g.code, b.residents, b.r60, b.r80, b.covered
  FROM grid g
  LEFT JOIN grid_reach r ON r.grid_id = g.id
  CROSS JOIN LATERAL (
    SELECT b.id, b.residents, b.residents_60_plus AS r60, b.residents_80_plus AS r80,
           CASE WHEN r.reaches_all THEN true
                WHEN r.grid_id IS NULL THEN false
                ELSE EXISTS (
                  SELECT 1
                  FROM unnest(r.x, r.y, r.kx, r.ky, r.r, r.inner2, r.outer2, r.proposed) AS s(x, y, kx, ky, r, inner2, outer2, proposed)
                  CROSS JOIN LATERAL (SELECT (s.kx * (ST_X(b.geom) - s.x)) ^ 2 + (s.ky * (ST_Y(b.geom) - s.y)) ^ 2 AS d2) t
                  WHERE t.d2 <= s.inner2
                     OR (t.d2 <= s.outer2 AND CASE WHEN s.proposed
                           THEN ST_DWithin(b.geom::geography, ST_SetSRID(ST_MakePoint(s.x, s.y), 4326)::geography, s.r)
                           ELSE ST_DWithin(ST_SetSRID(ST_MakePoint(s.x, s.y), 4326)::geography, b.geom::geography, s.r) END)
                ) END AS covered
    FROM building b WHERE ST_Covers(g.geom, b.geom) AND b.retired_at IS NULL OFFSET 0
  ) b
  WHERE g.retired_at IS NULL
),
-- A building on a shared boundary belongs to the grid with the lowest code (as incidents do):
-- the few buildings in more than one grid, and the grid each belongs to.
multi AS MATERIALIZED (
  SELECT id, min(code) AS code, count(*) AS n FROM in_grid GROUP BY id HAVING count(*) > 1
),
placed AS (
  SELECT i.id, i.code AS grid_code, i.residents, i.r60, i.r80, i.covered
  FROM in_grid i
  WHERE NOT EXISTS (SELECT 1 FROM multi m WHERE m.id = i.id AND m.code <> i.code)
),
-- Outside every grid (looked for only when some building is): the community whose outline holds
-- it, and each station tested on the spheroid through the facility index.
outside AS (
  SELECT b.id, b.residents, b.residents_60_plus AS r60, b.residents_80_plus AS r80, c.code AS community_code,
         (
           EXISTS (
             SELECT 1
             FROM facility f
             JOIN facility_service_area a ON a.facility_id = f.id
             WHERE f.retired_at IS NULL
               AND f.facility_type = ANY ($1::text[])
               AND NOT (f.id = ANY ($2::bigint[]))
               AND ST_DWithin(f.geom::geography, b.geom::geography, (SELECT max(radius_meters)::float8 FROM facility_service_area))
               AND ST_DWithin(f.geom::geography, b.geom::geography, a.radius_meters::float8)
           )
           OR EXISTS (SELECT 1 FROM proposal p WHERE ST_DWithin(b.geom::geography, p.geom::geography, p.r))
         ) AS covered
  FROM building b
  LEFT JOIN LATERAL (
    SELECT a.code FROM admin_area a
    WHERE a.level = 'community' AND ST_Covers(a.geom, b.geom)
    ORDER BY a.code LIMIT 1
  ) c ON true
  WHERE b.retired_at IS NULL AND (SELECT count(*) FROM building WHERE retired_at IS NULL) > (SELECT count(*) FROM in_grid) - (SELECT coalesce(sum(n - 1), 0) FROM multi)
    AND NOT EXISTS (SELECT 1 FROM in_grid p WHERE p.id = b.id)
),
building_cover AS (
  SELECT id, residents, r60, r80, grid_code, NULL::text AS outside_community, covered FROM placed
  UNION ALL
  SELECT id, residents, r60, r80, NULL, community_code, covered FROM outside
),
-- The counting stations' service areas as outlines (their circles), for the grids that are
-- counted as a whole (figures per grid, no buildings): coverage-tallies.sql.
service_area AS (
  SELECT ST_Buffer(s.geom::geography, s.r)::geometry AS geom FROM station s
)
