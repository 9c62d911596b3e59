/**
 * Incidents in Chromium against the real server and the demo district: a grid worker reports an
 * incident from a phone-sized screen (place from the phone's position, and a tap on the map); an
 * analyst finds it on the map, plays the time slider, switches heatmap → hexagons → grids, opens
 * the hotspot layer and the points view. Every requested URL is recorded: the base layers must
 * come from vector tiles (the filter in the incident tiles' query string), never from a
 * whole-layer endpoint. Screenshots of each step go to tests/screenshots/.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ensureWebBuilt } from '../../server/web-build.js';
import { startTestServer } from '../helpers/app.js';
import { launchBrowser, saveScreenshot } from '../helpers/browser.js';
import type { Role } from '../../server/modules/auth/roles.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;

let server: Server;
let browser: Browser;
let ownGridPoint: { longitude: number; latitude: number };
let reportedId = 0;

async function contextAs(role: Role, options: Parameters<Browser['newContext']>[0] = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: 'zh-CN', ...options });
  const [name, value] = (await server.loginAs(role)).split('=') as [string, string];
  await context.addCookies([{ name, value, url: server.baseUrl }]);
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('[page error]', error.message));
  page.on('console', (message) => message.type() === 'error' && console.error('[page console]', message.text()));
  page.on('response', (response) => response.status() >= 400 && console.error('[http]', response.status(), response.url()));
  return { context, page };
}

beforeAll(async () => {
  await ensureWebBuilt(() => {});
  server = await startTestServer();
  browser = await launchBrowser();
  // A point inside the first of the demo grid worker's grids.
  const { rows } = await server.db.pool.query(
    `SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(g.geom) AS p FROM grid g JOIN grid_staff s ON s.grid_id = g.id
       JOIN app_user u ON u.id = s.user_id WHERE u.username = 'gridworker' ORDER BY g.code LIMIT 1) x`,
  );
  ownGridPoint = { longitude: rows[0].lon, latitude: rows[0].lat };
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('a grid worker reports from a phone', () => {
  it('fills the form, takes the place from the phone, and submits', async () => {
    const { context, page } = await contextAs('grid_worker', {
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      geolocation: ownGridPoint,
      permissions: ['geolocation'],
    });
    await page.goto(server.baseUrl + '/report');
    await page.getByRole('heading', { level: 1, name: '上报事件' }).waitFor();
    await page.getByLabel('事件类别').selectOption({ label: '安全隐患' });
    await page.getByLabel('子类').selectOption({ label: '消防隐患' });
    await page.getByLabel('事件描述').fill('3号楼楼道堆放纸箱，堵塞消防通道。');

    // A tap on the map picks a place and the server names its grid (own or not).
    const map = page.getByRole('region', { name: '上报位置地图' });
    await map.waitFor();
    await page.waitForTimeout(1000);
    const box = (await map.boundingBox())!;
    await page.touchscreen.tap(box.x + box.width / 2, box.y + box.height / 2);
    await page.locator('.report-placement').filter({ hasText: /网格/ }).waitFor();
    await saveScreenshot(page, 'incidents-01-phone-tap');

    await page.getByRole('button', { name: '使用我的位置' }).click();
    await page.locator('.report-placement').filter({ hasText: '所在网格：' }).waitFor();
    await page.waitForTimeout(800);
    await saveScreenshot(page, 'incidents-02-phone-filled');

    await page.getByRole('button', { name: '提交上报' }).click();
    const success = page.getByRole('status').filter({ hasText: '已上报：事件 #' });
    await success.waitFor();
    reportedId = Number((await success.textContent())!.match(/#(\d+)/)![1]);
    expect(reportedId).toBeGreaterThan(0);
    await page.locator('.report-mine').getByText(`#${reportedId}`).waitFor();
    // The page scrolls inside the app's main area: bring the confirmation and the list into view.
    await success.scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'incidents-03-phone-submitted');

    const { rows } = await server.db.pool.query(
      `SELECT i.source, i.status, i.category, i.sub_category, ST_Distance(i.geom::geography, ST_SetSRID(ST_MakePoint($2, $3), 4326)::geography) AS off
       FROM incident i WHERE i.id = $1`,
      [reportedId, ownGridPoint.longitude, ownGridPoint.latitude],
    );
    expect(rows[0]).toMatchObject({ source: 'grid_worker', status: 'reported', category: 'safety_hazard', sub_category: 'fire' });
    expect(rows[0].off).toBeLessThan(0.5);
    await context.close();
  });
});

/** Endpoints that send a whole layer, which no map page may load any more. */
const WHOLE_LAYER = [/\/api\/incidents\/grid-outlines/, /\/api\/incidents\/points/, /\/api\/areas\?level=district/, /\/api\/areas\?level=community$/];

describe('an analyst finds it and explores the map', () => {
  let page: Page;
  let context: BrowserContext;
  /** Every URL the page requested (MapLibre's tile requests included), in order. */
  const requested: URL[] = [];
  const tileRequests = (layer: string, since = 0) => requested.slice(since).filter((u) => new RegExp(`/api/tiles/${layer}/\\d+/\\d+/\\d+$`).test(u.pathname));
  const tileJsonRequests = (layer: string, since = 0) => requested.slice(since).filter((u) => u.pathname === `/api/tiles/${layer}.json`);
  const mapCentre = async () => {
    const box = (await page.locator('.incident-map__canvas').boundingBox())!;
    return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  };
  /** Clicks the map's zoom button `times` times, one whole level each (waiting out the easing). */
  const zoom = async (name: '放大' | '缩小', times: number) => {
    for (let k = 0; k < times; k++) {
      await page.getByRole('button', { name, exact: true }).click();
      await page.waitForTimeout(600);
    }
  };
  beforeAll(async () => {
    ({ context, page } = await contextAs('analyst', { viewport: { width: 1440, height: 900 } }));
    page.on('request', (request) => requested.push(new URL(request.url())));
  });
  afterAll(async () => {
    expect(requested.filter((u) => WHOLE_LAYER.some((re) => re.test(u.pathname + u.search))).map(String)).toEqual([]);
    await context?.close();
  });

  it('opens the heatmap and finds the new incident on the map', async () => {
    const heat = page.waitForResponse((r) => r.url().includes('/api/incidents/heat') && r.ok());
    await page.goto(server.baseUrl + '/incidents');
    const heatReply = await heat;
    expect(heatReply.headers()['content-type']).toBe('application/octet-stream');
    await page.getByRole('heading', { level: 1, name: '事件分析' }).waitFor();
    await page.locator('.kpis').waitFor();
    await page.waitForTimeout(2000);
    await saveScreenshot(page, 'incidents-04-analyst-heatmap');

    const item = page.locator('.incident-list').getByRole('button', { name: new RegExp(`#${reportedId} `) });
    await item.click();
    await page.getByRole('heading', { name: `事件详情 #${reportedId}` }).waitFor();
    await page.getByText('3号楼楼道堆放纸箱').first().waitFor();
    await page.waitForTimeout(2000); // the map flies to it and draws the points
    await saveScreenshot(page, 'incidents-05-analyst-found');
    // Single incidents come from the incident tiles at zoom 15, with the analyst's period in
    // every tile's query string.
    const singles = tileRequests('incidents').filter((u) => u.pathname.startsWith('/api/tiles/incidents/15/'));
    expect(singles.length).toBeGreaterThan(0);
    for (const u of singles) expect([u.searchParams.get('from'), u.searchParams.get('to')].every((d) => /^\d{4}-\d{2}-\d{2}$/.test(d ?? ''))).toBe(true);
    // It is on the map where the list put it: a click there opens it by its id.
    await page.locator('.incident-detail').getByRole('button', { name: '关闭' }).click();
    await page.getByRole('heading', { name: `事件详情 #${reportedId}` }).waitFor({ state: 'detached' });
    const centre = await mapCentre();
    await page.mouse.move(centre.x, centre.y);
    await page.getByRole('tooltip').filter({ hasText: `事件 #${reportedId} · 安全隐患` }).waitFor();
    await page.mouse.click(centre.x, centre.y);
    await page.getByRole('heading', { name: `事件详情 #${reportedId}` }).waitFor();
    // The analyst accepts it and dispatches it: each step is logged with who did it.
    await page.locator('.incident-detail').getByRole('button', { name: '受理立案', exact: true }).click();
    await page.locator('.incident-detail').getByRole('button', { name: '派遣', exact: true }).click();
    await page.locator('.incident-detail__history li').filter({ hasText: '派遣 · analyst' }).waitFor();
    const { rows } = await server.db.pool.query(`SELECT status FROM incident WHERE id = $1`, [reportedId]);
    expect(rows[0].status).toBe('dispatched');
  });

  it('plays the time slider by month', async () => {
    await page.getByLabel('时间滑块').selectOption('month');
    const output = page.locator('.incidents-timebar output');
    const before = await output.textContent();
    const since = requested.length;
    await page.getByRole('button', { name: '播放' }).click();
    // A step every 1.5 s; a busy machine may take longer to draw each one.
    await expect.poll(() => output.textContent(), { timeout: 20_000 }).not.toBe(before);
    // The incident tiles follow the step: each one a new TileJSON URL with its month.
    await expect.poll(() => new Set(tileJsonRequests('incidents', since).map((u) => u.searchParams.get('from'))).size, { timeout: 20_000 }).toBeGreaterThan(1);
    await saveScreenshot(page, 'incidents-06-analyst-playing');
    await page.getByRole('button', { name: '暂停' }).click();
    await page.getByLabel('时间滑块').selectOption('all');
  });

  it('switches heatmap → hexagons → grids and opens the hotspot layer', async () => {
    await page.getByLabel('时间滑块').selectOption('all');
    const hex = page.waitForResponse((r) => r.url().includes('/api/incidents/hexagons') && r.ok());
    await page.getByRole('radio', { name: '六边形' }).click();
    const bins = await (await hex).json();
    expect(bins.total).toBeGreaterThan(1000);
    await page.waitForTimeout(1500);
    await saveScreenshot(page, 'incidents-07-analyst-hexagons');

    // Back out to the whole district: below the grid tiles' zoom, the choropleth is per community.
    await zoom('缩小', 5);
    const grids = page.waitForResponse((r) => r.url().includes('/api/incidents/by-grid') && r.ok());
    await page.getByRole('radio', { name: '网格' }).click();
    await grids;
    await page.locator('.map-legend').getByText(/^(社区|街道)事件数（分级）$/).waitFor();
    await page.waitForTimeout(1500);
    await saveScreenshot(page, 'incidents-08-analyst-communities');

    // Zoomed in, the grids come as tiles (no filter: the figures are feature states joined by
    // code), and a grid under the pointer tells its count.
    const since = requested.length;
    await page.getByRole('button', { name: '放大到网格' }).click();
    await page.locator('.map-legend').getByText('网格事件数（分级）').waitFor();
    await expect.poll(() => tileRequests('grids', since).length, { timeout: 15_000 }).toBeGreaterThan(0);
    await page.waitForTimeout(1500);
    const centre = await mapCentre();
    await page.mouse.move(centre.x + 5, centre.y + 5);
    await page.mouse.move(centre.x, centre.y);
    await expect(page.getByRole('tooltip').textContent()).resolves.toMatch(/^.+：\d+$/);
    await saveScreenshot(page, 'incidents-08-analyst-grids');

    const byGridCalls = requested.filter((u) => u.pathname === '/api/incidents/by-grid').length;
    const gridTiles = tileRequests('grids').length;
    await page.getByLabel('热点分析（Gi*）').first().check();
    // The method is folded under the compact legend.
    await page.locator('.map-legend').getByRole('button', { name: '计算方法' }).click();
    const method = page.getByTestId('hotspot-method');
    await method.waitFor();
    await expect(method.textContent()).resolves.toMatch(/Getis-Ord Gi\*.*90% \/ 95% \/ 99%/);
    await page.waitForTimeout(1500);
    await saveScreenshot(page, 'incidents-09-analyst-hotspots');
    // A new filter is new figures for the same tiles: the by-grid figures are fetched again, the
    // grid geometry is not.
    await page.getByLabel('热点分析（Gi*）').first().uncheck();
    await page.locator('.incidents-panel').getByLabel('纠纷').check();
    await expect.poll(() => requested.filter((u) => u.pathname === '/api/incidents/by-grid').length).toBeGreaterThan(byGridCalls);
    await page.waitForTimeout(1000);
    expect(tileRequests('grids').length).toBe(gridTiles);
    // Unchecked again, the figures are fetched once more without a category.
    const unfiltered = requested.filter((u) => u.pathname === '/api/incidents/by-grid').length;
    await page.locator('.incidents-panel').getByLabel('纠纷').uncheck();
    await expect
      .poll(() => requested.filter((u) => u.pathname === '/api/incidents/by-grid').slice(unfiltered).filter((u) => !u.searchParams.has('category')).length)
      .toBeGreaterThan(0);
  });

  it('shows the incidents themselves from the incident tiles, following the category filter', async () => {
    await page.getByRole('radio', { name: '事件点' }).click();
    const inView = page.getByTestId('points-in-view');
    await inView.waitFor();
    const count = async () => Number((await inView.textContent())!.match(/(\d+)/)![1]);
    // The map's incident tiles are the unfiltered ones again: the newest tile asked for carries no
    // category. (They may have come before this step: the source follows the filter in every view,
    // so unchecking 纠纷 above already fetched them, and the points view may draw them from its cache.)
    const newest = () => tileRequests('incidents').at(-1);
    await expect.poll(() => newest() !== undefined && !newest()!.searchParams.has('category'), { timeout: 15_000 }).toBe(true);
    await expect.poll(count, { timeout: 15_000 }).toBeGreaterThan(0);
    await page.waitForTimeout(1000);
    const all = await count();
    // Every tile carries the period.
    expect(tileRequests('incidents').every((u) => u.searchParams.get('from') && u.searchParams.get('to'))).toBe(true);
    await saveScreenshot(page, 'incidents-12-analyst-points');

    const before = requested.length;
    await page.locator('.incidents-panel').getByLabel('环境卫生').check();
    await expect.poll(() => tileRequests('incidents', before).filter((u) => u.searchParams.get('category') === 'sanitation').length, { timeout: 15_000 }).toBeGreaterThan(0);
    await expect.poll(count, { timeout: 15_000 }).toBeLessThan(all);
    await page.waitForTimeout(1000);
    expect(await count()).toBeGreaterThan(0);
    await saveScreenshot(page, 'incidents-13-analyst-points-sanitation');

    // From zoom 15: single incidents, each of the chosen category.
    await zoom('放大', 4);
    await page.locator('.map-legend').getByText('红色外圈：未结且已超期').waitFor();
    await page.waitForTimeout(2000);
    await saveScreenshot(page, 'incidents-14-analyst-points-single');
    await page.locator('.incidents-panel').getByLabel('环境卫生').uncheck();

    // A street in the area filter: the map goes to it, and its incident tiles carry its code.
    const streetSelect = page.locator('.incidents-panel').getByLabel('街道');
    const streetCode = await streetSelect.locator('option').nth(1).getAttribute('value');
    const beforeStreet = requested.length;
    await streetSelect.selectOption(streetCode!);
    await expect.poll(() => tileRequests('incidents', beforeStreet).filter((u) => u.searchParams.get('area') === streetCode).length, { timeout: 15_000 }).toBeGreaterThan(0);
    await expect.poll(count, { timeout: 15_000 }).toBeGreaterThan(0);
    await page.waitForTimeout(1000);
    await saveScreenshot(page, 'incidents-15-analyst-points-street');
    await streetSelect.selectOption('');
    await page.getByRole('radio', { name: '热力图' }).click();
  });

  it('previews an import with bad rows row by row, and offers no import', async () => {
    await page.getByText('批量导入（CSV / Excel）').click();
    await page.getByLabel('文件（.csv 或 .xlsx）').setInputFiles(fileURLToPath(new URL('../fixtures/incidents/hotline-one-row-outside-district.csv', import.meta.url)));
    await page.getByLabel('坐标系').selectOption('gcj02');
    await page.getByRole('button', { name: '预览检查' }).click();
    // Row 5's category is unknown wherever the district is.
    await page.locator('.import-errors li').first().waitFor();
    // Each problem in the UI's language: the file's own text quoted, no English.
    await expect(page.locator('.import-errors li').allTextContents()).resolves.toContainEqual(expect.stringMatching(/^第 5 行（类别）：未知的类别“天气”（可选：.*环境卫生/));
    await expect(page.locator('.import-errors li').allTextContents()).resolves.toContainEqual(expect.stringMatching(/^第 4 行（经度）：（[\d.]+, [\d.]+）（由 gcj02 换算为 WGS84）在本区以外，距边界 [\d,]+ 米$/));
    await expect(page.locator('.import-errors').innerText()).resolves.not.toMatch(/unknown|outside/);
    await expect(page.getByRole('button', { name: '导入', exact: true }).isDisabled()).resolves.toBe(true);
    await page.locator('.import-errors').scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'incidents-10-analyst-import-preview');
    // Switched to English, the same problems in English.
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.locator('.import-errors li').allTextContents(), { timeout: 15_000 }).toContainEqual(expect.stringMatching(/^Row 5 \(类别\): unknown category '天气' \(one of: .*环境卫生/));
    await expect(page.locator('.import-errors li').allTextContents()).resolves.toContainEqual(expect.stringMatching(/^Row 4 \(经度\): .* is outside the district, [\d,]+ m from its boundary$/));
    await page.locator('.import-errors').scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'incidents-10b-analyst-import-preview-en');
    await page.getByRole('button', { name: '中文' }).click();
  });

  it('imports a clean file and follows the job to its end', async () => {
    await page.getByLabel('文件（.csv 或 .xlsx）').setInputFiles(fileURLToPath(new URL('../fixtures/incidents/hotline-gcj02-three-tickets.csv', import.meta.url)));
    await page.getByLabel('坐标系').selectOption('gcj02');
    await page.getByRole('button', { name: '预览检查' }).click();
    const importButton = page.getByRole('button', { name: '导入', exact: true });
    await expect.poll(() => importButton.isDisabled(), { timeout: 15_000 }).toBe(false);
    await importButton.click();
    const done = page.getByText('导入完成：新建 3 件，跳过已存在 0 件。');
    await done.waitFor({ timeout: 30_000 });
    await done.scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'incidents-10c-analyst-import-done');
  });
});

describe('the grid worker takes the dispatched case', () => {
  it('opens it from the phone list and starts handling it', async () => {
    const { context, page } = await contextAs('grid_worker', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await page.goto(server.baseUrl + '/report');
    await page.locator('.report-mine').getByRole('button', { name: new RegExp(`#${reportedId} `) }).click();
    await page.locator('.incident-detail').getByRole('button', { name: '开始处置', exact: true }).click();
    await page.locator('.incident-detail__history li').filter({ hasText: '处置 · gridworker' }).waitFor();
    await saveScreenshot(page, 'incidents-11-phone-handling');
    const { rows } = await server.db.pool.query(`SELECT status FROM incident WHERE id = $1`, [reportedId]);
    expect(rows[0].status).toBe('handling');
    await context.close();
  });
});
