-- Tile of residential buildings and compounds. Staff ($5 true) get the name and population
-- figures; anyone else only where a building is and its kind (building | compound): the ground
-- under the public map, never a figure.
-- $1 z, $2 x, $3 y, $4 the most features (the most populous kept first), $5 staff.
-- Same shape as areas.sql; points need no simplification.
WITH bounds AS (
  SELECT ST_TileEnvelope($1, $2, $3) AS mercator,
         ST_Transform(ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096), 4326) AS box
),
candidates AS (
  SELECT b.*
  FROM building b, bounds t
  WHERE b.retired_at IS NULL AND b.geom && t.box
  ORDER BY b.residents DESC, b.id
  LIMIT $4
),
public_features AS (
  SELECT c.id, c.kind, ST_AsMVTGeom(ST_Transform(c.geom, 3857), t.mercator, 4096, 64, true) AS geom
  FROM candidates c, bounds t
  WHERE NOT $5
),
staff_features AS (
  SELECT c.id, c.name, c.kind, c.households, c.residents,
         c.residents_60_plus AS "residents60Plus", c.residents_80_plus AS "residents80Plus",
         ST_AsMVTGeom(ST_Transform(c.geom, 3857), t.mercator, 4096, 64, true) AS geom
  FROM candidates c, bounds t
  WHERE $5
)
SELECT CASE WHEN $5
         THEN (SELECT coalesce(ST_AsMVT(s, 'buildings', 4096, 'geom', 'id'), ''::bytea) FROM staff_features s WHERE s.geom IS NOT NULL)
         ELSE (SELECT coalesce(ST_AsMVT(p, 'buildings', 4096, 'geom', 'id'), ''::bytea) FROM public_features p WHERE p.geom IS NOT NULL)
       END AS tile,
       (SELECT count(*) FROM candidates)::int AS features;
