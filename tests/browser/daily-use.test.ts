/**
 * Daily use, page by page in a real Chromium: login lands on the role's page; /facilities has a
 * searchable list beside the map whose row opens the form in view, and a refusal reads in Chinese
 * with its figures formatted; the file picker speaks the UI's language; the public map names a dot
 * under the pointer; the audit log reads as sentences; /plan's legend carries the norms' numbers.
 * Screenshots in zh-CN and en, and at phone size (390×844).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_ACCOUNTS } from '../../server/demo/accounts.js';
import { startTestServer } from '../helpers/app.js';
import { launchBrowser, saveScreenshot } from '../helpers/browser.js';

let server: Awaited<ReturnType<typeof startTestServer>>;
let browser: Browser;
beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const DESKTOP = { viewport: { width: 1440, height: 900 } };

async function contextIn(language: 'zh-CN' | 'en', options: object = DESKTOP): Promise<BrowserContext> {
  const context = await browser.newContext({ locale: language, ...options });
  await context.addInitScript((lang) => window.localStorage.setItem('wangge.language', lang), language);
  return context;
}

async function logIn(page: Page, role: string, language: 'zh-CN' | 'en' = 'zh-CN') {
  const account = DEMO_ACCOUNTS.find((a) => a.role === role)!;
  await page.goto(`${server.baseUrl}/login`);
  await page.getByLabel(language === 'en' ? 'Username' : '用户名').fill(account.username);
  await page.getByLabel(language === 'en' ? 'Password' : '密码', { exact: true }).fill(account.password);
  await page.getByRole('button', { name: language === 'en' ? 'Log in' : '登录', exact: true }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

describe('landing after login', () => {
  it('takes each role to its own page', async () => {
    for (const [role, path] of [['planner', '/plan'], ['analyst', '/incidents'], ['grid_worker', '/report'], ['admin', '/admin/users']] as const) {
      const context = await contextIn('zh-CN');
      const page = await context.newPage();
      await logIn(page, role);
      await page.waitForURL(`**${path}`);
      expect(new URL(page.url()).pathname).toBe(path);
      await context.close();
    }
  });
});

describe('/facilities', () => {
  it('lists, searches and sorts the facilities; a row opens the form in view; a refusal reads in Chinese', async () => {
    const context = await contextIn('zh-CN');
    const page = await context.newPage();
    await logIn(page, 'planner');
    await page.goto(`${server.baseUrl}/facilities`);
    const list = page.getByRole('region', { name: /设施列表/ });
    const table = list.getByRole('table');
    await table.getByRole('row').nth(5).waitFor();
    const { rows: [counts] } = await server.db.pool.query(`SELECT count(*)::int AS n FROM facility WHERE retired_at IS NULL`);
    await expect.poll(() => table.getByRole('row').count()).toBe(counts.n + 1);
    // Search by part of a name.
    const { rows: [one] } = await server.db.pool.query(`SELECT id, name FROM facility WHERE retired_at IS NULL ORDER BY id DESC LIMIT 1`);
    await list.getByRole('searchbox', { name: '按名称或地址筛选' }).fill(one.name);
    await expect.poll(() => table.getByRole('row').count()).toBeLessThan(10);
    await expect(table.getByRole('button', { name: one.name }).count()).resolves.toBeGreaterThan(0);
    // Sort by community, descending.
    await list.getByRole('searchbox').fill('');
    await expect.poll(() => table.getByRole('row').count()).toBe(counts.n + 1);
    await table.getByRole('button', { name: /^社区/ }).click();
    await table.getByRole('button', { name: /^社区/ }).click();
    await expect(table.getByRole('columnheader', { name: /社区/ }).getAttribute('aria-sort')).resolves.toBe('descending');
    // A row selects the facility: the form opens in view.
    await list.getByRole('searchbox').fill(one.name);
    await table.getByRole('button', { name: one.name }).first().click();
    const form = page.getByRole('heading', { name: new RegExp(`编辑.*${one.name}|${one.name}`) }).first();
    await form.waitFor();
    await expect.poll(() => form.evaluate((el) => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.top < window.innerHeight; })).toBe(true);
    await expect(list.getByRole('link', { name: /导出设施.*Excel/ }).getAttribute('href')).resolves.toMatch(/^\/api\/facilities\/export\?format=xlsx&q=/);
    await saveScreenshot(page, 'daily-01-facilities-list-zh');

    // Enter in a field does not save; the button does, and the refusal is in Chinese.
    const lon = page.getByLabel('经度');
    await lon.fill('116.397');
    await page.getByLabel('纬度').fill('39.909');
    await lon.press('Enter');
    await page.waitForTimeout(500);
    await expect(page.getByRole('alert').count()).resolves.toBe(0);
    await page.getByRole('button', { name: '保存', exact: true }).click();
    const alert = page.getByRole('alert').filter({ hasText: '在本区以外' });
    await alert.waitFor();
    const text = (await alert.textContent())!;
    expect(text).toMatch(/\d{1,3}(,\d{3})+ 米/);
    expect(text).not.toMatch(/outside|district|check the/);
    await saveScreenshot(page, 'daily-02-facilities-refusal-zh');

    // The file picker speaks Chinese.
    const picker = page.locator('.file-button').first();
    await expect(picker.textContent()).resolves.toContain('选择文件');
    await expect(picker.textContent()).resolves.toContain('未选择文件');
    await page.getByLabel('设施表格文件').setInputFiles({ name: '站点.csv', mimeType: 'text/csv', buffer: Buffer.from('名称,类型\n') });
    await expect(picker.textContent()).resolves.toContain('站点.csv');
    await context.close();
  });

  it('reads in English, and fits a phone', async () => {
    const en = await contextIn('en');
    const page = await en.newPage();
    await logIn(page, 'planner', 'en');
    await page.goto(`${server.baseUrl}/facilities`);
    await page.getByRole('region', { name: /Facility list/ }).getByRole('row').nth(3).waitFor();
    await expect(page.locator('.file-button').first().textContent()).resolves.toContain('Choose file');
    await saveScreenshot(page, 'daily-03-facilities-list-en');
    await en.close();

    const phone = await contextIn('zh-CN', PHONE);
    const mobile = await phone.newPage();
    await logIn(mobile, 'planner');
    await mobile.goto(`${server.baseUrl}/facilities`);
    await mobile.getByRole('region', { name: /设施列表/ }).getByRole('row').nth(3).waitFor();
    await saveScreenshot(mobile, 'daily-04-facilities-phone');
    await phone.close();
  });
});

describe('a schema refusal in a form', () => {
  it('reads in the UI\'s language, the field named as the form names it and the limit formatted; nothing is saved', async () => {
    const { rows: [one] } = await server.db.pool.query(`SELECT id, name, capacity, version FROM facility WHERE retired_at IS NULL ORDER BY id LIMIT 1`);
    for (const language of ['zh-CN', 'en'] as const) {
      const zh = language === 'zh-CN';
      const context = await contextIn(language);
      const page = await context.newPage();
      await logIn(page, 'planner', language);
      await page.goto(`${server.baseUrl}/facilities`);
      const list = page.getByRole('region', { name: zh ? /设施列表/ : /Facility list/ });
      await list.getByRole('searchbox').fill(one.name);
      await list.getByRole('table').getByRole('button', { name: one.name }).first().click();
      // A capacity the form takes but the API's schema does not (at most 100,000).
      await page.getByLabel(zh ? /^容量/ : /^Capacity/).fill('250000');
      const reply = page.waitForResponse((r) => r.url().includes(`/api/facilities/${one.id}`) && r.request().method() === 'PATCH');
      await page.getByRole('button', { name: zh ? '保存' : 'Save', exact: true }).click();
      const body = await (await reply).json();
      expect(body.code).toBe('validation.maximum');
      expect(body.params).toEqual({ field: 'body/capacity', limit: 100000 });
      const alert = page.getByRole('alert').filter({ hasText: '100,000' });
      await alert.waitFor();
      const text = (await alert.textContent())!;
      if (zh) {
        expect(text).toContain('容量不能大于 100,000');
        expect(text).not.toMatch(/body|capacity|must/);
      } else {
        expect(text).toContain('capacity: must be ≤ 100,000');
      }
      await saveScreenshot(page, `daily-14-schema-refusal-${zh ? 'zh' : 'en'}`);
      await context.close();
    }
    const { rows: [after] } = await server.db.pool.query(`SELECT capacity, version FROM facility WHERE id = $1`, [one.id]);
    expect(after).toEqual({ capacity: one.capacity, version: one.version });
  });
});

describe('the public map', () => {
  it('names the facility under the pointer', async () => {
    const context = await contextIn('zh-CN');
    const page = await context.newPage();
    await page.goto(server.baseUrl + '/');
    await page.locator('[data-map-ready="true"]').waitFor();
    await page.locator('.public-map__canvas:not([data-facilities-drawn=""]):not([data-facilities-drawn="0"])').waitFor();
    const point = await page.evaluate(() => {
      const container = document.querySelector('.public-map__maplibre') as HTMLElement & { wanggeMap: { queryRenderedFeatures(o: object): { geometry: { coordinates: [number, number] }; properties: { name: string } }[]; project(c: [number, number]): { x: number; y: number } } };
      const map = container.wanggeMap;
      const feature = map.queryRenderedFeatures({ layers: ['facility-hit-areas'] })[0]!;
      const p = map.project(feature.geometry.coordinates);
      const box = container.getBoundingClientRect();
      return { x: box.left + p.x, y: box.top + p.y, name: feature.properties.name };
    });
    await page.mouse.move(point.x, point.y);
    const tip = page.locator('.facility-name-tip');
    await tip.waitFor();
    await expect(tip.textContent()).resolves.toContain(point.name);
    await saveScreenshot(page, 'daily-05-public-map-name-tip');
    await context.close();
  });
});

describe('the audit log and /plan', () => {
  it('reads the audit log as sentences with the reason, details folded', async () => {
    // A planner changes a grid's boundary with a reason (through the API: the edit itself is another test's).
    const planner = await contextIn('zh-CN');
    const page = await planner.newPage();
    await logIn(page, 'planner');
    const { rows: [grid] } = await server.db.pool.query(`SELECT id, code, version, ST_AsGeoJSON(geom)::json AS geometry FROM grid WHERE retired_at IS NULL ORDER BY id LIMIT 1`);
    const status = await page.evaluate(async (g) => (await fetch(`/api/grids/${g.id}`, {
      method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ version: g.version, geometry: g.geometry, reason: '道路拓宽' }),
    })).status, grid);
    expect(status).toBe(200);
    // The household legend carries the norms' numbers and the warning dots are named.
    await page.goto(`${server.baseUrl}/plan`);
    await page.getByLabel('着色').selectOption('households');
    const legend = page.locator('.plan-legend');
    await expect.poll(() => legend.textContent()).toMatch(/< 300 户.*300–500 户 ✓.*> 500 户/);
    await expect(legend.textContent()).resolves.toContain('网格提示');
    await saveScreenshot(page, 'daily-06-plan-legend-zh');
    await planner.close();

    for (const [language, options, name] of [['zh-CN', DESKTOP, 'daily-07-audit-zh'], ['en', DESKTOP, 'daily-08-audit-en'], ['zh-CN', PHONE, 'daily-09-audit-phone']] as const) {
      const context = await contextIn(language, options);
      const admin = await context.newPage();
      await logIn(admin, 'admin', language);
      await admin.goto(`${server.baseUrl}/admin/audit?action=grid.`);
      const sentence = language === 'en' ? `changed the boundary of grid ${grid.code} (reason: 道路拓宽)` : `修改了网格 ${grid.code} 的边界（原因：道路拓宽）`;
      await admin.getByText(sentence).first().waitFor();
      await expect(admin.locator('.audit-table tbody').textContent()).resolves.not.toMatch(/^grid\.update/);
      await saveScreenshot(admin, name);
      await context.close();
    }
  });
});

type Box = { top: number; bottom: number; left: number; right: number; width: number; height: number };
const boxOf = (page: Page, selector: string): Promise<Box> =>
  page.locator(selector).first().evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, width: r.width, height: r.height };
  });
const inside = (inner: Box, outer: Box) =>
  inner.top >= outer.top - 1 && inner.bottom <= outer.bottom + 1 && inner.left >= outer.left - 1 && inner.right <= outer.right + 1;

describe('layout of /incidents and /report', () => {
  for (const [language, options, suffix] of [['zh-CN', DESKTOP, 'zh'], ['en', DESKTOP, 'en'], ['zh-CN', PHONE, 'phone']] as const) {
    it(`/incidents stays in its frame; the Gi* legend is small and says why the district view is empty (${suffix})`, async () => {
      const context = await contextIn(language, options);
      const page = await context.newPage();
      await logIn(page, 'analyst', language);
      await page.waitForURL('**/incidents');
      await page.locator('.insights__card').first().waitFor();
      const frame = await boxOf(page, '.app__main');
      if (options === DESKTOP) {
        // Three columns, each inside the frame under the header; each scrolls on its own.
        for (const column of ['.incidents-panel', '.incidents-main', '.incidents-side']) {
          expect(inside(await boxOf(page, column), frame), column).toBe(true);
        }
        expect(await page.locator('.app__main').evaluate((el) => el.scrollHeight <= el.clientHeight + 1)).toBe(true);
        // The lowest insight card is reached by scrolling the middle column, not the page.
        const last = page.locator('.insights__card').last();
        await last.scrollIntoViewIfNeeded();
        expect(inside(await last.evaluate((el) => { const r = el.getBoundingClientRect(); return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, width: r.width, height: r.height }; }), frame)).toBe(true);
      }
      // Nothing runs past the right edge, at any size.
      const width = options.viewport.width;
      const [page_, main] = await page.evaluate(() => [document.documentElement.scrollWidth, document.querySelector('.app__main')!.scrollWidth]);
      expect(page_).toBeLessThanOrEqual(width);
      expect(main).toBeLessThanOrEqual(width);
      await saveScreenshot(page, `daily-10-incidents-${suffix}`);

      // Hot spots at the district scale: the map says why it shows none, and offers to zoom in.
      await page.getByLabel(language === 'en' ? 'Hotspots (Gi*)' : '热点分析（Gi*）').first().check();
      const hint = page.locator('.incident-map__hints').getByText(language === 'en' ? /computed per grid/ : /热点分析以网格为单元/);
      await hint.waitFor();
      expect(inside(await boxOf(page, '.incident-map__hints p'), await boxOf(page, '.incidents-mapwrap'))).toBe(true);
      await saveScreenshot(page, `daily-11-hotspots-district-${suffix}`);
      await page.getByRole('button', { name: language === 'en' ? 'Zoom to grids' : '放大到网格' }).click();
      await hint.waitFor({ state: 'detached' });
      await page.locator('.hotspot-legend').waitFor();
      await page.waitForTimeout(1000);
      const map = await boxOf(page, '.incidents-mapwrap');
      const legend = await boxOf(page, '.map-legend');
      expect(inside(legend, map)).toBe(true);
      // Compact: a small corner of the map (the method folded away).
      const share = (legend.width * legend.height) / (map.width * map.height);
      expect(share).toBeLessThan(options === DESKTOP ? 0.06 : 0.12);
      await expect(page.getByTestId('hotspot-method').isVisible()).resolves.toBe(false);
      await saveScreenshot(page, `daily-12-hotspots-grids-${suffix}`);
      await context.close();
    });
  }

  it('/report opens its map where the worker\'s grids were last time, before they arrive again', async () => {
    const context = await contextIn('zh-CN', PHONE);
    const page = await context.newPage();
    await logIn(page, 'grid_worker', 'zh-CN');
    await page.waitForURL('**/report');
    await page.waitForFunction(() => window.localStorage.getItem('wangge.report.view') !== null);
    const remembered = JSON.parse((await page.evaluate(() => window.localStorage.getItem('wangge.report.view')))!) as [number, number, number, number];
    // Again, with the grids held back for 6 s: the map already shows the remembered view.
    let gridsAnswered = false;
    await page.route('**/api/incidents/my-grids', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 6000));
      gridsAnswered = true;
      await route.continue().catch(() => {});
    });
    await page.reload();
    await page.waitForFunction(() => Boolean((document.querySelector('.report-map') as (HTMLElement & { wanggeMap?: unknown }) | null)?.wanggeMap), undefined, { timeout: 5000 });
    const camera = await page.evaluate(() => {
      const map = (document.querySelector('.report-map') as HTMLElement & { wanggeMap: { getCenter(): { lng: number; lat: number }; getZoom(): number } }).wanggeMap;
      return { ...map.getCenter(), zoom: map.getZoom() };
    });
    expect(gridsAnswered).toBe(false);
    expect(camera.lng).toBeGreaterThan(remembered[0]);
    expect(camera.lng).toBeLessThan(remembered[2]);
    expect(camera.lat).toBeGreaterThan(remembered[1]);
    expect(camera.lat).toBeLessThan(remembered[3]);
    expect(camera.zoom).toBeGreaterThan(12);
    await context.close();
  });

  it('/report keeps square zoom buttons on the map (zh, en, phone)', async () => {
    for (const [language, options, suffix] of [['zh-CN', PHONE, 'phone'], ['en', PHONE, 'en'], ['zh-CN', DESKTOP, 'zh']] as const) {
      const context = await contextIn(language, options);
      const page = await context.newPage();
      await logIn(page, 'grid_worker', language);
      await page.waitForURL('**/report');
      const zoomIn = page.locator('.report-map .maplibregl-ctrl-zoom-in');
      await zoomIn.waitFor();
      const button = await boxOf(page, '.report-map .maplibregl-ctrl-zoom-in');
      expect(Math.abs(button.width - button.height)).toBeLessThan(2);
      expect(button.width).toBeGreaterThanOrEqual(29);
      // The icon fills the button instead of being squeezed by the form's padding.
      const icon = await boxOf(page, '.report-map .maplibregl-ctrl-zoom-in .maplibregl-ctrl-icon');
      expect(icon.width).toBeGreaterThan(button.width - 4);
      expect(icon.height).toBeGreaterThan(button.height - 4);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(options.viewport.width);
      await page.locator('.report-map').scrollIntoViewIfNeeded();
      await saveScreenshot(page, `daily-13-report-${suffix}`);
      await context.close();
    }
  });
});
