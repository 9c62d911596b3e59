-- Grids (网格), their staff, and the residential buildings/compounds whose people they serve.

CREATE TABLE grid (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- 15 digits: 12-digit community code + 3-digit sequence. Unique across retired grids too,
  -- so that a retired code is never issued again.
  code             text NOT NULL UNIQUE CHECK (code ~ '^[0-9]{15}$'),
  name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  community_code   text NOT NULL REFERENCES admin_area (code),
  grid_type        text NOT NULL DEFAULT 'comprehensive'
                   CHECK (grid_type IN ('comprehensive', 'dedicated')),
  dedicated_kind   text CHECK (dedicated_kind IN
                     ('party_government', 'industrial_park', 'hospital', 'school', 'enterprise', 'market')),
  geom             geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom)),
  households       integer NOT NULL DEFAULT 0 CHECK (households >= 0),
  residents        integer NOT NULL DEFAULT 0 CHECK (residents >= 0),
  residents_60_plus integer NOT NULL DEFAULT 0 CHECK (residents_60_plus >= 0),
  residents_80_plus integer NOT NULL DEFAULT 0 CHECK (residents_80_plus >= 0),
  -- Optimistic concurrency: every update must name the version it read.
  version          integer NOT NULL DEFAULT 1,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  retired_at       timestamptz,
  CHECK ((grid_type = 'dedicated') = (dedicated_kind IS NOT NULL)),
  CHECK (residents_80_plus <= residents_60_plus AND residents_60_plus <= residents),
  CHECK (substr(code, 1, 12) = community_code OR retired_at IS NOT NULL)
);
CREATE INDEX grid_geom_idx ON grid USING gist (geom);
CREATE INDEX grid_community_idx ON grid (community_code) WHERE retired_at IS NULL;

-- Grid leaders (网格长) and grid managers (网格员). Names and phones are personal data:
-- they are only ever returned to staff roles.
CREATE TABLE grid_staff (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  grid_id    bigint NOT NULL REFERENCES grid (id) ON DELETE CASCADE,
  role       text NOT NULL CHECK (role IN ('leader', 'manager')),
  name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
  phone      text CHECK (phone ~ '^[0-9+-]{5,20}$'),
  user_id    bigint
);
CREATE INDEX grid_staff_grid_idx ON grid_staff (grid_id);
CREATE UNIQUE INDEX grid_staff_one_leader ON grid_staff (grid_id) WHERE role = 'leader';

-- Residential buildings (楼栋) and compounds (小区) as points carrying population figures.
CREATE TABLE building (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name             text NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('building', 'compound')),
  geom             geometry(Point, 4326) NOT NULL CHECK (ST_IsValid(geom)),
  households       integer NOT NULL CHECK (households >= 0),
  residents        integer NOT NULL CHECK (residents >= 0),
  residents_60_plus integer NOT NULL CHECK (residents_60_plus >= 0),
  residents_80_plus integer NOT NULL CHECK (residents_80_plus >= 0),
  CHECK (residents_80_plus <= residents_60_plus AND residents_60_plus <= residents)
);
CREATE INDEX building_geom_idx ON building USING gist (geom);
