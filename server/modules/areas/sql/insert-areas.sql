-- New areas without outlines, and their first version ('create'). $1 codes, $2 names, $3 levels,
-- $4 parent codes, $5 城乡分类代码 (NULL where the list gives none), $6 user id, $7 username,
-- $8 reason. Parents come first in the arrays (the foreign key is checked row by row).
WITH input AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY
         AS i (code, name, level, parent_code, urban_rural_class, n)
),
created AS (
  INSERT INTO admin_area (code, name, level, parent_code, urban_rural_class)
  SELECT code, name, level, parent_code, urban_rural_class FROM input ORDER BY n
  RETURNING code, name, parent_code, urban_rural_class, version
)
INSERT INTO area_version (area_code, version, name, parent_code, urban_rural_class, action, reason, changed_by, changed_by_username)
SELECT code, version, name, parent_code, urban_rural_class, 'create', $8, $6, $7 FROM created;
