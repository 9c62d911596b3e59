-- Which of the given points lie outside every district outline, and how far outside (metres).
-- A point outside is nearly always a wrong coordinate system or swapped columns. When no
-- district is loaded at all, nothing is reported.
-- $1 longitudes, $2 latitudes (WGS84), in the same order; returns the 1-based position of each
-- point outside.
WITH p AS (
  SELECT ord, ST_SetSRID(ST_MakePoint(lon, lat), 4326) AS geom
  FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS t(lon, lat, ord)
)
SELECT p.ord::int AS position,
       round((SELECT min(ST_Distance(d.geom::geography, p.geom::geography)) FROM admin_area d WHERE d.level = 'district')) AS "distanceMeters"
FROM p
WHERE EXISTS (SELECT 1 FROM admin_area WHERE level = 'district')
  AND NOT EXISTS (SELECT 1 FROM admin_area d WHERE d.level = 'district' AND ST_Covers(d.geom, p.geom))
ORDER BY p.ord;
