-- Validation of a set of grids against their communities and the planning norms.
-- Reads pg_temp.grid_candidate (filled by candidate-prepare.sql: the live grids of some
-- communities, or an import being previewed) and the communities listed in $1; returns one row
-- per finding. Areas are on the spheroid (geography), in square metres.
-- Per-community look-ups go to pg_temp.grid_candidate through its community_code index, not
-- through the candidate CTE (a scan of every candidate for each community: hours for a city).
WITH settings AS (
  SELECT * FROM grid_norm_setting WHERE id = 1
),
candidate AS (
  SELECT * FROM pg_temp.grid_candidate
),
community AS (
  SELECT a.code, a.kind, a.geom FROM admin_area a WHERE a.level = 'community' AND a.code = ANY($1::text[])
),
-- Below this an area is floating-point dust from the clipping itself, not a drawing error. It
-- is judged on the plane (degrees² scaled to m² at the latitude), where the clipping happened:
-- a shape that is flat in longitude/latitude has a geodesic area of its own (a straight edge in
-- degrees is not a geodesic), up to some 0.01 m² along a 300 m edge.
dust AS (SELECT 0.001::double precision AS square_meters, 12392029030.0::double precision AS square_meters_per_square_degree),
-- Whether each candidate spills out of its community: the costly test, made once here (the area
-- bookkeeping and the outside check both need it); the geometries kept only for those that spill.
fit AS MATERIALIZED (
  SELECT c.key, c.code, c.community_code, t.spills,
         CASE WHEN t.spills THEN c.vgeom END AS vgeom, CASE WHEN t.spills THEN o.geom END AS community_geom
  FROM pg_temp.grid_candidate c
  JOIN admin_area o ON o.code = c.community_code
  CROSS JOIN LATERAL (SELECT NOT ST_CoveredBy(c.vgeom, o.geom) AS spills) t
),

invalid_geometry AS (
  SELECT 'invalid_geometry' AS kind, 'error' AS severity, c.community_code,
         ARRAY[c.key] AS grid_keys, ARRAY[c.code] AS grid_codes, NULL::double precision AS area_m2,
         jsonb_build_object('reason', d.reason) AS detail,
         coalesce(d.location, ST_PointOnSurface(c.vgeom)) AS geom
  FROM candidate c, LATERAL ST_IsValidDetail(c.geom) d
  WHERE NOT c.is_valid
),
-- Pairs whose interiors meet (touching along an edge is how grids should meet).
overlap_pair AS (
  SELECT a.community_code, a.key AS key_a, b.key AS key_b, a.code AS code_a, b.code AS code_b,
         ST_CollectionExtract(ST_Intersection(a.vgeom, b.vgeom), 3) AS geom
  FROM pg_temp.grid_candidate a
  JOIN pg_temp.grid_candidate b ON a.key < b.key AND a.vgeom && b.vgeom
  WHERE ST_Relate(a.vgeom, b.vgeom, '2********')
),
overlap AS (
  SELECT CASE WHEN area_m2 < s.sliver_tolerance_square_meters THEN 'sliver' ELSE 'overlap' END AS kind,
         CASE WHEN area_m2 < s.sliver_tolerance_square_meters THEN 'warning' ELSE 'error' END AS severity,
         o.community_code, ARRAY[o.key_a, o.key_b], ARRAY[o.code_a, o.code_b], area_m2,
         jsonb_build_object('of', 'overlap'), o.geom
  FROM (SELECT p.*, ST_Area(p.geom::geography) AS area_m2 FROM overlap_pair p) o, settings s, dust
  WHERE ST_Area(o.geom) * dust.square_meters_per_square_degree * cos(radians(ST_YMin(o.geom))) > dust.square_meters
),
-- Overlaps with live grids of communities not being validated (neighbouring communities).
foreign_overlap AS (
  SELECT 'overlap' AS kind, 'error' AS severity, c.community_code, ARRAY[c.key, g.id::text], ARRAY[c.code, g.code], o.area_m2,
         jsonb_build_object('of', 'overlap', 'neighbourCommunity', g.community_code), o.geom
  FROM pg_temp.grid_candidate c
  JOIN grid g ON g.geom && c.vgeom AND g.retired_at IS NULL AND NOT (g.community_code = ANY($1::text[]))
  CROSS JOIN LATERAL (
    SELECT ST_CollectionExtract(ST_Intersection(c.vgeom, g.geom), 3) AS geom
  ) i
  CROSS JOIN LATERAL (SELECT i.geom, ST_Area(i.geom::geography) AS area_m2) o
  CROSS JOIN settings s
  WHERE ST_Relate(g.geom, c.vgeom, '2********') AND o.area_m2 >= s.sliver_tolerance_square_meters
),
-- Area bookkeeping first: when a community's area equals the sum of its grids' areas, no grid
-- spills out and none overlaps another, it has no gap, and the costly difference is skipped.
area_balance AS (
  SELECT m.code, m.geom,
         abs(ST_Area(m.geom) - coalesce((SELECT sum(ST_Area(c.vgeom)) FROM pg_temp.grid_candidate c WHERE c.community_code = m.code), 0))
           * (SELECT square_meters_per_square_degree FROM dust) * cos(radians(ST_YMin(m.geom))) AS unbalanced_m2,
         m.code IN (SELECT p.community_code FROM overlap_pair p) OR
         m.code IN (SELECT f.community_code FROM fit f WHERE f.spills) AS untidy
  FROM community m
),
-- The community less the union of its grids, cut into its separate parts.
gap_part AS (
  SELECT m.code AS community_code, (ST_Dump(
           ST_CollectionExtract(ST_Difference(m.geom, coalesce(u.geom, 'POLYGON EMPTY'::geometry(Polygon, 4326))), 3)
         )).geom AS geom
  FROM area_balance m
  CROSS JOIN dust
  LEFT JOIN LATERAL (
    SELECT ST_Union(c.vgeom) AS geom FROM pg_temp.grid_candidate c WHERE c.community_code = m.code
  ) u ON true
  WHERE m.untidy OR m.unbalanced_m2 > dust.square_meters
),
gap AS (
  SELECT CASE WHEN area_m2 < s.sliver_tolerance_square_meters THEN 'sliver' ELSE 'gap' END,
         'warning', g.community_code, ARRAY[]::text[], ARRAY[]::text[], area_m2,
         jsonb_build_object('of', 'gap'), g.geom
  FROM (SELECT p.*, ST_Area(p.geom::geography) AS area_m2 FROM gap_part p) g, settings s, dust
  WHERE ST_Area(g.geom) * dust.square_meters_per_square_degree * cos(radians(ST_YMin(g.geom))) > dust.square_meters
),
-- Parts of a grid outside the community it belongs to: an error (a grid belongs to one
-- community and lies inside it), except a spill under the sliver tolerance — smaller than it,
-- or thinner than its side (reaching less than √tolerance m beyond the outline: the drift of a
-- coordinate conversion along a long edge) — which is a repairable sliver. The detail gives how
-- far the spill reaches beyond the outline, in metres. grid-store.ts assertInsideCommunity and
-- repair-outside-slivers.sql draw the same line.
outside AS (
  SELECT CASE WHEN o.is_sliver THEN 'sliver' ELSE 'outside_community' END,
         CASE WHEN o.is_sliver THEN 'warning' ELSE 'error' END,
         o.community_code, ARRAY[o.key], ARRAY[o.code], o.area_m2,
         jsonb_build_object('of', 'outside_community', 'distanceMeters', round(o.distance_m::numeric, 1)), o.geom
  FROM (
    SELECT f.community_code, f.key, f.code, d.geom, ST_Area(d.geom::geography) AS area_m2,
           (SELECT max(ST_Distance(p.geom::geography, f.community_geom::geography)) FROM ST_DumpPoints(d.geom) p) AS distance_m
    FROM fit f
    CROSS JOIN LATERAL (
      SELECT ST_CollectionExtract(ST_Difference(f.vgeom, f.community_geom), 3) AS geom
    ) d
    WHERE f.spills
  ) o0
  CROSS JOIN settings s
  CROSS JOIN dust
  CROSS JOIN LATERAL (
    SELECT o0.*, (o0.area_m2 < s.sliver_tolerance_square_meters OR o0.distance_m < sqrt(s.sliver_tolerance_square_meters)) AS is_sliver
  ) o
  WHERE ST_Area(o.geom) * dust.square_meters_per_square_degree * cos(radians(ST_YMin(o.geom))) > dust.square_meters
),
-- A community with no outline yet: its grids cannot be checked for spill nor for gaps (they are
-- still checked for overlaps, codes, norms and staff). Said once per community, not failed.
without_outline AS (
  SELECT 'community_without_outline', 'warning', a.code, ARRAY[]::text[], ARRAY[]::text[], NULL::double precision,
         jsonb_build_object('grids', (SELECT count(*) FROM pg_temp.grid_candidate c WHERE c.community_code = a.code)),
         (SELECT ST_PointOnSurface(ST_Collect(c.vgeom)) FROM pg_temp.grid_candidate c WHERE c.community_code = a.code)
  FROM admin_area a
  WHERE a.level = 'community' AND a.code = ANY($1::text[]) AND a.geom IS NULL
),
-- Comprehensive grids only: a dedicated grid covers one institution, not households.
households_norm AS (
  SELECT 'households_out_of_norm', 'warning', c.community_code, ARRAY[c.key], ARRAY[c.code], NULL::double precision,
         jsonb_build_object('households', c.households, 'min', n.min, 'max', n.max, 'communityKind', coalesce(m.kind, 'urban')),
         ST_PointOnSurface(c.vgeom)
  FROM candidate c
  LEFT JOIN admin_area m ON m.code = c.community_code
  CROSS JOIN settings s
  CROSS JOIN LATERAL (
    SELECT CASE WHEN m.kind = 'village' THEN s.rural_households_min ELSE s.urban_households_min END AS min,
           CASE WHEN m.kind = 'village' THEN s.rural_households_max ELSE s.urban_households_max END AS max
  ) n
  WHERE c.grid_type = 'comprehensive' AND (c.households < n.min OR c.households > n.max)
),
staffing AS (
  SELECT 'no_leader', 'warning', c.community_code, ARRAY[c.key], ARRAY[c.code], NULL::double precision,
         '{}'::jsonb, ST_PointOnSurface(c.vgeom)
  FROM candidate c WHERE c.leader_count = 0
  UNION ALL
  SELECT 'no_manager', 'warning', c.community_code, ARRAY[c.key], ARRAY[c.code], NULL::double precision,
         '{}'::jsonb, ST_PointOnSurface(c.vgeom)
  FROM candidate c WHERE c.manager_count = 0
),
-- One grid manager per households_per_manager households (Wuxi: 300).
community_staffing AS (
  SELECT 'too_few_managers', 'warning', m.code, ARRAY[]::text[], ARRAY[]::text[], NULL::double precision,
         jsonb_build_object('managers', t.managers, 'households', t.households,
                            'required', ceil(t.households::numeric / s.households_per_manager)),
         ST_PointOnSurface(m.geom)
  FROM community m
  CROSS JOIN settings s
  JOIN LATERAL (
    SELECT coalesce(sum(c.manager_count), 0) AS managers, coalesce(sum(c.households), 0) AS households
    FROM pg_temp.grid_candidate c WHERE c.community_code = m.code
  ) t ON true
  WHERE t.managers < t.households::numeric / s.households_per_manager
),
malformed_code AS (
  SELECT 'malformed_code', 'error', c.community_code, ARRAY[c.key], ARRAY[c.code], NULL::double precision,
         jsonb_build_object('expected', '15 digits: 12-digit community code + 3-digit sequence'),
         ST_PointOnSurface(c.vgeom)
  FROM candidate c WHERE c.code IS NULL OR c.code !~ '^[0-9]{15}$'
),
prefix_mismatch AS (
  SELECT 'code_prefix_mismatch', 'error', c.community_code, ARRAY[c.key], ARRAY[c.code], NULL::double precision,
         jsonb_build_object('expectedPrefix', c.community_code), ST_PointOnSurface(c.vgeom)
  FROM candidate c WHERE c.code ~ '^[0-9]{15}$' AND substr(c.code, 1, 12) <> c.community_code
),
-- The same code twice in the set, or a code that already names another grid (live or retired)
-- or was renumbered away: codes are never issued twice.
duplicate_code AS (
  SELECT 'duplicate_code', 'error', min(c.community_code), array_agg(c.key ORDER BY c.key), array_agg(c.code ORDER BY c.key),
         NULL::double precision, jsonb_build_object('count', count(*)), ST_PointOnSurface(ST_Collect(c.vgeom))
  FROM candidate c WHERE c.code ~ '^[0-9]{15}$'
  GROUP BY c.code HAVING count(*) > 1
  UNION ALL
  SELECT 'duplicate_code', 'error', c.community_code, ARRAY[c.key], ARRAY[c.code], NULL::double precision,
         jsonb_build_object('takenBy', g.code, 'retired', g.retired_at IS NOT NULL), ST_PointOnSurface(c.vgeom)
  FROM candidate c
  JOIN grid g ON g.code = c.code AND g.id IS DISTINCT FROM c.id
  WHERE NOT EXISTS (SELECT 1 FROM candidate o WHERE o.id = g.id)
  UNION ALL
  SELECT 'duplicate_code', 'error', c.community_code, ARRAY[c.key], ARRAY[c.code], NULL::double precision,
         jsonb_build_object('retired', true), ST_PointOnSurface(c.vgeom)
  FROM candidate c
  JOIN retired_grid_code r ON r.code = c.code
),
finding AS (
  SELECT * FROM invalid_geometry
  UNION ALL SELECT * FROM overlap
  UNION ALL SELECT * FROM foreign_overlap
  UNION ALL SELECT * FROM gap
  UNION ALL SELECT * FROM outside
  UNION ALL SELECT * FROM without_outline
  UNION ALL SELECT * FROM households_norm
  UNION ALL SELECT * FROM staffing
  UNION ALL SELECT * FROM community_staffing
  UNION ALL SELECT * FROM malformed_code
  UNION ALL SELECT * FROM prefix_mismatch
  UNION ALL SELECT * FROM duplicate_code
)
SELECT f.kind, f.severity, f.community_code AS "communityCode", f.grid_keys AS "gridKeys", f.grid_codes AS "gridCodes",
       CASE WHEN f.area_m2 IS NULL THEN NULL ELSE round(f.area_m2::numeric, 2)::double precision END AS "areaSquareMeters",
       f.detail,
       ST_AsGeoJSON(f.geom, 7)::json AS geometry,
       ARRAY[ST_XMin(f.geom), ST_YMin(f.geom), ST_XMax(f.geom), ST_YMax(f.geom)] AS bbox
FROM finding f
ORDER BY CASE f.severity WHEN 'error' THEN 0 ELSE 1 END, f.community_code, f.kind, f.grid_codes;
