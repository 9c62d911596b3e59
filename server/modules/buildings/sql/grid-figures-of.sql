-- The figures of grids $1 (live or not), by code: what a building edit shows before and after.
SELECT g.id::int, g.code, g.name, g.community_code AS "communityCode",
       g.households, g.residents, g.residents_60_plus AS "residents60Plus", g.residents_80_plus AS "residents80Plus"
FROM grid g
WHERE g.id = ANY ($1::bigint[])
ORDER BY g.code;
