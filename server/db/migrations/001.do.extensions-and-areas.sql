-- PostGIS and the administrative hierarchy: district → street → community/village.
-- Geometries are WGS84 longitude/latitude (SRID 4326); areas and distances are computed on
-- geography or in a metric projection, never in degrees.
CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE admin_area (
  code        text PRIMARY KEY
              CHECK (code ~ '^[0-9]{6}$' OR code ~ '^[0-9]{9}$' OR code ~ '^[0-9]{12}$'),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  level       text NOT NULL CHECK (level IN ('district', 'street', 'community')),
  parent_code text REFERENCES admin_area (code),
  -- In the 12-digit statistical code, 001–199 is a residents' committee (urban community),
  -- 200–399 a villagers' committee (village). Derived, never entered.
  kind        text GENERATED ALWAYS AS (
                CASE WHEN level = 'community' THEN
                  CASE WHEN substr(code, 10, 3)::int BETWEEN 1 AND 199 THEN 'urban'
                       WHEN substr(code, 10, 3)::int BETWEEN 200 AND 399 THEN 'village' END
                END) STORED,
  geom        geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom)),
  CHECK (
    (level = 'district' AND length(code) = 6 AND parent_code IS NULL) OR
    (level = 'street' AND length(code) = 9 AND parent_code = substr(code, 1, 6)) OR
    (level = 'community' AND length(code) = 12 AND parent_code = substr(code, 1, 9)
       AND substr(code, 10, 3)::int BETWEEN 1 AND 399)
  )
);
CREATE INDEX admin_area_geom_idx ON admin_area USING gist (geom);
CREATE INDEX admin_area_parent_idx ON admin_area (parent_code);
CREATE INDEX admin_area_level_idx ON admin_area (level);
