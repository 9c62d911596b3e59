/**
 * First start without the demo: the one-time set-up link creates the first admin once, then
 * set-up is gone; refusals change nothing; the token never reaches the log.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { issueSetupToken } from '../../server/modules/setup/setup-repository.js';
import { totpCode } from '../../server/modules/auth/totp.js';
import { sessionCookie } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

let db: TestDatabase;
let app: FastifyInstance;
const logLines: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase('empty');
  const config = loadConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'debug', DEMO: 'false', LOGIN_RATE_PER_MINUTE: '1000' });
  app = await buildApp({ config, pool: db.pool, serveWeb: false, logStream: { write: (line) => void logLines.push(line) } });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await db?.drop();
});

const post = (url: string, payload: unknown, cookie?: string) =>
  app.inject({ method: 'POST', url, payload: payload as object, headers: cookie ? { cookie } : {} });
const count = async (sql: string) => Number((await db.pool.query(sql)).rows[0].count);
const admin = { username: 'zhou.admin', displayName: '周管理员', password: 'Bengbu-Setup-2027!' };

describe('first start without the demo', () => {
  let token: string;
  let cookie: string;

  it('starts with no account at all', async () => {
    expect(await count('SELECT count(*) FROM app_user')).toBe(0);
  });

  it('issues a random token when no admin exists, stored only as its hash, and voids the one before', async () => {
    const first = (await issueSetupToken(db.pool))!;
    token = (await issueSetupToken(db.pool))!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(token).not.toBe(first);
    const { rows } = await db.pool.query(`SELECT encode(token_hash, 'hex') AS hash, extract(epoch FROM expires_at - created_at)::int AS seconds FROM setup_token`);
    expect(rows).toHaveLength(1);
    expect(rows[0].hash).toBe(crypto.createHash('sha256').update(token).digest('hex'));
    expect(rows[0].seconds).toBe(24 * 3600);
    const old = await post('/api/setup/check', { token: first });
    expect(old.statusCode).toBe(403);
  });

  it('accepts the link and says a second factor comes next outside demo mode', async () => {
    const res = await post('/api/setup/check', { token });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ totpRequired: true });
  });

  it('refuses a wrong token, an expired one, a weak password and a bad username, changing nothing', async () => {
    const wrong = await post('/api/setup/admin', { ...admin, token: 'x'.repeat(43) });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().message).toMatch(/not valid/);
    const weak = await post('/api/setup/admin', { ...admin, token, password: 'password' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().message).toMatch(/body\/password/);
    const badName = await post('/api/setup/admin', { ...admin, token, username: 'a b' });
    expect(badName.statusCode).toBe(400);

    const expiring = (await issueSetupToken(db.pool))!;
    await db.pool.query(`UPDATE setup_token SET expires_at = now() - interval '1 second'`);
    const expired = await post('/api/setup/admin', { ...admin, token: expiring });
    expect(expired.statusCode).toBe(410);
    expect(expired.json().message).toMatch(/expired/);
    expect((await post('/api/setup/check', { token })).statusCode).toBe(403); // voided by the newer link
    expect(await count('SELECT count(*) FROM app_user')).toBe(0);
    const refused = await db.pool.query(`SELECT detail->>'reason' AS reason FROM audit_log WHERE action = 'setup.admin_create' AND NOT success ORDER BY id`);
    expect(refused.rows.map((r) => r.reason)).toEqual(['unknown', 'expired']);
    token = (await issueSetupToken(db.pool))!;
  });

  it('creates the first admin once, logs them in, and asks for a second factor before anything else', async () => {
    const res = await post('/api/setup/admin', { ...admin, token });
    expect(res.statusCode).toBe(201);
    expect(res.json().user).toMatchObject({ username: admin.username, displayName: admin.displayName, role: 'admin', mustEnrolTotp: true, mustChangePassword: false });
    cookie = sessionCookie(res);
    const { rows } = await db.pool.query(`SELECT role, must_change_password, password_hash FROM app_user`);
    expect(rows).toHaveLength(1);
    expect(rows[0].password_hash).toMatch(/^scrypt\$/);
    const audit = await db.pool.query(`SELECT * FROM audit_log WHERE action = 'setup.admin_create' AND success`);
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]).toMatchObject({ actor_username: admin.username, target_type: 'user', ip: '127.0.0.1' });
    expect(audit.rows[0].detail).toEqual({ via: 'setup link' });

    // Other staff routes wait for the second factor; enrolment works with the same session.
    expect((await app.inject({ method: 'GET', url: '/api/admin/users', headers: { cookie } })).statusCode).toBe(403);
    const setup = await post('/api/auth/totp/setup', {}, cookie);
    expect(setup.statusCode).toBe(200);
    const { secret } = setup.json();
    expect((await post('/api/auth/totp/enable', { code: totpCode(secret) }, cookie)).statusCode).toBe(204);
    const me = await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
    expect(me.json().user).toMatchObject({ mustEnrolTotp: false, totpEnabled: true });
    expect((await app.inject({ method: 'GET', url: '/api/admin/users', headers: { cookie } })).statusCode).toBe(200);
  });

  it('is gone afterwards: 404 for the page’s API, the token void, no new link issued', async () => {
    for (const url of ['/api/setup/check', '/api/setup/admin']) {
      const res = await post(url, { ...admin, username: 'second.admin', token });
      expect(res.statusCode).toBe(404);
      expect(res.json().message).toMatch(/Set-up is done/);
    }
    expect(await count(`SELECT count(*) FROM setup_token WHERE used_at IS NULL`)).toBe(0);
    expect(await issueSetupToken(db.pool)).toBeNull();
    expect(await count(`SELECT count(*) FROM app_user`)).toBe(1);
  });

  it('never writes a token or the password to the request log', async () => {
    const tokens = (await db.pool.query(`SELECT count(*) FROM setup_token`)).rows[0].count;
    expect(Number(tokens)).toBeGreaterThan(0);
    const log = logLines.join('\n');
    expect(log).toContain('/api/setup/admin'); // the requests were logged…
    expect(log).not.toContain(token); // …without the token
    expect(log).not.toContain(admin.password);
  });
});
