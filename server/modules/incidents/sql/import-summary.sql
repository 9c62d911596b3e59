-- What the import would do: rows to create, rows already imported, rows in error; and the first
-- rows to create (the preview's sample).
-- $1 how many sample rows.
SELECT count(*) FILTER (WHERE verdict = 'new')::int AS to_create,
       count(*) FILTER (WHERE verdict = 'existing')::int AS duplicates,
       count(*) FILTER (WHERE verdict IN ('outside', 'repeat'))::int AS errors,
       (SELECT coalesce(json_agg(json_build_object('row', s.row, 'category', s.category, 'lon', s.lon, 'lat', s.lat,
                                                   'gridCode', s.grid_code, 'reportedAt', s.reported_at) ORDER BY s.row), '[]')
        FROM (SELECT * FROM incident_import_checked WHERE verdict = 'new' ORDER BY row LIMIT $1) s) AS sample
FROM incident_import_checked;
