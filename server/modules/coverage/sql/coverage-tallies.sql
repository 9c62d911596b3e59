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
)
SELECT g.id AS grid_id, t.grid_code, coalesce(g.community_code, t.outside_community) AS community_code,
       t.buildings, t.uncovered_buildings, t.residents, t.r60, t.r80, t.covered_residents, t.covered_r60, t.covered_r80,
       coalesce(t.uncovered_ids, '{}') AS uncovered_ids, coalesce(t.uncovered_residents, '{}') AS uncovered_residents,
       coalesce(t.uncovered_r60, '{}') AS uncovered_r60, coalesce(t.uncovered_r80, '{}') AS uncovered_r80
FROM tally t
LEFT JOIN grid g ON g.code = t.grid_code;
