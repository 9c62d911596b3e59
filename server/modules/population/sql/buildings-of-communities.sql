-- The buildings of some communities ($1 text[] of community codes), each with its matchable
-- address: its address when it has one, else its name. A building belongs to the community of the
-- live grid its point lies in; a building outside every grid, to the community whose outline
-- covers it.
WITH community_grid AS (
  SELECT g.id, g.geom, g.community_code FROM grid g
  WHERE g.retired_at IS NULL AND g.community_code = ANY($1::text[])
), community_outline AS (
  SELECT a.code, a.geom FROM admin_area a
  WHERE a.code = ANY($1::text[]) AND a.geom IS NOT NULL
), placed AS (
  SELECT DISTINCT ON (b.id) b.id, g.community_code
  FROM building b JOIN community_grid g ON b.geom && g.geom AND ST_Covers(g.geom, b.geom)
  ORDER BY b.id, g.id
), outside_grids AS (
  SELECT DISTINCT ON (b.id) b.id, a.code AS community_code
  FROM building b JOIN community_outline a ON b.geom && a.geom AND ST_Covers(a.geom, b.geom)
  WHERE NOT EXISTS (SELECT 1 FROM grid g WHERE g.retired_at IS NULL AND b.geom && g.geom AND ST_Covers(g.geom, b.geom))
  ORDER BY b.id, a.code
)
SELECT b.id::int, b.name, b.address, p.community_code AS "communityCode"
FROM (SELECT * FROM placed UNION ALL SELECT * FROM outside_grids) p
JOIN building b ON b.id = p.id
ORDER BY b.id;
