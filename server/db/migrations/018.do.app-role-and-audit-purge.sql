-- The audit log no longer trusts a setting any session may set (wangge.audit_purge_days): rows
-- are never updated; a row is deleted only by the table's owner (the role that runs migrations
-- and maintenance, never the role that serves requests) and only when older than 184 days
-- (GB/T 22239-2019 level 3: six months). The purge is itself audited.

CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE'
     AND pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'USAGE')
     AND OLD.at < now() - interval '184 days' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP;
END $$;

DROP FUNCTION audit_log_purge(integer);
CREATE FUNCTION audit_log_purge(retention_days integer) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  removed bigint;
  oldest timestamptz;
BEGIN
  IF retention_days IS NULL OR retention_days < 184 THEN
    RAISE EXCEPTION 'audit retention must be at least 184 days (asked: %)', retention_days;
  END IF;
  SELECT min(at) INTO oldest FROM audit_log WHERE at < now() - make_interval(days => retention_days);
  DELETE FROM audit_log WHERE at < now() - make_interval(days => retention_days);
  GET DIAGNOSTICS removed = ROW_COUNT;
  INSERT INTO audit_log (actor_username, action, target_type, success, detail)
  VALUES (session_user, 'audit.purge', 'audit_log', true,
          jsonb_build_object('retentionDays', retention_days, 'removed', removed, 'oldestRemoved', oldest));
  RETURN removed;
END $$;
REVOKE ALL ON FUNCTION audit_log_purge(integer) FROM PUBLIC;

-- Only the schema's owner creates objects in it (PostgreSQL before 15 lets every role).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
