-- OGC API items page of the facilities' 15-minute service circles (facility_service_area, kept
-- current by the triggers of migration 006: a metric buffer of the type's walking radius). The
-- feature id is the facility's. The public sees the circles of public facilities only.
-- Parameters $1..$8 as in grids.sql; $9 whether the caller is staff.
WITH matched AS (
  SELECT f.id FROM facility f JOIN facility_service_area s ON s.facility_id = f.id
  WHERE f.retired_at IS NULL AND (f.is_public OR $9::bool)
    AND ($1::float8 IS NULL OR (s.geom && ST_MakeEnvelope($1, $2, $3, $4::float8, 4326)
                                AND ST_Intersects(s.geom, ST_MakeEnvelope($1, $2, $3, $4::float8, 4326))))
    AND ($8::jsonb->>'fid' IS NULL OR f.id::text = $8::jsonb->>'fid')
    AND ($8::jsonb->>'facilityType' IS NULL OR f.facility_type = $8::jsonb->>'facilityType')
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
          || ',"geometry":' || ST_AsGeoJSON(CASE WHEN $7::bool THEN ST_FlipCoordinates(s.geom) ELSE s.geom END, 7)
          || ',"properties":' || json_build_object(
               'facilityId', f.id, 'facilityType', f.facility_type, 'name', f.name,
               'radiusMeters', s.radius_meters)::text
          || '}', ',' ORDER BY f.id), '')
        FROM shown JOIN facility f ON f.id = shown.id JOIN facility_service_area s ON s.facility_id = f.id) AS features;
