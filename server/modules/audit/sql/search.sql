-- Audit rows matching the admin's filters, newest first, keyset-paged by id.
-- $1 actor username, $2 action or prefix, $3 success, $4 from, $5 to, $6 before id, $7 limit.
SELECT id,
       to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at,
       actor_username AS "actorUsername", action, target_type AS "targetType", target_id AS "targetId",
       ip, success, detail
FROM audit_log
WHERE ($1::text IS NULL OR actor_username = $1)
  AND ($2::text IS NULL OR action = $2 OR (right($2, 1) = '.' AND starts_with(action, $2)))
  AND ($3::boolean IS NULL OR success = $3)
  AND ($4::timestamptz IS NULL OR at >= $4)
  AND ($5::timestamptz IS NULL OR at < $5)
  AND ($6::bigint IS NULL OR id < $6)
ORDER BY id DESC
LIMIT $7;
