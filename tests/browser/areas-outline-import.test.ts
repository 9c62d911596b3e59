/**
 * The outline import on /areas, driven in Chromium as the demo planner: part of 金水区 (410105)
 * is added to the demo database beside Qindu, a file of three community outlines is previewed
 * (one matched, one ambiguous, one unmatched: on the map and in the table), the planner picks the
 * area for the ambiguous one and skips the unmatched one, and the import runs as a job with
 * progress. Screenshots under tests/screenshots/.
 */
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ensureWebBuilt } from '../../server/web-build.js';
import { DEMO_ACCOUNTS } from '../../server/demo/accounts.js';
import { startTestServer } from '../helpers/app.js';
import { launchBrowser, saveScreenshot, signIn } from '../helpers/browser.js';
import { AREA_FIXTURE_DIR, FENGLE_006, YANGGUANG, insertJinshui } from '../fixtures/areas/fixtures.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server;
let browser: Browser;
let page: Page;
const planner = DEMO_ACCOUNTS.find((a) => a.role === 'planner')!;
const errors: string[] = [];

beforeAll(async () => {
  await ensureWebBuilt(() => {});
  server = await startTestServer();
  await insertJinshui(server.db.pool, { accounts: false });
  browser = await launchBrowser();
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1400, height: 1000 } });
  await signIn(context, server.baseUrl, planner);
  page = await context.newPage();
  page.on('pageerror', (error) => errors.push(error.message));
}, 180_000);

afterEach(async (context) => {
  if (context.task.result?.state === 'fail' && page) await saveScreenshot(page, `areas-outline-import-failed-${context.task.name.slice(0, 30).replace(/[^a-z0-9]+/gi, '-')}`);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('/areas outline import', () => {
  it('previews a file: matched, ambiguous and unmatched features on the map and in the table', async () => {
    await page.goto(`${server.baseUrl}/areas`);
    const section = page.getByRole('region', { name: '导入边界' });
    await section.getByLabel('文件', { exact: true }).setInputFiles(path.join(AREA_FIXTURE_DIR, 'unmatched-and-ambiguous-names.geojson'));
    await section.getByLabel('层级').selectOption('community');
    await section.getByRole('button', { name: '预览' }).click();
    await expect.poll(() => section.getByText('共 3 个要素：已匹配 1，未匹配 1，有歧义 1，跳过 0。').count(), { timeout: 20_000 }).toBe(1);
    const rows = section.getByRole('table', { name: '要素与区划的匹配' }).getByRole('row');
    expect(await rows.count()).toBe(4);
    expect(await rows.nth(1).innerText()).toMatch(/阳光社区[\s\S]*已匹配/);
    expect(await rows.nth(2).innerText()).toMatch(/丰乐社区[\s\S]*有歧义/);
    expect(await rows.nth(3).innerText()).toMatch(/龙子湖畔社区[\s\S]*未匹配/);
    await expect.poll(() => section.getByRole('button', { name: /导入 1 个边界/ }).isDisabled()).toBe(true);
    // The map has drawn (its canvas is there and the features are framed).
    await expect.poll(() => section.locator('.outline-import__map canvas').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await page.waitForTimeout(1500);
    await saveScreenshot(page, 'areas-outline-import-preview');
    // Each finding and the table's note in Chinese, the names from the file as they are.
    // Found by its class: the section's name changes with the language.
    const findings = page.locator('.outline-import__findings li');
    await expect.poll(() => findings.allInnerTexts()).toEqual([
      '第 2 个要素（丰乐社区）：对应不唯一（有 2 个区域名为 丰乐社区）；请选择区域或跳过',
      '第 3 个要素（龙子湖畔社区）：未对应到任何社区（村）（没有名为 龙子湖畔社区 的社区（村））；请手动对应或跳过',
    ]);
    expect(await rows.nth(3).innerText()).toContain('没有名为 龙子湖畔社区 的社区（村）');
    await findings.first().scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'areas-outline-import-findings');
    // On a phone, in English: the same findings in English.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => findings.allInnerTexts()).toEqual([
      'feature 2 (丰乐社区): ambiguous (2 areas are called 丰乐社区); choose the area or skip it',
      'feature 3 (龙子湖畔社区): not matched to any community (no community is called 龙子湖畔社区); match it by hand or skip it',
    ]);
    await findings.first().scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'areas-outline-import-findings-english-phone');
    await page.getByRole('button', { name: '中文' }).click();
    await page.setViewportSize({ width: 1400, height: 1000 });
    await expect.poll(() => findings.first().innerText()).toMatch(/^第 2 个要素/);
  });

  it('lets the planner fix the match and skip a feature, then imports as a job with progress', async () => {
    const section = page.getByRole('region', { name: '导入边界' });
    await section.getByLabel('要素 2 的对应区划').selectOption(FENGLE_006);
    await expect.poll(() => section.getByText(/已匹配 2，未匹配 1，有歧义 0/).count(), { timeout: 20_000 }).toBe(1);
    await section.getByLabel('要素 3 的对应区划').selectOption('__skip');
    await expect.poll(() => section.getByText('共 3 个要素：已匹配 2，未匹配 0，有歧义 0，跳过 1。').count(), { timeout: 20_000 }).toBe(1);
    await page.waitForTimeout(800);
    await saveScreenshot(page, 'areas-outline-import-fixed');
    await section.getByRole('button', { name: '导入 2 个边界' }).click();
    await expect.poll(() => section.getByText('已导入 2 个社区（村）边界。').count(), { timeout: 30_000 }).toBe(1);
    await saveScreenshot(page, 'areas-outline-import-done');
    const { rows } = await server.db.pool.query(`SELECT code FROM admin_area WHERE outline_source = 'import' ORDER BY code`);
    expect(rows.map((r) => r.code)).toEqual([YANGGUANG, FENGLE_006]);
  });

  it('works in English too: five communities, by code and by name', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    const section = page.getByRole('region', { name: 'Import outlines' });
    await section.getByLabel('File', { exact: true }).setInputFiles(path.join(AREA_FIXTURE_DIR, 'jinshui-five-communities.geojson'));
    await section.getByRole('button', { name: 'Preview' }).click();
    await expect.poll(() => section.getByText('5 features: 5 matched, 0 unmatched, 0 ambiguous, 0 skipped.').count(), { timeout: 20_000 }).toBe(1);
    expect(await section.getByRole('button', { name: 'Import 5 outline(s)' }).isEnabled()).toBe(true);
    await page.waitForTimeout(1500);
    await saveScreenshot(page, 'areas-outline-import-english');
    await page.getByRole('button', { name: '中文' }).click();
  });

  it('says clearly why a file is refused', async () => {
    const section = page.getByRole('region', { name: '导入边界' });
    await section.getByLabel('文件', { exact: true }).setInputFiles({ name: 'outlines.dwg', mimeType: 'application/octet-stream', buffer: Buffer.from('AC1032') });
    await section.getByRole('button', { name: '预览' }).click();
    // In the UI's language, naming the file and the formats it could have been.
    await expect.poll(() => section.getByRole('alert').innerText(), { timeout: 20_000 }).toMatch(/文件 outlines\.dwg 的格式不支持；可导入：.*\.zip/);
    await expect(section.getByRole('alert').innerText()).resolves.not.toMatch(/can be imported/);
    await saveScreenshot(page, 'areas-outline-import-refused');
    expect(errors).toEqual([]);
  });
});
