-- Renames a live area (and sets its 城乡分类代码 when one is given), writing its new version.
-- $1 code, $2 new name, $3 urban-rural class or NULL to keep, $4 user id, $5 username, $6 reason,
-- $7 the version the caller read (NULL: whatever is there, as a code-list import does).
WITH renamed AS (
  UPDATE admin_area
  SET name = $2, urban_rural_class = coalesce($3, urban_rural_class), version = version + 1, updated_at = now()
  WHERE code = $1 AND retired_at IS NULL AND ($7::int IS NULL OR version = $7)
  RETURNING code, version, name, parent_code, urban_rural_class, geom
)
INSERT INTO area_version (area_code, version, name, parent_code, urban_rural_class, geom, action, reason, changed_by, changed_by_username)
SELECT code, version, name, parent_code, urban_rural_class, geom, 'rename', $6, $4, $5 FROM renamed
RETURNING version;
