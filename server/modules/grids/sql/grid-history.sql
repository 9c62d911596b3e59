-- Every version of grid $1, newest first, with its outline. $2 = include staff names and phones.
SELECT v.version, v.action, v.reason, to_char(v.changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "changedAt",
       v.changed_by_username AS "changedBy", v.code, v.name, v.grid_type AS "gridType", v.dedicated_kind AS "dedicatedKind",
       v.households, v.residents, v.residents_60_plus AS "residents60Plus", v.residents_80_plus AS "residents80Plus",
       v.retired, round(ST_Area(v.geom::geography))::float8 AS "areaSquareMeters",
       CASE WHEN $2 THEN (SELECT jsonb_build_object('name', s->>'name', 'phone', s->'phone') FROM jsonb_array_elements(v.staff) s WHERE s->>'role' = 'leader' LIMIT 1) END AS "gridLeader",
       CASE WHEN $2 THEN coalesce((SELECT jsonb_agg(jsonb_build_object('name', s->>'name', 'phone', s->'phone')) FROM jsonb_array_elements(v.staff) s WHERE s->>'role' = 'manager'), '[]'::jsonb)
            ELSE '[]'::jsonb END AS "gridManagers",
       ST_AsGeoJSON(v.geom, 7)::json AS geometry
FROM grid_version v
WHERE v.grid_id = $1
ORDER BY v.version DESC;
