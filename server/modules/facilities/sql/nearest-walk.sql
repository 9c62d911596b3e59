-- The nearest live facilities to a point by walking along the network (when one is loaded): the
-- straight-line nearest few are candidates (a walk is never shorter than the straight line), each
-- walked with walk_route (joining distances included), ordered by the walk; the route as GeoJSON.
-- A facility that cannot be reached within 3 km (or 3× its straight-line distance) comes last.
-- $1 lon, $2 lat, $3 type (or NULL), $4 limit, $5 whether the caller is staff.
WITH here AS (
  SELECT ST_SetSRID(ST_MakePoint($1, $2), 4326) AS p
), candidates AS (
  SELECT f.*
  FROM facility f, here
  WHERE f.retired_at IS NULL
    AND (f.is_public OR $5)
    AND ($3::text IS NULL OR f.facility_type = $3)
  ORDER BY f.geom::geography <-> here.p::geography
  LIMIT $4 + 10
)
SELECT c.id, c.facility_type, c.name, c.address, c.phone, c.opening_hours, c.services,
       c.capacity, c.is_public,
       ST_X(c.geom) AS lon, ST_Y(c.geom) AS lat,
       ST_Distance(c.geom::geography, here.p::geography) AS distance_meters,
       t.service_radius_meters,
       walk_reach_meters(t.walk_minutes, t.walk_speed_kmh) AS reach_meters,
       t.walk_speed_kmh::float8 AS speed_kmh,
       r.meters AS walking_meters,
       ST_AsGeoJSON(r.geom, 6)::json AS route
FROM candidates c
JOIN facility_type t ON t.code = c.facility_type
CROSS JOIN here
CROSS JOIN LATERAL walk_route(here.p, c.geom, greatest(3000, 3 * ST_Distance(c.geom::geography, here.p::geography))) r
ORDER BY r.meters NULLS LAST, distance_meters, c.id
LIMIT $4;
