-- The placement of many WGS84 points at once (imports): whether each is in the district, and
-- its grid and community by the same rule as a single report (incident_place).
-- $1 lon float8[], $2 lat float8[].
WITH pts AS (
  SELECT n, ST_SetSRID(ST_MakePoint(lon, lat), 4326) AS geom
  FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS t(lon, lat, n)
), district AS (
  SELECT ST_Union(geom) AS geom FROM admin_area WHERE level = 'district'
)
SELECT pts.n::int AS n,
       ST_Covers(district.geom, pts.geom) AS inside,
       CASE WHEN ST_Covers(district.geom, pts.geom) THEN 0
            ELSE ST_Distance(district.geom::geography, pts.geom::geography) END AS distance_meters,
       pl.grid_id, pl.grid_code, pl.community_code
FROM pts
CROSS JOIN district
CROSS JOIN LATERAL incident_place(pts.geom) pl
ORDER BY pts.n;
