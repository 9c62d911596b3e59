-- Snaps a computed outline ($1 EWKB: a union, a split part, a reshaped grid) onto the vertices
-- of the live grids around it (other than $2) and of its community's outline ($4), within $3
-- degrees. Overlay operations may drop a vertex that a neighbour still has; without this the
-- two would no longer share their edge exactly and a sliver would appear between them.
WITH n AS (
  SELECT ST_GeomFromEWKB($1) AS geom
),
reference AS (
  SELECT ST_Collect(r.geom) AS geom
  FROM n CROSS JOIN LATERAL (
    SELECT g.geom FROM grid g
    WHERE g.retired_at IS NULL AND g.geom && ST_Expand(n.geom, $3) AND NOT (g.id = ANY($2::bigint[]))
    UNION ALL
    SELECT ST_Boundary(a.geom) FROM admin_area a WHERE a.code = $4 AND a.geom && ST_Expand(n.geom, $3)
  ) r
),
snapped AS (
  SELECT n.geom AS original,
         CASE WHEN reference.geom IS NULL THEN n.geom ELSE ST_Snap(n.geom, reference.geom, $3) END AS geom
  FROM n, reference
)
SELECT ST_AsEWKB(ST_Multi(CASE WHEN ST_IsValid(geom) AND ST_GeometryType(geom) IN ('ST_Polygon', 'ST_MultiPolygon') THEN geom ELSE original END)) AS ewkb
FROM snapped;
