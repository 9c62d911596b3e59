-- A personal access token and its owner (whatever their state, so that the caller can say why a
-- token is refused), and whether this use must be recorded (token-use.sql): the last use is
-- older than a minute or came from another address, or this is the first use of the China day
-- from this address. A client paging through a collection sends hundreds of requests a minute:
-- they all take this read-only path. $1 SHA-256 of the token, $2 the client address.
SELECT t.id AS token_id, t.read_only, t.expires_at, t.revoked_at, u.*,
       (t.last_used_at IS NULL OR t.last_used_at < now() - interval '1 minute' OR t.last_used_ip IS DISTINCT FROM $2::text
        OR NOT EXISTS (SELECT 1 FROM access_token_use w
                        WHERE w.token_id = t.id AND w.day = (now() AT TIME ZONE 'Asia/Shanghai')::date AND w.ip = coalesce($2::text, ''))) AS record_use
FROM access_token t
JOIN app_user u ON u.id = t.user_id
WHERE t.token_hash = $1;
