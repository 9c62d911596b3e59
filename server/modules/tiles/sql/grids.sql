-- Tile of the live grids for staff: code, name, community, type, population figures and how many
-- grid managers serve each (a count only: never the names or phones of grid leaders and
-- managers). Every change of a grid's staff goes with an update of its grid row (version + 1),
-- whose trigger drops the cached tiles there.
-- $1 z, $2 x, $3 y, $4 the most features, $5 simplification tolerance in degrees (0 = full
-- detail), $6 the smallest bounding-box side in degrees worth drawing at this zoom (a grid
-- smaller than about two tile units is a dot: left out, and counted against no limit).
-- Same shape as areas.sql (GiST `&&` on the WGS84 box, ST_AsMVTGeom in Web Mercator, 4096/64).
WITH bounds AS (
  SELECT ST_TileEnvelope($1, $2, $3) AS mercator,
         ST_Transform(ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096), 4326) AS box
),
candidates AS (
  SELECT g.*
  FROM grid g, bounds b
  WHERE g.geom && b.box
    AND g.retired_at IS NULL
    AND greatest(ST_XMax(g.geom) - ST_XMin(g.geom), ST_YMax(g.geom) - ST_YMin(g.geom)) >= $6::float8
  -- The feature limit keeps the largest grids (by bounding box: cheap, and only an order).
  ORDER BY (ST_XMax(g.geom) - ST_XMin(g.geom)) * (ST_YMax(g.geom) - ST_YMin(g.geom)) DESC
  LIMIT $4
),
features AS (
  SELECT c.id, c.code, c.name, c.community_code AS "communityCode", c.grid_type AS "gridType",
         coalesce(c.dedicated_kind, '') AS "dedicatedKind",
         c.households, c.residents, c.residents_60_plus AS "residents60Plus", c.residents_80_plus AS "residents80Plus",
         c.version,
         (SELECT count(*) FROM grid_staff s WHERE s.grid_id = c.id AND s.role = 'manager')::int AS managers,
         ST_AsMVTGeom(
           ST_Transform(CASE WHEN $5::float8 > 0 THEN ST_SimplifyPreserveTopology(c.geom, $5::float8) ELSE c.geom END, 3857),
           b.mercator, 4096, 64, true) AS geom
  FROM candidates c, bounds b
)
SELECT coalesce(ST_AsMVT(features, 'grids', 4096, 'geom', 'id'), ''::bytea) AS tile, count(*)::int AS features
FROM features
WHERE geom IS NOT NULL;
