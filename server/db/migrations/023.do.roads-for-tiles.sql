-- Roads under the maps: the walking network's road segments, drawn as the `roads` vector tiles.
-- The walking-network import owns and fills this table; it is created here too (IF NOT EXISTS,
-- the same columns) so the roads tile layer has its table whichever migration comes first.
CREATE TABLE IF NOT EXISTS road_segment (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  geom       geometry(LineString, 4326) NOT NULL,
  road_class text NOT NULL,
  name       text,
  walkable   boolean NOT NULL DEFAULT true
);
CREATE INDEX IF NOT EXISTS road_segment_geom_idx ON road_segment USING gist (geom);

-- Edits to roads drop the cached road tiles they touch (the triggers of migration 010).
DROP TRIGGER IF EXISTS tile_invalidation_insert ON road_segment;
DROP TRIGGER IF EXISTS tile_invalidation_update ON road_segment;
DROP TRIGGER IF EXISTS tile_invalidation_delete ON road_segment;
DROP TRIGGER IF EXISTS tile_invalidation_truncate ON road_segment;
CREATE TRIGGER tile_invalidation_insert AFTER INSERT ON road_segment REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION tile_invalidation_notify('roads', 'id');
CREATE TRIGGER tile_invalidation_update AFTER UPDATE ON road_segment REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION tile_invalidation_notify('roads', 'id');
CREATE TRIGGER tile_invalidation_delete AFTER DELETE ON road_segment REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION tile_invalidation_notify('roads', 'id');
CREATE TRIGGER tile_invalidation_truncate AFTER TRUNCATE ON road_segment
  FOR EACH STATEMENT EXECUTE FUNCTION tile_invalidation_notify('roads', 'id');
