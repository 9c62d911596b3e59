-- Incidents per grid or community in two periods with the same other filters: the later
-- ($1, $2) and the earlier ($8, $9). $1..$7 the filter, $10 'grid' | 'community'.
WITH later AS (
  SELECT CASE WHEN $10 = 'grid' THEN g.code ELSE i.community_code END AS code, count(*)::int AS n
  FROM incident_filtered($1, $2, $3, $4, $5, $6, $7) i LEFT JOIN grid g ON g.id = i.grid_id
  GROUP BY 1
), earlier AS (
  SELECT CASE WHEN $10 = 'grid' THEN g.code ELSE i.community_code END AS code, count(*)::int AS n
  FROM incident_filtered($8, $9, $3, $4, $5, $6, $7) i LEFT JOIN grid g ON g.id = i.grid_id
  GROUP BY 1
)
SELECT coalesce(l.code, e.code) AS code,
       coalesce(g.name, a.name, coalesce(l.code, e.code)) AS name,
       coalesce(e.n, 0) AS before, coalesce(l.n, 0) AS after
FROM later l
FULL JOIN earlier e ON e.code = l.code
LEFT JOIN grid g ON $10 = 'grid' AND g.code = coalesce(l.code, e.code)
LEFT JOIN admin_area a ON $10 = 'community' AND a.code = coalesce(l.code, e.code)
WHERE coalesce(l.code, e.code) IS NOT NULL;
