-- Creates the new rows numbered ($1, $2] (ord: spatial order), each due after its category's
-- deadline, as a single report would have them (the reporters and first events follow:
-- import-write-children.sql). A key inserted meanwhile by someone else writes nothing (ON
-- CONFLICT), so it is never created twice. One plain INSERT … SELECT (no data-modifying CTE): on a
-- Citus coordinator the rows are routed to their district's shard.
-- $1 first ord (exclusive), $2 last ord (inclusive), $3 the importing user's id.
INSERT INTO incident (district_code, external_id, category, sub_category, source, status, occurred_at, reported_at, due_at,
                      geom, grid_id, community_code, description, reported_by)
SELECT coalesce(left(c.community_code, 6), '000000'), c.external_id, c.category, c.sub_category, c.source, 'reported', c.occurred_at, c.reported_at,
       c.reported_at + make_interval(hours => k.deadline_hours), c.geom, c.grid_id, c.community_code, c.description, $3
FROM incident_import_checked c
JOIN incident_category k ON k.code = c.category
WHERE c.ord > $1 AND c.ord <= $2 AND c.verdict = 'new'
ORDER BY c.ord
ON CONFLICT (district_code, external_id) DO NOTHING
RETURNING id, external_id, district_code, reported_at;
