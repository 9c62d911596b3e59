/**
 * Area outlines in the browser, as a planner against the demo district: in /plan a community
 * without an outline shows "暂无边界" in the tree; its outline is drawn by clicking near the
 * vertices (snapping to the street and the neighbouring communities puts them exactly), and the
 * tree changes. On /areas outlines are derived from grids: one after a preview on a small map,
 * then the rest at once with progress. Screenshots under tests/screenshots/.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ensureWebBuilt } from '../../server/web-build.js';
import { DEMO_ACCOUNTS } from '../../server/demo/accounts.js';
import { startTestServer } from '../helpers/app.js';
import { launchBrowser, saveScreenshot, signIn } from '../helpers/browser.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const planner = DEMO_ACCOUNTS.find((a) => a.role === 'planner')!;
const sql = async (text: string, values: unknown[] = []) => (await server.db.pool.query(text, values)).rows;

beforeAll(async () => {
  await ensureWebBuilt(() => {});
  server = await startTestServer();
  browser = await launchBrowser();
  context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1500, height: 950 } });
  await signIn(context, server.baseUrl, planner);
  page = await context.newPage();
  page.on('pageerror', (error) => console.error('[page error]', error.message));
  page.on('console', (message) => message.type() === 'error' && console.error('[page console]', message.text()));
}, 180_000);

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail' && page) await saveScreenshot(page, `area-outlines-failed-${ctx.task.name.slice(0, 40).replace(/[^a-z0-9]+/gi, '-')}`);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const mapCanvas = () => page.locator('.plan-map__canvas');

async function screen(lonLat: [number, number]): Promise<{ x: number; y: number }> {
  const box = (await mapCanvas().boundingBox())!;
  const p = await page.evaluate((ll) => {
    const map = (document.querySelector('.plan-map__canvas') as unknown as { wanggeMap: { project(p: [number, number]): { x: number; y: number } } }).wanggeMap;
    return map.project(ll);
  }, lonLat);
  return { x: box.x + p.x, y: box.y + p.y };
}

describe('area outlines', () => {
  it('draws the outline of a community that has none in /plan, snapping to its street and neighbours; the tree changes from "no outline yet"', async () => {
    // The demo community with the simplest outline among those with grids.
    const [c] = await sql(
      `SELECT a.code, a.name, a.version, s.name AS street, ST_AsGeoJSON(a.geom)::json AS geometry, ST_NumGeometries(a.geom) AS parts,
              ST_XMin(a.geom) AS w, ST_YMin(a.geom) AS s, ST_XMax(a.geom) AS e, ST_YMax(a.geom) AS n
         FROM admin_area a JOIN admin_area s ON s.code = a.parent_code
        WHERE a.level = 'community' AND ST_NumGeometries(a.geom) = 1 AND ST_NumInteriorRings(ST_GeometryN(a.geom, 1)) = 0
          AND EXISTS (SELECT 1 FROM grid g WHERE g.community_code = a.code AND g.retired_at IS NULL)
        ORDER BY ST_NPoints(a.geom), a.code LIMIT 1`);
    await sql(`UPDATE admin_area SET geom = NULL, outline_source = NULL WHERE code = $1`, [c.code]);

    await page.goto(`${server.baseUrl}/plan`);
    await page.locator('.plan-map__canvas[data-map-ready="true"]').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: c.street, exact: true }).click();
    const row = page.getByRole('treeitem').filter({ has: page.getByRole('button', { name: c.name, exact: true }) });
    await row.getByText('暂无边界').waitFor({ timeout: 15_000 });
    await saveScreenshot(page, 'area-outlines-01-no-outline-yet');

    await row.getByRole('button', { name: `绘制 ${c.name} 的边界` }).click();
    await page.getByText(`绘制 ${c.name} 的边界：`).waitFor();
    await page.evaluate((b) => {
      const map = (document.querySelector('.plan-map__canvas') as unknown as { wanggeMap: { fitBounds(x: number[][], o: object): void } }).wanggeMap;
      map.fitBounds([[b.w, b.s], [b.e, b.n]], { padding: 60, animate: false });
    }, c);
    await page.waitForTimeout(800);
    const ring = c.geometry.coordinates[0][0] as [number, number][];
    // A few pixels off each vertex: snapping puts it on the street's or the neighbour's vertex.
    for (const vertex of ring.slice(0, -1)) {
      const { x, y } = await screen(vertex);
      await page.mouse.click(x + 2, y - 2);
    }
    await saveScreenshot(page, 'area-outlines-02-drawing-snapped');
    await page.keyboard.press('Enter');
    await page.getByText(new RegExp(`已保存 ${c.name} 的边界（第 \\d+ 版`)).waitFor({ timeout: 15_000 });
    await page.waitForTimeout(1000);
    const [saved] = await sql(
      `SELECT outline_source, version, ST_Area(ST_SymDifference(geom, ST_SetSRID(ST_GeomFromGeoJSON($2), 4326))::geography) AS difference
         FROM admin_area WHERE code = $1`, [c.code, JSON.stringify(c.geometry)]);
    expect(saved.outline_source).toBe('drawn');
    expect(saved.version).toBe(c.version + 1);
    expect(saved.difference).toBeLessThan(1);
    await row.getByText('暂无边界').waitFor({ state: 'detached', timeout: 15_000 });
    await expect(row.getByRole('button', { name: `绘制 ${c.name} 的边界` }).count()).resolves.toBe(0);
    await saveScreenshot(page, 'area-outlines-03-drawn');

    // Its history: the outline-less original and the drawn version.
    await page.getByRole('button', { name: c.name, exact: true }).click();
    await page.getByRole('tab', { name: '历史' }).click();
    await page.getByRole('heading', { name: `${c.name} 边界的历史` }).waitFor();
    await page.getByText('（无边界）').waitFor();
    await expect(page.locator('.plan-history__item').count()).resolves.toBe(2);
    await saveScreenshot(page, 'area-outlines-04-history');
  });

  it('derives community outlines from their grids on /areas: one after a preview, then the rest with progress', async () => {
    const communities = await sql(
      `SELECT a.code, a.name, a.version FROM admin_area a
        WHERE a.level = 'community' AND a.geom IS NOT NULL AND a.code LIKE '610402003%'
          AND EXISTS (SELECT 1 FROM grid g WHERE g.community_code = a.code AND g.retired_at IS NULL)
        ORDER BY a.code LIMIT 3`);
    expect(communities).toHaveLength(3);
    await sql(`UPDATE admin_area SET geom = NULL, outline_source = NULL WHERE code = ANY($1::text[])`, [communities.map((c) => c.code)]);
    const [first] = communities;

    await page.goto(`${server.baseUrl}/areas`);
    await page.getByRole('heading', { name: '由网格生成边界' }).waitFor();
    const section = page.locator('section', { has: page.getByRole('heading', { name: '由网格生成边界' }) });
    await section.getByRole('cell', { name: first.code }).waitFor({ timeout: 15_000 });
    await section.getByRole('button', { name: `预览 ${first.name}` }).click();
    const preview = section.getByRole('region', { name: `${first.name}（${first.code}）的合成边界` });
    await preview.getByText(/边界面积 [\d,]+ 平方米/).waitFor({ timeout: 15_000 });
    await page.waitForTimeout(1500);
    await saveScreenshot(page, 'area-outlines-05-derive-preview');
    await preview.getByRole('button', { name: '生成边界' }).click();
    await section.getByText(new RegExp(`已生成 ${first.name} 的边界`)).waitFor({ timeout: 15_000 });
    const [derived] = await sql(`SELECT outline_source, version FROM admin_area WHERE code = $1`, [first.code]);
    expect(derived).toMatchObject({ outline_source: 'derived', version: first.version + 1 });
    await expect(section.getByRole('cell', { name: first.code }).count()).resolves.toBe(0);

    await section.getByRole('button', { name: /全部生成（\d+ 个）/ }).click();
    await section.getByText(/完成：生成 \d+ 个/).waitFor({ timeout: 60_000 });
    await saveScreenshot(page, 'area-outlines-06-derived-all');
    const rest = await sql(`SELECT code, outline_source FROM admin_area WHERE code = ANY($1::text[])`, [communities.slice(1).map((c) => c.code)]);
    expect(rest.map((r) => r.outline_source)).toEqual(['derived', 'derived']);
  });

  it('says why an outline cannot be derived in the UI language, and in English after switching', async () => {
    // A community of another street without its outline, one of its grids moved 2 km east: out of its street.
    const [c] = await sql(
      `SELECT a.code, a.name FROM admin_area a
        WHERE a.level = 'community' AND a.geom IS NOT NULL AND a.code LIKE '610402004%'
          AND (SELECT count(*) FROM grid g WHERE g.community_code = a.code AND g.retired_at IS NULL) >= 2
        ORDER BY a.code LIMIT 1`);
    await sql(`UPDATE admin_area SET geom = NULL, outline_source = NULL WHERE code = $1`, [c.code]);
    await sql(`UPDATE grid SET geom = ST_Translate(geom, 0.02, 0) WHERE id = (SELECT min(id) FROM grid WHERE community_code = $1 AND retired_at IS NULL)`, [c.code]);

    await page.goto(`${server.baseUrl}/areas`);
    const section = page.locator('section', { has: page.getByRole('heading', { name: '由网格生成边界' }) });
    await section.getByRole('cell', { name: c.code }).waitFor({ timeout: 15_000 });
    await section.getByRole('button', { name: `预览 ${c.name}` }).click();
    // Found by its class: the section's heading changes with the language.
    const refusal = page.locator('.areas-derive__details .error-box');
    await expect.poll(() => refusal.innerText(), { timeout: 15_000 }).toMatch(/^不能生成：生成的边界不合适：.*超出上级 .+（610402004）[\d,]+ 平方米/);
    expect(await refusal.innerText()).not.toMatch(/[A-Za-z]{4,}/);
    await refusal.scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'area-outlines-07-derive-refused');
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => refusal.innerText(), { timeout: 15_000 }).toMatch(/^Cannot derive: the derived outline would not fit: .*outside the parent 610402004 \(.+\) [\d,]+ m²/);
    await saveScreenshot(page, 'area-outlines-08-derive-refused-english');
    await page.getByRole('button', { name: '中文' }).click();
  }, 120_000);
});
