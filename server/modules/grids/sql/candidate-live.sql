-- The live grids of the communities $1 as validation candidates, with their staff counted grid
-- by grid (through grid_staff_grid_idx: counting all of grid_staff first took 0.1 s at 100,000
-- staff). A live grid is valid (grid_geom_check), so it is its own repaired form.
INSERT INTO pg_temp.grid_candidate (key, id, code, name, community_code, grid_type, dedicated_kind, geom,
                                    households, residents, leader_count, manager_count, is_valid, vgeom)
SELECT g.id::text, g.id, g.code, g.name, g.community_code, g.grid_type, g.dedicated_kind, g.geom,
       g.households, g.residents,
       coalesce(s.leaders, 0), coalesce(s.managers, 0), true, g.geom
FROM grid g
CROSS JOIN LATERAL (
  SELECT count(*) FILTER (WHERE role = 'leader') AS leaders, count(*) FILTER (WHERE role = 'manager') AS managers
  FROM grid_staff WHERE grid_id = g.id
) s
WHERE g.retired_at IS NULL AND g.community_code = ANY($1::text[]);
