-- A grid outline as drawn: 2D, WGS84, validity with the reason and place PostGIS gives, and
-- the outline snapped onto the vertices of live neighbouring grids and the community outline
-- within $3 degrees (about 0.1 m), so that an edge drawn along a neighbour, or sent back with
-- rounded coordinates, coincides with it exactly instead of leaving slivers.
-- $1 GeoJSON, $2 grid ids not to snap to (the grids being edited), $3 tolerance, $4 community.
WITH input AS (
  SELECT ST_Force2D(ST_SetSRID(ST_GeomFromGeoJSON($1), 4326)) AS geom
),
detail AS (
  SELECT i.geom, d.valid, d.reason, d.location FROM input i, LATERAL ST_IsValidDetail(i.geom) d
),
reference AS (
  SELECT ST_Collect(r.geom) AS geom
  FROM detail d
  CROSS JOIN LATERAL (
    SELECT g.geom FROM grid g
    WHERE g.retired_at IS NULL AND g.geom && ST_Expand(d.geom, $3) AND NOT (g.id = ANY($2::bigint[]))
    UNION ALL
    SELECT ST_Boundary(a.geom) FROM admin_area a WHERE a.code = $4 AND a.geom && ST_Expand(d.geom, $3)
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
