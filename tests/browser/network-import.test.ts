/**
 * The road network import on /areas, driven in Chromium as the demo planner: an OpenStreetMap
 * extract (.osm.pbf, written from tests/fixtures/osm/walking-classes.osm) is previewed — lines per
 * road class, walkable or left out, and the graph check (one island, two dangling ends, with their
 * lengths) drawn on the map — then imported as a job with its stages, replacing the demo network.
 * In Chinese and English; screenshots of the section under tests/screenshots/.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { ensureWebBuilt } from '../../server/web-build.js';
import { DEMO_ACCOUNTS } from '../../server/demo/accounts.js';
import { startTestServer } from '../helpers/app.js';
import { launchBrowser, saveScreenshot, signIn } from '../helpers/browser.js';
import { SCREENSHOT_DIR } from '../helpers/constants.js';
import { osmXmlToPbf } from '../fixtures/osm/osm-pbf.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server;
let browser: Browser;
let page: Page;
const planner = DEMO_ACCOUNTS.find((a) => a.role === 'planner')!;
const errors: string[] = [];
const pbf = osmXmlToPbf(fs.readFileSync(fileURLToPath(new URL('../fixtures/osm/walking-classes.osm', import.meta.url)), 'utf8'));
const file = { name: 'qindu-walking-classes.osm.pbf', mimeType: 'application/octet-stream', buffer: pbf };

async function shoot(section: Locator, name: string) {
  const dir = fileURLToPath(SCREENSHOT_DIR);
  fs.mkdirSync(dir, { recursive: true });
  await section.scrollIntoViewIfNeeded();
  await section.screenshot({ path: `${dir}${name}.png` });
}

beforeAll(async () => {
  await ensureWebBuilt(() => {});
  server = await startTestServer();
  browser = await launchBrowser();
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1400, height: 1800 } });
  await signIn(context, server.baseUrl, planner);
  page = await context.newPage();
  page.on('pageerror', (error) => errors.push(error.message));
}, 180_000);

afterEach(async (context) => {
  if (context.task.result?.state === 'fail' && page) await saveScreenshot(page, `network-import-failed-${context.task.name.slice(0, 30).replace(/[^a-z0-9]+/gi, '-')}`);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('/areas road network import', () => {
  it('previews an .osm.pbf: classes walkable or left out, and the islands and dangling ends on the map', async () => {
    await page.goto(`${server.baseUrl}/areas`);
    const section = page.getByRole('region', { name: '导入步行路网' });
    await expect.poll(() => section.getByText(/当前路网：demo（示例数据，合成）/).count(), { timeout: 20_000 }).toBe(1);
    await section.getByLabel('文件', { exact: true }).setInputFiles(file);
    await section.getByRole('button', { name: '预览' }).click();
    await expect.poll(() => section.getByText('格式 osm · 共 9 条线，可步行 7 条，不计入步行 2 条。').count(), { timeout: 30_000 }).toBe(1);
    const rows = section.getByRole('table', { name: '各道路等级' }).getByRole('row');
    expect(await rows.count()).toBe(9);
    const text = await section.getByRole('table', { name: '各道路等级' }).innerText();
    expect(text).toMatch(/高速公路（motorway）\s+1\s+不计入/);
    expect(text).toMatch(/高速匝道（motorway_link）\s+1\s+不计入/);
    expect(text).toMatch(/人行道（footway）\s+2\s+可步行/);
    expect(await section.getByText('孤岛 1 处，共 92 米（与主网不连通，从主网走不到）').count()).toBe(1);
    expect(await section.getByText('断头路 2 处，共 295 米（一端不与其他道路相接）').count()).toBe(1);
    // Nothing written by the preview.
    expect((await server.db.pool.query(`SELECT source FROM road_network`)).rows[0].source).toBe('demo');
    await expect.poll(() => section.locator('[data-testid="network-import-map"] canvas').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await page.waitForTimeout(2000);
    await shoot(section, 'network-import-preview');
  });

  it('imports as a job with its stages and says what it did', async () => {
    const section = page.getByRole('region', { name: '导入步行路网' });
    const stages = new Set<string>();
    await section.getByRole('button', { name: /导入路网（替换现有 \d+ 段）/ }).click();
    for (let i = 0; i < 2000; i++) {
      const progress = section.locator('.outline-import__progress');
      if (await progress.count()) stages.add(await progress.innerText().catch(() => ''));
      if (await section.getByText(/已导入路网：9 条线，可步行 7 条/).count()) break;
      await page.waitForTimeout(100);
    }
    expect(await section.getByText('已导入路网：9 条线，可步行 7 条；步行服务圈已按新路网重算。').count()).toBe(1);
    expect([...stages].some((s) => /第 \d \/ 4 步/.test(s))).toBe(true);
    await expect.poll(() => section.getByText(/当前路网：qindu-walking-classes\.osm\.pbf · 9 段道路，其中可步行 7 段/).count(), { timeout: 10_000 }).toBe(1);
    await shoot(section, 'network-import-done');
    expect((await server.db.pool.query(`SELECT source, synthetic FROM road_network`)).rows[0]).toEqual({ source: 'qindu-walking-classes.osm.pbf', synthetic: false });
  }, 240_000);

  it('works in English, and says clearly why a file is refused', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    const section = page.getByRole('region', { name: 'Import the walking network' });
    await section.getByLabel('File', { exact: true }).setInputFiles(file);
    await section.getByRole('button', { name: 'Preview' }).click();
    await expect.poll(() => section.getByText('Format osm · 9 lines: 7 walkable, 2 left out of walking.').count(), { timeout: 30_000 }).toBe(1);
    expect(await section.getByText('1 island(s), 92 m in all (not connected: no one walks to them from the network)').count()).toBe(1);
    await page.waitForTimeout(2000);
    await shoot(section, 'network-import-english');
    const motorways = JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { highway: 'motorway' }, geometry: { type: 'LineString', coordinates: [[108.70, 34.33], [108.71, 34.33]] } }] });
    await section.getByLabel('File', { exact: true }).setInputFiles({ name: 'motorways.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(motorways) });
    await section.getByRole('button', { name: 'Preview' }).click();
    await expect.poll(() => section.getByRole('alert').innerText(), { timeout: 20_000 }).toMatch(/motorways\.geojson: no walkable lines/);
    await shoot(section, 'network-import-refused');
    await page.getByRole('button', { name: '中文' }).click();
    expect(errors).toEqual([]);
  });
});
