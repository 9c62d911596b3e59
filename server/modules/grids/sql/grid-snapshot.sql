-- Writes the current state of grids $1 as a version row: geometry, attributes and staff, with
-- who ($3, $4) changed them, how ($2) and why ($5). Versions are written through, so the row of
-- the current version always exists once a grid has been changed. (A join rather than a
-- correlated subquery: on Citus, grid is a reference table and grid_staff a coordinator table.)
INSERT INTO grid_version (grid_id, version, code, name, community_code, grid_type, dedicated_kind, geom,
                          households, residents, residents_60_plus, residents_80_plus, staff, retired,
                          action, reason, changed_by, changed_by_username)
SELECT g.id, g.version, g.code, g.name, g.community_code, g.grid_type, g.dedicated_kind, g.geom,
       g.households, g.residents, g.residents_60_plus, g.residents_80_plus,
       coalesce(st.staff, '[]'::jsonb),
       g.retired_at IS NOT NULL, $2, $5, $3, $4
FROM grid g
LEFT JOIN (
  SELECT s.grid_id, jsonb_agg(jsonb_build_object('role', s.role, 'name', s.name, 'phone', s.phone, 'userId', s.user_id) ORDER BY s.role, s.id) AS staff
  FROM grid_staff s WHERE s.grid_id = ANY($1::bigint[]) GROUP BY s.grid_id
) st ON st.grid_id = g.id
WHERE g.id = ANY($1::bigint[])
ON CONFLICT (grid_id, version) DO NOTHING;
