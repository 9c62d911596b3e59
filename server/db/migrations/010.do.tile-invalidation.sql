-- Vector tiles: tell the server which map areas an edit touched, whoever made the edit (API,
-- import, another module, SQL by hand), so that its in-process tile cache drops exactly the
-- tiles that intersect those areas.
--
-- One notification per statement on channel 'wangge_tiles', sent at commit (NOTIFY is
-- transactional: a rolled-back edit says nothing). The payload is JSON:
--   {"layer": "facilities", "boxes": [[minLon, minLat, maxLon, maxLat], …]}
-- with the bounding box of every changed row, before (OLD) and after (NEW) the change, or
--   {"layer": "facilities", "all": true}
-- when a statement changed more rows than fit in one payload (NOTIFY payloads stop at 8,000
-- bytes) or truncated the table. Statement-level triggers with transition tables: a bulk load
-- costs one notification, not one per row.

CREATE FUNCTION tile_boxes_json(boxes geometry[]) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(jsonb_agg(jsonb_build_array(
           round(ST_XMin(b)::numeric, 7), round(ST_YMin(b)::numeric, 7),
           round(ST_XMax(b)::numeric, 7), round(ST_YMax(b)::numeric, 7))), '[]'::jsonb)
  FROM unnest(boxes) b
$$;

-- TG_ARGV[0]: the tile layer; TG_ARGV[1]: the table's key column (rows of an UPDATE are paired
-- on it so that rows the statement left as they were are not reported).
CREATE FUNCTION tile_invalidation_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  layer text := TG_ARGV[0];
  key_column text := TG_ARGV[1];
  -- 100 boxes of 4 numbers stay well under the 8,000-byte payload limit.
  max_boxes constant integer := 100;
  boxes geometry[];
  changed integer;
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    PERFORM pg_notify('wangge_tiles', jsonb_build_object('layer', layer, 'all', true)::text);
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(ST_Envelope(geom)), count(*) INTO boxes, changed FROM new_rows;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(ST_Envelope(geom)), count(*) INTO boxes, changed FROM old_rows;
  ELSE
    EXECUTE format(
      'SELECT array_agg(b), count(*) FROM (
         SELECT ST_Envelope(o.geom) AS b FROM old_rows o JOIN new_rows n ON n.%1$I = o.%1$I WHERE o IS DISTINCT FROM n
         UNION ALL
         SELECT ST_Envelope(n.geom) FROM old_rows o JOIN new_rows n ON n.%1$I = o.%1$I WHERE o IS DISTINCT FROM n
       ) changed', key_column)
      INTO boxes, changed;
  END IF;
  IF coalesce(changed, 0) = 0 THEN
    RETURN NULL;
  END IF;
  IF changed > max_boxes THEN
    -- Too many to list: their common extent (a bulk import touches one region, not the city).
    PERFORM pg_notify('wangge_tiles', jsonb_build_object(
      'layer', layer,
      'boxes', tile_boxes_json(ARRAY[(SELECT ST_Envelope(ST_Collect(b)) FROM unnest(boxes) b)])
    )::text);
  ELSE
    PERFORM pg_notify('wangge_tiles', jsonb_build_object('layer', layer, 'boxes', tile_boxes_json(boxes))::text);
  END IF;
  RETURN NULL;
END $$;

DO $$
DECLARE
  t record;
BEGIN
  FOR t IN SELECT * FROM (VALUES
    ('admin_area', 'areas', 'code'),
    ('grid', 'grids', 'id'),
    ('building', 'buildings', 'id'),
    ('facility', 'facilities', 'id'),
    ('incident', 'incidents', 'id')
  ) AS v (table_name, layer, key_column) LOOP
    EXECUTE format('CREATE TRIGGER tile_invalidation_insert AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION tile_invalidation_notify(%L, %L)', t.table_name, t.layer, t.key_column);
    EXECUTE format('CREATE TRIGGER tile_invalidation_update AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION tile_invalidation_notify(%L, %L)', t.table_name, t.layer, t.key_column);
    EXECUTE format('CREATE TRIGGER tile_invalidation_delete AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION tile_invalidation_notify(%L, %L)', t.table_name, t.layer, t.key_column);
    EXECUTE format('CREATE TRIGGER tile_invalidation_truncate AFTER TRUNCATE ON %I
                    FOR EACH STATEMENT EXECUTE FUNCTION tile_invalidation_notify(%L, %L)', t.table_name, t.layer, t.key_column);
  END LOOP;
END $$;
