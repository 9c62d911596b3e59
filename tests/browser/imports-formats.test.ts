/**
 * Files as planners and analysts have them, through the pages: a GeoPackage of a community's
 * grids drawn on Amap (GCJ-02) that does not state its coordinate system — the page asks for
 * one; read as WGS84 the preview is drawn off the district's grids and says it looks like
 * GCJ-02; one click reads it so and it fits — then an incident workbook with real Excel date
 * cells, whose coordinate system the page asks for before the preview. Chinese and English,
 * screenshots at every step.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import gcoord from 'gcoord';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ensureWebBuilt } from '../../server/web-build.js';
import type { Role } from '../../server/modules/auth/roles.js';
import { startTestServer } from '../helpers/app.js';
import { launchBrowser, saveScreenshot, signIn } from '../helpers/browser.js';
import { ogr2ogr } from '../helpers/gdal.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server;
let browser: Browser;
const COMMUNITY = '610402001003';
let streetName: string;
let communityName: string;
let original: { code: string; geometry: { coordinates: number[][][][] } }[];
const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wangge-formats-'));

const sql = async (text: string, values: unknown[] = []) => (await server.db.pool.query(text, values)).rows;

async function pageAs(role: Role, height = 950): Promise<Page> {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1500, height } });
  await signIn(context, server.baseUrl, role);
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('[page error]', error.message));
  return page;
}

beforeAll(async () => {
  await ensureWebBuilt(() => {});
  server = await startTestServer();
  browser = await launchBrowser();
  const [c] = await sql(`SELECT c.name, s.name AS street FROM admin_area c JOIN admin_area s ON s.code = c.parent_code WHERE c.code = $1`, [COMMUNITY]);
  communityName = c.name;
  streetName = c.street;
  original = await sql(
    `SELECT code, name, households, residents, ST_AsGeoJSON(ST_Multi(geom), 9)::json AS geometry
       FROM grid WHERE community_code = $1 AND retired_at IS NULL ORDER BY code`, [COMMUNITY]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  fs.rmSync(tempDir, { recursive: true, force: true });
});

describe('a GeoPackage of grids drawn on Amap', () => {
  it('asks for the coordinate system, shows the offset over the district with the GCJ-02 hint, then fits when read as GCJ-02', async () => {
    // The community's grids as Amap shows them (GCJ-02), in a GeoPackage that states no system.
    const amap = {
      type: 'FeatureCollection',
      features: original.map((g) => ({
        type: 'Feature',
        properties: { code: g.code, name: (g as unknown as { name: string }).name },
        geometry: gcoord.transform(g.geometry as never, gcoord.WGS84, gcoord.GCJ02),
      })),
    };
    fs.writeFileSync(path.join(tempDir, 'amap.geojson'), JSON.stringify(amap));
    const gpkg = path.join(tempDir, '网格-高德.gpkg');
    ogr2ogr(['-f', 'GPKG', '-a_srs', 'None', gpkg, path.join(tempDir, 'amap.geojson')]);

    const page = await pageAs('planner', 1250);
    await page.goto(`${server.baseUrl}/plan`);
    await page.locator('.plan-map__canvas[data-map-ready="true"]').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: streetName, exact: true }).click();
    await page.getByRole('button', { name: communityName, exact: true }).click();
    await page.getByRole('tab', { name: '导入导出' }).click();
    // The file picker is a button in the page's language, with the chosen file named beside it.
    await expect(page.getByText('选择文件…').first().isVisible()).resolves.toBe(true);
    await page.getByLabel('文件（GeoJSON、Shapefile 压缩包、KML）').setInputFiles(gpkg);
    await page.getByText('网格-高德.gpkg').waitFor();
    await page.getByRole('button', { name: '预览', exact: true }).click();
    await page.getByText('文件没有写明坐标系：请在“坐标系”中选择后再预览。').waitFor();
    const crs = page.locator('select[aria-invalid="true"]');
    await expect(crs.count()).resolves.toBe(1);
    await crs.scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'imports-01-geopackage-asks-crs');

    // Read as WGS84 (the usual mistake): drawn ~500 m off the district's grids, and the page says why.
    await crs.selectOption('wgs84');
    await page.getByRole('button', { name: '预览', exact: true }).click();
    const hint = page.locator('.crs-hint');
    await hint.waitFor({ timeout: 20_000 });
    await expect(hint.textContent()).resolves.toMatch(/^看起来是 GCJ-02（高德、腾讯） 坐标/);
    await page.waitForTimeout(800);
    await hint.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await saveScreenshot(page, 'imports-02-gcj02-hint-over-the-district');

    await page.getByRole('button', { name: '改用 GCJ-02（高德、腾讯） 重新预览' }).click();
    // Read as GCJ-02 the grids sit on the district's own: no hint.
    await hint.waitFor({ state: 'detached', timeout: 20_000 });
    await page.getByText(new RegExp(`${original.length} 个要素：新建 0，更新 ${original.length}`)).waitFor({ timeout: 20_000 });
    await expect(page.getByLabel('坐标系').first().inputValue()).resolves.toBe('gcj02');
    await page.waitForTimeout(800);
    await saveScreenshot(page, 'imports-03-read-as-gcj02-fits');

    // English: the same file read as WGS84 again, the hint in English.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByLabel('Coordinate system').first().selectOption('wgs84');
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    await hint.waitFor({ timeout: 20_000 });
    await expect(hint.textContent()).resolves.toMatch(/^These look like GCJ-02 \(Amap, Tencent\) coordinates/);
    await expect(page.getByText('Choose file…').first().isVisible()).resolves.toBe(true);
    await page.waitForTimeout(800);
    await hint.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await saveScreenshot(page, 'imports-04-gcj02-hint-en');
    await page.context().close();
  }, 150_000);
});

describe('an incident workbook with real Excel date cells', () => {
  it('asks for the coordinate system, then previews every row with its China time and imports', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('12345工单');
    sheet.addRow(['工单编号', '类别', '诉求内容', '经度', '纬度', '来电时间']);
    const times = [[2025, 8, 9, 8, 30], [2025, 8, 9, 14, 5], [2025, 8, 10, 9, 45]] as const;
    times.forEach(([y, m, d, h, mi], i) => sheet.addRow([`XLS-UI-${i + 1}`, 'sanitation', `楼道堆物 ${i + 1}`, 108.715 + i * 0.001, 34.325, new Date(Date.UTC(y, m, d, h, mi))]));
    sheet.getColumn(6).numFmt = 'yyyy"年"m"月"d"日" hh:mm';
    sheet.getColumn(6).width = 22;
    const file = path.join(tempDir, '12345工单.xlsx');
    await workbook.xlsx.writeFile(file);

    const page = await pageAs('analyst');
    await page.goto(`${server.baseUrl}/incidents`);
    await page.getByText('批量导入（CSV / Excel）').click();
    await page.getByLabel('文件（.csv 或 .xlsx）').setInputFiles(file);
    await page.getByText('12345工单.xlsx').waitFor();
    await page.getByRole('button', { name: '预览检查' }).click();
    await page.getByText('表格不写坐标系：请先选择经纬度所用的坐标系。').waitFor();
    await page.locator('.import-panel').scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'imports-05-workbook-asks-crs');

    await page.locator('.import-panel select[aria-invalid="true"]').selectOption('wgs84');
    await page.getByRole('button', { name: '预览检查' }).click();
    await page.getByText('共 3 行：将新建 3 件，已导入过 0 件，错误 0 处。有错误时不会导入任何一行。').waitFor({ timeout: 20_000 });
    // The rows drawn where they would land, over the district's areas, grids and roads.
    await page.getByText('地图上是文件前 3 行的位置（蓝色在辖区内，红色在辖区外）', { exact: false }).waitFor();
    await page.locator('[data-testid="incident-import-map"] canvas').waitFor({ timeout: 20_000 });
    await page.waitForTimeout(1500);
    await page.locator('.import-panel').scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'imports-06-workbook-preview');
    await page.getByRole('button', { name: '导入', exact: true }).click();
    await page.getByText('导入完成：新建 3 件，跳过已存在 0 件。').waitFor({ timeout: 30_000 });
    const rows = await sql(`SELECT external_id, reported_at FROM incident WHERE external_id LIKE 'XLS-UI-%' ORDER BY external_id`);
    expect(rows.map((r) => [r.external_id, (r.reported_at as Date).toISOString()])).toEqual([
      ['XLS-UI-1', '2025-09-09T00:30:00.000Z'], ['XLS-UI-2', '2025-09-09T06:05:00.000Z'], ['XLS-UI-3', '2025-09-10T01:45:00.000Z'],
    ]);

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('button', { name: 'Check (preview)' }).click();
    await page.getByText('3 rows: 0 new, 3 already imported, 0 errors. With any error nothing is imported.').waitFor({ timeout: 20_000 });
    await expect(page.getByText('Choose file…').first().isVisible()).resolves.toBe(true);
    await page.locator('.import-panel').scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'imports-07-workbook-preview-en');
    await page.context().close();
  }, 150_000);
});
