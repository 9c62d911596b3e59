-- The report's hotspot map: the live grids of the area (and the caller's scope) and the areas
-- one level down, simplified for a printed page (2 m tolerance in EPSG:4545, where an A4 map
-- of a district puts about 50 m in a millimetre), as GeoJSON geometries with 6 decimals.
-- $1 area prefix or NULL, $2 the caller's scope or NULL, $3 the level of the areas drawn.
SELECT json_build_object(
  'grids', (SELECT coalesce(json_agg(json_build_object(
              'code', g.code, 'name', g.name,
              'geometry', ST_AsGeoJSON(ST_Transform(ST_SimplifyPreserveTopology(ST_Transform(g.geom, 4545), 2), 4326), 6)::json
            ) ORDER BY g.code), '[]'::json)
            FROM grid g
            WHERE g.retired_at IS NULL
              AND ($1::text IS NULL OR g.community_code LIKE $1 || '%')
              AND ($2::text IS NULL OR g.community_code LIKE $2 || '%')),
  'areas', (SELECT coalesce(json_agg(json_build_object(
              'code', a.code, 'name', a.name,
              'geometry', ST_AsGeoJSON(ST_Transform(ST_SimplifyPreserveTopology(ST_Transform(a.geom, 4545), 2), 4326), 6)::json
            ) ORDER BY a.code), '[]'::json)
            FROM admin_area a
            WHERE a.level = $3 AND a.geom IS NOT NULL AND a.retired_at IS NULL
              AND ($1::text IS NULL OR a.code LIKE $1 || '%')
              AND ($2::text IS NULL OR a.code LIKE $2 || '%' OR $2 LIKE a.code || '%'))
)::text AS map;
