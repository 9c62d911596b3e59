-- First start without the demo, and grid staff tied to accounts.
--
-- 1. The one-time set-up link: when no active admin exists, `npm start` issues a random token
--    and prints a link to /setup with it. Only its SHA-256 is stored; it is void once used, after
--    24 hours, or when a newer link is issued (every start issues a new one while set-up is open).
CREATE TABLE setup_token (
  token_hash  bytea PRIMARY KEY,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz
);

-- 2. A grid leader or manager (grid_staff) may be linked to a grid-worker account (user_id,
--    since migration 005). One account serves a grid at most once.
CREATE UNIQUE INDEX grid_staff_one_post_per_user ON grid_staff (grid_id, user_id) WHERE user_id IS NOT NULL;
CREATE INDEX grid_staff_user_idx ON grid_staff (user_id) WHERE user_id IS NOT NULL;

-- A grid worker sees incident tiles of their own grids only, and those tiles are cached per
-- account: when a link changes, the incident tiles over the grids concerned must go (the
-- triggers of migration 010 only watch the layers' own tables).
CREATE FUNCTION grid_staff_link_tile_invalidation() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  boxes geometry[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(DISTINCT ST_Envelope(g.geom)) INTO boxes
      FROM new_rows n JOIN grid g ON g.id = n.grid_id WHERE n.user_id IS NOT NULL;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(DISTINCT ST_Envelope(g.geom)) INTO boxes
      FROM old_rows o JOIN grid g ON g.id = o.grid_id WHERE o.user_id IS NOT NULL;
  ELSE
    SELECT array_agg(DISTINCT ST_Envelope(g.geom)) INTO boxes
      FROM old_rows o JOIN new_rows n ON n.id = o.id JOIN grid g ON g.id IN (o.grid_id, n.grid_id)
     WHERE o.user_id IS DISTINCT FROM n.user_id OR (n.user_id IS NOT NULL AND o.grid_id <> n.grid_id);
  END IF;
  IF boxes IS NULL OR cardinality(boxes) = 0 THEN
    RETURN NULL;
  END IF;
  IF cardinality(boxes) > 100 THEN
    boxes := ARRAY[(SELECT ST_Envelope(ST_Collect(b)) FROM unnest(boxes) b)];
  END IF;
  PERFORM pg_notify('wangge_tiles', jsonb_build_object('layer', 'incidents', 'boxes', tile_boxes_json(boxes))::text);
  RETURN NULL;
END $$;

CREATE TRIGGER grid_staff_link_insert AFTER INSERT ON grid_staff REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION grid_staff_link_tile_invalidation();
CREATE TRIGGER grid_staff_link_update AFTER UPDATE ON grid_staff REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION grid_staff_link_tile_invalidation();
CREATE TRIGGER grid_staff_link_delete AFTER DELETE ON grid_staff REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION grid_staff_link_tile_invalidation();
