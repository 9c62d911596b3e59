-- The territory Wangge knows the outline of, for the checks that ask "is this point ours?"
-- (incident reports and imports, facility positions, the tiles' bounds). With several districts,
-- and outlines still missing for some, it is the union of the highest live outline on each
-- branch: a district's outline where it has one; else its streets'; else, under a street with no
-- outline either, its communities'. Areas without an outline add nothing; when no outline is
-- known at all the territory is empty and those checks accept every point.
-- A set-returning SQL function (inlined by the planner, so the GiST index still serves) rather
-- than a view, which would count as one more geometry column without an index of its own.
CREATE FUNCTION known_territory() RETURNS TABLE (code text, level text, geom geometry(MultiPolygon, 4326))
LANGUAGE sql STABLE AS $$
SELECT a.code, a.level, a.geom
FROM admin_area a
WHERE a.retired_at IS NULL
  AND a.geom IS NOT NULL
  AND (a.level IN ('city', 'district')
       OR (a.level = 'street'
           AND NOT EXISTS (SELECT FROM admin_area d WHERE d.code = substr(a.code, 1, 6) AND d.geom IS NOT NULL))
       OR (a.level = 'community'
           AND NOT EXISTS (SELECT FROM admin_area d WHERE d.code = substr(a.code, 1, 6) AND d.geom IS NOT NULL)
           AND NOT EXISTS (SELECT FROM admin_area s WHERE s.code = substr(a.code, 1, 9) AND s.geom IS NOT NULL)));
$$;
