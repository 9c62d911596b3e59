-- The service areas of the counting stations as GeoJSON: the stored circles of existing
-- facilities, and for proposed stations the same metric buffer computed on the fly; by network,
-- the stored walking areas and for proposed stations the walk computed the same way
-- (the area and its join are filled in by coverage-repository.ts, AREA_SQL).
-- $6, $7 the proposals' types and labels; $8 true: the proposed stations' areas only (a map
-- draws the existing ones from the facility tiles).
WITH {{counting}}
SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
  'type', 'Feature',
  'geometry', ST_AsGeoJSON({{area}}, 6)::json,
  'properties', json_build_object(
    'facilityId', c.facility_id,
    'proposalIndex', c.proposal_index,
    'facilityType', coalesce(f.facility_type, ($6::text[])[c.proposal_index + 1]),
    'name', coalesce(f.name, ($7::text[])[c.proposal_index + 1]),
    'radiusMeters', c.r::int,
    'method', {{method}}
  )
) ORDER BY c.facility_id NULLS LAST, c.proposal_index), '[]'::json))::text AS collection
FROM counting c
LEFT JOIN facility f ON f.id = c.facility_id
{{area_join}}
WHERE NOT $8::boolean OR c.facility_id IS NULL;
