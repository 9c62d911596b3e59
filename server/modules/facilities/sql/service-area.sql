-- A facility's service circle: a true metric buffer (geography, metres) of its type's radius,
-- 16 segments per quarter circle. $1 facility id, $2 whether the caller is staff.
SELECT f.id, f.facility_type, t.service_radius_meters,
       ST_AsGeoJSON(ST_Buffer(f.geom::geography, t.service_radius_meters, 'quad_segs=16')::geometry, 6)::json AS geometry
FROM facility f
JOIN facility_type t ON t.code = f.facility_type
WHERE f.id = $1 AND f.retired_at IS NULL AND (f.is_public OR $2);
