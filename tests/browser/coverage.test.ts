/**
 * The coverage page at `/coverage`, driven in Chromium against the real server and the demo
 * district as a planner: figures and choropleth, the grid level, a what-if station (typed and
 * dropped on the map) changing the figures, a siting run whose suggestions, applied as a what-if,
 * add what they claim, Excel and PNG exports, English, and a phone-sized screen. Each step saves
 * a screenshot under tests/screenshots/.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ensureWebBuilt } from '../../server/web-build.js';
import { DEMO_ACCOUNTS } from '../../server/demo/accounts.js';
import { startTestServer } from '../helpers/app.js';
import { launchBrowser, saveScreenshot, signIn } from '../helpers/browser.js';
import { SCREENSHOT_DIR } from '../helpers/constants.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server;
let browser: Browser;
let context: BrowserContext;
let page: Page;

const planner = DEMO_ACCOUNTS.find((a) => a.role === 'planner')!;

async function newLoggedInContext(options: Parameters<Browser['newContext']>[0] = {}) {
  const created = await browser.newContext({ locale: 'zh-CN', acceptDownloads: true, ...options });
  await signIn(created, server.baseUrl, planner);
  return created;
}

function watch(target: Page) {
  target.on('pageerror', (error) => console.error('[page error]', error.message));
  target.on('console', (message) => message.type() === 'error' && console.error('[page console]', message.text()));
}

async function waitForFigures(target: Page) {
  // Generous: the machines that run this are shared, and a loaded one draws slowly.
  await target.locator('.coverage-map__canvas[data-map-ready="true"]').waitFor({ timeout: 90_000 });
  await target.getByTestId('district-share').waitFor({ timeout: 60_000 });
  await target.waitForFunction(() => !document.querySelector('.coverage-busy'));
  await target.waitForTimeout(900);
}

const shareText = async (target: Page) => (await target.getByTestId('district-share').innerText()).split('\n')[0]!.trim();

/** The analysis the page asks for (with `?gaps=map`: stations and buildings come from the tiles). */
const isAnalysis = (url: string) => new URL(url).pathname === '/api/coverage/analysis';
/** Every request the main page makes, to tell what it draws from. */
const requested: string[] = [];
const tileRequests = (layer: string) => requested.filter((url) => new RegExp(`/api/tiles/${layer}/\\d+/\\d+/\\d+$`).test(new URL(url).pathname));

/** Pixels of the map canvas that are clearly red (share below 50%), clearly green (90% and above) and black (uncovered buildings), decoded in the page. */
async function shareColourCounts(target: Page): Promise<{ red: number; green: number; black: number; total: number }> {
  const png = (await target.locator('.coverage-map__maplibre canvas').screenshot()).toString('base64');
  return target.evaluate(async (data) => {
    const image = new Image();
    image.src = `data:image/png;base64,${data}`;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.width;
    canvas.height = image.height;
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(image, 0, 0);
    const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let red = 0;
    let green = 0;
    let black = 0;
    for (let i = 0; i < pixels.length; i += 4) {
      const [r, g, b] = [pixels[i]!, pixels[i + 1]!, pixels[i + 2]!];
      if (r > g + 60 && r > b + 60) red += 1;
      else if (g > r + 30 && g > b + 10) green += 1;
      else if (Math.max(r, g, b) < 45) black += 1;
    }
    return { red, green, black, total: pixels.length / 4 };
  }, png);
}

beforeAll(async () => {
  await ensureWebBuilt(() => {});
  server = await startTestServer();
  browser = await launchBrowser();
  context = await newLoggedInContext({ viewport: { width: 1400, height: 900 } });
  page = await context.newPage();
  watch(page);
  page.on('request', (request) => requested.push(request.url()));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function waitForFacilityMap(target: Page) {
  await target.locator('.coverage-map__canvas[data-map-ready="true"]').waitFor({ timeout: 90_000 });
  await target.waitForFunction(() => Number(document.querySelector('.coverage-map__canvas')?.getAttribute('data-facility-count')) > 0, undefined, { timeout: 60_000 });
  await target.waitForTimeout(900);
}

describe('coverage page', () => {
  let baselineCovered = 0;
  let gridNames = new Set<string>();

  it('shows the district share for elderly facilities and people aged 60+, coloured per community', async () => {
    const reply = page.waitForResponse((r) => isAnalysis(r.url()) && r.ok());
    await page.goto(`${server.baseUrl}/coverage`);
    const body = await (await reply).json();
    baselineCovered = body.district.covered;
    gridNames = new Set(body.grids.map((g: { name: string }) => g.name));
    await waitForFigures(page);
    await page.getByRole('heading', { level: 1, name: '15 分钟服务圈覆盖分析' }).waitFor();
    expect(await shareText(page)).toBe(`${(body.district.share * 100).toFixed(1)}%`);
    await page.getByText(`已覆盖 ${body.district.covered.toLocaleString('zh-CN')} / ${body.district.population.toLocaleString('zh-CN')} 人`).waitFor();
    // The table lists the communities, largest gap first.
    const firstRow = page.locator('.coverage-table tbody tr').first();
    await expect(firstRow.locator('th').innerText()).resolves.toContain(body.communities[0].name);
    await expect(page.getByRole('link', { name: '服务覆盖' }).count()).resolves.toBe(1);
    // Drawn from the vector tiles: the areas and the stations; nothing of a whole layer as GeoJSON.
    expect(requested.some((url) => new URL(url).pathname === '/api/tiles/areas.json')).toBe(true);
    expect(tileRequests('areas').length).toBeGreaterThan(0);
    expect(tileRequests('facilities').length).toBeGreaterThan(0);
    expect(requested.filter((url) => isAnalysis(url)).every((url) => new URL(url).searchParams.get('gaps') === 'map')).toBe(true);
    expect(body.gaps.uncoveredBuildings).toBeUndefined();
    expect(body.gaps.uncoveredBuildingIds).toHaveLength(body.district.uncoveredBuildings);
    await expect(page.locator('.coverage-map__canvas').getAttribute('data-uncovered-buildings')).resolves.toBe(String(body.district.uncoveredBuildings));
    await saveScreenshot(page, 'coverage-01-district-communities');
    // Walking network against the circle, per street: the circle's share is the larger.
    expect(body.distanceMethod).toBe('network');
    const comparison = page.getByTestId('network-comparison');
    await comparison.locator('tbody tr').first().waitFor({ timeout: 30_000 });
    const cells = await comparison.locator('tbody tr').first().locator('td').allTextContents();
    expect(parseFloat(cells[1]!)).toBeLessThan(parseFloat(cells[2]!));
    await comparison.scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'coverage-01b-network-against-circle');

    // By network the map draws each station's stored walking area (the reached streets), not the
    // circle: the analysis carries them, the circle layer is off, and the legend says so.
    const walked = body.gaps.serviceAreas.features.filter((f: { properties: { facilityId: number | null } }) => f.properties.facilityId !== null);
    expect(walked.length).toBe(body.countingFacilities);
    expect(walked.every((f: { properties: { method: string }; geometry: { type: string } }) => f.properties.method === 'network' && f.geometry.type === 'MultiPolygon')).toBe(true);
    await page.getByText('步行服务圈（沿路网步行可达）').waitFor();
    const first = walked[0] as { properties: { facilityId: number }; geometry: { coordinates: number[][][][] } };
    const ring = first.geometry.coordinates.flat(2);
    const box = [Math.min(...ring.map((c) => c[0]!)), Math.min(...ring.map((c) => c[1]!)), Math.max(...ring.map((c) => c[0]!)), Math.max(...ring.map((c) => c[1]!))];
    await page.locator('.coverage-map__maplibre').scrollIntoViewIfNeeded();
    const drawn = await page.evaluate(async (b) => {
      type M = {
        fitBounds(b: number[][], o: object): void; once(e: string, f: () => void): void; queryRenderedFeatures(o: object): unknown[]; getLayoutProperty(l: string, p: string): string | undefined;
        getCenter(): unknown; getZoom(): number;
      };
      const map = (document.querySelector('.coverage-map__maplibre') as unknown as { wanggeMap: M }).wanggeMap;
      (window as unknown as { coverageViewBefore: unknown }).coverageViewBefore = { center: map.getCenter(), zoom: map.getZoom() };
      map.fitBounds([[b[0]!, b[1]!], [b[2]!, b[3]!]], { padding: 40, animate: false });
      await new Promise<void>((resolve) => map.once('idle', resolve));
      return { walkAreas: map.queryRenderedFeatures({ layers: ['coverage-walk-area-fill'] }).length, circles: map.getLayoutProperty('coverage-service-circles', 'visibility') ?? 'none' };
    }, box);
    expect(drawn.walkAreas).toBeGreaterThan(0);
    expect(drawn.circles).toBe('none');
    await page.waitForTimeout(1000);
    await saveScreenshot(page, 'coverage-01c-walking-areas-not-circles');
    // Back to the district view the next tests start from.
    await page.evaluate(async () => {
      const map = (document.querySelector('.coverage-map__maplibre') as unknown as { wanggeMap: { jumpTo(o: object): void; once(e: string, f: () => void): void } }).wanggeMap;
      map.jumpTo((window as unknown as { coverageViewBefore: object }).coverageViewBefore);
      await new Promise<void>((resolve) => map.once('idle', resolve));
    });
    await page.evaluate(() => window.scrollTo(0, 0));
  });

  it('switches to grids and frames one from the table', async () => {
    const analyses = requested.filter(isAnalysis).length;
    await page.getByLabel('地图分级').selectOption('grid');
    await page.locator('.coverage-table caption', { hasText: '网格覆盖情况' }).waitFor();
    // Zoomed out past the grid tiles' first zoom, the coarser level is coloured and the map says so.
    await page.getByRole('button', { name: '缩小' }).click();
    await page.waitForTimeout(400);
    await page.getByRole('button', { name: '缩小' }).click();
    await page.locator('.coverage-zoom-hint', { hasText: '放大地图即按网格着色' }).waitFor();
    await page.waitForTimeout(1200);
    await saveScreenshot(page, 'coverage-02a-grid-level-zoomed-out');
    await page.locator('.coverage-table tbody tr').first().getByRole('button').click();
    await page.locator('.coverage-card').waitFor();
    await page.waitForTimeout(1500);
    // The grid shares were in the same answer: only grid tiles for what is on screen are fetched.
    expect(requested.filter(isAnalysis).length).toBe(analyses);
    expect(tileRequests('grids').length).toBeGreaterThan(0);
    await expect(page.locator('.coverage-zoom-hint').count()).resolves.toBe(0);
    // Its uncovered buildings are drawn from the building tiles, one black dot each.
    expect((await shareColourCounts(page)).black).toBeGreaterThan(30);
    await saveScreenshot(page, 'coverage-02-grid-selected');
    // Clicking a grid on the map selects it (its code read from the tile).
    const box = (await page.locator('.coverage-map__maplibre canvas').boundingBox())!;
    await page.getByRole('button', { name: '关闭' }).click();
    await page.mouse.click(box.x + box.width * 0.45, box.y + box.height * 0.45);
    await page.locator('.coverage-card').waitFor();
    expect(gridNames.has(await page.locator('.coverage-card h3').innerText())).toBe(true);
    await page.getByRole('button', { name: '关闭' }).click();
    await page.getByLabel('地图分级').selectOption('community');
  });

  it('a what-if station typed at the largest uncovered building raises the figures; one dropped on the map too', async () => {
    const body = await (await page.request.post(`${server.baseUrl}/api/coverage/analysis`, { data: { facilityTypes: ['day_care_centre', 'home_elderly_care_station'], population: 'age60' } })).json();
    const biggest = [...body.gaps.uncoveredBuildings.features].sort((a, b) => b.properties.population - a.properties.population)[0];
    const before = await shareText(page);
    await page.getByLabel('经度').fill(String(biggest.geometry.coordinates[0]));
    await page.getByLabel('纬度').fill(String(biggest.geometry.coordinates[1]));
    const reply = page.waitForResponse((r) => isAnalysis(r.url()) && r.ok());
    await page.getByRole('button', { name: '添加拟建站点' }).click();
    const after = await (await reply).json();
    expect(after.district.covered - baselineCovered).toBeGreaterThanOrEqual(biggest.properties.population);
    await page.getByTestId('what-if-delta').waitFor();
    await expect(page.getByTestId('what-if-delta').innerText()).resolves.toContain(`+${(after.district.covered - baselineCovered).toLocaleString('zh-CN')} 人`);
    expect(await shareText(page)).not.toBe(before);

    await page.getByRole('button', { name: '放置拟建站点' }).click();
    await page.getByText('在地图上点击放置拟建站点').waitFor();
    const box = (await page.locator('.coverage-map__maplibre canvas').boundingBox())!;
    const second = page.waitForResponse((r) => isAnalysis(r.url()) && r.ok());
    await page.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.75);
    await second;
    await page.getByRole('button', { name: '完成' }).click();
    await expect(page.locator('.coverage-list li').count()).resolves.toBe(2);
    await waitForFigures(page);
    await saveScreenshot(page, 'coverage-03-what-if');
    await page.getByRole('button', { name: '清除全部假设' }).click();
    await page.getByText('尚未设置假设。').waitFor();
  });

  it('a what-if recolours the choropleth from the same tiles: a red community turns green, no geometry fetched again', async () => {
    // The circle (straight-line) from here on: a station inside a community reaches all of it.
    await page.getByLabel('距离口径').selectOption('straight_line');
    await waitForFigures(page);
    const body = await (await page.request.post(`${server.baseUrl}/api/coverage/analysis?gaps=map`, { data: { facilityTypes: ['day_care_centre', 'home_elderly_care_station'], population: 'age60', distance: 'straight_line' } })).json();
    // The most populous community below 50%, and a point inside it for a new station (radius 1 km: it reaches all of it).
    const target = [...body.communities].filter((c) => c.share !== null && c.share < 0.5).sort((a, b) => b.population - a.population)[0];
    const { rows } = await server.db.pool.query(
      `SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(geom) AS p FROM admin_area WHERE code = $1) s`,
      [target.code],
    );
    const inside = rows[0];
    await page.getByRole('button', { name: `在地图上查看 ${target.name}` }).click();
    await page.locator('.coverage-card', { hasText: target.name }).waitFor();
    await page.waitForTimeout(2500);
    const before = await shareColourCounts(page);
    const tilesBefore = tileRequests('areas').length;

    await page.getByLabel('经度').fill(inside.lon.toFixed(6));
    await page.getByLabel('纬度').fill(inside.lat.toFixed(6));
    const reply = page.waitForResponse((r) => isAnalysis(r.url()) && r.ok());
    await page.getByRole('button', { name: '添加拟建站点' }).click();
    const after = await (await reply).json();
    const recoloured = after.communities.find((c: { code: string }) => c.code === target.code);
    expect(recoloured.share).toBeGreaterThanOrEqual(0.9);
    await page.getByTestId('what-if-delta').waitFor();
    await waitForFigures(page);
    await page.waitForTimeout(800);
    const afterCounts = await shareColourCounts(page);
    await saveScreenshot(page, 'coverage-03a-what-if-recoloured');
    // The community fills most of the view: much of the red goes, as much green comes.
    const tenth = before.total * 0.1;
    expect(before.red, JSON.stringify({ before, afterCounts })).toBeGreaterThan(tenth);
    expect(afterCounts.red, JSON.stringify({ before, afterCounts })).toBeLessThan(before.red - tenth);
    expect(afterCounts.green, JSON.stringify({ before, afterCounts })).toBeGreaterThan(before.green + tenth);
    // Only the feature states changed: no area tile was fetched again.
    expect(tileRequests('areas').length).toBe(tilesBefore);
    // The card follows the what-if too.
    await page.locator('.coverage-card', { hasText: `（${(recoloured.share * 100).toFixed(1)}%）` }).waitFor();

    await page.getByRole('button', { name: '清除全部假设' }).click();
    await page.getByText('尚未设置假设。').waitFor();
    await page.getByRole('button', { name: '关闭' }).click();
  });

  it('a station picked on the map in remove mode leaves the figures and is listed', async () => {
    // A fresh page, framed on the district exactly as MapLibre's fitBounds does (padding 16):
    // from that, the pixel of a station can be computed.
    const fresh = await context.newPage();
    watch(fresh);
    await fresh.goto(`${server.baseUrl}/coverage`);
    await waitForFigures(fresh);
    const district = await (await fresh.request.get(`${server.baseUrl}/api/areas?level=district`)).json();
    const positions: number[][] = district.features[0].geometry.coordinates.flat(2);
    const mercX = (lon: number) => (lon + 180) / 360;
    const mercY = (lat: number) => (1 - Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360)) / Math.PI) / 2;
    const xs = positions.map((p) => mercX(p[0]!));
    const ys = positions.map((p) => mercY(p[1]!));
    const box = (await fresh.locator('.coverage-map__maplibre canvas').boundingBox())!;
    const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const scale = Math.min((box.width - 32) / (maxX - minX), (box.height - 32) / (maxY - minY));
    const pixel = (lon: number, lat: number) => ({ x: box.x + box.width / 2 + (mercX(lon) - (minX + maxX) / 2) * scale, y: box.y + box.height / 2 + (mercY(lat) - (minY + maxY) / 2) * scale });

    const body = await (await fresh.request.post(`${server.baseUrl}/api/coverage/analysis`, { data: { facilityTypes: ['day_care_centre', 'home_elderly_care_station'], population: 'age60' } })).json();
    // A station standing apart (no other within 1.5 km), so the click cannot hit a neighbour.
    const stations = body.gaps.facilities.features as { properties: { id: number; name: string }; geometry: { coordinates: [number, number] } }[];
    const apart = stations.find((a) => stations.every((b) => a === b || Math.hypot((a.geometry.coordinates[0] - b.geometry.coordinates[0]) * 92, (a.geometry.coordinates[1] - b.geometry.coordinates[1]) * 111) > 1.5))!;
    await fresh.getByRole('button', { name: '点选撤除站点' }).click();
    const reply = fresh.waitForResponse((r) => isAnalysis(r.url()) && r.request().postDataJSON()?.removedFacilityIds?.length === 1);
    const at = pixel(...apart.geometry.coordinates);
    await fresh.mouse.click(at.x, at.y);
    const after = await (await reply).json();
    expect(after.removed).toBe(1);
    expect(after.district.covered).toBeLessThanOrEqual(body.district.covered);
    await fresh.locator('.coverage-list li', { hasText: apart.properties.name }).waitFor();
    await fresh.getByRole('button', { name: '完成' }).click();
    await waitForFigures(fresh);
    await saveScreenshot(fresh, 'coverage-03b-station-removed');
    await fresh.close();
  });

  it('suggests three sites with progress; applied as a what-if they add exactly what they claim', async () => {
    await page.getByLabel('新建站点数量 k').fill('3');
    await page.getByLabel('候选点').selectOption('grid_centroids');
    await page.getByRole('button', { name: '计算建议' }).click();
    await page.locator('.coverage-siting-result').waitFor({ timeout: 60_000 });
    await page.locator('.coverage-marker--suggestion').first().waitFor();
    await expect(page.locator('.coverage-suggestions li').count()).resolves.toBe(3);
    const resultText = await page.locator('.coverage-siting-result').innerText();
    const claimed = Number(/合计新增覆盖 ([\d,]+) 人/.exec(resultText)![1]!.replace(/,/g, ''));
    expect(claimed).toBeGreaterThan(0);
    expect(resultText).toMatch(/穷举比较（k = 3）：贪心法新增 [\d,]+ 人，最优解 [\d,]+ 人，比值 [01]\.\d{3}/);
    await waitForFigures(page);
    await saveScreenshot(page, 'coverage-04-siting');

    const reply = page.waitForResponse((r) => isAnalysis(r.url()) && r.ok());
    await page.getByRole('button', { name: '作为拟建站点加入假设分析' }).click();
    const applied = await (await reply).json();
    // The page measures straight-line since the what-if above: its baseline is the circle's.
    const circleBaseline = (await (await page.request.post(`${server.baseUrl}/api/coverage/analysis?gaps=map`, { data: { facilityTypes: ['day_care_centre', 'home_elderly_care_station'], population: 'age60', distance: 'straight_line' } })).json()).district.covered;
    expect(applied.distanceMethod).toBe('straight_line');
    expect(applied.district.covered - circleBaseline).toBe(claimed);
    await page.getByTestId('what-if-delta').waitFor();
    await expect(page.getByTestId('what-if-delta').innerText()).resolves.toContain(`+${claimed.toLocaleString('zh-CN')} 人`);
    await waitForFigures(page);
    await saveScreenshot(page, 'coverage-05-siting-applied');
  });

  it('an uploaded candidate list names its unreadable rows, and its unnamed sites, in the UI\'s language', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wangge-candidates-')), '候选点.csv');
    // The one readable row has no name.
    fs.writeFileSync(file, '名称,经度,纬度\n,108.714676263,34.343566595\n乙地块,abc,34.3\n丙地块,34.3,108.7\n');
    await page.getByRole('combobox', { name: /^候选点/ }).selectOption('uploaded');
    await page.getByLabel('候选点文件（CSV/Excel，含经度、纬度，可含名称）').setInputFiles(file);
    const status = page.getByRole('status').filter({ hasText: '已读取 1 个候选点' });
    await status.getByText('已读取 1 个候选点 2 行无法读取，第一处：第 3 行 “abc”不是数字').waitFor();
    await status.scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'coverage-05b-candidates-problems');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByText(/2 rows could not be read; first: row 3 "abc" is not a number$/).waitFor();
    await saveScreenshot(page, 'coverage-05c-candidates-problems-en');
    await page.getByRole('button', { name: '中文' }).click();
    // Run on it: the unnamed site goes out named by its row, in Chinese.
    const started = page.waitForRequest((r) => r.url().endsWith('/api/coverage/siting') && r.method() === 'POST');
    await page.getByLabel('新建站点数量 k').fill('1');
    await page.getByRole('button', { name: '计算建议' }).click();
    expect((await started).postDataJSON().candidatePoints).toEqual([{ lon: expect.any(Number), lat: expect.any(Number), label: '第 2 行' }]);
    await page.locator('.coverage-siting-result').getByText(/^建议 [01] 个站点/).waitFor({ timeout: 60_000 });
    await page.locator('.coverage-siting-result').scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'coverage-05d-candidates-unnamed-run');
    await page.getByRole('combobox', { name: /^候选点/ }).selectOption('grid_centroids');
  });

  it('exports the figures as Excel and the map as a PNG', async () => {
    const excelDownload = page.waitForEvent('download');
    await page.getByRole('button', { name: '导出 Excel（网格、社区、街道）' }).click();
    const excel = await excelDownload;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile((await excel.path())!);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['汇总', '网格', '社区', '街道']);
    expect(workbook.getWorksheet('汇总')!.getRow(4).values).toContain('拟建站点（假设）');

    const imageDownload = page.waitForEvent('download');
    await page.getByRole('button', { name: '导出地图图片（PNG）' }).click();
    const image = await imageDownload;
    const bytes = fs.readFileSync((await image.path())!);
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');
    expect(bytes.length).toBeGreaterThan(50_000);
    fs.writeFileSync(new URL('coverage-06-exported-map.png', SCREENSHOT_DIR), bytes);
  });

  it('reads in English', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: '15-minute service circle coverage' }).waitFor();
    await saveScreenshot(page, 'coverage-07-english');
    await page.getByRole('button', { name: '中文' }).click();
  });

  it('works on a phone-sized screen', { timeout: 180_000 }, async () => {
    const phone = await newLoggedInContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const phonePage = await phone.newPage();
    watch(phonePage);
    await phonePage.goto(`${server.baseUrl}/coverage`);
    await waitForFigures(phonePage);
    await phonePage.screenshot({ path: new URL('coverage-08-phone.png', SCREENSHOT_DIR).pathname });
    await phone.close();
  });

  it('is not offered to a grid worker', async () => {
    const other = await browser.newContext({ locale: 'zh-CN' });
    await signIn(other, server.baseUrl, 'grid_worker');
    const workerPage = await other.newPage();
    await workerPage.goto(`${server.baseUrl}/coverage`);
    await workerPage.getByText('服务覆盖分析仅限规划员、分析员和管理员使用。').waitFor();
    expect(await workerPage.getByRole('link', { name: '服务覆盖' }).count()).toBe(0);
    await other.close();
  });
});

describe('facility editing page', () => {
  let facilityPage: Page;
  /** The page's GET requests, with when: the map draws from the facility tiles. */
  const requests: { url: string; at: number }[] = [];
  const FACILITY_TILE = /\/api\/tiles\/facilities\/\d+\/\d+\/\d+/;
  const facilityTilesSince = (since: number) => requests.filter((r) => r.at >= since && FACILITY_TILE.test(r.url));
  beforeAll(async () => {
    facilityPage = await context.newPage();
    watch(facilityPage);
    facilityPage.on('request', (request) => void (request.method() === 'GET' && requests.push({ url: request.url(), at: Date.now() })));
  });

  it('creates a facility by clicking the map and filling the form; its service circle appears', async () => {
    await facilityPage.goto(`${server.baseUrl}/facilities`);
    await waitForFacilityMap(facilityPage);
    // Facilities and outlines come from the tiles; no area layer is fetched whole, and the
    // facilities are fetched once, for the searchable list beside the map.
    expect(facilityTilesSince(0).length).toBeGreaterThan(0);
    expect(requests.some((r) => /\/api\/tiles\/areas\/\d+\/\d+\/\d+/.test(r.url))).toBe(true);
    expect(requests.filter((r) => /\/api\/areas\?/.test(r.url)).map((r) => r.url)).toEqual([]);
    expect(requests.filter((r) => /\/api\/facilities(\?|$)/.test(r.url)).length).toBeLessThanOrEqual(1);
    const before = Number(await facilityPage.locator('.coverage-map__canvas').getAttribute('data-facility-count'));
    await expect(facilityPage.getByText(`地图范围内 ${before} 处设施`).count()).resolves.toBe(1);
    await facilityPage.getByRole('button', { name: '新建设施' }).click();
    await facilityPage.getByText('在地图上点击新设施的位置').waitFor();
    const box = (await facilityPage.locator('.coverage-map__maplibre canvas').boundingBox())!;
    await facilityPage.mouse.click(box.x + box.width * 0.55, box.y + box.height * 0.7);
    await expect(facilityPage.getByLabel('经度').inputValue()).resolves.toMatch(/^108\.\d{6}$/);
    await facilityPage.getByLabel('类型').selectOption('day_care_centre');
    await facilityPage.getByLabel('名称', { exact: true }).fill('浏览器测试日间照料中心');
    await facilityPage.getByLabel('地址', { exact: true }).fill('测试路 1 号');
    await facilityPage.getByLabel('服务项目（用顿号或逗号分隔）').fill('助餐、日间照料');
    const savedAt = Date.now();
    await facilityPage.getByRole('button', { name: '保存', exact: true }).click();
    await facilityPage.locator('.fa-message, .coverage-section .error').first().waitFor();
    expect(await facilityPage.locator('.coverage-section .error').count(), await facilityPage.locator('.coverage-section .error').allInnerTexts().then((x) => x.join())).toBe(0);
    await facilityPage.getByText('已新建设施 浏览器测试日间照料中心。').waitFor();
    // The tiles on screen were fetched again: the new facility is drawn and counted.
    await facilityPage.waitForFunction((n) => Number(document.querySelector('.coverage-map__canvas')?.getAttribute('data-facility-count')) === n + 1, before);
    expect(facilityTilesSince(savedAt).length).toBeGreaterThan(0);
    const { rows } = await server.db.pool.query(`SELECT a.radius_meters FROM facility f JOIN facility_service_area a ON a.facility_id = f.id WHERE f.name = '浏览器测试日间照料中心'`);
    expect(rows).toHaveLength(1);
    await facilityPage.waitForTimeout(600);
    await saveScreenshot(facilityPage, 'coverage-09-facility-created');
  });

  it('moves it on the map (service circle redrawn there) and retires it', async () => {
    const { rows: before } = await server.db.pool.query(`SELECT ST_X(geom) AS lon FROM facility WHERE name = '浏览器测试日间照料中心'`);
    await facilityPage.getByRole('button', { name: '移动' }).click();
    const box = (await facilityPage.locator('.coverage-map__maplibre canvas').boundingBox())!;
    await facilityPage.mouse.click(box.x + box.width * 0.6, box.y + box.height * 0.72);
    await facilityPage.getByRole('button', { name: '保存', exact: true }).click();
    await facilityPage.getByText('已保存（版本 2）。').waitFor();
    const { rows: after } = await server.db.pool.query(
      `SELECT ST_X(f.geom) AS lon, ST_Distance(ST_Centroid(a.geom)::geography, f.geom::geography) AS off FROM facility f JOIN facility_service_area a ON a.facility_id = f.id WHERE f.name = '浏览器测试日间照料中心'`,
    );
    expect(after[0].lon).toBeGreaterThan(before[0].lon);
    expect(after[0].off).toBeLessThan(5);
    await facilityPage.waitForTimeout(600);
    await saveScreenshot(facilityPage, 'coverage-10-facility-moved');
    const counted = Number(await facilityPage.locator('.coverage-map__canvas').getAttribute('data-facility-count'));
    facilityPage.once('dialog', (dialog) => void dialog.accept());
    await facilityPage.getByRole('button', { name: '撤销设施' }).click();
    await facilityPage.getByText('已撤销 浏览器测试日间照料中心。').waitFor();
    // Retired: gone from the tiles, so from the map and its count.
    await facilityPage.waitForFunction((n) => Number(document.querySelector('.coverage-map__canvas')?.getAttribute('data-facility-count')) === n - 1, counted);
    const { rows: retired } = await server.db.pool.query(`SELECT retired_at FROM facility WHERE name = '浏览器测试日间照料中心'`);
    expect(retired[0].retired_at).not.toBeNull();
  });

  it('previews an import with a bad row (nothing written), then imports a GCJ-02 list', async () => {
    const fixtures = new URL('../fixtures/coverage/', import.meta.url);
    await facilityPage.getByLabel('设施表格文件').setInputFiles(new URL('import-one-bad-row.csv', fixtures).pathname);
    // A table does not say its coordinate system: the page asks before the preview.
    await facilityPage.getByRole('button', { name: '预览' }).click();
    await facilityPage.getByText('表格不写坐标系：请先选择经纬度所用的坐标系。').waitFor();
    await facilityPage.getByLabel('表格中的坐标系').selectOption('wgs84');
    await facilityPage.getByRole('button', { name: '预览' }).click();
    await facilityPage.getByText('3 行：2 行可导入，1 行有错误').waitFor();
    await facilityPage.getByText('纬度：“34.3x”不是数字').waitFor();
    await expect(facilityPage.getByRole('button', { name: /^导入 \d+ 行$/ }).isDisabled()).resolves.toBe(true);
    await facilityPage.locator('.fa-preview').scrollIntoViewIfNeeded();
    await saveScreenshot(facilityPage, 'coverage-11-import-bad-row');
    // On a phone, and then in English: the same problem in the language chosen.
    const desk = facilityPage.viewportSize()!;
    await facilityPage.setViewportSize({ width: 390, height: 844 });
    await facilityPage.locator('.fa-preview').scrollIntoViewIfNeeded();
    await saveScreenshot(facilityPage, 'coverage-11b-import-bad-row-phone');
    await facilityPage.getByRole('button', { name: 'English' }).click();
    await facilityPage.getByText('纬度: "34.3x" is not a number').waitFor();
    await facilityPage.locator('.fa-preview').scrollIntoViewIfNeeded();
    await saveScreenshot(facilityPage, 'coverage-11c-import-bad-row-phone-en');
    await facilityPage.getByRole('button', { name: '中文' }).click();
    await facilityPage.setViewportSize(desk);

    await facilityPage.getByLabel('设施表格文件').setInputFiles(new URL('import-gcj02-three-stations.csv', fixtures).pathname);
    await facilityPage.getByLabel('表格中的坐标系').selectOption('gcj02');
    await facilityPage.getByRole('button', { name: '预览' }).click();
    await facilityPage.getByText('3 行：3 行可导入，0 行有错误').waitFor();
    await facilityPage.getByRole('button', { name: '导入 3 行' }).click();
    await facilityPage.getByText('已导入 3 处设施。').waitFor();
    const { rows } = await server.db.pool.query(`SELECT count(*)::int AS n FROM facility WHERE name LIKE '秦都测试%'`);
    expect(rows[0].n).toBe(3);
    await facilityPage.getByText('已导入 3 处设施。').scrollIntoViewIfNeeded();
    await saveScreenshot(facilityPage, 'coverage-12-import-done');
  });

  it('filters the map by type and by visibility, and opens a facility clicked on the map', async () => {
    const count = async () => Number(await facilityPage.locator('.coverage-map__canvas').getAttribute('data-facility-count'));
    const countBecomes = (test: string, value: number) =>
      facilityPage.waitForFunction(([t, v]) => {
        const n = Number(document.querySelector('.coverage-map__canvas')?.getAttribute('data-facility-count'));
        return t === 'eq' ? n === v : t === 'lt' ? n < (v as number) && n > 0 : false;
      }, [test, value] as const);
    await facilityPage.locator('.coverage-map__maplibre').scrollIntoViewIfNeeded();
    const all = await count();
    expect(all).toBeGreaterThan(0);
    const types = (await (await facilityPage.request.get(`${server.baseUrl}/api/facility-types`)).json()) as { code: string; nameZh: string }[];
    const dayCare = types.find((x) => x.code === 'day_care_centre')!;
    await facilityPage.getByRole('button', { name: '全不选' }).click();
    await countBecomes('eq', 0);
    await facilityPage.getByRole('checkbox', { name: dayCare.nameZh }).check();
    await countBecomes('lt', all);
    await facilityPage.waitForTimeout(500);
    await saveScreenshot(facilityPage, 'coverage-12b-filtered-day-care');

    // A facility drawn from the tiles, clicked: its record is fetched for the form.
    const target = await facilityPage.evaluate(() => {
      const map = (document.querySelector('.coverage-map__maplibre') as unknown as { wanggeMap: { queryRenderedFeatures(o: object): { id: number; geometry: { coordinates: [number, number] } }[]; project(p: [number, number]): { x: number; y: number } } }).wanggeMap;
      const feature = map.queryRenderedFeatures({ layers: ['fa-facilities'] })[0]!;
      return { id: feature.id, point: map.project(feature.geometry.coordinates) };
    });
    const { rows: [clicked] } = await server.db.pool.query(`SELECT name, facility_type FROM facility WHERE id = $1`, [target.id]);
    expect(clicked.facility_type).toBe('day_care_centre');
    const box = (await facilityPage.locator('.coverage-map__maplibre canvas').boundingBox())!;
    await facilityPage.mouse.click(box.x + target.point.x, box.y + target.point.y);
    await facilityPage.getByRole('heading', { name: `编辑：${clicked.name}` }).waitFor();
    await facilityPage.getByRole('button', { name: '取消', exact: true }).click();

    await facilityPage.getByRole('button', { name: '全部', exact: true }).click();
    // The click may have moved the map a little (the form opening): count again in the view as
    // it now stands, once the tiles have settled, rather than compare with the first view.
    await facilityPage.waitForFunction(() => Number(document.querySelector('.coverage-map__canvas')?.getAttribute('data-facility-count')) > 0);
    await facilityPage.waitForTimeout(500);
    const allInView = await count();
    await facilityPage.getByLabel('公开情况').selectOption('public');
    await countBecomes('lt', allInView);
    await facilityPage.getByLabel('公开情况').selectOption('all');
    await countBecomes('eq', allInView);
  });

  it('sets the elderly-care radius to 700 m', async () => {
    await facilityPage.getByLabel('居家养老服务站的半径（米）').fill('700');
    await facilityPage.getByRole('button', { name: '保存居家养老服务站的半径' }).click();
    await facilityPage.getByText('居家养老服务站的半径已改为 700 米。').waitFor();
    const { rows } = await server.db.pool.query(`SELECT DISTINCT a.radius_meters FROM facility f JOIN facility_service_area a ON a.facility_id = f.id WHERE f.facility_type = 'home_elderly_care_station'`);
    expect(rows).toEqual([{ radius_meters: 700 }]);
  });
});
