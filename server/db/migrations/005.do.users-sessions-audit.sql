-- Users, server-side sessions and the append-only audit log.

CREATE TABLE app_user (
  id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  username              text NOT NULL UNIQUE CHECK (username ~ '^[a-zA-Z0-9_.-]{3,64}$'),
  display_name          text NOT NULL,
  role                  text NOT NULL CHECK (role IN ('admin', 'planner', 'analyst', 'grid_worker')),
  -- scrypt, stored as 'scrypt$N$r$p$salt$hash' (base64).
  password_hash         text NOT NULL,
  -- Optional limit of a planner's, analyst's or grid worker's reach to one street or community.
  scope_area_code       text REFERENCES admin_area (code),
  is_active             boolean NOT NULL DEFAULT true,
  must_change_password  boolean NOT NULL DEFAULT false,
  failed_login_count    integer NOT NULL DEFAULT 0,
  locked_until          timestamptz,
  created_at            timestamptz NOT NULL DEFAULT now(),
  password_changed_at   timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE grid_staff ADD CONSTRAINT grid_staff_user_fk FOREIGN KEY (user_id) REFERENCES app_user (id);
ALTER TABLE incident ADD CONSTRAINT incident_reported_by_fk FOREIGN KEY (reported_by) REFERENCES app_user (id);
ALTER TABLE incident_event ADD CONSTRAINT incident_event_actor_fk FOREIGN KEY (actor_user_id) REFERENCES app_user (id);

-- The cookie carries a random 256-bit token; only its SHA-256 is stored, so a copy of this
-- table cannot be replayed as sessions.
CREATE TABLE user_session (
  token_hash    bytea PRIMARY KEY,
  user_id       bigint NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  ip            text,
  user_agent    text
);
CREATE INDEX user_session_user_idx ON user_session (user_id);

CREATE TABLE audit_log (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at               timestamptz NOT NULL DEFAULT now(),
  actor_user_id    bigint,
  actor_username   text,
  action           text NOT NULL,
  target_type      text,
  target_id        text,
  ip               text,
  success          boolean NOT NULL,
  detail           jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_user_id);

-- Append-only: rows can be added, never changed or removed (retention purges run as the
-- database owner through a dedicated function in a later migration).
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP;
END $$;
CREATE TRIGGER audit_log_no_update_delete
  BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate
  BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- Records which demo data set (seed, anchor date) was loaded, so that start-up loads it once.
CREATE TABLE demo_load (
  id          integer PRIMARY KEY CHECK (id = 1),
  seed        text NOT NULL,
  anchor_date date NOT NULL,
  loaded_at   timestamptz NOT NULL DEFAULT now()
);
