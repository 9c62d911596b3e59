-- The walking network (步行网络) and the service areas that walk along it.
--
-- pgRouting is enabled when the server has it; without it (a PostGIS with no pgRouting package)
-- the tables are still created, the network functions report that pgRouting is missing, and every
-- service area, coverage and nearest-station figure stays straight-line (labelled as such).
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pgrouting') THEN
    CREATE EXTENSION IF NOT EXISTS pgrouting;
  END IF;
END $$;

-- Which road classes people can walk. Codes are OpenStreetMap highway=* values; surveyed line
-- files map their own class field onto them on import. One-way does not bind walkers; bridges and
-- tunnels are walkable as their class says and connect only where they share an end.
CREATE TABLE road_class (
  code        text PRIMARY KEY,
  name_zh     text NOT NULL,
  name_en     text NOT NULL,
  walkable    boolean NOT NULL,
  sort_order  integer NOT NULL
);
INSERT INTO road_class (code, name_zh, name_en, walkable, sort_order) VALUES
  ('motorway', '高速公路', 'Motorway', false, 1),
  ('motorway_link', '高速匝道', 'Motorway ramp', false, 2),
  ('trunk', '快速路/国道', 'Trunk road', true, 3),
  ('trunk_link', '快速路匝道', 'Trunk ramp', false, 4),
  ('primary', '主干路', 'Primary road', true, 5),
  ('primary_link', '主干路连接线', 'Primary link', true, 6),
  ('secondary', '次干路', 'Secondary road', true, 7),
  ('secondary_link', '次干路连接线', 'Secondary link', true, 8),
  ('tertiary', '支路', 'Tertiary road', true, 9),
  ('tertiary_link', '支路连接线', 'Tertiary link', true, 10),
  ('unclassified', '一般道路', 'Unclassified road', true, 11),
  ('residential', '小区/街巷道路', 'Residential street', true, 12),
  ('living_street', '生活街道', 'Living street', true, 13),
  ('service', '内部道路', 'Service road', true, 14),
  ('pedestrian', '步行街', 'Pedestrian street', true, 15),
  ('footway', '人行道', 'Footway', true, 16),
  ('path', '小路', 'Path', true, 17),
  ('steps', '台阶', 'Steps', true, 18),
  ('track', '田间道路', 'Track', true, 19),
  ('cycleway', '非机动车道', 'Cycleway', true, 20),
  ('construction', '在建道路', 'Under construction', false, 21),
  ('proposed', '规划道路', 'Proposed road', false, 22),
  ('raceway', '赛道', 'Raceway', false, 23),
  ('bus_guideway', '公交专用道', 'Bus guideway', false, 24),
  ('railway', '铁路', 'Railway', false, 25);

-- The imported roads as supplied (one row per line), walkable or not: the map draws all of them.
CREATE TABLE road_segment (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  geom        geometry(LineString, 4326) NOT NULL CHECK (ST_IsValid(geom) AND NOT ST_IsEmpty(geom)),
  road_class  text NOT NULL REFERENCES road_class (code),
  name        text,
  walkable    boolean NOT NULL,
  bridge      boolean NOT NULL DEFAULT false,
  tunnel      boolean NOT NULL DEFAULT false,
  oneway      boolean NOT NULL DEFAULT false
);
CREATE INDEX road_segment_geom_idx ON road_segment USING gist (geom);

-- What the loaded network is (one row, or none when no network is loaded).
CREATE TABLE road_network (
  id           integer PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  source       text NOT NULL,
  synthetic    boolean NOT NULL DEFAULT false,
  imported_at  timestamptz NOT NULL DEFAULT now(),
  report       jsonb NOT NULL DEFAULT '{}'
);

-- The noded walking graph: walkable lines split where they meet, undirected (walkers ignore
-- one-way), cost = length in metres on the spheroid.
CREATE TABLE walk_node (
  id    bigint PRIMARY KEY,
  geom  geometry(Point, 4326) NOT NULL
);
CREATE INDEX walk_node_geom_idx ON walk_node USING gist (geom);
CREATE TABLE walk_edge (
  id          bigint PRIMARY KEY,
  segment_id  bigint NOT NULL REFERENCES road_segment (id) ON DELETE CASCADE,
  source      bigint NOT NULL REFERENCES walk_node (id),
  target      bigint NOT NULL REFERENCES walk_node (id),
  length_m    float8 NOT NULL CHECK (length_m >= 0),
  geom        geometry(LineString, 4326) NOT NULL
);
CREATE INDEX walk_edge_geom_idx ON walk_edge USING gist (geom);
CREATE INDEX walk_edge_source_idx ON walk_edge (source);
CREATE INDEX walk_edge_target_idx ON walk_edge (target);

-- Walking time and speed per facility type: walking reach = minutes × speed. The default keeps
-- today's figures: 1,000 m at 4 km/h is 15 minutes.
ALTER TABLE facility_type
  ADD COLUMN walk_minutes integer NOT NULL DEFAULT 15 CHECK (walk_minutes BETWEEN 1 AND 120),
  ADD COLUMN walk_speed_kmh numeric(4, 2) NOT NULL DEFAULT 4 CHECK (walk_speed_kmh > 0 AND walk_speed_kmh <= 10);
UPDATE facility_type SET walk_minutes = greatest(1, round(service_radius_meters * 60 / 4000.0));

CREATE FUNCTION walk_reach_meters(minutes integer, speed_kmh numeric) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT minutes * speed_kmh::float8 * 1000 / 60 $$;

-- Where a point joins the network: its nearest walkable edge (not node), the position along it
-- (0–1) and the joining distance in metres, which counts toward the walk.
CREATE FUNCTION walk_link_point(p geometry, OUT edge_id bigint, OUT fraction float8, OUT join_m float8)
LANGUAGE sql STABLE AS $$
  SELECT c.id, ST_LineLocatePoint(c.geom, p), ST_Distance(p::geography, ST_ClosestPoint(c.geom, p)::geography)
  FROM (SELECT e.id, e.geom FROM walk_edge e ORDER BY e.geom <-> p LIMIT 8) c
  ORDER BY ST_Distance(p::geography, ST_ClosestPoint(c.geom, p)::geography), c.id
  LIMIT 1
$$;

-- Whether network figures can be computed: pgRouting present and a network loaded.
CREATE FUNCTION walk_network_ready() RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pgrouting') AND EXISTS (SELECT 1 FROM walk_edge)
$$;

-- The network nodes reached from a point within `budget` metres of walking, with the walk to
-- each: a virtual start node joined to both ends of the point's edge (joining distance plus the
-- part of the edge to that end), then pgr_drivingDistance over the edges within reach.
CREATE FUNCTION walk_reach(p geometry, budget float8) RETURNS TABLE (node_id bigint, cost float8)
LANGUAGE plpgsql STABLE AS $$
DECLARE
  l record;
  dx float8;
  dy float8;
BEGIN
  SELECT * INTO l FROM walk_link_point(p);
  IF l.edge_id IS NULL OR l.join_m > budget THEN RETURN; END IF;
  -- A walk of `budget` metres stays within `budget` metres of the start: the edges that matter.
  dy := budget / 110000.0 * 1.01 + 0.0001;
  dx := budget / (111000.0 * cos(radians(ST_Y(p)))) * 1.01 + 0.0001;
  RETURN QUERY
    SELECT d.node, d.agg_cost FROM pgr_drivingDistance(format(
      $q$SELECT id, source, target, length_m AS cost, length_m AS reverse_cost FROM walk_edge
         WHERE geom && ST_MakeEnvelope(%s, %s, %s, %s, 4326)
         UNION ALL
         SELECT 1000000000000011, 1000000000000001, e.source, %s + %s * e.length_m, %s + %s * e.length_m FROM walk_edge e WHERE e.id = %s
         UNION ALL
         SELECT 1000000000000012, 1000000000000001, e.target, %s + (1 - %s) * e.length_m, %s + (1 - %s) * e.length_m FROM walk_edge e WHERE e.id = %s$q$,
      ST_X(p) - dx, ST_Y(p) - dy, ST_X(p) + dx, ST_Y(p) + dy,
      l.join_m, l.fraction, l.join_m, l.fraction, l.edge_id,
      l.join_m, l.fraction, l.join_m, l.fraction, l.edge_id), 1000000000000001, budget, false) d
    WHERE d.node < 1000000000000000;
END $$;

-- The parts of the network reached from a point within `budget` metres: every reached edge, the
-- last edge only as far as the walk goes (interpolated), the start edge both ways from the joining
-- point, and the joining line itself.
-- `nodes`/`costs`: the walk to each reached node when already known (else walked here).
CREATE FUNCTION walk_reached_lines(p geometry, budget float8, nodes bigint[] DEFAULT NULL, costs float8[] DEFAULT NULL) RETURNS geometry
LANGUAGE sql STABLE AS $$
  WITH l AS (SELECT * FROM walk_link_point(p)),
  r AS MATERIALIZED (
    SELECT * FROM walk_reach(p, budget) WHERE nodes IS NULL
    UNION ALL
    SELECT u.node_id, u.cost FROM unnest(nodes, costs) AS u(node_id, cost) WHERE nodes IS NOT NULL
  ),
  e AS (
    SELECT e.geom, e.length_m,
           CASE WHEN rs.cost < budget THEN least(e.length_m, budget - rs.cost) ELSE 0 END AS a,
           CASE WHEN rt.cost < budget THEN least(e.length_m, budget - rt.cost) ELSE 0 END AS b
    FROM walk_edge e
    LEFT JOIN r rs ON rs.node_id = e.source
    LEFT JOIN r rt ON rt.node_id = e.target
    WHERE rs.node_id IS NOT NULL OR rt.node_id IS NOT NULL
  ),
  piece AS (
    SELECT CASE WHEN e.a + e.b >= e.length_m THEN e.geom ELSE ST_LineSubstring(e.geom, 0, e.a / e.length_m) END AS g
    FROM e WHERE e.a > 0 AND e.length_m > 0
    UNION ALL
    SELECT ST_LineSubstring(e.geom, 1 - e.b / e.length_m, 1) FROM e WHERE e.b > 0 AND e.a + e.b < e.length_m
    UNION ALL
    SELECT ST_LineSubstring(w.geom,
             greatest(0, l.fraction - (budget - l.join_m) / nullif(w.length_m, 0)),
             least(1, l.fraction + (budget - l.join_m) / nullif(w.length_m, 0)))
    FROM l JOIN walk_edge w ON w.id = l.edge_id WHERE l.join_m <= budget AND w.length_m > 0
    UNION ALL
    SELECT ST_MakeLine(p, ST_LineInterpolatePoint(w.geom, l.fraction)) FROM l JOIN walk_edge w ON w.id = l.edge_id WHERE l.join_m <= budget
  )
  SELECT ST_Collect(g) FROM piece WHERE g IS NOT NULL AND NOT ST_IsEmpty(g)
$$;

-- The walking service area of a point: the reached lines buffered by a small margin (15 m: the
-- street's width, where the doors are), never a hull that would reach across a river.
CREATE FUNCTION walk_area_polygon(p geometry, budget float8, nodes bigint[] DEFAULT NULL, costs float8[] DEFAULT NULL) RETURNS geometry
LANGUAGE sql STABLE AS $$
  SELECT ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Buffer(coalesce(walk_reached_lines(p, budget, nodes, costs), p)::geography, 15, 'quad_segs=4')::geometry), 3))
$$;

-- Every facility's walking service area, and the nodes its walk reaches (coverage joins these to
-- the buildings' joining points instead of walking again).
CREATE TABLE facility_walk_area (
  facility_id   bigint PRIMARY KEY REFERENCES facility (id) ON DELETE CASCADE,
  reach_meters  float8 NOT NULL,
  walk_minutes  integer NOT NULL,
  speed_kmh     numeric(4, 2) NOT NULL,
  edge_id       bigint,
  fraction      float8,
  join_m        float8,
  geom          geometry(MultiPolygon, 4326) NOT NULL,
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX facility_walk_area_geom_idx ON facility_walk_area USING gist (geom);
CREATE TABLE facility_walk_reach (
  facility_id  bigint NOT NULL REFERENCES facility (id) ON DELETE CASCADE,
  node_id      bigint NOT NULL,
  cost         float8 NOT NULL,
  PRIMARY KEY (facility_id, node_id)
);
CREATE INDEX facility_walk_reach_node_idx ON facility_walk_reach (node_id);

-- Each building's joining point on the network.
CREATE TABLE building_walk_link (
  building_id  bigint PRIMARY KEY REFERENCES building (id) ON DELETE CASCADE,
  edge_id      bigint NOT NULL,
  fraction     float8 NOT NULL,
  join_m       float8 NOT NULL
);
CREATE INDEX building_walk_link_edge_idx ON building_walk_link (edge_id);

-- Recomputes one facility's walking area (nothing without pgRouting or a network).
CREATE FUNCTION facility_walk_refresh(fid bigint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  f record;
  budget float8;
  l record;
BEGIN
  DELETE FROM facility_walk_reach WHERE facility_id = fid;
  IF NOT walk_network_ready() THEN
    DELETE FROM facility_walk_area WHERE facility_id = fid;
    RETURN;
  END IF;
  SELECT fa.geom, t.walk_minutes, t.walk_speed_kmh INTO f
  FROM facility fa JOIN facility_type t ON t.code = fa.facility_type WHERE fa.id = fid;
  IF NOT FOUND THEN RETURN; END IF;
  budget := walk_reach_meters(f.walk_minutes, f.walk_speed_kmh);
  SELECT * INTO l FROM walk_link_point(f.geom);
  INSERT INTO facility_walk_reach (facility_id, node_id, cost) SELECT fid, r.node_id, min(r.cost) FROM walk_reach(f.geom, budget) r GROUP BY r.node_id;
  INSERT INTO facility_walk_area (facility_id, reach_meters, walk_minutes, speed_kmh, edge_id, fraction, join_m, geom, updated_at)
  SELECT fid, budget, f.walk_minutes, f.walk_speed_kmh, l.edge_id, l.fraction, l.join_m,
         walk_area_polygon(f.geom, budget, coalesce(array_agg(r.node_id), '{}'), coalesce(array_agg(r.cost), '{}')), now()
  FROM facility_walk_reach r WHERE r.facility_id = fid
  ON CONFLICT (facility_id) DO UPDATE SET reach_meters = EXCLUDED.reach_meters, walk_minutes = EXCLUDED.walk_minutes,
    speed_kmh = EXCLUDED.speed_kmh, edge_id = EXCLUDED.edge_id, fraction = EXCLUDED.fraction, join_m = EXCLUDED.join_m,
    geom = EXCLUDED.geom, updated_at = EXCLUDED.updated_at;
END $$;

CREATE FUNCTION facility_walk_on_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM facility_walk_refresh(NEW.id);
  RETURN NULL;
END $$;
CREATE TRIGGER facility_walk_on_insert AFTER INSERT ON facility FOR EACH ROW EXECUTE FUNCTION facility_walk_on_change();
CREATE TRIGGER facility_walk_on_move
  AFTER UPDATE OF geom, facility_type ON facility
  FOR EACH ROW
  WHEN (NOT ST_Equals(OLD.geom, NEW.geom) OR OLD.facility_type IS DISTINCT FROM NEW.facility_type)
  EXECUTE FUNCTION facility_walk_on_change();

CREATE FUNCTION facility_walk_on_type_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM facility_walk_refresh(f.id) FROM facility f WHERE f.facility_type = NEW.code;
  RETURN NULL;
END $$;
CREATE TRIGGER facility_walk_on_type_time
  AFTER UPDATE OF walk_minutes, walk_speed_kmh ON facility_type
  FOR EACH ROW
  WHEN (OLD.walk_minutes IS DISTINCT FROM NEW.walk_minutes OR OLD.walk_speed_kmh IS DISTINCT FROM NEW.walk_speed_kmh)
  EXECUTE FUNCTION facility_walk_on_type_change();

CREATE FUNCTION building_walk_on_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM walk_edge) THEN
    INSERT INTO building_walk_link (building_id, edge_id, fraction, join_m)
    SELECT NEW.id, l.edge_id, l.fraction, l.join_m FROM walk_link_point(NEW.geom) l WHERE l.edge_id IS NOT NULL
    ON CONFLICT (building_id) DO UPDATE SET edge_id = EXCLUDED.edge_id, fraction = EXCLUDED.fraction, join_m = EXCLUDED.join_m;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER building_walk_on_insert AFTER INSERT ON building FOR EACH ROW EXECUTE FUNCTION building_walk_on_change();
CREATE TRIGGER building_walk_on_move AFTER UPDATE OF geom ON building FOR EACH ROW
  WHEN (NOT ST_Equals(OLD.geom, NEW.geom)) EXECUTE FUNCTION building_walk_on_change();

-- After the network changed: rejoin every building and recompute every facility's walk.
CREATE FUNCTION walk_network_rebuild_derived() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM building_walk_link;
  DELETE FROM facility_walk_reach;
  DELETE FROM facility_walk_area;
  IF NOT EXISTS (SELECT 1 FROM walk_edge) THEN RETURN; END IF;
  INSERT INTO building_walk_link (building_id, edge_id, fraction, join_m)
  SELECT b.id, l.edge_id, l.fraction, l.join_m FROM building b CROSS JOIN LATERAL walk_link_point(b.geom) l WHERE l.edge_id IS NOT NULL;
  PERFORM facility_walk_refresh(f.id) FROM facility f WHERE f.retired_at IS NULL;
END $$;

-- The walk from a to b along the network: metres (joining distances included) and the path as a
-- line, or nulls when b cannot be reached within `max_m`. A virtual node stands for each end,
-- joined to both ends of its edge; on a shared edge the direct walk along it is offered too.
-- pgr_dijkstra finds the shortest over the edges within `max_m` of a.
CREATE FUNCTION walk_route(a geometry, b geometry, max_m float8 DEFAULT 5000, OUT meters float8, OUT geom geometry)
LANGUAGE plpgsql STABLE AS $$
DECLARE
  la record;
  lb record;
  ea record;
  eb record;
  dx float8;
  dy float8;
  q text;
  V bigint := 1000000000000000;
BEGIN
  SELECT * INTO la FROM walk_link_point(a);
  SELECT * INTO lb FROM walk_link_point(b);
  IF la.edge_id IS NULL OR lb.edge_id IS NULL THEN RETURN; END IF;
  SELECT * INTO ea FROM walk_edge WHERE id = la.edge_id;
  SELECT * INTO eb FROM walk_edge WHERE id = lb.edge_id;
  dy := max_m / 110000.0 * 1.01 + 0.0001;
  dx := max_m / (111000.0 * cos(radians(ST_Y(a)))) * 1.01 + 0.0001;
  q := format(
    $q$SELECT id, source, target, length_m AS cost, length_m AS reverse_cost FROM walk_edge
       WHERE geom && ST_MakeEnvelope(%s, %s, %s, %s, 4326)
       UNION ALL SELECT %s, %s, %s, %s::float8, %s::float8
       UNION ALL SELECT %s, %s, %s, %s::float8, %s::float8
       UNION ALL SELECT %s, %s, %s, %s::float8, %s::float8
       UNION ALL SELECT %s, %s, %s, %s::float8, %s::float8
       UNION ALL SELECT %s, %s, %s, %s::float8, %s::float8 WHERE %L::boolean$q$,
    ST_X(a) - dx, ST_Y(a) - dy, ST_X(a) + dx, ST_Y(a) + dy,
    V + 11, V + 1, ea.source, la.join_m + la.fraction * ea.length_m, la.join_m + la.fraction * ea.length_m,
    V + 12, V + 1, ea.target, la.join_m + (1 - la.fraction) * ea.length_m, la.join_m + (1 - la.fraction) * ea.length_m,
    V + 13, V + 2, eb.source, lb.join_m + lb.fraction * eb.length_m, lb.join_m + lb.fraction * eb.length_m,
    V + 14, V + 2, eb.target, lb.join_m + (1 - lb.fraction) * eb.length_m, lb.join_m + (1 - lb.fraction) * eb.length_m,
    V + 15, V + 1, V + 2, la.join_m + lb.join_m + abs(la.fraction - lb.fraction) * ea.length_m,
    la.join_m + lb.join_m + abs(la.fraction - lb.fraction) * ea.length_m, ea.id = eb.id);
  WITH path AS (
    SELECT d.seq, d.edge, d.agg_cost FROM pgr_dijkstra(q, V + 1, V + 2, false) d
  ), parts AS (
    SELECT p.seq,
      CASE
        WHEN p.edge = V + 11 THEN ST_MakeLine(ST_MakeLine(a, ST_LineInterpolatePoint(ea.geom, la.fraction)), ST_Reverse(ST_LineSubstring(ea.geom, 0, la.fraction)))
        WHEN p.edge = V + 12 THEN ST_MakeLine(ST_MakeLine(a, ST_LineInterpolatePoint(ea.geom, la.fraction)), ST_LineSubstring(ea.geom, la.fraction, 1))
        WHEN p.edge = V + 13 THEN ST_Reverse(ST_MakeLine(ST_MakeLine(b, ST_LineInterpolatePoint(eb.geom, lb.fraction)), ST_Reverse(ST_LineSubstring(eb.geom, 0, lb.fraction))))
        WHEN p.edge = V + 14 THEN ST_Reverse(ST_MakeLine(ST_MakeLine(b, ST_LineInterpolatePoint(eb.geom, lb.fraction)), ST_LineSubstring(eb.geom, lb.fraction, 1)))
        WHEN p.edge = V + 15 THEN ST_MakeLine(ARRAY[a, ST_LineInterpolatePoint(ea.geom, la.fraction), ST_LineInterpolatePoint(ea.geom, lb.fraction), b])
        WHEN p.edge > 0 THEN (SELECT e.geom FROM walk_edge e WHERE e.id = p.edge)
      END AS g
    FROM path p
  )
  SELECT (SELECT max(agg_cost) FROM path), (SELECT ST_LineMerge(ST_Collect(g ORDER BY seq)) FROM parts WHERE g IS NOT NULL)
  INTO meters, geom;
  IF meters > max_m THEN meters := NULL; geom := NULL; END IF;
END $$;
