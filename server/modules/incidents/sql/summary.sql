-- Trend and rankings of the filtered set: totals, by month (China time), by category, by
-- status, and the ten grids and communities with most incidents. $1..$7 the filter.
WITH f AS (
  SELECT i.*, (i.closed_at > i.due_at OR (i.closed_at IS NULL AND i.status <> 'returned' AND now() > i.due_at)) AS overdue
  FROM incident_filtered($1, $2, $3, $4, $5, $6, $7) i
), months AS (
  SELECT to_char(reported_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS month, count(*)::int AS n FROM f GROUP BY 1
), categories AS (
  SELECT category, count(*)::int AS n FROM f GROUP BY 1
), statuses AS (
  SELECT status, count(*)::int AS n FROM f GROUP BY 1
), grids AS (
  SELECT g.code, g.name, count(*)::int AS n, count(*) FILTER (WHERE f.overdue)::int AS overdue
  FROM f JOIN grid g ON g.id = f.grid_id GROUP BY g.code, g.name ORDER BY n DESC, g.code LIMIT 10
), communities AS (
  SELECT a.code, a.name, count(*)::int AS n, count(*) FILTER (WHERE f.overdue)::int AS overdue
  FROM f JOIN admin_area a ON a.code = f.community_code GROUP BY a.code, a.name ORDER BY n DESC, a.code LIMIT 10
)
SELECT json_build_object(
  'total', (SELECT count(*) FROM f),
  'overdue', (SELECT count(*) FROM f WHERE overdue),
  'byMonth', (SELECT coalesce(json_agg(json_build_object('month', month, 'count', n) ORDER BY month), '[]') FROM months),
  'byCategory', (SELECT coalesce(json_agg(json_build_object('category', category, 'count', n) ORDER BY n DESC, category), '[]') FROM categories),
  'byStatus', (SELECT coalesce(json_agg(json_build_object('status', status, 'count', n) ORDER BY status), '[]') FROM statuses),
  'topGrids', (SELECT coalesce(json_agg(json_build_object('code', code, 'name', name, 'count', n, 'overdue', overdue) ORDER BY n DESC, code), '[]') FROM grids),
  'topCommunities', (SELECT coalesce(json_agg(json_build_object('code', code, 'name', name, 'count', n, 'overdue', overdue) ORDER BY n DESC, code), '[]') FROM communities)
)::text AS summary;
