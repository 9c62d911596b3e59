/**
 * The two database roles Wangge uses. The owner role runs migrations and maintenance (audit
 * purge, restore) and owns every table; the app role, which serves requests, is a plain login
 * role with only the grants the app needs: read and write the tables it edits, only append to
 * and read the audit log, create nothing in the schema. The grants are made by the migration
 * runner after every migrate, for whatever tables exist then, so a new migration needs no
 * grant of its own.
 */
import pg from 'pg';
import type { Queryable } from './pool.js';

/** The app role's name when the deployment does not name one (local cluster, docker-compose). */
export const DEFAULT_APP_ROLE = 'wangge_app';

const ident = (name: string) => pg.escapeIdentifier(name);
const literal = (value: string) => pg.escapeLiteral(value);

/** The user name of a connection string (decoded), or null. */
export function userOf(connectionString: string): string | null {
  const user = new URL(connectionString).username;
  return user ? decodeURIComponent(user) : null;
}

/** The password of a connection string (decoded), or null. */
export function passwordOf(connectionString: string): string | null {
  const password = new URL(connectionString).password;
  return password ? decodeURIComponent(password) : null;
}

export async function roleExists(db: Queryable, role: string): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
  return (rowCount ?? 0) > 0;
}

/**
 * Creates the app role as a plain login role (no superuser, no role or database creation, no
 * replication, no row-security bypass) with this password; an existing one is made plain again
 * and given the password. The caller must be superuser or hold CREATEROLE.
 */
export async function ensureAppLoginRole(db: Queryable, role: string, password: string): Promise<void> {
  if (!(await roleExists(db, role))) await db.query(`CREATE ROLE ${ident(role)} LOGIN`);
  await db.query(
    `ALTER ROLE ${ident(role)} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT PASSWORD ${literal(password)}`,
  );
}

/**
 * Grants the app role what it needs on the current database, as the owner (run after every
 * migrate): SELECT/INSERT/UPDATE/DELETE on the tables the owner owns, USAGE on their
 * sequences, EXECUTE on the owner's functions, the same by default for objects the owner
 * creates later; on audit_log only INSERT and SELECT; nothing on the migration bookkeeping but
 * SELECT; audit_log_purge() for the owner only; and no CREATE on schema public for anyone but
 * its owner (PostgreSQL before 15 grants it to PUBLIC).
 */
export async function grantAppRole(db: Queryable, role: string): Promise<void> {
  const app = ident(role);
  await db.query(`
    DO $grants$
    DECLARE
      r record;
    BEGIN
      -- Citus: a GRANT on a distributed table runs on its shards in parallel, after which a GRANT on
      -- a reference table it has a foreign key to is refused in the same transaction; one by one.
      IF EXISTS (SELECT FROM pg_extension WHERE extname = 'citus') THEN
        PERFORM set_config('citus.multi_shard_modify_mode', 'sequential', true);
      END IF;
      FOR r IN
        SELECT c.oid::regclass AS name, c.relkind
          FROM pg_class c
         WHERE c.relnamespace = 'public'::regnamespace
           AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
           AND pg_has_role(current_user, c.relowner, 'USAGE')
           AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
      LOOP
        IF r.relkind = 'S' THEN
          EXECUTE format('GRANT USAGE, SELECT ON SEQUENCE %s TO %I', r.name, ${literal(role)});
        ELSIF r.relkind IN ('v', 'm') THEN
          EXECUTE format('GRANT SELECT ON %s TO %I', r.name, ${literal(role)});
        ELSE
          EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO %I', r.name, ${literal(role)});
        END IF;
      END LOOP;
      FOR r IN
        SELECT p.oid::regprocedure AS name
          FROM pg_proc p
         WHERE p.pronamespace = 'public'::regnamespace
           AND pg_has_role(current_user, p.proowner, 'USAGE')
           AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
      LOOP
        EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO %I', r.name, ${literal(role)});
      END LOOP;
    END
    $grants$;
    ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${app};
    ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${app};
    ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT EXECUTE ON FUNCTIONS TO ${app};
    REVOKE ALL ON TABLE audit_log FROM PUBLIC, ${app};
    GRANT SELECT, INSERT ON TABLE audit_log TO ${app};
    REVOKE ALL ON TABLE schema_migration FROM PUBLIC, ${app};
    GRANT SELECT ON TABLE schema_migration TO ${app};
    REVOKE ALL ON FUNCTION audit_log_purge(integer) FROM PUBLIC, ${app};
    REVOKE CREATE ON SCHEMA public FROM PUBLIC, ${app};
    GRANT USAGE ON SCHEMA public TO ${app};
  `);
}

/**
 * Why the role a pool connects as must not serve requests, or [] when it may: a superuser or a
 * member of the audit log's owner can rewrite the audit log (and everything else), and so can
 * a role with UPDATE/DELETE/TRUNCATE on it or CREATE on schema public.
 */
export async function servingRoleProblems(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{
    role: string; superuser: boolean; bypassrls: boolean; createrole: boolean; has_audit: boolean;
    owns_audit: boolean; changes_audit: boolean; creates_in_public: boolean; server_roles: string[];
  }>(`
    SELECT r.rolname AS role, r.rolsuper AS superuser, r.rolbypassrls AS bypassrls, r.rolcreaterole AS createrole,
           a.oid IS NOT NULL AS has_audit,
           coalesce(pg_has_role(current_user, a.relowner, 'USAGE'), false) AS owns_audit,
           a.oid IS NOT NULL AND (has_table_privilege(a.oid, 'UPDATE') OR has_table_privilege(a.oid, 'DELETE') OR has_table_privilege(a.oid, 'TRUNCATE')) AS changes_audit,
           has_schema_privilege('public', 'CREATE') AS creates_in_public,
           ARRAY(SELECT p FROM unnest(ARRAY['pg_read_server_files', 'pg_write_server_files', 'pg_execute_server_program']) p
                  WHERE pg_has_role(current_user, p, 'MEMBER')) AS server_roles
      FROM pg_roles r
      LEFT JOIN pg_class a ON a.oid = to_regclass('public.audit_log')
     WHERE r.rolname = current_user`);
  const r = rows[0]!;
  const problems: string[] = [];
  if (r.superuser) problems.push(`role ${r.role} is a superuser`);
  if (r.createrole) problems.push(`role ${r.role} may create roles`);
  if (r.bypassrls) problems.push(`role ${r.role} bypasses row security`);
  if (!r.has_audit) problems.push('the database has no audit_log table (run the migrations as the owner role first)');
  if (r.owns_audit) problems.push(`role ${r.role} owns the tables (it is, or is a member of, their owner)`);
  else if (r.changes_audit) problems.push(`role ${r.role} may update, delete or truncate audit_log`);
  if (r.creates_in_public) problems.push(`role ${r.role} may create objects in schema public`);
  if (!r.superuser && r.server_roles.length > 0) problems.push(`role ${r.role} is a member of ${r.server_roles.join(', ')}`);
  return problems;
}
