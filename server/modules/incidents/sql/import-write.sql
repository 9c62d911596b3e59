-- Creates the new rows numbered ($1, $2] (ord: spatial order), each due after its category's
-- deadline, with its reporter and its first event, as a single report would have them. A key
-- inserted meanwhile by someone else writes nothing (ON CONFLICT), so it is never created twice.
-- $1 first ord (exclusive), $2 last ord (inclusive), $3 the importing user's id.
WITH inserted AS (
  INSERT INTO incident (external_id, category, sub_category, source, status, occurred_at, reported_at, due_at,
                        geom, grid_id, community_code, description, reported_by)
  SELECT c.external_id, c.category, c.sub_category, c.source, 'reported', c.occurred_at, c.reported_at,
         c.reported_at + make_interval(hours => k.deadline_hours), c.geom, c.grid_id, c.community_code, c.description, $3
  FROM incident_import_checked c
  JOIN incident_category k ON k.code = c.category
  WHERE c.ord > $1 AND c.ord <= $2 AND c.verdict = 'new'
  ORDER BY c.ord
  ON CONFLICT (external_id) DO NOTHING
  RETURNING id, external_id, reported_at
), reporters AS (
  INSERT INTO incident_reporter (incident_id, name, phone, id_number)
  SELECT i.id, c.reporter_name, c.reporter_phone, c.reporter_id
  FROM inserted i
  JOIN incident_import_checked c ON c.external_id = i.external_id AND c.ord > $1 AND c.ord <= $2 AND c.verdict = 'new'
  WHERE c.reporter_name IS NOT NULL OR c.reporter_phone IS NOT NULL OR c.reporter_id IS NOT NULL
), events AS (
  INSERT INTO incident_event (incident_id, from_status, to_status, actor_user_id, at, note)
  SELECT i.id, NULL, 'reported', $3, i.reported_at, 'import' FROM inserted i
)
SELECT count(*)::int AS created FROM inserted;
