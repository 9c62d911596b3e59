-- The live grids of the communities $1 as validation candidates.
INSERT INTO pg_temp.grid_candidate (key, id, code, name, community_code, grid_type, dedicated_kind, geom,
                                    households, residents, leader_count, manager_count)
SELECT g.id::text, g.id, g.code, g.name, g.community_code, g.grid_type, g.dedicated_kind, g.geom,
       g.households, g.residents,
       coalesce(s.leaders, 0), coalesce(s.managers, 0)
FROM grid g
LEFT JOIN (
  SELECT grid_id, count(*) FILTER (WHERE role = 'leader') AS leaders, count(*) FILTER (WHERE role = 'manager') AS managers
  FROM grid_staff GROUP BY grid_id
) s ON s.grid_id = g.id
WHERE g.retired_at IS NULL AND g.community_code = ANY($1::text[]);
