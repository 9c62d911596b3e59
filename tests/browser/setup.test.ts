/**
 * /setup in Chromium on a fresh install without the demo: the link printed at start opens the
 * page, the first admin is created and enrols two-step verification on the same page, and the
 * link is void afterwards. Screenshots at every step.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ensureWebBuilt } from '../../server/web-build.js';
import { totpCode } from '../../server/modules/auth/totp.js';
import { issueSetupToken } from '../../server/modules/setup/setup-repository.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { launchBrowser, saveScreenshot } from '../helpers/browser.js';

let server: TestApp & { baseUrl: string };
let browser: Browser;
let context: BrowserContext;
let page: Page;
let token: string;

beforeAll(async () => {
  await ensureWebBuilt(() => {});
  const t = await createTestApp({ template: 'empty', serveWeb: true, env: { DEMO: 'false' } });
  server = { ...t, baseUrl: await t.app.listen({ port: 0, host: '127.0.0.1' }) };
  token = (await issueSetupToken(server.db.pool))!;
  browser = await launchBrowser();
  context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1100, height: 900 } });
  page = await context.newPage();
  page.on('pageerror', (error) => console.error('[page error]', error.message));
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('/setup', () => {
  it('refuses a wrong link clearly', async () => {
    expect((await server.db.pool.query('SELECT count(*)::int AS n FROM app_user')).rows[0].n).toBe(0);
    await page.goto(`${server.baseUrl}/setup#token=not-the-token`);
    await page.getByRole('heading', { name: '设置链接已失效' }).waitFor();
    await page.getByText('此设置链接无效。请完整复制启动时打印的链接').waitFor();
    await saveScreenshot(page, 'setup-01-wrong-link');
  });

  it('creates the first admin from the printed link, then enrols two-step verification on the same page', async () => {
    await page.goto(`${server.baseUrl}/setup#token=${token}`);
    await page.getByRole('heading', { name: '创建管理员账户' }).waitFor();
    // The token leaves the address bar at once.
    expect(page.url()).toBe(`${server.baseUrl}/setup`);
    await page.getByLabel('用户名').fill('chen.admin');
    await page.getByLabel('姓名').fill('陈主任');
    await page.getByLabel('密码', { exact: true }).fill('short');
    await page.getByLabel('再次输入密码').fill('short');
    await page.getByRole('button', { name: '创建管理员' }).click();
    await page.getByRole('alert').filter({ hasText: '新密码少于 8 个字符' }).waitFor();
    await saveScreenshot(page, 'setup-02-weak-password');
    expect((await server.db.pool.query('SELECT count(*)::int AS n FROM app_user')).rows[0].n).toBe(0);

    await page.getByLabel('密码', { exact: true }).fill('Bengbu-Admin-2027');
    await page.getByLabel('再次输入密码').fill('Bengbu-Admin-2027');
    await saveScreenshot(page, 'setup-03-form');
    await page.getByRole('button', { name: '创建管理员' }).click();

    await page.getByRole('button', { name: '开始绑定' }).waitFor();
    await expect(page.locator('[aria-current="step"]').textContent()).resolves.toContain('启用两步验证');
    await page.getByRole('button', { name: '开始绑定' }).click();
    const secret = (await page.getByLabel('密钥', { exact: true }).textContent())!.replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await saveScreenshot(page, 'setup-04-totp');
    await page.getByLabel('6 位验证码').fill(totpCode(secret));
    await page.getByRole('button', { name: '确认启用' }).click();

    await page.getByRole('heading', { name: '设置完成' }).waitFor();
    await page.getByRole('link', { name: /为规划员、分析员和网格员开设账户/ }).waitFor();
    await saveScreenshot(page, 'setup-05-done');
    const { rows } = await server.db.pool.query(`SELECT username, display_name, role, totp_enabled FROM app_user`);
    expect(rows).toEqual([{ username: 'chen.admin', display_name: '陈主任', role: 'admin', totp_enabled: true }]);

    // The admin goes on to the accounts page without being sent back to /account.
    await page.getByRole('link', { name: /为规划员、分析员和网格员开设账户/ }).click();
    await page.waitForURL(`${server.baseUrl}/admin/users`);
    await page.getByText('chen.admin').first().waitFor();
  });

  it('says the link is void once set-up is done', async () => {
    const fresh = await context.newPage();
    await fresh.goto(`${server.baseUrl}/setup#token=${token}`);
    await fresh.getByRole('heading', { name: '设置链接已失效' }).waitFor();
    await fresh.getByText('初始设置已经完成').waitFor();
    await saveScreenshot(fresh, 'setup-06-void');
    await fresh.close();
  });
});
