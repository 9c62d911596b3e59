-- Closed-loop indicators of one period [$1, $2) per unit of a level, as of $3 (the earlier of
-- the period's end and now):
--   reported        incidents reported in the period (and their current states);
--   due             incidents, not returned, whose deadline fell in [$1, $3) (应结案数);
--   closed          of those, closed (结案数; 结案率 = closed / due);
--   closed_on_time  of those, closed no later than the deadline (按期结案率 = … / due);
--   overdue_open    of those, still open;
--   handling hours  mean report-to-closure time of incidents closed in the period.
-- $4 category codes or NULL, $5 area prefix or NULL, $6 the caller's scope or NULL,
-- $7 level: 'grid' | 'community' | 'street' | 'district' | 'city' (each district, or the city above them),
--    or 'category' (per top-level category, for the report's table by category).
WITH scoped AS (
  SELECT i.*,
         CASE $7 WHEN 'grid' THEN g.code WHEN 'community' THEN i.community_code
                 WHEN 'street' THEN left(i.community_code, 9) WHEN 'city' THEN left(i.community_code, 4)
                 WHEN 'category' THEN i.category
                 ELSE left(i.community_code, 6) END AS unit
  FROM incident i
  LEFT JOIN grid g ON g.id = i.grid_id
  WHERE ($4::text[] IS NULL OR i.category = ANY ($4))
    AND ($5::text IS NULL OR (length($5) = 15 AND g.code = $5) OR (length($5) < 15 AND i.community_code LIKE $5 || '%'))
    AND ($6::text IS NULL OR i.community_code LIKE $6 || '%')
    AND ((i.reported_at >= $1 AND i.reported_at < $2)
         OR (i.due_at >= $1 AND i.due_at < $3)
         OR (i.closed_at >= $1 AND i.closed_at < $2))
), per_unit AS (
  SELECT unit,
         count(*) FILTER (WHERE reported_at >= $1 AND reported_at < $2)::int AS reported,
         count(*) FILTER (WHERE reported_at >= $1 AND reported_at < $2 AND status = 'reported')::int AS s_reported,
         count(*) FILTER (WHERE reported_at >= $1 AND reported_at < $2 AND status = 'accepted')::int AS s_accepted,
         count(*) FILTER (WHERE reported_at >= $1 AND reported_at < $2 AND status = 'dispatched')::int AS s_dispatched,
         count(*) FILTER (WHERE reported_at >= $1 AND reported_at < $2 AND status = 'handling')::int AS s_handling,
         count(*) FILTER (WHERE reported_at >= $1 AND reported_at < $2 AND status = 'verifying')::int AS s_verifying,
         count(*) FILTER (WHERE reported_at >= $1 AND reported_at < $2 AND status = 'closed')::int AS s_closed,
         count(*) FILTER (WHERE reported_at >= $1 AND reported_at < $2 AND status = 'returned')::int AS s_returned,
         count(*) FILTER (WHERE status <> 'returned' AND due_at >= $1 AND due_at < $3)::int AS due,
         count(*) FILTER (WHERE status <> 'returned' AND due_at >= $1 AND due_at < $3 AND closed_at IS NOT NULL)::int AS closed,
         count(*) FILTER (WHERE status <> 'returned' AND due_at >= $1 AND due_at < $3 AND closed_at <= due_at)::int AS closed_on_time,
         count(*) FILTER (WHERE status <> 'returned' AND due_at >= $1 AND due_at < $3 AND closed_at IS NULL)::int AS overdue_open,
         avg(extract(epoch FROM closed_at - reported_at) / 3600.0) FILTER (WHERE closed_at >= $1 AND closed_at < $2)::float8 AS mean_handling_hours
  FROM scoped
  WHERE unit IS NOT NULL
  GROUP BY unit
)
SELECT * FROM per_unit;
