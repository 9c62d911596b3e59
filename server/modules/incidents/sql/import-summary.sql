-- What the import would do: rows to create, rows already imported, rows in error; the first
-- rows to create (the preview's sample); and where the rows lie (the preview's map: positions
-- after conversion to WGS84, with whether each is outside the district or the importer's area).
-- $1 how many sample rows, $2 how many points for the map.
SELECT count(*) FILTER (WHERE verdict = 'new')::int AS to_create,
       count(*) FILTER (WHERE verdict = 'existing')::int AS duplicates,
       count(*) FILTER (WHERE verdict IN ('outside', 'outside_scope', 'repeat'))::int AS errors,
       (SELECT coalesce(json_agg(json_build_object('row', s.row, 'category', s.category, 'lon', s.lon, 'lat', s.lat,
                                                   'gridCode', s.grid_code, 'reportedAt', s.reported_at) ORDER BY s.row), '[]')
        FROM (SELECT * FROM incident_import_checked WHERE verdict = 'new' ORDER BY row LIMIT $1) s) AS sample,
       (SELECT coalesce(json_agg(json_build_object('lon', round(p.lon::numeric, 6), 'lat', round(p.lat::numeric, 6), 'outside', p.verdict IN ('outside', 'outside_scope')) ORDER BY p.row), '[]')
        FROM (SELECT row, lon, lat, verdict FROM incident_import_checked WHERE lon IS NOT NULL AND lat IS NOT NULL ORDER BY row LIMIT $2) p) AS points
FROM incident_import_checked;
