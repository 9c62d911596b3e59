-- The hashes of a user's previous passwords, so that a password change can refuse the last few
-- (server/modules/auth/password-policy.ts keeps PASSWORD_HISTORY of them). Only scrypt hashes,
-- never a password; rows beyond the last few are removed when a password changes.
CREATE TABLE password_history (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id       bigint NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  password_hash text NOT NULL,
  replaced_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX password_history_user ON password_history (user_id, id DESC);
