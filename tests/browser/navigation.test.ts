/**
 * Getting around: each role sees the links of its pages, and on a phone they fold into a menu
 * that a grid worker opens to reach the report form.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO_ACCOUNTS } from '../../server/demo/accounts.js';
import { startTestServer } from '../helpers/app.js';
import { launchBrowser, saveScreenshot } from '../helpers/browser.js';

let server: Awaited<ReturnType<typeof startTestServer>>;
let browser: Browser;
beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function logIn(page: Page, role: string) {
  const account = DEMO_ACCOUNTS.find((a) => a.role === role)!;
  await page.goto(`${server.baseUrl}/login`);
  await page.getByLabel('用户名').fill(account.username);
  await page.getByLabel('密码', { exact: true }).fill(account.password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  // The next page is a chunk of its own: the login form stays until it has come and replaced it.
  await page.getByLabel('用户名').waitFor({ state: 'detached' });
}

describe('navigation', () => {
  it('shows each role the links of its own pages', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await logIn(page, 'analyst');
    const nav = page.getByRole('navigation', { name: '主导航' });
    await expect.poll(() => nav.getByRole('link').allTextContents()).toEqual(['服务地图', '服务覆盖', '事件分析']);
    await saveScreenshot(page, 'navigation-01-analyst');
    await context.close();
  });

  it('folds the links into a menu on a phone, which takes a grid worker to the report form', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await logIn(page, 'grid_worker');
    const menu = page.getByRole('button', { name: '菜单' });
    await expect(menu.isVisible()).resolves.toBe(true);
    const nav = page.getByRole('navigation', { name: '主导航' });
    await expect(nav.isVisible()).resolves.toBe(false);
    await menu.click();
    await expect(menu.getAttribute('aria-expanded')).resolves.toBe('true');
    await saveScreenshot(page, 'navigation-02-phone-menu');
    await nav.getByRole('link', { name: '上报事件' }).click();
    await page.waitForURL('**/report');
    await page.getByRole('heading', { name: '上报事件' }).waitFor();
    await expect(nav.isVisible()).resolves.toBe(false);
    // The page is no wider than the phone.
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    await saveScreenshot(page, 'navigation-03-phone-report');
    await context.close();
  });
});
