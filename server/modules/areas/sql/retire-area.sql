-- Retires a live area: its outline moves into its last version (area_version), the area keeps
-- its code and history but leaves every list and spatial query. Refusals are checked first.
-- $1 code, $2 user id, $3 username, $4 reason, $5 the version the caller read.
WITH retired AS (
  UPDATE admin_area a
  SET retired_at = now(), geom = NULL, version = a.version + 1, updated_at = now()
  FROM admin_area before
  WHERE a.code = $1 AND before.code = a.code AND a.retired_at IS NULL AND ($5::int IS NULL OR a.version = $5)
  RETURNING a.code, a.version, a.name, a.parent_code, a.urban_rural_class, before.geom AS old_geom
)
INSERT INTO area_version (area_code, version, name, parent_code, urban_rural_class, geom, retired, action, reason, changed_by, changed_by_username)
SELECT code, version, name, parent_code, urban_rural_class, old_geom, true, 'retire', $4, $2, $3 FROM retired
RETURNING version;
