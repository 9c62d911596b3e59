/**
 * Personal access tokens on /account in Chromium against the real server: a planner creates a
 * read-only token, sees it once and copies it, the token works against the OGC API as the
 * password of HTTP Basic, the list shows its last use, then the planner revokes it and it stops
 * working. In Chinese and in English; screenshots at each step.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ensureWebBuilt } from '../../server/web-build.js';
import { DEMO_ACCOUNTS } from '../../server/demo/accounts.js';
import { startTestServer } from '../helpers/app.js';
import { launchBrowser, saveScreenshot } from '../helpers/browser.js';

let server: Awaited<ReturnType<typeof startTestServer>>;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let token = '';

beforeAll(async () => {
  await ensureWebBuilt(() => {});
  server = await startTestServer();
  browser = await launchBrowser();
  context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1280, height: 2300 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.baseUrl });
  page = await context.newPage();
  page.on('pageerror', (error) => console.error('[page error]', error.message));
  page.on('dialog', (dialog) => void dialog.accept());
  const planner = DEMO_ACCOUNTS.find((a) => a.role === 'planner')!;
  await page.goto(server.baseUrl + '/login');
  await page.getByLabel('用户名').fill(planner.username);
  await page.getByLabel('密码', { exact: true }).fill(planner.password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.waitForURL(server.baseUrl + '/plan');
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const basic = (password: string) => ({ authorization: `Basic ${Buffer.from(`planner:${password}`).toString('base64')}` });

describe('personal access tokens on /account', () => {
  it('creates a read-only token, shows it once and lists it', async () => {
    await page.goto(server.baseUrl + '/account');
    const section = page.getByRole('region', { name: '个人访问令牌' });
    await section.getByText('还没有令牌。').waitFor();
    await section.getByLabel('名称').fill('办公室 QGIS');
    await section.getByLabel('有效期').selectOption('365');
    await expect(section.getByLabel('只读（不能修改任何数据）').isChecked()).resolves.toBe(true);
    await section.getByRole('button', { name: '创建令牌' }).click();
    await section.getByText('令牌“办公室 QGIS”已创建').waitFor();
    token = (await section.getByLabel('新令牌').textContent())!.trim();
    expect(token).toMatch(/^wgpat_[A-Za-z0-9_-]{43}$/);
    await section.getByRole('button', { name: '复制令牌' }).click();
    await section.getByRole('button', { name: '已复制' }).waitFor();
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(token);
    const row = section.getByRole('row', { name: /办公室 QGIS/ });
    await row.getByText('只读', { exact: true }).waitFor();
    await row.getByText('有效').waitFor();
    await row.getByText('从未').waitFor();
    await saveScreenshot(page, 'access-tokens-01-created-zh');
  });

  it('the token reads through the OGC API as the Basic password; the list then shows its last use', async () => {
    const res = await fetch(`${server.baseUrl}/ogc/collections/grids/items?limit=1`, { headers: basic(token) });
    expect(res.status).toBe(200);
    expect((await res.json()).numberReturned).toBe(1);
    await page.reload();
    const section = page.getByRole('region', { name: '个人访问令牌' });
    const row = section.getByRole('row', { name: /办公室 QGIS/ });
    await row.getByText('127.0.0.1').waitFor();
    await expect(row.getByText('从未').count()).resolves.toBe(0);
    // Shown once: after a reload only its first characters remain.
    await expect(section.getByLabel('新令牌').count()).resolves.toBe(0);
    expect(await section.textContent()).not.toContain(token.slice(12));
  });

  it('reads in English', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    const section = page.getByRole('region', { name: 'Personal access tokens' });
    await section.getByRole('row', { name: /办公室 QGIS/ }).getByText('Read-only', { exact: true }).waitFor();
    await section.getByRole('button', { name: 'Create token' }).waitFor();
    await saveScreenshot(page, 'access-tokens-02-listed-en');
    await page.getByRole('button', { name: '中文' }).click();
  });

  it('revokes the token: it says so and the token stops working', async () => {
    const section = page.getByRole('region', { name: '个人访问令牌' });
    await section.getByRole('button', { name: '撤销令牌“办公室 QGIS”' }).click();
    const row = section.getByRole('row', { name: /办公室 QGIS/ });
    await row.getByText('已撤销').waitFor();
    await expect(row.getByRole('button', { name: /撤销/ }).count()).resolves.toBe(0);
    await saveScreenshot(page, 'access-tokens-03-revoked-zh');
    const res = await fetch(`${server.baseUrl}/ogc/collections/grids/items?limit=1`, { headers: basic(token) });
    expect(res.status).toBe(401);
    expect((await res.json()).message).toMatch(/revoked/);
  });
});
