-- The live grids of an area ($1: street or community code) with everything an export holds,
-- in code order. Staff names and phones are included: exports are for the planning roles only.
SELECT g.id, g.code, g.name, g.community_code AS "communityCode", a.name AS "communityName",
       g.grid_type AS "gridType", g.dedicated_kind AS "dedicatedKind", g.households, g.residents,
       g.residents_60_plus AS "residents60Plus", g.residents_80_plus AS "residents80Plus",
       l.name AS "leaderName", l.phone AS "leaderPhone",
       coalesce(m.list, '') AS managers, coalesce(m.n, 0)::int AS "managerCount",
       round(ST_Area(g.geom::geography))::float8 AS "areaSquareMeters",
       ST_AsGeoJSON(g.geom, 15)::json AS geometry
FROM grid g
JOIN admin_area a ON a.code = g.community_code
LEFT JOIN LATERAL (
  SELECT s.name, s.phone FROM grid_staff s WHERE s.grid_id = g.id AND s.role = 'leader' LIMIT 1
) l ON true
LEFT JOIN LATERAL (
  SELECT string_agg(s.name || coalesce(' ' || s.phone, ''), '；' ORDER BY s.id) AS list, count(*) AS n
  FROM grid_staff s WHERE s.grid_id = g.id AND s.role = 'manager'
) m ON true
WHERE g.retired_at IS NULL AND g.community_code LIKE $1 || '%'
ORDER BY g.code;
