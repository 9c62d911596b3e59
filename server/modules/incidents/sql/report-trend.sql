-- The report's trend: incidents reported and closed per China-time day (or month, for a period
-- longer than two months) of [$1, $2), every bucket listed (zeros included).
-- $3 area prefix or NULL, $4 the caller's scope or NULL, $5 'day' | 'month'.
WITH buckets AS (
  SELECT b AS bucket_start
  FROM generate_series(date_trunc($5::text, $1::timestamptz AT TIME ZONE 'Asia/Shanghai'),
                       ($2::timestamptz AT TIME ZONE 'Asia/Shanghai') - interval '1 microsecond',
                       CASE $5 WHEN 'month' THEN interval '1 month' ELSE interval '1 day' END) b
), scoped AS (
  SELECT i.reported_at, i.closed_at
  FROM incident i
  WHERE ($3::text IS NULL OR i.community_code LIKE $3 || '%')
    AND ($4::text IS NULL OR i.community_code LIKE $4 || '%')
    AND ((i.reported_at >= $1 AND i.reported_at < $2) OR (i.closed_at >= $1 AND i.closed_at < $2))
), reported AS (
  SELECT date_trunc($5, reported_at AT TIME ZONE 'Asia/Shanghai') AS bucket_start, count(*)::int AS n
  FROM scoped WHERE reported_at >= $1 AND reported_at < $2 GROUP BY 1
), closed AS (
  SELECT date_trunc($5, closed_at AT TIME ZONE 'Asia/Shanghai') AS bucket_start, count(*)::int AS n
  FROM scoped WHERE closed_at >= $1 AND closed_at < $2 GROUP BY 1
)
SELECT to_char(b.bucket_start, CASE $5 WHEN 'month' THEN 'YYYY-MM' ELSE 'YYYY-MM-DD' END) AS bucket,
       coalesce(r.n, 0) AS reported, coalesce(c.n, 0) AS closed
FROM buckets b
LEFT JOIN reported r USING (bucket_start)
LEFT JOIN closed c USING (bucket_start)
ORDER BY b.bucket_start;
