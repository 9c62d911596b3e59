-- How the outline $1 (EWKB) would fit area $2 into the tiling of its level and the level below.
-- One row per problem, areas in square metres (on the spheroid):
--   overlap        a live sibling area whose interior it overlaps (touching along an edge is fine);
--   outside_parent the part outside the parent's outline (when the parent has one);
--   grid_outside   a live grid of the area (any community below it) that would be left outside;
--   child_outside  a live child area that would be left outside;
--   gap            a part of the parent not covered by the area and its siblings (reported, allowed).
-- The caller compares the areas with the sliver tolerance.
WITH n AS (
  SELECT ST_GeomFromEWKB($1) AS geom
),
area AS (
  SELECT code, parent_code, level FROM admin_area WHERE code = $2
),
parent AS (
  SELECT p.code, p.name, p.geom FROM admin_area p, area a WHERE p.code = a.parent_code AND p.geom IS NOT NULL
),
overlap AS (
  SELECT 'overlap' AS kind, s.code, s.name, ST_Area(ST_Intersection(s.geom, n.geom)::geography) AS area_m2, NULL::geometry AS geom
  FROM n, area a
  JOIN admin_area s ON s.parent_code IS NOT DISTINCT FROM a.parent_code AND s.level = a.level AND s.code <> a.code AND s.retired_at IS NULL
  WHERE s.geom && n.geom AND ST_Relate(s.geom, n.geom, '2********')
),
outside_parent AS (
  SELECT 'outside_parent', p.code, p.name, ST_Area(d.geom::geography), d.geom
  FROM n, parent p
  CROSS JOIN LATERAL (SELECT ST_CollectionExtract(ST_Difference(n.geom, p.geom), 3) AS geom) d
  WHERE NOT ST_CoveredBy(n.geom, p.geom)
),
grid_outside AS (
  SELECT 'grid_outside', g.code, g.name, ST_Area(ST_Difference(g.geom, n.geom)::geography), NULL::geometry
  FROM n, area a
  JOIN grid g ON g.retired_at IS NULL AND g.community_code LIKE a.code || '%'
  WHERE NOT ST_CoveredBy(g.geom, n.geom)
),
child_outside AS (
  SELECT 'child_outside', c.code, c.name, ST_Area(ST_Difference(c.geom, n.geom)::geography), NULL::geometry
  FROM n, area a
  JOIN admin_area c ON c.parent_code = a.code AND c.retired_at IS NULL AND c.geom IS NOT NULL
  WHERE NOT ST_CoveredBy(c.geom, n.geom)
),
gap AS (
  SELECT 'gap', p.code, p.name, ST_Area(d.geom::geography), d.geom
  FROM n, area a, parent p
  CROSS JOIN LATERAL (
    SELECT ST_Union(x.geom) AS geom FROM (
      SELECT n.geom
      UNION ALL
      SELECT s.geom FROM admin_area s
      WHERE s.parent_code = a.parent_code AND s.level = a.level AND s.code <> a.code AND s.retired_at IS NULL AND s.geom IS NOT NULL
    ) x
  ) u
  CROSS JOIN LATERAL (SELECT (ST_Dump(ST_CollectionExtract(ST_Difference(p.geom, u.geom), 3))).geom AS geom) d
)
SELECT kind, code, name, area_m2, ST_AsGeoJSON(geom, 7)::json AS geometry,
       CASE WHEN geom IS NULL THEN NULL ELSE ARRAY[ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom)] END AS bbox
FROM (
  SELECT * FROM overlap
  UNION ALL SELECT * FROM outside_parent
  UNION ALL SELECT * FROM grid_outside
  UNION ALL SELECT * FROM child_outside
  UNION ALL SELECT * FROM gap
) f
WHERE area_m2 > 0.001
ORDER BY kind, area_m2 DESC;
