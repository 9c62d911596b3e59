-- The same filtered points as a GeoJSON FeatureCollection: the baseline the benchmark compares
-- the binary forms against. Not served by the API. $1..$7 the filter.
SELECT json_build_object(
  'type', 'FeatureCollection',
  'features', coalesce(json_agg(json_build_object(
    'type', 'Feature', 'id', i.id,
    'geometry', ST_AsGeoJSON(i.geom, 6)::json,
    'properties', json_build_object('id', i.id, 'category', i.category, 'status', i.status)
  )), '[]'::json)
)::text AS collection
FROM incident_filtered($1, $2, $3, $4, $5, $6, $7) i;
