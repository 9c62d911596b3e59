-- The live cities and districts: the top of the hierarchy is decided from these.
SELECT code, name, level, parent_code FROM admin_area
WHERE level IN ('city', 'district') AND retired_at IS NULL
ORDER BY level DESC, code;
