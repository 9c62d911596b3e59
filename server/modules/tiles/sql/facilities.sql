-- Tile of the facilities. The public (and any caller when $5 is false) gets public, open
-- facilities with their public fields only; staff ($5 true) also get facilities hidden from the
-- public, their capacity and whether they are public. Services as one comma-separated string
-- (MVT values are scalars).
-- $1 z, $2 x, $3 y, $4 the most features (public ones, then by id), $5 staff.
-- Same shape as areas.sql; points need no simplification.
WITH bounds AS (
  SELECT ST_TileEnvelope($1, $2, $3) AS mercator,
         ST_Transform(ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096), 4326) AS box
),
candidates AS (
  SELECT f.*
  FROM facility f, bounds t
  WHERE f.geom && t.box
    AND f.retired_at IS NULL
    AND (f.is_public OR $5)
  ORDER BY f.is_public DESC, f.id
  LIMIT $4
),
public_features AS (
  SELECT c.id, c.facility_type AS "facilityType", c.name, array_to_string(c.services, ',') AS services,
         ST_AsMVTGeom(ST_Transform(c.geom, 3857), t.mercator, 4096, 64, true) AS geom
  FROM candidates c, bounds t
  WHERE NOT $5
),
staff_features AS (
  SELECT c.id, c.facility_type AS "facilityType", c.name, array_to_string(c.services, ',') AS services,
         c.capacity, c.is_public AS "isPublic",
         ST_AsMVTGeom(ST_Transform(c.geom, 3857), t.mercator, 4096, 64, true) AS geom
  FROM candidates c, bounds t
  WHERE $5
)
SELECT CASE WHEN $5
         THEN (SELECT coalesce(ST_AsMVT(s, 'facilities', 4096, 'geom', 'id'), ''::bytea) FROM staff_features s WHERE s.geom IS NOT NULL)
         ELSE (SELECT coalesce(ST_AsMVT(p, 'facilities', 4096, 'geom', 'id'), ''::bytea) FROM public_features p WHERE p.geom IS NOT NULL)
       END AS tile,
       (SELECT count(*) FROM candidates)::int AS features;
