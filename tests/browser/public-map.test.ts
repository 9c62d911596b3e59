/**
 * The public service-station map at `/`, driven in Chromium against the real server and the demo
 * district: load, filter by type, search, nearest (map click and geolocation), detail and service
 * circle, an API error shown to the user, English, and a phone-sized screen. Every step saves a
 * screenshot under tests/screenshots/ for a person to look at.
 *
 * The facilities are drawn from the vector tiles: every request the pages make is recorded, to
 * check that facility tiles are fetched, that the whole facility layer never is, that filters
 * redraw without fetching, and that the tiles an anonymous visitor gets carry public fields only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ensureWebBuilt } from '../../server/web-build.js';
import type { FacilityCollection, FacilitySummary, NearestCollection } from '../../server/modules/facilities/schemas.js';
import type { AreaCollection } from '../../server/modules/areas/schemas.js';
import { startTestServer } from '../helpers/app.js';
import { launchBrowser, saveScreenshot } from '../helpers/browser.js';
import { decodeTile } from '../fixtures/tiles/mvt.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;

let server: Server;
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** Every /api/facilities… reply body the anonymous pages received. */
const facilityReplies: { url: string; body: unknown }[] = [];
/** Every facility tile the anonymous pages received (200s: a 304 has no body). */
const facilityTiles: { z: number; x: number; y: number; body: Buffer }[] = [];
/** Every URL the pages requested, in order. */
const requested: URL[] = [];
/** Every public facility, fetched by the test itself (the page never fetches them all). */
let allFacilities: FacilityCollection;
let districtCentre: { longitude: number; latitude: number };

const PRIVATE_KEYS = ['capacity', 'isPublic'];
const FACILITY_TILE = /^\/api\/tiles\/facilities\/(\d+)\/(\d+)\/(\d+)$/;

/** Requests for facility tiles since request number `from`. */
const facilityTileRequests = (from = 0) => requested.slice(from).filter((url) => FACILITY_TILE.test(url.pathname));
/** Requests for `/api/facilities` since request number `from` (searches, single facilities). */
const facilityListRequests = (from = 0) => requested.slice(from).filter((url) => url.pathname === '/api/facilities');

/** What the map says its facility layer draws in view, once settled. */
async function drawnFacilities(target: Page): Promise<{ count: number; types: string[] }> {
  const canvas = target.locator('.public-map__canvas');
  const count = Number(await canvas.getAttribute('data-facilities-drawn'));
  const types = (await canvas.getAttribute('data-facility-types-drawn')) ?? '';
  return { count, types: types ? types.split(',') : [] };
}

/** Waits until the map draws `count` facilities in view. */
async function waitForDrawn(target: Page, count: number) {
  await target.waitForFunction(
    (n) => document.querySelector('.public-map__canvas')?.getAttribute('data-facilities-drawn') === String(n),
    count,
    { timeout: 15_000 },
  );
}

/** Keys that appear anywhere in a JSON value. */
function keysDeep(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => keysDeep(v, into));
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      into.add(key);
      keysDeep(v, into);
    }
  }
  return into;
}

async function newContext(options: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
  const created = await browser.newContext({ locale: 'zh-CN', ...options });
  created.on('response', (response) => {
    if (response.status() >= 400) console.error('[http]', response.status(), response.url());
  });
  created.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin === server.baseUrl) requested.push(url);
  });
  created.on('response', async (response) => {
    const match = FACILITY_TILE.exec(new URL(response.url()).pathname);
    if (!match || response.status() !== 200) return;
    try {
      facilityTiles.push({ z: Number(match[1]), x: Number(match[2]), y: Number(match[3]), body: await response.body() });
    } catch {
      // A reply whose page closed before it was read: nothing to check.
    }
  });
  created.on('response', async (response) => {
    if (!new URL(response.url()).pathname.startsWith('/api/facilities')) return;
    if (!(response.headers()['content-type'] ?? '').includes('json')) return;
    try {
      facilityReplies.push({ url: response.url(), body: await response.json() });
    } catch {
      // A reply whose page closed before it was read: nothing to check.
    }
  });
  return created;
}

async function waitForMap(target: Page) {
  await target.locator('.public-map__canvas[data-map-ready="true"]').waitFor({ timeout: 30_000 });
  await target.waitForFunction(() => Number(document.querySelector('.public-map__canvas')?.getAttribute('data-facilities-drawn')) > 0);
  // Let MapLibre finish drawing the tiles before a screenshot.
  await target.waitForTimeout(800);
}

beforeAll(async () => {
  await ensureWebBuilt(() => {});
  server = await startTestServer();
  browser = await launchBrowser();
  context = await newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  page.on('pageerror', (error) => console.error('[page error]', error.message));
  page.on('console', (message) => message.type() === 'error' && console.error('[page console]', message.text()));
  page.on('requestfailed', (request) => console.error('[request failed]', request.url(), request.failure()?.errorText));

  const district = (await (await fetch(`${server.baseUrl}/api/areas?level=district`)).json()) as AreaCollection;
  const outline = district.features[0]!.geometry!;
  const ring = outline.type === 'Polygon' ? outline.coordinates[0]! : outline.coordinates[0]![0]!;
  const lons = ring.map((p) => p[0]!);
  const lats = ring.map((p) => p[1]!);
  districtCentre = { longitude: (Math.min(...lons) + Math.max(...lons)) / 2, latitude: (Math.min(...lats) + Math.max(...lats)) / 2 };
  allFacilities = (await (await fetch(`${server.baseUrl}/api/facilities`)).json()) as FacilityCollection;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('public service-station map', () => {
  it('is served at / to a browser', async () => {
    const response = await fetch(`${server.baseUrl}/`, { headers: { accept: 'text/html' } });
    expect(response.status, 'GET / must return the app (server/app.ts registerWeb)').toBe(200);
    expect(await response.text()).toContain('<div id="root">');
  });

  it('shows the district, its streets and every facility, drawn from the vector tiles', async () => {
    const summary = (await (await fetch(`${server.baseUrl}/api/facilities/summary`)).json()) as FacilitySummary;
    expect(allFacilities.features.length).toBeGreaterThan(50);
    expect(summary.total).toBe(allFacilities.features.length);
    await page.goto(server.baseUrl + '/');
    await waitForMap(page);

    await page.getByRole('heading', { level: 1, name: '社区服务站点地图' }).waitFor();
    await expect(page.locator('.map-label--street').count()).resolves.toBeGreaterThan(5);
    // The facilities come as tiles; the page never asks for the whole facility layer.
    expect(requested.some((url) => url.pathname === '/api/tiles/facilities.json')).toBe(true);
    expect(facilityTileRequests().length).toBeGreaterThan(0);
    expect(facilityListRequests()).toEqual([]);
    // The whole district is in view: every public facility is drawn, of every type.
    await waitForDrawn(page, allFacilities.features.length);
    const types = [...new Set(allFacilities.features.map((f) => f.properties.facilityType))].sort();
    await expect(drawnFacilities(page)).resolves.toEqual({ count: allFacilities.features.length, types });
    await expect(page.getByRole('status').filter({ hasText: `符合条件的站点共 ${allFacilities.features.length} 处` }).count()).resolves.toBe(1);
    // The counts beside the type checkboxes come from the summary.
    const dayCare = allFacilities.features.filter((f) => f.properties.facilityType === 'day_care_centre').length;
    await expect(page.locator('label.checkbox', { hasText: '日间照料中心' }).locator('.checkbox__count').textContent()).resolves.toBe(String(dayCare));
    // No login needed, and the header offers one.
    await page.getByRole('link', { name: '登录' }).waitFor();
    await saveScreenshot(page, 'public-map-01-loaded');
  });

  it('filters by facility type and by service on the map, without fetching anything again', async () => {
    const before = requested.length;
    await page.getByRole('button', { name: '清空' }).click();
    await page.getByText('未选择任何设施类型').waitFor();
    await waitForDrawn(page, 0);

    await page.getByRole('checkbox', { name: '日间照料中心' }).check();
    const dayCare = allFacilities.features.filter((f) => f.properties.facilityType === 'day_care_centre');
    expect(dayCare.length).toBeGreaterThan(0);
    await waitForDrawn(page, dayCare.length);
    // The other types are hidden on the map, not only left out of a list.
    await expect(drawnFacilities(page)).resolves.toEqual({ count: dayCare.length, types: ['day_care_centre'] });
    await page.getByRole('status').filter({ hasText: `符合条件的站点共 ${dayCare.length} 处` }).waitFor();
    await page.waitForTimeout(600);
    await saveScreenshot(page, 'public-map-02-filter-day-care');

    // The service select lists the services present in the data; choosing one narrows the map.
    const services = new Set(allFacilities.features.flatMap((f) => f.properties.services));
    const options = await page.getByLabel('服务项目').locator('option').allTextContents();
    expect(new Set(options.slice(1))).toEqual(services);
    const service = dayCare.flatMap((f) => f.properties.services)[0]!;
    await page.getByLabel('服务项目').selectOption(service);
    const dayCareWithService = dayCare.filter((f) => f.properties.services.includes(service));
    await waitForDrawn(page, dayCareWithService.length);
    await page.getByRole('checkbox', { name: '日间照料中心' }).uncheck();
    await page.getByRole('button', { name: '全选' }).click();
    const withService = allFacilities.features.filter((f) => f.properties.services.includes(service));
    expect(withService.length).toBeGreaterThan(dayCareWithService.length);
    await waitForDrawn(page, withService.length);
    await page.getByRole('status').filter({ hasText: `符合条件的站点共 ${withService.length} 处` }).waitFor();
    await page.getByLabel('服务项目').selectOption('');
    await waitForDrawn(page, allFacilities.features.length);

    // All of it was drawn from the tiles already loaded.
    expect(facilityTileRequests(before)).toEqual([]);
    expect(facilityListRequests(before)).toEqual([]);
  });

  it('searches by name and opens a facility with its 15-minute service circle', async () => {
    const target = allFacilities.features.find((f) => f.properties.facilityType === 'party_mass_service_centre') ?? allFacilities.features[0]!;
    const name = target.properties.name;
    const searchReply = page.waitForResponse((r) => r.url().includes('/api/facilities?q=') && r.ok());
    await page.getByLabel('搜索站点名称或地址').fill(name);
    const found = (await (await searchReply).json()) as FacilityCollection;
    expect(found.features.some((f) => f.properties.id === target.properties.id)).toBe(true);
    const results = page.getByRole('list', { name: '搜索结果' });
    await results.waitFor();
    // The map narrows to the matches.
    await waitForDrawn(page, found.features.length);
    await page.waitForTimeout(400);
    await saveScreenshot(page, 'public-map-03-search');

    await results.getByRole('button', { name: new RegExp(name) }).first().click();
    const detail = page.getByRole('article');
    await detail.getByRole('heading', { name }).waitFor();
    await detail.getByText(target.properties.address).waitFor();
    for (const label of ['类型', '地址', '服务项目', '开放时间', '电话']) {
      await detail.getByText(label, { exact: true }).waitFor();
    }

    const areaReply = page.waitForResponse((r) => r.url().endsWith(`/api/facilities/${target.properties.id}/service-area`) && r.ok());
    await detail.getByRole('button', { name: '15分钟服务圈' }).click();
    const area = await (await areaReply).json();
    // The demo has a walking network: the area walked along the roads (a polygon of the reached
    // streets, not a circle), labelled as walked.
    expect(area.properties.method).toBe('network');
    expect(area.geometry.type).toBe('MultiPolygon');
    const ring = (area.geometry.coordinates as number[][][][])[0]![0]!;
    const centre = [target.geometry.coordinates[0], target.geometry.coordinates[1]] as [number, number];
    const metres = ring.map(([lon, lat]) => Math.hypot((lon! - centre[0]) * 111320 * Math.cos((centre[1] * Math.PI) / 180), (lat! - centre[1]) * 110574));
    // A circle's boundary is all at one distance; a walked area's is not.
    expect(Math.max(...metres) - Math.min(...metres)).toBeGreaterThan(100);
    await detail.getByText(`沿道路步行 ${area.properties.walkMinutes} 分钟可达的范围`, { exact: false }).waitFor();
    await expect(detail.getByRole('button', { name: '15分钟服务圈' }).getAttribute('aria-pressed')).resolves.toBe('true');
    await page.waitForTimeout(1000);
    await saveScreenshot(page, 'public-map-04-detail-service-circle');

    await detail.getByRole('button', { name: '返回列表' }).click();
    await page.getByRole('button', { name: '清除搜索' }).click();

    // The map is centred on the facility: clicking its point on the map (a tile feature) opens it
    // again, with the fields the tile lacks fetched for that one facility.
    await page.waitForTimeout(800);
    const canvas = (await page.locator('.public-map__maplibre canvas').boundingBox())!;
    const oneReply = page.waitForResponse((r) => r.url().endsWith(`/api/facilities?id=${target.properties.id}`) && r.ok());
    await page.mouse.click(canvas.x + canvas.width / 2, canvas.y + canvas.height / 2);
    await page.getByRole('article').getByRole('heading', { name }).waitFor();
    await oneReply;
    await page.getByRole('article').getByText(target.properties.address).waitFor();
    await page.getByRole('article').getByRole('button', { name: '返回列表' }).click();
  });

  it('finds the nearest party-mass service centres from a point picked on the map', async () => {
    await expect(page.getByLabel('查找类型').inputValue()).resolves.toBe('party_mass_service_centre');
    await page.getByRole('button', { name: '在地图上选点' }).click();
    const canvas = page.locator('.public-map__maplibre canvas');
    const box = (await canvas.boundingBox())!;
    const nearestReply = page.waitForResponse((r) => r.url().includes('/api/facilities/nearest?') && r.ok());
    await page.mouse.click(box.x + box.width * 0.55, box.y + box.height * 0.5);
    const reply = await nearestReply;
    expect(new URL(reply.url()).searchParams.get('type')).toBe('party_mass_service_centre');
    const nearest = (await reply.json()) as NearestCollection;
    expect(nearest.features).toHaveLength(5);

    const list = page.getByRole('list', { name: '最近的站点' });
    await list.waitFor();
    const items = list.getByRole('listitem');
    await expect(items.count()).resolves.toBe(5);
    const first = nearest.features[0]!.properties;
    await expect(items.first().textContent()).resolves.toContain(`${first.distanceMeters.toLocaleString('zh-CN')} 米`);
    // The demo has a walking network: the walk along the roads, and its route drawn on the map.
    expect(nearest.distanceMethod).toBe('network');
    await expect(items.first().textContent()).resolves.toContain(`沿道路步行 ${first.walkingMeters.toLocaleString('zh-CN')} 米`);
    await page.getByText('蓝线为步行路线').waitFor();
    expect(nearest.features.every((f) => f.properties.route !== null)).toBe(true);
    await expect(page.locator('.nearest-pin').count()).resolves.toBe(1);
    await expect(page.locator('.nearest-rank').count()).resolves.toBe(5);
    await page.waitForTimeout(1000);
    await saveScreenshot(page, 'public-map-05-nearest-picked');

    // The rank badges on the map open their facility too.
    await page.getByRole('button', { name: `第 2 近：${nearest.features[1]!.properties.name}` }).click();
    await page.getByRole('article').getByRole('heading', { name: nearest.features[1]!.properties.name }).waitFor();
    await page.getByRole('article').getByRole('button', { name: '返回列表' }).click();

    await items.first().getByRole('button').click();
    const detail = page.getByRole('article');
    await detail.getByRole('heading', { name: first.name }).waitFor();
    await detail.getByText('距所选位置').waitFor();
    await detail.getByRole('button', { name: '返回列表' }).click();
  });

  it('finds the nearest stations from the browser location', async () => {
    await context.grantPermissions(['geolocation'], { origin: server.baseUrl });
    await context.setGeolocation(districtCentre);
    await page.getByRole('button', { name: '清除', exact: true }).click();
    await page.getByLabel('查找类型').selectOption('health_station');
    const nearestReply = page.waitForResponse((r) => r.url().includes('/api/facilities/nearest?') && r.url().includes('type=health_station') && r.ok());
    await page.getByRole('button', { name: '我的位置' }).click();
    const url = new URL((await nearestReply).url());
    expect(Number(url.searchParams.get('lon'))).toBeCloseTo(districtCentre.longitude, 4);
    expect(Number(url.searchParams.get('lat'))).toBeCloseTo(districtCentre.latitude, 4);
    await page.getByText('您的位置：').waitFor();
    await page.getByRole('list', { name: '最近的站点' }).waitFor();
    await page.waitForTimeout(1000);
    await saveScreenshot(page, 'public-map-06-nearest-my-location');
  });

  it('shows the API’s own message when a request is refused', async () => {
    await page.route('**/api/facilities/nearest?**', (route) =>
      route.fulfill({
        status: 400,
        contentType: 'application/json',
        body: JSON.stringify({ statusCode: 400, error: 'Bad Request', message: 'querystring/lon must be <= 180' }),
      }),
    );
    await page.getByLabel('查找类型').selectOption('elderly_canteen');
    const alert = page.getByRole('alert').filter({ hasText: 'querystring/lon must be <= 180' });
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toContain('请求有误');
    await page.unroute('**/api/facilities/nearest?**');
    await page.getByRole('button', { name: '清除', exact: true }).click();
  });

  it('switches to English and remembers the choice', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Community service station map' }).waitFor();
    await page.getByRole('button', { name: 'My location' }).waitFor();
    await expect(page.getByRole('checkbox', { name: 'Day-care centre' }).count()).resolves.toBe(1);
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');

    await page.reload();
    await waitForMap(page);
    await page.getByRole('heading', { level: 1, name: 'Community service station map' }).waitFor();
    await page.getByLabel('Search by name or address').waitFor();
    await saveScreenshot(page, 'public-map-07-english');

    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { level: 1, name: '社区服务站点地图' }).waitFor();
  });

  it('works on a phone: the panel is a bottom sheet under the map', async () => {
    const phone = await newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    try {
      const phonePage = await phone.newPage();
      await phonePage.goto(server.baseUrl + '/');
      await waitForMap(phonePage);
      const map = (await phonePage.locator('.public-map__map').boundingBox())!;
      const panel = (await phonePage.locator('.public-map__panel').boundingBox())!;
      expect(panel.y).toBeGreaterThan(map.y + map.height / 2);
      expect(panel.width).toBeGreaterThan(380);
      expect(map.height).toBeGreaterThan(300);
      await saveScreenshot(phonePage, 'public-map-08-phone');

      // Pick a point with a tap, then open the first answer.
      await phonePage.getByRole('button', { name: '在地图上选点' }).click();
      await phonePage.getByRole('button', { name: '展开面板' }).waitFor();
      const canvas = (await phonePage.locator('.public-map__maplibre canvas').boundingBox())!;
      const nearestReply = phonePage.waitForResponse((r) => r.url().includes('/api/facilities/nearest?') && r.ok());
      await phonePage.touchscreen.tap(canvas.x + canvas.width / 2, canvas.y + canvas.height / 2);
      await nearestReply;
      const list = phonePage.getByRole('list', { name: '最近的站点' });
      await list.waitFor();
      await phonePage.waitForTimeout(1000);
      await saveScreenshot(phonePage, 'public-map-09-phone-nearest');

      await list.getByRole('button').first().click();
      await phonePage.getByRole('button', { name: '15分钟服务圈' }).click();
      await phonePage.getByText(/沿道路步行 \d+ 分钟可达的范围/).waitFor();
      await phonePage.waitForTimeout(1000);
      await saveScreenshot(phonePage, 'public-map-10-phone-detail');
    } finally {
      await phone.close();
    }
  });

  it('asks to zoom in when zoomed out past the facility tiles', async () => {
    const other = await context.newPage();
    try {
      await other.goto(server.baseUrl + '/');
      await waitForMap(other);
      const hint = other.getByRole('status').filter({ hasText: '请放大地图查看站点' });
      await expect(hint.count()).resolves.toBe(0);
      for (let i = 0; i < 6 && (await hint.count()) === 0; i++) {
        await other.getByRole('button', { name: '缩小' }).click();
        await other.waitForTimeout(900);
      }
      await hint.waitFor();
      await waitForDrawn(other, 0);
      await saveScreenshot(other, 'public-map-11-zoomed-out');
    } finally {
      await other.close();
    }
  });

  it('never sent an anonymous visitor a private facility field', () => {
    expect(facilityReplies.length).toBeGreaterThan(5);
    for (const { url, body } of facilityReplies) {
      const keys = keysDeep(body);
      for (const key of PRIVATE_KEYS) expect(keys.has(key), `${key} in ${url}`).toBe(false);
    }
    // The tiles the browser drew from: public fields only (the id is the feature id), and public
    // facilities only.
    expect(facilityTiles.length).toBeGreaterThan(0);
    const publicIds = new Set(allFacilities.features.map((f) => f.properties.id));
    let features = 0;
    for (const { z, x, y, body } of facilityTiles) {
      for (const f of decodeTile(body, z, x, y).facilities?.features ?? []) {
        features += 1;
        expect(Object.keys(f.properties ?? {}).sort(), `tile ${z}/${x}/${y}`).toEqual(['facilityType', 'name', 'services']);
        expect(publicIds.has(Number(f.id)), `facility ${f.id} in tile ${z}/${x}/${y}`).toBe(true);
      }
    }
    expect(features).toBeGreaterThanOrEqual(allFacilities.features.length);
  });

  it('never asked for the whole facility layer: only searches and single facilities', () => {
    const lists = facilityListRequests();
    expect(lists.length).toBeGreaterThan(0);
    for (const url of lists) expect(url.searchParams.has('q') || url.searchParams.has('id'), url.href).toBe(true);
  });
});
