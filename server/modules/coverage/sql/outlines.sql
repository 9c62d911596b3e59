-- Outlines to draw the choropleth on: live grids, or the areas of one level.
-- $1 level: 'grid' | 'community' | 'street' | 'district'.
SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(s.f ORDER BY s.code), '[]'::json))::text AS collection
FROM (
  SELECT g.code, json_build_object('type', 'Feature', 'id', g.code, 'geometry', ST_AsGeoJSON(g.geom, 6)::json,
           'properties', json_build_object('code', g.code, 'name', g.name, 'parentCode', g.community_code, 'kind', a.kind)) AS f
  FROM grid g JOIN admin_area a ON a.code = g.community_code
  WHERE $1 = 'grid' AND g.retired_at IS NULL
  UNION ALL
  SELECT a.code, json_build_object('type', 'Feature', 'id', a.code, 'geometry', ST_AsGeoJSON(a.geom, 6)::json,
           'properties', json_build_object('code', a.code, 'name', a.name, 'parentCode', a.parent_code, 'kind', a.kind))
  FROM admin_area a
  WHERE a.level = $1
) s(code, f);
