-- Heatmap input: the filtered incidents snapped to a metric lattice (EPSG:4545, cell $8 metres)
-- and summed per lattice node, sent as packed float32 triples (lon, lat, weight). The payload
-- grows with the number of occupied cells, never with the number of incidents.
-- float4send writes big-endian; the server swaps to little-endian before sending.
-- $1..$7 the analyst's filter (incident_filtered), $8 cell metres, $9 'count' | 'urgency'
-- (urgency: 168 h / the category's deadline, so a 24-hour public-order case weighs 7 disputes).
WITH cells AS (
  SELECT round(ST_X(i.geom_metric) / $8) AS kx,
         round(ST_Y(i.geom_metric) / $8) AS ky,
         sum(CASE WHEN $9 = 'urgency' THEN 168.0 / c.deadline_hours ELSE 1 END) AS weight
  FROM incident_filtered($1, $2, $3, $4, $5, $6, $7) i
  JOIN incident_category c ON c.code = i.category
  GROUP BY 1, 2
), centres AS (
  SELECT ST_Transform(ST_SetSRID(ST_MakePoint(kx * $8, ky * $8), 4545), 4326) AS g, weight FROM cells
)
SELECT count(*)::int AS cells,
       coalesce(sum(weight), 0)::float8 AS total_weight,
       coalesce(max(weight), 0)::float8 AS max_weight,
       coalesce(string_agg(float4send(ST_X(g)::float4) || float4send(ST_Y(g)::float4) || float4send(weight::float4), ''::bytea), ''::bytea) AS bytes
FROM centres;
