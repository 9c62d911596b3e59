-- Drill-down: the filtered incidents, optionally only those in one hexagon cell (the same cell
-- rule as hexagons.sql), newest first, with the total. $1..$7 the filter, $8 hexagon size or
-- NULL, $9 i, $10 j, $11 limit, $12 offset.
SELECT i.id, i.external_id, i.category, i.sub_category, i.source, i.status,
       i.reported_at, i.due_at, i.closed_at, i.description,
       ST_X(i.geom) AS lon, ST_Y(i.geom) AS lat,
       (i.closed_at > i.due_at OR (i.closed_at IS NULL AND i.status <> 'returned' AND now() > i.due_at)) AS overdue,
       g.code AS grid_code, g.name AS grid_name, c.name AS community_name,
       count(*) OVER () AS total
FROM incident_filtered($1, $2, $3, $4, $5, $6, $7) i
LEFT JOIN grid g ON g.id = i.grid_id
LEFT JOIN admin_area c ON c.code = i.community_code
WHERE $8::float8 IS NULL OR (
  i.geom_metric && ST_SetSRID(ST_Hexagon($8::float8, $9::int, $10::int), 4545)
  AND EXISTS (SELECT 1 FROM incident_hex_cell(ST_X(i.geom_metric), ST_Y(i.geom_metric), $8::float8) h WHERE h.i = $9 AND h.j = $10)
)
ORDER BY i.reported_at DESC, i.id DESC
LIMIT $11 OFFSET $12;
