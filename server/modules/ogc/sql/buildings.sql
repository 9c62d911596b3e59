-- OGC API items page of the live residential buildings and compounds. Anyone: where and what
-- kind (as on the public map's tiles); staff ($9 true) also the name, community and population
-- figures. Parameters $1..$8 as in grids.sql; $9 whether the caller is staff.
WITH matched AS (
  SELECT b.id FROM building b
  WHERE b.retired_at IS NULL
    AND ($1::float8 IS NULL OR (b.geom && ST_MakeEnvelope($1, $2, $3, $4::float8, 4326)
                                AND ST_Intersects(b.geom, ST_MakeEnvelope($1, $2, $3, $4::float8, 4326))))
    AND ($8::jsonb->>'fid' IS NULL OR b.id::text = $8::jsonb->>'fid')
    AND ($8::jsonb->>'kind' IS NULL OR b.kind = $8::jsonb->>'kind')
    AND ($8::jsonb->>'communityCode' IS NULL OR b.community_code = $8::jsonb->>'communityCode')
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
          '{"type":"Feature","id":' || b.id
          || ',"geometry":' || ST_AsGeoJSON(CASE WHEN $7::bool THEN ST_FlipCoordinates(b.geom) ELSE b.geom END, 7)
          || ',"properties":' || CASE WHEN $9::bool
               THEN json_build_object('kind', b.kind, 'name', b.name, 'communityCode', b.community_code,
                      'households', b.households, 'residents', b.residents,
                      'residents60Plus', b.residents_60_plus, 'residents80Plus', b.residents_80_plus)::text
               ELSE json_build_object('kind', b.kind)::text END
          || '}', ',' ORDER BY b.id), '')
        FROM shown JOIN building b ON b.id = shown.id) AS features;
