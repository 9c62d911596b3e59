-- Live facilities as a FeatureCollection, filtered by type list, service, a text search and id.
-- $1 type codes (text[] or NULL), $2 service (or NULL), $3 search text (or NULL),
-- $4 whether the caller is staff: the public sees public facilities and public fields only,
-- $5 one facility id (or NULL).
-- Staff also get the community a facility lies in (for the list on /facilities).
SELECT json_build_object(
  'type', 'FeatureCollection',
  'features', coalesce(json_agg(json_build_object(
    'type', 'Feature',
    'id', f.id,
    'geometry', ST_AsGeoJSON(f.geom, 6)::json,
    'properties', json_build_object(
      'id', f.id,
      'facilityType', f.facility_type,
      'name', f.name,
      'address', f.address,
      'phone', f.phone,
      'openingHours', f.opening_hours,
      'services', to_json(f.services)
    )::jsonb || CASE WHEN $4 THEN jsonb_build_object('capacity', f.capacity, 'isPublic', f.is_public, 'communityCode', c.code, 'communityName', c.name) ELSE '{}'::jsonb END
  ) ORDER BY f.facility_type, f.id), '[]'::json)
)::text AS collection
FROM facility f
LEFT JOIN LATERAL (
  SELECT a.code, a.name FROM admin_area a
   WHERE $4 AND a.level = 'community' AND a.retired_at IS NULL AND a.geom IS NOT NULL AND ST_Covers(a.geom, f.geom)
   ORDER BY a.code LIMIT 1
) c ON true
WHERE f.retired_at IS NULL
  AND (f.is_public OR $4)
  AND ($1::text[] IS NULL OR f.facility_type = ANY ($1))
  AND ($2::text IS NULL OR $2 = ANY (f.services))
  AND ($3::text IS NULL OR strpos(f.name, $3) > 0 OR strpos(f.address, $3) > 0)
  AND ($5::int IS NULL OR f.id = $5);
