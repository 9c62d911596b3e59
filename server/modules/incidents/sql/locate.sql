-- Where a WGS84 point belongs (incident_place: lowest-code covering grid), and whether it is in
-- the known territory at all (every district's outline, or its streets' or communities' where the
-- district has none yet: known_territory); when not, how far outside it is, in metres. With no
-- outline known yet, every point is inside.
-- $1 lon, $2 lat.
WITH p AS (SELECT ST_SetSRID(ST_MakePoint($1, $2), 4326) AS geom)
SELECT (NOT EXISTS (SELECT 1 FROM known_territory()) OR EXISTS (SELECT 1 FROM known_territory() t WHERE ST_Covers(t.geom, p.geom))) AS inside,
       (SELECT min(ST_Distance(t.geom::geography, p.geom::geography)) FROM known_territory() t) AS distance_meters,
       (SELECT string_agg(d.name, '、' ORDER BY d.code) FROM admin_area d WHERE d.level = 'district' AND d.retired_at IS NULL) AS district_name,
       pl.grid_id, g.code AS grid_code, g.name AS grid_name,
       c.code AS community_code, c.name AS community_name,
       s.code AS street_code, s.name AS street_name
FROM p
CROSS JOIN LATERAL incident_place(p.geom) pl
LEFT JOIN grid g ON g.id = pl.grid_id
LEFT JOIN admin_area c ON c.code = pl.community_code
LEFT JOIN admin_area s ON s.code = c.parent_code;
