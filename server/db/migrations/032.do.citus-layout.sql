-- The Citus layout (distributed mode), applied when the database has the citus extension (a
-- Citus coordinator with its workers registered); on a plain PostGIS this migration changes
-- nothing. See docs/scale-notes-core.md.
--
-- * Distributed, co-located on district_code (migration 031): incident, incident_reporter,
--   incident_event, incident_photo, incident_tile_day, incident_bin. An analyst's district, a
--   report, a workflow step, an import batch: one shard. The city-wide views fan out.
-- * Reference tables (a copy on every node, joined with the incidents on the shard): the lookup
--   tables an incident refers to or is joined with: incident_category, admin_area, grid,
--   app_user, incident_bin_place.
-- * Local on the coordinator: everything else (sessions, audit log, tokens, facilities and their
--   service/walk areas, buildings, the walking network, imports' staging, setup). Facilities and
--   buildings carry row triggers that write their derived tables (service areas, walk links): on
--   a reference table these would run on every node and write other tables from there, which
--   Citus does not do; they are never joined with incidents on a shard.
-- The shard count is citus.shard_count (default 32; the tests use fewer).

DO $$
DECLARE
  t text;
  k record;
BEGIN
  IF NOT EXISTS (SELECT FROM pg_extension WHERE extname = 'citus') THEN
    RETURN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_dist_node WHERE groupid <> 0 AND isactive AND noderole = 'primary') THEN
    RAISE EXCEPTION 'The database has the citus extension but no worker node: add the workers (SELECT citus_add_node(host, port)) before migrating';
  END IF;
  -- The summary triggers run on each shard of incident (they write the co-located summary shard).
  PERFORM set_config('citus.enable_unsafe_triggers', 'on', true);
  PERFORM set_config('citus.multi_shard_modify_mode', 'sequential', true);
  -- The incident tables' foreign keys are put aside while the tables move (a table tied to a
  -- reference table by a key becomes a coordinator table first, which cannot then be distributed
  -- with its identity column), and put back once every table has its place.
  CREATE TEMP TABLE citus_layout_keys ON COMMIT DROP AS
  SELECT conrelid::regclass::text AS table_name, conname, pg_get_constraintdef(oid) AS definition
  FROM pg_constraint
  WHERE contype = 'f' AND conrelid = ANY (ARRAY['incident', 'incident_reporter', 'incident_event', 'incident_photo']::regclass[]);
  FOR k IN SELECT * FROM citus_layout_keys LOOP
    EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', k.table_name, k.conname);
  END LOOP;
  -- Rows copied before the triggers are on the shards: the summaries are recomputed at the end.
  DELETE FROM incident_tile_day;
  DELETE FROM incident_bin;
  PERFORM create_distributed_table('incident_tile_day', 'district_code', colocate_with => 'none');
  FOREACH t IN ARRAY ARRAY['incident_bin', 'incident', 'incident_reporter', 'incident_event', 'incident_photo'] LOOP
    PERFORM create_distributed_table(t, 'district_code', colocate_with => 'incident_tile_day');
  END LOOP;
  FOREACH t IN ARRAY ARRAY['incident_category', 'admin_area', 'app_user', 'grid', 'incident_bin_place'] LOOP
    PERFORM create_reference_table(t);
  END LOOP;
  FOR k IN SELECT * FROM citus_layout_keys LOOP
    EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I %s', k.table_name, k.conname, k.definition);
  END LOOP;
  PERFORM incident_summary_rebuild();
END $$;
