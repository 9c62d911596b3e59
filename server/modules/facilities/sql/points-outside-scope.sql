-- Which of the given points lie outside one area (a scoped user's street or community).
-- $1 longitudes, $2 latitudes (WGS84), $3 the area code; returns the 1-based position of each.
SELECT t.ord::int AS position
FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS t(lon, lat, ord)
WHERE NOT EXISTS (
  SELECT 1 FROM admin_area a
  WHERE a.code = $3 AND ST_Covers(a.geom, ST_SetSRID(ST_MakePoint(t.lon, t.lat), 4326))
)
ORDER BY t.ord;
