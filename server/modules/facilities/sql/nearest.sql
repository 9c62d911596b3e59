-- The nearest live facilities to a point, by distance on the spheroid in metres.
-- The geography KNN operator (<->) walks facility_geog_idx, but it measures on a sphere, which
-- can swap two answers a metre apart; so take a few more candidates than asked by KNN and
-- order those by the exact ST_Distance.
-- $1 lon, $2 lat, $3 type (or NULL), $4 limit, $5 whether the caller is staff.
WITH here AS (
  SELECT ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography AS g
), candidates AS (
  SELECT f.*
  FROM facility f, here
  WHERE f.retired_at IS NULL
    AND (f.is_public OR $5)
    AND ($3::text IS NULL OR f.facility_type = $3)
  ORDER BY f.geom::geography <-> here.g
  LIMIT $4 + 10
)
SELECT c.id, c.facility_type, c.name, c.address, c.phone, c.opening_hours, c.services,
       c.capacity, c.is_public,
       ST_X(c.geom) AS lon, ST_Y(c.geom) AS lat,
       ST_Distance(c.geom::geography, here.g) AS distance_meters,
       t.service_radius_meters
FROM candidates c
JOIN facility_type t ON t.code = c.facility_type
CROSS JOIN here
ORDER BY distance_meters, c.id
LIMIT $4;
