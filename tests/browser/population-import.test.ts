/**
 * People and buildings in Chromium: a planner imports the buildings of one demo community from a
 * CSV in /plan (an error by row and column first, then the preview with counts, the table and the
 * points on the map, then the import as a job with progress) and the grid form says where each
 * grid's figures come from. Screenshots at every step.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ensureWebBuilt } from '../../server/web-build.js';
import { startTestServer } from '../helpers/app.js';
import { launchBrowser, saveScreenshot, signIn } from '../helpers/browser.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server;
let browser: Browser;
const COMMUNITY = '610402001003';
let grids: { id: number; code: string; name: string }[];
let streetName: string;
let communityName: string;
/** Three points inside each of the community's first two grids. */
let points: { code: string; lon: number; lat: number }[];
const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wangge-buildings-'));

const sql = async (text: string, values: unknown[] = []) => (await server.db.pool.query(text, values)).rows;

async function plannerPage(): Promise<Page> {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1500, height: 950 } });
  await signIn(context, server.baseUrl, 'planner');
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('[page error]', error.message));
  return page;
}

beforeAll(async () => {
  await ensureWebBuilt(() => {});
  server = await startTestServer();
  browser = await launchBrowser();
  grids = await sql(`SELECT id::int, code, name FROM grid WHERE community_code = $1 AND retired_at IS NULL ORDER BY code LIMIT 2`, [COMMUNITY]);
  const [c] = await sql(`SELECT c.name, s.name AS street FROM admin_area c JOIN admin_area s ON s.code = c.parent_code WHERE c.code = $1`, [COMMUNITY]);
  communityName = c.name;
  streetName = c.street;
  points = await sql(
    `SELECT g.code, round(ST_X(p.geom)::numeric, 6)::float8 AS lon, round(ST_Y(p.geom)::numeric, 6)::float8 AS lat
       FROM grid g, ST_Dump(ST_GeneratePoints(ST_Buffer(g.geom, -0.0002), 3, 11)) p WHERE g.id = ANY ($1::bigint[]) ORDER BY g.code`, [grids.map((g) => g.id)]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  fs.rmSync(tempDir, { recursive: true, force: true });
});

describe('people and buildings', () => {
  it('a planner imports a community\'s buildings from a CSV: an error by row, the preview on the map, then the import with progress', async () => {
    const page = await plannerPage();
    await page.goto(`${server.baseUrl}/plan`);
    await page.locator('.plan-map__canvas[data-map-ready="true"]').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: streetName, exact: true }).click();
    await page.getByRole('button', { name: communityName, exact: true }).click();
    await page.getByRole('tab', { name: '导入导出' }).click();

    const header = '经度,纬度,地址,楼栋编码,户数,人数,60岁以上,80岁以上';
    // Six buildings: 10, 20, … 60 households; residents twice that; 60+ a quarter; 80+ a tenth of residents.
    const lines = points.map((p, i) => {
      const h = (i + 1) * 10;
      return `${p.lon},${p.lat},幸福路${i + 1}号,${i + 1},${h},${2 * h},${h / 2},${h / 5}`;
    });
    const bad = path.join(tempDir, '楼栋-有误.csv');
    fs.writeFileSync(bad, [header, ...lines.slice(0, 2), lines[2]!.replace(/,30,60,15,6$/, ',30,60,75,6')].join('\n'));
    await page.getByLabel('楼栋文件').setInputFiles(bad);
    await page.getByRole('button', { name: '预览楼栋' }).click();
    // The problem in the UI's language; the column is the file's own.
    await page.getByText('第 4 行 · 60岁以上：60 岁以上人口（75）多于常住人口（60）').waitFor();
    await expect(page.getByRole('button', { name: /导入 \d+ 栋楼/ }).isDisabled()).resolves.toBe(true);
    await page.getByText('第 4 行 · 60岁以上：60 岁以上人口（75）多于常住人口（60）').scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'population-01-import-error');
    // Switched to English, the same problem reads in English.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByText('Row 4 · 60岁以上: 60+ (75) is more than the residents (60)').waitFor();
    await page.getByText('Row 4 · 60岁以上: 60+ (75) is more than the residents (60)').scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'population-01b-import-error-english');
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByText('第 4 行 · 60岁以上：60 岁以上人口（75）多于常住人口（60）').waitFor();

    const good = path.join(tempDir, '楼栋.csv');
    fs.writeFileSync(good, [header, ...lines].join('\n'));
    await page.getByLabel('楼栋文件').setInputFiles(good);
    await page.getByRole('button', { name: '预览楼栋' }).click();
    // By hand: 10 + 20 + … + 60 = 210 households, 420 residents, 105 aged 60+, 42 aged 80+.
    await page.getByText('6 条，有效 6 栋：210 户，420 人，60 岁以上 105 人，80 岁以上 42 人；0 个问题。').waitFor();
    await page.getByText(`${communityName}：导入 6 栋、210 户`, { exact: false }).waitFor();
    await page.getByText('预览的楼栋已显示在地图上（绿色圆点）。').waitFor();
    await page.waitForTimeout(800);
    await page.getByRole('button', { name: '导入 6 栋楼' }).scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'population-02-preview-on-map');

    await page.getByRole('button', { name: '导入 6 栋楼' }).click();
    await page.getByText(/已导入 6 栋楼，停用 \d+ 栋，重新汇总 \d+ 个网格。/).waitFor({ timeout: 30_000 });
    await page.getByText(/已导入 6 栋楼/).scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'population-03-imported');
    const figures = await sql(`SELECT code, households, residents FROM grid WHERE id = ANY ($1::bigint[]) ORDER BY code`, [grids.map((g) => g.id)]);
    expect(figures).toEqual([
      { code: grids[0]!.code, households: 10 + 20 + 30, residents: 120 },
      { code: grids[1]!.code, households: 40 + 50 + 60, residents: 300 },
    ]);

    // The grid form says the figures come from the buildings and does not let them be typed.
    const grid = grids[0]!;
    await page.locator('.plan-tree__grid').filter({ hasText: `${grid.code.slice(12)} ${grid.name}` }).click();
    await page.getByRole('tab', { name: '网格属性' }).click();
    await page.getByText('人口来自网格内 3 栋楼的汇总，随楼栋自动更新；请在楼栋中修改').waitFor();
    await expect(page.getByRole('spinbutton', { name: '户数', exact: true }).getAttribute('readonly')).resolves.not.toBeNull();
    await expect(page.getByRole('spinbutton', { name: '户数', exact: true }).inputValue()).resolves.toBe('60');
    await saveScreenshot(page, 'population-04-grid-form');

    // A building clicked on the map opens its form; its new figures re-count its grid at once.
    const [first] = await sql(`SELECT id::int, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM building WHERE address = '幸福路1号' AND retired_at IS NULL`);
    const canvas = page.locator('.plan-map__canvas');
    await canvas.evaluate((el, [lon, lat]) => {
      const map = (el as unknown as { wanggeMap: { jumpTo(o: object): void } }).wanggeMap;
      map.jumpTo({ center: [lon, lat], zoom: 17.5 });
    }, [first.lon, first.lat]);
    await page.waitForTimeout(1500);
    const at = await canvas.evaluate((el, [lon, lat]) => {
      const map = (el as unknown as { wanggeMap: { project(p: [number, number]): { x: number; y: number } } }).wanggeMap;
      const p = map.project([lon!, lat!]);
      const box = el.getBoundingClientRect();
      return { x: box.left + p.x, y: box.top + p.y };
    }, [first.lon, first.lat]);
    await page.mouse.click(at.x, at.y);
    await page.getByRole('heading', { name: '楼栋 幸福路1号' }).waitFor();
    await page.getByRole('spinbutton', { name: '户数', exact: true }).first().fill('15');
    await page.getByRole('button', { name: '保存楼栋' }).click();
    await page.getByText('已保存楼栋 幸福路1号，所在网格人口已重新汇总').waitFor();
    await saveScreenshot(page, 'population-05-building-form');
    const [after] = await sql(`SELECT households FROM grid WHERE id = $1`, [grid.id]);
    expect(after.households).toBe(15 + 20 + 30);
    await page.context().close();
  });
});
