-- A facility's service area as stored: with a walking network loaded (walk_network_ready()), its
-- walking area (facility_walk_area, kept current by migration 022's triggers: the roads reached in
-- its type's walking time, buffered); otherwise its circle (facility_service_area, migration 006):
-- a true metric buffer (geography, metres) of its type's radius, labelled as straight-line.
-- $1 facility id, $2 whether the caller is staff, $3 true: the circle even with a network.
SELECT f.id, f.facility_type,
       CASE WHEN w.facility_id IS NOT NULL THEN round(w.reach_meters)::int ELSE a.radius_meters END AS service_radius_meters,
       CASE WHEN w.facility_id IS NOT NULL THEN 'network' ELSE 'straight_line' END AS method,
       w.walk_minutes,
       ST_AsGeoJSON(coalesce(w.geom, a.geom), 6)::json AS geometry
FROM facility f
JOIN facility_service_area a ON a.facility_id = f.id
LEFT JOIN facility_walk_area w ON w.facility_id = f.id AND NOT $3::boolean AND walk_network_ready()
WHERE f.id = $1 AND f.retired_at IS NULL AND (f.is_public OR $2);
