-- For each point ($1 longitudes, $2 latitudes, WGS84), metres to the nearest thing the district
-- already knows: a building, a road, a grid's edge or a community's edge (the nearest by the
-- index, then measured on the spheroid). NULL when nothing is known within about 1 km.
WITH p AS (
  SELECT ord, ST_SetSRID(ST_MakePoint(lon, lat), 4326) AS g
  FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS u(lon, lat, ord)
)
SELECT p.ord::int AS ord,
       LEAST(
         (SELECT ST_Distance(b.geom::geography, p.g::geography) FROM building b
           WHERE b.retired_at IS NULL AND ST_DWithin(b.geom, p.g, 0.01) ORDER BY b.geom <-> p.g LIMIT 1),
         (SELECT ST_Distance(r.geom::geography, p.g::geography) FROM road_segment r
           WHERE ST_DWithin(r.geom, p.g, 0.01) ORDER BY r.geom <-> p.g LIMIT 1),
         (SELECT min(ST_Distance(ST_Boundary(gr.geom)::geography, p.g::geography)) FROM grid gr
           WHERE gr.retired_at IS NULL AND ST_DWithin(gr.geom, p.g, 0.01)),
         (SELECT min(ST_Distance(ST_Boundary(a.geom)::geography, p.g::geography)) FROM admin_area a
           WHERE a.level = 'community' AND a.retired_at IS NULL AND a.geom IS NOT NULL AND ST_DWithin(a.geom, p.g, 0.01))
       ) AS meters
FROM p
ORDER BY p.ord
