-- The uncovered buildings as GeoJSON points, each with the distance to the nearest counting
-- station: the 8 nearest in degrees (a superset of the nearest in metres at these latitudes),
-- then the exact spheroid distance to each.
-- $6 the uncovered building ids, $7 the chosen population: 'all' | 'age60' | 'age80',
-- $8 and $9 their grid and community codes (same order as $6).
WITH {{counting}}
SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
  'type', 'Feature',
  'id', b.id,
  'geometry', ST_AsGeoJSON(b.geom, 6)::json,
  'properties', json_build_object(
    'id', b.id,
    'name', b.name,
    'population', CASE $7::text WHEN 'age60' THEN b.residents_60_plus WHEN 'age80' THEN b.residents_80_plus ELSE b.residents END,
    'residents', b.residents,
    'residents60Plus', b.residents_60_plus,
    'residents80Plus', b.residents_80_plus,
    'gridCode', p.grid_code,
    'communityCode', p.community_code,
    'nearestStationMeters', round(n.d)
  )
) ORDER BY b.id), '[]'::json))::text AS collection
FROM building b
JOIN unnest($6::bigint[], $8::text[], $9::text[]) AS p(id, grid_code, community_code) ON p.id = b.id
LEFT JOIN LATERAL (
  SELECT min(ST_Distance(b.geom::geography, c.g)) AS d FROM (SELECT g FROM counting c ORDER BY c.geom <-> b.geom LIMIT 8) c
) n ON true;
