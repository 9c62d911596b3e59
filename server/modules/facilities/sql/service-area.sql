-- A facility's service circle as stored (facility_service_area, kept current by the triggers of
-- migration 006): a true metric buffer (geography, metres) of its type's walking radius.
-- $1 facility id, $2 whether the caller is staff.
SELECT f.id, f.facility_type, a.radius_meters AS service_radius_meters,
       ST_AsGeoJSON(a.geom, 6)::json AS geometry
FROM facility f
JOIN facility_service_area a ON a.facility_id = f.id
WHERE f.id = $1 AND f.retired_at IS NULL AND (f.is_public OR $2);
