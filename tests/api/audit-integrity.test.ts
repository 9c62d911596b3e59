/**
 * The audit log cannot be rewritten by the role the app serves with: every route tried here
 * (the ones an outside test used and the others there are) is refused, and the rows are the
 * same afterwards. Old rows go only through the owner's audited purge.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { assertServingRole, migrateAsOwner, resolveConnections } from '../../server/db/connections.js';
import { createPool } from '../../server/db/pool.js';
import { servingRoleProblems } from '../../server/db/roles.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('empty');
  await db.pool.query(`
    INSERT INTO audit_log (at, action, success, detail) VALUES
      (now() - interval '400 days', 'test.old', true, '{}'),
      (now() - interval '300 days', 'test.old', true, '{}'),
      (now(), 'test.recent', true, '{}')`);
});
afterAll(async () => {
  await db?.drop();
});

async function auditFingerprint() {
  const { rows } = await db.pool.query(`SELECT count(*)::int AS n, md5(string_agg(a::text, '|' ORDER BY id)) AS md5 FROM audit_log a`);
  return rows[0];
}

/** Runs statements in one transaction as the app role; what PostgreSQL said, or 'ok'. */
async function asApp(...statements: string[]): Promise<string> {
  const client = new pg.Client({ connectionString: db.appUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    for (const s of statements) await client.query(s);
    await client.query('COMMIT');
    return 'ok';
  } catch (error) {
    return (error as Error).message;
  } finally {
    await client.end();
  }
}

const ATTACKS: [string, string[]][] = [
  ['UPDATE', [`UPDATE audit_log SET action = 'x'`]],
  ['DELETE of a recent row', [`DELETE FROM audit_log WHERE action = 'test.recent'`]],
  ['DELETE of an old row', [`DELETE FROM audit_log WHERE action = 'test.old'`]],
  ['TRUNCATE', ['TRUNCATE audit_log']],
  ['the old purge setting', [`SET LOCAL wangge.audit_purge_days = '0'`, 'DELETE FROM audit_log']],
  ['triggers off for the session', ['SET session_replication_role = replica', 'DELETE FROM audit_log']],
  ['disabling the trigger', ['ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete', 'DELETE FROM audit_log']],
  ['disabling every trigger', ['ALTER TABLE audit_log DISABLE TRIGGER ALL', 'DELETE FROM audit_log']],
  ['dropping the trigger', ['DROP TRIGGER audit_log_no_update_delete ON audit_log', 'DELETE FROM audit_log']],
  ['replacing the trigger function', [`CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN OLD; END $$`, 'DELETE FROM audit_log']],
  ['renaming the table', ['ALTER TABLE audit_log RENAME TO audit_log_old']],
  ['changing a column', ['ALTER TABLE audit_log ALTER COLUMN action DROP NOT NULL']],
  ['taking the table over', ['ALTER TABLE audit_log OWNER TO CURRENT_USER']],
  ['dropping the table', ['DROP TABLE audit_log']],
  ['dropping it with everything', ['DROP TABLE audit_log CASCADE']],
  ['the owner purge', ['SELECT audit_log_purge(184)']],
  ['a rule', [`CREATE RULE no_insert AS ON INSERT TO audit_log DO INSTEAD NOTHING`]],
  ['a policy', ['ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY']],
  ['a function in public', [`CREATE FUNCTION public.wipe() RETURNS void LANGUAGE sql AS $$ DELETE FROM audit_log $$`]],
  ['a table in public', ['CREATE TABLE public.shadow (id int)']],
  ['a temporary view', ['CREATE TEMP VIEW v AS SELECT * FROM audit_log', `UPDATE v SET action = 'x'`]],
  ['a cascading foreign key', ['CREATE TEMP TABLE t (id bigint REFERENCES audit_log (id) ON DELETE CASCADE)']],
  ['granting itself more', ['GRANT DELETE, TRUNCATE ON audit_log TO CURRENT_USER', 'TRUNCATE audit_log']],
  ['becoming the owner', ['SET ROLE wangge']],
  ['becoming superuser', ['ALTER ROLE CURRENT_USER SUPERUSER']],
  ['a new schema', ['CREATE SCHEMA evil']],
  ['an extension', ['CREATE EXTENSION IF NOT EXISTS dblink']],
  ['reading server files', [`SELECT pg_read_file('postgresql.conf')`]],
];

describe('the app role and the audit log', () => {
  it.each(ATTACKS)('refuses %s and leaves every audit row as it was', async (_name, statements) => {
    const before = await auditFingerprint();
    const outcome = await asApp(...statements);
    expect(outcome).not.toBe('ok');
    expect(outcome).toMatch(/permission denied|must be owner|append-only|must be superuser|only superuser|not allowed|does not exist|may reference only temporary tables/);
    expect(await auditFingerprint()).toEqual(before);
  });

  it('may still append to the audit log and read it, which is what the app does', async () => {
    expect(await asApp(`INSERT INTO audit_log (action, success) VALUES ('test.append', true)`, 'SELECT count(*) FROM audit_log')).toBe('ok');
  });

  it('is a plain role: the server refuses to serve as the owner and accepts the app role', async () => {
    expect(await servingRoleProblems(db.appPool)).toEqual([]);
    const ownerProblems = await servingRoleProblems(db.pool);
    expect(ownerProblems.join('; ')).toMatch(/superuser|owns the tables/);
    const connections = { ownerUrl: null, appUrl: db.url, appRole: null, cluster: null };
    await expect(assertServingRole(db.pool, connections)).rejects.toThrow(/refusing to serve as a role that could rewrite the audit log.*DATABASE_OWNER_URL/);
    await expect(assertServingRole(db.appPool, { ...connections, appUrl: db.appUrl })).resolves.toBeUndefined();
  });
});

describe('a deployment with its own database (DATABASE_OWNER_URL + DATABASE_URL)', () => {
  it('creates the app role DATABASE_URL names at migrate time, grants it, and serves as it', async () => {
    const role = `wangge_app_t${process.pid}`;
    const u = new URL(db.url);
    u.username = role;
    u.password = `Pw-${process.pid}-x`;
    const connections = await resolveConnections(loadConfig({ DATABASE_URL: u.toString(), DATABASE_OWNER_URL: db.url }));
    expect(connections).toMatchObject({ ownerUrl: db.url, appRole: role, cluster: null });
    await migrateAsOwner(db.pool, connections);
    const pool = createPool(connections.appUrl, 2);
    try {
      await assertServingRole(pool, connections);
      await expect(pool.query(`DELETE FROM audit_log`)).rejects.toThrow(/permission denied/);
      expect((await pool.query('SELECT count(*)::int AS n FROM grid')).rows[0].n).toBe(0);
    } finally {
      await pool.end();
      await db.pool.query(`DROP OWNED BY ${role}; DROP ROLE ${role}`);
    }
  });

  it('refuses the same role for both, and DATABASE_OWNER_URL without DATABASE_URL', async () => {
    await expect(resolveConnections(loadConfig({ DATABASE_URL: db.url, DATABASE_OWNER_URL: db.url }))).rejects.toThrow(/both connect as/);
    expect(() => loadConfig({ DATABASE_OWNER_URL: db.url })).toThrow(/DATABASE_URL: must be set when DATABASE_OWNER_URL is/);
  });
});

describe('the owner purge', () => {
  it('refuses a retention under 184 days, removes only older rows and audits itself', async () => {
    await expect(db.pool.query('SELECT audit_log_purge(30)')).rejects.toThrow(/at least 184 days/);
    const { rows } = await db.pool.query('SELECT audit_log_purge(365) AS removed');
    expect(rows[0].removed).toBe(1);
    const left = (await db.pool.query(`SELECT action, detail FROM audit_log ORDER BY id`)).rows;
    expect(left.map((r) => r.action)).toEqual(['test.old', 'test.recent', 'test.append', 'audit.purge']);
    expect(left[3].detail).toMatchObject({ retentionDays: 365, removed: 1 });
  });

  it('even the owner cannot delete a row younger than 184 days or change one', async () => {
    await expect(db.pool.query(`DELETE FROM audit_log WHERE action = 'test.recent'`)).rejects.toThrow(/append-only/);
    await expect(db.pool.query(`UPDATE audit_log SET action = 'x' WHERE action = 'test.old'`)).rejects.toThrow(/append-only/);
    await expect(db.pool.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
  });
});
