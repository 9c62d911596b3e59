-- Nodes the walkable roads into the walking graph (walk_node, walk_edge), replacing it.
-- A line is split where another line ends on it, and where two ground-level lines cross (surveyed
-- lines are often not split at junctions). Bridges and tunnels are split only where another line
-- ends on them: a road passing under a bridge does not join it. Each piece is an undirected edge
-- (walkers ignore one-way) with its length in metres on the spheroid.
WITH seg AS MATERIALIZED (
  SELECT id, geom, (bridge OR tunnel) AS elevated FROM road_segment WHERE walkable
),
ends AS MATERIALIZED (
  SELECT id, ST_StartPoint(geom) AS pt FROM seg UNION ALL SELECT id, ST_EndPoint(geom) FROM seg
),
cut AS (
  SELECT s.id, e.pt FROM seg s JOIN ends e ON e.id <> s.id AND ST_DWithin(s.geom, e.pt, 1e-7)
  UNION ALL
  SELECT a.id, d.geom
  FROM seg a
  JOIN seg b ON a.id <> b.id AND a.geom && b.geom AND NOT a.elevated AND NOT b.elevated AND ST_Intersects(a.geom, b.geom)
  CROSS JOIN LATERAL ST_Dump(ST_Intersection(a.geom, b.geom)) d
  WHERE ST_GeometryType(d.geom) = 'ST_Point'
),
cuts AS (
  SELECT id, ST_Collect(pt) AS pts FROM cut GROUP BY id
),
piece AS MATERIALIZED (
  SELECT s.id AS segment_id, d.geom
  FROM seg s
  LEFT JOIN cuts c ON c.id = s.id
  CROSS JOIN LATERAL ST_Dump(CASE WHEN c.pts IS NULL THEN s.geom ELSE ST_Split(ST_Snap(s.geom, c.pts, 1e-7), c.pts) END) d
  WHERE ST_GeometryType(d.geom) = 'ST_LineString' AND ST_Length(d.geom) > 0
),
keyed AS MATERIALIZED (
  SELECT row_number() OVER (ORDER BY segment_id, ST_X(ST_StartPoint(geom)), ST_Y(ST_StartPoint(geom))) AS id, segment_id, geom,
         ST_SnapToGrid(ST_StartPoint(geom), 1e-7) AS a, ST_SnapToGrid(ST_EndPoint(geom), 1e-7) AS b
  FROM piece
),
node AS MATERIALIZED (
  SELECT row_number() OVER (ORDER BY ST_X(p), ST_Y(p)) AS id, p
  FROM (SELECT a AS p FROM keyed UNION SELECT b FROM keyed) u
),
ins_node AS (
  INSERT INTO walk_node (id, geom) SELECT id, p FROM node
)
INSERT INTO walk_edge (id, segment_id, source, target, length_m, geom)
SELECT k.id, k.segment_id, na.id, nb.id, ST_Length(k.geom::geography), k.geom
FROM keyed k JOIN node na ON na.p = k.a JOIN node nb ON nb.p = k.b;
