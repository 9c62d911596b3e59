/**
 * The analyst's report in Chromium on the demo district, in Chinese and in English: the report
 * page of last month with its figures as the API gives them, the Excel workbook downloaded from
 * the page and read back, and the PDF made by printing the page (A4), whose pages are turned into
 * PNG images (pdftoppm) in tests/screenshots/ to be looked at. On /incidents: the two overdue counts
 * named for what they count, the list's search, overdue filter, sort and export link, and a closed
 * incident's 办理记录.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ensureWebBuilt } from '../../server/web-build.js';
import { startTestServer } from '../helpers/app.js';
import { launchBrowser, saveScreenshot } from '../helpers/browser.js';
import { SCREENSHOT_DIR, TEST_ANCHOR_DATE } from '../helpers/constants.js';
import type { ReportReply } from '../../server/modules/incidents/report-schemas.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;

let server: Server;
let browser: Browser;
let analystCookie: string;
const shots = fileURLToPath(SCREENSHOT_DIR);

/** The last whole month of the demo's incidents (China time), as the API's from/to. */
function lastMonth(): { from: string; to: string } {
  const anchor = TEST_ANCHOR_DATE; // the first of a month
  const first = (yy: number, mm: number) => new Date(Date.UTC(yy, mm, 1)).toISOString().slice(0, 10);
  return { from: first(anchor.getUTCFullYear(), anchor.getUTCMonth() - 1), to: first(anchor.getUTCFullYear(), anchor.getUTCMonth()) };
}

async function contextAs(language: 'zh-CN' | 'en', options: Parameters<Browser['newContext']>[0] = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: language, acceptDownloads: true, ...options });
  await context.addInitScript((lang) => window.localStorage.setItem('wangge.language', lang), language);
  const [name, value] = analystCookie.split('=') as [string, string];
  await context.addCookies([{ name, value, url: server.baseUrl }]);
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('[page error]', error.message));
  page.on('response', (response) => response.status() >= 400 && console.error('[http]', response.status(), response.url()));
  return { context, page };
}

beforeAll(async () => {
  await ensureWebBuilt(() => {});
  server = await startTestServer();
  browser = await launchBrowser();
  analystCookie = await server.loginAs('analyst');
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const month = lastMonth();

async function apiReport(): Promise<ReportReply> {
  const res = await server.app.inject({ method: 'GET', url: `/api/incidents/report?from=${month.from}&to=${month.to}`, headers: { cookie: analystCookie } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** Prints the page to an A4 PDF, turns each page into a PNG, and returns the PNGs' paths. */
async function printToPngs(page: Page, name: string): Promise<string[]> {
  fs.mkdirSync(shots, { recursive: true });
  const pdfPath = `${shots}${name}.pdf`;
  await page.emulateMedia({ media: 'print' });
  await page.pdf({ path: pdfPath, format: 'A4', printBackground: true, preferCSSPageSize: true });
  await page.emulateMedia({ media: 'screen' });
  const pdf = fs.readFileSync(pdfPath);
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  for (const old of fs.readdirSync(shots).filter((f) => f.startsWith(`${name}-page`))) fs.rmSync(`${shots}${old}`);
  execFileSync('pdftoppm', ['-r', '70', '-png', pdfPath, `${shots}${name}-page`]);
  return fs.readdirSync(shots).filter((f) => f.startsWith(`${name}-page`) && f.endsWith('.png')).sort().map((f) => `${shots}${f}`);
}

describe('the report page, its workbook and its PDF', () => {
  for (const language of ['zh-CN', 'en'] as const) {
    it(`shows last month's report with the API's figures, downloads the workbook and prints to A4 (${language})`, async () => {
      const expected = await apiReport();
      expect(expected.kind).toBe('month');
      expect(expected.total.current.reported).toBeGreaterThan(100);
      const { context, page } = await contextAs(language, { viewport: { width: 1280, height: 900 } });
      await page.goto(`${server.baseUrl}/incidents/report?kind=month&from=${month.from}&to=${month.to}`);
      const title = page.getByRole('heading', { level: 1 });
      await title.waitFor({ timeout: 60_000 });
      await expect.poll(() => title.textContent()).toContain(language === 'en' ? 'monthly report' : '月报');
      // The figures on the page are the API's, with thousands separators.
      const summary = page.getByTestId('report-summary');
      const reportedRow = summary.locator('tbody tr').first();
      const reported = expected.total.current.reported.toLocaleString(language === 'en' ? 'en-GB' : 'zh-CN');
      expect(await reportedRow.locator('td').first().textContent()).toBe(reported);
      const rate = expected.total.current.closureRate;
      expect(await summary.locator('tbody tr').nth(3).locator('td').first().textContent()).toBe(rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);
      // The map and the chart are images with their legends, scale bar and dates.
      const map = page.locator('svg.report-map');
      expect(await map.locator('path.report-map__grid').count()).toBe(expected.hotspots.grids.length);
      expect(await map.locator('.report-map__scale').textContent()).toMatch(/\d+ k?m/);
      expect(await map.textContent()).toContain(language === 'en' ? 'Hot spot 99%' : '热点 99%');
      expect(await map.textContent()).toContain(month.from);
      expect(await page.locator('svg.report-chart rect.report-chart__bar').count()).toBeGreaterThanOrEqual(28 + 1);
      expect(await page.getByTestId('overdue-note').textContent()).toContain(expected.overdue.total.toLocaleString(language === 'en' ? 'en-GB' : 'zh-CN'));
      await saveScreenshot(page, `incident-report-${language}`);

      // The workbook, from the page's own link.
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: language === 'en' ? 'Download Excel' : '下载 Excel' }).click()]);
      const file = `${shots}incident-report-${language}.xlsx`;
      await download.saveAs(file);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(file);
      expect(workbook.worksheets.map((s) => s.name)).toEqual(['封面', '总体指标', '分类指标', '分街道指标', '网格排名', '趋势', '热点网格', '超期清单']);
      expect(workbook.getWorksheet('总体指标')!.getRow(2).getCell(2).value).toBe(expected.total.current.reported);
      expect(workbook.getWorksheet('分街道指标')!.rowCount).toBe(expected.byArea.length + 1);

      // The PDF: the page printed by Chromium, A4, several pages.
      const pngs = await printToPngs(page, `incident-report-${language}`);
      expect(pngs.length).toBeGreaterThanOrEqual(3);
      const first = execFileSync('pdfinfo', [`${shots}incident-report-${language}.pdf`]).toString();
      expect(first).toMatch(/Page size:\s+59[45]\.\d+ x 841\.\d+ pts \(A4\)/);
      // The PDF is titled as the report (the page's document title).
      expect(first).toMatch(language === 'en' ? /Title:\s+秦都区: incident handling monthly report/ : /Title:\s+秦都区事件办理月报/);
      await context.close();
    }, 180_000);
  }

  for (const language of ['zh-CN', 'en'] as const) {
    it(`fits a phone (${language}): the page no wider than the screen, wide tables scrolling inside`, async () => {
      const { context, page } = await contextAs(language, { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
      await page.goto(`${server.baseUrl}/incidents/report?kind=month&from=${month.from}&to=${month.to}`);
      await page.getByTestId('report-summary').waitFor({ timeout: 60_000 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await saveScreenshot(page, `incident-report-phone-${language}`);
      await context.close();
    }, 120_000);
  }
});

describe('/incidents: the two overdue counts, the list and the handling history', () => {
  it('names both overdue counts, filters, sorts and links the export with the list’s filters', async () => {
    const { context, page } = await contextAs('zh-CN', { viewport: { width: 1440, height: 1000 } });
    await page.goto(`${server.baseUrl}/incidents`);
    const reportedOverdue = page.getByTestId('overdue-reported');
    const dueOpen = page.getByTestId('overdue-due-open');
    await reportedOverdue.waitFor({ timeout: 60_000 });
    await dueOpen.waitFor({ timeout: 60_000 });
    expect(await reportedOverdue.textContent()).toMatch(/^其中超期 [\d,]+ 件$/);
    expect(await dueOpen.textContent()).toMatch(/^期内到期未结 [\d,]+ 件$/);
    expect(await reportedOverdue.getAttribute('title')).toContain('超过办理期限');
    expect(await dueOpen.getAttribute('title')).toContain('办理期限落在本时段内');

    // Overdue only, sorted by deadline: every listed incident carries the overdue chip.
    await page.locator('.incident-list-controls select').first().selectOption('true');
    await page.locator('.incident-list-controls select').nth(1).selectOption('dueAt:asc');
    await expect.poll(async () => page.locator('.incident-list li').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await expect.poll(async () => (await page.locator('.incident-list li').count()) - (await page.locator('.incident-list li .overdue-chip').count()), { timeout: 30_000 }).toBe(0);
    await page.getByLabel('搜索').fill('楼');
    // The export menu sends the list's own filters: text, overdue and order.
    await page.waitForTimeout(1500); // the text reaches the list's query after a pause in typing
    const menu = page.getByRole('region', { name: '导出事件' });
    await menu.getByLabel('格式', { exact: true }).selectOption('csv');
    const [request] = await Promise.all([
      page.waitForRequest((r) => r.url().includes('/api/incidents/export'), { timeout: 30_000 }),
      menu.getByRole('button', { name: '导出', exact: true }).click(),
    ]);
    const exportUrl = new URL(request.url());
    expect(Object.fromEntries(exportUrl.searchParams)).toMatchObject({ overdue: 'true', sort: 'dueAt', order: 'asc', q: '楼', format: 'csv' });
    expect(await page.locator('.incident-list-controls select').nth(1).locator('option:checked').textContent()).toBe('办理时限（早→晚）');
    await saveScreenshot(page, 'incidents-list-filters-zh-CN');

    // A closed incident's handling history: report, then every step to closure.
    await page.getByLabel('搜索').fill('');
    await page.locator('.incident-list-controls select').first().selectOption('');
    const firstItem = page.locator('.incident-list li button').first();
    const sorted = page.waitForResponse((r) => r.url().includes('/api/incidents?') && r.url().includes('sort=closedAt') && !r.url().includes('overdue=') && !r.url().includes('q='));
    await page.locator('.incident-list-controls select').nth(1).selectOption('closedAt:desc');
    const newest = (await (await sorted).json()).incidents[0];
    expect(newest.status).toBe('closed');
    await expect.poll(async () => firstItem.textContent(), { timeout: 30_000 }).toContain(`#${newest.id} `);
    await firstItem.click();
    const history = page.locator('.incident-detail__history li');
    await expect.poll(() => history.count(), { timeout: 30_000 }).toBe(6);
    expect((await history.allTextContents()).map((s) => s.split(' · ')[1])).toEqual(['上报', '受理/立案', '派遣', '处置', '核查', '结案']);
    await saveScreenshot(page, 'incidents-history-zh-CN');
    await context.close();
  }, 180_000);
});
