-- Real districts, not only the demo's: the area model accepts every 统计用区划代码 list.
--
-- * A prefecture-level city (4 digits, e.g. 4101 郑州市) may stand above its districts, so that a
--   city with several districts is one hierarchy.
-- * Township-level numbers (digits 7–9) run 001–599: 001–099 街道, 100–199 镇, 200–399 乡 and
--   400–599 政企合一单位 (development zones, farms). Village-level numbers (digits 10–12) are any
--   001–999: 001–199 居委会, 200–399 村委会, and the other numbers real lists carry.
-- * Urban vs rural follows the 城乡分类代码 (1xx 城镇, 2xx 乡村) where the list gives it, else the
--   number range, else (4xx–5xx virtual communities) the township kind above it.
-- * An area may exist without an outline (geom NULL) until one is imported, derived or drawn.
-- * An area is retired, never deleted: its grids' history and its incidents keep their code.
--   A retired area has no outline (it is kept in area_version) and leaves every spatial query.
-- * Outlines are edited like grids: a version number for optimistic concurrency, and every
--   version in area_version.

DO $$
DECLARE
  c record;
BEGIN
  FOR c IN SELECT conname FROM pg_constraint
           WHERE conrelid = 'admin_area'::regclass AND contype = 'c' LOOP
    EXECUTE format('ALTER TABLE admin_area DROP CONSTRAINT %I', c.conname);
  END LOOP;
END $$;

ALTER TABLE admin_area DROP COLUMN kind;
ALTER TABLE admin_area ALTER COLUMN geom DROP NOT NULL;
ALTER TABLE admin_area
  ADD COLUMN urban_rural_class text CHECK (urban_rural_class ~ '^[12][0-9]{2}$'),
  ADD COLUMN version integer NOT NULL DEFAULT 1,
  ADD COLUMN created_at timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN retired_at timestamptz,
  -- Where the outline came from: 'demo', 'import', 'derived', 'drawn' (NULL while there is none).
  ADD COLUMN outline_source text CHECK (outline_source IN ('demo', 'import', 'derived', 'drawn'));

UPDATE admin_area SET outline_source = 'demo' WHERE geom IS NOT NULL;

ALTER TABLE admin_area
  ADD CONSTRAINT admin_area_name_check CHECK (length(name) BETWEEN 1 AND 100),
  ADD CONSTRAINT admin_area_level_check CHECK (level IN ('city', 'district', 'street', 'community')),
  ADD CONSTRAINT admin_area_geom_check CHECK (geom IS NULL OR ST_IsValid(geom)),
  ADD CONSTRAINT admin_area_retired_without_outline CHECK (retired_at IS NULL OR geom IS NULL),
  ADD CONSTRAINT admin_area_code_by_level CHECK (
    (level = 'city' AND code ~ '^[0-9]{4}$' AND parent_code IS NULL) OR
    (level = 'district' AND code ~ '^[0-9]{6}$' AND (parent_code IS NULL OR parent_code = substr(code, 1, 4))) OR
    (level = 'street' AND code ~ '^[0-9]{9}$' AND parent_code = substr(code, 1, 6)
       AND substr(code, 7, 3)::int BETWEEN 1 AND 599) OR
    (level = 'community' AND code ~ '^[0-9]{12}$' AND parent_code = substr(code, 1, 9)
       AND substr(code, 10, 3)::int BETWEEN 1 AND 999)
  );

-- 'urban' (居委会, or a 城镇 class) or 'village' (村委会, or a 乡村 class), for communities only.
ALTER TABLE admin_area ADD COLUMN kind text GENERATED ALWAYS AS (
  CASE WHEN level = 'community' THEN
    CASE WHEN urban_rural_class IS NOT NULL THEN
           CASE WHEN left(urban_rural_class, 1) = '1' THEN 'urban' ELSE 'village' END
         WHEN substr(code, 10, 3)::int BETWEEN 1 AND 199 THEN 'urban'
         WHEN substr(code, 10, 3)::int BETWEEN 200 AND 399 THEN 'village'
         WHEN substr(code, 7, 3)::int BETWEEN 1 AND 99 THEN 'urban'
         ELSE 'village' END
  END) STORED;

-- For streets: 街道 (street), 镇 (town), 乡 (township) or 政企合一单位 (special), from digits 7–9.
ALTER TABLE admin_area ADD COLUMN township_kind text GENERATED ALWAYS AS (
  CASE WHEN level = 'street' THEN
    CASE WHEN substr(code, 7, 3)::int BETWEEN 1 AND 99 THEN 'street'
         WHEN substr(code, 7, 3)::int BETWEEN 100 AND 199 THEN 'town'
         WHEN substr(code, 7, 3)::int BETWEEN 200 AND 399 THEN 'township'
         ELSE 'special' END
  END) STORED;

CREATE INDEX admin_area_live_level_idx ON admin_area (level, code) WHERE retired_at IS NULL;

-- Every version of an area as it was written (the current one too): name, parent, outline, who,
-- when, how and why. Areas loaded before this table existed get their first row lazily.
CREATE TABLE area_version (
  id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  area_code           text NOT NULL REFERENCES admin_area (code),
  version             integer NOT NULL,
  name                text NOT NULL,
  parent_code         text,
  urban_rural_class   text,
  geom                geometry(MultiPolygon, 4326),
  retired             boolean NOT NULL DEFAULT false,
  -- 'original', 'create', 'rename', 'outline', 'import', 'derive', 'draw', 'restore', 'retire'
  action              text NOT NULL,
  reason              text NOT NULL DEFAULT '',
  changed_by          bigint REFERENCES app_user (id),
  changed_by_username text,
  changed_at          timestamptz NOT NULL DEFAULT now(),
  UNIQUE (area_code, version)
);

-- Tile invalidation: an area without an outline has no box to report.
CREATE OR REPLACE FUNCTION tile_invalidation_notify() RETURNS trigger LANGUAGE plpgsql AS $$
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
    SELECT array_agg(ST_Envelope(geom)), count(*) INTO boxes, changed FROM new_rows WHERE geom IS NOT NULL;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(ST_Envelope(geom)), count(*) INTO boxes, changed FROM old_rows WHERE geom IS NOT NULL;
  ELSE
    EXECUTE format(
      'SELECT array_agg(b), count(*) FROM (
         SELECT ST_Envelope(o.geom) AS b FROM old_rows o JOIN new_rows n ON n.%1$I = o.%1$I WHERE o IS DISTINCT FROM n AND o.geom IS NOT NULL
         UNION ALL
         SELECT ST_Envelope(n.geom) FROM old_rows o JOIN new_rows n ON n.%1$I = o.%1$I WHERE o IS DISTINCT FROM n AND n.geom IS NOT NULL
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
