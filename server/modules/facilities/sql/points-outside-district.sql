-- Which of the given points lie outside the known territory (every district outline, or its
-- streets' or communities' where a district has none yet: known_territory), and how far outside
-- (metres). A point outside is nearly always a wrong coordinate system or swapped columns. When
-- no outline is known at all, nothing is reported.
-- $1 longitudes, $2 latitudes (WGS84), in the same order; returns the 1-based position of each
-- point outside.
WITH p AS (
  SELECT ord, ST_SetSRID(ST_MakePoint(lon, lat), 4326) AS geom
  FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS t(lon, lat, ord)
)
SELECT p.ord::int AS position,
       round((SELECT min(ST_Distance(t.geom::geography, p.geom::geography)) FROM known_territory() t)) AS "distanceMeters"
FROM p
WHERE EXISTS (SELECT 1 FROM known_territory())
  AND NOT EXISTS (SELECT 1 FROM known_territory() t WHERE ST_Covers(t.geom, p.geom))
ORDER BY p.ord;
