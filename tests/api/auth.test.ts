/** Login, sessions, logout, role checks and the audit trail of each. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, sessionCookie, type TestApp } from '../helpers/app.js';
import { DEMO_ACCOUNTS } from '../../server/demo/accounts.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const login = (username: string, password: string) => t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
const lastAudit = async (action: string) =>
  (await t.db.pool.query(`SELECT * FROM audit_log WHERE action = $1 ORDER BY id DESC LIMIT 1`, [action])).rows[0];

describe('login', () => {
  it('logs each demo account in with an httpOnly, SameSite session cookie and audits it', async () => {
    for (const account of DEMO_ACCOUNTS) {
      const res = await login(account.username, account.password);
      expect(res.statusCode).toBe(200);
      expect(res.json().user).toMatchObject({ username: account.username, role: account.role });
      const cookie = res.cookies.find((c) => c.name === 'wangge_session')!;
      expect(cookie.httpOnly).toBe(true);
      expect(cookie.sameSite).toBe('Strict');
      expect(cookie.value.length).toBeGreaterThanOrEqual(43); // 256 random bits, base64url
      const audit = await lastAudit('auth.login');
      expect(audit).toMatchObject({ actor_username: account.username, success: true, ip: '127.0.0.1' });
    }
  });

  it('refuses a wrong password or unknown user alike, and audits the failure', async () => {
    const wrong = await login('planner', 'not-the-password');
    const unknown = await login('nobody', 'whatever-password');
    for (const res of [wrong, unknown]) {
      expect(res.statusCode).toBe(401);
      expect(res.json().message).toBe('Wrong username or password');
      expect(res.cookies).toHaveLength(0);
    }
    expect(await lastAudit('auth.login')).toMatchObject({ actor_username: 'nobody', success: false });
  });

  it('refuses a malformed body with a 400', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'planner' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/password/);
  });

  it('never stores or logs the password in the clear', async () => {
    const { rows } = await t.db.pool.query(`SELECT password_hash FROM app_user WHERE username = 'planner'`);
    expect(rows[0].password_hash).toMatch(/^scrypt\$/);
    const audit = await t.db.pool.query(`SELECT detail::text FROM audit_log`);
    for (const r of audit.rows) for (const a of DEMO_ACCOUNTS) expect(r.detail).not.toContain(a.password);
  });
});

describe('sessions', () => {
  it('knows the user behind the cookie, and forgets them after logout', async () => {
    const cookie = await t.loginAs('analyst');
    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
    expect(me.json().user).toMatchObject({ username: 'analyst', role: 'analyst' });

    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } });
    expect(out.statusCode).toBe(204);
    expect(await lastAudit('auth.logout')).toMatchObject({ actor_username: 'analyst', success: true });

    const after = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
    expect(after.json().user).toBeNull();
    const grids = await t.app.inject({ method: 'GET', url: '/api/grids?community=610402001001', headers: { cookie } });
    expect(grids.statusCode).toBe(401);
  });

  it('ends a session that has been idle too long', async () => {
    const res = await login('planner', DEMO_ACCOUNTS.find((a) => a.role === 'planner')!.password);
    const cookie = sessionCookie(res);
    await t.db.pool.query(`UPDATE user_session SET last_seen_at = now() - interval '31 minutes'`);
    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
    expect(me.json().user).toBeNull();
  });

  it('stores only a hash of the session token', async () => {
    const cookie = await t.loginAs('admin');
    const token = cookie.split('=')[1]!;
    const { rows } = await t.db.pool.query(`SELECT count(*) AS n FROM user_session WHERE encode(token_hash, 'escape') LIKE '%' || $1 || '%'`, [token]);
    expect(rows[0].n).toBe(0);
  });
});

describe('audit log', () => {
  it('cannot be changed or deleted', async () => {
    await expect(t.db.pool.query(`UPDATE audit_log SET success = true`)).rejects.toThrow(/append-only/);
    await expect(t.db.pool.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
  });
});
