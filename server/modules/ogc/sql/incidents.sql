-- OGC API items page of incidents, for the roles that read them (the route checks): the
-- incident's own fields as /api/incidents/list gives them, never anything of the reporter (who
-- is in incident_reporter, which this query does not touch).
-- Parameters $1..$8 as in grids.sql, then:
-- $9 the caller's area scope (a street or community code: its incidents only), or NULL
-- $10 a grid worker's user id: the incidents of the live grids they serve only, or NULL
-- $11, $12 the datetime filter on reported_at (closed interval; NULL = open end)
WITH matched AS (
  SELECT i.id FROM incident i
  WHERE ($1::float8 IS NULL OR (i.geom && ST_MakeEnvelope($1, $2, $3, $4::float8, 4326)
                                AND ST_Intersects(i.geom, ST_MakeEnvelope($1, $2, $3, $4::float8, 4326))))
    AND ($8::jsonb->>'fid' IS NULL OR i.id::text = $8::jsonb->>'fid')
    AND ($8::jsonb->>'category' IS NULL OR i.category = $8::jsonb->>'category')
    AND ($8::jsonb->>'subCategory' IS NULL OR i.sub_category = $8::jsonb->>'subCategory')
    AND ($8::jsonb->>'status' IS NULL OR i.status = $8::jsonb->>'status')
    AND ($8::jsonb->>'source' IS NULL OR i.source = $8::jsonb->>'source')
    AND ($8::jsonb->>'communityCode' IS NULL OR i.community_code = $8::jsonb->>'communityCode')
    AND ($8::jsonb->>'gridCode' IS NULL OR i.grid_id = (SELECT g.id FROM grid g WHERE g.code = $8::jsonb->>'gridCode'))
    AND ($9::text IS NULL OR i.community_code LIKE $9::text || '%')
    AND ($10::bigint IS NULL OR i.grid_id IN (
          SELECT s.grid_id FROM grid_staff s JOIN grid g ON g.id = s.grid_id WHERE s.user_id = $10::bigint AND g.retired_at IS NULL))
    AND ($11::timestamptz IS NULL OR i.reported_at >= $11::timestamptz)
    AND ($12::timestamptz IS NULL OR i.reported_at <= $12::timestamptz)
),
page AS (
  SELECT id FROM matched WHERE $5::text IS NULL OR id > $5::bigint ORDER BY id LIMIT $6::int + 1
),
shown AS (
  SELECT id FROM page ORDER BY id LIMIT $6::int
)
SELECT (SELECT count(*) FROM matched)::int AS number_matched,
       (SELECT count(*) FROM shown)::int AS number_returned,
       (SELECT count(*) FROM page) > $6::int AS has_more,
       (SELECT max(id) FROM shown)::text AS last_key,
       (SELECT coalesce(string_agg(
          '{"type":"Feature","id":' || i.id
          || ',"geometry":' || ST_AsGeoJSON(CASE WHEN $7::bool THEN ST_FlipCoordinates(i.geom) ELSE i.geom END, 7)
          || ',"properties":' || json_build_object(
               'externalId', i.external_id, 'category', i.category, 'subCategory', i.sub_category,
               'source', i.source, 'status', i.status,
               'reportedAt', to_char(i.reported_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
               'dueAt', to_char(i.due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
               'closedAt', to_char(i.closed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
               'overdue', (i.closed_at > i.due_at OR (i.closed_at IS NULL AND i.status <> 'returned' AND now() > i.due_at)),
               'description', i.description,
               'gridCode', g.code, 'communityCode', i.community_code)::text
          || '}', ',' ORDER BY i.id), '')
        FROM shown JOIN incident i ON i.id = shown.id LEFT JOIN grid g ON g.id = i.grid_id) AS features;
