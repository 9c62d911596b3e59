-- A use of a personal access token: the token and its owner (whatever their state, so that the
-- caller can say why a token is refused), and, for a live token of an active owner, the record of
-- the use. $1 SHA-256 of the token, $2 the client address.
--
-- last_used_at/last_used_ip are written at most once a minute per address (a tool paging through
-- a collection sends hundreds of requests a minute: they read the row without queueing on its
-- lock), and access_token_use gets one row per token, address and China day: `first_use` tells
-- the caller to audit this use (the first of the day from that address).
WITH found AS (
  SELECT t.id AS token_id, t.read_only, t.expires_at, t.revoked_at, u.*
  FROM access_token t
  JOIN app_user u ON u.id = t.user_id
  WHERE t.token_hash = $1
),
live AS (
  SELECT token_id FROM found WHERE revoked_at IS NULL AND expires_at > now() AND is_active
),
touch AS (
  UPDATE access_token a SET last_used_at = now(), last_used_ip = $2
  FROM live
  WHERE a.id = live.token_id
    AND (a.last_used_at IS NULL OR a.last_used_at < now() - interval '1 minute' OR a.last_used_ip IS DISTINCT FROM $2)
),
first_use AS (
  INSERT INTO access_token_use (token_id, day, ip)
  SELECT token_id, (now() AT TIME ZONE 'Asia/Shanghai')::date, coalesce($2, '') FROM live
  ON CONFLICT DO NOTHING
  RETURNING token_id
)
SELECT found.*, EXISTS (SELECT 1 FROM first_use) AS first_use
FROM found;
