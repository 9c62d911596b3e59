-- Tile of incident counts for low zooms from the summary of migration 011 (incident_tile_day:
-- incidents per China-time day and Web Mercator cell, with the sums of their positions), for a
-- filter of whole days only (no category, status, source, scope or grid limit): the same cells,
-- counts and mean positions as incident-clusters.sql, from ≈1 summary row per cell and day
-- instead of one row per incident.
-- $1 z, $2 x, $3 y, $4 log2 of the cell size in 2^28 units (16 − z + log2 of the cell in tile units), $5 the summary level (14 for
-- zoom 8, 20 above: cells no larger than the tile's), $6 first day, $7 the day after the last,
-- $8..$9 the Morton codes of the tile's cells at that level, [from, to).
-- Positions are in 2^28 units per world (4096 per zoom-16 tile): a summary cell lies inside one
-- cell of the tile, and so does the mean position of its incidents.
WITH summary AS (
  SELECT s.n, s.sx, s.sy
  FROM incident_tile_day s
  WHERE s.level = $5 AND s.day = ANY (ARRAY(SELECT generate_series($6::integer, $7::integer - 1))) AND s.cell >= $8::bigint AND s.cell < $9::bigint
),
cells AS (
  SELECT sum(s.n)::integer AS count, sum(s.sx) AS sx, sum(s.sy) AS sy
  FROM summary s
  GROUP BY (s.sx / s.n) >> $4::integer, (s.sy / s.n) >> $4::integer
),
features AS (
  SELECT c.count,
         ST_MakePoint(round(c.sx::float8 / c.count / 2 ^ (16 - $1::integer) - $2::float8 * 4096),
                      round(c.sy::float8 / c.count / 2 ^ (16 - $1::integer) - $3::float8 * 4096)) AS geom
  FROM cells c
)
SELECT coalesce(ST_AsMVT(features, 'incidents', 4096, 'geom'), ''::bytea) AS tile, count(*)::int AS features
FROM features;
