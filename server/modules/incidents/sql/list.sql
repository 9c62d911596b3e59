-- The incident list: the filtered incidents, optionally only those in one hexagon cell (the same
-- cell rule as hexagons.sql), narrowed by overdue and a text, sorted, with the total.
-- $1..$7 the filter; $8 hexagon size or NULL, $9 i, $10 j; $11 limit, $12 offset;
-- $13 overdue: true (only overdue), false (only not overdue) or NULL;
-- $14 text or NULL: in the ticket number, description, grid code/name or community name
--     (a plain substring, case-insensitive: no LIKE wildcards from the request);
-- $15 sort key: 'reportedAt' | 'dueAt' | 'closedAt' | 'category' | 'status' | 'grid'; $16 descending.
-- The sort key picks one of the CASE expressions below; the others are NULL for every row.
WITH listed AS (
  SELECT i.id, i.external_id, i.category, i.sub_category, i.source, i.status,
         i.reported_at, i.due_at, i.closed_at, i.description,
         ST_X(i.geom) AS lon, ST_Y(i.geom) AS lat,
         -- A returned incident (never closed) is not overdue: coalesce the NULL of its comparison.
         coalesce(i.closed_at > i.due_at OR (i.closed_at IS NULL AND i.status <> 'returned' AND now() > i.due_at), false) AS overdue,
         g.code AS grid_code, g.name AS grid_name, c.name AS community_name
  FROM incident_filtered($1, $2, $3, $4, $5, $6, $7) i
  LEFT JOIN grid g ON g.id = i.grid_id
  LEFT JOIN admin_area c ON c.code = i.community_code
  WHERE ($8::float8 IS NULL OR (
          i.geom_metric && ST_SetSRID(ST_Hexagon($8::float8, $9::int, $10::int), 4545)
          AND EXISTS (SELECT 1 FROM incident_hex_cell(ST_X(i.geom_metric), ST_Y(i.geom_metric), $8::float8) h WHERE h.i = $9 AND h.j = $10)))
    AND ($14::text IS NULL
         OR strpos(lower(coalesce(i.external_id, '') || ' ' || i.description || ' ' || coalesce(g.code, '') || ' ' || coalesce(g.name, '') || ' ' || coalesce(c.name, '')), lower($14)) > 0)
)
SELECT l.*, count(*) OVER () AS total
FROM listed l
WHERE $13::boolean IS NULL OR l.overdue = $13
ORDER BY
  CASE WHEN $15 = 'reportedAt' AND $16 THEN l.reported_at END DESC,
  CASE WHEN $15 = 'reportedAt' AND NOT $16 THEN l.reported_at END ASC,
  CASE WHEN $15 = 'dueAt' AND $16 THEN l.due_at END DESC,
  CASE WHEN $15 = 'dueAt' AND NOT $16 THEN l.due_at END ASC,
  CASE WHEN $15 = 'closedAt' AND $16 THEN l.closed_at END DESC NULLS LAST,
  CASE WHEN $15 = 'closedAt' AND NOT $16 THEN l.closed_at END ASC NULLS LAST,
  CASE WHEN $15 = 'category' AND $16 THEN l.category END DESC,
  CASE WHEN $15 = 'category' AND NOT $16 THEN l.category END ASC,
  CASE WHEN $15 = 'status' AND $16 THEN l.status END DESC,
  CASE WHEN $15 = 'status' AND NOT $16 THEN l.status END ASC,
  CASE WHEN $15 = 'grid' AND $16 THEN l.grid_code END DESC NULLS LAST,
  CASE WHEN $15 = 'grid' AND NOT $16 THEN l.grid_code END ASC NULLS LAST,
  l.reported_at DESC, l.id DESC
LIMIT $11 OFFSET $12;
