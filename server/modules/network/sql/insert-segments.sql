-- The roads of an import, as checked in TypeScript: GeoJSON LineStrings in WGS84 with their class
-- (a road_class code), name and flags; walkable comes from the class table.
INSERT INTO road_segment (geom, road_class, name, walkable, bridge, tunnel, oneway)
SELECT ST_SetSRID(ST_GeomFromGeoJSON(g), 4326), c.code, nullif(n, ''), c.walkable, br, tu, ow
FROM unnest($1::text[], $2::text[], $3::text[], $4::bool[], $5::bool[], $6::bool[]) AS t(g, cls, n, br, tu, ow)
JOIN road_class c ON c.code = t.cls;
