-- Tile of the administrative areas (a city, districts, streets, communities/villages) that have an
-- outline: public fields only. Retired areas have none and never appear.
-- Two layers: 'areas' (outlines) and 'area_labels' (one point per area, ST_PointOnSurface, so
-- always inside it, in the one tile that contains it: each label comes once), so that a map can
-- place HTML labels without the outlines (never symbol layers: offline maps have no glyphs).
-- $1 z, $2 x, $3 y: the tile. $4 the most features per layer. $5 the simplification tolerance in
-- degrees (about one tile unit at this zoom; 0 = full detail). $6 the lowest level shown at this
-- zoom ('district' | 'street' | 'community').
--
-- The shape every tile query here has: candidates by `geom && box` on the GiST index of the
-- stored WGS84 geometry (the box is the tile plus its buffer transformed to 4326: a Mercator
-- rectangle is a longitude/latitude rectangle), then ST_AsMVTGeom of the Web Mercator geometry.
-- Extent 4096 and buffer 64 are MapLibre's defaults: 64 units of buffer keep the widest line we
-- draw from showing a seam at tile edges; clip_geom cuts polygons at the buffer.
WITH bounds AS (
  SELECT ST_TileEnvelope($1, $2, $3) AS mercator,
         ST_Transform(ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096), 4326) AS box,
         ST_Transform(ST_TileEnvelope($1, $2, $3), 4326) AS tile_box
),
candidates AS (
  SELECT a.code, a.name, a.level, coalesce(a.kind, '') AS kind, coalesce(a.parent_code, '') AS parent_code,
         -- Square metres by the local equirectangular scale (111,319.49 m per degree, longitude
         -- shortened by cos(latitude)): within 1% for areas this small, and a tenth of the cost of
         -- geography areas over thousands of communities in one low-zoom tile. (Geography areas
         -- on the sphere come back NaN for some valid polygons in PostGIS 3.3.)
         round(ST_Area(a.geom) * 111319.49 ^ 2 * cos(radians((ST_YMin(a.geom) + ST_YMax(a.geom)) / 2)))::bigint AS area_m2,
         a.geom
  FROM admin_area a, bounds b
  WHERE a.geom && b.box
    AND (a.level IN ('city', 'district')
         OR (a.level = 'street' AND $6 IN ('street', 'community'))
         OR (a.level = 'community' AND $6 = 'community'))
),
outlines AS (
  SELECT c.code, c.name, c.level, c.kind, c.parent_code AS "parentCode", c.area_m2 AS "areaSquareMeters",
         ST_AsMVTGeom(
           ST_Transform(CASE WHEN $5::float8 > 0 THEN ST_SimplifyPreserveTopology(c.geom, $5::float8) ELSE c.geom END, 3857),
           b.mercator, 4096, 64, true) AS geom
  FROM candidates c, bounds b
  -- Districts, then streets, then the largest communities: what the feature limit keeps.
  ORDER BY CASE c.level WHEN 'city' THEN 0 WHEN 'district' THEN 1 WHEN 'street' THEN 2 ELSE 3 END, c.area_m2 DESC
  LIMIT $4
),
labels AS (
  SELECT c.code, c.name, c.level, c.kind, c.area_m2 AS "areaSquareMeters",
         ST_AsMVTGeom(ST_Transform(p.point, 3857), b.mercator, 4096, 0, true) AS geom
  FROM candidates c CROSS JOIN LATERAL (SELECT ST_PointOnSurface(c.geom) AS point) p, bounds b
  WHERE p.point && b.tile_box AND ST_Intersects(p.point, b.tile_box)
  ORDER BY CASE c.level WHEN 'city' THEN 0 WHEN 'district' THEN 1 WHEN 'street' THEN 2 ELSE 3 END, c.area_m2 DESC
  LIMIT $4
)
SELECT coalesce((SELECT ST_AsMVT(o, 'areas', 4096, 'geom') FROM outlines o WHERE o.geom IS NOT NULL), ''::bytea)
    || coalesce((SELECT ST_AsMVT(l, 'area_labels', 4096, 'geom') FROM labels l WHERE l.geom IS NOT NULL), ''::bytea) AS tile,
       (SELECT count(*) FROM outlines WHERE geom IS NOT NULL)::int AS features;
