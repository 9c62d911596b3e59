-- An area outline as drawn: 2D, WGS84, validity with the reason and place PostGIS gives, and the
-- outline snapped onto the vertices of its live sibling areas and of its parent's outline within
-- $3 degrees (about 0.1 m), so that a border drawn along a neighbour coincides with it exactly
-- (as grids' normalize-geometry.sql does for grids).
-- $1 GeoJSON, $2 the area's code, $3 tolerance in degrees.
WITH input AS (
  SELECT ST_Force2D(ST_SetSRID(ST_GeomFromGeoJSON($1), 4326)) AS geom
),
area AS (
  SELECT code, parent_code, level FROM admin_area WHERE code = $2
),
detail AS (
  SELECT i.geom, d.valid, d.reason, d.location FROM input i, LATERAL ST_IsValidDetail(i.geom) d
),
reference AS (
  SELECT ST_Collect(r.geom) AS geom
  FROM detail d
  CROSS JOIN area x
  CROSS JOIN LATERAL (
    SELECT s.geom FROM admin_area s
    WHERE s.parent_code IS NOT DISTINCT FROM x.parent_code AND s.level = x.level AND s.code <> x.code
      AND s.retired_at IS NULL AND s.geom && ST_Expand(d.geom, $3)
    UNION ALL
    SELECT ST_Boundary(p.geom) FROM admin_area p WHERE p.code = x.parent_code AND p.geom && ST_Expand(d.geom, $3)
  ) r
),
snapped AS (
  SELECT d.*, CASE WHEN d.valid AND r.geom IS NOT NULL THEN ST_Snap(d.geom, r.geom, $3) ELSE d.geom END AS snapped
  FROM detail d, reference r
)
SELECT valid, reason, ST_X(location) AS lon, ST_Y(location) AS lat,
       ST_GeometryType(geom) AS geometry_type,
       ST_AsEWKB(ST_Multi(CASE WHEN ST_IsValid(snapped) AND ST_GeometryType(snapped) IN ('ST_Polygon', 'ST_MultiPolygon') THEN snapped ELSE geom END)) AS ewkb,
       ST_XMin(geom) AS xmin, ST_YMin(geom) AS ymin, ST_XMax(geom) AS xmax, ST_YMax(geom) AS ymax
FROM snapped;
