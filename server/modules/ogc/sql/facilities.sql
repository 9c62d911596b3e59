-- OGC API items page of the live service facilities: public ones with their public fields for
-- anyone (as /api/facilities), all of them with capacity and isPublic for staff ($9 true).
-- Parameters $1..$8 as in grids.sql; $9 whether the caller is staff.
WITH matched AS (
  SELECT f.id FROM facility f
  WHERE f.retired_at IS NULL AND (f.is_public OR $9::bool)
    AND ($1::float8 IS NULL OR (f.geom && ST_MakeEnvelope($1, $2, $3, $4::float8, 4326)
                                AND ST_Intersects(f.geom, ST_MakeEnvelope($1, $2, $3, $4::float8, 4326))))
    AND ($8::jsonb->>'fid' IS NULL OR f.id::text = $8::jsonb->>'fid')
    AND ($8::jsonb->>'facilityType' IS NULL OR f.facility_type = $8::jsonb->>'facilityType')
    AND ($8::jsonb->>'service' IS NULL OR $8::jsonb->>'service' = ANY (f.services))
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
          '{"type":"Feature","id":' || f.id
          || ',"geometry":' || ST_AsGeoJSON(CASE WHEN $7::bool THEN ST_FlipCoordinates(f.geom) ELSE f.geom END, 7)
          || ',"properties":' || (json_build_object(
               'facilityType', f.facility_type, 'name', f.name, 'address', f.address, 'phone', f.phone,
               'openingHours', f.opening_hours, 'services', array_to_string(f.services, ','))::jsonb
             || CASE WHEN $9::bool THEN jsonb_build_object('capacity', f.capacity, 'isPublic', f.is_public) ELSE '{}'::jsonb END)::text
          || '}', ',' ORDER BY f.id), '')
        FROM shown JOIN facility f ON f.id = shown.id) AS features;
