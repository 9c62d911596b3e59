-- The live areas of one level (optionally the children of one parent) as a GeoJSON
-- FeatureCollection. Built in the database: the outlines are sent as they are stored, 6 decimals
-- (~0.1 m). Only areas with an outline, unless $3 asks for those without one too (geometry null:
-- the /plan tree offers to draw them); retired areas are left out.
SELECT json_build_object(
  'type', 'FeatureCollection',
  'features', coalesce(json_agg(json_build_object(
    'type', 'Feature',
    'id', a.code,
    'geometry', ST_AsGeoJSON(a.geom, 6)::json,
    'properties', json_build_object(
      'code', a.code,
      'name', a.name,
      'level', a.level,
      'parentCode', a.parent_code,
      'kind', a.kind,
      'areaSquareMeters', round(ST_Area(a.geom::geography))
    )
  ) ORDER BY a.code), '[]'::json)
)::text AS collection
FROM admin_area a
WHERE a.level = $1
  AND a.retired_at IS NULL
  AND (a.geom IS NOT NULL OR $3::boolean)
  AND ($2::text IS NULL OR a.parent_code = $2);
