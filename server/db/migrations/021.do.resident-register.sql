-- The resident register (实有人口) import. Only counts per building are ever stored: the people
-- themselves (names, ID numbers, rooms) are read in memory and dropped.
--
-- A building's matchable address. The building import adds the same columns; IF NOT EXISTS keeps
-- this migration harmless whichever lands first.
ALTER TABLE building ADD COLUMN IF NOT EXISTS address text;
ALTER TABLE building ADD COLUMN IF NOT EXISTS building_code text;

-- Addresses of a register that matched no building by text and that a planner assigned to a
-- building on the map. The key is the normalised address down to the building (community,
-- compound, building number): no room, no person. The next register import reuses it.
CREATE TABLE building_address_assignment (
  address_key    text PRIMARY KEY CHECK (length(address_key) BETWEEN 1 AND 300),
  community_code text NOT NULL REFERENCES admin_area (code),
  building_id    bigint NOT NULL REFERENCES building (id) ON DELETE CASCADE,
  assigned_by    bigint REFERENCES app_user (id) ON DELETE SET NULL,
  assigned_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX building_address_assignment_building ON building_address_assignment (building_id);
