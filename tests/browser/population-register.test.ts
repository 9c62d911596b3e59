/**
 * 实有人口导入 in /plan, driven in Chromium on the demo district as a planner: a register of one
 * community is previewed, its unmatched address is assigned by clicking a building on the map,
 * the import runs with progress, and /coverage then shows the district's 60+ population the
 * register gives. Screenshots under tests/screenshots/population-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ensureWebBuilt } from '../../server/web-build.js';
import { DEMO_ACCOUNTS } from '../../server/demo/accounts.js';
import { idCheckCharacter } from '../../server/modules/population/id-number.js';
import { startTestServer } from '../helpers/app.js';
import { launchBrowser, saveScreenshot, signIn } from '../helpers/browser.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server;
let browser: Browser;
let page: Page;
const planner = DEMO_ACCOUNTS.find((a) => a.role === 'planner')!;

interface Target { id: number; name: string; lon: number; lat: number; community: string; communityName: string }
let named: Target;
let assigned: Target;
let register: Buffer;
let expectedPopulation = 0;

const person = (i: number, birth: string) => {
  const first17 = `610402${birth}${String(i).padStart(3, '0')}`;
  return first17 + idCheckCharacter(first17);
};

beforeAll(async () => {
  await ensureWebBuilt(() => {});
  server = await startTestServer();
  const pool = server.db.pool;
  // A community with several numbered buildings; the one to assign is the one farthest from its
  // neighbours (easy to click), the named one any other.
  const { rows } = await pool.query<Target & { gap: number }>(`
    WITH b AS (
      SELECT b.id::int, b.name, ST_X(b.geom) AS lon, ST_Y(b.geom) AS lat, g.community_code AS community, a.name AS "communityName", b.geom
      FROM building b JOIN grid g ON g.retired_at IS NULL AND ST_Covers(g.geom, b.geom) JOIN admin_area a ON a.code = g.community_code
      WHERE b.name ~ '[0-9]+号楼$'
    ), c AS (
      SELECT community FROM b GROUP BY community HAVING count(*) BETWEEN 4 AND 30 ORDER BY community LIMIT 1
    )
    SELECT b.id, b.name, b.lon, b.lat, b.community, b."communityName",
           (SELECT min(ST_Distance(b.geom::geography, o.geom::geography)) FROM b o WHERE o.community = b.community AND o.id <> b.id) AS gap
    FROM b JOIN c USING (community) ORDER BY gap DESC`);
  assigned = rows[0]!;
  named = rows[rows.length - 1]!;
  // By hand: the register puts 3 people aged 65 in the named building and 40 aged 70 at an
  // address no building has; every other building of the community gets 0.
  const people: string[][] = [];
  for (let i = 0; i < 3; i++) people.push([`张${i}`, person(i, '19610101'), named.communityName, '', named.name, '1单元', `10${i}`, `A${i}`]);
  for (let i = 0; i < 40; i++) people.push([`李${i}`, person(100 + i, '19560505'), named.communityName, '无名苑', '9号楼', '2单元', `20${i % 10}`, `B${Math.floor(i / 2)}`]);
  register = Buffer.from(['姓名,身份证号,社区,小区,楼栋,单元,房号,户号', ...people.map((p) => p.join(','))].join('\n'), 'utf8');
  const { rows: sums } = await pool.query<{ all: number; community: number }>(`
    SELECT (SELECT sum(residents_60_plus) FROM building)::int AS all,
           (SELECT coalesce(sum(b.residents_60_plus), 0) FROM building b WHERE EXISTS (
              SELECT 1 FROM grid g WHERE g.retired_at IS NULL AND g.community_code = $1 AND ST_Covers(g.geom, b.geom)))::int AS community`, [named.community]);
  expectedPopulation = sums[0]!.all - sums[0]!.community + 43;

  browser = await launchBrowser();
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1400, height: 900 } });
  await signIn(context, server.baseUrl, planner);
  page = await context.newPage();
  page.on('pageerror', (error) => console.error('[page error]', error.message));
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function coveragePopulation(): Promise<{ population: number; covered: number }> {
  const reply = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/coverage/analysis' && r.ok(), { timeout: 90_000 });
  await page.goto(`${server.baseUrl}/coverage`);
  const body = await (await reply).json();
  await page.getByTestId('district-share').waitFor({ timeout: 60_000 });
  await page.getByText(`已覆盖 ${body.district.covered.toLocaleString('zh-CN')} / ${body.district.population.toLocaleString('zh-CN')} 人`).waitFor();
  await page.waitForTimeout(800);
  return body.district;
}

describe('resident register import', () => {
  let before: { population: number; covered: number };

  it('coverage before the import', async () => {
    before = await coveragePopulation();
    expect(before.population).not.toBe(expectedPopulation);
    await saveScreenshot(page, 'population-01-coverage-before');
  }, 120_000);

  it('a register with bad rows: each problem said in Chinese, then in English, never the ID number', async () => {
    await page.goto(`${server.baseUrl}/plan`);
    await page.locator('.plan-map__canvas[data-map-ready="true"]').waitFor({ timeout: 90_000 });
    await page.getByRole('tab', { name: '导入导出' }).click();
    const good = person(900, '19610101');
    const wrongCheck = good.slice(0, 17) + (good.endsWith('0') ? '1' : '0');
    const bad = Buffer.from(['姓名,身份证号,社区,小区,楼栋', `王甲,${wrongCheck},${named.communityName},,${named.name}`, `王乙,${person(901, '19610101')},不存在社区,,1号楼`].join('\n'), 'utf8');
    await page.getByLabel('实有人口表').setInputFiles({ name: '有错的登记表.csv', mimeType: 'text/csv', buffer: bad });
    await page.getByRole('button', { name: '预览匹配' }).click();
    await page.getByText('第 2 行 · 身份证号：校验码与前 17 位不符（输入错误？）').waitFor({ timeout: 30_000 });
    await page.getByText('第 3 行 · 社区：没有名为 不存在社区 的社区').waitFor();
    await page.getByRole('alert').getByText('文件 有错的登记表.csv 有 2 处行错误，未导入任何数据 — 第 2 行“身份证号”：校验码与前 17 位不符（输入错误？）、第 3 行“社区”：没有名为 不存在社区 的社区').waitFor();
    await page.getByRole('heading', { name: '问题（共 2 个，未导入任何数据）' }).scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'population-01b-register-problems');
    expect(await page.locator('body').innerText()).not.toContain(wrongCheck);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByText('Row 2 · 身份证号: the check character does not match the first 17 digits (a typing error?)').waitFor();
    await page.getByText('Row 3 · 社区: no community 不存在社区').waitFor();
    await saveScreenshot(page, 'population-01c-register-problems-en');
    await page.getByRole('button', { name: '中文' }).click();
  }, 150_000);

  it('previews the register: one address unmatched, masked', async () => {
    await page.goto(`${server.baseUrl}/plan`);
    await page.locator('.plan-map__canvas[data-map-ready="true"]').waitFor({ timeout: 90_000 });
    await page.getByRole('tab', { name: '导入导出' }).click();
    await page.getByRole('heading', { name: '实有人口导入' }).waitFor();
    await page.getByLabel('实有人口表').setInputFiles({ name: '实有人口.csv', mimeType: 'text/csv', buffer: register });
    await page.getByRole('button', { name: '预览匹配' }).click();
    const summary = page.getByTestId('register-summary');
    await summary.getByText('43 人，匹配率 7.0%（精确 3，规范化 0，人工指定 0），未匹配 40 人。').waitFor({ timeout: 30_000 });
    await summary.getByText(`${named.communityName} 无名苑 9号楼（2单元） · 40 人`).waitFor();
    expect(await summary.innerText()).not.toMatch(/李\d|20\d/);
    await page.getByRole('heading', { name: '实有人口导入' }).scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'population-02-preview-unmatched');
  }, 150_000);

  it('assigns the unmatched address by clicking its building on the map', async () => {
    await page.getByRole('button', { name: '在地图上指定' }).click();
    await page.getByText('请在地图上点选').waitFor();
    await page.waitForTimeout(1500);
    const canvas = page.locator('.plan-map__canvas');
    const point = await canvas.evaluate((element, lonLat) => {
      const map = (element as unknown as { wanggeMap: { project(p: [number, number]): { x: number; y: number } } }).wanggeMap;
      return map.project(lonLat);
    }, [assigned.lon, assigned.lat] as [number, number]);
    const box = (await canvas.boundingBox())!;
    // Pointing at a dot names its building.
    await page.mouse.move(box.x + point.x, box.y + point.y);
    await page.getByText(`${assigned.name}（现有`).waitFor({ timeout: 10_000 });
    await saveScreenshot(page, 'population-03-picking-on-map');
    await page.mouse.click(box.x + point.x, box.y + point.y);
    const summary = page.getByTestId('register-summary');
    await summary.getByText('43 人，匹配率 100.0%（精确 3，规范化 0，人工指定 40），未匹配 0 人。').waitFor({ timeout: 30_000 });
    await summary.getByText(`→ ${assigned.name}`).waitFor();
    // The click also selects the grid under the building: the panel shows its figures above.
    await summary.scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'population-04-assigned');
  }, 120_000);

  it('imports with progress, and coverage shows the register’s people', async () => {
    await page.getByRole('button', { name: /^导入（/ }).click();
    await page.getByText(/已导入：43 人，2 栋楼/).waitFor({ timeout: 60_000 });
    await saveScreenshot(page, 'population-05-imported');
    const { rows } = await server.db.pool.query('SELECT id::int, households, residents, residents_60_plus AS s60, residents_80_plus AS s80 FROM building WHERE id = ANY($1) ORDER BY id', [[named.id, assigned.id]]);
    expect(rows).toEqual(expect.arrayContaining([
      { id: named.id, households: 3, residents: 3, s60: 3, s80: 0 },
      { id: assigned.id, households: 20, residents: 40, s60: 40, s80: 0 },
    ]));
    const after = await coveragePopulation();
    expect(after.population).toBe(expectedPopulation);
    expect(after.population).not.toBe(before.population);
    await saveScreenshot(page, 'population-06-coverage-after');
  }, 150_000);
});
