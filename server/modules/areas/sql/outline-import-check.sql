-- Outlines being imported, judged as they would stand ($1: [{feature, code, geometry}] in WGS84,
-- $2: the sliver tolerance in m², $3: the level).
--  * outlines: each one's validity with PostGIS's reason and place; an invalid one is repaired
--    by ST_MakeValid only when that is safe: the result is one (Multi)Polygon covering the same
--    area as the rings describe (a ring touching itself at a point, say). A bow-tie or a ring
--    that doubles back changes area when repaired: what the planner meant is not known, so it
--    is refused instead.
--  * overlaps: with a sibling (same parent, same level), whether the sibling is imported too or
--    keeps its outline, in m² on the spheroid; each pair once.
--  * outside: the part of an outline outside its parent's outline, when the parent has one.
WITH input AS (
  SELECT x.feature, x.code, ST_Force2D(ST_SetSRID(ST_GeomFromGeoJSON(x.geometry), 4326)) AS raw
    FROM jsonb_to_recordset($1::jsonb) AS x(feature integer, code text, geometry jsonb)
),
checked AS (
  SELECT i.feature, i.code, d.valid, d.reason, d.location,
         -- Safe repair: polygonal, and the same area (to a millionth) as the rings enclose.
         (NOT d.valid AND GeometryType(m.made) IN ('POLYGON', 'MULTIPOLYGON')
            AND abs(ST_Area(m.made) - ST_Area(i.raw)) <= 1e-6 * ST_Area(i.raw)) AS repairable,
         CASE WHEN d.valid THEN ST_Multi(i.raw)
              WHEN GeometryType(m.made) IN ('POLYGON', 'MULTIPOLYGON')
                   AND abs(ST_Area(m.made) - ST_Area(i.raw)) <= 1e-6 * ST_Area(i.raw) THEN ST_Multi(m.made)
         END AS geom
    FROM input i
   CROSS JOIN LATERAL ST_IsValidDetail(i.raw) d
   CROSS JOIN LATERAL (SELECT CASE WHEN d.valid THEN i.raw ELSE ST_MakeValid(i.raw) END AS made) m
),
-- Every area of the level under the same parents, as it would stand after the import.
proposed AS (
  SELECT c.code, c.feature, c.geom FROM checked c WHERE c.geom IS NOT NULL
  UNION ALL
  SELECT a.code, NULL, a.geom
    FROM admin_area a
   WHERE a.level = $3 AND a.retired_at IS NULL AND a.geom IS NOT NULL
     AND a.code NOT IN (SELECT code FROM checked)
     AND EXISTS (SELECT 1 FROM admin_area p JOIN checked c ON c.code = p.code WHERE p.parent_code IS NOT DISTINCT FROM a.parent_code)
),
sibling_overlaps AS (
  SELECT c.feature, c.code, p.code AS other_code, p.feature AS other_feature, o.name AS other_name,
         ST_Area(ST_Intersection(c.geom, p.geom)::geography) AS square_meters
    FROM checked c
    JOIN admin_area ac ON ac.code = c.code
    JOIN proposed p ON p.code <> c.code AND (p.feature IS NULL OR p.feature > c.feature)
    JOIN admin_area o ON o.code = p.code AND o.parent_code IS NOT DISTINCT FROM ac.parent_code
   WHERE c.geom IS NOT NULL AND c.geom && p.geom AND ST_Relate(c.geom, p.geom, '2********')
),
outside_parent AS (
  SELECT c.feature, c.code, parent.code AS parent_code, parent.name AS parent_name,
         ST_Area(ST_Difference(c.geom, parent.geom)::geography) AS square_meters
    FROM checked c
    JOIN admin_area a ON a.code = c.code
    JOIN admin_area parent ON parent.code = a.parent_code
   WHERE c.geom IS NOT NULL AND parent.geom IS NOT NULL AND NOT ST_CoveredBy(c.geom, parent.geom)
)
SELECT
  (SELECT coalesce(json_agg(json_build_object(
            'feature', c.feature, 'code', c.code, 'valid', c.valid, 'reason', c.reason,
            'location', CASE WHEN c.location IS NULL THEN NULL ELSE json_build_array(ST_X(c.location), ST_Y(c.location)) END,
            'repaired', c.repairable,
            'squareMeters', CASE WHEN c.geom IS NULL THEN NULL ELSE ST_Area(c.geom::geography) END,
            'geometry', CASE WHEN c.geom IS NULL THEN NULL ELSE ST_AsGeoJSON(c.geom, 15)::json END) ORDER BY c.feature), '[]'::json)
     FROM checked c) AS outlines,
  (SELECT coalesce(json_agg(json_build_object(
            'feature', o.feature, 'code', o.code, 'otherCode', o.other_code, 'otherFeature', o.other_feature,
            'otherName', o.other_name, 'squareMeters', o.square_meters) ORDER BY o.feature, o.other_code), '[]'::json)
     FROM sibling_overlaps o WHERE o.square_meters >= $2) AS overlaps,
  (SELECT coalesce(json_agg(json_build_object(
            'feature', x.feature, 'code', x.code, 'parentCode', x.parent_code, 'parentName', x.parent_name,
            'squareMeters', x.square_meters) ORDER BY x.feature), '[]'::json)
     FROM outside_parent x WHERE x.square_meters >= $2) AS outside;
