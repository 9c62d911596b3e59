/**
 * The edges an outside test found: bad input that was a 500 (NUL characters, ids past bigint,
 * malformed KML), impossible dates, account discovery through the lock, cross-site writes, weak
 * and reused passwords, sessions that expired while in use, and failed writes left out of the
 * audit log. Each is asked through the API, as an attacker or a careless file would ask it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, sessionCookie, type TestApp } from '../helpers/app.js';
import { importFile } from '../fixtures/grids/fixtures.js';
import { parseTableTime } from '../../server/modules/incidents/import.js';
import { passwordProblem } from '../../server/modules/auth/password-policy.js';

let t: TestApp;
let admin: string;
let planner: string;
let analyst: string;
beforeAll(async () => {
  t = await createTestApp({ env: { SESSION_IDLE_MINUTES: '1' } });
  [admin, planner, analyst] = await Promise.all([t.loginAs('admin'), t.loginAs('planner'), t.loginAs('analyst')]);
});
afterAll(async () => t?.close());

const count = async (table: string) => (await t.db.pool.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n as number;
const send = (method: 'POST' | 'PATCH' | 'PUT' | 'DELETE' | 'GET', url: string, cookie: string, payload?: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({ method, url, headers: { cookie, ...headers }, ...(payload === undefined ? {} : { payload: payload as object }) });

function multipart(fileName: string, bytes: Buffer, fields: Record<string, string> = {}) {
  const boundary = '----wangge-edges';
  const parts = Object.entries(fields).map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
  return {
    payload: Buffer.concat([
      Buffer.from(parts.join('')),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: text/csv\r\n\r\n`),
      bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

const facility = {
  facilityType: 'home_elderly_care_station',
  name: '边界测试站',
  address: '人民路1号',
  lon: 108.7,
  lat: 34.34,
  phone: null,
  openingHours: null,
  services: [],
  capacity: null,
  isPublic: true,
};

const HOTLINE_HEADER = '工单编号,类别,子类,诉求内容,经度,纬度,来电时间';

describe('bad input is a 400 that says where, never a 500', () => {
  it('refuses a NUL character in a JSON name or description, and writes nothing', async () => {
    const before = [await count('facility'), await count('incident')];
    const named = await send('POST', '/api/facilities', planner, { ...facility, name: '站\u0000点' });
    expect(named.statusCode).toBe(400);
    expect(named.json().message).toMatch(/^body\/name: contains a NUL character/);
    const services = await send('POST', '/api/facilities', planner, { ...facility, services: ['助餐', 'x\u0000'] });
    expect(services.json().message).toMatch(/^body\/services\/1: contains a NUL/);
    const described = await send('POST', '/api/incidents', analyst, { category: 'sanitation', description: '垃圾\u0000', lon: 108.715, lat: 34.315, source: 'public' });
    expect(described.statusCode).toBe(400);
    expect(described.json().message).toMatch(/^body\/description: contains a NUL/);
    const query = await send('GET', '/api/incidents/list?from=2025-01-01&to=2025-02-01&area=61%00', analyst);
    expect(query.statusCode).toBe(400);
    expect([await count('facility'), await count('incident')]).toEqual(before);
  });

  it('refuses a NUL byte in an imported CSV with its line (incident import: no failed job) and its row (preview)', async () => {
    const before = await count('incident');
    const csv = Buffer.from(`${HOTLINE_HEADER}\nRX-NUL-1,环境卫生,垃圾堆放,正常,108.715,34.325,2025-09-07 09:00\nRX-NUL-2,环境卫生,垃圾堆放,坏\u0000字,108.715,34.325,2025-09-07 09:00\n`);
    const body = multipart('nul.csv', csv);
    const job = await t.app.inject({ method: 'POST', url: '/api/incidents/import', payload: body.payload, headers: { ...body.headers, cookie: analyst } });
    expect(job.statusCode).toBe(400);
    expect(job.json().message).toMatch(/nul\.csv, line 3: contains a NUL character/);
    const preview = await t.app.inject({ method: 'POST', url: '/api/incidents/import/preview', payload: body.payload, headers: { ...body.headers, cookie: analyst } });
    expect(preview.statusCode).toBe(400);
    expect(preview.json().message).toMatch(/line 3/);
    // The facility import reads the same tables: the row and column of the cell.
    const facilityCsv = multipart('f.csv', Buffer.from('名称,类型,经度,纬度\n站点一,home_elderly_care_station,108.7,34.34\n站\u0000二,home_elderly_care_station,108.7,34.34\n'));
    const facilities = await t.app.inject({ method: 'POST', url: '/api/facilities/import/preview', payload: facilityCsv.payload, headers: { ...facilityCsv.headers, cookie: planner } });
    expect(facilities.statusCode).toBe(400);
    expect(facilities.json().message).toMatch(/row 3, column 名称: contains a NUL character/);
    expect(await count('incident')).toBe(before);
  });

  it('refuses an id past bigint on every :id route with a 400, for every role', async () => {
    const huge = '9223372036854775808';
    const patched = await send('PATCH', `/api/grids/${huge}`, planner, { version: 1, properties: { name: 'x' } });
    expect(patched.statusCode).toBe(400);
    expect(patched.json().message).toMatch(/params\/id/);
    const routes = t.app.declaredRoutes.filter((r) => /:(id|photoId)\b/.test(r.url) && r.method !== 'HEAD');
    expect(routes.length).toBeGreaterThan(15);
    for (const cookie of [admin, planner, analyst]) {
      for (const route of routes) {
        const url = route.url.replace(/:(id|photoId)\b/g, huge);
        const res = await send(route.method as 'GET', url, cookie, ['GET', 'DELETE'].includes(route.method) ? undefined : {});
        expect([400, 403], `${route.method} ${route.url}: ${res.statusCode} ${res.body}`).toContain(res.statusCode);
      }
    }
  });

  it('refuses malformed KML with a 400 naming the file', async () => {
    const res = await importFile(t, planner, 'preview', 'x.kml', Buffer.from('<kml><a b="<"/></kml>'), { scope: '610402001' });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/x\.kml: could not be read \(.*not well-formed/);
  });
});

describe('impossible dates are refused, never rolled over', () => {
  it('in imported tables', () => {
    expect(parseTableTime('2026-02-31 08:00')).toBeNull();
    expect(parseTableTime('2026-13-45 25:61')).toBeNull();
    expect(parseTableTime('2026/2/29 8:00')).toBeNull();
    expect(parseTableTime('2028/2/29 8:00')!.toISOString()).toBe('2028-02-29T00:00:00.000Z');
    expect(parseTableTime('2026-03-01 24:00')).toBeNull();
  });

  it('in an import preview, as a row error', async () => {
    const csv = Buffer.from(`${HOTLINE_HEADER}\nRX-DATE-1,环境卫生,垃圾堆放,日期,108.715,34.325,2025-02-31 08:00\n`);
    const body = multipart('dates.csv', csv, { crs: 'wgs84' });
    const res = await t.app.inject({ method: 'POST', url: '/api/incidents/import/preview', payload: body.payload, headers: { ...body.headers, cookie: analyst } });
    expect(res.statusCode).toBe(200);
    expect(res.json().errors[0]).toMatchObject({ row: 2, column: '来电时间' });
    expect(res.json().errors[0].message).toMatch(/2025-02-31 08:00' is not a time/);
  });

  it.each([
    ['/api/incidents/summary?from=2026-02-31&to=2026-04-01', 'querystring/from'],
    ['/api/incidents/list?from=2026-01-01&to=2026-13-45T25:61', 'querystring/to'],
    ['/api/admin/audit?from=2026-02-31T08:00:00Z', 'querystring/from'],
    ['/api/admin/audit?to=2026-04-31T00:00:00%2B08:00', 'querystring/to'],
  ])('in the query of %s', async (url, where) => {
    const res = await send('GET', url, url.startsWith('/api/admin') ? admin : analyst);
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain(where);
  });

  it('in a reported incident', async () => {
    const res = await send('POST', '/api/incidents', analyst, { category: 'sanitation', description: '日期', lon: 108.715, lat: 34.315, source: 'public', occurredAt: '2026-02-31T08:00:00+08:00' });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/body\/occurredAt: '2026-02-31T08:00:00\+08:00' is not a real/);
  });
});

async function createUser(role: string, username: string) {
  const res = await send('POST', '/api/admin/users', admin, { username, displayName: username, role });
  expect(res.statusCode).toBe(201);
  return res.json() as { id: number; temporaryPassword: string };
}
const login = (username: string, password: string) => t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });

describe('accounts', () => {
  it('answers a wrong password on a locked account exactly as for an unknown user', async () => {
    const { temporaryPassword } = await createUser('analyst', 'locked.edge');
    for (let i = 0; i < 5; i++) expect((await login('locked.edge', 'Wrong-pass-123')).statusCode).toBe(401);
    const lockedWrong = await login('locked.edge', 'Wrong-pass-123');
    const unknown = await login('nobody.here', 'Wrong-pass-123');
    expect(lockedWrong.statusCode).toBe(401);
    expect(lockedWrong.json()).toEqual(unknown.json());
    // The right password may learn that the account is locked (and still cannot log in).
    const lockedRight = await login('locked.edge', temporaryPassword);
    expect(lockedRight.statusCode).toBe(423);
    expect(lockedRight.cookies.find((c) => c.name === 'wangge_session')).toBeUndefined();
  });

  it.each([
    ['pwcheckA1!', /must not contain the username/],
    ['aaaaaaaaA1', /too easy to guess/],
    ['Abcdefg1', /too easy to guess|most common/],
    ['Wangge-2026', /too easy to guess/],
  ])('refuses the weak password %s', (password, reason) => expect(passwordProblem(password, { username: 'pwcheck' })).toMatch(reason));

  it('refuses weak, username-containing and reused passwords through the password change', async () => {
    const { temporaryPassword } = await createUser('planner', 'history.edge');
    let cookie = sessionCookie(await login('history.edge', temporaryPassword));
    let current = temporaryPassword;
    const change = async (next: string) => {
      const res = await send('POST', '/api/auth/password', cookie, { currentPassword: current, newPassword: next });
      if (res.statusCode === 204) {
        current = next;
        cookie = sessionCookie(res); // a password change starts a new session
      }
      return res;
    };
    expect((await change('history.edgeA1!')).json().message).toMatch(/body\/newPassword: the password must not contain the username/);
    expect((await change('Wangge-2026')).json().message).toMatch(/too easy to guess/);
    const used = ['Qindu-grid-71', 'Weiyang-road-72', 'Lantern-moth-73', 'Copper-kite-74', 'Silent-pine-75', 'Amber-river-76'];
    for (const password of used) expect((await change(password)).statusCode).toBe(204);
    // The previous five are refused; the one before them (the one-time password) is allowed again.
    for (const password of used.slice(0, 5)) {
      const res = await change(password);
      expect(res.statusCode).toBe(400);
      expect(res.json().message).toMatch(/different from your last 5 passwords/);
    }
    expect((await change(used[5]!)).json().message).toMatch(/different from the current one/);
    expect((await change(temporaryPassword)).statusCode).toBe(204);
    const refusals = await t.db.pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'auth.password_change' AND actor_username = 'history.edge' AND NOT success`);
    expect(refusals.rows[0].n).toBe(8);
  });

  it('keeps an active user logged in under a 1-minute idle limit', async () => {
    const { temporaryPassword } = await createUser('analyst', 'active.edge');
    const cookie = sessionCookie(await login('active.edge', temporaryPassword));
    const token = cookie.split('=')[1]!;
    const age = (seconds: number) =>
      t.db.pool.query(`UPDATE user_session SET last_seen_at = last_seen_at - make_interval(secs => $2) WHERE token_hash = sha256(convert_to($1, 'UTF8'))`, [token, seconds]);
    // Active 40 s ago, then a request; 30 s later another: 70 s after the first, inside the limit of each step.
    await age(40);
    expect((await send('GET', '/api/auth/me', cookie)).json().user?.username).toBe('active.edge');
    await age(30);
    expect((await send('GET', '/api/auth/me', cookie)).json().user?.username).toBe('active.edge');
    // Really idle past the limit: logged out.
    await age(61);
    expect((await send('GET', '/api/auth/me', cookie)).json().user).toBeNull();
  });
});

describe('cross-site requests', () => {
  it('refuses a cross-origin text/plain POST with an admin\'s cookie that would reset a password', async () => {
    const { id } = await createUser('analyst', 'csrf.target');
    const hash = async () => (await t.db.pool.query('SELECT password_hash FROM app_user WHERE id = $1', [id])).rows[0].password_hash;
    const before = await hash();
    const forged = await t.app.inject({
      method: 'POST',
      url: `/api/admin/users/${id}/reset-password`,
      headers: { cookie: admin, 'content-type': 'text/plain', origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      payload: '{}',
    });
    expect(forged.statusCode).toBe(403);
    expect(forged.json().message).toMatch(/from another site/);
    // An older browser without Sec-Fetch-Site: the Origin decides.
    const oldBrowser = await t.app.inject({ method: 'POST', url: `/api/admin/users/${id}/reset-password`, headers: { cookie: admin, origin: 'https://evil.example', host: 'wangge.local' } });
    expect(oldBrowser.statusCode).toBe(403);
    expect(await hash()).toBe(before);

    // The app's own page, and clients that send neither header (curl, scripts, QGIS), pass.
    const samePage = await t.app.inject({ method: 'POST', url: `/api/admin/users/${id}/reset-password`, headers: { cookie: admin, 'sec-fetch-site': 'same-origin', origin: 'http://wangge.local', host: 'wangge.local' } });
    expect(samePage.statusCode).toBe(200);
    const sameOrigin = await t.app.inject({ method: 'POST', url: `/api/admin/users/${id}/reset-password`, headers: { cookie: admin, origin: 'http://wangge.local:3000', host: 'wangge.local:3000' } });
    expect(sameOrigin.statusCode).toBe(200);
    const script = await t.app.inject({ method: 'POST', url: `/api/admin/users/${id}/reset-password`, headers: { cookie: admin } });
    expect(script.statusCode).toBe(200);
    // Reading stays open to links from other sites.
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: admin, 'sec-fetch-site': 'cross-site' } })).statusCode).toBe(200);
  });
});

describe('failed writes are audited', () => {
  const refusedRows = async (route: string) =>
    (await t.db.pool.query(
      `SELECT actor_username AS actor, success, detail FROM audit_log WHERE action = 'request.refused' AND target_id = $1 ORDER BY id`,
      [route],
    )).rows;

  it('records a 403, a 409, a 400 and a 429 with route, status and reason, without the body', async () => {
    const forbidden = await send('POST', '/api/admin/users', planner, { username: 'sneaky.user', displayName: '张三 13812345678', role: 'admin' });
    expect(forbidden.statusCode).toBe(403);
    const taken = await send('POST', '/api/admin/users', admin, { username: 'planner', displayName: 'x', role: 'planner' });
    expect(taken.statusCode).toBe(409);
    const rows = await refusedRows('POST /api/admin/users');
    expect(rows.map((r) => [r.actor, r.success, r.detail.status])).toEqual([['planner', false, 403], ['admin', false, 409]]);
    expect(rows[1].detail.reason).toMatch(/planner is taken/);
    expect(JSON.stringify(rows)).not.toMatch(/13812345678|sneaky/);

    const invalid = await send('PATCH', '/api/grids/9223372036854775808', planner, { version: 1 });
    expect(invalid.statusCode).toBe(400);
    expect((await refusedRows('PATCH /api/grids/:id'))[0].detail).toMatchObject({ status: 400, reason: expect.stringMatching(/params\/id/) });

    // A rate limit: the login route allows 1000 a minute here; the password change as many.
    const limited = await createTestApp({ env: { LOGIN_RATE_PER_MINUTE: '2' } });
    try {
      for (let i = 0; i < 3; i++) await limited.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'nobody', password: 'x' } });
      const { rows: limitedRows } = await limited.db.pool.query(
        `SELECT detail->>'status' AS status FROM audit_log WHERE action = 'request.refused' AND target_id = 'POST /api/auth/login'`,
      );
      expect(limitedRows).toEqual([{ status: '429' }]);
      // The two refused logins were audited by the login route itself, once each.
      const { rows: logins } = await limited.db.pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'auth.login'`);
      expect(logins[0].n).toBe(2);
    } finally {
      await limited.close();
    }
  });

  it('records a failed import commit', async () => {
    const res = await importFile(t, planner, 'commit', 'x.kml', Buffer.from('<kml><a b="<"/></kml>'), { scope: '610402001' });
    expect(res.statusCode).toBe(400);
    const rows = await refusedRows('POST /api/grid-import/commit');
    expect(rows.at(-1)!.detail).toMatchObject({ status: 400, reason: expect.stringMatching(/x\.kml: could not be read/) });
  });
});
