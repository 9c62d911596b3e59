-- Tile of residential buildings and compounds for staff: kind, name and population figures.
-- $1 z, $2 x, $3 y, $4 the most features (the most populous kept first).
-- Same shape as areas.sql; points need no simplification.
WITH bounds AS (
  SELECT ST_TileEnvelope($1, $2, $3) AS mercator,
         ST_Transform(ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096), 4326) AS box
),
features AS (
  SELECT b.id, b.name, b.kind, b.households, b.residents,
         b.residents_60_plus AS "residents60Plus", b.residents_80_plus AS "residents80Plus",
         ST_AsMVTGeom(ST_Transform(b.geom, 3857), t.mercator, 4096, 64, true) AS geom
  FROM building b, bounds t
  WHERE b.retired_at IS NULL AND b.geom && t.box
  ORDER BY b.residents DESC, b.id
  LIMIT $4
)
SELECT coalesce(ST_AsMVT(features, 'buildings', 4096, 'geom', 'id'), ''::bytea) AS tile, count(*)::int AS features
FROM features
WHERE geom IS NOT NULL;
