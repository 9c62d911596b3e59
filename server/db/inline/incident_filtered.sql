-- The analyst's filter (migration 007's incident_filtered), written into each query that calls
-- it (server/shared/sql.ts): reported in [from, to), optional category/status/source lists, an
-- optional area (a 6-, 9- or 12-digit area code, or a 15-digit grid code) and the caller's own
-- scope (an area code or NULL). Inline rather than a function call: the planner uses the indexes
-- with the caller's own conditions, and on a Citus coordinator the query goes to the shards
-- (a SQL function's parameters cannot be planned there) — to the one shard of the district when
-- an area or a scope names one (district_code, the first 6 digits of any area or grid code).
(SELECT i.*
 FROM incident i
 WHERE i.reported_at >= (:from_at)::timestamptz AND i.reported_at < (:to_at)::timestamptz
   AND ((:categories)::text[] IS NULL OR i.category = ANY ((:categories)::text[]))
   AND ((:statuses)::text[] IS NULL OR i.status = ANY ((:statuses)::text[]))
   AND ((:sources)::text[] IS NULL OR i.source = ANY ((:sources)::text[]))
   AND ((:area_code)::text IS NULL
        OR (length((:area_code)::text) = 15 AND i.grid_id = (SELECT g.id FROM grid g WHERE g.code = (:area_code)::text))
        OR (length((:area_code)::text) < 15 AND i.community_code LIKE (:area_code)::text || '%'))
   AND ((:area_code)::text IS NULL OR length((:area_code)::text) < 6 OR i.district_code = left((:area_code)::text, 6))
   AND ((:scope_code)::text IS NULL OR i.community_code LIKE (:scope_code)::text || '%')
   AND ((:scope_code)::text IS NULL OR length((:scope_code)::text) < 6 OR i.district_code = left((:scope_code)::text, 6)))
