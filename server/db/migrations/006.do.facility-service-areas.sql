-- Stored service areas (服务圈) of facilities, kept current by triggers, and the geography index
-- on buildings that coverage queries (ST_DWithin on geography) walk.

-- One row per facility: the true metric buffer (geography, metres) of its type's walking radius.
-- Kept current by the triggers below whenever a facility is created, moves or changes type, and
-- whenever a type's radius is changed, whoever makes the change (API, import, SQL by hand).
CREATE TABLE facility_service_area (
  facility_id    bigint PRIMARY KEY REFERENCES facility (id) ON DELETE CASCADE,
  radius_meters  integer NOT NULL CHECK (radius_meters > 0),
  geom           geometry(Polygon, 4326) NOT NULL,
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX facility_service_area_geom_idx ON facility_service_area USING gist (geom);

-- 16 segments per quarter circle: the polygon's edges lie at most ~0.5 m inside a 1,000 m circle.
CREATE FUNCTION facility_service_area_polygon(point geometry, radius_meters integer) RETURNS geometry
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT ST_Buffer(point::geography, radius_meters, 'quad_segs=16')::geometry
$$;

CREATE FUNCTION facility_service_area_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO facility_service_area (facility_id, radius_meters, geom, updated_at)
  SELECT NEW.id, t.service_radius_meters, facility_service_area_polygon(NEW.geom, t.service_radius_meters), now()
  FROM facility_type t WHERE t.code = NEW.facility_type
  ON CONFLICT (facility_id) DO UPDATE
    SET radius_meters = EXCLUDED.radius_meters, geom = EXCLUDED.geom, updated_at = EXCLUDED.updated_at;
  RETURN NULL;
END $$;

CREATE TRIGGER facility_service_area_on_insert
  AFTER INSERT ON facility
  FOR EACH ROW EXECUTE FUNCTION facility_service_area_refresh();
CREATE TRIGGER facility_service_area_on_move
  AFTER UPDATE OF geom, facility_type ON facility
  FOR EACH ROW
  WHEN (NOT ST_Equals(OLD.geom, NEW.geom) OR OLD.facility_type IS DISTINCT FROM NEW.facility_type)
  EXECUTE FUNCTION facility_service_area_refresh();

CREATE FUNCTION facility_service_area_type_radius_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE facility_service_area a
     SET radius_meters = NEW.service_radius_meters,
         geom = facility_service_area_polygon(f.geom, NEW.service_radius_meters),
         updated_at = now()
    FROM facility f
   WHERE f.id = a.facility_id AND f.facility_type = NEW.code;
  RETURN NULL;
END $$;

CREATE TRIGGER facility_service_area_on_type_radius
  AFTER UPDATE OF service_radius_meters ON facility_type
  FOR EACH ROW
  WHEN (OLD.service_radius_meters IS DISTINCT FROM NEW.service_radius_meters)
  EXECUTE FUNCTION facility_service_area_type_radius_changed();

-- Facilities that exist before this migration.
INSERT INTO facility_service_area (facility_id, radius_meters, geom)
SELECT f.id, t.service_radius_meters, facility_service_area_polygon(f.geom, t.service_radius_meters)
FROM facility f JOIN facility_type t ON t.code = f.facility_type;

-- Coverage asks "which buildings lie within r metres of this station" on the spheroid; this index
-- lets ST_DWithin(geography) answer it without scanning every building.
CREATE INDEX building_geog_idx ON building USING gist ((geom::geography));
