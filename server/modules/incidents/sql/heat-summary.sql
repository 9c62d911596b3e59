-- Heatmap cells from the summary of migration 011 (incident_bin, 400 m squares of EPSG:4545:
-- the sorted report days of each cell's incidents per block of 512 days), for a filter of whole
-- days only (no category/status/source/area/scope) and count weights: per cell and block, the
-- incidents of the period are two binary searches (width_bucket), whatever its length.
-- The cells are 400 m, or 800 m, 1600 m … (2^k × 400 m, cells of 400 m grouped) when there are
-- more than $3 of them: the payload stays under 12 × $3 bytes.
-- $1 first day (incident_day), $2 the day after the last, $3 the most cells.
-- Returns the packed cells (as heat.sql), their size, and the incidents and occupied 400 m cells.
WITH counts AS MATERIALIZED (
  SELECT b.i, b.j,
         sum(CASE WHEN r.lo <= 0 AND r.hi >= 511 THEN cardinality(b.days)
                  ELSE width_bucket(r.hi::smallint, b.days) - width_bucket((r.lo - 1)::smallint, b.days) END)::integer AS n
  FROM incident_bin b
  CROSS JOIN LATERAL (SELECT greatest($1::integer - 512 * b.block, 0) AS lo, least($2::integer - 1 - 512 * b.block, 511) AS hi) r
  WHERE b.kind = 's' AND b.size = 400 AND b.block BETWEEN $1::integer >> 9 AND ($2::integer - 1) >> 9
  GROUP BY b.i, b.j
),
occupied AS MATERIALIZED (
  SELECT i, j, n FROM counts WHERE n > 0
),
-- The first k (in order: the Limit stops there) whose cells of 2^k × 400 m are few enough.
level AS (
  SELECT CASE WHEN (SELECT count(*) FROM occupied) <= $3::integer THEN 0 ELSE coalesce((
    SELECT k FROM generate_series(1, 12) k
    WHERE (SELECT count(*) FROM (SELECT DISTINCT i >> k, j >> k FROM occupied) d) <= $3::integer
    LIMIT 1), 12) END AS k
),
-- 400 m cells are drawn at their stored centre; coarser ones are projected here.
cells AS (
  -- (A cell with no stored place yet — moved there by hand on a Citus cluster, where the place
  -- table is not written from the shards — is placed here.)
  SELECT coalesce(p.lon, ST_X(c.centre)) AS lon, coalesce(p.lat, ST_Y(c.centre)) AS lat, o.n::float8 AS weight
  FROM occupied o LEFT JOIN incident_bin_place p ON p.kind = 's' AND p.size = 400 AND p.i = o.i AND p.j = o.j
  LEFT JOIN LATERAL (SELECT ST_Transform(ST_SetSRID(ST_MakePoint((o.i + 0.5) * 400, (o.j + 0.5) * 400), 4545), 4326) AS centre WHERE p.lon IS NULL) c ON true
  WHERE (SELECT k FROM level) = 0
  UNION ALL
  SELECT ST_X(g), ST_Y(g), c.weight
  FROM (
    SELECT (o.i >> l.k) AS ci, (o.j >> l.k) AS cj, 400 * 2 ^ l.k AS size, sum(o.n)::float8 AS weight
    FROM occupied o, level l
    WHERE l.k > 0
    GROUP BY 1, 2, 3
  ) c
  CROSS JOIN LATERAL ST_Transform(ST_SetSRID(ST_MakePoint((c.ci + 0.5) * c.size, (c.cj + 0.5) * c.size), 4545), 4326) g
)
SELECT (SELECT count(*) FROM cells)::integer AS cells,
       (400 * 2 ^ (SELECT k FROM level))::integer AS cell_meters,
       (SELECT coalesce(sum(n), 0) FROM occupied)::float8 AS total_weight,
       (SELECT count(*) FROM occupied)::integer AS cells_400,
       coalesce(max(weight), 0)::float8 AS max_weight,
       coalesce(string_agg(float4send(lon::float4) || float4send(lat::float4) || float4send(weight::float4), ''::bytea), ''::bytea) AS bytes
FROM cells;
