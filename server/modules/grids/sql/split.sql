-- The parts of grid $1 cut by the line $2 (GeoJSON), largest first, with the figures of the
-- buildings inside each part (a building belongs to the part that covers its point).
WITH g AS (
  SELECT geom FROM grid WHERE id = $1
),
blade AS (
  SELECT ST_Force2D(ST_SetSRID(ST_GeomFromGeoJSON($2), 4326)) AS line
),
part AS (
  SELECT (ST_Dump(ST_CollectionExtract(ST_Split(g.geom, blade.line), 3))).geom AS geom FROM g, blade
)
SELECT ST_AsEWKB(ST_Multi(p.geom)) AS ewkb, ST_Area(p.geom::geography) AS area_m2,
       coalesce(b.households, 0) AS households, coalesce(b.residents, 0) AS residents,
       coalesce(b.residents_60_plus, 0) AS residents_60_plus, coalesce(b.residents_80_plus, 0) AS residents_80_plus
FROM part p
LEFT JOIN LATERAL (
  SELECT sum(households) AS households, sum(residents) AS residents,
         sum(residents_60_plus) AS residents_60_plus, sum(residents_80_plus) AS residents_80_plus
  FROM building WHERE building.retired_at IS NULL AND building.geom && p.geom AND ST_Covers(p.geom, building.geom)
) b ON true
ORDER BY area_m2 DESC;
