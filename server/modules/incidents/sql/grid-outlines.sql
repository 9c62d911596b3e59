-- Live grids as GeoJSON for the choropleth and hotspot layers (outlines only; the figures come
-- per filter from by-grid.sql). $1 the caller's scope (area code prefix) or NULL.
SELECT json_build_object(
  'type', 'FeatureCollection',
  'features', coalesce(json_agg(json_build_object(
    'type', 'Feature', 'id', g.id,
    'geometry', ST_AsGeoJSON(g.geom, 6)::json,
    'properties', json_build_object('id', g.id, 'code', g.code, 'name', g.name, 'communityCode', g.community_code, 'residents', g.residents)
  ) ORDER BY g.code), '[]'::json)
)::text AS collection
FROM grid g
WHERE g.retired_at IS NULL AND ($1::text IS NULL OR g.community_code LIKE $1 || '%');
