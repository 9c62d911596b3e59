-- The first rows in error (outside the known territory: how far; outside the importing user's own
-- area: its community; a repeated key: its first row), by row.
-- $1 how many.
WITH district AS (
  SELECT ST_Union(geom) AS geom FROM known_territory()
)
SELECT c.row, c.verdict, c.first_row, c.external_id, c.lon, c.lat, c.community_code,
       CASE WHEN c.verdict = 'outside' THEN ST_Distance(d.geom::geography, c.geom::geography) END AS distance_meters
FROM (SELECT * FROM incident_import_checked WHERE verdict IN ('outside', 'outside_scope', 'repeat') ORDER BY row LIMIT $1) c
CROSS JOIN district d
ORDER BY c.row;
