/**
 * People on the grids: grid posts linked to grid-worker accounts (per account, from the admin's
 * users page, and per grid, from the planner's grid form), the worker's reach following the link
 * at once, and the bulk import of grid leaders and managers (preview, all or nothing, audit).
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/modules/auth/password.js';
import { createTestApp, sessionCookie, type TestApp } from '../helpers/app.js';
import { webText } from '../helpers/problem-text.js';
import { decodeTile, tileAt } from '../fixtures/tiles/mvt.js';

let t: TestApp;
let admin: string;
let planner: string;
let workerId: number;
let worker: string;
/** Three live grids of one community that the demo grid worker does not serve, and a point inside each. */
let grids: { id: number; code: string; version: number; lon: number; lat: number }[];
const PASSWORD = 'Grid-worker-2027';

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.loginAs('admin');
  planner = await t.loginAs('planner');
  const { rows } = await t.db.pool.query(
    `INSERT INTO app_user (username, display_name, role, password_hash) VALUES ('zhao.worker', '赵网格', 'grid_worker', $1) RETURNING id`,
    [await hashPassword(PASSWORD)]);
  workerId = Number(rows[0].id);
  const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'zhao.worker', password: PASSWORD } });
  worker = sessionCookie(login);
  ({ rows: grids } = await t.db.pool.query(
    `SELECT g.id::int, g.code, g.version, ST_X(p) AS lon, ST_Y(p) AS lat
       FROM grid g CROSS JOIN LATERAL ST_PointOnSurface(g.geom) p
      WHERE g.retired_at IS NULL AND g.community_code = '610402001002'
        AND NOT EXISTS (SELECT 1 FROM grid_staff s WHERE s.grid_id = g.id AND s.user_id IS NOT NULL)
      ORDER BY g.code LIMIT 3`));
  expect(grids).toHaveLength(3);
});
afterAll(async () => t?.close());

const inject = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, cookie: string, payload?: object) =>
  t.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });
const reportIn = (grid: { lon: number; lat: number }) =>
  inject('POST', '/api/incidents', worker, { category: 'sanitation', description: 'test', lon: grid.lon, lat: grid.lat });
const staffOf = async (gridId: number) =>
  (await t.db.pool.query(`SELECT role, name, phone, user_id::int AS "userId" FROM grid_staff WHERE grid_id = $1 ORDER BY role, id`, [gridId])).rows;
const snapshot = async () => (await t.db.pool.query(`SELECT (SELECT count(*) FROM grid_staff)::int AS staff, (SELECT count(*) FROM grid_version)::int AS versions, (SELECT md5(string_agg(grid_id || role || name || coalesce(phone, '') || coalesce(user_id::text, ''), ',' ORDER BY id)) FROM grid_staff) AS digest`)).rows[0];

describe('linking a grid-worker account to grids', () => {
  it('refuses a report from a worker linked to no grid', async () => {
    const res = await reportIn(grids[0]!);
    expect(res.statusCode).toBe(403);
    expect(res.json().message).toMatch(/not assigned to any grid/);
  });

  it('lets the admin set the grids an account serves; the worker reports there at once, and only there', async () => {
    const res = await inject('PUT', `/api/admin/users/${workerId}/grids`, admin, { grids: [{ code: grids[0]!.code }] });
    expect(res.statusCode).toBe(200);
    expect(res.json().grids).toEqual([expect.objectContaining({ code: grids[0]!.code, role: 'manager' })]);
    expect(await staffOf(grids[0]!.id)).toContainEqual({ role: 'manager', name: '赵网格', phone: null, userId: workerId });
    const { rows: [version] } = await t.db.pool.query(`SELECT action, staff FROM grid_version WHERE grid_id = $1 ORDER BY version DESC LIMIT 1`, [grids[0]!.id]);
    expect(version.action).toBe('staff');
    expect(version.staff).toContainEqual({ role: 'manager', name: '赵网格', phone: null, userId: workerId });
    const { rows: [audit] } = await t.db.pool.query(`SELECT detail FROM audit_log WHERE action = 'user.grids' ORDER BY id DESC LIMIT 1`);
    expect(audit.detail).toEqual({ linked: [grids[0]!.code], unlinked: [] });

    expect((await reportIn(grids[0]!)).statusCode).toBe(201);
    const elsewhere = await reportIn(grids[1]!);
    expect(elsewhere.statusCode).toBe(403);
    expect(elsewhere.json().message).toContain(grids[1]!.code);
    const mine = await inject('GET', '/api/incidents/my-grids', worker);
    expect(mine.json().features.map((f: { properties: { code: string } }) => f.properties.code)).toEqual([grids[0]!.code]);
    // The users list shows it.
    const list = await inject('GET', '/api/admin/users', admin);
    expect(list.json().find((u: { id: number }) => u.id === workerId).grids.map((g: { code: string }) => g.code)).toEqual([grids[0]!.code]);
  });

  it('refuses linking an account that is not a grid worker, or an unknown grid, changing nothing', async () => {
    const before = await snapshot();
    const analystId = Number((await t.db.pool.query(`SELECT id FROM app_user WHERE username = 'analyst'`)).rows[0].id);
    const notWorker = await inject('PUT', `/api/admin/users/${analystId}/grids`, admin, { grids: [{ code: grids[1]!.code }] });
    expect(notWorker.statusCode).toBe(400);
    expect(notWorker.json().message).toMatch(/not a grid worker/);
    const unknown = await inject('PUT', `/api/admin/users/${workerId}/grids`, admin, { grids: [{ code: grids[1]!.code }, { code: '610402999999999' }] });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().message).toBe('body/grids/1/code: no live grid 610402999999999');
    expect(await snapshot()).toEqual(before);
    expect((await inject('PUT', `/api/admin/users/${workerId}/grids`, planner, { grids: [] })).statusCode).toBe(403);
  });

  it('links from the planner’s grid form: the linkable accounts, a manager post linked, the link shown', async () => {
    const workers = await inject('GET', '/api/grid-workers', planner);
    expect(workers.statusCode).toBe(200);
    expect(workers.json()).toContainEqual({ id: workerId, username: 'zhao.worker', displayName: '赵网格', scopeAreaCode: null });
    const grid = grids[1]!;
    const res = await inject('PATCH', `/api/grids/${grid.id}`, planner, {
      version: grid.version,
      gridLeader: { name: '钱组长', phone: '13800001111' },
      gridManagers: [{ name: '赵网格', phone: '13900002222', userId: workerId }],
    });
    expect(res.statusCode).toBe(200);
    expect(await staffOf(grid.id)).toEqual([
      { role: 'leader', name: '钱组长', phone: '13800001111', userId: null },
      { role: 'manager', name: '赵网格', phone: '13900002222', userId: workerId },
    ]);
    expect((await reportIn(grid)).statusCode).toBe(201);
    const listed = await inject('GET', `/api/grids?community=610402001002`, planner);
    const props = listed.json().features.find((f: { properties: { id: number } }) => f.properties.id === grid.id).properties;
    expect(props.gridManagers).toEqual([{ name: '赵网格', phone: '13900002222', userId: workerId, username: 'zhao.worker' }]);
    // Analysts see no staff at all.
    const analyst = await t.loginAs('analyst');
    const hidden = await inject('GET', `/api/grids?community=610402001002`, analyst);
    expect(JSON.stringify(hidden.json())).not.toContain('13900002222');

    // A link to an account that is not a grid worker is refused, and nothing changes.
    const version = Number((await t.db.pool.query('SELECT version FROM grid WHERE id = $1', [grid.id])).rows[0].version);
    const analystId = Number((await t.db.pool.query(`SELECT id FROM app_user WHERE username = 'analyst'`)).rows[0].id);
    const bad = await inject('PATCH', `/api/grids/${grid.id}`, planner, { version, gridManagers: [{ name: '赵网格', phone: '13900002222', userId: analystId }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/gridManagers\/0\/userId: account \d+ is not an active grid-worker account/);
    expect((await staffOf(grid.id))[1].userId).toBe(workerId);

    // Unlinking from the form: the reach goes at once.
    const unlink = await inject('PATCH', `/api/grids/${grid.id}`, planner, { version, gridManagers: [{ name: '赵网格', phone: '13900002222', userId: null }] });
    expect(unlink.statusCode).toBe(200);
    expect((await reportIn(grid)).statusCode).toBe(403);
  });

  it('keeps the link of a post whose holder stays when the form sends no userId', async () => {
    const grid = grids[1]!;
    const version = Number((await t.db.pool.query('SELECT version FROM grid WHERE id = $1', [grid.id])).rows[0].version);
    await t.db.pool.query(`UPDATE grid_staff SET user_id = $1 WHERE grid_id = $2 AND role = 'manager'`, [workerId, grid.id]);
    const res = await inject('PATCH', `/api/grids/${grid.id}`, planner, { version, name: '改名网格', gridManagers: [{ name: '赵网格', phone: '13900002222' }] });
    expect(res.statusCode).toBe(200);
    expect((await staffOf(grid.id))[1].userId).toBe(workerId);
  });

  it('unlinks from the admin page: the worker loses the grid at once', async () => {
    const res = await inject('PUT', `/api/admin/users/${workerId}/grids`, admin, { grids: [] });
    expect(res.statusCode).toBe(200);
    expect(res.json().grids).toEqual([]);
    expect((await reportIn(grids[0]!)).statusCode).toBe(403);
    // The posts stay, without the link.
    expect(await staffOf(grids[0]!.id)).toContainEqual({ role: 'manager', name: '赵网格', phone: null, userId: null });
  });
});

describe('incident tiles follow a link at once', () => {
  it('a worker’s cached incident tile over a grid changes as the account is linked and unlinked', async () => {
    const grid = grids[2]!;
    const { rows: [incident] } = await t.db.pool.query(
      `SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM incident WHERE grid_id = $1 AND reported_at >= '2025-11-01' ORDER BY id LIMIT 1`, [grid.id]);
    expect(incident).toBeDefined();
    const at = tileAt(incident.lon, incident.lat, 15);
    const url = `/api/tiles/incidents/${at.z}/${at.x}/${at.y}?from=2025-11-01&to=2026-11-02`;
    const own = async () => {
      const res = await inject('GET', url, worker);
      expect([200, 204]).toContain(res.statusCode); // 204: an empty tile
      const features = res.statusCode === 200 ? decodeTile(res.rawPayload, at.z, at.x, at.y).incidents?.features ?? [] : [];
      return { ids: features.map((f) => Number(f.id)), cache: res.headers['x-tile-cache'] };
    };
    const inGrid = async () => (await t.db.pool.query(
      `SELECT id::int FROM incident WHERE grid_id = $1 AND reported_at >= '2025-10-31T16:00:00Z' AND reported_at < '2026-11-01T16:00:00Z'
          AND ST_Intersects(geom, ST_Transform(ST_TileEnvelope($2, $3, $4), 4326)) ORDER BY id`, [grid.id, at.z, at.x, at.y])).rows.map((r) => r.id);

    expect((await own()).ids).toEqual([]);
    expect(await own()).toEqual({ ids: [], cache: 'hit' }); // cached for this worker
    expect((await inject('PUT', `/api/admin/users/${workerId}/grids`, admin, { grids: [{ code: grid.code }] })).statusCode).toBe(200);
    const linked = await own();
    expect(linked.ids.length).toBeGreaterThan(0);
    // Every incident of the grid in the tile, and (the tile's buffer reaching a little beyond it) only the grid's.
    expect(linked.ids).toEqual(expect.arrayContaining(await inGrid()));
    const { rows: shown } = await t.db.pool.query(`SELECT DISTINCT grid_id::int FROM incident WHERE id = ANY($1::bigint[])`, [linked.ids]);
    expect(shown).toEqual([{ grid_id: grid.id }]);
    expect((await inject('PUT', `/api/admin/users/${workerId}/grids`, admin, { grids: [] })).statusCode).toBe(200);
    expect((await own()).ids).toEqual([]);
  });
});

function csv(lines: string[]): Buffer {
  return Buffer.from(lines.join('\n') + '\n', 'utf8');
}

function upload(url: string, cookie: string, bytes: Buffer, fileName: string) {
  const boundary = '----wangge-staff-test';
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return t.app.inject({ method: 'POST', url, headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: body });
}

describe('importing grid leaders and managers', () => {
  it('previews a file with its problems by row and column, and commits nothing of it', async () => {
    const [a, b] = grids;
    const file = csv([
      '网格编码,姓名,手机号,职务,账号',
      `${a!.code},孙网格长,13811112222,网格长,`,
      `${a!.code},李网格长,13811113333,网格长,`,
      `610402999999999,周网格员,13811114444,网格员,`,
      `${b!.code},吴网格员,12345,网格员,`,
      `${b!.code},郑网格员,13811115555,网格员,nobody`,
      `${b!.code},王网格员,13811116666,网格员,analyst`,
      `${b!.code},冯网格员,13811117777,队长,`,
    ]);
    const before = await snapshot();
    const preview = await upload('/api/grid-staff-import/preview', planner, file, 'staff.csv');
    expect(preview.statusCode).toBe(200);
    const body = preview.json();
    expect(body.columns).toEqual({ gridCode: '网格编码', name: '姓名', phone: '手机号', role: '职务', username: '账号' });
    expect(body.rows).toHaveLength(7);
    expect(body.errors).toEqual([
      { row: 3, column: '职务', field: 'role', kind: 'secondLeader', code: 'staffImport.secondLeader', params: { value: a!.code, row: 2 }, message: `grid ${a!.code} already has its grid leader in row 2; a grid has one` },
      { row: 4, column: '网格编码', field: 'gridCode', kind: 'gridUnknown', code: 'staffImport.gridUnknown', params: { value: '610402999999999' }, message: 'no live grid 610402999999999' },
      { row: 5, column: '手机号', field: 'phone', kind: 'phoneInvalid', code: 'staffImport.phoneInvalid', params: {}, message: 'the phone is not a phone number (11-digit mobile, or a landline such as 029-33221100)' },
      { row: 6, column: '账号', field: 'username', kind: 'accountUnknown', code: 'staffImport.accountUnknown', params: { value: 'nobody' }, message: 'no account nobody' },
      { row: 7, column: '账号', field: 'username', kind: 'accountNotGridWorker', code: 'staffImport.accountNotGridWorker', params: { value: 'analyst', role: 'analyst' }, message: 'account analyst is not a grid worker (it is analyst)' },
      { row: 8, column: '职务', field: 'role', kind: 'roleInvalid', code: 'staffImport.roleInvalid', params: { value: '队长' }, message: '队长 is not a role in the grid: 网格长 (leader) or 网格员 (manager)' },
    ]);
    const commit = await upload('/api/grid-staff-import/commit', planner, file, 'staff.csv');
    expect(commit.statusCode).toBe(422);
    expect(commit.json().message).toMatch(/6 row problem\(s\), nothing was imported — row 3, column 职务/);
    expect(commit.json().details.errors).toHaveLength(6);
    // The web says each problem, and the refusal quoting the first three, in Chinese; the phone number is in neither.
    expect(webText(body.errors[0])).toBe(`网格 ${a!.code} 的网格长已在第 2 行，一个网格只有一名网格长`);
    expect(webText(body.errors[2])).toBe('电话号码无效（应为 11 位手机号，或如 029-33221100 的固定电话）');
    expect(webText(commit.json())).toBe(
      `文件 staff.csv 有 6 处行错误，未导入任何数据 — 第 3 行“职务”：${webText(body.errors[0])}、第 4 行“网格编码”：没有编码为 610402999999999 的在用网格、第 5 行“手机号”：${webText(body.errors[2])}`,
    );
    expect(webText(commit.json(), 'en')).toBe(commit.json().message);
    expect(commit.body).not.toContain('12345');
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a file without the needed columns, naming what it has', async () => {
    const res = await upload('/api/grid-staff-import/preview', planner, csv(['序号,人员', '1,2']), 'staff.csv');
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/file staff\.csv: no column for gridCode .*name .*role .*the header row has 序号, 人员/);
  });

  it('refuses grids outside a scoped planner’s area', async () => {
    const { rows } = await t.db.pool.query(
      `INSERT INTO app_user (username, display_name, role, password_hash, scope_area_code) VALUES ('street.planner', '街道规划员', 'planner', $1, '610402002') RETURNING id`,
      [await hashPassword(PASSWORD)]);
    expect(rows).toHaveLength(1);
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'street.planner', password: PASSWORD } });
    const res = await upload('/api/grid-staff-import/preview', sessionCookie(login), csv(['grid code,name,phone,role', `${grids[0]!.code},孙网格长,13811112222,leader`]), 'staff.csv');
    expect(res.json().errors).toEqual([
      { row: 2, column: 'grid code', field: 'gridCode', kind: 'gridOutOfScope', code: 'staffImport.gridOutOfScope', params: { value: grids[0]!.code, area: '610402002' }, message: `grid ${grids[0]!.code} is outside your area 610402002` },
    ]);
  });

  it('commits an Excel file all at once: the staff of the grids it names replaced, links made, versions written, audited without personal data', async () => {
    const [a, b, c] = grids;
    const untouched = await staffOf(c!.id);
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('网格员');
    sheet.addRow(['网格编码', '姓名', '联系电话', '职务', '账号']);
    sheet.addRow([a!.code, '孙网格长', '13811112222', '网格长', '']);
    sheet.addRow([a!.code, '赵网格', '13811118888', '专职网格员', 'zhao.worker']);
    sheet.addRow([b!.code, '吴网格员', '029-33221100', '网格员', '']);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const preview = await upload('/api/grid-staff-import/preview', planner, bytes, 'staff.xlsx');
    expect(preview.json().errors).toEqual([]);
    expect(preview.json().grids).toEqual([
      expect.objectContaining({ code: a!.code, leaders: 1, managers: 1, linkedAccounts: 1 }),
      expect.objectContaining({ code: b!.code, leaders: 0, managers: 1, linkedAccounts: 0 }),
    ]);
    const versionsBefore = Number((await t.db.pool.query(`SELECT count(*) FROM grid_version WHERE action = 'staff_import'`)).rows[0].count);
    const commit = await upload('/api/grid-staff-import/commit', planner, bytes, 'staff.xlsx');
    expect(commit.statusCode).toBe(200);
    expect(commit.json()).toEqual({ grids: 2, leaders: 1, managers: 2, linkedAccounts: 1 });
    expect(await staffOf(a!.id)).toEqual([
      { role: 'leader', name: '孙网格长', phone: '13811112222', userId: null },
      { role: 'manager', name: '赵网格', phone: '13811118888', userId: workerId },
    ]);
    expect(await staffOf(b!.id)).toEqual([{ role: 'manager', name: '吴网格员', phone: '029-33221100', userId: null }]);
    expect(await staffOf(c!.id)).toEqual(untouched);
    const versionsAfter = Number((await t.db.pool.query(`SELECT count(*) FROM grid_version WHERE action = 'staff_import'`)).rows[0].count);
    expect(versionsAfter - versionsBefore).toBe(2);
    const { rows: [audit] } = await t.db.pool.query(`SELECT actor_username, target_id, detail FROM audit_log WHERE action = 'grid.staff_import' ORDER BY id DESC LIMIT 1`);
    expect(audit).toEqual({ actor_username: 'planner', target_id: `${a!.code},${b!.code}`, detail: { fileName: 'staff.xlsx', grids: 2, leaders: 1, managers: 2, linkedAccounts: 1 } });
    expect(JSON.stringify(audit)).not.toMatch(/138|孙/);
    // The linked worker reports in the grid straight away.
    expect((await reportIn(a!)).statusCode).toBe(201);
  });

  it('is for planners and admins only', async () => {
    const analyst = await t.loginAs('analyst');
    expect((await upload('/api/grid-staff-import/preview', analyst, csv(['a']), 'x.csv')).statusCode).toBe(403);
    expect((await inject('GET', '/api/grid-workers', analyst)).statusCode).toBe(403);
  });
});
