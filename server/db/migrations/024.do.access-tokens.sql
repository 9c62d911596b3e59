-- Personal access tokens: credentials for tools (QGIS, GDAL, scripts) that cannot hold a session
-- cookie. The token is `wgpat_` + 32 random bytes (base64url); only its SHA-256 is stored, so a
-- copy of this table cannot be replayed. A token acts with its owner's role and scope (read from
-- app_user at every use: a disabled owner's tokens stop at once), may be read-only, and ends at
-- its expiry (at most a year after creation) or when revoked.
CREATE TABLE access_token (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id       bigint NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  token_hash    bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
  -- The first characters of the token (prefix + 4), so that the owner can tell tokens apart.
  token_hint    text NOT NULL CHECK (length(token_hint) <= 16),
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  read_only     boolean NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  revoked_at    timestamptz,
  last_used_at  timestamptz,
  last_used_ip  text,
  CHECK (expires_at > created_at AND expires_at <= created_at + interval '366 days')
);
CREATE INDEX access_token_user_idx ON access_token (user_id);
CREATE UNIQUE INDEX access_token_name_idx ON access_token (user_id, name) WHERE revoked_at IS NULL;

-- One row per token, client address and China day on which the token was used: the first use of
-- each is audited (auth.token_use), later ones only touch access_token.last_used_*, so that a
-- tool fetching thousands of pages does not flood the audit log.
CREATE TABLE access_token_use (
  token_id  bigint NOT NULL REFERENCES access_token (id) ON DELETE CASCADE,
  day       date NOT NULL,
  ip        text NOT NULL,
  PRIMARY KEY (token_id, day, ip)
);
