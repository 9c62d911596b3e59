-- Tile of the roads and paths (public): class and, from street zoom, name. Nothing else.
-- $1 z, $2 x, $3 y, $4 the most features (higher classes first), $5 the simplification tolerance
-- in degrees (0 = full detail), $6 the classes drawn at this zoom (text[]), $7 whether names go in.
-- Same shape as areas.sql. Segments of one class and name are merged per tile below full detail,
-- so a long street is one line (and one label) rather than dozens of pieces.
WITH bounds AS (
  SELECT ST_TileEnvelope($1, $2, $3) AS mercator,
         ST_Transform(ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096), 4326) AS box
),
candidates AS (
  SELECT r.id, r.road_class, CASE WHEN $7::boolean THEN nullif(btrim(r.name), '') END AS name, r.geom,
         array_position($6::text[], r.road_class) AS rank
  FROM road_segment r, bounds t
  WHERE r.geom && t.box
    AND r.road_class = ANY ($6::text[])
  ORDER BY rank, r.id
  LIMIT $4
),
merged AS (
  SELECT min(c.id) AS id, c.road_class, c.name, min(c.rank) AS rank,
         CASE WHEN $5::float8 > 0 THEN ST_Simplify(ST_LineMerge(ST_Collect(c.geom)), $5::float8) ELSE ST_LineMerge(ST_Collect(c.geom)) END AS geom
  FROM candidates c
  GROUP BY c.road_class, c.name
),
features AS (
  SELECT m.id, m.road_class AS class, m.name, m.rank,
         ST_AsMVTGeom(ST_Transform(m.geom, 3857), t.mercator, 4096, 64, true) AS geom
  FROM merged m, bounds t
)
SELECT coalesce(ST_AsMVT(f, 'roads', 4096, 'geom', 'id'), ''::bytea) AS tile, count(*)::int AS features
FROM (SELECT id, class, name, geom FROM features WHERE geom IS NOT NULL ORDER BY rank DESC, id) f;
