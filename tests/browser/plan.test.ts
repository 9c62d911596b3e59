/**
 * The grid planning workspace at `/plan`, driven in Chromium as a planner against the real
 * server and the demo district: the tree and the map, validation, retiring a grid and drawing it
 * again by snapping to its neighbours, the attribute form, split, merge, reshape of a shared edge,
 * encoding after a preview, history and restore, exports and the printable map, English and a
 * narrow screen. The map draws areas and grids from the vector tiles (the requests are recorded:
 * tiles, and exact GeoJSON only for the community worked on), and each edit shows on the tiles.
 * Each step saves a screenshot under tests/screenshots/.
 */
import fs from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ensureWebBuilt } from '../../server/web-build.js';
import { DEMO_ACCOUNTS } from '../../server/demo/accounts.js';
import { startTestServer } from '../helpers/app.js';
import { launchBrowser, saveScreenshot, signIn } from '../helpers/browser.js';
import { SCREENSHOT_DIR } from '../helpers/constants.js';
import { FIXTURE_DIR, insertTestAreas } from '../fixtures/grids/fixtures.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const planner = DEMO_ACCOUNTS.find((a) => a.role === 'planner')!;
const COMMUNITY = '610402001003';
let communityName: string;
let streetName: string;
/** Every request the page made, with when. */
const requests: { url: string; at: number }[] = [];
const GRID_TILE = /\/api\/tiles\/grids\/\d+\/\d+\/\d+/;
const AREA_TILE = /\/api\/tiles\/areas\/\d+\/\d+\/\d+/;
const gridTilesSince = (since: number) => requests.filter((r) => r.at >= since && GRID_TILE.test(r.url));

const sql = async (text: string, values: unknown[] = []) => (await server.db.pool.query(text, values)).rows;

beforeAll(async () => {
  await ensureWebBuilt(() => {});
  server = await startTestServer();
  browser = await launchBrowser();
  context = await browser.newContext({ locale: 'zh-CN', acceptDownloads: true, viewport: { width: 1500, height: 950 } });
  await signIn(context, server.baseUrl, planner);
  page = await context.newPage();
  page.on('pageerror', (error) => console.error('[page error]', error.message));
  page.on('console', (message) => message.type() === 'error' && console.error('[page console]', message.text()));
  page.on('request', (request) => void requests.push({ url: request.url(), at: Date.now() }));
  const [c] = await sql(`SELECT c.name, s.name AS street FROM admin_area c JOIN admin_area s ON s.code = c.parent_code WHERE c.code = $1`, [COMMUNITY]);
  communityName = c.name;
  streetName = c.street;
}, 180_000);

afterEach(async (context) => {
  if (context.task.result?.state === 'fail' && page) await saveScreenshot(page, `plan-failed-${context.task.name.slice(0, 40).replace(/[^a-z0-9]+/gi, '-')}`);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Screen position (page coordinates) of a longitude/latitude on the planning map. */
async function screen(lonLat: [number, number]): Promise<{ x: number; y: number }> {
  const box = (await page.locator('.plan-map__canvas').boundingBox())!;
  const p = await page.evaluate((ll) => {
    const map = (document.querySelector('.plan-map__canvas') as unknown as { wanggeMap: { project(p: [number, number]): { x: number; y: number } } }).wanggeMap;
    return map.project(ll);
  }, lonLat);
  return { x: box.x + p.x, y: box.y + p.y };
}

/** Frames some grids (or the community) on the map, as a planner would zoom before working. */
async function frame(gridIds: number[] | null, padding = 80) {
  const [b] = gridIds
    ? await sql(`SELECT ST_XMin(e) AS w, ST_YMin(e) AS s, ST_XMax(e) AS e, ST_YMax(e) AS n FROM (SELECT ST_Extent(geom) AS e FROM grid WHERE id = ANY($1::bigint[])) x`, [gridIds])
    : await sql(`SELECT ST_XMin(geom) AS w, ST_YMin(geom) AS s, ST_XMax(geom) AS e, ST_YMax(geom) AS n FROM admin_area WHERE code = $1`, [COMMUNITY]);
  await page.evaluate(({ box, pad }) => {
    const map = (document.querySelector('.plan-map__canvas') as unknown as { wanggeMap: { fitBounds(b: number[][], o: object): void } }).wanggeMap;
    map.fitBounds([[box.w, box.s], [box.e, box.n]], { padding: pad, animate: false });
  }, { box: b, pad: padding });
  await page.waitForTimeout(400);
}

async function clickAt(lonLat: [number, number], options: { shift?: boolean; dx?: number; dy?: number } = {}) {
  const { x, y } = await screen(lonLat);
  if (options.shift) await page.keyboard.down('Shift');
  await page.mouse.click(x + (options.dx ?? 0), y + (options.dy ?? 0));
  if (options.shift) await page.keyboard.up('Shift');
}

async function pointInside(gridId: number): Promise<[number, number]> {
  const [r] = await sql(`SELECT ST_X(p) AS x, ST_Y(p) AS y FROM (SELECT ST_PointOnSurface(geom) AS p FROM grid WHERE id = $1) s`, [gridId]);
  return [r.x, r.y];
}

async function settle() {
  await page.waitForFunction(() => !document.querySelector('.plan-toolbar button[disabled]') || document.querySelectorAll('.plan-toolbar button:not([disabled])').length > 0);
  await page.waitForTimeout(800);
}

/** The code label on the map of each grid id shown (labels are placed from the tiles drawn). */
async function labelsById(): Promise<Map<number, string>> {
  const pairs = await page.locator('.plan-grid-label').evaluateAll((els) => els.map((e) => [Number((e as HTMLElement).dataset.gridId), e.textContent ?? ''] as [number, string]));
  return new Map(pairs);
}

/** Waits until the map labels the grids of the community with their codes in the database. */
async function labelsMatchDatabase(timeout = 15_000) {
  const grids = await liveGrids();
  const want = new Map(grids.map((g) => [Number(g.id), g.code as string]));
  const started = Date.now();
  let shown = await labelsById();
  while ([...want].some(([id, code]) => shown.get(id) !== code) && Date.now() - started < timeout) {
    await page.waitForTimeout(250);
    shown = await labelsById();
  }
  for (const [id, code] of want) expect(shown.get(id), `label of grid ${id}`).toBe(code);
  return shown;
}

async function liveGrids() {
  return sql(`SELECT id, code, version, ST_Area(geom::geography) AS area FROM grid WHERE community_code = $1 AND retired_at IS NULL ORDER BY code`, [COMMUNITY]);
}

async function adjacentPair(): Promise<[number, number]> {
  const [pair] = await sql(
    `SELECT a.id AS a, b.id AS b FROM grid a JOIN grid b ON a.community_code = b.community_code AND a.id < b.id
      WHERE a.community_code = $1 AND a.retired_at IS NULL AND b.retired_at IS NULL
        AND ST_Length(ST_CollectionExtract(ST_Intersection(a.geom, b.geom), 2)::geography) > 120
      ORDER BY ST_Length(ST_CollectionExtract(ST_Intersection(a.geom, b.geom), 2)::geography) DESC LIMIT 1`, [COMMUNITY]);
  return [pair.a, pair.b];
}

describe('grid planning workspace', () => {
  it('shows the tree, the community on the map with its grids and codes, and its figures and problems', async () => {
    await page.goto(`${server.baseUrl}/plan`);
    await page.locator('.plan-map__canvas[data-map-ready="true"]').waitFor({ timeout: 30_000 });
    // Zoomed out below the grid tiles: area outlines only, and a note to zoom in.
    await page.evaluate(() => {
      const map = (document.querySelector('.plan-map__canvas') as unknown as { wanggeMap: { jumpTo(o: object): void } }).wanggeMap;
      map.jumpTo({ zoom: 9.5 });
    });
    await page.getByText('放大地图以显示网格').waitFor();
    await page.waitForTimeout(1200);
    await saveScreenshot(page, 'plan-00a-zoomed-out');
    await page.getByRole('button', { name: streetName, exact: true }).click();
    await page.getByText('放大地图以显示网格').waitFor({ state: 'detached' });
    // A street shows its figures and the problems of all its communities.
    await page.getByText(/\d+ 个错误，\d+ 个提醒/).waitFor({ timeout: 15_000 });
    await expect(page.locator('.plan-figures').innerText()).resolves.toContain(streetName);
    await page.waitForTimeout(800);
    await saveScreenshot(page, 'plan-00-street');
    // Colouring by a figure repaints the tiles already drawn (households against the norm; residents
    // per grid manager from the tiles' manager counts).
    const colourBy = page.getByLabel('着色');
    await colourBy.selectOption('households');
    await page.waitForTimeout(700);
    await saveScreenshot(page, 'plan-00b-by-households');
    await colourBy.selectOption('residentsPerManager');
    await page.waitForTimeout(700);
    await saveScreenshot(page, 'plan-00c-by-residents-per-manager');
    await colourBy.selectOption('type');
    await page.getByRole('button', { name: communityName, exact: true }).click();
    await page.locator('.plan-grid-label').first().waitFor({ state: 'visible', timeout: 15_000 });
    await page.getByText(/个错误，\d+ 个提醒|未发现问题/).waitFor();
    await page.waitForTimeout(1200);
    const grids = await liveGrids();
    // Each grid of the community has its code label, once (a grid cut by tile edges comes in pieces).
    for (const grid of grids) await expect(page.locator('.plan-grid-label', { hasText: grid.code }).count()).resolves.toBe(1);
    const labelled = await page.locator('.plan-grid-label').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.gridId));
    expect(new Set(labelled).size).toBe(labelled.length);
    // Grids of the neighbouring communities are labelled too: they come from the same tiles.
    const [others] = await sql(`SELECT count(*)::int AS n FROM grid WHERE id = ANY($1::bigint[]) AND community_code <> $2`, [labelled.map(Number), COMMUNITY]);
    expect(others.n).toBeGreaterThan(0);
    // Drawn from the tiles: grid and area tiles were fetched; exact GeoJSON only for this community.
    const urls = requests.map((r) => r.url);
    expect(urls.filter((u) => GRID_TILE.test(u)).length).toBeGreaterThan(0);
    expect(urls.filter((u) => AREA_TILE.test(u)).length).toBeGreaterThan(0);
    expect(urls.some((u) => u.includes(`/api/grids?community=${COMMUNITY}`))).toBe(true);
    expect(urls.filter((u) => /\/api\/grids\?street=/.test(u))).toEqual([]);
    expect(urls.filter((u) => u.includes('/api/areas?') && !u.includes('level=street') && !u.includes('parent='))).toEqual([]);
    await expect(page.getByRole('tree').getByRole('treeitem').filter({ hasText: grids[0].code.slice(12) }).count()).resolves.toBeGreaterThan(0);
    await expect(page.locator('.plan-figures').innerText()).resolves.toContain(communityName);
    await saveScreenshot(page, 'plan-01-community');

    // A grid of another community clicked on the map (a tile feature): that community becomes the
    // one worked on, in the tree too; choosing ours in the tree again brings it back.
    const [neighbour] = await sql(
      `SELECT g.id, g.code, g.name FROM grid g JOIN admin_area c ON c.code = g.community_code
        WHERE g.community_code LIKE $1 || '%' AND g.community_code <> $2 AND g.retired_at IS NULL ORDER BY g.code LIMIT 1`, [COMMUNITY.slice(0, 9), COMMUNITY]);
    await frame([neighbour.id], 120);
    await clickAt(await pointInside(neighbour.id));
    await page.getByRole('heading', { name: `网格 ${neighbour.code}` }).waitFor();
    await page.locator('.plan-tree__grid.is-selected', { hasText: neighbour.name }).waitFor();
    await saveScreenshot(page, 'plan-01b-neighbour-clicked');
    await page.getByRole('button', { name: communityName, exact: true }).click();
    await page.getByRole('heading', { name: `网格 ${neighbour.code}` }).waitFor({ state: 'detached' });
  });

  it('retires a grid with Delete, then draws it again by snapping to its neighbours: no gap is left', async () => {
    const [target] = await sql(
      `SELECT id, code, ST_AsGeoJSON(geom)::json AS geometry, ST_Area(geom::geography) AS area FROM grid
        WHERE community_code = $1 AND retired_at IS NULL ORDER BY ST_NPoints(geom), code LIMIT 1`, [COMMUNITY]);
    await frame([target.id], 60);
    await clickAt(await pointInside(target.id));
    await page.getByRole('heading', { name: `网格 ${target.code}` }).waitFor();
    page.once('dialog', (dialog) => void dialog.accept());
    await page.keyboard.press('Delete');
    await page.getByText(`已撤销网格 ${target.code}`).waitFor();
    await page.getByRole('tab', { name: '问题' }).click();
    await page.getByText('社区内空隙').first().waitFor();
    await settle();
    await saveScreenshot(page, 'plan-02-retired-gap');

    await page.getByRole('button', { name: '绘制网格' }).click();
    const ring = target.geometry.coordinates[0][0] as [number, number][];
    // Each click a few pixels off the vertex: snapping puts it on the neighbours' vertex.
    for (const vertex of ring.slice(0, -1)) await clickAt(vertex, { dx: 2, dy: -2 });
    await saveScreenshot(page, 'plan-03-drawing-snapped');
    await page.keyboard.press('Enter');
    await page.getByText(/已新建网格 \d{15}/).waitFor({ timeout: 15_000 });
    await settle();
    const [created] = await sql(
      `SELECT g.code, ST_Area(ST_SymDifference(g.geom, old.geom)::geography) AS difference
         FROM grid g, grid old WHERE old.id = $1 AND g.community_code = $2 AND g.retired_at IS NULL ORDER BY g.id DESC LIMIT 1`, [target.id, COMMUNITY]);
    expect(created.code).not.toBe(target.code);
    expect(created.difference).toBeLessThan(0.5);
    await page.getByRole('tab', { name: '问题' }).click();
    await page.waitForTimeout(500);
    await expect(page.locator('.plan-finding-groups').innerText()).resolves.not.toMatch(/社区内空隙|网格重叠|碎片/);
    await saveScreenshot(page, 'plan-04-drawn-no-gap');
  });

  it('edits the attributes of a grid in the form and restores the earlier version from the history', async () => {
    const [grid] = await liveGrids();
    // A grid that holds buildings has their sum and no typed figures: this one's buildings are
    // retired first, so that its figures are entered ones.
    await sql(`UPDATE building b SET retired_at = now() FROM grid g WHERE g.id = $1 AND ST_Covers(g.geom, b.geom)`, [grid.id]);
    await frame(null);
    await clickAt(await pointInside(grid.id));
    await page.getByRole('tab', { name: '网格属性' }).click();
    await page.getByText('网格内没有楼栋：人口为录入数（可在此修改或按网格导入）').waitFor();
    await page.getByLabel('户数', { exact: true }).fill('412');
    await page.getByLabel('网格长姓名').fill('测试网格长');
    await page.getByLabel('变更原因', { exact: true }).last().fill('入户核查');
    await page.getByRole('button', { name: '保存属性' }).click();
    await page.getByText(`已保存网格 ${grid.code}`).waitFor();
    const [saved] = await sql(`SELECT households, version FROM grid WHERE id = $1`, [grid.id]);
    expect(saved).toMatchObject({ households: 412, version: grid.version + 1 });
    await page.getByRole('tab', { name: '历史' }).click();
    await page.getByText('入户核查').waitFor();
    await page.getByRole('button', { name: '在地图上显示' }).last().click();
    await page.waitForTimeout(700);
    await saveScreenshot(page, 'plan-05-history');
    await page.getByRole('button', { name: `恢复此版本 第 ${grid.version} 版` }).click();
    await page.getByText(`已将网格 ${grid.code} 恢复到第 ${grid.version} 版`).waitFor();
    const [restored] = await sql(`SELECT households, version, (SELECT count(*) FROM grid_staff s WHERE s.grid_id = g.id AND s.name = '测试网格长')::int AS test_leader FROM grid g WHERE id = $1`, [grid.id]);
    expect(restored.households).not.toBe(412);
    expect(restored.version).toBe(grid.version + 2);
    expect(restored.test_leader).toBe(0);
  });

  it('edits an outline by dragging a vertex; pushing it into a neighbour is refused with the neighbour and the area', async () => {
    const [grid] = await liveGrids();
    const [ring] = await sql(
      `SELECT (ST_DumpPoints(geom)).geom AS p FROM grid WHERE id = $1`, [grid.id]).then(async () =>
      sql(`SELECT ST_X(p) AS x, ST_Y(p) AS y, ST_X(c) AS cx, ST_Y(c) AS cy
             FROM (SELECT (ST_DumpPoints(g.geom)).geom AS p, ST_Centroid(g.geom) AS c FROM grid g WHERE g.id = $1) d
            WHERE EXISTS (SELECT 1 FROM grid o WHERE o.id <> $1 AND o.retired_at IS NULL AND ST_Intersects(o.geom, d.p))
            LIMIT 1`, [grid.id]));
    await frame([grid.id], 120);
    await clickAt(await pointInside(grid.id));
    await page.getByRole('button', { name: '修改边界' }).click();
    await page.getByRole('button', { name: '保存边界' }).waitFor();
    // Drag the shared vertex away from the grid's centre: into the neighbours.
    const from = await screen([ring.x, ring.y]);
    const towards = await screen([ring.cx, ring.cy]);
    const length = Math.hypot(from.x - towards.x, from.y - towards.y);
    const to = { x: from.x + ((from.x - towards.x) / length) * 40, y: from.y + ((from.y - towards.y) / length) * 40 };
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    for (let i = 1; i <= 8; i++) await page.mouse.move(from.x + ((to.x - from.x) * i) / 8, from.y + ((to.y - from.y) * i) / 8);
    await page.mouse.up();
    await page.waitForTimeout(300);
    await saveScreenshot(page, 'plan-05b-outline-dragged');
    await page.getByLabel('变更原因', { exact: true }).first().fill('边界调整'); // a boundary change needs its reason
    await page.getByRole('button', { name: '保存边界' }).click();
    const refusal = page.locator('.plan-message').filter({ hasText: /未保存/ });
    await refusal.waitFor({ timeout: 15_000 });
    await expect(refusal.innerText()).resolves.toMatch(/与网格 \d{15}（.+）重叠 [\d,]+ 平方米/);
    const [unchanged] = await sql(`SELECT version FROM grid WHERE id = $1`, [grid.id]);
    expect(unchanged.version).toBe(grid.version);
    await saveScreenshot(page, 'plan-05c-overlap-refused');
  });

  it('splits a grid with a line drawn across it', async () => {
    const before = await liveGrids();
    const biggest = [...before].sort((a, b) => b.area - a.area)[0]!;
    const [g] = await sql(`SELECT ST_XMin(geom) AS x0, ST_XMax(geom) AS x1, ST_Y(ST_Centroid(geom)) AS y FROM grid WHERE id = $1`, [biggest.id]);
    await frame([biggest.id]);
    await clickAt(await pointInside(biggest.id));
    await page.getByLabel('变更原因', { exact: true }).first().fill('边界调整'); // a boundary change needs its reason
    await page.getByRole('button', { name: '拆分', exact: true }).click();
    const margin = (g.x1 - g.x0) * 0.08;
    await clickAt([g.x0 - margin, g.y]);
    await clickAt([g.x1 + margin, g.y]);
    const splitAt = Date.now();
    await page.keyboard.press('Enter');
    await page.getByText(/已拆分：/).waitFor({ timeout: 15_000 });
    await settle();
    const after = await liveGrids();
    expect(after.length).toBe(before.length + 1);
    // The tiles on screen were fetched again: the new grid is drawn and labelled from them.
    const created = after.find((g) => !before.some((b) => b.id === g.id))!;
    await page.locator(`.plan-grid-label[data-grid-id="${created.id}"]`, { hasText: created.code }).waitFor({ timeout: 15_000 });
    expect(gridTilesSince(splitAt).length).toBeGreaterThan(0);
    await saveScreenshot(page, 'plan-06-split');
  });

  it('merges two adjacent grids', async () => {
    const before = await liveGrids();
    const [a, b] = await adjacentPair();
    await frame([a, b]);
    await clickAt(await pointInside(a));
    await clickAt(await pointInside(b), { shift: true });
    await page.getByLabel('变更原因', { exact: true }).first().fill('边界调整'); // a boundary change needs its reason
    await page.getByRole('button', { name: '合并', exact: true }).click();
    await page.getByText(/已合并为 \d{15}/).waitFor({ timeout: 15_000 });
    await settle();
    const after = await liveGrids();
    expect(after.length).toBe(before.length - 1);
    const [merged] = await sql(`SELECT count(*)::int AS retired FROM grid WHERE id IN ($1, $2) AND retired_at IS NOT NULL`, [a, b]);
    expect(merged.retired).toBe(1);
    await saveScreenshot(page, 'plan-07-merged');
  });

  it('reshapes the shared edge of two grids: both change, nothing is lost or doubled', async () => {
    const [a, b] = await adjacentPair();
    const [before] = await sql(`SELECT ST_Area(ST_Union(geom)::geography) AS area FROM grid WHERE id IN ($1, $2)`, [a, b]);
    const versions = await sql(`SELECT id, version FROM grid WHERE id IN ($1, $2) ORDER BY id`, [a, b]);
    // A line through the middle of the shared edge, turned a little, from outside both to outside both.
    const [line] = await sql(
      `WITH e AS (SELECT ST_LineMerge(ST_CollectionExtract(ST_Intersection(x.geom, y.geom), 2)) AS edge FROM grid x, grid y WHERE x.id = $1 AND y.id = $2),
            p AS (SELECT ST_StartPoint(ST_GeometryN(edge, 1)) AS s, ST_EndPoint(ST_GeometryN(edge, 1)) AS t FROM e)
       SELECT (ST_X(s) + ST_X(t)) / 2 - (ST_X(t) - ST_X(s)) * 0.8 + (ST_Y(t) - ST_Y(s)) * 0.15 AS x0,
              (ST_Y(s) + ST_Y(t)) / 2 - (ST_Y(t) - ST_Y(s)) * 0.8 - (ST_X(t) - ST_X(s)) * 0.15 AS y0,
              (ST_X(s) + ST_X(t)) / 2 + (ST_X(t) - ST_X(s)) * 0.8 - (ST_Y(t) - ST_Y(s)) * 0.15 AS x1,
              (ST_Y(s) + ST_Y(t)) / 2 + (ST_Y(t) - ST_Y(s)) * 0.8 + (ST_X(t) - ST_X(s)) * 0.15 AS y1 FROM p`, [a, b]);
    await frame([a, b], 60);
    await clickAt(await pointInside(a));
    await clickAt(await pointInside(b), { shift: true });
    await page.getByLabel('变更原因', { exact: true }).first().fill('边界调整'); // a boundary change needs its reason
    await page.getByRole('button', { name: '调整共边' }).click();
    await page.getByRole('toolbar').getByRole('button', { name: '撤销' }).waitFor();
    await clickAt([line.x0, line.y0]);
    await clickAt([line.x1, line.y1]);
    await page.keyboard.press('Enter');
    await page.locator('.plan-message').filter({ hasText: /共同边界|未保存/ }).waitFor({ timeout: 15_000 });
    const text = await page.locator('.plan-message').innerText();
    expect(text, text).toMatch(/已调整/);
    await settle();
    const [after] = await sql(`SELECT ST_Area(ST_Union(geom)::geography) AS area, ST_Area(ST_Intersection(min(geom), max(geom))::geography) AS overlap FROM (SELECT geom FROM grid WHERE id IN ($1, $2)) s`, [a, b]).catch(async () =>
      sql(`SELECT ST_Area(ST_Union(x.geom, y.geom)::geography) AS area, ST_Area(ST_Intersection(x.geom, y.geom)::geography) AS overlap FROM grid x, grid y WHERE x.id = $1 AND y.id = $2`, [a, b]));
    expect(after.area).toBeCloseTo(before.area, 0);
    expect(after.overlap).toBeLessThan(0.01);
    const versionsAfter = await sql(`SELECT id, version FROM grid WHERE id IN ($1, $2) ORDER BY id`, [a, b]);
    expect(versionsAfter.map((v) => v.version)).toEqual(versions.map((v) => v.version + 1));
    await saveScreenshot(page, 'plan-08-reshaped');

    // Ctrl+Z undoes the reshape (both grids back, together), Ctrl+Y does it again.
    await page.locator('.plan-hint').click();
    await page.keyboard.press('Control+z');
    await page.getByText(/已撤销：已调整/).waitFor({ timeout: 15_000 });
    const undone = await sql(
      `SELECT bool_and(ST_Equals(g.geom, v.geom)) AS same, array_agg(g.version ORDER BY g.id) AS versions
         FROM grid g JOIN grid_version v ON v.grid_id = g.id AND v.version = g.version - 2 WHERE g.id IN ($1, $2)`, [a, b]);
    expect(undone[0].same).toBe(true);
    expect(undone[0].versions).toEqual(versions.map((v) => v.version + 2));
    await saveScreenshot(page, 'plan-08b-reshape-undone');
    await page.keyboard.press('Control+y');
    await page.getByText(/已重做：已调整/).waitFor({ timeout: 15_000 });
    const redone = await sql(
      `SELECT bool_and(ST_Equals(g.geom, v.geom)) AS same FROM grid g JOIN grid_version v ON v.grid_id = g.id AND v.version = g.version - 2 WHERE g.id IN ($1, $2)`, [a, b]);
    expect(redone[0].same).toBe(true);
  });

  it('encodes the community after showing old → new codes', async () => {
    // Two codes swapped (as an old, hand-kept numbering would have them) so that the rule has work to do.
    const [first, second] = await liveGrids();
    await server.db.pool.query(`BEGIN; SET CONSTRAINTS grid_code_key DEFERRED;
      UPDATE grid SET code = '${second.code}' WHERE id = ${first.id}; UPDATE grid SET code = '${first.code}' WHERE id = ${second.id}; COMMIT;`);
    await page.getByRole('tab', { name: '编码' }).click();
    await page.getByRole('button', { name: '预览编码' }).click();
    await page.locator('.plan-table').waitFor();
    const apply = page.getByRole('button', { name: /应用编码/ });
    await apply.waitFor({ timeout: 5000 });
    const changedRows = await page.locator('.plan-table tr.is-changed').count();
    expect(changedRows).toBeGreaterThan(0);
    const preview = await page.locator('.plan-table tbody tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent!.trim())));
    await saveScreenshot(page, 'plan-09-encoding-preview');
    await frame(null);
    const labelsBefore = await labelsById();
    const appliedAt = Date.now();
    await apply.click();
    await page.getByText(/已重新编码 \d+ 个网格/).waitFor();
    const codes = (await liveGrids()).map((g) => g.code).sort();
    expect(codes).toEqual(preview.map((r) => r[2]!).sort());
    // The map shows the new codes at once: the grid tiles on screen were fetched again.
    const labelsAfter = await labelsMatchDatabase();
    expect([...labelsAfter].filter(([id, code]) => labelsBefore.has(id) && labelsBefore.get(id) !== code).length).toBeGreaterThan(0);
    expect(gridTilesSince(appliedAt).length).toBeGreaterThan(0);
    await saveScreenshot(page, 'plan-10-encoded');
  });

  it('exports the community and draws the printable map with codes and grid leaders', async () => {
    await page.getByRole('tab', { name: '导入导出' }).click();
    await page.getByLabel('格式', { exact: true }).selectOption('xlsx');
    const [excel] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出', exact: true }).click()]);
    expect(excel.suggestedFilename()).toBe(`grids-${COMMUNITY}.xlsx`);
    const [png] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '生成网格图（PNG）' }).click()]);
    const file = `${new URL(SCREENSHOT_DIR).pathname}plan-11-printable-map.png`;
    await png.saveAs(file);
    expect(fs.statSync(file).size).toBeGreaterThan(20_000);
    await saveScreenshot(page, 'plan-12-export-panel');
  });

  it('imports a GBK Shapefile into an empty community after a preview with its validation', async () => {
    await insertTestAreas(server.db.pool);
    await page.reload();
    await page.locator('.plan-map__canvas[data-map-ready="true"]').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: '测试街道', exact: true }).click();
    await page.getByRole('button', { name: '测试甲社区', exact: true }).click();
    await page.getByRole('tab', { name: '导入导出' }).click();
    await page.getByLabel('文件（GeoJSON、Shapefile 压缩包、KML）').setInputFiles(`${FIXTURE_DIR}/gbk-shapefile-with-cpg.zip`);
    await page.getByRole('button', { name: '预览', exact: true }).click();
    await page.getByText(/4 个要素：新建 4，更新 0，将撤销 0；0 处要素错误，0 个阻断问题/).waitFor({ timeout: 15_000 });
    await page.getByText('属性编码：GBK（.cpg 文件）').waitFor();
    await expect(page.getByLabel('网格名称').inputValue()).resolves.toBe('WGMC');
    await page.waitForTimeout(600);
    await saveScreenshot(page, 'plan-13a-import-preview');
    await page.getByRole('button', { name: '确认导入' }).click();
    await page.getByText('已导入：新建 4，更新 0，撤销 0').waitFor({ timeout: 15_000 });
    const rows = await sql(`SELECT code, name FROM grid WHERE community_code = '610402099001' AND retired_at IS NULL ORDER BY code`);
    expect(rows.map((r) => r.name)).toEqual(['测试甲第1网格（南片）', '测试甲第2网格（南片）', '测试甲第3网格（南片）', '测试甲第4网格（南片）']);
    await page.waitForTimeout(800);
    await saveScreenshot(page, 'plan-13b-imported');
  });

  it('says the feature errors of a file in the UI language, and in English after switching', async () => {
    const file = JSON.parse(fs.readFileSync(`${FIXTURE_DIR}/clean-tiling.geojson`, 'utf8'));
    file.features[0].geometry = { type: 'Point', coordinates: [109.3, 34.302] };
    file.features[1].geometry.coordinates = file.features[1].geometry.coordinates.map((ring: number[][]) => ring.map(([lon, lat]) => [lat, lon]));
    await page.getByLabel('文件（GeoJSON、Shapefile 压缩包、KML）').setInputFiles({ name: '有误的网格.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify(file)) });
    await page.getByRole('button', { name: '预览', exact: true }).click();
    const errors = page.locator('.plan-import-errors li');
    await expect.poll(() => errors.allInnerTexts(), { timeout: 15_000 }).toEqual([
      '要素 1：网格必须是面（Polygon 或 MultiPolygon），而不是 Point',
      '要素 2：坐标有误：（34.302, 109.303）像是“纬度, 经度”：请把经度写在前面',
    ]);
    await expect(page.getByRole('button', { name: '确认导入' }).isDisabled()).resolves.toBe(true);
    await errors.first().scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'plan-13c-import-feature-errors');
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => errors.allInnerTexts()).toEqual([
      'Feature 1: geometry: a grid must be a Polygon or MultiPolygon, not Point',
      'Feature 2: geometry: (34.302, 109.303) looks like latitude, longitude: give longitude first',
    ]);
    await saveScreenshot(page, 'plan-13d-import-feature-errors-english');
    await page.getByRole('button', { name: '中文' }).click();
    await expect.poll(() => errors.first().innerText()).toMatch(/^要素 1：/);
  });

  it('works in English and on a narrow screen', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('tab', { name: 'Problems' }).click();
    await page.getByRole('button', { name: 'Draw grid' }).waitFor();
    await page.waitForTimeout(500);
    await saveScreenshot(page, 'plan-13-english');
    await page.setViewportSize({ width: 420, height: 900 });
    await page.waitForTimeout(800);
    await saveScreenshot(page, 'plan-14-narrow');
    await page.getByRole('button', { name: '中文' }).click();
  });
});
