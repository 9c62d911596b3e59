-- Which uncovered buildings each candidate site would reach by walking along the network, measured
-- as network coverage is (building-cover-network.sql): the walk to each reached node, along the
-- building's edge, plus its joining distance; or straight along the candidate's own edge.
-- $1 candidate longitudes, $2 latitudes, $3 walking reach (m), $4 uncovered building ids worth counting.
-- Returns one row per candidate that reaches at least one of them (0-based candidate index).
WITH cand AS (
  SELECT (ord - 1)::int AS idx, ST_SetSRID(ST_MakePoint(lon, lat), 4326) AS geom
  FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS t(lon, lat, ord)
), st AS MATERIALIZED (
  SELECT c.idx, l.edge_id, l.fraction, l.join_m FROM cand c CROSS JOIN LATERAL walk_link_point(c.geom) l
), reach AS MATERIALIZED (
  SELECT c.idx, w.node_id, w.cost FROM cand c CROSS JOIN LATERAL walk_reach(c.geom, $3::float8) w
), wanted AS MATERIALIZED (
  SELECT unnest($4::bigint[]) AS id
), hit AS (
  SELECT r.idx, l.building_id FROM reach r JOIN walk_edge e ON e.source = r.node_id JOIN building_walk_link l ON l.edge_id = e.id
  WHERE r.cost + l.fraction * e.length_m + l.join_m <= $3::float8
  UNION
  SELECT r.idx, l.building_id FROM reach r JOIN walk_edge e ON e.target = r.node_id JOIN building_walk_link l ON l.edge_id = e.id
  WHERE r.cost + (1 - l.fraction) * e.length_m + l.join_m <= $3::float8
  UNION
  SELECT s.idx, l.building_id FROM st s JOIN walk_edge e ON e.id = s.edge_id JOIN building_walk_link l ON l.edge_id = s.edge_id
  WHERE s.join_m + abs(s.fraction - l.fraction) * e.length_m + l.join_m <= $3::float8
)
SELECT h.idx, array_agg(h.building_id ORDER BY h.building_id) AS building_ids
FROM hit h
WHERE h.building_id IN (SELECT id FROM wanted)
GROUP BY h.idx
ORDER BY h.idx;
