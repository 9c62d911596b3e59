-- Figures of the areas one level below $1 (the district's streets, a street's communities), or
-- of the area $1 itself when $2: live grids, households, residents, 60+, 80+, grid managers.
WITH area AS (
  SELECT a.code, a.level FROM admin_area a
  WHERE CASE WHEN $2 THEN a.code = $1 ELSE a.parent_code = $1 END
),
grid_figure AS (
  SELECT g.community_code, count(*) AS grids, sum(g.households) AS households, sum(g.residents) AS residents,
         sum(g.residents_60_plus) AS residents_60_plus, sum(g.residents_80_plus) AS residents_80_plus,
         sum((SELECT count(*) FROM grid_staff s WHERE s.grid_id = g.id AND s.role = 'manager')) AS managers
  FROM grid g WHERE g.retired_at IS NULL AND g.community_code LIKE $1 || '%'
  GROUP BY g.community_code
)
SELECT a.code, a.level, coalesce(sum(f.grids), 0)::int AS grids, coalesce(sum(f.households), 0)::int AS households,
       coalesce(sum(f.residents), 0)::int AS residents, coalesce(sum(f.residents_60_plus), 0)::int AS "residents60Plus",
       coalesce(sum(f.residents_80_plus), 0)::int AS "residents80Plus", coalesce(sum(f.managers), 0)::int AS "gridManagers"
FROM area a
LEFT JOIN grid_figure f ON f.community_code LIKE a.code || '%'
GROUP BY a.code, a.level
ORDER BY a.code;
