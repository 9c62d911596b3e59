-- The live grids of an area ($1: a city (4 digits), district (6), street (9) or community (12)
-- code) as one GeoJSON FeatureCollection (WGS84, RFC 7946), in code order, with everything an
-- export holds. Property names are the ones the grid import recognises, so that an export
-- imports back as the same grids. Staff names and phones are included: grid exports are for
-- the planning roles only.
WITH grids AS (
  SELECT g.id, g.code, g.name, g.community_code, c.name AS community_name,
         substr(g.community_code, 1, 9) AS street_code, s.name AS street_name,
         g.grid_type, g.dedicated_kind, g.households, g.residents, g.residents_60_plus, g.residents_80_plus,
         l.name AS leader_name, l.phone AS leader_phone,
         coalesce(m.list, '') AS managers, coalesce(m.n, 0)::int AS manager_count,
         round(ST_Area(g.geom::geography))::float8 AS area_m2,
         g.geom
  FROM grid g
  JOIN admin_area c ON c.code = g.community_code
  LEFT JOIN admin_area s ON s.code = substr(g.community_code, 1, 9)
  -- The grid leader: one at most (grid_staff allows one leader per grid).
  LEFT JOIN LATERAL (
    SELECT st.name, st.phone FROM grid_staff st WHERE st.grid_id = g.id AND st.role = 'leader' LIMIT 1
  ) l ON true
  -- The grid managers as the import reads them back: "name phone；name phone".
  LEFT JOIN LATERAL (
    SELECT string_agg(st.name || coalesce(' ' || st.phone, ''), '；' ORDER BY st.id) AS list, count(*) AS n
    FROM grid_staff st WHERE st.grid_id = g.id AND st.role = 'manager'
  ) m ON true
  WHERE g.retired_at IS NULL AND g.community_code LIKE $1 || '%'
)
SELECT count(*)::int AS count,
       json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
         'type', 'Feature',
         'id', id,
         -- 15 significant decimals: the export → import round trip keeps every vertex.
         'geometry', ST_AsGeoJSON(geom, 15)::json,
         'properties', json_build_object(
           'code', code, 'name', name, 'communityCode', community_code, 'communityName', community_name,
           'streetCode', street_code, 'streetName', street_name,
           'gridType', grid_type, 'dedicatedKind', dedicated_kind,
           'households', households, 'residents', residents,
           'residents60Plus', residents_60_plus, 'residents80Plus', residents_80_plus,
           'leaderName', leader_name, 'leaderPhone', leader_phone,
           'managers', managers, 'managerCount', manager_count, 'areaSquareMeters', area_m2)
       ) ORDER BY code), '[]'::json))::text AS text
FROM grids;
