/**
 * The ground under the public map: roads from Wangge's own tiles with street names drawn along
 * them (glyphs from /api/glyphs), with no request to any other server. Screenshots under
 * tests/screenshots/ for a person to look at.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ensureWebBuilt } from '../../server/web-build.js';
import { startTestServer } from '../helpers/app.js';
import { launchBrowser, saveScreenshot } from '../helpers/browser.js';
import { roadsAround, seedRoads } from '../fixtures/roads/seed.js';
import { makeMbtiles } from '../fixtures/basemap/make.js';
import { DEMO_ACCOUNTS } from '../../server/demo/accounts.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;

let server: Server;
let browser: Browser;
let page: Page;
let basemapDir: string;
let centre: { lon: number; lat: number };
const requested: URL[] = [];
/** Glyph ranges asked for and not yet answered. */
let glyphsPending = 0;

beforeAll(async () => {
  await ensureWebBuilt(() => {});
  basemapDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wangge-basemaps-'));
  server = await startTestServer({ env: { BASEMAP_DIR: basemapDir } });
  // Roads through the centre of the first view (the middle, in Web Mercator, of the district's bounds).
  const bounds = ((await (await fetch(`${server.baseUrl}/api/tiles/areas.json`)).json()) as { bounds: number[] }).bounds;
  const y = (lat: number) => Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360));
  const midY = (y(bounds[1]!) + y(bounds[3]!)) / 2;
  centre = { lon: (bounds[0]! + bounds[2]!) / 2, lat: ((2 * Math.atan(Math.exp(midY)) - Math.PI / 2) * 180) / Math.PI };
  await seedRoads(server.db.pool, roadsAround(centre.lon, centre.lat));
  browser = await launchBrowser();
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 800 } });
  context.on('request', (request) => {
    requested.push(new URL(request.url()));
    if (request.url().includes('/api/glyphs/')) glyphsPending++;
  });
  const settled = (request: { url(): string }) => {
    if (request.url().includes('/api/glyphs/')) glyphsPending--;
  };
  context.on('requestfinished', settled);
  context.on('requestfailed', settled);
  page = await context.newPage();
  page.on('pageerror', (error) => console.error('[page error]', error.message));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  fs.rmSync(basemapDir, { recursive: true, force: true });
});

describe('roads under the public map', () => {
  it('draws the roads and, at street zoom, their names, with no outside request', async () => {
    await page.goto(`${server.baseUrl}/`);
    await page.locator('.public-map__canvas[data-map-ready="true"]').waitFor({ timeout: 30_000 });
    const canvas = page.locator('.public-map__maplibre canvas');
    await canvas.focus();
    // Zoom in on the centre (keyboard zoom keeps the centre) until street zoom.
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('Equal');
      await page.waitForTimeout(700);
    }
    await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => /\/api\/glyphs\/.+\/\d+-\d+\.pbf/.test(e.name)), null, { timeout: 60_000 });
    // Labels show once every glyph range of their characters is in (built on first request).
    const deadline = Date.now() + 60_000;
    while (glyphsPending > 0 && Date.now() < deadline) await page.waitForTimeout(250);
    expect(glyphsPending).toBe(0);
    await page.waitForTimeout(2500);
    await saveScreenshot(page, 'ground-roads-with-names');

    const roadTiles = requested.filter((u) => /^\/api\/tiles\/roads\/(1[5-9])\//.test(u.pathname));
    expect(roadTiles.length).toBeGreaterThan(0);
    const glyphs = requested.filter((u) => u.pathname.startsWith('/api/glyphs/'));
    // The names' Chinese characters come from Wangge's glyph ranges (渭 U+6E2D is in 28160-28415).
    expect(glyphs.map((u) => decodeURIComponent(u.pathname))).toContain('/api/glyphs/Noto Sans CJK SC Regular/28160-28415.pbf');
    const outside = requested.filter((u) => u.origin !== server.baseUrl && u.protocol !== 'data:' && u.protocol !== 'blob:');
    expect(outside.map((u) => u.href)).toEqual([]);
  }, 120_000);

  it('an admin installs an MBTiles basemap on the accounts page, and the public map draws it under the roads', async () => {
    const account = DEMO_ACCOUNTS.find((a) => a.role === 'admin')!;
    const admin = await browser.newPage({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    admin.on('request', (request) => requested.push(new URL(request.url())));
    await admin.goto(`${server.baseUrl}/login`);
    await admin.getByLabel('用户名').fill(account.username);
    await admin.getByLabel('密码', { exact: true }).fill(account.password);
    await admin.getByRole('button', { name: '登录', exact: true }).click();
    await admin.waitForURL((url) => !url.pathname.startsWith('/login'));
    await admin.goto(`${server.baseUrl}/admin/users`);
    const section = admin.locator('.admin-basemap');
    await section.getByText('未安装离线底图').waitFor();
    await section.locator('input[type=file]').setInputFiles({ name: '秦都区影像.mbtiles', mimeType: 'application/octet-stream', buffer: makeMbtiles('秦都区影像底图') });
    await section.getByRole('button', { name: '安装' }).click();
    // The upload ends with a sentence either way: a refusal is said here, not left to a timeout.
    const said = section.locator('p[role=status].success, p[role=status].error').filter({ hasText: /\S/ });
    await said.waitFor({ timeout: 60_000 });
    await expect(said.textContent()).resolves.toBe('已安装 秦都区影像底图。重新打开地图页面即可看到。');
    await section.getByText('已安装：秦都区影像底图').waitFor({ timeout: 30_000 });
    await section.scrollIntoViewIfNeeded();
    await saveScreenshot(admin, 'ground-admin-basemap-installed');
    expect(fs.readdirSync(basemapDir).sort()).toEqual(['basemap.json', 'basemap.mbtiles']);

    const from = requested.length;
    await page.goto(`${server.baseUrl}/`);
    await page.locator('.public-map__canvas[data-map-ready="true"]').waitFor({ timeout: 30_000 });
    await expect.poll(() => requested.slice(from).some((u) => u.pathname.startsWith('/api/basemap/tiles/')), { timeout: 20_000 }).toBe(true);
    await page.waitForTimeout(2500);
    await saveScreenshot(page, 'ground-public-map-with-basemap-file');
    const outside = requested.filter((u) => u.origin !== server.baseUrl && u.protocol !== 'data:' && u.protocol !== 'blob:');
    expect(outside.map((u) => u.href)).toEqual([]);

    await section.getByRole('button', { name: '移除底图' }).click();
    await section.getByText('未安装离线底图').waitFor();
    expect(fs.readdirSync(basemapDir)).toEqual([]);
    await admin.close();
  }, 120_000);

  it('/plan draws the same roads and names under the grids', async () => {
    const account = DEMO_ACCOUNTS.find((a) => a.role === 'planner')!;
    const planner = await browser.newPage({ locale: 'zh-CN', viewport: { width: 1280, height: 800 } });
    const from = requested.length;
    planner.on('request', (request) => requested.push(new URL(request.url())));
    await planner.goto(`${server.baseUrl}/login`);
    await planner.getByLabel('用户名').fill(account.username);
    await planner.getByLabel('密码', { exact: true }).fill(account.password);
    await planner.getByRole('button', { name: '登录', exact: true }).click();
    await planner.waitForURL((url) => !url.pathname.startsWith('/login'));
    await planner.goto(`${server.baseUrl}/plan`);
    await planner.locator('.plan-map__canvas[data-map-ready="true"]').waitFor({ timeout: 30_000 });
    await planner.evaluate(({ lon, lat }) => {
      const map = (document.querySelector('.plan-map__canvas') as unknown as { wanggeMap: { jumpTo(o: object): void } }).wanggeMap;
      map.jumpTo({ center: [lon, lat], zoom: 16.3 });
    }, centre);
    await expect.poll(() => requested.slice(from).some((u) => /^\/api\/tiles\/roads\/16\//.test(u.pathname)), { timeout: 15_000 }).toBe(true);
    await planner.waitForTimeout(3000);
    await saveScreenshot(planner, 'ground-plan-roads-with-names');
    const outside = requested.filter((u) => u.origin !== server.baseUrl && u.protocol !== 'data:' && u.protocol !== 'blob:');
    expect(outside.map((u) => u.href)).toEqual([]);
    await planner.close();
  }, 120_000);
});
