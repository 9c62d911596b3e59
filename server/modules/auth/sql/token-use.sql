-- Records a use of a live personal access token (when token-lookup.sql said so): last_used_at and
-- last_used_ip at most once a minute per address, and one access_token_use row per token, address
-- and China day; `first_use` tells the caller to audit this use (the first of the day from that
-- address), so that a tool fetching thousands of pages does not flood the audit log.
-- $1 the token id, $2 the client address.
WITH touch AS (
  UPDATE access_token SET last_used_at = now(), last_used_ip = $2::text
  WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute' OR last_used_ip IS DISTINCT FROM $2::text)
),
first_use AS (
  INSERT INTO access_token_use (token_id, day, ip)
  VALUES ($1, (now() AT TIME ZONE 'Asia/Shanghai')::date, coalesce($2::text, ''))
  ON CONFLICT DO NOTHING
  RETURNING token_id
)
SELECT EXISTS (SELECT 1 FROM first_use) AS first_use;
