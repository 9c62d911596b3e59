/**
 * Personal access tokens: created from a session (shown once, stored as SHA-256 only), listed
 * with their last use, revocable; accepted as Bearer and as the password of HTTP Basic; acting
 * with the owner's role and scope; read-only tokens refused on writes; revoked, expired and
 * disabled owners' tokens refused with 401; uses audited once per token, address and day;
 * failures rate-limited.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
let plannerCookie: string;
let analystCookie: string;

beforeAll(async () => {
  t = await createTestApp({ env: { LOGIN_RATE_PER_MINUTE: '30' } });
  plannerCookie = await t.loginAs('planner');
  analystCookie = await t.loginAs('analyst');
});
afterAll(async () => t.close());

async function createToken(cookie: string, body: Record<string, unknown> = {}) {
  const res = await t.app.inject({ method: 'POST', url: '/api/account/tokens', headers: { cookie }, payload: { name: `token ${crypto.randomUUID().slice(0, 8)}`, expiresInDays: 30, readOnly: true, ...body } });
  return res;
}
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });

describe('creating and listing', () => {
  it('shows the token once, stores only its SHA-256, and lists it without the token', async () => {
    const res = await createToken(plannerCookie, { name: 'QGIS 笔记本' });
    expect(res.statusCode).toBe(201);
    const { token, info } = res.json();
    expect(token).toMatch(/^wgpat_[A-Za-z0-9_-]{43}$/);
    expect(info).toMatchObject({ name: 'QGIS 笔记本', readOnly: true, state: 'live', lastUsedAt: null, hint: token.slice(0, 10) });
    const { rows } = await t.db.pool.query(`SELECT token_hash FROM access_token WHERE id = $1`, [info.id]);
    expect(Buffer.compare(rows[0].token_hash, crypto.createHash('sha256').update(token).digest())).toBe(0);
    const dump = JSON.stringify((await t.db.pool.query('SELECT * FROM access_token')).rows);
    expect(dump).not.toContain(token.slice(10));
    const list = (await t.app.inject({ url: '/api/account/tokens', headers: { cookie: plannerCookie } })).json();
    expect(list.tokens.map((x: any) => x.name)).toContain('QGIS 笔记本');
    expect(JSON.stringify(list)).not.toContain(token.slice(10));
    expect((await createToken(plannerCookie, { name: 'QGIS 笔记本' })).statusCode).toBe(409);
  });

  it('refuses an expiry beyond a year, and managing tokens with a token', async () => {
    const tooLong = await createToken(plannerCookie, { expiresInDays: 400 });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().message).toMatch(/expiresInDays/);
    const { token } = (await createToken(plannerCookie, { readOnly: false })).json();
    const withToken = await t.app.inject({ url: '/api/account/tokens', headers: bearer(token) });
    expect(withToken.statusCode).toBe(403);
    expect(withToken.json().message).toMatch(/logged-in session/);
  });
});

describe('using a token', () => {
  it('acts as its owner through Bearer and through HTTP Basic (user name + token), and records the last use', async () => {
    const { token, info } = (await createToken(plannerCookie)).json();
    const me = await t.app.inject({ url: '/api/auth/me', headers: bearer(token) });
    expect(me.json().user).toMatchObject({ username: 'planner', role: 'planner' });
    const grids = await t.app.inject({ url: '/ogc/collections/grids/items?limit=1', headers: basic('planner', token) });
    expect(grids.statusCode).toBe(200);
    const listed = (await t.app.inject({ url: '/api/account/tokens', headers: { cookie: plannerCookie } })).json().tokens.find((x: any) => x.id === info.id);
    expect(listed.lastUsedAt).not.toBeNull();
    expect(listed.lastUsedIp).toBe('127.0.0.1');
    // The role still applies: a planner's token reads no incidents.
    expect((await t.app.inject({ url: '/ogc/collections/incidents/items', headers: bearer(token) })).statusCode).toBe(403);
  });

  it('Basic with the wrong user name, or with the account password, is a 401 that says why', async () => {
    const { token } = (await createToken(plannerCookie)).json();
    const wrongUser = await t.app.inject({ url: '/ogc/collections/grids/items', headers: basic('analyst', token) });
    expect(wrongUser.statusCode).toBe(401);
    expect(wrongUser.json().message).toMatch(/does not belong to the user name/);
    const password = await t.app.inject({ url: '/ogc/collections/grids/items', headers: basic('planner', 'Wangge-planner-2026') });
    expect(password.statusCode).toBe(401);
    expect(password.json().message).toMatch(/never the account's password/);
  });

  it('a read-only token may read but not write (403 with a clear message); a full token may write', async () => {
    const readOnly = (await createToken(analystCookie, { readOnly: true })).json().token;
    const full = (await createToken(analystCookie, { readOnly: false })).json().token;
    const report = { category: 'sanitation', source: 'hotline_12345', lon: 108.7093, lat: 34.3296, description: '垃圾堆放' };
    const refused = await t.app.inject({ method: 'POST', url: '/api/incidents', headers: bearer(readOnly), payload: report });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().message).toMatch(/read-only/);
    expect((await t.app.inject({ url: '/ogc/collections/incidents/items?limit=1', headers: bearer(readOnly) })).statusCode).toBe(200);
    const written = await t.app.inject({ method: 'POST', url: '/api/incidents', headers: bearer(full), payload: report });
    expect(written.statusCode, written.body).toBeLessThan(300);
  });

  it('revoked and expired tokens, and those of a disabled account, are refused with 401', async () => {
    const { token, info } = (await createToken(plannerCookie)).json();
    expect((await t.app.inject({ method: 'DELETE', url: `/api/account/tokens/${info.id}`, headers: { cookie: plannerCookie } })).statusCode).toBe(204);
    const revoked = await t.app.inject({ url: '/api/auth/me', headers: bearer(token) });
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json().message).toMatch(/revoked/);
    expect((await t.app.inject({ url: '/api/account/tokens', headers: { cookie: plannerCookie } })).json().tokens.find((x: any) => x.id === info.id).state).toBe('revoked');
    // Someone else's token cannot be revoked.
    const other = (await createToken(analystCookie)).json();
    expect((await t.app.inject({ method: 'DELETE', url: `/api/account/tokens/${other.info.id}`, headers: { cookie: plannerCookie } })).statusCode).toBe(404);

    const expiring = (await createToken(plannerCookie)).json();
    await t.db.pool.query(`UPDATE access_token SET created_at = now() - interval '40 days', expires_at = now() - interval '1 second' WHERE id = $1`, [expiring.info.id]);
    const expired = await t.app.inject({ url: '/api/auth/me', headers: bearer(expiring.token) });
    expect(expired.statusCode).toBe(401);
    expect(expired.json().message).toMatch(/expired/);

    const live = (await createToken(analystCookie)).json();
    expect((await t.app.inject({ url: '/api/auth/me', headers: bearer(live.token) })).statusCode).toBe(200);
    await t.db.pool.query(`UPDATE app_user SET is_active = false WHERE username = 'analyst'`);
    try {
      const disabled = await t.app.inject({ url: '/api/auth/me', headers: bearer(live.token) });
      expect(disabled.statusCode).toBe(401);
      expect(disabled.json().message).toMatch(/disabled/);
    } finally {
      await t.db.pool.query(`UPDATE app_user SET is_active = true WHERE username = 'analyst'`);
    }
  });

  it('audits the first use per token, address and day, not every request; and every refusal', async () => {
    const { token, info } = (await createToken(plannerCookie)).json();
    for (let i = 0; i < 5; i++) await t.app.inject({ url: '/ogc/collections/grids/items?limit=1', headers: bearer(token) });
    await t.app.inject({ url: '/ogc/collections/grids/items?limit=1', headers: bearer(token), remoteAddress: '10.1.2.3' });
    const uses = (await t.db.pool.query(`SELECT ip, success, actor_username FROM audit_log WHERE action = 'auth.token_use' AND target_id = $1 ORDER BY id`, [String(info.id)])).rows;
    expect(uses).toEqual([
      { ip: '127.0.0.1', success: true, actor_username: 'planner' },
      { ip: '10.1.2.3', success: true, actor_username: 'planner' },
    ]);
    await t.app.inject({ method: 'DELETE', url: `/api/account/tokens/${info.id}`, headers: { cookie: plannerCookie } });
    await t.app.inject({ url: '/api/auth/me', headers: bearer(token) });
    const refusals = (await t.db.pool.query(`SELECT detail FROM audit_log WHERE action = 'auth.token_use' AND target_id = $1 AND NOT success`, [String(info.id)])).rows;
    expect(refusals.map((r) => r.detail.reason)).toEqual(['revoked']);
    const created = (await t.db.pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'auth.token_create' AND target_id = $1`, [String(info.id)])).rows[0].n;
    expect(created).toBe(1);
  });

  it('rate-limits failed token attempts per address (429), without touching other addresses', async () => {
    const guess = () => `wgpat_${crypto.randomBytes(32).toString('base64url')}`;
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++) statuses.push((await t.app.inject({ url: '/api/auth/me', headers: bearer(guess()), remoteAddress: '198.51.100.7' })).statusCode);
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429]);
    const { token } = (await createToken(plannerCookie)).json();
    expect((await t.app.inject({ url: '/api/auth/me', headers: bearer(token), remoteAddress: '198.51.100.7' })).statusCode).toBe(429);
    expect((await t.app.inject({ url: '/api/auth/me', headers: bearer(token), remoteAddress: '198.51.100.8' })).statusCode).toBe(200);
  });
});
