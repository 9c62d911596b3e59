-- Candidate sites at the centres of the live grids: the centroid, or a point on the surface
-- where the centroid falls outside a concave grid.
SELECT g.code || ' ' || g.name AS label,
       ST_X(p.pt) AS lon, ST_Y(p.pt) AS lat
FROM grid g
CROSS JOIN LATERAL (
  SELECT CASE WHEN ST_Covers(g.geom, ST_Centroid(g.geom)) THEN ST_Centroid(g.geom) ELSE ST_PointOnSurface(g.geom) END AS pt
) p
WHERE g.retired_at IS NULL
ORDER BY g.code;
