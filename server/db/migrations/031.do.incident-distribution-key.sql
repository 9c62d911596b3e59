-- The incidents keyed by district (the distribution key of the Citus layout, migration 032), in
-- every mode: the same columns, keys and triggers on a plain PostGIS as on a Citus cluster.
--
-- district_code = the first 6 digits of the incident's community code ('000000' for an incident
-- placed in no community, which happens only while no outline is known). Every incident table
-- carries it: incident (primary key (district_code, id)), its reporter, events and photos
-- (composite foreign keys), and the summaries incident_tile_day / incident_bin (a cell on a
-- district boundary has one row per district; readers sum them). An external id is unique within
-- its district (the same ticket re-sent lands at the same point, so in the same district).
--
-- The summaries stay maintained by the statement triggers of migration 011, now written to the
-- summary table beside the incident rows: the table itself here, the co-located shard on a
-- Citus worker (incident_colocated). The cell places (incident_bin_place) are written by the
-- trigger where the place table is local; readers compute a missing place on the fly.
-- Tile invalidation of incidents is no longer a trigger (a NOTIFY raised on a worker never
-- reaches the server, which listens on the coordinator): the incident write paths of the server
-- send it in the same transaction (incidents-repository.ts: notifyIncidentTiles).

SET LOCAL statement_timeout = 0;

ALTER TABLE incident ADD COLUMN district_code text;
UPDATE incident SET district_code = coalesce(left(community_code, 6), '000000');
ALTER TABLE incident ALTER COLUMN district_code SET NOT NULL;
ALTER TABLE incident ADD CONSTRAINT incident_district_code_check CHECK (district_code ~ '^[0-9]{6}$');

ALTER TABLE incident_reporter ADD COLUMN district_code text;
ALTER TABLE incident_event ADD COLUMN district_code text;
ALTER TABLE incident_photo ADD COLUMN district_code text;
UPDATE incident_reporter c SET district_code = i.district_code FROM incident i WHERE i.id = c.incident_id;
UPDATE incident_event c SET district_code = i.district_code FROM incident i WHERE i.id = c.incident_id;
UPDATE incident_photo c SET district_code = i.district_code FROM incident i WHERE i.id = c.incident_id;
ALTER TABLE incident_reporter ALTER COLUMN district_code SET NOT NULL;
ALTER TABLE incident_event ALTER COLUMN district_code SET NOT NULL;
ALTER TABLE incident_photo ALTER COLUMN district_code SET NOT NULL;

ALTER TABLE incident_reporter DROP CONSTRAINT incident_reporter_incident_id_fkey, DROP CONSTRAINT incident_reporter_pkey;
ALTER TABLE incident_event DROP CONSTRAINT incident_event_incident_id_fkey, DROP CONSTRAINT incident_event_pkey;
ALTER TABLE incident_photo DROP CONSTRAINT incident_photo_incident_id_fkey, DROP CONSTRAINT incident_photo_pkey;
ALTER TABLE incident DROP CONSTRAINT incident_pkey, DROP CONSTRAINT incident_external_id_key;
ALTER TABLE incident ADD PRIMARY KEY (district_code, id), ADD CONSTRAINT incident_external_id_key UNIQUE (district_code, external_id);
-- A look-up by id alone (a link, an API path) still finds its row through an index on every shard.
CREATE INDEX incident_id_idx ON incident (id);
ALTER TABLE incident_reporter ADD PRIMARY KEY (district_code, incident_id),
  ADD CONSTRAINT incident_reporter_incident_fkey FOREIGN KEY (district_code, incident_id) REFERENCES incident (district_code, id) ON DELETE CASCADE;
ALTER TABLE incident_event ADD PRIMARY KEY (district_code, id),
  ADD CONSTRAINT incident_event_incident_fkey FOREIGN KEY (district_code, incident_id) REFERENCES incident (district_code, id) ON DELETE CASCADE;
ALTER TABLE incident_photo ADD PRIMARY KEY (district_code, id),
  ADD CONSTRAINT incident_photo_incident_fkey FOREIGN KEY (district_code, incident_id) REFERENCES incident (district_code, id) ON DELETE CASCADE;
CREATE INDEX incident_reporter_incident_idx ON incident_reporter (incident_id);

-- Incident tiles: invalidated by the server's write paths (see above).
DROP TRIGGER tile_invalidation_insert ON incident;
DROP TRIGGER tile_invalidation_update ON incident;
DROP TRIGGER tile_invalidation_delete ON incident;
DROP TRIGGER tile_invalidation_truncate ON incident;

-- The summaries, by district.
DROP TRIGGER incident_summary_insert ON incident;
DROP TRIGGER incident_summary_update ON incident;
DROP TRIGGER incident_summary_delete ON incident;
DROP TRIGGER incident_summary_truncate ON incident;
TRUNCATE incident_tile_day, incident_bin;
ALTER TABLE incident_tile_day ADD COLUMN district_code text NOT NULL;
ALTER TABLE incident_tile_day DROP CONSTRAINT incident_tile_day_pkey;
ALTER TABLE incident_tile_day ADD PRIMARY KEY (district_code, level, day, cell) INCLUDE (n, sx, sy);
ALTER TABLE incident_bin ADD COLUMN district_code text NOT NULL;
ALTER TABLE incident_bin DROP CONSTRAINT incident_bin_pkey;
ALTER TABLE incident_bin ADD PRIMARY KEY (district_code, kind, size, block, i, j);
-- The tile reader selects by (level, day, cell range) across districts.
CREATE INDEX incident_tile_day_cell_idx ON incident_tile_day (level, day, cell) INCLUDE (n, sx, sy);
CREATE INDEX incident_bin_cell_idx ON incident_bin (kind, size, block) INCLUDE (i, j, days);

-- The summary table beside the incident rows a trigger runs on: on a plain PostGIS the trigger
-- runs on `incident` itself and the summary is `summary`; on a Citus worker it runs on a shard
-- (incident_102008) and the summary is the shard of `summary` co-located with it (same hash
-- range, same node), written directly: no distributed query is run from inside a shard.
CREATE FUNCTION incident_colocated(summary text, incident_table name) RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
  shard bigint;
  target bigint;
BEGIN
  IF incident_table = 'incident' THEN
    RETURN quote_ident(summary);
  END IF;
  shard := substring(incident_table FROM '_([0-9]+)$')::bigint;
  EXECUTE 'SELECT t.shardid FROM pg_dist_shard s JOIN pg_dist_shard t ON t.shardminvalue = s.shardminvalue AND t.logicalrelid = $2::regclass WHERE s.shardid = $1'
    INTO target USING shard, summary;
  IF target IS NULL THEN
    RAISE EXCEPTION 'no shard of % beside %', summary, incident_table;
  END IF;
  RETURN quote_ident(summary || '_' || target);
END $$;

CREATE OR REPLACE FUNCTION incident_summary_sync() RETURNS trigger LANGUAGE plpgsql
-- Writing a co-located shard directly (Citus); a placeholder setting on a plain PostGIS.
SET citus.enable_manual_changes_to_shards = 'on' AS $$
DECLARE
  -- The changes: +1 for each row after, −1 for each row before.
  delta text;
  tiles text := incident_colocated('incident_tile_day', TG_TABLE_NAME);
  bins text := incident_colocated('incident_bin', TG_TABLE_NAME);
  added_kind "char"[];
  added_size smallint[];
  added_i integer[];
  added_j integer[];
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    EXECUTE format('DELETE FROM %s', tiles);
    EXECUTE format('DELETE FROM %s', bins);
    RETURN NULL;
  ELSIF TG_OP = 'INSERT' THEN
    delta := 'SELECT 1 AS sign, district_code, reported_at, geom, geom_metric FROM new_rows';
  ELSIF TG_OP = 'DELETE' THEN
    delta := 'SELECT -1 AS sign, district_code, reported_at, geom, geom_metric FROM old_rows';
  ELSE
    delta := 'SELECT s.sign, s.district_code, s.reported_at, s.geom, s.geom_metric
              FROM old_rows o JOIN new_rows n ON n.id = o.id
              CROSS JOIN LATERAL (VALUES (-1, o.district_code, o.reported_at, o.geom, o.geom_metric), (1, n.district_code, n.reported_at, n.geom, n.geom_metric))
                s (sign, district_code, reported_at, geom, geom_metric)
              WHERE o.reported_at IS DISTINCT FROM n.reported_at OR o.geom IS DISTINCT FROM n.geom OR o.district_code IS DISTINCT FROM n.district_code';
  END IF;

  -- Tile cells: signed counts and sums (a move inside a cell changes only the sums).
  EXECUTE format($q$
    WITH delta AS (%s)
    INSERT INTO %s AS t (district_code, level, day, cell, n, sx, sy)
    SELECT d.district_code, k.level, k.day, k.cell, sum(d.sign), sum(d.sign * k.px::bigint), sum(d.sign * k.py::bigint)
    FROM delta d CROSS JOIN LATERAL incident_tile_keys(d.reported_at, d.geom) k
    GROUP BY d.district_code, k.level, k.day, k.cell
    ORDER BY d.district_code, k.level, k.day, k.cell
    ON CONFLICT (district_code, level, day, cell) DO UPDATE SET n = t.n + excluded.n, sx = t.sx + excluded.sx, sy = t.sy + excluded.sy
  $q$, delta, tiles);

  -- Bins: the days added, then the days removed.
  EXECUTE format($q$
    WITH delta AS (%s),
    added AS MATERIALIZED (
      SELECT d.district_code, k.kind, k.size, k.block, k.i, k.j, incident_days_union(array_agg(k.d), NULL) AS days
      FROM delta d CROSS JOIN LATERAL incident_bin_keys(d.reported_at, d.geom_metric) k
      WHERE d.sign > 0
      GROUP BY d.district_code, k.kind, k.size, k.block, k.i, k.j
    ),
    bins AS (
      INSERT INTO %s AS b (district_code, kind, size, block, i, j, days)
      SELECT district_code, kind, size, block, i, j, days FROM added ORDER BY district_code, kind, size, block, i, j
      ON CONFLICT (district_code, kind, size, block, i, j) DO UPDATE SET days = incident_days_union(b.days, excluded.days)
    )
    SELECT array_agg(kind), array_agg(size), array_agg(i), array_agg(j) FROM added
  $q$, delta, bins) INTO added_kind, added_size, added_i, added_j;
  -- The places of cells new to the map, where the place table is at hand (not from a shard:
  -- there the readers compute a missing place, and the server's writes add them).
  IF TG_TABLE_NAME = 'incident' AND added_kind IS NOT NULL THEN
    PERFORM incident_bin_place_add(added_kind, added_size, added_i, added_j);
  END IF;
  IF TG_OP <> 'INSERT' THEN
    EXECUTE format($q$
      WITH delta AS (%s)
      UPDATE %s b SET days = incident_days_minus(b.days, r.days)
      FROM (
        SELECT d.district_code, k.kind, k.size, k.block, k.i, k.j, array_agg(k.d) AS days
        FROM delta d CROSS JOIN LATERAL incident_bin_keys(d.reported_at, d.geom_metric) k
        WHERE d.sign < 0
        GROUP BY d.district_code, k.kind, k.size, k.block, k.i, k.j
      ) r
      WHERE (b.district_code, b.kind, b.size, b.block, b.i, b.j) = (r.district_code, r.kind, r.size, r.block, r.i, r.j)
    $q$, delta, bins);
    -- Cells left empty (both found through partial indexes that are otherwise empty).
    EXECUTE format('DELETE FROM %s WHERE n = 0', tiles);
    EXECUTE format('DELETE FROM %s WHERE cardinality(days) = 0', bins);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER incident_summary_insert AFTER INSERT ON incident REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION incident_summary_sync();
CREATE TRIGGER incident_summary_update AFTER UPDATE ON incident REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION incident_summary_sync();
CREATE TRIGGER incident_summary_delete AFTER DELETE ON incident REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION incident_summary_sync();
CREATE TRIGGER incident_summary_truncate AFTER TRUNCATE ON incident
  FOR EACH STATEMENT EXECUTE FUNCTION incident_summary_sync();

-- The places of the bins of some incidents (the server's writes; a rebuild): run where the
-- place table can be written (the coordinator), reading the incidents through any layout.
CREATE FUNCTION incident_bin_place_of_incidents(districts text[], ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  k "char"[];
  s smallint[];
  ci integer[];
  cj integer[];
BEGIN
  SELECT array_agg(b.kind), array_agg(b.size), array_agg(b.i), array_agg(b.j) INTO k, s, ci, cj
  FROM (
    SELECT DISTINCT kb.kind, kb.size, kb.i, kb.j
    FROM incident i CROSS JOIN LATERAL incident_bin_keys(i.reported_at, i.geom_metric) kb
    WHERE i.district_code = ANY (districts) AND i.id = ANY (ids)
  ) b;
  IF k IS NOT NULL THEN
    PERFORM incident_bin_place_add(k, s, ci, cj);
  END IF;
END $$;

CREATE OR REPLACE FUNCTION incident_summary_rebuild() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  k "char"[];
  s smallint[];
  ci integer[];
  cj integer[];
BEGIN
  DELETE FROM incident_tile_day;
  DELETE FROM incident_bin;
  INSERT INTO incident_tile_day (district_code, level, day, cell, n, sx, sy)
  SELECT i.district_code, k.level, k.day, k.cell, count(*)::integer, sum(k.px)::bigint, sum(k.py)::bigint
  FROM incident i CROSS JOIN LATERAL incident_tile_keys(i.reported_at, i.geom) k
  GROUP BY i.district_code, k.level, k.day, k.cell;
  INSERT INTO incident_bin (district_code, kind, size, block, i, j, days)
  SELECT i.district_code, k.kind, k.size, k.block, k.i, k.j, incident_days_union(array_agg(k.d), NULL)
  FROM incident i CROSS JOIN LATERAL incident_bin_keys(i.reported_at, i.geom_metric) k
  GROUP BY i.district_code, k.kind, k.size, k.block, k.i, k.j;
  SELECT array_agg(b.kind), array_agg(b.size), array_agg(b.i), array_agg(b.j) INTO k, s, ci, cj
  FROM (SELECT DISTINCT kind, size, i, j FROM incident_bin) b;
  IF k IS NOT NULL THEN
    PERFORM incident_bin_place_add(k, s, ci, cj);
  END IF;
END $$;

SELECT incident_summary_rebuild();

-- A tile notification, sent only where the server listens: a plain PostGIS, or a Citus
-- coordinator. A trigger on a reference table runs on every node's copy; a worker's copy stays
-- silent (its part of the transaction is prepared for a two-phase commit, which refuses NOTIFY).
CREATE FUNCTION tile_notify(payload text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  node_group integer := 0;
BEGIN
  IF to_regclass('pg_catalog.pg_dist_local_group') IS NOT NULL THEN
    EXECUTE 'SELECT groupid FROM pg_catalog.pg_dist_local_group' INTO node_group;
  END IF;
  IF coalesce(node_group, 0) = 0 THEN
    PERFORM pg_notify('wangge_tiles', payload);
  END IF;
END $$;

DO $$
DECLARE
  definition text := pg_get_functiondef('tile_invalidation_notify()'::regprocedure);
BEGIN
  EXECUTE replace(definition, 'pg_notify(''wangge_tiles'',', 'tile_notify(');
END $$;

-- Tile invalidation for incidents written by the server (in the write's transaction, on the node
-- the server listens on): the boxes of the given incidents, as the triggers of migration 010 send.
CREATE FUNCTION incident_tiles_changed(ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  boxes geometry[];
BEGIN
  SELECT array_agg(ST_Envelope(geom)) INTO boxes FROM incident WHERE id = ANY (ids);
  IF boxes IS NULL THEN
    RETURN;
  END IF;
  IF cardinality(boxes) > 100 THEN
    boxes := ARRAY[(SELECT ST_Envelope(ST_Collect(b)) FROM unnest(boxes) b)];
  END IF;
  PERFORM tile_notify(jsonb_build_object('layer', 'incidents', 'boxes', tile_boxes_json(boxes))::text);
END $$;

-- Migration 014's trigger, with the transition rows read first on their own: on Citus, grid is a
-- reference table, and a query joining it with a transition table cannot be planned.
CREATE OR REPLACE FUNCTION grid_staff_link_tile_invalidation() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  grid_ids bigint[];
  boxes geometry[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(n.grid_id) INTO grid_ids FROM new_rows n WHERE n.user_id IS NOT NULL;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(o.grid_id) INTO grid_ids FROM old_rows o WHERE o.user_id IS NOT NULL;
  ELSE
    SELECT array_agg(x.grid_id) INTO grid_ids
      FROM old_rows o JOIN new_rows n ON n.id = o.id CROSS JOIN LATERAL (VALUES (o.grid_id), (n.grid_id)) x (grid_id)
     WHERE o.user_id IS DISTINCT FROM n.user_id OR (n.user_id IS NOT NULL AND o.grid_id <> n.grid_id);
  END IF;
  IF grid_ids IS NULL THEN
    RETURN NULL;
  END IF;
  SELECT array_agg(DISTINCT ST_Envelope(g.geom)) INTO boxes FROM grid g WHERE g.id = ANY (grid_ids);
  IF boxes IS NULL OR cardinality(boxes) = 0 THEN
    RETURN NULL;
  END IF;
  IF cardinality(boxes) > 100 THEN
    boxes := ARRAY[(SELECT ST_Envelope(ST_Collect(b)) FROM unnest(boxes) b)];
  END IF;
  PERFORM tile_notify(jsonb_build_object('layer', 'incidents', 'boxes', tile_boxes_json(boxes))::text);
  RETURN NULL;
END $$;

-- Migration 011's function in PL/pgSQL (Citus cannot plan a SQL function's parameters into a
-- distributed statement).
CREATE OR REPLACE FUNCTION incident_bin_place_add(kinds "char"[], sizes smallint[], cell_i integer[], cell_j integer[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO incident_bin_place (kind, size, i, j, lon, lat, ring)
  SELECT k.kind, k.size, k.i, k.j, ST_X(c.centre), ST_Y(c.centre),
         CASE WHEN k.kind = 'h' THEN incident_hex_ring(k.size, k.i, k.j) END
  FROM (SELECT DISTINCT * FROM unnest(kinds, sizes, cell_i, cell_j) u (kind, size, i, j)) k
  CROSS JOIN LATERAL (
    SELECT ST_Transform(ST_SetSRID(CASE WHEN k.kind = 's' THEN ST_MakePoint((k.i + 0.5) * k.size, (k.j + 0.5) * k.size)
                                        ELSE ST_Centroid(ST_Hexagon(k.size, k.i, k.j)) END, 4545), 4326) AS centre
  ) c
  ON CONFLICT DO NOTHING;
END $$;

-- Functions that read tables which Citus manages (reference or distributed tables) in PL/pgSQL:
-- a SQL function's parameters cannot be planned into a distributed query. (The analyst's filter
-- is written into each query instead: server/db/inline/incident_filtered.sql.)
CREATE OR REPLACE FUNCTION known_territory() RETURNS TABLE (code text, level text, geom geometry(MultiPolygon, 4326))
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN QUERY
  SELECT a.code, a.level, a.geom
  FROM admin_area a
  WHERE a.retired_at IS NULL
    AND a.geom IS NOT NULL
    AND (a.level IN ('city', 'district')
         OR (a.level = 'street'
             AND NOT EXISTS (SELECT FROM admin_area d WHERE d.code = substr(a.code, 1, 6) AND d.geom IS NOT NULL))
         OR (a.level = 'community'
             AND NOT EXISTS (SELECT FROM admin_area d WHERE d.code = substr(a.code, 1, 6) AND d.geom IS NOT NULL)
             AND NOT EXISTS (SELECT FROM admin_area s WHERE s.code = substr(a.code, 1, 9) AND s.geom IS NOT NULL)));
END $$;
CREATE OR REPLACE FUNCTION incident_place(point geometry)
RETURNS TABLE (grid_id bigint, grid_code text, community_code text) LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
  RETURN QUERY
  SELECT g.id, g.code, coalesce(g.community_code, c.code)
  FROM (SELECT 1) one
  LEFT JOIN LATERAL (
    SELECT grid.id, grid.code, grid.community_code FROM grid
    WHERE grid.retired_at IS NULL AND ST_Covers(grid.geom, point)
    ORDER BY grid.code LIMIT 1
  ) g ON true
  LEFT JOIN LATERAL (
    SELECT a.code FROM admin_area a
    WHERE g.id IS NULL AND a.level = 'community' AND ST_Covers(a.geom, point)
    ORDER BY a.code LIMIT 1
  ) c ON true;
END $$;

CREATE OR REPLACE FUNCTION incident_filtered(
  from_at timestamptz, to_at timestamptz, categories text[], statuses text[], sources text[],
  area_code text, scope_code text
) RETURNS SETOF incident LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN QUERY
  SELECT i.*
  FROM incident i
  WHERE i.reported_at >= from_at AND i.reported_at < to_at
    AND (categories IS NULL OR i.category = ANY (categories))
    AND (statuses IS NULL OR i.status = ANY (statuses))
    AND (sources IS NULL OR i.source = ANY (sources))
    AND (area_code IS NULL
         OR (length(area_code) = 15 AND i.grid_id = (SELECT g.id FROM grid g WHERE g.code = area_code))
         OR (length(area_code) < 15 AND i.community_code LIKE area_code || '%'))
    AND (scope_code IS NULL OR i.community_code LIKE scope_code || '%');
END $$;
