-- What keeps an area from being retired: its live grids (of it or of any community under it)
-- and its live child areas, by code and name. $1 code.
SELECT 'grid' AS kind, g.code, g.name FROM grid g
WHERE g.retired_at IS NULL AND g.community_code LIKE $1 || '%'
UNION ALL
SELECT 'area', a.code, a.name FROM admin_area a
WHERE a.retired_at IS NULL AND a.parent_code = $1
ORDER BY 1, 2;
