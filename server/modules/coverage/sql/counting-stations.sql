-- The stations that count in a scenario, with their walking radius: live facilities of the
-- chosen types (radius from their stored service area) less the ones a what-if removes, plus
-- the proposed ones. Included as the first CTE of the coverage queries ({{counting}}).
-- $1 type codes, $2 removed facility ids, $3 proposed longitudes, $4 latitudes, $5 radii (m).
counting AS (
  SELECT f.id AS facility_id, NULL::int AS proposal_index, f.geom, f.geom::geography AS g, a.radius_meters::float8 AS r
  FROM facility f
  JOIN facility_service_area a ON a.facility_id = f.id
  WHERE f.retired_at IS NULL AND f.facility_type = ANY ($1::text[]) AND NOT (f.id = ANY ($2::bigint[]))
  UNION ALL
  SELECT NULL, (p.ord - 1)::int, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326), ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326)::geography, p.r
  FROM unnest($3::float8[], $4::float8[], $5::float8[]) WITH ORDINALITY AS p(lon, lat, r, ord)
)
