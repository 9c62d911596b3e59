-- The live grids that hold any of the points ($1 longitudes, $2 latitudes).
SELECT DISTINCT g.id
FROM unnest($1::float8[], $2::float8[]) AS p(lon, lat)
JOIN grid g ON g.retired_at IS NULL AND g.geom && ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326)
           AND ST_Covers(g.geom, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326));
