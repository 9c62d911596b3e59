-- Which uncovered buildings each candidate site would reach within the new station's radius,
-- measured exactly as coverage is (ST_DWithin on geography, building_geog_idx).
-- $1 candidate longitudes, $2 latitudes, $3 radius (m), $4 uncovered building ids worth counting.
-- Returns one row per candidate that reaches at least one of them (0-based candidate index).
WITH cand AS (
  SELECT (ord - 1)::int AS idx, ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography AS g
  FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS t(lon, lat, ord)
), wanted AS MATERIALIZED (
  SELECT unnest($4::bigint[]) AS id
)
SELECT c.idx, array_agg(b.id ORDER BY b.id) AS building_ids
FROM cand c
JOIN building b ON ST_DWithin(b.geom::geography, c.g, $3::float8)
WHERE b.id IN (SELECT id FROM wanted)
GROUP BY c.idx
ORDER BY c.idx;
