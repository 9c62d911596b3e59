-- How many live facilities there are per type, overall and per service (a facility counts once
-- per service it offers). $1 whether the caller is staff: the public counts public ones only.
WITH live AS (
  SELECT f.id, f.facility_type, f.services
  FROM facility f
  WHERE f.retired_at IS NULL
    AND (f.is_public OR $1)
),
by_type AS (
  SELECT facility_type, count(*)::int AS n FROM live GROUP BY facility_type
),
by_service AS (
  SELECT s.service, l.facility_type, count(DISTINCT l.id)::int AS n
  FROM live l, unnest(l.services) AS s(service)
  GROUP BY s.service, l.facility_type
)
SELECT json_build_object(
  'total', (SELECT count(*) FROM live),
  'byType', (SELECT coalesce(json_agg(json_build_object('facilityType', facility_type, 'count', n) ORDER BY facility_type), '[]'::json) FROM by_type),
  'services', (
    SELECT coalesce(json_agg(json_build_object('service', service, 'byType', counts) ORDER BY service), '[]'::json)
    FROM (
      SELECT service, json_agg(json_build_object('facilityType', facility_type, 'count', n) ORDER BY facility_type) AS counts
      FROM by_service
      GROUP BY service
    ) per_service
  )
)::text AS summary;
