/** `npm run admin:create`: the password from standard input, refusal without --force, audit. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../server/modules/auth/password.js';
import { runCliScript } from '../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('empty');
});
afterAll(async () => db?.drop());

const PASSWORD = 'Zhoushan-Admin-2027';
const users = async () => (await db.pool.query(`SELECT username, display_name, role, password_hash, must_change_password FROM app_user ORDER BY id`)).rows;

describe('npm run admin:create', () => {
  it('creates an admin from a password on standard input and says so in one or two lines', async () => {
    expect(await users()).toHaveLength(0);
    const run = await runCliScript('admin-create.ts', ['--username', 'li.admin', '--display-name', '李主任'], { databaseUrl: db.url, stdin: `${PASSWORD}\n` });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines.length).toBeLessThanOrEqual(2);
    expect(lines[0]).toBe('Created administrator li.admin (李主任) in the database of DATABASE_URL.');
    expect(run.stdout).not.toContain(PASSWORD);
    const [account] = await users();
    expect(account).toMatchObject({ username: 'li.admin', display_name: '李主任', role: 'admin', must_change_password: false });
    expect(await verifyPassword(PASSWORD, account.password_hash)).toBe(true);
    const { rows: audit } = await db.pool.query(`SELECT actor_username, success, detail FROM audit_log WHERE action = 'setup.admin_create'`);
    expect(audit).toEqual([{ actor_username: 'li.admin', success: true, detail: { via: 'command line' } }]);
  }, 60_000);

  it('refuses a second admin without --force, changing nothing, and audits the refusal', async () => {
    const run = await runCliScript('admin-create.ts', ['--username', 'wang.admin'], { databaseUrl: db.url, stdin: `${PASSWORD}\n` });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/an administrator already exists; nothing was changed\. Add --force/);
    expect(await users()).toHaveLength(1);
    const { rows } = await db.pool.query(`SELECT success, detail->>'reason' AS reason FROM audit_log WHERE action = 'setup.admin_create' ORDER BY id DESC LIMIT 1`);
    expect(rows[0]).toEqual({ success: false, reason: 'admin_exists' });
  }, 60_000);

  it('creates it with --force', async () => {
    const run = await runCliScript('admin-create.ts', ['--username', 'wang.admin', '--force'], { databaseUrl: db.url, stdin: PASSWORD });
    expect(run.status).toBe(0);
    expect((await users()).map((u) => u.username)).toEqual(['li.admin', 'wang.admin']);
    const { rows } = await db.pool.query(`SELECT detail FROM audit_log WHERE action = 'setup.admin_create' ORDER BY id DESC LIMIT 1`);
    expect(rows[0].detail).toEqual({ via: 'command line', forced: true });
  }, 60_000);

  it('never takes the password from an argument, and refuses a weak one or a missing username', async () => {
    const argument = await runCliScript('admin-create.ts', ['--username', 'x.admin', '--force', '--password', PASSWORD], { databaseUrl: db.url, stdin: PASSWORD });
    expect(argument.status).toBe(1);
    expect(argument.stderr).toMatch(/--password is not accepted/);
    const weak = await runCliScript('admin-create.ts', ['--username', 'x.admin', '--force'], { databaseUrl: db.url, stdin: 'password\n' });
    expect(weak.status).toBe(1);
    expect(weak.stderr).toMatch(/Password refused/);
    const none = await runCliScript('admin-create.ts', [], { databaseUrl: db.url });
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/Usage: npm run admin:create/);
    expect(await users()).toHaveLength(2);
  }, 120_000);
});
