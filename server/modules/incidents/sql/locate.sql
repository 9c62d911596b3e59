-- Where a WGS84 point belongs (incident_place: lowest-code covering grid), and whether it is in
-- the district at all; when not, how far outside it is, in metres.
-- $1 lon, $2 lat.
WITH p AS (SELECT ST_SetSRID(ST_MakePoint($1, $2), 4326) AS geom)
SELECT EXISTS (SELECT 1 FROM admin_area d WHERE d.level = 'district' AND ST_Covers(d.geom, p.geom)) AS inside,
       (SELECT min(ST_Distance(d.geom::geography, p.geom::geography)) FROM admin_area d WHERE d.level = 'district') AS distance_meters,
       (SELECT string_agg(d.name, '、' ORDER BY d.code) FROM admin_area d WHERE d.level = 'district') AS district_name,
       pl.grid_id, g.code AS grid_code, g.name AS grid_name,
       c.code AS community_code, c.name AS community_name,
       s.code AS street_code, s.name AS street_name
FROM p
CROSS JOIN LATERAL incident_place(p.geom) pl
LEFT JOIN grid g ON g.id = pl.grid_id
LEFT JOIN admin_area c ON c.code = pl.community_code
LEFT JOIN admin_area s ON s.code = c.parent_code;
