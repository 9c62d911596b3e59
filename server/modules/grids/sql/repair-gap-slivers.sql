-- Step 3 of the sliver repair (see repair-slivers.sql): gaps in community $1 under $2 m², each
-- joined to the neighbouring grid with which it shares the longest boundary.
WITH gap AS (
  SELECT (ST_Dump(ST_CollectionExtract(ST_Difference(a.geom, u.geom), 3))).geom AS geom
  FROM admin_area a,
       LATERAL (SELECT ST_Union(geom) AS geom FROM grid WHERE community_code = $1 AND retired_at IS NULL) u
  WHERE a.code = $1 AND u.geom IS NOT NULL
),
sliver AS (
  SELECT geom FROM gap WHERE ST_Area(geom::geography) < $2
),
owner AS (
  SELECT DISTINCT ON (s.geom) s.geom AS sliver, g.id
  FROM sliver s
  JOIN grid g ON g.community_code = $1 AND g.retired_at IS NULL AND g.geom && ST_Expand(s.geom, 1e-7)
  ORDER BY s.geom, ST_Length(ST_Intersection(ST_Boundary(s.geom), ST_Buffer(g.geom, 1e-8))) DESC
)
UPDATE grid g SET geom = ST_Multi(ST_CollectionExtract(ST_Union(g.geom, o.slivers), 3))
FROM (SELECT id, ST_Union(sliver) AS slivers FROM owner GROUP BY id) o
WHERE g.id = o.id
RETURNING g.id;
