-- The nearest live facilities to a point, by great-circle distance in metres.
-- The geography KNN operator (<->) walks facility_geog_idx, so this stays fast at city scale.
-- $1 lon, $2 lat, $3 type (or NULL), $4 limit, $5 whether the caller is staff.
WITH here AS (
  SELECT ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography AS g
)
SELECT f.id, f.facility_type, f.name, f.address, f.phone, f.opening_hours, f.services,
       f.capacity, f.is_public,
       ST_X(f.geom) AS lon, ST_Y(f.geom) AS lat,
       ST_Distance(f.geom::geography, here.g) AS distance_meters,
       t.service_radius_meters
FROM facility f
JOIN facility_type t ON t.code = f.facility_type
CROSS JOIN here
WHERE f.retired_at IS NULL
  AND (f.is_public OR $5)
  AND ($3::text IS NULL OR f.facility_type = $3)
ORDER BY f.geom::geography <-> here.g
LIMIT $4;
