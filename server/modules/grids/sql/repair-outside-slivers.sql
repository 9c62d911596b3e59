-- Step 2 of the sliver repair (see repair-slivers.sql): spill outside community $1 under $2 m².
UPDATE grid g SET geom = ST_Multi(ST_CollectionExtract(ST_Intersection(g.geom, a.geom), 3))
FROM admin_area a
WHERE a.code = $1 AND g.community_code = $1 AND g.retired_at IS NULL
  AND NOT ST_CoveredBy(g.geom, a.geom)
  AND ST_Area(ST_Difference(g.geom, a.geom)::geography) < $2
RETURNING g.id;
