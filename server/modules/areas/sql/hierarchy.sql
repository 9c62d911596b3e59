-- The live hierarchy as a flat list (city → district → street → community, in code order) with
-- what each needs next: whether it has an outline yet and where it came from, and its live grids
-- (a street or district counts the grids of the communities under it).
SELECT a.code, a.name, a.level, a.parent_code, a.kind, a.township_kind, a.urban_rural_class,
       a.geom IS NOT NULL AS has_outline, a.outline_source, a.version,
       (SELECT count(*) FROM grid g
        WHERE g.retired_at IS NULL AND g.community_code LIKE a.code || '%')::int AS live_grids
FROM admin_area a
WHERE a.retired_at IS NULL
ORDER BY a.code;
