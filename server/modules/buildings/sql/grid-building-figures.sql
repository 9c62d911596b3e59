-- The live buildings of live grids $1, added up per grid. A building counts where its point lies;
-- one on a shared boundary belongs to the grid with the lowest code (as coverage and incidents
-- place it), so that no building is counted twice. Grids without buildings have buildings = 0.
SELECT g.id, count(b.id)::int AS buildings,
       coalesce(sum(b.households), 0)::int AS households, coalesce(sum(b.residents), 0)::int AS residents,
       coalesce(sum(b.residents_60_plus), 0)::int AS "residents60Plus", coalesce(sum(b.residents_80_plus), 0)::int AS "residents80Plus"
FROM grid g
LEFT JOIN building b
  ON b.retired_at IS NULL AND b.geom && g.geom AND ST_Covers(g.geom, b.geom)
 AND NOT EXISTS (SELECT 1 FROM grid o WHERE o.retired_at IS NULL AND o.code < g.code AND o.geom && b.geom AND ST_Covers(o.geom, b.geom))
WHERE g.id = ANY ($1::bigint[]) AND g.retired_at IS NULL
GROUP BY g.id
ORDER BY g.id;
