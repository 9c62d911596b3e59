-- Every building with its place (grid, community) and whether it is covered: within the
-- walking radius of at least one counting station, measured on the spheroid.
-- $1 type codes, $2 removed facility ids, $3 proposed longitudes, $4 latitudes, $5 radii (m).
--
-- Driven per building, stopping at the first station that reaches it: facility_geog_idx finds
-- the stations within the largest radius any facility has (a constant for the index), then the
-- exact test uses each station's own radius. No union of circles is ever built.
SELECT b.id, b.residents, b.residents_60_plus AS r60, b.residents_80_plus AS r80,
       g.id AS grid_id,
       coalesce(g.community_code, c.code) AS community_code,
       (
         EXISTS (
           SELECT 1
           FROM facility f
           JOIN facility_service_area a ON a.facility_id = f.id
           WHERE f.retired_at IS NULL
             AND f.facility_type = ANY ($1::text[])
             AND NOT (f.id = ANY ($2::bigint[]))
             AND ST_DWithin(f.geom::geography, b.geom::geography, (SELECT max(radius_meters)::float8 FROM facility_service_area))
             AND ST_DWithin(f.geom::geography, b.geom::geography, a.radius_meters::float8)
         )
         OR EXISTS (
           SELECT 1
           FROM unnest($3::float8[], $4::float8[], $5::float8[]) AS p(lon, lat, r)
           WHERE ST_DWithin(b.geom::geography, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326)::geography, p.r)
         )
       ) AS covered
FROM building b
-- A building on a shared boundary belongs to the grid with the lowest code (as incidents do).
LEFT JOIN LATERAL (
  SELECT grid.id, grid.community_code FROM grid
  WHERE grid.retired_at IS NULL AND ST_Covers(grid.geom, b.geom)
  ORDER BY grid.code LIMIT 1
) g ON true
-- Outside every grid: the community whose outline holds it.
LEFT JOIN LATERAL (
  SELECT a.code FROM admin_area a
  WHERE g.id IS NULL AND a.level = 'community' AND ST_Covers(a.geom, b.geom)
  ORDER BY a.code LIMIT 1
) c ON true
ORDER BY b.id;
