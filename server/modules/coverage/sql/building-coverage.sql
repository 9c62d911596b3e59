-- Every building with its place (grid, community) and whether it is covered: within the
-- walking radius of at least one counting station, measured on the spheroid (see building-cover.sql).
-- $1 type codes, $2 removed facility ids, $3 proposed longitudes, $4 latitudes, $5 radii (m).
WITH {{cover}}
SELECT c.id, c.residents, c.r60, c.r80, g.id AS grid_id, coalesce(g.community_code, c.outside_community) AS community_code, c.covered
FROM building_cover c
LEFT JOIN grid g ON g.code = c.grid_code
ORDER BY c.id;
