-- The live hierarchy as a flat list (city → district → street → community, in code order) with
-- what each needs next: whether it has an outline yet and where it came from, and its live grids
-- (a street, district or city counts the grids of the communities under it: the grids are counted
-- per community once and added up by code prefix, so a city of thousands of areas costs one pass).
WITH per_community AS (
  SELECT community_code AS code, count(*)::int AS n FROM grid WHERE retired_at IS NULL GROUP BY community_code
), rolled_up AS (
  SELECT code, n FROM per_community
  UNION ALL SELECT left(code, 9), n FROM per_community
  UNION ALL SELECT left(code, 6), n FROM per_community
  UNION ALL SELECT left(code, 4), n FROM per_community
), totals AS (
  SELECT code, sum(n)::int AS n FROM rolled_up GROUP BY code
)
SELECT a.code, a.name, a.level, a.parent_code, a.kind, a.township_kind, a.urban_rural_class,
       a.geom IS NOT NULL AS has_outline, a.outline_source, a.version,
       coalesce(t.n, 0) AS live_grids
FROM admin_area a
LEFT JOIN totals t ON t.code = a.code
WHERE a.retired_at IS NULL
ORDER BY a.code;
