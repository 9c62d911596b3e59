-- What exists yet, for the pages that say what is missing on a fresh install: live areas by level
-- with and without an outline, live grids, buildings, live facilities, incidents.
SELECT
  (SELECT coalesce(json_object_agg(level, json_build_object('total', total, 'withOutline', with_outline)), '{}'::json)
   FROM (SELECT level, count(*)::int AS total, count(geom)::int AS with_outline
         FROM admin_area WHERE retired_at IS NULL GROUP BY level) l) AS areas,
  (SELECT count(*)::int FROM grid WHERE retired_at IS NULL) AS grids,
  (SELECT count(*)::int FROM building WHERE retired_at IS NULL) AS buildings,
  (SELECT count(*)::int FROM facility WHERE retired_at IS NULL) AS facilities,
  (SELECT count(*)::int FROM incident) AS incidents;
