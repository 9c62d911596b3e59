-- Live grids (other than $2) whose interiors overlap the outline $1 (EWKB), with the overlap
-- in square metres. Grids that only touch along an edge are not listed.
SELECT g.id, g.code, g.name, ST_Area(ST_Intersection(g.geom, n.geom)::geography) AS area_m2
FROM (SELECT ST_GeomFromEWKB($1) AS geom) n
JOIN grid g ON g.geom && n.geom
WHERE g.retired_at IS NULL AND NOT (g.id = ANY($2::bigint[])) AND ST_Relate(g.geom, n.geom, '2********')
ORDER BY area_m2 DESC;
