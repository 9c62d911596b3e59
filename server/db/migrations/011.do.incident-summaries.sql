-- Incident maps at city scale (10 million incidents): summaries kept exact by triggers, so that
-- count tiles, the heatmap and the hexagons read summary rows instead of snapping every incident
-- of the period, and an index that finds a high-zoom tile's incidents of a period directly.
--
-- 1. incident_tile_day: incidents per China-time day and Web Mercator cell, with the sums of
--    their positions (so a cell's mean position stays exact). Two cell sizes: the tiles of zoom
--    14 (the 64 × 64 cells of a zoom-8 tile) and of zoom 20 (those of zooms 9–14, and the
--    cells of any of their tiles are a contiguous range of Morton codes).
-- 2. incident_bin: for the 400 m squares of the heatmap and the hexagons of 250, 500, 1000 and
--    2000 m (EPSG:4545, as incident_hex_cell), the report days of every incident of the cell in
--    a block of 512 days, sorted: the count of any period is two binary searches (width_bucket)
--    per cell, however long the period. incident_bin_place holds each cell's centre and ring in
--    WGS84, computed once.
-- Both hold every incident whatever its status, category or source: a status transition changes
-- neither. They serve requests without category/status/source/area/scope filters over whole
-- China-time days; any other request reads the incidents themselves, as before.
-- 3. incident_cell_reported_idx: B-tree on (zoom-20 Morton cell, reported_at): a zoom-15 tile of
--    the last 90 days (a few ranges of cells) visits the heap pages of its ≈900 incidents rather
--    than those of the ≈11,000 reported there in 3 years (the GiST index on geom cannot skip
--    them). (A GiST index on (geom, reported_at) with btree_gist would do the same, but took 8.6
--    minutes to build on 10 million rows here: btree_gist has no sorted build.)

SET LOCAL statement_timeout = 0;
SET LOCAL maintenance_work_mem = '512MB';

-- China-time day number (days since 1970-01-01 in UTC+8, no daylight saving).
CREATE FUNCTION incident_day(t timestamptz) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT floor((date_part('epoch', t) + 28800) / 86400)::integer
$$;

-- Web Mercator position in units of 2^28 per world (the 4096 units of a zoom-16 tile), from
-- longitude/latitude with the projection's formulas (as ST_Transform to 3857 would place it).
CREATE FUNCTION incident_mercator_x(lon float8) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT least(greatest(floor((lon + 180) / 360 * 268435456), 0), 268435455)::integer
$$;
CREATE FUNCTION incident_mercator_y(lat float8) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT least(greatest(floor((1 - ln(tan(radians(lat)) + 1 / cos(radians(lat))) / pi()) / 2 * 268435456), 0), 268435455)::integer
$$;

-- Morton (Z-order) code of a cell (x, y < 2^24): the bits of x and y interleaved, x lowest. The
-- cells of a tile at any coarser zoom are one contiguous range of codes.
DO $do$
DECLARE
  spread text;
BEGIN
  SELECT array_agg(s ORDER BY v)::text INTO spread FROM (
    SELECT v, (SELECT sum(((v >> b) & 1) << (2 * b)) FROM generate_series(0, 7) b)::bigint AS s
    FROM generate_series(0, 255) v
  ) t;
  -- One expression over a constant table of the bits of a byte spread out (x & 255 → 0b0x0x…):
  -- inlined by the planner, no function call per row.
  EXECUTE format($f$
    CREATE FUNCTION incident_morton(x bigint, y bigint) RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $b$
      SELECT ((%1$L::bigint[])[(x & 255) + 1] | ((%1$L::bigint[])[((x >> 8) & 255) + 1] << 16) | ((%1$L::bigint[])[((x >> 16) & 255) + 1] << 32))
           | (((%1$L::bigint[])[(y & 255) + 1] | ((%1$L::bigint[])[((y >> 8) & 255) + 1] << 16) | ((%1$L::bigint[])[((y >> 16) & 255) + 1] << 32)) << 1)
    $b$$f$, spread);
END $do$;

-- The zoom-20 cell of a point, as a Morton code (the key of incident_cell_reported_idx).
-- (PL/pgSQL so that incident_morton is inlined on plain variables, and so that queries name
-- the index expression as it is.)
-- Its search_path is fixed (that of the migration, where PostGIS is): an index on it is rebuilt by
-- pg_restore with an empty search_path, where ST_X would not be found.
CREATE FUNCTION incident_cell20(geom geometry) RETURNS bigint LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
SET search_path FROM CURRENT AS $$
DECLARE
  x bigint := incident_mercator_x(ST_X(geom)) >> 8;
  y bigint := incident_mercator_y(ST_Y(geom)) >> 8;
BEGIN
  RETURN incident_morton(x, y);
END $$;

CREATE TABLE incident_tile_day (
  level  smallint NOT NULL CHECK (level IN (14, 20)),
  day    integer NOT NULL,
  cell   bigint NOT NULL,
  n      integer NOT NULL,
  -- Sums of the incidents' incident_mercator_x / _y.
  sx     bigint NOT NULL,
  sy     bigint NOT NULL,
  PRIMARY KEY (level, day, cell) INCLUDE (n, sx, sy)
);

CREATE TABLE incident_bin (
  -- 's': 400 m squares floor(x / 400), floor(y / 400); 'h': hexagons of edge `size` (incident_hex_cell).
  kind   "char" NOT NULL CHECK (kind IN ('s', 'h')),
  size   smallint NOT NULL,
  block  integer NOT NULL,
  i      integer NOT NULL,
  j      integer NOT NULL,
  -- incident_day - 512 * block of each incident in the cell, ascending (with repeats).
  days   smallint[] NOT NULL,
  PRIMARY KEY (kind, size, block, i, j)
);
-- Rows emptied by a delete or a move, removed by the same trigger: these indexes stay empty.
CREATE INDEX incident_tile_day_empty_idx ON incident_tile_day (level) WHERE n = 0;
CREATE INDEX incident_bin_empty_idx ON incident_bin (kind) WHERE cardinality(days) = 0;

-- Where a cell is drawn: squares by their centre, hexagons by their outer ring (GeoJSON
-- coordinates, 6 decimals). Never deleted: a cell's place does not change.
CREATE TABLE incident_bin_place (
  kind   "char" NOT NULL,
  size   smallint NOT NULL,
  i      integer NOT NULL,
  j      integer NOT NULL,
  lon    float8 NOT NULL,
  lat    float8 NOT NULL,
  ring   text,
  PRIMARY KEY (kind, size, i, j)
);

-- The summary keys of a set of incidents: (reported_at, geom, geom_metric) → one row per
-- incident and tile level / bin lattice.
CREATE FUNCTION incident_tile_keys(reported_at timestamptz, geom geometry)
RETURNS TABLE (level smallint, day integer, cell bigint, px integer, py integer) LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT l.level, incident_day(reported_at),
         incident_morton(p.px >> (28 - l.level), p.py >> (28 - l.level)),
         p.px, p.py
  -- (OFFSET 0: px and py stay computed once, and incident_morton is inlined on them.)
  FROM (SELECT incident_mercator_x(ST_X(geom)) AS px, incident_mercator_y(ST_Y(geom)) AS py OFFSET 0) p
  CROSS JOIN (VALUES (14::smallint), (20::smallint)) l (level)
$$;

CREATE FUNCTION incident_bin_keys(reported_at timestamptz, geom_metric geometry)
RETURNS TABLE (kind "char", size smallint, block integer, i integer, j integer, d smallint) LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT c.kind, c.size, t.day >> 9, c.i, c.j, (t.day & 511)::smallint
  -- (OFFSET 0: the position is read from the geometry once, not once per use.)
  FROM (SELECT incident_day(reported_at) AS day, ST_X(geom_metric) AS x, ST_Y(geom_metric) AS y OFFSET 0) t
  CROSS JOIN LATERAL (
    SELECT 's'::"char", 400::smallint, floor(t.x / 400)::integer, floor(t.y / 400)::integer
    UNION ALL
    SELECT 'h'::"char", s.size::smallint, h.i, h.j
    FROM (VALUES (250), (500), (1000), (2000)) s (size)
    CROSS JOIN LATERAL incident_hex_cell(t.x, t.y, s.size) h
  ) c (kind, size, i, j)
$$;

-- Sorted multisets of days: a ∪ b, and a minus b (each element of b removed once).
CREATE FUNCTION incident_days_union(a smallint[], b smallint[]) RETURNS smallint[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT ARRAY(SELECT d FROM unnest(coalesce(a, '{}') || coalesce(b, '{}')) d ORDER BY d)
$$;
CREATE FUNCTION incident_days_minus(a smallint[], b smallint[]) RETURNS smallint[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT ARRAY(SELECT d FROM (SELECT unnest(a) EXCEPT ALL SELECT unnest(b)) x (d) ORDER BY d)
$$;

-- The outer ring of hexagon (i, j) of edge `size` in WGS84, as GeoJSON coordinates (6 decimals).
CREATE FUNCTION incident_hex_ring(size float8, i integer, j integer) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT (regexp_match(ST_AsGeoJSON(ST_Transform(ST_SetSRID(ST_Hexagon(size, i, j), 4545), 4326), 6), '"coordinates":\[(.*)\]\}$'))[1]
$$;

-- Places of the cells that have none yet.
CREATE FUNCTION incident_bin_place_add(kinds "char"[], sizes smallint[], cell_i integer[], cell_j integer[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO incident_bin_place (kind, size, i, j, lon, lat, ring)
  SELECT k.kind, k.size, k.i, k.j, ST_X(c.centre), ST_Y(c.centre),
         CASE WHEN k.kind = 'h' THEN incident_hex_ring(k.size, k.i, k.j) END
  FROM (SELECT DISTINCT * FROM unnest(kinds, sizes, cell_i, cell_j) u (kind, size, i, j)) k
  CROSS JOIN LATERAL (
    SELECT ST_Transform(ST_SetSRID(CASE WHEN k.kind = 's' THEN ST_MakePoint((k.i + 0.5) * k.size, (k.j + 0.5) * k.size)
                                        ELSE ST_Centroid(ST_Hexagon(k.size, k.i, k.j)) END, 4545), 4326) AS centre
  ) c
  WHERE NOT EXISTS (SELECT 1 FROM incident_bin_place p WHERE (p.kind, p.size, p.i, p.j) = (k.kind, k.size, k.i, k.j))
  ON CONFLICT DO NOTHING
$$;

-- The summaries follow every change of an incident's report time or position (insert, update,
-- delete), one statement at a time (transition tables: an import of 50,000 rows is one pass).
-- A status, category or any other change leaves them as they are.
CREATE FUNCTION incident_summary_sync() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  -- The changes: +1 for each row after, −1 for each row before.
  delta text;
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    DELETE FROM incident_tile_day;
    DELETE FROM incident_bin;
    RETURN NULL;
  ELSIF TG_OP = 'INSERT' THEN
    delta := 'SELECT 1 AS sign, reported_at, geom, geom_metric FROM new_rows';
  ELSIF TG_OP = 'DELETE' THEN
    delta := 'SELECT -1 AS sign, reported_at, geom, geom_metric FROM old_rows';
  ELSE
    delta := 'SELECT s.sign, s.reported_at, s.geom, s.geom_metric
              FROM old_rows o JOIN new_rows n ON n.id = o.id
              CROSS JOIN LATERAL (VALUES (-1, o.reported_at, o.geom, o.geom_metric), (1, n.reported_at, n.geom, n.geom_metric)) s (sign, reported_at, geom, geom_metric)
              WHERE o.reported_at IS DISTINCT FROM n.reported_at OR o.geom IS DISTINCT FROM n.geom';
  END IF;

  -- Tile cells: signed counts and sums (a move inside a cell changes only the sums).
  EXECUTE format($q$
    WITH delta AS (%s)
    INSERT INTO incident_tile_day AS t (level, day, cell, n, sx, sy)
    SELECT k.level, k.day, k.cell, sum(d.sign), sum(d.sign * k.px::bigint), sum(d.sign * k.py::bigint)
    FROM delta d CROSS JOIN LATERAL incident_tile_keys(d.reported_at, d.geom) k
    GROUP BY k.level, k.day, k.cell
    ORDER BY k.level, k.day, k.cell
    ON CONFLICT (level, day, cell) DO UPDATE SET n = t.n + excluded.n, sx = t.sx + excluded.sx, sy = t.sy + excluded.sy
  $q$, delta);

  -- Bins: the days added (and the places of cells new to the map), then the days removed.
  EXECUTE format($q$
    WITH delta AS (%s),
    added AS MATERIALIZED (
      SELECT k.kind, k.size, k.block, k.i, k.j, incident_days_union(array_agg(k.d), NULL) AS days
      FROM delta d CROSS JOIN LATERAL incident_bin_keys(d.reported_at, d.geom_metric) k
      WHERE d.sign > 0
      GROUP BY k.kind, k.size, k.block, k.i, k.j
    ),
    bins AS (
      INSERT INTO incident_bin AS b (kind, size, block, i, j, days)
      SELECT kind, size, block, i, j, days FROM added ORDER BY kind, size, block, i, j
      ON CONFLICT (kind, size, block, i, j) DO UPDATE SET days = incident_days_union(b.days, excluded.days)
    )
    SELECT incident_bin_place_add(array_agg(kind), array_agg(size), array_agg(i), array_agg(j)) FROM added
  $q$, delta);
  IF TG_OP <> 'INSERT' THEN
    EXECUTE format($q$
      WITH delta AS (%s)
      UPDATE incident_bin b SET days = incident_days_minus(b.days, r.days)
      FROM (
        SELECT k.kind, k.size, k.block, k.i, k.j, array_agg(k.d) AS days
        FROM delta d CROSS JOIN LATERAL incident_bin_keys(d.reported_at, d.geom_metric) k
        WHERE d.sign < 0
        GROUP BY k.kind, k.size, k.block, k.i, k.j
      ) r
      WHERE (b.kind, b.size, b.block, b.i, b.j) = (r.kind, r.size, r.block, r.i, r.j)
    $q$, delta);
    -- Cells left empty (both found through partial indexes that are otherwise empty).
    DELETE FROM incident_tile_day WHERE n = 0;
    DELETE FROM incident_bin WHERE cardinality(days) = 0;
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

-- The summaries recomputed from the incidents: here for the incidents already there, and by
-- any loader that writes incidents with triggers off (session_replication_role = replica).
-- Rows are written in key order (a tile's cells of a day lie together on disk).
CREATE FUNCTION incident_summary_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE incident_tile_day, incident_bin;
  -- The keys are computed and grouped by CREATE TABLE AS, which may use parallel workers
  -- (INSERT … SELECT may not), then written in key order.
  CREATE TEMP TABLE incident_summary_tiles ON COMMIT DROP AS
  SELECT k.level, k.day, k.cell, count(*)::integer AS n, sum(k.px)::bigint AS sx, sum(k.py)::bigint AS sy
  FROM incident i CROSS JOIN LATERAL incident_tile_keys(i.reported_at, i.geom) k
  GROUP BY k.level, k.day, k.cell;
  INSERT INTO incident_tile_day (level, day, cell, n, sx, sy)
  SELECT * FROM incident_summary_tiles ORDER BY level, day, cell;
  DROP TABLE incident_summary_tiles;

  CREATE TEMP TABLE incident_summary_bins ON COMMIT DROP AS
  SELECT k.kind, k.size, k.block, k.i, k.j, array_agg(k.d ORDER BY k.d) AS days
  FROM incident i CROSS JOIN LATERAL incident_bin_keys(i.reported_at, i.geom_metric) k
  GROUP BY k.kind, k.size, k.block, k.i, k.j;
  INSERT INTO incident_bin (kind, size, block, i, j, days)
  SELECT * FROM incident_summary_bins ORDER BY kind, size, block, i, j;
  DROP TABLE incident_summary_bins;

  INSERT INTO incident_bin_place (kind, size, i, j, lon, lat, ring)
  SELECT k.kind, k.size, k.i, k.j, ST_X(c.centre), ST_Y(c.centre),
         CASE WHEN k.kind = 'h' THEN incident_hex_ring(k.size, k.i, k.j) END
  FROM (SELECT DISTINCT kind, size, i, j FROM incident_bin) k
  CROSS JOIN LATERAL (
    SELECT ST_Transform(ST_SetSRID(CASE WHEN k.kind = 's' THEN ST_MakePoint((k.i + 0.5) * k.size, (k.j + 0.5) * k.size)
                                        ELSE ST_Centroid(ST_Hexagon(k.size, k.i, k.j)) END, 4545), 4326) AS centre
  ) c
  ON CONFLICT DO NOTHING;

  ANALYZE incident_tile_day;
  ANALYZE incident_bin;
  ANALYZE incident_bin_place;
END $$;

SELECT incident_summary_rebuild();

CREATE INDEX incident_cell_reported_idx ON incident (incident_cell20(geom), reported_at);
