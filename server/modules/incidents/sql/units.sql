-- The units of a level within an area and the caller's scope, with names: the rows an
-- indicator table lists (a unit without incidents still appears, with zeros).
-- $1 level ('city' is the first four digits of the codes), $2 area prefix or NULL (a 15-digit grid code: that grid), $3 scope or NULL.
SELECT code, name FROM (
  SELECT g.code, g.name, g.community_code AS area FROM grid g WHERE $1 = 'grid' AND g.retired_at IS NULL
  UNION ALL
  SELECT a.code, a.name, a.code FROM admin_area a WHERE a.level = $1
  UNION ALL
  -- Districts of a city that has no row of its own: the city by its code (named by the caller).
  SELECT DISTINCT left(d.code, 4), '', left(d.code, 4) FROM admin_area d
  WHERE $1 = 'city' AND d.level = 'district' AND d.retired_at IS NULL
    AND NOT EXISTS (SELECT FROM admin_area c WHERE c.code = left(d.code, 4))
) u
WHERE ($2::text IS NULL OR (length($2) = 15 AND u.code = $2) OR (length($2) < 15 AND (u.area LIKE $2 || '%' OR $2 LIKE u.code || '%')))
  AND ($3::text IS NULL OR u.area LIKE $3 || '%' OR $3 LIKE u.code || '%')
ORDER BY code;
