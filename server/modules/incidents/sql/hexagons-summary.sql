-- Hexagon bins from the summary of migration 011 (incident_bin: the sorted report days of each
-- hexagon's incidents per block of 512 days), for a filter of whole days only (no category,
-- status, source, area or scope): two binary searches per hexagon and block, whatever the
-- period; outlines from incident_bin_place. Same JSON as hexagons.sql.
-- $1 first day (incident_day), $2 the day after the last, $3 hexagon edge length in metres.
WITH cells AS (
  SELECT b.i, b.j,
         sum(CASE WHEN r.lo <= 0 AND r.hi >= 511 THEN cardinality(b.days)
                  ELSE width_bucket(r.hi::smallint, b.days) - width_bucket((r.lo - 1)::smallint, b.days) END)::integer AS n
  FROM incident_bin b
  CROSS JOIN LATERAL (SELECT greatest($1::integer - 512 * b.block, 0) AS lo, least($2::integer - 1 - 512 * b.block, 511) AS hi) r
  WHERE b.kind = 'h' AND b.size = $3::smallint AND b.block BETWEEN $1::integer >> 9 AND ($2::integer - 1) >> 9
  GROUP BY b.i, b.j
)
SELECT '{"sizeMeters":' || $3::int || ',"total":' || coalesce(sum(c.n), 0) || ',"maxCount":' || coalesce(max(c.n), 0) || ',"cells":['
       || coalesce(string_agg('{"i":' || c.i || ',"j":' || c.j || ',"count":' || c.n || ',"ring":'
            || coalesce(p.ring, (ST_AsGeoJSON(ST_Transform(ST_SetSRID(ST_Hexagon($3, c.i, c.j), 4545), 4326), 6)::json -> 'coordinates' -> 0)::text) || '}',
            ',' ORDER BY c.i, c.j), '')
       || ']}' AS bins
FROM cells c
LEFT JOIN incident_bin_place p ON p.kind = 'h' AND p.size = $3::smallint AND p.i = c.i AND p.j = c.j
WHERE c.n > 0;
