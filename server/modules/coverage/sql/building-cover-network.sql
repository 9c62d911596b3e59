-- Which building is covered in a scenario, measured along the walking network (included like
-- building-cover.sql, with the same last CTE building_cover: id, residents, r60, r80, grid_code,
-- outside_community, covered).
-- $1 type codes, $2 removed facility ids, $3 proposed longitudes, $4 latitudes, $5 reaches (m).
--
-- A building is covered when the walk from a counting station to it is within the station's
-- reach: the stored walk to each node the station reaches (facility_walk_reach), then along the
-- building's edge to its joining point, then the joining distance (building_walk_link); or, on
-- the station's own edge, straight along it. Proposed stations are walked here (walk_reach).
-- A building with no joining point (no network near it) is not covered.
proposal AS (
  SELECT (p.ord - 1)::int AS proposal_index, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326) AS geom, p.r
  FROM unnest($3::float8[], $4::float8[], $5::float8[]) WITH ORDINALITY AS p(lon, lat, r, ord)
),
station AS MATERIALIZED (
  SELECT a.facility_id, NULL::int AS proposal_index, a.reach_meters AS budget, a.edge_id, a.fraction, a.join_m
  FROM facility f JOIN facility_walk_area a ON a.facility_id = f.id
  WHERE f.retired_at IS NULL AND f.facility_type = ANY ($1::text[]) AND NOT (f.id = ANY ($2::bigint[]))
  UNION ALL
  SELECT NULL, p.proposal_index, p.r, l.edge_id, l.fraction, l.join_m
  FROM proposal p CROSS JOIN LATERAL walk_link_point(p.geom) l
),
reach AS MATERIALIZED (
  SELECT s.budget, r.node_id, r.cost
  FROM station s JOIN facility_walk_reach r ON r.facility_id = s.facility_id
  UNION ALL
  SELECT p.r, w.node_id, w.cost
  FROM proposal p CROSS JOIN LATERAL walk_reach(p.geom, p.r) w
),
covered_id AS MATERIALIZED (
  SELECT l.building_id AS id
  FROM reach r JOIN walk_edge e ON e.source = r.node_id JOIN building_walk_link l ON l.edge_id = e.id
  WHERE r.cost + l.fraction * e.length_m + l.join_m <= r.budget
  UNION
  SELECT l.building_id
  FROM reach r JOIN walk_edge e ON e.target = r.node_id JOIN building_walk_link l ON l.edge_id = e.id
  WHERE r.cost + (1 - l.fraction) * e.length_m + l.join_m <= r.budget
  UNION
  SELECT l.building_id
  FROM station s JOIN walk_edge e ON e.id = s.edge_id JOIN building_walk_link l ON l.edge_id = s.edge_id
  WHERE s.join_m + abs(s.fraction - l.fraction) * e.length_m + l.join_m <= s.budget
),
in_grid AS MATERIALIZED (
  SELECT b.id, g.code, b.residents, b.residents_60_plus AS r60, b.residents_80_plus AS r80,
         EXISTS (SELECT 1 FROM covered_id c WHERE c.id = b.id) AS covered
  FROM grid g JOIN building b ON ST_Covers(g.geom, b.geom)
  WHERE g.retired_at IS NULL AND b.retired_at IS NULL
),
multi AS MATERIALIZED (
  SELECT id, min(code) AS code, count(*) AS n FROM in_grid GROUP BY id HAVING count(*) > 1
),
placed AS (
  SELECT i.id, i.code AS grid_code, i.residents, i.r60, i.r80, i.covered
  FROM in_grid i
  WHERE NOT EXISTS (SELECT 1 FROM multi m WHERE m.id = i.id AND m.code <> i.code)
),
outside AS (
  SELECT b.id, b.residents, b.residents_60_plus AS r60, b.residents_80_plus AS r80, c.code AS community_code,
         EXISTS (SELECT 1 FROM covered_id x WHERE x.id = b.id) AS covered
  FROM building b
  LEFT JOIN LATERAL (
    SELECT a.code FROM admin_area a
    WHERE a.level = 'community' AND ST_Covers(a.geom, b.geom)
    ORDER BY a.code LIMIT 1
  ) c ON true
  WHERE b.retired_at IS NULL AND NOT EXISTS (SELECT 1 FROM in_grid p WHERE p.id = b.id)
),
building_cover AS (
  SELECT id, residents, r60, r80, grid_code, NULL::text AS outside_community, covered FROM placed
  UNION ALL
  SELECT id, residents, r60, r80, NULL, community_code, covered FROM outside
),
-- The counting stations' walking areas as outlines, for the grids that are counted as a whole
-- (figures per grid, no buildings): coverage-tallies.sql. A proposed station's area is drawn from
-- its walk (the same function that stores the facilities' areas).
service_area AS (
  SELECT a.geom FROM station s JOIN facility_walk_area a ON a.facility_id = s.facility_id
  UNION ALL
  SELECT walk_area_polygon(p.geom, p.r) FROM proposal p
)
