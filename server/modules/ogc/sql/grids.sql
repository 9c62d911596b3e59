-- OGC API items page of the live grids (staff only: the route checks the role), as GeoJSON text
-- built here, so that the route only wraps it: code, name, community, type, population figures
-- and how many grid managers serve each grid (a count: never names or phones).
--
-- The parameters every items query here takes:
-- $1..$4 the bbox in CRS84 (xmin, ymin, xmax, ymax; all NULL for none): features that intersect it
-- $5 the key after which the page starts (keyset paging: stable while rows are added or
--    removed elsewhere, and as fast on page 100 as on page 1), NULL for the first page
-- $6 the page size; one more row is read to know whether there is a next page
-- $7 true: positions as latitude, longitude (EPSG:4326 and EPSG:4490 axis order); false: CRS84
-- $8 the property filters (jsonb of the collection's queryables), and 'fid' for one feature
WITH matched AS (
  SELECT g.id FROM grid g
  WHERE g.retired_at IS NULL
    AND ($1::float8 IS NULL OR (g.geom && ST_MakeEnvelope($1, $2, $3, $4::float8, 4326)
                                AND ST_Intersects(g.geom, ST_MakeEnvelope($1, $2, $3, $4::float8, 4326))))
    AND ($8::jsonb->>'fid' IS NULL OR g.id::text = $8::jsonb->>'fid')
    AND ($8::jsonb->>'code' IS NULL OR g.code = $8::jsonb->>'code')
    AND ($8::jsonb->>'communityCode' IS NULL OR g.community_code = $8::jsonb->>'communityCode')
    AND ($8::jsonb->>'gridType' IS NULL OR g.grid_type = $8::jsonb->>'gridType')
),
page AS (
  SELECT id FROM matched WHERE $5::text IS NULL OR id > $5::bigint ORDER BY id LIMIT $6::int + 1
),
shown AS (
  SELECT id FROM page ORDER BY id LIMIT $6::int
)
SELECT (SELECT count(*) FROM matched)::int AS number_matched,
       (SELECT count(*) FROM shown)::int AS number_returned,
       (SELECT count(*) FROM page) > $6::int AS has_more,
       (SELECT max(id) FROM shown)::text AS last_key,
       (SELECT coalesce(string_agg(
          '{"type":"Feature","id":' || g.id
          || ',"geometry":' || ST_AsGeoJSON(CASE WHEN $7::bool THEN ST_FlipCoordinates(g.geom) ELSE g.geom END, 7)
          || ',"properties":' || json_build_object(
               'code', g.code, 'name', g.name, 'communityCode', g.community_code,
               'gridType', g.grid_type, 'dedicatedKind', g.dedicated_kind,
               'households', g.households, 'residents', g.residents,
               'residents60Plus', g.residents_60_plus, 'residents80Plus', g.residents_80_plus,
               'managers', (SELECT count(*) FROM grid_staff s WHERE s.grid_id = g.id AND s.role = 'manager')::int)::text
          || '}', ',' ORDER BY g.id), '')
        FROM shown JOIN grid g ON g.id = shown.id) AS features;
