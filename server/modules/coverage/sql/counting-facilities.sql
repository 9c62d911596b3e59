-- The live facilities of the counting types as points, marking the ones a what-if removes.
-- $1 type codes, $2 removed ids, $3 true: the removed ones only (a map draws the others from the
-- facility tiles and needs only the names of those it lists as removed).
SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
  'type', 'Feature',
  'id', f.id,
  'geometry', ST_AsGeoJSON(f.geom, 6)::json,
  'properties', json_build_object('id', f.id, 'name', f.name, 'facilityType', f.facility_type,
                                  'removed', f.id = ANY ($2::bigint[]), 'radiusMeters', a.radius_meters)
) ORDER BY f.id), '[]'::json))::text AS collection
FROM facility f
JOIN facility_service_area a ON a.facility_id = f.id
WHERE f.retired_at IS NULL AND f.facility_type = ANY ($1::text[])
  AND (NOT $3::boolean OR f.id = ANY ($2::bigint[]));
