-- Hexagon bins of the filtered incidents, counted in PostGIS: each point's cell of
-- ST_HexagonGrid($8) in EPSG:4545 (incident_hex_cell: arithmetic, no spatial join), and the
-- occupied cells' outlines back in WGS84. $1..$7 the filter, $8 hexagon edge length in metres.
WITH cells AS (
  SELECT h.i, h.j, count(*)::int AS n
  FROM incident_filtered($1, $2, $3, $4, $5, $6, $7) i
  CROSS JOIN LATERAL incident_hex_cell(ST_X(i.geom_metric), ST_Y(i.geom_metric), $8) h
  GROUP BY h.i, h.j
)
SELECT json_build_object(
  'sizeMeters', $8::int,
  'total', coalesce(sum(n), 0),
  'maxCount', coalesce(max(n), 0),
  'cells', coalesce(json_agg(json_build_object(
     'i', i, 'j', j, 'count', n,
     'ring', ST_AsGeoJSON(ST_Transform(ST_SetSRID(ST_Hexagon($8, i, j), 4545), 4326), 6)::json -> 'coordinates' -> 0
   ) ORDER BY i, j), '[]'::json)
)::text AS bins
FROM cells;
