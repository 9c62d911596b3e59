-- The version row of an area's current state, written lazily before its first change when none
-- exists (areas loaded from the demo or a code list before area_version recorded them).
INSERT INTO area_version (area_code, version, name, parent_code, urban_rural_class, geom, retired, action, reason, changed_at)
SELECT a.code, a.version, a.name, a.parent_code, a.urban_rural_class, a.geom, a.retired_at IS NOT NULL, 'original', '', a.updated_at
FROM admin_area a
WHERE a.code = $1
  AND NOT EXISTS (SELECT 1 FROM area_version v WHERE v.area_code = a.code AND v.version = a.version);
