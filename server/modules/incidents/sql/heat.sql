-- Heatmap input: the filtered incidents summed per cell of a metric lattice (EPSG:4545, squares
-- of $8 metres: floor(x / $8), floor(y / $8)), each cell drawn at its centre, sent as packed
-- float32 triples (lon, lat, weight). The payload grows with the number of occupied cells, never
-- with the number of incidents: when more than $10 cells are occupied, cells of 2, 4, 8 … × $8
-- metres (each the union of 2×2, 4×4 … cells) keep it under 12 × $10 bytes.
-- float4send writes big-endian; the server swaps to little-endian before sending.
-- $1..$7 the analyst's filter (incident_filtered), $8 cell metres, $9 'count' | 'urgency'
-- (urgency: 168 h / the category's deadline, so a 24-hour public-order case weighs 7 disputes),
-- $10 the most cells. heat-summary.sql answers the unfiltered whole-day case from a summary.
WITH fine AS MATERIALIZED (
  SELECT floor(ST_X(i.geom_metric) / $8)::integer AS kx,
         floor(ST_Y(i.geom_metric) / $8)::integer AS ky,
         sum(CASE WHEN $9 = 'urgency' THEN 168.0 / c.deadline_hours ELSE 1 END) AS weight
  FROM incident_filtered($1, $2, $3, $4, $5, $6, $7) i
  JOIN incident_category c ON c.code = i.category
  GROUP BY 1, 2
),
-- The first k (in order: the Limit stops there) whose cells of 2^k × $8 are few enough.
level AS (
  SELECT CASE WHEN (SELECT count(*) FROM fine) <= $10::integer THEN 0 ELSE coalesce((
    SELECT k FROM generate_series(1, 12) k
    WHERE (SELECT count(*) FROM (SELECT DISTINCT kx >> k, ky >> k FROM fine) d) <= $10::integer
    LIMIT 1), 12) END AS k
),
cells AS (
  SELECT kx >> l.k AS kx, ky >> l.k AS ky, $8 * 2 ^ l.k AS size, sum(weight) AS weight
  FROM fine, level l
  GROUP BY 1, 2, 3
),
centres AS (
  SELECT ST_Transform(ST_SetSRID(ST_MakePoint((kx + 0.5) * size, (ky + 0.5) * size), 4545), 4326) AS g, weight FROM cells
)
SELECT count(*)::int AS cells,
       ($8 * 2 ^ (SELECT k FROM level))::integer AS cell_meters,
       coalesce(sum(weight), 0)::float8 AS total_weight,
       coalesce(max(weight), 0)::float8 AS max_weight,
       coalesce(string_agg(float4send(ST_X(g)::float4) || float4send(ST_Y(g)::float4) || float4send(weight::float4), ''::bytea), ''::bytea) AS bytes
FROM centres;
