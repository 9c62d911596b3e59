-- The report's overdue list (超期未结): incidents whose deadline passed before $1 (the period's
-- end, or now if earlier) and that are still open (not closed, not returned), longest overdue
-- first; no reporter's personal data. $2 area prefix or NULL, $3 the caller's scope or NULL,
-- $4 at most this many rows (the total comes with each row).
SELECT i.id, i.external_id, i.category, i.sub_category, i.source, i.status,
       i.reported_at, i.due_at,
       extract(epoch FROM $1::timestamptz - i.due_at) / 3600.0 AS overdue_hours,
       g.code AS grid_code, g.name AS grid_name,
       c.code AS community_code, c.name AS community_name,
       s.code AS street_code, s.name AS street_name,
       count(*) OVER () AS total
FROM incident i
LEFT JOIN grid g ON g.id = i.grid_id
LEFT JOIN admin_area c ON c.code = i.community_code
LEFT JOIN admin_area s ON s.code = left(i.community_code, 9)
WHERE i.due_at < $1 AND i.closed_at IS NULL AND i.status <> 'returned'
  AND ($2::text IS NULL OR i.community_code LIKE $2 || '%')
  AND ($3::text IS NULL OR i.community_code LIKE $3 || '%')
ORDER BY i.due_at, i.id
LIMIT $4;
