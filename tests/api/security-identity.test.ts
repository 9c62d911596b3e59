/**
 * Identity and sessions as GB/T 22239-2019 level 3 asks: password rule, lockout, one-time
 * passwords changed at first login, TOTP, admin control of accounts and sessions, rate limits,
 * security headers, and the admin's audit search.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, sessionCookie, type TestApp } from '../helpers/app.js';
import { DEMO_ACCOUNTS } from '../../server/demo/accounts.js';
import { passwordProblem } from '../../server/modules/auth/password-policy.js';
import { totpCode } from '../../server/modules/auth/totp.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const password = (username: string) => DEMO_ACCOUNTS.find((a) => a.username === username)!.password;
const post = (url: string, payload: unknown, cookie?: string) =>
  t.app.inject({ method: 'POST', url, payload: payload as object, headers: cookie ? { cookie } : {} });
const login = (username: string, pw: string, otp?: string) => post('/api/auth/login', { username, password: pw, ...(otp ? { otp } : {}) });

async function createUser(role: string, username: string) {
  const admin = await t.loginAs('admin');
  const res = await post('/api/admin/users', { username, displayName: username, role }, admin);
  expect(res.statusCode).toBe(201);
  return res.json() as { id: number; temporaryPassword: string };
}

describe('password rule', () => {
  it.each([
    ['Ab1!', /at least 8/],
    ['abcdefgh', /3 of/],
    ['abcdefg1', /3 of/],
    ['Password123!', /most common/],
    ['P@ssw0rd', /most common/],
  ])('refuses %s', (pw, reason) => expect(passwordProblem(pw)).toMatch(reason));

  it.each(['Qindu-grid-7', 'xian yang 2026 A', '网格Grid2026'])('accepts %s', (pw) => expect(passwordProblem(pw)).toBeNull());
});

describe('lockout after consecutive failures', () => {
  it('locks the account at the 5th failure; the right password then fails too, and every attempt is audited', async () => {
    const { temporaryPassword } = await createUser('analyst', 'lock.me');
    for (let i = 0; i < 4; i++) expect((await login('lock.me', 'wrong-Password-1')).statusCode).toBe(401);
    expect((await login('lock.me', temporaryPassword)).statusCode).toBe(200); // success resets the count
    for (let i = 0; i < 5; i++) expect((await login('lock.me', 'wrong-Password-1')).statusCode).toBe(401);
    const locked = await login('lock.me', temporaryPassword);
    expect(locked.statusCode).toBe(423);
    expect(locked.json().message).toMatch(/locked/);
    const { rows } = await t.db.pool.query(
      `SELECT success, detail->>'reason' AS reason FROM audit_log WHERE action = 'auth.login' AND actor_username = 'lock.me' ORDER BY id`,
    );
    expect(rows).toHaveLength(11);
    expect(rows.at(-1)).toEqual({ success: false, reason: 'locked' });
    expect(rows.at(-2)!.reason).toBe('wrong password; locked');

    // An admin can unlock it.
    const admin = await t.loginAs('admin');
    const id = (await t.db.pool.query(`SELECT id FROM app_user WHERE username = 'lock.me'`)).rows[0].id;
    expect((await t.app.inject({ method: 'PATCH', url: `/api/admin/users/${id}`, payload: { unlock: true }, headers: { cookie: admin } })).statusCode).toBe(200);
    expect((await login('lock.me', temporaryPassword)).statusCode).toBe(200);
  });
});

describe('accounts created by an admin', () => {
  it('must change the one-time password before doing anything else', async () => {
    const { temporaryPassword } = await createUser('planner', 'new.planner');
    const res = await login('new.planner', temporaryPassword);
    expect(res.json().user.mustChangePassword).toBe(true);
    const cookie = sessionCookie(res);
    const blocked = await t.app.inject({ method: 'GET', url: '/api/grids?community=610402001001', headers: { cookie } });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().message).toMatch(/Change your password/);

    const weak = await post('/api/auth/password', { currentPassword: temporaryPassword, newPassword: 'password1' }, cookie);
    expect(weak.statusCode).toBe(400);
    expect(weak.json().message).toMatch(/newPassword/);
    const changed = await post('/api/auth/password', { currentPassword: temporaryPassword, newPassword: 'Qindu-grid-77' }, cookie);
    expect(changed.statusCode).toBe(204);
    const fresh = sessionCookie(changed);
    expect(fresh).not.toBe(cookie);
    // The old session ended; the new one works.
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).json().user).toBeNull();
    const ok = await t.app.inject({ method: 'GET', url: '/api/grids?community=610402001001', headers: { cookie: fresh } });
    expect(ok.statusCode).toBe(200);
  });

  it('ends every session when an admin disables the account, and on request', async () => {
    const { id, temporaryPassword } = await createUser('analyst', 'leaving.analyst');
    const cookie = sessionCookie(await login('leaving.analyst', temporaryPassword));
    const admin = await t.loginAs('admin');
    const ended = await post(`/api/admin/users/${id}/end-sessions`, {}, admin);
    expect(ended.json()).toEqual({ ended: 1 });
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).json().user).toBeNull();

    const again = sessionCookie(await login('leaving.analyst', temporaryPassword));
    await t.app.inject({ method: 'PATCH', url: `/api/admin/users/${id}`, payload: { isActive: false }, headers: { cookie: admin } });
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: again } })).json().user).toBeNull();
    expect((await login('leaving.analyst', temporaryPassword)).statusCode).toBe(401);
  });

  it('refuses a taken username and an unknown scope with 4xx', async () => {
    const admin = await t.loginAs('admin');
    expect((await post('/api/admin/users', { username: 'planner', displayName: 'x', role: 'planner' }, admin)).statusCode).toBe(409);
    const badScope = await post('/api/admin/users', { username: 'scoped', displayName: 'x', role: 'planner', scopeAreaCode: '610402099' }, admin);
    expect(badScope.statusCode).toBe(400);
    expect(badScope.json().message).toMatch(/scopeAreaCode/);
  });
});

describe('TOTP second factor', () => {
  it('is enrolled with one code, then required at login, and a code works only once', async () => {
    const { temporaryPassword } = await createUser('analyst', 'otp.user');
    let cookie = sessionCookie(await login('otp.user', temporaryPassword));
    const changed = await post('/api/auth/password', { currentPassword: temporaryPassword, newPassword: 'Qindu-otp-2026' }, cookie);
    cookie = sessionCookie(changed);

    const setup = await post('/api/auth/totp/setup', {}, cookie);
    const { secret, uri } = setup.json();
    expect(uri).toMatch(/^otpauth:\/\/totp\/Wangge:otp\.user\?/);
    expect((await post('/api/auth/totp/enable', { code: '000000' }, cookie)).statusCode).toBe(400);
    const now = Date.now();
    expect((await post('/api/auth/totp/enable', { code: totpCode(secret, now) }, cookie)).statusCode).toBe(204);

    const without = await login('otp.user', 'Qindu-otp-2026');
    expect(without.statusCode).toBe(401);
    expect(without.json().details).toEqual({ otpRequired: true });
    // The code used to enrol cannot be replayed; the next step's code is accepted once.
    expect((await login('otp.user', 'Qindu-otp-2026', totpCode(secret, now))).statusCode).toBe(401);
    const next = totpCode(secret, now + 30_000);
    expect((await login('otp.user', 'Qindu-otp-2026', next)).statusCode).toBe(200);
    expect((await login('otp.user', 'Qindu-otp-2026', next)).statusCode).toBe(401);
  });

  it('is required for admins when configured: an admin without it can only enrol', async () => {
    const strict = await createTestApp({ env: { TOTP_REQUIRED_FOR_ADMINS: 'true' } });
    try {
      const res = await strict.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: password('admin') } });
      expect(res.json().user.mustEnrolTotp).toBe(true);
      const cookie = sessionCookie(res);
      const users = await strict.app.inject({ method: 'GET', url: '/api/admin/users', headers: { cookie } });
      expect(users.statusCode).toBe(403);
      expect(users.json().message).toMatch(/two-factor/);
      expect((await strict.app.inject({ method: 'POST', url: '/api/auth/totp/setup', headers: { cookie } })).statusCode).toBe(200);
    } finally {
      await strict.close();
    }
  });
});

describe('rate limits and headers', () => {
  it('answers 429 with Retry-After when login is hammered', async () => {
    const limited = await createTestApp({ env: { LOGIN_RATE_PER_MINUTE: '3' } });
    try {
      const codes: number[] = [];
      let last;
      for (let i = 0; i < 5; i++) {
        last = await limited.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'x', password: 'y' } });
        codes.push(last.statusCode);
      }
      expect(codes).toEqual([401, 401, 401, 429, 429]);
      expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });

  it('sends security headers: an API answer may load nothing and be framed by nobody', async () => {
    for (const url of ['/api/facility-types', '/api/no-such-route']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.headers['content-type'], url).toMatch(/^application\/json/);
      expect(res.headers['content-security-policy'], url).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['strict-transport-security'], url).toBeDefined();
      expect(res.headers['referrer-policy'], url).toBe('no-referrer');
      // Headers that act only on a document are not sent with data.
      expect(res.headers['x-frame-options'], url).toBeUndefined();
      expect(res.headers['cross-origin-opener-policy'], url).toBeUndefined();
    }
    // A vector tile is data too.
    const tile = await t.app.inject({ method: 'GET', url: '/api/tiles/facilities/14/13140/6527' });
    expect(tile.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    // A document (the OGC API's HTML landing page) keeps the page policy and the framing headers.
    const page = await t.app.inject({ method: 'GET', url: '/ogc?f=html' });
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(page.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(page.headers['x-frame-options']).toBeDefined();
  });
});

describe('audit search', () => {
  it('lets an admin find failed logins, and nobody else', async () => {
    await login('planner', 'not-it-Password-1');
    const admin = await t.loginAs('admin');
    const res = await t.app.inject({ method: 'GET', url: '/api/admin/audit?action=auth.&success=false&actor=planner', headers: { cookie: admin } });
    expect(res.statusCode).toBe(200);
    const { rows } = res.json();
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r).toMatchObject({ actorUsername: 'planner', success: false });
    const analyst = await t.loginAs('analyst');
    expect((await t.app.inject({ method: 'GET', url: '/api/admin/audit', headers: { cookie: analyst } })).statusCode).toBe(403);
  });

  it('keeps rows for at least 184 days: the purge refuses a shorter retention and keeps recent rows', async () => {
    await expect(t.db.pool.query('SELECT audit_log_purge(30)')).rejects.toThrow(/at least 184 days/);
    const before = (await t.db.pool.query('SELECT count(*) AS n FROM audit_log')).rows[0].n;
    const { rows } = await t.db.pool.query('SELECT audit_log_purge(184) AS removed');
    expect(rows[0].removed).toBe(0);
    // Nothing removed; the purge recorded itself.
    expect((await t.db.pool.query('SELECT count(*) AS n FROM audit_log')).rows[0].n).toBe(before + 1);
  });
});
