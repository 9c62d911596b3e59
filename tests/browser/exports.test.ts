/**
 * Exports from the pages where the data are, driven in Chromium: a district's grids from /plan
 * (GeoJSON, then a CGCS2000 Shapefile of the street), the printable community map and the
 * coverage map as georeferenced PNGs (png + pgw + prj + aux.xml) read back by gdalinfo, the
 * facilities from /facilities and the incidents from /incidents. Screenshots under tests/screenshots/.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import type { Browser, BrowserContext, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuilt } from '../../server/web-build.js';
import { startTestServer } from '../helpers/app.js';
import { launchBrowser, saveScreenshot, signIn } from '../helpers/browser.js';
import { SCREENSHOT_DIR } from '../helpers/constants.js';
import { inTempDir } from '../helpers/gdal.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const COMMUNITY = '610402001003';
const sql = async (text: string, values: unknown[] = []) => (await server.db.pool.query(text, values)).rows;

async function loginAs(role: 'planner' | 'analyst') {
  await signIn(context, server.baseUrl, role);
}

beforeAll(async () => {
  await ensureWebBuilt(() => {});
  server = await startTestServer();
  browser = await launchBrowser();
  context = await browser.newContext({ locale: 'zh-CN', acceptDownloads: true, viewport: { width: 1500, height: 950 } });
  await loginAs('planner');
  page = await context.newPage();
  page.on('pageerror', (error) => console.error('[page error]', error.message));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const bytesOf = async (download: Download) => fs.readFileSync((await download.path())!);

/** gdalinfo -json of the PNG in a georeferenced zip (unpacked with its world file and aux.xml). */
async function gdalinfoOfZip(bytes: Buffer, screenshot: string) {
  const zip = await JSZip.loadAsync(bytes);
  const names = Object.keys(zip.files).sort();
  const png = names.find((n) => n.endsWith('.png'))!;
  expect(names).toEqual([png, `${png}.aux.xml`, png.replace(/\.png$/, '.pgw'), png.replace(/\.png$/, '.prj')].sort());
  const files = await Promise.all(names.map(async (n) => [n, await zip.file(n)!.async('nodebuffer')] as const));
  fs.mkdirSync(new URL('.', SCREENSHOT_DIR), { recursive: true });
  fs.writeFileSync(new URL(screenshot, SCREENSHOT_DIR), files.find(([n]) => n === png)![1]);
  return inTempDir((dir) => {
    for (const [n, content] of files) fs.writeFileSync(path.join(dir, n), content);
    return JSON.parse(execFileSync('gdalinfo', ['-json', path.join(dir, png)], { encoding: 'utf8' })) as {
      size: [number, number];
      geoTransform: number[];
      coordinateSystem: { wkt: string };
    };
  });
}

/** The image's extent in its map units, from gdalinfo's geotransform. */
const extentOf = (info: { size: [number, number]; geoTransform: number[] }) => {
  const [x0, a, , y0, , e] = info.geoTransform as [number, number, number, number, number, number];
  return { left: x0, top: y0, right: x0 + info.size[0] * a, bottom: y0 + info.size[1] * e, a, e };
};

describe('exports from the pages', () => {
  it('/plan: the whole district\'s grids as GeoJSON, and the street as a CGCS2000 Shapefile', async () => {
    const [c] = await sql(`SELECT c.name, s.name AS street FROM admin_area c JOIN admin_area s ON s.code = c.parent_code WHERE c.code = $1`, [COMMUNITY]);
    await page.goto(`${server.baseUrl}/plan`);
    await page.locator('.plan-map__canvas[data-map-ready="true"]').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: c.street, exact: true }).click();
    await page.getByRole('button', { name: c.name, exact: true }).click();
    await page.getByRole('tab', { name: '导入导出' }).click();
    const scope = page.getByLabel('范围', { exact: true });
    await expect(scope.locator('option').allInnerTexts()).resolves.toEqual([`本社区：${c.name}`, `本街道：${c.street}`, '全区：秦都区']);
    await scope.selectOption('610402');
    await page.getByLabel('格式', { exact: true }).selectOption('geojson');
    await page.getByText('GeoJSON 和表格固定为 WGS84 经纬度').waitFor();
    const [geojson] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出', exact: true }).click()]);
    expect(geojson.suggestedFilename()).toBe('grids-610402.geojson');
    const [{ n }] = await sql(`SELECT count(*)::int AS n FROM grid WHERE retired_at IS NULL AND community_code LIKE '610402%'`);
    expect(JSON.parse((await bytesOf(geojson)).toString('utf8')).features).toHaveLength(n);
    await page.getByText('已导出 grids-610402.geojson').waitFor();

    await scope.selectOption(COMMUNITY.slice(0, 9));
    await page.locator('.export-menu').getByLabel('格式', { exact: true }).selectOption('shp');
    await page.locator('.export-menu').getByLabel('坐标系', { exact: true }).selectOption('4490');
    await page.locator('.export-menu').scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'exports-01-plan-grid-menu');
    const [shp] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出', exact: true }).click()]);
    expect(shp.suggestedFilename()).toBe(`grids-${COMMUNITY.slice(0, 9)}-cgcs2000-shapefile.zip`);
    const zip = await JSZip.loadAsync(await bytesOf(shp));
    expect(await zip.file(/\.prj$/)[0]!.async('string')).toMatch(/China_Geodetic_Coordinate_System_2000/);
  });

  it('/plan: the printable community map as a georeferenced PNG that GDAL places over the community', async () => {
    const [zipped] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '带坐标的 PNG（png + pgw + prj）' }).click()]);
    expect(zipped.suggestedFilename()).toBe(`${COMMUNITY}-grids-png-pgw.zip`);
    const info = await gdalinfoOfZip(await bytesOf(zipped), 'exports-02-printable-map-georeferenced.png');
    expect(info.size).toEqual([1754, 1240]);
    expect(info.coordinateSystem.wkt).toMatch(/ID\["EPSG",3857\]/);
    const image = extentOf(info);
    expect(image.e).toBeCloseTo(-image.a, 9);
    // The community (and its grids) fill the map frame: inside the image, at least ~70 % of one side.
    const [b] = await sql(
      `SELECT ST_XMin(e) AS w, ST_YMin(e) AS s, ST_XMax(e) AS e, ST_YMax(e) AS n FROM (
         SELECT ST_Extent(ST_Transform(geom, 3857)) AS e FROM (SELECT geom FROM admin_area WHERE code = $1 UNION ALL SELECT geom FROM grid WHERE community_code = $1 AND retired_at IS NULL) x) y`, [COMMUNITY]);
    expect(b.w).toBeGreaterThan(image.left);
    expect(b.e).toBeLessThan(image.right);
    expect(b.n).toBeLessThan(image.top);
    expect(b.s).toBeGreaterThan(image.bottom);
    // The frame is 60 px in from the sides and 150 px below the top: the outline touches it on one axis.
    const touchesSides = Math.abs((b.w - image.left) / image.a - 60) < 1.5 && Math.abs((image.right - b.e) / image.a - 60) < 1.5;
    const touchesTopAndBottom = Math.abs((image.top - b.n) / -image.e - 150) < 1.5 && Math.abs((b.s - image.bottom) / -image.e - 110) < 1.5;
    expect(touchesSides || touchesTopAndBottom).toBe(true);
  });

  it('/coverage: the map with its title bar as a georeferenced PNG over the view on screen', async () => {
    await page.goto(`${server.baseUrl}/coverage`);
    await page.locator('.coverage-map__canvas[data-map-ready="true"]').waitFor({ timeout: 90_000 });
    await page.getByTestId('district-share').waitFor({ timeout: 60_000 });
    await page.waitForFunction(() => !document.querySelector('.coverage-busy'));
    const [zipped] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '带坐标的 PNG（png + pgw + prj）' }).click()]);
    const info = await gdalinfoOfZip(await bytesOf(zipped), 'exports-03-coverage-map-georeferenced.png');
    expect(info.coordinateSystem.wkt).toMatch(/ID\["EPSG",3857\]/);
    const image = extentOf(info);
    expect(image.e).toBeCloseTo(-image.a, 6);
    // The canvas is the map on screen: its size times the device pixel ratio, under a 56 px bar.
    const box = (await page.locator('.coverage-map__canvas canvas').boundingBox())!;
    expect(info.size).toEqual([Math.round(box.width), Math.round(box.height) + 56]);
    const [centre] = await sql(`SELECT ST_X(c) AS x, ST_Y(c) AS y FROM (SELECT ST_Transform(ST_Centroid(geom), 3857) AS c FROM admin_area WHERE code = '610402') d`);
    expect(centre.x).toBeGreaterThan(image.left);
    expect(centre.x).toBeLessThan(image.right);
    expect(centre.y).toBeLessThan(image.top);
    expect(centre.y).toBeGreaterThan(image.bottom);
    await saveScreenshot(page, 'exports-04-coverage-page');
  });

  it('/facilities: the facilities as an Excel sheet', async () => {
    await page.goto(`${server.baseUrl}/facilities`);
    const menu = page.locator('.export-menu');
    await menu.waitFor({ timeout: 30_000 });
    await menu.scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'exports-05-facilities-menu');
    const [excel] = await Promise.all([page.waitForEvent('download'), menu.getByRole('button', { name: '导出', exact: true }).click()]);
    expect(excel.suggestedFilename()).toBe('facilities.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await bytesOf(excel)) as never);
    const [{ n }] = await sql(`SELECT count(*)::int AS n FROM facility WHERE retired_at IS NULL`);
    expect(workbook.worksheets[0]!.rowCount).toBe(n + 1);
  });

  it('/incidents: the filtered incidents and the hexagon bins', async () => {
    await context.clearCookies();
    await loginAs('analyst');
    await page.goto(`${server.baseUrl}/incidents`);
    const menu = page.getByRole('region', { name: '导出事件' });
    await menu.waitFor({ timeout: 30_000 });
    await page.getByText(/共 [\d,]+ 件/).first().waitFor({ timeout: 30_000 }).catch(() => undefined);
    await menu.getByLabel('格式', { exact: true }).selectOption('csv');
    const [csv] = await Promise.all([page.waitForEvent('download'), menu.getByRole('button', { name: '导出', exact: true }).click()]);
    expect(csv.suggestedFilename()).toMatch(/^incidents-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    const bytes = await bytesOf(csv);
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = bytes.toString('utf8').trim().split('\r\n');
    expect(lines[0]).toMatch(/^编号,工单号,类别/);
    expect(lines.length).toBeGreaterThan(10);
    const [hexagons] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '六边形统计（GeoJSON）' }).click()]);
    const collection = JSON.parse((await bytesOf(hexagons)).toString('utf8'));
    expect(collection.features.length).toBeGreaterThan(10);
    await menu.scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'exports-06-incidents-menu');
  });
});
