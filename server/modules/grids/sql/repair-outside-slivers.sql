-- Step 2 of the sliver repair (see repair-slivers.sql): spill outside community $1 that is a
-- sliver — under $2 m², or reaching less than √$2 m beyond the outline (as validate.sql judges).
WITH spill AS (
  SELECT g.id, a.geom AS community, ST_CollectionExtract(ST_Difference(g.geom, a.geom), 3) AS outside
  FROM grid g
  JOIN admin_area a ON a.code = g.community_code
  WHERE a.code = $1 AND a.geom IS NOT NULL AND g.retired_at IS NULL AND NOT ST_CoveredBy(g.geom, a.geom)
),
sliver AS (
  SELECT s.id FROM spill s
  WHERE ST_Area(s.outside::geography) < $2
     OR (SELECT max(ST_Distance(p.geom::geography, s.community::geography)) FROM ST_DumpPoints(s.outside) p) < sqrt($2)
)
UPDATE grid g SET geom = ST_Multi(ST_CollectionExtract(ST_Intersection(g.geom, a.geom), 3))
FROM admin_area a, sliver s
WHERE a.code = $1 AND g.id = s.id
RETURNING g.id;
