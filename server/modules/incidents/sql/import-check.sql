-- Every staged row's verdict, for the whole file at once:
--   outside   the point is not in the district (an error);
--   repeat    a row earlier in the file has the same key (an error);
--   existing  an incident with this key exists already (skipped: a re-import);
--   new       to be created, in grid_id / community_code by the one placement rule
--             (incident_place: the live grid with the lowest code covering the point, else the
--             community). incident_place is inlined here: one join from the points to the grids'
--             GiST index, not a query per row.
-- ord numbers the rows along a space-filling curve (geometry's sort order): written in that
-- order, consecutive rows land on the same pages of the incident table's spatial indexes.
CREATE TEMP TABLE incident_import_checked ON COMMIT DROP AS
WITH district AS (
  SELECT ST_Union(geom) AS geom FROM admin_area WHERE level = 'district'
), placed AS (
  SELECT s.*, p.geom, ST_Covers(d.geom, p.geom) AS inside, pl.grid_id, pl.grid_code, pl.community_code
  FROM incident_import s
  CROSS JOIN district d
  CROSS JOIN LATERAL (SELECT ST_SetSRID(ST_MakePoint(s.lon, s.lat), 4326) AS geom) p
  CROSS JOIN LATERAL incident_place(p.geom) pl
), ranked AS (
  SELECT p.*, min(p.row) FILTER (WHERE p.inside) OVER (PARTITION BY p.external_id) AS first_row
  FROM placed p
)
SELECT r.*,
       CASE WHEN NOT r.inside THEN 'outside'
            WHEN r.row <> r.first_row THEN 'repeat'
            WHEN EXISTS (SELECT FROM incident i WHERE i.external_id = r.external_id) THEN 'existing'
            ELSE 'new' END AS verdict,
       row_number() OVER (ORDER BY r.geom, r.row)::integer AS ord
FROM ranked r;
