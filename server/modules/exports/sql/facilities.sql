-- Live facilities as staff see them, as one GeoJSON FeatureCollection (WGS84), by type and name.
-- $1 type codes (text[] or NULL), $2 search text in name or address (or NULL), $3 a street or
-- community code the facility must stand in (or NULL), $4 the caller's own area (or NULL).
-- Each facility's community is the live community outline that covers its point.
WITH facilities AS (
  SELECT f.id, f.facility_type, t.name_zh AS type_name, f.name, f.address,
         ST_X(f.geom) AS lon, ST_Y(f.geom) AS lat, f.phone, f.opening_hours,
         array_to_string(f.services, '、') AS services, f.capacity, f.is_public,
         c.code AS community_code, c.name AS community_name, f.geom
  FROM facility f
  JOIN facility_type t ON t.code = f.facility_type
  LEFT JOIN LATERAL (
    SELECT a.code, a.name FROM admin_area a
    WHERE a.level = 'community' AND a.retired_at IS NULL AND a.geom IS NOT NULL AND ST_Covers(a.geom, f.geom)
    ORDER BY a.code LIMIT 1
  ) c ON true
  WHERE f.retired_at IS NULL
    AND ($1::text[] IS NULL OR f.facility_type = ANY ($1))
    AND ($2::text IS NULL OR strpos(f.name, $2) > 0 OR strpos(f.address, $2) > 0)
)
SELECT count(*)::int AS count,
       json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
         'type', 'Feature',
         'id', id,
         'geometry', ST_AsGeoJSON(geom, 7)::json,
         'properties', json_build_object(
           'id', id, 'name', name, 'facilityType', facility_type, 'facilityTypeName', type_name,
           'address', address, 'lon', lon, 'lat', lat, 'phone', phone, 'openingHours', opening_hours,
           'services', services, 'capacity', capacity, 'isPublic', is_public,
           'communityCode', community_code, 'communityName', community_name)
       ) ORDER BY facility_type, name, id), '[]'::json))::text AS text
FROM facilities
WHERE ($3::text IS NULL OR community_code LIKE $3 || '%')
  AND ($4::text IS NULL OR community_code LIKE $4 || '%');
