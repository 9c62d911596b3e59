-- The places figures are given for: live grids, communities/villages, streets, districts and the
-- city above them (when there is a city row), with names, parents and the urban/village kind.
SELECT 'grid' AS level, g.id::text AS key, g.code, g.name, g.community_code AS parent_code, a.kind
FROM grid g JOIN admin_area a ON a.code = g.community_code
WHERE g.retired_at IS NULL
UNION ALL
SELECT level, code, code, name, parent_code, kind
FROM admin_area
WHERE retired_at IS NULL
ORDER BY level, code;
