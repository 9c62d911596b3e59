-- Step 2 of the check: every staged row's verdict, for the whole file at once:
--   outside   the point is not in the known territory (an error; with no outline known yet,
--             every point is in);
--   outside_scope  the importing user has an area of their own (`wangge.import_scope`, a district,
--             street or community code set by the caller) and the point's community is not in it
--             (an error: the same rule as a single report);
--   repeat    a row earlier in the file has the same key (an error);
--   existing  an incident with this key exists already (skipped: a re-import);
--   new       to be created.
-- grid_id / community_code complete incident_place's rule: the grid from step 1, else the
-- community with the lowest code that covers the point.
-- ord numbers the rows along a space-filling curve (geometry's sort order): written in that
-- order, consecutive rows land on the same pages of the incident table's spatial indexes.
CREATE TEMP TABLE incident_import_checked ON COMMIT DROP AS
WITH district AS MATERIALIZED (
  SELECT ST_Union(geom) AS geom FROM known_territory()
), placed AS MATERIALIZED (
  SELECT s.*, p.geom, coalesce(ST_Covers((SELECT geom FROM district), p.geom), true) AS inside,
         g.grid_id, g.grid_code, coalesce(g.community_code, c.code) AS community_code
  FROM incident_import s
  CROSS JOIN LATERAL (SELECT ST_SetSRID(ST_MakePoint(s.lon, s.lat), 4326) AS geom) p
  LEFT JOIN incident_import_grid g ON g.row = s.row
  LEFT JOIN LATERAL (
    SELECT a.code FROM admin_area a
    WHERE g.grid_id IS NULL AND a.level = 'community' AND ST_Covers(a.geom, p.geom)
    ORDER BY a.code LIMIT 1
  ) c ON true
), existing AS MATERIALIZED (
  -- Keys already imported (one pass over the incidents, not a look-up per row: on Citus a
  -- correlated look-up into the distributed table from this temporary one cannot be planned).
  SELECT DISTINCT i.external_id FROM incident i WHERE i.external_id = ANY (ARRAY(SELECT external_id FROM incident_import))
), repeated AS (
  SELECT external_id, min(row) AS first_row FROM placed WHERE inside GROUP BY external_id HAVING count(*) > 1
)
SELECT p.*, r.first_row,
       CASE WHEN NOT p.inside THEN 'outside'
            WHEN coalesce(current_setting('wangge.import_scope', true), '') <> ''
                 AND coalesce(p.community_code, '') NOT LIKE current_setting('wangge.import_scope', true) || '%' THEN 'outside_scope'
            WHEN p.row <> r.first_row THEN 'repeat'
            WHEN p.external_id IN (SELECT external_id FROM existing) THEN 'existing'
            ELSE 'new' END AS verdict,
       row_number() OVER (ORDER BY p.geom, p.row)::integer AS ord
FROM placed p
LEFT JOIN repeated r ON r.external_id = p.external_id;
