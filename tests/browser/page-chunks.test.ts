/**
 * A page loads only what it uses (needs `npx vite build` first): the chunks of the build that
 * carry MapLibre or deck.gl are found by their contents, and the requests each page makes in
 * Chromium are recorded. The user admin page fetches neither; the public map and the grid
 * worker's report form fetch MapLibre but not deck.gl; the incident analysis fetches both.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import type { Role } from '../../server/modules/auth/roles.js';
import { webDistDir } from '../../server/paths.js';
import { startTestServer } from '../helpers/app.js';
import { launchBrowser, saveScreenshot, signIn } from '../helpers/browser.js';

let server: Awaited<ReturnType<typeof startTestServer>>;
let browser: Browser;
/** Asset file names of the chunks that carry MapLibre, and of those that carry deck.gl / luma.gl. */
const maplibreChunks = new Set<string>();
const deckChunks = new Set<string>();
beforeAll(async () => {
  const assets = path.join(webDistDir, 'assets');
  for (const file of fs.readdirSync(assets).filter((f) => /\.m?js$/.test(f))) {
    const text = fs.readFileSync(path.join(assets, file), 'utf8');
    if (file.startsWith('maplibre-gl-worker') || text.includes('maplibregl-ctrl')) maplibreChunks.add(file);
    if (text.includes('luma.gl') || text.includes('deck.gl')) deckChunks.add(file);
  }
  server = await startTestServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens a page as a role (logged in through the API) and lists the asset files it fetched. */
async function assetsFetchedBy(pagePath: string, role: Role | null, waitFor: (context: BrowserContext) => Promise<void>, screenshot: string) {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 } });
  try {
    if (role) {
      await signIn(context, server.baseUrl, role);
    }
    const fetched = new Set<string>();
    context.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith('/assets/')) fetched.add(url.pathname.slice('/assets/'.length));
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${server.baseUrl}${pagePath}`);
    await waitFor(context);
    // Anything a page would fetch late (a lazy chunk behind an effect) has had time to start.
    await page.waitForTimeout(1000);
    await saveScreenshot(page, screenshot);
    expect(errors).toEqual([]);
    return fetched;
  } finally {
    await context.close();
  }
}

/**
 * Waits for the map canvas and checks that the map fills its frame: MapLibre's stylesheet comes in
 * the map's chunk, after or before a page's own, and a tie lost to it once left maps zero pixels high.
 */
const canvasDrawn = async (context: BrowserContext) => {
  const page = context.pages()[0]!;
  await page.locator('canvas.maplibregl-canvas').first().waitFor({ timeout: 30_000 });
  const box = (await page.locator('.maplibregl-map').first().boundingBox())!;
  expect(box.height).toBeGreaterThan(150);
  expect(box.width).toBeGreaterThan(150);
};

describe('chunks per page', () => {
  it('the build has MapLibre and deck.gl in chunks of their own', () => {
    expect(maplibreChunks.size).toBeGreaterThanOrEqual(2); // the library and its worker
    expect(deckChunks.size).toBeGreaterThanOrEqual(1);
    for (const file of maplibreChunks) expect(deckChunks.has(file)).toBe(false);
  });

  it('/admin/users fetches neither MapLibre nor deck.gl', async () => {
    const fetched = await assetsFetchedBy('/admin/users', 'admin', async (context) => {
      await context.pages()[0]!.getByRole('heading', { name: '账号管理' }).waitFor();
    }, 'page-chunks-01-admin-users-phone');
    expect(fetched.size).toBeGreaterThan(0);
    expect([...fetched].filter((f) => maplibreChunks.has(f) || deckChunks.has(f))).toEqual([]);
  });

  it('the public map fetches MapLibre and its worker, not deck.gl', async () => {
    const fetched = await assetsFetchedBy('/', null, canvasDrawn, 'page-chunks-02-public-map-phone');
    expect([...maplibreChunks].filter((f) => !fetched.has(f))).toEqual([]);
    expect([...fetched].filter((f) => deckChunks.has(f))).toEqual([]);
  });

  it("the grid worker's report form draws its map without deck.gl", async () => {
    const fetched = await assetsFetchedBy('/report', 'grid_worker', canvasDrawn, 'page-chunks-03-report-phone');
    expect([...fetched].some((f) => maplibreChunks.has(f))).toBe(true);
    expect([...fetched].filter((f) => deckChunks.has(f))).toEqual([]);
  });

  it('the facility editing page fetches MapLibre, not deck.gl, and its map fills its frame', async () => {
    const fetched = await assetsFetchedBy('/facilities', 'planner', canvasDrawn, 'page-chunks-05-facilities-phone');
    expect([...fetched].some((f) => maplibreChunks.has(f))).toBe(true);
    expect([...fetched].filter((f) => deckChunks.has(f))).toEqual([]);
  });

  it('the planning page fetches MapLibre, not deck.gl', async () => {
    const fetched = await assetsFetchedBy('/plan', 'planner', canvasDrawn, 'page-chunks-06-plan-phone');
    expect([...fetched].some((f) => maplibreChunks.has(f))).toBe(true);
    expect([...fetched].filter((f) => deckChunks.has(f))).toEqual([]);
  });

  it('the incident analysis fetches deck.gl for its heatmap', async () => {
    const fetched = await assetsFetchedBy('/incidents', 'analyst', canvasDrawn, 'page-chunks-04-incidents-phone');
    expect([...fetched].some((f) => deckChunks.has(f))).toBe(true);
  });
});
