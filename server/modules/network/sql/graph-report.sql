-- The graph check: its size, the connected pieces (the largest is the network; the others are
-- islands no one can walk to from it) and the dangling ends (edges that end at a node with no
-- other edge), each with its length in metres and the geometry as GeoJSON for the map.
WITH comp AS MATERIALIZED (
  SELECT c.node, c.component FROM pgr_connectedComponents('SELECT id, source, target, length_m AS cost, length_m AS reverse_cost FROM walk_edge') c
),
edge_comp AS MATERIALIZED (
  SELECT e.id, e.length_m, e.geom, c.component FROM walk_edge e JOIN comp c ON c.node = e.source
),
piece AS (
  SELECT component, count(*)::int AS edges, sum(length_m) AS length_m, ST_Collect(geom) AS geom,
         rank() OVER (ORDER BY sum(length_m) DESC, component) AS rank
  FROM edge_comp GROUP BY component
),
degree AS (
  SELECT node, count(*) AS n FROM (SELECT source AS node FROM walk_edge UNION ALL SELECT target FROM walk_edge) x GROUP BY node
),
dangling AS (
  SELECT e.id, e.length_m, e.geom FROM walk_edge e
  JOIN degree ds ON ds.node = e.source JOIN degree dt ON dt.node = e.target
  WHERE (ds.n = 1) <> (dt.n = 1)
)
SELECT json_build_object(
  'nodes', (SELECT count(*) FROM walk_node),
  'edges', (SELECT count(*) FROM walk_edge),
  'lengthMeters', (SELECT round(coalesce(sum(length_m), 0)::numeric, 1) FROM walk_edge),
  'mainLengthMeters', (SELECT round(coalesce(max(length_m), 0)::numeric, 1) FROM piece WHERE rank = 1),
  'islands', (SELECT count(*) FROM piece WHERE rank > 1),
  'islandLengthMeters', (SELECT round(coalesce(sum(length_m), 0)::numeric, 1) FROM piece WHERE rank > 1),
  'danglingEnds', (SELECT count(*) FROM dangling),
  'danglingLengthMeters', (SELECT round(coalesce(sum(length_m), 0)::numeric, 1) FROM dangling),
  'problems', json_build_object('type', 'FeatureCollection', 'features', coalesce((
    SELECT json_agg(f) FROM (
      SELECT json_build_object('type', 'Feature', 'geometry', ST_AsGeoJSON(geom, 6)::json,
        'properties', json_build_object('kind', 'island', 'edges', edges, 'lengthMeters', round(length_m::numeric, 1))) AS f
      FROM piece WHERE rank > 1
      UNION ALL
      SELECT json_build_object('type', 'Feature', 'geometry', ST_AsGeoJSON(geom, 6)::json,
        'properties', json_build_object('kind', 'dangling', 'edgeId', id, 'lengthMeters', round(length_m::numeric, 1)))
      FROM dangling
    ) x
  ), '[]'::json))
)::text AS report;
