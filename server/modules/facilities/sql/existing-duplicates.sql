-- For each imported row, a live facility of the same name and type within $5 metres, if any:
-- importing the same list twice must not create every station twice.
-- $1 longitudes, $2 latitudes, $3 names, $4 type codes (same order), $5 distance in metres.
WITH p AS (
  SELECT ord, name, ftype, ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography AS g
  FROM unnest($1::float8[], $2::float8[], $3::text[], $4::text[]) WITH ORDINALITY AS t(lon, lat, name, ftype, ord)
)
SELECT p.ord::int AS position, f.id AS "facilityId", round(ST_Distance(f.geom::geography, p.g)) AS "distanceMeters"
FROM p
JOIN LATERAL (
  SELECT f.id, f.geom FROM facility f
  WHERE f.retired_at IS NULL AND f.name = p.name AND f.facility_type = p.ftype
    AND ST_DWithin(f.geom::geography, p.g, $5)
  ORDER BY f.geom::geography <-> p.g
  LIMIT 1
) f ON true
ORDER BY p.ord;
