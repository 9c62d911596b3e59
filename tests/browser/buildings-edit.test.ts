/**
 * Buildings edited on the map in /plan, in Chromium as a planner on the demo district: add one by
 * clicking its point (the server's refusals first — more 60+ than residents, a negative count, a
 * point outside every grid — each shown at its field with nothing written), move it into the next
 * grid and see both grids' figures change, drag it, edit its figures, read its history, retire it.
 * A building is also added by drawing its footprint. The same form in English and on a phone.
 * Every figure shown is checked against the database. Screenshots at every step.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ensureWebBuilt } from '../../server/web-build.js';
import { startTestServer } from '../helpers/app.js';
import { launchBrowser, saveScreenshot, signIn } from '../helpers/browser.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server;
let browser: Browser;
let page: Page;
const COMMUNITY = '610402001003';
let streetName: string;
let communityName: string;
/** Two grids of the community sharing an edge, a point 40 m inside each from the edge's middle, and the middle. */
let a: { id: number; code: string };
let b: { id: number; code: string };
let pa: [number, number];
let pb: [number, number];
let pb2: [number, number];
let mid: [number, number];
let buildingId: number;

const sql = async (text: string, values: unknown[] = []) => (await server.db.pool.query(text, values)).rows;
const gridHouseholds = async (id: number) => (await sql(`SELECT households FROM grid WHERE id = $1`, [id]))[0].households as number;
const buildingCount = async () => (await sql(`SELECT count(*)::int AS n FROM building`))[0].n as number;
const communityHouseholds = async () => (await sql(`SELECT sum(households)::int AS n FROM grid WHERE community_code = $1 AND retired_at IS NULL`, [COMMUNITY]))[0].n as number;

async function plannerPage(viewport: { width: number; height: number }, language: 'zh-CN' | 'en' = 'zh-CN'): Promise<Page> {
  const context = await browser.newContext({ locale: language, viewport });
  await context.addInitScript((lang) => window.localStorage.setItem('wangge.language', lang), language);
  await signIn(context, server.baseUrl, 'planner');
  const p = await context.newPage();
  p.on('pageerror', (error) => console.error('[page error]', error.message));
  p.on('console', (message) => message.type() === 'error' && !/status of 4\d\d/.test(message.text()) && console.error('[page console]', message.text()));
  return p;
}

/** Page coordinates of a longitude/latitude on the planning map. */
async function screen(p: Page, lonLat: [number, number]) {
  const box = (await p.locator('.plan-map__canvas').boundingBox())!;
  const xy = await p.evaluate((ll) => {
    const map = (document.querySelector('.plan-map__canvas') as unknown as { wanggeMap: { project(q: [number, number]): { x: number; y: number } } }).wanggeMap;
    return map.project(ll);
  }, lonLat);
  return { x: box.x + xy.x, y: box.y + xy.y };
}
/** Waits until the map's drawing places a building's point (what a click then does). */
async function placingPoint(p: Page) {
  await p.waitForFunction(() => (document.querySelector('.plan-map__canvas') as unknown as { wanggeDrawing: { active: string | null } }).wanggeDrawing.active === 'point', null, { timeout: 10_000 });
}
async function clickAt(p: Page, lonLat: [number, number]) {
  const { x, y } = await screen(p, lonLat);
  await p.mouse.click(x, y);
}
async function jump(p: Page, center: [number, number], zoom: number) {
  await p.evaluate(({ c, z }) => {
    const map = (document.querySelector('.plan-map__canvas') as unknown as { wanggeMap: { jumpTo(o: object): void } }).wanggeMap;
    map.jumpTo({ center: c, zoom: z });
  }, { c: center, z: zoom });
  await p.waitForTimeout(700);
}
/** The re-counted row of a grid in the form: its households cell. */
const householdsCell = (p: Page, code: string) => p.locator(`.plan-building-recount td[data-grid-code="${code}"][data-figure="households"]`);
const form = (p: Page) => p.locator('.plan-building-form');

async function openCommunity(p: Page) {
  await p.goto(`${server.baseUrl}/plan`);
  await p.locator('.plan-map__canvas[data-map-ready="true"]').waitFor({ timeout: 30_000 });
  await p.getByRole('button', { name: streetName, exact: true }).click();
  await p.getByRole('button', { name: communityName, exact: true }).click();
  await p.locator('.plan-grid-label').first().waitFor({ state: 'visible', timeout: 15_000 });
}

beforeAll(async () => {
  await ensureWebBuilt(() => {});
  server = await startTestServer();
  browser = await launchBrowser();
  const [c] = await sql(`SELECT c.name, s.name AS street FROM admin_area c JOIN admin_area s ON s.code = c.parent_code WHERE c.code = $1`, [COMMUNITY]);
  communityName = c.name;
  streetName = c.street;
  const [pair] = await sql(
    `WITH pair AS (
       SELECT a.id AS a, a.code AS a_code, b.id AS b, b.code AS b_code, a.geom AS ag, b.geom AS bg,
              ST_LineMerge(ST_CollectionExtract(ST_Intersection(a.geom, b.geom), 2)) AS edge
         FROM grid a JOIN grid b ON a.community_code = b.community_code AND a.id < b.id
        WHERE a.community_code = $1 AND a.retired_at IS NULL AND b.retired_at IS NULL
        ORDER BY ST_Length(ST_CollectionExtract(ST_Intersection(a.geom, b.geom), 2)::geography) DESC LIMIT 1),
     m AS (SELECT *, ST_LineInterpolatePoint(ST_GeometryN(edge, 1), 0.5) AS mid FROM pair)
     SELECT a::int, a_code, b::int, b_code, ST_X(mid) AS mx, ST_Y(mid) AS my,
            ST_X(pa) AS ax, ST_Y(pa) AS ay, ST_X(pb) AS bx, ST_Y(pb) AS by, ST_X(pb2) AS b2x, ST_Y(pb2) AS b2y
       FROM m,
            LATERAL (SELECT ST_ClosestPoint(ST_Buffer(ag::geography, -40)::geometry, mid) AS pa,
                            ST_ClosestPoint(ST_Buffer(bg::geography, -40)::geometry, mid) AS pb,
                            ST_ClosestPoint(ST_Buffer(bg::geography, -70)::geometry, mid) AS pb2) x`, [COMMUNITY]);
  a = { id: pair.a, code: pair.a_code };
  b = { id: pair.b, code: pair.b_code };
  pa = [pair.ax, pair.ay];
  pb = [pair.bx, pair.by];
  pb2 = [pair.b2x, pair.b2y];
  mid = [pair.mx, pair.my];
  page = await plannerPage({ width: 1500, height: 950 });
}, 180_000);

afterEach(async (context) => {
  if (context.task.result?.state === 'fail' && page) await saveScreenshot(page, `buildings-edit-failed-${context.task.name.slice(0, 40).replace(/[^a-z0-9]+/gi, '-')}`);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('buildings on the planning map', () => {
  it('adds a building by its point: refusals at the field and nothing written, then its grid and community figures change at once', async () => {
    await openCommunity(page);
    await jump(page, mid, 17.2);
    const aBefore = await gridHouseholds(a.id);
    const communityBefore = await communityHouseholds();
    const count = await buildingCount();

    await page.getByRole('button', { name: '添加楼栋' }).click();
    await form(page).getByRole('heading', { name: '新增楼栋' }).waitFor();
    await form(page).getByText('在地图上点击楼栋位置').waitFor();
    await placingPoint(page);
    await clickAt(page, pa);
    await form(page).getByText(/新位置：108\.\d{6}，34\.\d{6}/).waitFor();
    await form(page).getByLabel('名称').fill('幸福里 9 号楼');
    await form(page).getByLabel('地址').fill('幸福路 9 号');
    await form(page).getByLabel('户数').fill('40');
    await form(page).getByLabel('人数').fill('90');
    await form(page).getByLabel('60 岁以上').fill('100');
    await form(page).getByLabel('80 岁以上').fill('5');
    await form(page).getByLabel('原因').fill('新建住宅楼');

    // More 60+ than residents: refused, shown at the field, nothing written.
    await form(page).getByRole('button', { name: '添加楼栋' }).click();
    await form(page).getByRole('alert').getByText('服务器拒绝了此修改，未做任何更改。 60 岁以上人数不能多于总人数。').waitFor();
    await expect(form(page).getByLabel('60 岁以上').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(form(page).getByRole('alert').innerText()).resolves.toContain('60 岁以上人口（100）多于常住人口（90）');
    expect(await buildingCount()).toBe(count);
    await saveScreenshot(page, 'buildings-edit-01-refused-60-plus');

    // A negative count: refused at its field.
    await form(page).getByLabel('60 岁以上').fill('20');
    await form(page).getByLabel('户数').fill('-3');
    await form(page).getByRole('button', { name: '添加楼栋' }).click();
    await form(page).getByRole('alert').getByText('户数须为不小于 0 的整数。').waitFor();
    await expect(form(page).getByLabel('户数').getAttribute('aria-invalid')).resolves.toBe('true');
    expect(await buildingCount()).toBe(count);
    await saveScreenshot(page, 'buildings-edit-02-refused-negative');

    // A point outside every grid (west of the district): refused at the position.
    await form(page).getByLabel('户数').fill('40');
    await jump(page, [108.3, 34.3], 16);
    await clickAt(page, [108.3, 34.3]);
    await form(page).getByText('新位置：108.300000，34.300000').waitFor();
    await form(page).getByRole('button', { name: '添加楼栋' }).click();
    await form(page).getByRole('alert').getByText('该位置不在任何网格内：楼栋必须位于某个网格之中。').waitFor();
    await expect(form(page).getByRole('alert').innerText()).resolves.toMatch(/位置（[\d.]+, [\d.]+）不在任何网格内/);
    expect(await buildingCount()).toBe(count);
    expect(await gridHouseholds(a.id)).toBe(aBefore);
    await saveScreenshot(page, 'buildings-edit-03-refused-outside');

    // Placed in grid a: added; the grid and the community gain its 40 households.
    await jump(page, mid, 17.2);
    await clickAt(page, pa);
    await form(page).getByRole('button', { name: '添加楼栋' }).click();
    await page.getByRole('status').getByText('已添加楼栋 幸福里 9 号楼，所在网格人口已重新汇总').waitFor();
    const [row] = await sql(`SELECT id::int, households, residents, residents_60_plus AS r60, community_code AS community FROM building WHERE name = '幸福里 9 号楼' AND retired_at IS NULL`);
    buildingId = row.id;
    expect(row).toMatchObject({ households: 40, residents: 90, r60: 20, community: COMMUNITY });
    expect(await gridHouseholds(a.id)).toBe(aBefore + 40);
    expect(await communityHouseholds()).toBe(communityBefore + 40);
    await form(page).getByRole('heading', { name: '楼栋 幸福里 9 号楼' }).waitFor();
    await expect(householdsCell(page, a.code).innerText()).resolves.toBe(`${aBefore.toLocaleString()} → ${(aBefore + 40).toLocaleString()}`);
    await expect(form(page).locator('[data-community-figures]').innerText()).resolves.toContain(`${(communityBefore + 40).toLocaleString()} 户`);
    // The sidebar's community figures follow too.
    await page.waitForFunction((n) => document.querySelector('.plan-figures')?.textContent?.includes(n), (communityBefore + 40).toLocaleString());
    await page.waitForTimeout(800);
    await saveScreenshot(page, 'buildings-edit-04-added');
  });

  it('moves the building into the next grid (a click, then a drag): both grids\' figures change', async () => {
    const aNow = await gridHouseholds(a.id);
    const bBefore = await gridHouseholds(b.id);
    await form(page).getByRole('button', { name: '移动楼栋' }).click();
    await form(page).getByText('在地图上点击楼栋位置').waitFor();
    await placingPoint(page);
    await clickAt(page, pb);
    await form(page).getByText(/新位置：/).waitFor();
    await saveScreenshot(page, 'buildings-edit-05-moving');
    await form(page).getByRole('button', { name: '保存新位置' }).click();
    await page.getByRole('status').getByText('已移动楼栋 幸福里 9 号楼，原网格和新网格人口已重新汇总').waitFor();
    expect(await gridHouseholds(a.id)).toBe(aNow - 40);
    expect(await gridHouseholds(b.id)).toBe(bBefore + 40);
    await expect(householdsCell(page, a.code).innerText()).resolves.toBe(`${aNow.toLocaleString()} → ${(aNow - 40).toLocaleString()}`);
    await expect(householdsCell(page, b.code).innerText()).resolves.toBe(`${bBefore.toLocaleString()} → ${(bBefore + 40).toLocaleString()}`);
    await page.waitForTimeout(800);
    await saveScreenshot(page, 'buildings-edit-06-moved');

    // Dragged a little further into grid b: the point follows the drag.
    await form(page).getByRole('button', { name: '移动楼栋' }).click();
    await placingPoint(page);
    const from = await screen(page, pb);
    const to = await screen(page, pb2);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(to.x, to.y, { steps: 15 });
    await page.mouse.up();
    await form(page).getByText(/新位置：/).waitFor();
    await form(page).getByRole('button', { name: '保存新位置' }).click();
    await form(page).getByText(/第 3 版 · 社区/).waitFor();
    const [dragged] = await sql(`SELECT ST_Distance(geom::geography, ST_SetSRID(ST_MakePoint($2, $3), 4326)::geography) AS off FROM building WHERE id = $1`, [buildingId, ...pb2]);
    expect(dragged.off).toBeLessThan(3);
    expect(await gridHouseholds(b.id)).toBe(bBefore + 40);
  });

  it('edits the figures, shows the history, and retires the building', async () => {
    const bNow = await gridHouseholds(b.id);
    await form(page).getByText(/第 3 版 · 社区/).waitFor();
    await form(page).getByLabel('户数').fill('47');
    await form(page).getByLabel('原因').fill('入户核实');
    await form(page).getByRole('button', { name: '保存楼栋' }).click();
    await page.getByRole('status').getByText('已保存楼栋 幸福里 9 号楼，所在网格人口已重新汇总').waitFor();
    expect(await gridHouseholds(b.id)).toBe(bNow + 7);
    await expect(householdsCell(page, b.code).innerText()).resolves.toBe(`${bNow.toLocaleString()} → ${(bNow + 7).toLocaleString()}`);

    // The history: newest first, who, what changed, why.
    const history = form(page).locator('.plan-building-history li');
    await history.filter({ hasText: '第 4 版 · 修改' }).waitFor();
    await expect(history.count()).resolves.toBe(4);
    const texts = await history.allInnerTexts();
    expect(texts[0]).toContain('planner');
    expect(texts[0]).toContain('户数 40 → 47');
    expect(texts[0]).toContain('原因：入户核实');
    expect(texts[1]).toMatch(/第 3 版 · 移动[\s\S]*移动约 \d+ 米/);
    expect(texts[2]).toMatch(/第 2 版 · 移动[\s\S]*移动约 \d+ 米/);
    expect(texts[3]).toMatch(/第 1 版 · 新增[\s\S]*初始：40 户，90 人，60\+ 20，80\+ 5[\s\S]*原因：新建住宅楼/);
    const versions = await sql(`SELECT version, action, households, changed_by_username AS who FROM building_version WHERE building_id = $1 ORDER BY version`, [buildingId]);
    expect(versions.map((v) => [v.version, v.action, v.households, v.who])).toEqual([[1, 'create', 40, 'planner'], [2, 'move', 40, 'planner'], [3, 'move', 40, 'planner'], [4, 'update', 47, 'planner']]);
    await form(page).locator('.plan-building-history').scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'buildings-edit-07-history');

    await form(page).getByLabel('原因').fill('拆除');
    await form(page).getByRole('button', { name: '停用楼栋' }).click();
    await page.getByRole('status').getByText('已停用楼栋 幸福里 9 号楼，所在网格人口已重新汇总').waitFor();
    expect(await gridHouseholds(b.id)).toBe(bNow - 40);
    await expect(householdsCell(page, b.code).innerText()).resolves.toBe(`${(bNow + 7).toLocaleString()} → ${(bNow - 40).toLocaleString()}`);
    await form(page).getByText(/第 5 版 · 社区 \d+ · 已停用/).waitFor();
    await history.filter({ hasText: '第 5 版 · 停用' }).waitFor();
    await expect(form(page).getByRole('button', { name: '保存楼栋' }).count()).resolves.toBe(0);
    await expect(form(page).getByLabel('户数').isDisabled()).resolves.toBe(true);
    await saveScreenshot(page, 'buildings-edit-08-retired');
  });

  it('adds a building by drawing its footprint: it sits at the footprint\'s inner point', async () => {
    await form(page).getByRole('button', { name: '关闭楼栋' }).click();
    const bNow = await gridHouseholds(b.id);
    await jump(page, pb2, 18);
    await page.getByRole('button', { name: '添加楼栋' }).click();
    await form(page).getByRole('button', { name: '画轮廓' }).click();
    await form(page).getByText('在地图上逐点画出楼栋轮廓').waitFor();
    // An L-shaped footprint around pb2, about 30 m across.
    const d = 0.00012;
    const corners = [[0, 0], [2, 0], [2, 0.6], [0.6, 0.6], [0.6, 2], [0, 2]].map(([x, y]) => [pb2[0] + (x! - 0.5) * d, pb2[1] + (y! - 0.5) * d] as [number, number]);
    for (const corner of corners) {
      await clickAt(page, corner);
      await page.waitForTimeout(150);
    }
    await page.keyboard.press('Enter');
    await form(page).getByText('已画轮廓（6 个顶点），楼栋将置于轮廓内点。').waitFor();
    await form(page).getByLabel('名称').fill('拐角楼');
    await form(page).getByLabel('户数').fill('12');
    await form(page).getByLabel('人数').fill('30');
    await form(page).getByLabel('60 岁以上').fill('8');
    await form(page).getByLabel('80 岁以上').fill('2');
    await saveScreenshot(page, 'buildings-edit-09-footprint');
    await form(page).getByRole('button', { name: '添加楼栋' }).click();
    await page.getByRole('status').getByText('已添加楼栋 拐角楼，所在网格人口已重新汇总').waitFor();
    const ring = [...corners, corners[0]!];
    const [placed] = await sql(
      `SELECT ST_DWithin(geom::geography, ST_PointOnSurface(f)::geography, 1) AS inner_point, ST_Covers(f, geom) AS on_footprint
         FROM building, (SELECT ST_SetSRID(ST_GeomFromGeoJSON($1), 4326) AS f) x WHERE name = '拐角楼' AND retired_at IS NULL`,
      [JSON.stringify({ type: 'Polygon', coordinates: [ring] })]);
    expect(placed).toEqual({ inner_point: true, on_footprint: true });
    expect(await gridHouseholds(b.id)).toBe(bNow + 12);
    await page.waitForTimeout(800);
    await saveScreenshot(page, 'buildings-edit-10-footprint-added');
  });

  it('in English: a building clicked on the map opens its form; a refusal reads in English', async () => {
    const en = await plannerPage({ width: 1500, height: 950 }, 'en');
    await openCommunity(en);
    await jump(en, pb2, 18);
    const [k] = await sql(`SELECT id::int, ST_X(geom) AS lon, ST_Y(geom) AS lat, households FROM building WHERE name = '拐角楼' AND retired_at IS NULL`);
    await en.waitForTimeout(1000);
    await clickAt(en, [k.lon, k.lat]);
    await form(en).getByRole('heading', { name: 'Building 拐角楼' }).waitFor();
    await form(en).getByText('Building history').waitFor();
    await form(en).getByText(/Version 1 · added/).waitFor();
    await form(en).getByLabel('Aged 80+').fill('9');
    await form(en).getByRole('button', { name: 'Save building' }).click();
    await form(en).getByRole('alert').getByText('The server refused this change; nothing was changed. Aged 80+ cannot be more than aged 60+.').waitFor();
    expect((await sql(`SELECT residents_80_plus AS r80, version FROM building WHERE id = $1`, [k.id]))[0]).toEqual({ r80: 2, version: 1 });
    await saveScreenshot(en, 'buildings-edit-11-en-refused');
    await en.context().close();
  });

  it('on a phone: the form and its refusal fit the screen', async () => {
    const phone = await plannerPage({ width: 390, height: 844 });
    await openCommunity(phone);
    await jump(phone, mid, 17);
    await phone.getByRole('button', { name: '添加楼栋' }).click();
    await form(phone).getByText('在地图上点击楼栋位置').waitFor();
    await phone.locator('.plan-map__canvas').scrollIntoViewIfNeeded();
    await placingPoint(phone);
    await clickAt(phone, pa);
    await form(phone).getByText(/新位置：/).waitFor();
    await form(phone).getByLabel('名称').fill('手机添加楼');
    await form(phone).getByLabel('人数').fill('5');
    await form(phone).getByLabel('60 岁以上').fill('6');
    await form(phone).getByRole('button', { name: '添加楼栋' }).click();
    await form(phone).getByRole('alert').getByText(/60 岁以上人数不能多于总人数/).waitFor();
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    await form(phone).scrollIntoViewIfNeeded();
    await saveScreenshot(phone, 'buildings-edit-12-phone-refused');
    await form(phone).getByLabel('60 岁以上').fill('1');
    await form(phone).getByRole('button', { name: '添加楼栋' }).click();
    await phone.getByRole('status').getByText('已添加楼栋 手机添加楼，所在网格人口已重新汇总').waitFor();
    await form(phone).scrollIntoViewIfNeeded();
    await saveScreenshot(phone, 'buildings-edit-13-phone-added');
    await phone.context().close();
  });
});
