-- One incident with its placement, events (actors by username) and photo ids. The reporter's
-- personal data is selected separately (reporter.sql), only to be masked or audited.
-- The children are matched on the full key (district, id): on Citus they lie on the incident's
-- shard, and the query runs there.
-- $1 incident id.
SELECT i.id, i.external_id, i.category, i.sub_category, i.source, i.status,
       i.occurred_at, i.reported_at, i.due_at, i.closed_at, i.description,
       ST_X(i.geom) AS lon, ST_Y(i.geom) AS lat,
       (i.closed_at > i.due_at OR (i.closed_at IS NULL AND i.status <> 'returned' AND now() > i.due_at)) AS overdue,
       i.grid_id, g.code AS grid_code, g.name AS grid_name,
       c.code AS community_code, c.name AS community_name, s.code AS street_code, s.name AS street_name,
       (SELECT coalesce(json_agg(json_build_object(
                  'fromStatus', e.from_status, 'toStatus', e.to_status,
                  'at', to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                  'actor', u.username, 'note', e.note) ORDER BY e.at, e.id), '[]'::json)
          FROM incident_event e LEFT JOIN app_user u ON u.id = e.actor_user_id
         WHERE e.district_code = i.district_code AND e.incident_id = i.id) AS events,
       (SELECT coalesce(array_agg(ph.id ORDER BY ph.id), '{}') FROM incident_photo ph WHERE ph.district_code = i.district_code AND ph.incident_id = i.id) AS photo_ids,
       EXISTS (SELECT 1 FROM incident_reporter r WHERE r.district_code = i.district_code AND r.incident_id = i.id) AS has_reporter
FROM incident i
LEFT JOIN grid g ON g.id = i.grid_id
LEFT JOIN admin_area c ON c.code = i.community_code
LEFT JOIN admin_area s ON s.code = c.parent_code
WHERE i.id = $1;
