-- Many new incidents at once (an import), each placed by incident_place and due after its
-- category's deadline, with reporters and the first event. Every row has an external_id (a
-- ticket number or a stable content key); one that exists already writes nothing.
-- $1 external_id[], $2 category[], $3 sub_category[], $4 source[], $5 occurred_at[],
-- $6 reported_at[], $7 lon[], $8 lat[], $9 description[], $10 reporter name[], $11 phone[],
-- $12 id number[], $13 the importing user's id.
WITH src AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[],
                       $7::float8[], $8::float8[], $9::text[], $10::text[], $11::text[], $12::text[])
       AS t(external_id, category, sub_category, source, occurred_at, reported_at, lon, lat, description, r_name, r_phone, r_id)
), inserted AS (
  INSERT INTO incident (external_id, category, sub_category, source, status, occurred_at, reported_at, due_at,
                        geom, grid_id, community_code, description, reported_by)
  SELECT s.external_id, s.category, s.sub_category, s.source, 'reported', s.occurred_at, s.reported_at,
         s.reported_at + make_interval(hours => c.deadline_hours), p.geom, pl.grid_id, pl.community_code, s.description, $13
  FROM src s
  JOIN incident_category c ON c.code = s.category
  CROSS JOIN LATERAL (SELECT ST_SetSRID(ST_MakePoint(s.lon, s.lat), 4326) AS geom) p
  CROSS JOIN LATERAL incident_place(p.geom) pl
  ON CONFLICT (external_id) DO NOTHING
  RETURNING id, external_id, reported_at
), reporters AS (
  INSERT INTO incident_reporter (incident_id, name, phone, id_number)
  SELECT i.id, s.r_name, s.r_phone, s.r_id FROM inserted i JOIN src s USING (external_id)
  WHERE s.r_name IS NOT NULL OR s.r_phone IS NOT NULL OR s.r_id IS NOT NULL
), events AS (
  INSERT INTO incident_event (incident_id, from_status, to_status, actor_user_id, at, note)
  SELECT i.id, NULL, 'reported', $13, i.reported_at, 'import' FROM inserted i
)
SELECT count(*)::int AS created FROM inserted;
