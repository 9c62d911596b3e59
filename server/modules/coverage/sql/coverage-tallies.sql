-- The buildings added up per grid (and per community for those outside every grid): how many,
-- how many uncovered, and the people of each population, all and covered. The figures of a run
-- are sums of these, so half a million buildings never leave the database.
-- $1 type codes, $2 removed facility ids, $3 proposed longitudes, $4 latitudes, $5 radii (m),
-- $6 whether to list the uncovered buildings, by id with their people (for the gap layers).
WITH {{cover}},
tally AS (
  SELECT grid_code, outside_community,
         count(*)::int AS buildings,
         count(*) FILTER (WHERE NOT covered)::int AS uncovered_buildings,
         sum(residents)::bigint AS residents,
         sum(r60)::bigint AS r60,
         sum(r80)::bigint AS r80,
         coalesce(sum(residents) FILTER (WHERE covered), 0)::bigint AS covered_residents,
         coalesce(sum(r60) FILTER (WHERE covered), 0)::bigint AS covered_r60,
         coalesce(sum(r80) FILTER (WHERE covered), 0)::bigint AS covered_r80,
         array_agg(id ORDER BY id) FILTER (WHERE $6::boolean AND NOT covered) AS uncovered_ids,
         array_agg(residents ORDER BY id) FILTER (WHERE $6::boolean AND NOT covered) AS uncovered_residents,
         array_agg(r60 ORDER BY id) FILTER (WHERE $6::boolean AND NOT covered) AS uncovered_r60,
         array_agg(r80 ORDER BY id) FILTER (WHERE $6::boolean AND NOT covered) AS uncovered_r80
  FROM building_cover
  GROUP BY grid_code, outside_community
),
-- Grids that hold no building but carry entered figures (a bureau with figures per grid only):
-- the grid is the unit, reached for the share of its area the service areas cover (areas on the
-- spheroid). An estimate, flagged as such: it assumes people spread evenly over the grid.
grid_unit AS (
  SELECT g.id, g.code, g.community_code, g.residents, g.residents_60_plus AS r60, g.residents_80_plus AS r80,
         coalesce((
           SELECT ST_Area(ST_Intersection(g.geom, ST_Union(a.geom))::geography)
                  / nullif(ST_Area(g.geom::geography), 0)
           FROM service_area a
           WHERE a.geom && g.geom AND ST_Intersects(a.geom, g.geom)
         ), 0) AS share
  FROM grid g
  WHERE g.retired_at IS NULL AND g.residents > 0
    AND NOT EXISTS (SELECT 1 FROM tally t WHERE t.grid_code = g.code)
)
SELECT g.id AS grid_id, t.grid_code, coalesce(g.community_code, t.outside_community) AS community_code,
       t.buildings, t.uncovered_buildings, t.residents, t.r60, t.r80, t.covered_residents, t.covered_r60, t.covered_r80,
       coalesce(t.uncovered_ids, '{}') AS uncovered_ids, coalesce(t.uncovered_residents, '{}') AS uncovered_residents,
       coalesce(t.uncovered_r60, '{}') AS uncovered_r60, coalesce(t.uncovered_r80, '{}') AS uncovered_r80,
       false AS estimated
FROM tally t
LEFT JOIN grid g ON g.code = t.grid_code
UNION ALL
SELECT u.id, u.code, u.community_code, 0, 0, u.residents, u.r60, u.r80,
       round(u.residents * least(u.share, 1))::bigint, round(u.r60 * least(u.share, 1))::bigint, round(u.r80 * least(u.share, 1))::bigint,
       '{}', '{}', '{}', '{}', true
FROM grid_unit u;
