-- The first version row of grids that were loaded (demo, earlier import) before any change was
-- recorded: written lazily, just before their first change, as 'original'.
-- (Joins rather than correlated subqueries: on Citus, grid is a reference table and grid_staff /
-- grid_version are coordinator tables, joined on the coordinator.)
INSERT INTO grid_version (grid_id, version, code, name, community_code, grid_type, dedicated_kind, geom,
                          households, residents, residents_60_plus, residents_80_plus, staff, retired,
                          action, reason, changed_at)
SELECT g.id, g.version, g.code, g.name, g.community_code, g.grid_type, g.dedicated_kind, g.geom,
       g.households, g.residents, g.residents_60_plus, g.residents_80_plus,
       coalesce(st.staff, '[]'::jsonb),
       g.retired_at IS NOT NULL, 'original', '', g.updated_at
FROM grid g
LEFT JOIN (
  SELECT s.grid_id, jsonb_agg(jsonb_build_object('role', s.role, 'name', s.name, 'phone', s.phone, 'userId', s.user_id) ORDER BY s.role, s.id) AS staff
  FROM grid_staff s WHERE s.grid_id = ANY($1::bigint[]) GROUP BY s.grid_id
) st ON st.grid_id = g.id
LEFT JOIN grid_version v ON v.grid_id = g.id AND v.version = g.version
WHERE g.id = ANY($1::bigint[])
  AND v.grid_id IS NULL;
