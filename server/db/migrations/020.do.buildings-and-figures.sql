-- People and buildings (issue 12).
-- * A building carries its address, its code within the community (00001–99999, as Xi'an
--   DB6101/T 3185 numbers them), the community it was imported for, a version and a retired
--   state. A retired building stays (its history with it) and leaves every figure and map.
-- * building_version keeps every state of a building, as grid_version does for grids.
-- * A grid's figures are the sum of its live buildings where it has any ('buildings'); a grid
--   without buildings keeps the figures a planner entered or imported ('entered'). The kind is
--   not stored: it is whether live buildings lie in the grid, so it can never drift.
ALTER TABLE building
  ADD COLUMN address        text CHECK (length(address) <= 200),
  ADD COLUMN building_code  text CHECK (building_code ~ '^[0-9]{5}$'),
  ADD COLUMN community_code text REFERENCES admin_area (code),
  ADD COLUMN version        integer NOT NULL DEFAULT 1,
  ADD COLUMN created_at     timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN updated_at     timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN retired_at     timestamptz;

-- A building code is unique among the live buildings of its community.
CREATE UNIQUE INDEX building_code_unique_idx ON building (community_code, building_code)
  WHERE retired_at IS NULL AND building_code IS NOT NULL;
CREATE INDEX building_community_idx ON building (community_code) WHERE retired_at IS NULL;

CREATE TABLE building_version (
  id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  building_id         bigint NOT NULL REFERENCES building (id),
  version             integer NOT NULL,
  action              text NOT NULL CHECK (action IN ('import', 'create', 'update', 'move', 'retire', 'replace')),
  name                text NOT NULL,
  kind                text NOT NULL,
  address             text,
  building_code       text,
  community_code      text,
  geom                geometry(Point, 4326) NOT NULL,
  households          integer NOT NULL,
  residents           integer NOT NULL,
  residents_60_plus   integer NOT NULL,
  residents_80_plus   integer NOT NULL,
  retired             boolean NOT NULL,
  reason              text NOT NULL DEFAULT '',
  changed_by_user_id  bigint REFERENCES app_user (id),
  changed_by_username text,
  changed_at          timestamptz NOT NULL DEFAULT now(),
  UNIQUE (building_id, version)
);
