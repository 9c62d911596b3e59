-- OGC API items page of the administrative areas that have an outline (city, districts, streets,
-- communities/villages; retired areas have none): public fields only. The key is the area code.
-- Parameters $1..$8 as in grids.sql ($5 an area code).
WITH matched AS (
  SELECT a.code FROM admin_area a
  WHERE a.geom IS NOT NULL AND a.retired_at IS NULL
    AND ($1::float8 IS NULL OR (a.geom && ST_MakeEnvelope($1, $2, $3, $4::float8, 4326)
                                AND ST_Intersects(a.geom, ST_MakeEnvelope($1, $2, $3, $4::float8, 4326))))
    AND ($8::jsonb->>'fid' IS NULL OR a.code = $8::jsonb->>'fid')
    AND ($8::jsonb->>'level' IS NULL OR a.level = $8::jsonb->>'level')
    AND ($8::jsonb->>'parentCode' IS NULL OR a.parent_code = $8::jsonb->>'parentCode')
    AND ($8::jsonb->>'kind' IS NULL OR a.kind = $8::jsonb->>'kind')
),
page AS (
  SELECT code FROM matched WHERE $5::text IS NULL OR code > $5::text ORDER BY code LIMIT $6::int + 1
),
shown AS (
  SELECT code FROM page ORDER BY code LIMIT $6::int
)
SELECT (SELECT count(*) FROM matched)::int AS number_matched,
       (SELECT count(*) FROM shown)::int AS number_returned,
       (SELECT count(*) FROM page) > $6::int AS has_more,
       (SELECT max(code) FROM shown) AS last_key,
       (SELECT coalesce(string_agg(
          '{"type":"Feature","id":' || to_json(a.code)::text
          || ',"geometry":' || ST_AsGeoJSON(CASE WHEN $7::bool THEN ST_FlipCoordinates(a.geom) ELSE a.geom END, 7)
          || ',"properties":' || json_build_object(
               'code', a.code, 'name', a.name, 'level', a.level, 'kind', a.kind,
               'parentCode', a.parent_code)::text
          || '}', ',' ORDER BY a.code), '')
        FROM shown JOIN admin_area a ON a.code = shown.code) AS features;
