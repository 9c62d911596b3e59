-- Grid planning: every version of every grid, codes that may never be issued again, the
-- planning norms, and grid codes that can be swapped inside one transaction (renumbering).

-- Every version of a grid as it was written: geometry, attributes and staff, with who changed
-- it, when, how and why. Versions are written through (the current one is here too); a grid
-- loaded before this table existed gets its first row lazily, at its first change.
CREATE TABLE grid_version (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  grid_id           bigint NOT NULL REFERENCES grid (id) ON DELETE CASCADE,
  version           integer NOT NULL,
  code              text NOT NULL,
  name              text NOT NULL,
  community_code    text NOT NULL,
  grid_type         text NOT NULL,
  dedicated_kind    text,
  geom              geometry(MultiPolygon, 4326) NOT NULL,
  households        integer NOT NULL,
  residents         integer NOT NULL,
  residents_60_plus integer NOT NULL,
  residents_80_plus integer NOT NULL,
  -- [{ "role": "leader" | "manager", "name": …, "phone": … }]: personal data, shown only to
  -- the roles that staff grids.
  staff             jsonb NOT NULL DEFAULT '[]',
  retired           boolean NOT NULL DEFAULT false,
  -- 'original' (as loaded), 'create', 'update', 'split', 'merge', 'reshape', 'encode',
  -- 'restore', 'repair', 'import', 'retire'
  action            text NOT NULL,
  reason            text NOT NULL DEFAULT '',
  changed_by        bigint REFERENCES app_user (id),
  changed_by_username text,
  changed_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (grid_id, version)
);

-- Codes that were issued once and no longer name a grid (renumbered away). Codes of retired
-- grids stay on their grid row (grid.code is unique over retired rows too); together the two
-- are every code ever issued, and neither is issued again.
CREATE TABLE retired_grid_code (
  code            text PRIMARY KEY CHECK (code ~ '^[0-9]{15}$'),
  community_code  text NOT NULL,
  grid_id         bigint REFERENCES grid (id),
  retired_at      timestamptz NOT NULL DEFAULT now(),
  reason          text NOT NULL
);
CREATE INDEX retired_grid_code_community_idx ON retired_grid_code (community_code);

-- The planning norms (one row). Households per grid: urban 300–500, rural about 300
-- (DOMAIN.md: a provincial rule quoted by several cities; a setting, not a law of nature).
CREATE TABLE grid_norm_setting (
  id                             integer PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  urban_households_min           integer NOT NULL DEFAULT 300 CHECK (urban_households_min >= 0),
  urban_households_max           integer NOT NULL DEFAULT 500,
  rural_households_min           integer NOT NULL DEFAULT 200 CHECK (rural_households_min >= 0),
  rural_households_max           integer NOT NULL DEFAULT 400,
  -- One grid manager (full-time community worker) per this many households (Wuxi: 300).
  households_per_manager         integer NOT NULL DEFAULT 300 CHECK (households_per_manager > 0),
  -- Overlaps and gaps smaller than this are slivers: reported apart and repaired in one click.
  sliver_tolerance_square_meters double precision NOT NULL DEFAULT 1 CHECK (sliver_tolerance_square_meters >= 0),
  dedicated_sequence_start       integer NOT NULL DEFAULT 901 CHECK (dedicated_sequence_start BETWEEN 2 AND 999),
  updated_at                     timestamptz NOT NULL DEFAULT now(),
  CHECK (urban_households_max >= urban_households_min),
  CHECK (rural_households_max >= rural_households_min)
);
INSERT INTO grid_norm_setting (id) VALUES (1);

-- Renumbering a community swaps codes between its grids: the uniqueness is checked at commit.
ALTER TABLE grid DROP CONSTRAINT grid_code_key;
ALTER TABLE grid ADD CONSTRAINT grid_code_key UNIQUE (code) DEFERRABLE INITIALLY IMMEDIATE;
