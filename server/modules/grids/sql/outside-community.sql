-- How much of the outline $1 (EWKB) lies outside community $2: the area in m² and how far the
-- spill reaches beyond the community outline (its farthest vertex), in metres. No row when the
-- community has no outline yet: then there is nothing to measure against.
WITH n AS (
  SELECT ST_GeomFromEWKB($1) AS geom
),
community AS (
  SELECT a.code, a.name, a.geom FROM admin_area a WHERE a.code = $2 AND a.geom IS NOT NULL
),
spill AS (
  SELECT c.code, c.name, c.geom AS community,
         CASE WHEN ST_CoveredBy(n.geom, c.geom) THEN NULL
              ELSE ST_CollectionExtract(ST_Difference(n.geom, c.geom), 3) END AS outside
  FROM n, community c
)
SELECT s.code, s.name,
       coalesce(ST_Area(s.outside::geography), 0) AS area_m2,
       coalesce((SELECT max(ST_Distance(p.geom::geography, s.community::geography)) FROM ST_DumpPoints(s.outside) p), 0) AS distance_m
FROM spill s;
