-- Second factor (TOTP), and retention of the append-only audit log.

ALTER TABLE app_user
  ADD COLUMN totp_secret text,
  ADD COLUMN totp_enabled boolean NOT NULL DEFAULT false,
  -- A secret being enrolled, confirmed by one valid code before it becomes totp_secret.
  ADD COLUMN totp_pending_secret text,
  -- The last 30-second step accepted, so that a code cannot be replayed.
  ADD COLUMN totp_last_step bigint,
  ADD CHECK (NOT totp_enabled OR totp_secret IS NOT NULL);

-- Audit rows may be removed only by audit_log_purge(), only when older than the retention, and
-- the retention can never be set below 184 days (GB/T 22239-2019 level 3: six months).
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE'
     AND current_setting('wangge.audit_purge_days', true) IS NOT NULL
     AND current_setting('wangge.audit_purge_days', true) <> ''
     AND OLD.at < now() - make_interval(days => current_setting('wangge.audit_purge_days', true)::int) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP;
END $$;

CREATE FUNCTION audit_log_purge(retention_days integer) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  removed bigint;
BEGIN
  IF retention_days IS NULL OR retention_days < 184 THEN
    RAISE EXCEPTION 'audit retention must be at least 184 days (asked: %)', retention_days;
  END IF;
  PERFORM set_config('wangge.audit_purge_days', retention_days::text, true);
  DELETE FROM audit_log WHERE at < now() - make_interval(days => retention_days);
  GET DIAGNOSTICS removed = ROW_COUNT;
  PERFORM set_config('wangge.audit_purge_days', '', true);
  RETURN removed;
END $$;
