-- One facility as staff edit it (retired ones too), with its stored service area's radius.
-- $1 facility id.
SELECT f.id, f.facility_type AS "facilityType", f.name, f.address,
       ST_X(f.geom) AS lon, ST_Y(f.geom) AS lat,
       f.phone, f.opening_hours AS "openingHours", f.services, f.capacity, f.is_public AS "isPublic",
       f.version,
       to_json(f.created_at) #>> '{}' AS "createdAt",
       to_json(f.updated_at) #>> '{}' AS "updatedAt",
       to_json(f.retired_at) #>> '{}' AS "retiredAt",
       coalesce(a.radius_meters, t.service_radius_meters) AS "serviceRadiusMeters"
FROM facility f
JOIN facility_type t ON t.code = f.facility_type
LEFT JOIN facility_service_area a ON a.facility_id = f.id
WHERE f.id = $1;
