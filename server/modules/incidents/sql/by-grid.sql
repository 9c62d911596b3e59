-- Incidents per live grid for the filter, zeros included, with residents. The units are the live
-- grids of $8 (an area code prefix: the filter's area, or for a grid code its community) and of
-- the caller's scope $7. $1..$7 the filter.
WITH counts AS (
  SELECT i.grid_id, count(*)::int AS n
  FROM incident_filtered($1, $2, $3, $4, $5, $6, $7) i
  GROUP BY i.grid_id
)
SELECT g.id AS grid_id, g.code, g.residents, coalesce(c.n, 0) AS count
FROM grid g
LEFT JOIN counts c ON c.grid_id = g.id
WHERE g.retired_at IS NULL
  AND ($8::text IS NULL OR g.community_code LIKE $8 || '%')
  AND ($7::text IS NULL OR g.community_code LIKE $7 || '%')
ORDER BY g.id;
