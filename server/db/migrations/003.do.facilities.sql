-- Service facilities (设施) and the per-type service radius of the 15-minute circle.

CREATE TABLE facility_type (
  code                  text PRIMARY KEY,
  name_zh               text NOT NULL,
  name_en               text NOT NULL,
  -- Walking radius of the type's service area. GB 50180-2018: 15 min ≈ 1,000 m,
  -- 10 min ≈ 500 m, 5 min ≈ 300 m. Configurable per type.
  service_radius_meters integer NOT NULL DEFAULT 1000 CHECK (service_radius_meters BETWEEN 50 AND 10000),
  sort_order            integer NOT NULL
);

INSERT INTO facility_type (code, name_zh, name_en, service_radius_meters, sort_order) VALUES
  ('party_mass_service_centre', '党群服务中心', 'Party-mass service centre', 1000, 1),
  ('community_service_centre', '社区综合服务中心/站', 'Community service centre', 1000, 2),
  ('day_care_centre', '日间照料中心', 'Day-care centre', 1000, 3),
  ('home_elderly_care_station', '居家养老服务站', 'Home elderly-care station', 1000, 4),
  ('elderly_canteen', '老年助餐点', 'Elderly canteen', 1000, 5),
  ('care_home', '养老院', 'Care home', 1000, 6),
  ('volunteer_station', '志愿者服务站', 'Volunteer station', 1000, 7),
  ('home_for_disabled', '残疾人之家', 'Home for the disabled', 1000, 8),
  ('health_station', '社区卫生服务站', 'Community health station', 1000, 9),
  ('emergency_shelter', '应急避难场所', 'Emergency shelter', 1000, 10),
  ('convenience_station', '便民服务站', 'Convenience station', 1000, 11);

CREATE TABLE facility (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  facility_type  text NOT NULL REFERENCES facility_type (code),
  name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  address        text NOT NULL DEFAULT '',
  geom           geometry(Point, 4326) NOT NULL CHECK (ST_IsValid(geom)),
  phone          text,
  opening_hours  text,
  services       text[] NOT NULL DEFAULT '{}',
  capacity       integer CHECK (capacity >= 0),
  is_public      boolean NOT NULL DEFAULT true,
  version        integer NOT NULL DEFAULT 1,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  retired_at     timestamptz
);
CREATE INDEX facility_geom_idx ON facility USING gist (geom);
-- Geography index for metre-based nearest-neighbour and radius queries.
CREATE INDEX facility_geog_idx ON facility USING gist ((geom::geography));
CREATE INDEX facility_type_idx ON facility (facility_type) WHERE retired_at IS NULL;
