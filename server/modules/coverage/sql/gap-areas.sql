-- The uncovered residential area: for each grid with uncovered people, the grid outline less
-- the service areas of the counting stations (circles, or by network the walking areas), kept only where it holds an uncovered building
-- (so empty fields and roads beside a covered neighbourhood are not painted as gaps).
-- This builds geometry for drawing only; the figures come from building-coverage.sql.
-- $6 grid ids with uncovered buildings, $7 the uncovered building ids.
WITH {{counting}},
areas AS MATERIALIZED (
  SELECT {{area}} AS geom
  FROM counting c {{area_join}}
),
uncovered AS (
  SELECT b.id, b.geom FROM building b WHERE b.id = ANY ($7::bigint[])
),
remaining AS (
  SELECT g.id, g.code,
         ST_Difference(g.geom, coalesce(
           (SELECT ST_Union(a.geom) FROM areas a WHERE a.geom && g.geom AND ST_Intersects(a.geom, g.geom)),
           'POLYGON EMPTY'::geometry(Polygon, 4326))) AS geom
  FROM grid g
  WHERE g.id = ANY ($6::bigint[])
),
parts AS (
  SELECT r.code, (ST_Dump(r.geom)).geom AS geom FROM remaining r
),
kept AS (
  SELECT p.code, p.geom, count(u.id) AS n
  FROM parts p JOIN uncovered u ON p.geom && u.geom AND ST_Covers(p.geom, u.geom)
  GROUP BY p.code, p.geom
)
SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
  'type', 'Feature',
  'geometry', ST_AsGeoJSON(k.geom, 6)::json,
  'properties', json_build_object('gridCode', k.code, 'areaSquareMeters', round(ST_Area(k.geom::geography)), 'uncoveredBuildings', k.n)
) ORDER BY k.code), '[]'::json))::text AS collection
FROM kept k;
