-- The outline area $1 would have if derived from what lies below it: for a community the union
-- of its live grids, for a street (or district) the union of its live children's outlines.
-- The holes inside the union are found and measured: those under $2 m² are slivers and are
-- filled; larger ones are gaps, filled only when $3 is true. Separate pieces are listed too.
-- Returns one 'outline' row (geometry = the outline, area = its area, count = the parts it was
-- built from, parts_m2 = the sum of their areas) and one row per hole or separate piece.
WITH area AS (
  SELECT code, level FROM admin_area WHERE code = $1
),
part AS (
  SELECT g.geom FROM grid g, area a
  WHERE a.level = 'community' AND g.community_code = a.code AND g.retired_at IS NULL
  UNION ALL
  SELECT c.geom FROM admin_area c, area a
  WHERE a.level <> 'community' AND c.parent_code = a.code AND c.retired_at IS NULL AND c.geom IS NOT NULL
),
u AS (
  SELECT ST_UnaryUnion(ST_Collect(geom)) AS geom, count(*) AS parts, coalesce(sum(ST_Area(geom::geography)), 0) AS parts_m2 FROM part
),
piece AS (
  SELECT d.path[1] AS n, d.geom FROM u, LATERAL ST_Dump(u.geom) d WHERE u.geom IS NOT NULL
),
hole AS (
  SELECT p.n, r.geom, ST_Area(r.geom::geography) AS area_m2
  FROM piece p, LATERAL ST_DumpRings(p.geom) r
  WHERE r.path[1] > 0
),
filled AS (
  SELECT ST_Multi(CASE WHEN f.geom IS NULL THEN u.geom ELSE ST_Union(u.geom, f.geom) END) AS geom
  FROM u
  CROSS JOIN LATERAL (
    SELECT ST_Union(h.geom) AS geom FROM hole h WHERE h.area_m2 < $2 OR $3::boolean
  ) f
)
SELECT 'outline' AS kind, ST_AsGeoJSON(f.geom, 7)::json AS geometry, ST_AsEWKB(f.geom) AS ewkb,
       coalesce(ST_Area(f.geom::geography), 0) AS area_m2, u.parts AS count, u.parts_m2, NULL::boolean AS filled,
       CASE WHEN f.geom IS NULL THEN NULL ELSE ARRAY[ST_XMin(f.geom), ST_YMin(f.geom), ST_XMax(f.geom), ST_YMax(f.geom)] END AS bbox
FROM u, filled f
UNION ALL
SELECT CASE WHEN h.area_m2 < $2 THEN 'sliver' ELSE 'gap' END, ST_AsGeoJSON(h.geom, 7)::json, NULL, h.area_m2, NULL, NULL,
       h.area_m2 < $2 OR $3::boolean,
       ARRAY[ST_XMin(h.geom), ST_YMin(h.geom), ST_XMax(h.geom), ST_YMax(h.geom)]
FROM hole h
UNION ALL
SELECT 'separate_part', ST_AsGeoJSON(p.geom, 7)::json, NULL, ST_Area(p.geom::geography), NULL, NULL, NULL,
       ARRAY[ST_XMin(p.geom), ST_YMin(p.geom), ST_XMax(p.geom), ST_YMax(p.geom)]
FROM piece p
WHERE (SELECT count(*) FROM piece) > 1;
