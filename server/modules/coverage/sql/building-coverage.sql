-- Every building with its place (grid, community) and whether it is covered: within the
-- walking radius of at least one counting station, measured on the spheroid.
WITH {{counting}},
-- Drive from the stations: each asks building_geog_idx for the buildings within its radius
-- (ST_DWithin on geography expands the station by r for the index, then measures exactly).
-- No union of circles is ever built.
covered AS (
  SELECT DISTINCT b.id
  FROM counting c
  JOIN building b ON ST_DWithin(b.geom::geography, c.g, c.r)
)
SELECT b.id, b.residents, b.residents_60_plus AS r60, b.residents_80_plus AS r80,
       g.id AS grid_id,
       coalesce(g.community_code, c.code) AS community_code,
       (cv.id IS NOT NULL) AS covered
FROM building b
-- A building on a shared boundary belongs to the grid with the lowest code (as incidents do).
LEFT JOIN LATERAL (
  SELECT grid.id, grid.community_code FROM grid
  WHERE grid.retired_at IS NULL AND ST_Covers(grid.geom, b.geom)
  ORDER BY grid.code LIMIT 1
) g ON true
-- Outside every grid: the community whose outline holds it.
LEFT JOIN LATERAL (
  SELECT a.code FROM admin_area a
  WHERE g.id IS NULL AND a.level = 'community' AND ST_Covers(a.geom, b.geom)
  ORDER BY a.code LIMIT 1
) c ON true
LEFT JOIN covered cv ON cv.id = b.id
ORDER BY b.id;
