-- One new incident in state 'reported', placed by incident_place, due after its category's
-- deadline. An existing external_id writes nothing (the sender retried): no row comes back.
-- $1 external_id, $2 category, $3 sub_category, $4 source, $5 occurred_at, $6 lon, $7 lat,
-- The district (first 6 digits of the community code) is the key of the incident's rows (031).
-- $8 description, $9 reported_by (user id), $10 reported_at (NULL: now).
INSERT INTO incident (district_code, external_id, category, sub_category, source, status, occurred_at, reported_at, due_at,
                      geom, grid_id, community_code, description, reported_by)
SELECT coalesce(left(pl.community_code, 6), '000000'), $1, c.code, $3, $4, 'reported', $5, coalesce($10, now()),
       coalesce($10, now()) + make_interval(hours => c.deadline_hours),
       p.geom, pl.grid_id, pl.community_code, $8, $9
FROM incident_category c
CROSS JOIN (SELECT ST_SetSRID(ST_MakePoint($6, $7), 4326) AS geom) p
CROSS JOIN LATERAL incident_place(p.geom) pl
WHERE c.code = $2
ON CONFLICT (district_code, external_id) DO NOTHING
RETURNING id, district_code, external_id, status, due_at, ST_X(geom) AS lon, ST_Y(geom) AS lat;
