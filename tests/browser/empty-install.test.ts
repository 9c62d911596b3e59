/**
 * A fresh install without the demo: an empty database, the staff accounts and nothing else. Every
 * page says what is missing and links to the step that supplies it; the /areas code list adds the
 * real district 410105 金水区 from the bundled national list; then every page says what is still
 * missing (outlines, grids, facilities, population, a linked grid). No page throws.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_ACCOUNTS } from '../../server/demo/accounts.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { launchBrowser, saveScreenshot } from '../helpers/browser.js';
import { addStaffAccounts } from '../helpers/staff-accounts.js';

let t: TestApp;
let baseUrl: string;
let browser: Browser;
const pageErrors: string[] = [];

beforeAll(async () => {
  t = await createTestApp({ template: 'empty', serveWeb: true, env: { DEMO: 'false' } });
  await addStaffAccounts(t.db.pool);
  baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function open(role: string | null): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
  if (role) {
    const account = DEMO_ACCOUNTS.find((a) => a.role === role)!;
    await page.goto(`${baseUrl}/login`);
    await page.getByLabel('用户名').fill(account.username);
    await page.getByLabel('密码', { exact: true }).fill(account.password);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  }
  return { context, page };
}

/** Opens a page and returns the text of its empty-state notice (and where its links go). */
async function notice(page: Page, path: string, screenshot: string): Promise<{ text: string; links: string[] }> {
  await page.goto(`${baseUrl}${path}`);
  const box = page.getByRole('status', { name: '尚缺数据' });
  await box.waitFor({ timeout: 15_000 });
  // Let the rest of the page settle (maps, lists) before the picture.
  await page.waitForTimeout(800);
  await saveScreenshot(page, screenshot);
  const links = await box.getByRole('link').evaluateAll((as) => as.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
  return { text: (await box.textContent()) ?? '', links };
}

describe('a fresh install with no data', () => {
  it('the public map says there is no district yet', async () => {
    const { context, page } = await open(null);
    const n = await notice(page, '/', 'empty-install-01-public-map');
    expect(n.text).toContain('尚未设置辖区');
    await context.close();
  });

  it('each staff page sends the planner to /areas to choose the district', async () => {
    const { context, page } = await open('planner');
    for (const [path, name] of [['/plan', 'plan'], ['/coverage', 'coverage'], ['/facilities', 'facilities']] as const) {
      const n = await notice(page, path, `empty-install-02-${name}-no-areas`);
      expect(n.text, path).toContain('还没有设置行政区划');
      expect(n.links, path).toEqual(['/areas']);
    }
    await context.close();
  });

  it('/areas adds 金水区 from the national list, with its streets and communities', async () => {
    const { context, page } = await open('planner');
    const n = await notice(page, '/areas', 'empty-install-03-areas-empty');
    expect(n.text).toContain('还没有设置行政区划');
    await page.getByLabel('按代码或名称查找区县、市').fill('金水');
    await page.getByRole('button', { name: '添加 金水区' }).click();
    await page.getByText(/将添加：0 个市、1 个区县、\d+ 个街道\/乡镇、\d+ 个社区\/村/).waitFor();
    await saveScreenshot(page, 'empty-install-04-areas-preview');
    await page.getByRole('button', { name: '确认添加' }).click();
    await page.getByRole("status").getByText(/^金水区 \(410105\): 0 个市、1 个区县/).waitFor();
    const table = page.getByRole('table', { name: '当前区划' });
    await table.getByRole('cell', { name: '410105560' }).waitFor();
    await expect(table.getByRole('cell', { name: '如意湖街道' }).count()).resolves.toBe(1);
    const { rows } = await t.db.pool.query(`SELECT count(*)::int AS n FROM admin_area WHERE code LIKE '410105%'`);
    expect(rows[0].n).toBeGreaterThan(100);
    // The notice now asks for outlines.
    await page.getByRole('status', { name: '尚缺数据' }).getByText('还没有任何边界').waitFor();
    await saveScreenshot(page, 'empty-install-05-areas-added');

    // Retiring a street with live communities is refused, in the UI language, after a confirmation.
    const street = table.getByRole('row').filter({ hasText: '经八路街道' });
    page.once('dialog', (dialog) => void dialog.accept());
    await street.getByRole('button', { name: '撤销' }).click();
    await page.getByRole('alert').getByText(/^410105001 不能撤销：还有 \d+ 个在用下级区划，请先撤销：410105001003 体育社区居民居委会/).waitFor();
    await saveScreenshot(page, 'empty-install-05b-areas-retire-refused');
    // Renaming it.
    await street.getByRole('button', { name: '更名' }).click();
    await page.getByRole('textbox', { name: '名称' }).fill('经八路街道办事处');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText('已更名为 经八路街道办事处。').waitFor();
    await table.getByRole('cell', { name: /^经八路街道办事处/ }).waitFor();
    const { rows: renamed } = await t.db.pool.query(`SELECT name, version FROM admin_area WHERE code = '410105001'`);
    expect(renamed[0]).toEqual({ name: '经八路街道办事处', version: 2 });
    await context.close();
  });

  it('/areas says the row errors of an uploaded code list in the UI language, and in English after switching', async () => {
    const { context, page } = await open('planner');
    await page.goto(`${baseUrl}/areas`);
    const csv = 'level,code,name,parent\nstreet,410105650,某街道,410105\ncommunity,410105001099,,410105001\n';
    await page.getByLabel('代码表文件').setInputFiles({ name: '代码表.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: '检查', exact: true }).click();
    await page.getByText('2 处错误，未作任何更改：').waitFor();
    const rows = page.locator('.code-list__preview table').first().getByRole('row');
    await expect.poll(() => rows.allInnerTexts()).toEqual([
      '第 2 行\t列 code\t代码 410105650：乡级序号（第 7–9 位）应为 001–599，而不是 650',
      '第 3 行\t列 name\t没有名称',
    ]);
    await page.getByText('2 处错误，未作任何更改：').scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'empty-install-05c-code-list-errors');
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => rows.allInnerTexts()).toEqual([
      'row 2\tcolumn code\tcode 410105650: a township-level number (digits 7–9) runs 001–599, not 650',
      'row 3\tcolumn name\tno name',
    ]);
    await saveScreenshot(page, 'empty-install-05d-code-list-errors-english');
    await page.getByRole('button', { name: '中文' }).click();
    const { rows: none } = await t.db.pool.query(`SELECT count(*)::int AS n FROM admin_area WHERE code IN ('410105650', '410105001099')`);
    expect(none[0].n).toBe(0);
    // A clean list is added, and the panel says from which file, in the UI's language.
    await page.getByLabel('代码表文件').setInputFiles({ name: '新社区.csv', mimeType: 'text/csv', buffer: Buffer.from('level,code,name,parent\ncommunity,410105001099,测试社区居民委员会,410105001\n') });
    await page.getByRole('button', { name: '检查', exact: true }).click();
    await page.getByRole('button', { name: '全部添加' }).click();
    await page.getByText(/^已从文件 新社区\.csv 添加：/).scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'empty-install-05e-code-list-added');
    const { rows: added } = await t.db.pool.query(`SELECT name FROM admin_area WHERE code = '410105001099'`);
    expect(added).toEqual([{ name: '测试社区居民委员会' }]);
    await context.close();
  });

  it('with the district but no outlines, grids or facilities, each page says what is missing next', async () => {
    const { context, page } = await open('planner');
    for (const [path, name] of [['/plan', 'plan'], ['/coverage', 'coverage']] as const) {
      const n = await notice(page, path, `empty-install-06-${name}-no-outlines`);
      expect(n.text, path).toContain('还没有任何边界');
      // Never a link to the page itself: /plan's notice leaves out "draw on /plan".
      expect(n.links, path).toEqual(path === '/plan' ? ['/areas'] : ['/areas', '/plan']);
    }
    const facilities = await notice(page, '/facilities', 'empty-install-07-facilities');
    expect(facilities.text).toContain('还没有服务设施');
    // The import is on this very page: the notice names it without a link to itself.
    expect(facilities.links).toEqual([]);
    await context.close();

    // Once an outline exists: the grids are what /plan lacks, the population what /coverage lacks.
    await t.db.pool.query(`UPDATE admin_area SET geom = ST_Multi(ST_MakeEnvelope(113.66, 34.76, 113.80, 34.86, 4326)), outline_source = 'drawn' WHERE code = '410105'`);
    const planner = await open('planner');
    const plan = await notice(planner.page, '/plan', 'empty-install-08-plan-no-grids');
    expect(plan.text).toContain('还没有网格');
    await t.db.pool.query(`INSERT INTO facility (facility_type, name, address, geom) VALUES ('home_elderly_care_station', '测试养老服务站', '', ST_SetSRID(ST_MakePoint(113.70, 34.80), 4326))`);
    const coverage = await notice(planner.page, '/coverage', 'empty-install-09-coverage-no-population');
    expect(coverage.text).toContain('人口数据（楼栋）尚未加载');
    await planner.context.close();

    const analyst = await open('analyst');
    const incidents = await notice(analyst.page, '/incidents', 'empty-install-10-incidents');
    expect(incidents.text).toContain('还没有网格');
    await analyst.context.close();

    const worker = await open('grid_worker');
    const report = await notice(worker.page, '/report', 'empty-install-11-report');
    expect(report.text).toContain('还没有网格');
    await worker.context.close();

    const anyone = await open(null);
    await anyone.page.goto(`${baseUrl}/`);
    await anyone.page.waitForTimeout(1500);
    await saveScreenshot(anyone.page, 'empty-install-12-public-map-one-station');
    await expect(anyone.page.getByRole('status', { name: '尚缺数据' }).count()).resolves.toBe(0);
    await anyone.context.close();
  });

  it('a second district of the city: coverage says 全市 and gives each district its own share', async () => {
    const box = (x0: number, y0: number, x1: number, y1: number) => `ST_Multi(ST_MakeEnvelope(${x0}, ${y0}, ${x1}, ${y1}, 4326))`;
    expect((await t.db.pool.query(`UPDATE admin_area SET geom = ${box(113.66, 34.76, 113.70, 34.80)}, outline_source = 'drawn' WHERE code = '410105001003'`)).rowCount).toBe(1);
    await t.db.pool.query(`INSERT INTO admin_area (code, name, level, parent_code, geom) VALUES
      ('410102', '中原区', 'district', NULL, NULL), ('410102001', '林山寨街道', 'street', '410102', NULL),
      ('410102001001', '测试社区居委会', 'community', '410102001', ${box(113.60, 34.76, 113.64, 34.80)})`);
    await t.db.pool.query(`INSERT INTO building (name, kind, geom, households, residents, residents_60_plus, residents_80_plus) VALUES
      ('甲楼', 'building', ST_SetSRID(ST_MakePoint(113.699, 34.799), 4326), 40, 100, 30, 5),
      ('乙楼', 'building', ST_SetSRID(ST_MakePoint(113.62, 34.78), 4326), 20, 50, 20, 2)`);
    const { context, page } = await open('planner');
    await page.goto(`${baseUrl}/coverage`);
    await page.getByRole('heading', { name: '全市覆盖率' }).waitFor();
    const table = page.getByRole('table', { name: '各区县覆盖率' });
    await table.waitFor();
    await expect(table.getByRole('row').allTextContents()).resolves.toEqual([
      expect.stringMatching(/^中原区0(\.0)?%已覆盖 0 \/ 20 人$/),
      expect.stringMatching(/^金水区100(\.0)?%已覆盖 30 \/ 30 人$/),
    ]);
    await saveScreenshot(page, 'empty-install-13-coverage-two-districts');
    await context.close();
  });

  it('no page threw', () => {
    expect(pageErrors).toEqual([]);
  });
});
