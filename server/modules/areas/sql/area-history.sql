-- Every recorded version of area $1, newest first, with its outline and its area in m².
SELECT v.version, v.action, v.reason, v.changed_by_username AS "changedBy", v.changed_at AS "changedAt",
       v.name, v.parent_code AS "parentCode", v.retired,
       ST_AsGeoJSON(v.geom, 7)::json AS geometry,
       CASE WHEN v.geom IS NULL THEN NULL ELSE round(ST_Area(v.geom::geography)::numeric, 1)::double precision END AS "areaSquareMeters"
FROM area_version v
WHERE v.area_code = $1
ORDER BY v.version DESC;
