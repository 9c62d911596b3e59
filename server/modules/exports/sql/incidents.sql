-- The incidents of the analyst's list (the ids list.sql selected, in its order), as one GeoJSON
-- FeatureCollection of points (WGS84). Nothing about the reporter is selected: the list never
-- shows who reported. Times are ISO 8601 in China time (+08:00). $1 the ids, in the list's order.
WITH incidents AS (
  SELECT l.ord, i.id, i.external_id, i.category, cat.name_zh AS category_name, i.sub_category, sub.name_zh AS sub_category_name,
         i.source, i.status, i.reported_at, i.due_at, i.closed_at, i.description, i.geom,
         coalesce(i.closed_at > i.due_at OR (i.closed_at IS NULL AND i.status <> 'returned' AND now() > i.due_at), false) AS overdue,
         g.code AS grid_code, g.name AS grid_name, c.code AS community_code, c.name AS community_name
  FROM unnest($1::bigint[]) WITH ORDINALITY AS l (id, ord)
  JOIN incident i ON i.id = l.id
  JOIN incident_category cat ON cat.code = i.category
  LEFT JOIN incident_category sub ON sub.code = i.sub_category
  LEFT JOIN grid g ON g.id = i.grid_id
  LEFT JOIN admin_area c ON c.code = i.community_code
)
SELECT count(*)::int AS count,
       json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
         'type', 'Feature',
         'id', id,
         'geometry', ST_AsGeoJSON(geom, 7)::json,
         'properties', json_build_object(
           'id', id, 'externalId', external_id, 'category', category, 'categoryName', category_name,
           'subCategory', sub_category, 'subCategoryName', sub_category_name,
           'source', source, 'status', status,
           'reportedAt', to_char(reported_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"'),
           'dueAt', to_char(due_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"'),
           'closedAt', to_char(closed_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"'),
           'overdue', overdue, 'description', description,
           'lon', round(ST_X(geom)::numeric, 7), 'lat', round(ST_Y(geom)::numeric, 7),
           'gridCode', grid_code, 'gridName', grid_name, 'communityCode', community_code, 'communityName', community_name)
       ) ORDER BY ord), '[]'::json))::text AS text
FROM incidents;
