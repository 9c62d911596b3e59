-- Where each imported building lies. $1 GeoJSON geometries (WGS84), in file order. A polygon's
-- point is its inner point (ST_PointOnSurface: always inside, unlike the centroid of an L-shaped
-- block); a point is itself. With it: the live grid holding it (on a shared edge the lowest code),
-- the community whose outline holds it, and whether it lies in the territory Wangge knows
-- (known_territory(); true when no outline is known at all).
WITH src AS (
  SELECT u.ord::int AS ord, ST_Force2D(ST_SetSRID(ST_GeomFromGeoJSON(u.g), 4326)) AS geom
  FROM unnest($1::text[]) WITH ORDINALITY AS u(g, ord)
),
pt AS (
  SELECT ord, GeometryType(geom) AS gtype,
         CASE WHEN ST_IsEmpty(geom) THEN NULL
              WHEN ST_Dimension(geom) = 2 THEN ST_PointOnSurface(ST_MakeValid(geom))
              WHEN ST_Dimension(geom) = 0 THEN ST_PointOnSurface(geom) END AS geom
  FROM src
),
territory AS (SELECT EXISTS (SELECT 1 FROM known_territory()) AS known)
SELECT p.ord, p.gtype, ST_X(p.geom) AS lon, ST_Y(p.geom) AS lat,
       gr.code AS grid_code, gr.community_code AS grid_community, c.code AS outline_community,
       p.geom IS NOT NULL AND (NOT t.known OR EXISTS (SELECT 1 FROM known_territory() k WHERE k.geom && p.geom AND ST_Covers(k.geom, p.geom))) AS in_territory
FROM pt p
CROSS JOIN territory t
LEFT JOIN LATERAL (
  SELECT g.code, g.community_code FROM grid g
  WHERE g.retired_at IS NULL AND g.geom && p.geom AND ST_Covers(g.geom, p.geom)
  ORDER BY g.code LIMIT 1
) gr ON true
LEFT JOIN LATERAL (
  SELECT a.code FROM admin_area a
  WHERE a.level = 'community' AND a.retired_at IS NULL AND a.geom && p.geom AND ST_Covers(a.geom, p.geom)
  ORDER BY a.code LIMIT 1
) c ON true
ORDER BY p.ord;
