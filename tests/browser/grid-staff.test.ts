/**
 * People on the grids in Chromium: the admin sets the grids a grid-worker account serves on
 * /admin/users; a planner links a grid manager to that account in /plan's grid form, and imports
 * grid leaders and managers from a table with a preview (problems by row and column) before
 * committing. Screenshots at every step.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ensureWebBuilt } from '../../server/web-build.js';
import { hashPassword } from '../../server/modules/auth/password.js';
import { startTestServer } from '../helpers/app.js';
import { launchBrowser, saveScreenshot, signIn } from '../helpers/browser.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server;
let browser: Browser;
let workerId: number;
const COMMUNITY = '610402001003';
let grids: { id: number; code: string; name: string }[];
let streetName: string;
let communityName: string;
const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wangge-staff-'));

const sql = async (text: string, values: unknown[] = []) => (await server.db.pool.query(text, values)).rows;

async function pageAs(role: 'admin' | 'planner'): Promise<Page> {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1500, height: 950 } });
  await signIn(context, server.baseUrl, role);
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('[page error]', error.message));
  return page;
}

beforeAll(async () => {
  await ensureWebBuilt(() => {});
  server = await startTestServer();
  browser = await launchBrowser();
  const [worker] = await sql(
    `INSERT INTO app_user (username, display_name, role, password_hash) VALUES ('zhao.worker', '赵网格', 'grid_worker', $1) RETURNING id`,
    [await hashPassword('Grid-worker-2027')]);
  workerId = Number(worker.id);
  grids = await sql(`SELECT id::int, code, name FROM grid WHERE community_code = $1 AND retired_at IS NULL ORDER BY code LIMIT 3`, [COMMUNITY]);
  const [c] = await sql(`SELECT c.name, s.name AS street FROM admin_area c JOIN admin_area s ON s.code = c.parent_code WHERE c.code = $1`, [COMMUNITY]);
  communityName = c.name;
  streetName = c.street;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  fs.rmSync(tempDir, { recursive: true, force: true });
});

describe('people on the grids', () => {
  it('the admin sets the grids a grid-worker account serves', async () => {
    const page = await pageAs('admin');
    await page.goto(`${server.baseUrl}/admin/users`);
    const row = page.getByRole('row').filter({ hasText: 'zhao.worker' });
    await row.getByText('未关联网格').waitFor();
    await row.getByRole('button', { name: 'zhao.worker 服务的网格' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('此账号尚未关联任何网格').waitFor();
    await dialog.getByLabel('街道').selectOption(COMMUNITY.slice(0, 9));
    await dialog.getByLabel('社区/村').selectOption(COMMUNITY);
    await dialog.getByRole('checkbox', { name: new RegExp(grids[0]!.code) }).check();
    await dialog.getByRole('checkbox', { name: new RegExp(grids[1]!.code) }).check();
    await saveScreenshot(page, 'grid-staff-01-served-grids');
    await dialog.getByRole('button', { name: '保存服务网格' }).click();
    await page.getByText('已更新 zhao.worker 服务的网格（2 个）').waitFor();
    await row.getByText(`网格：${grids[0]!.name}、${grids[1]!.name}`).waitFor();
    await saveScreenshot(page, 'grid-staff-02-users-list');
    const linked = await sql(`SELECT g.code FROM grid_staff s JOIN grid g ON g.id = s.grid_id WHERE s.user_id = $1 ORDER BY g.code`, [workerId]);
    expect(linked.map((r) => r.code)).toEqual([grids[0]!.code, grids[1]!.code]);
    await page.context().close();
  });

  it('a planner links a grid manager to an account in the grid form', async () => {
    const page = await pageAs('planner');
    await page.goto(`${server.baseUrl}/plan`);
    await page.locator('.plan-map__canvas[data-map-ready="true"]').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: streetName, exact: true }).click();
    await page.getByRole('button', { name: communityName, exact: true }).click();
    const grid = grids[2]!;
    await page.locator('.plan-tree__grid').filter({ hasText: `${grid.code.slice(12)} ${grid.name}` }).click();
    await page.getByRole('tab', { name: '网格属性' }).click();
    await page.getByRole('button', { name: '添加网格员' }).click();
    const managers = await page.locator('.plan-grid-3').count();
    await page.getByLabel(`网格员 ${managers} 的系统账号`).selectOption({ label: '赵网格（zhao.worker）' });
    await expect(page.getByLabel(`网格员 ${managers} 姓名`).inputValue()).resolves.toBe('赵网格');
    await page.getByLabel(`网格员 ${managers} 电话`).fill('13900002222');
    await saveScreenshot(page, 'grid-staff-03-grid-form');
    await page.getByRole('button', { name: '保存属性' }).click();
    await page.getByText(`已保存网格 ${grid.code}`).waitFor();
    const [post] = await sql(`SELECT name, phone FROM grid_staff WHERE grid_id = $1 AND user_id = $2`, [grid.id, workerId]);
    expect(post).toEqual({ name: '赵网格', phone: '13900002222' });
    // The form shows the link when the grid is read again.
    await expect(page.getByLabel(`网格员 ${managers} 的系统账号`).inputValue()).resolves.toBe(String(workerId));
    await page.context().close();
  });

  it('a planner imports grid leaders and managers: problems by row, then all at once', async () => {
    const page = await pageAs('planner');
    await page.goto(`${server.baseUrl}/plan`);
    await page.locator('.plan-map__canvas[data-map-ready="true"]').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: streetName, exact: true }).click();
    await page.getByRole('button', { name: communityName, exact: true }).click();
    await page.getByRole('tab', { name: '导入导出' }).click();

    const bad = path.join(tempDir, '网格人员.csv');
    fs.writeFileSync(bad, [
      '网格编码,姓名,手机号,职务,账号',
      `${grids[0]!.code},孙网格长,13811112222,网格长,`,
      `${grids[0]!.code},李网格长,13811113333,网格长,`,
      `${grids[1]!.code},吴网格员,12345,网格员,`,
      `${grids[1]!.code},郑网格员,13811115555,网格员,analyst`,
    ].join('\n'));
    await page.getByLabel('人员表格').setInputFiles(bad);
    await page.getByRole('button', { name: '预览人员表' }).click();
    await page.getByText('4 行，涉及 2 个网格，3 个问题。').waitFor();
    await page.getByText(`第 3 行 · 职务：网格 ${grids[0]!.code} 的网格长已在第 2 行，一个网格只有一名网格长`).waitFor();
    await page.getByText('第 4 行 · 手机号：电话号码无效（应为 11 位手机号，或如 029-33221100 的固定电话）').waitFor();
    await page.getByText('第 5 行 · 账号：账号 analyst 不是网格员账号').waitFor();
    await expect(page.getByRole('button', { name: /导入（替换 2 个网格的人员）/ }).isDisabled()).resolves.toBe(true);
    await page.getByRole('heading', { name: '导入网格长和网格员' }).scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'grid-staff-04-import-problems');
    // The same problems in English after switching: one language at a time.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByText(`Row 3 · 职务: grid ${grids[0]!.code} already has its grid leader in row 2; a grid has one`).waitFor();
    await page.getByText('Row 5 · 账号: account analyst is not a grid worker (it is analyst)').waitFor();
    await expect(page.locator('.plan-import-errors').innerText()).resolves.not.toContain('网格长已在');
    await page.locator('.plan-import-errors').scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'grid-staff-04b-import-problems-en');
    await page.getByRole('button', { name: '中文' }).click();

    const good = path.join(tempDir, '网格人员-改.csv');
    fs.writeFileSync(good, [
      '网格编码,姓名,手机号,职务,账号',
      `${grids[0]!.code},孙网格长,13811112222,网格长,`,
      `${grids[0]!.code},赵网格,13811118888,网格员,zhao.worker`,
      `${grids[1]!.code},吴网格员,13811114444,网格员,`,
    ].join('\n'));
    await page.getByLabel('人员表格').setInputFiles(good);
    await page.getByRole('button', { name: '预览人员表' }).click();
    await page.getByText('3 行，涉及 2 个网格，0 个问题。').waitFor();
    await saveScreenshot(page, 'grid-staff-05-import-preview');
    await page.getByRole('button', { name: '导入（替换 2 个网格的人员）' }).click();
    await page.getByText('已导入：2 个网格，网格长 1 人，网格员 2 人，关联账号 1 个。').waitFor();
    await saveScreenshot(page, 'grid-staff-06-imported');
    const staff = await sql(`SELECT g.code, s.role, s.name, s.user_id::int AS "userId" FROM grid_staff s JOIN grid g ON g.id = s.grid_id WHERE g.id = ANY($1::bigint[]) ORDER BY g.code, s.role, s.id`, [[grids[0]!.id, grids[1]!.id]]);
    expect(staff).toEqual([
      { code: grids[0]!.code, role: 'leader', name: '孙网格长', userId: null },
      { code: grids[0]!.code, role: 'manager', name: '赵网格', userId: workerId },
      { code: grids[1]!.code, role: 'manager', name: '吴网格员', userId: null },
    ]);
    await page.context().close();
  });
});
