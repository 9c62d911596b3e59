-- Which lines of an import are unusable: invalid or empty geometry, or far (more than 2 km) outside
-- the district(s). Returns one row per bad line, 0-based, with the reason.
-- $1 GeoJSON geometries.
WITH t AS (
  SELECT (ord - 1)::int AS idx, ST_SetSRID(ST_GeomFromGeoJSON(g), 4326) AS geom
  FROM unnest($1::text[]) WITH ORDINALITY AS u(g, ord)
), home AS (
  SELECT ST_Union(geom) AS geom FROM admin_area WHERE level = 'district' AND geom IS NOT NULL AND retired_at IS NULL
)
SELECT t.idx,
       CASE WHEN NOT ST_IsValid(t.geom) OR ST_IsEmpty(t.geom) OR ST_NPoints(t.geom) < 2 OR ST_Length(t.geom) = 0
              THEN 'invalid geometry: ' || coalesce(ST_IsValidReason(t.geom), 'empty')
            ELSE 'lies ' || round(ST_Distance(t.geom::geography, home.geom::geography)) || ' m outside the district' END AS reason
FROM t CROSS JOIN home
WHERE NOT ST_IsValid(t.geom) OR ST_IsEmpty(t.geom) OR ST_NPoints(t.geom) < 2 OR ST_Length(t.geom) = 0
   OR (home.geom IS NOT NULL AND NOT ST_DWithin(t.geom::geography, home.geom::geography, 2000))
ORDER BY t.idx;
