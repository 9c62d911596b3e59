-- Tile of incident counts for low zooms, where single incidents would be millions of points:
-- the filtered incidents of the tile counted per cell of $4 × $4 tile units (64 units = 1/64 of
-- the tile), each cell drawn at the mean position of its incidents, with its count. Counted on the tile itself (no buffer), so that every incident is counted once.
-- Parameters as incidents.sql, except $4: the cell size in tile units.
-- Web Mercator tile coordinates are computed from longitude/latitude with the projection's own
-- formulas: the same numbers as ST_Transform + ST_AsMVTGeom, without projecting a million points.
WITH bounds AS (
  SELECT ST_Transform(ST_TileEnvelope($1, $2, $3), 4326) AS box, 2 ^ $1::int AS n
),
positions AS (
  SELECT ((ST_X(i.geom) + 180) / 360 * t.n - $2) * 4096 AS px,
         ((1 - ln(tan(radians(ST_Y(i.geom))) + 1 / cos(radians(ST_Y(i.geom)))) / pi()) / 2 * t.n - $3) * 4096 AS py
  FROM incident_filtered($5, $6, $7, $8, $9, NULL, $10) i, bounds t
  WHERE i.geom && t.box
    AND ($11::bigint IS NULL OR i.grid_id IN (SELECT s.grid_id FROM grid_staff s WHERE s.user_id = $11::bigint))
),
cells AS MATERIALIZED (
  SELECT floor(px / $4::float8) AS cx, floor(py / $4::float8) AS cy, count(*)::int AS count,
         avg(px) AS px, avg(py) AS py
  FROM positions
  GROUP BY 1, 2
),
-- A point exactly on the tile's east or south edge belongs to the next tile: its cell is dropped
-- here, after grouping. (As a filter on every row, which is where PostgreSQL would push it were
-- `cells` not MATERIALIZED, it wrecks the row estimate: a sort to disk instead of a hash aggregate.)
features AS (
  SELECT c.count, ST_MakePoint(round(c.px), round(c.py)) AS geom
  FROM cells c
  WHERE c.cx >= 0 AND c.cx < 4096 / $4::float8 AND c.cy >= 0 AND c.cy < 4096 / $4::float8
)
SELECT coalesce(ST_AsMVT(features, 'incidents', 4096, 'geom'), ''::bytea) AS tile, count(*)::int AS features
FROM features;
