-- The set of grids validation.sql checks: a temporary table, dropped at the end of the
-- transaction. `key` names a grid in findings: its id for a live grid, the feature's position
-- in the file for an import.
CREATE TEMP TABLE grid_candidate (
  key             text NOT NULL,
  id              bigint,
  code            text,
  name            text,
  community_code  text,
  grid_type       text,
  dedicated_kind  text,
  geom            geometry,
  households      integer NOT NULL DEFAULT 0,
  residents       integer NOT NULL DEFAULT 0,
  leader_count    integer NOT NULL DEFAULT 0,
  manager_count   integer NOT NULL DEFAULT 0,
  is_valid        boolean,
  vgeom           geometry
) ON COMMIT DROP;
