-- Hexagon bins of the filtered incidents, counted in PostGIS: each point's cell of
-- ST_HexagonGrid($8) in EPSG:4545 (incident_hex_cell: arithmetic, no spatial join), and the
-- occupied cells' outlines in WGS84 (stored once per cell in incident_bin_place, migration 011;
-- projected here for a cell that has none). $1..$7 the filter, $8 hexagon edge length in metres.
-- The JSON text is written here, compactly. hexagons-summary.sql answers the unfiltered
-- whole-day case from a summary.
WITH cells AS (
  SELECT h.i, h.j, count(*)::int AS n
  FROM incident_filtered($1, $2, $3, $4, $5, $6, $7) i
  CROSS JOIN LATERAL incident_hex_cell(ST_X(i.geom_metric), ST_Y(i.geom_metric), $8) h
  GROUP BY h.i, h.j
)
SELECT '{"sizeMeters":' || $8::int || ',"total":' || coalesce(sum(c.n), 0) || ',"maxCount":' || coalesce(max(c.n), 0) || ',"cells":['
       || coalesce(string_agg('{"i":' || c.i || ',"j":' || c.j || ',"count":' || c.n || ',"ring":'
            || coalesce(p.ring, (ST_AsGeoJSON(ST_Transform(ST_SetSRID(ST_Hexagon($8, c.i, c.j), 4545), 4326), 6)::json -> 'coordinates' -> 0)::text) || '}',
            ',' ORDER BY c.i, c.j), '')
       || ']}' AS bins
FROM cells c
LEFT JOIN incident_bin_place p ON p.kind = 'h' AND p.size = $8 AND p.i = c.i AND p.j = c.j;
