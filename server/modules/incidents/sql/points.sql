-- The filtered incidents themselves as packed records of 16 bytes (float32 lon, float32 lat,
-- float32 urgency weight, uint32 id), for the clickable dots at street zoom. Big-endian from
-- PostgreSQL; the server swaps to little-endian. $1..$7 the filter, $8 the most points to send.
WITH pts AS (
  SELECT i.id, i.geom, 168.0 / c.deadline_hours AS weight
  FROM incident_filtered($1, $2, $3, $4, $5, $6, $7) i
  JOIN incident_category c ON c.code = i.category
  ORDER BY i.reported_at DESC, i.id
  LIMIT $8
)
SELECT count(*)::int AS points,
       coalesce(string_agg(float4send(ST_X(geom)::float4) || float4send(ST_Y(geom)::float4) || float4send(weight::float4) || int4send(id::int), ''::bytea), ''::bytea) AS bytes
FROM pts;
