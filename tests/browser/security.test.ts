/**
 * The security pages in Chromium against the real server: the demo banner, an admin creating an
 * account and copying its one-time password, the new user sent to /account to change that
 * password (the server's refusals shown) and to enrol two-step verification from the page's QR
 * code and key, logging in again with password + code, the admin finding all of it in the audit
 * log (filters, newest first, load more), and /account on a phone. Screenshots at every step.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ensureWebBuilt } from '../../server/web-build.js';
import QRCode from 'qrcode';
import { totpCode, totpUri } from '../../server/modules/auth/totp.js';
import { DEMO_ACCOUNTS } from '../../server/demo/accounts.js';
import { createTestApp, startTestServer } from '../helpers/app.js';
import { launchBrowser, saveScreenshot } from '../helpers/browser.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;

let server: Server;
let browser: Browser;
let adminContext: BrowserContext;
let admin: Page;
let userContext: BrowserContext;
let user: Page;

const NEW_USERNAME = 'wang.xiaoming';
const NEW_PASSWORD = 'Qindu-grid-2026!';
const STEP_MS = 30_000;
let oneTimePassword = '';
let totpSecret = '';
/** The 30-second step of the last code the server accepted: codes work once, so the next must be later. */
let lastUsedStep = 0;

async function newContext(options: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...options });
  context.on('response', (response) => {
    if (response.status() >= 500) console.error('[http]', response.status(), response.url());
  });
  return context;
}

function watch(page: Page) {
  page.on('pageerror', (error) => console.error('[page error]', error.message));
  page.on('console', (message) => message.type() === 'error' && !message.text().includes('status of 4') && console.error('[page console]', message.text()));
}

async function logIn(page: Page, username: string, password: string) {
  await page.goto(server.baseUrl + '/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
}

/** A code of a 30-second step later than the last one used (waiting for it when needed). */
async function freshCode(secret: string): Promise<string> {
  while (Math.floor(Date.now() / STEP_MS) <= lastUsedStep) await new Promise((resolve) => setTimeout(resolve, 500));
  lastUsedStep = Math.floor(Date.now() / STEP_MS);
  return totpCode(secret);
}

/** True when nothing on the page (header included) reaches past `width` CSS pixels. */
const fitsWidth = (page: Page, width: number) =>
  page.evaluate(
    (w) => document.documentElement.scrollWidth <= w && [...document.querySelectorAll('body *')].every((e) => e.getBoundingClientRect().right <= w + 0.5),
    width,
  );

beforeAll(async () => {
  await ensureWebBuilt(() => {});
  server = await startTestServer();
  browser = await launchBrowser();
  adminContext = await newContext({ viewport: { width: 1366, height: 860 } });
  await adminContext.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.baseUrl });
  admin = await adminContext.newPage();
  watch(admin);
  // Tall enough to show the whole account page in one screenshot.
  userContext = await newContext({ viewport: { width: 1280, height: 1500 } });
  user = await userContext.newPage();
  watch(user);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('security pages', () => {
  it('shows the demo banner on every page, and admin pages only to admins', async () => {
    await admin.goto(server.baseUrl + '/');
    const banner = admin.getByRole('complementary', { name: '演示模式' });
    await expect(banner.textContent()).resolves.toBe('演示模式：数据为合成数据，演示账号见启动输出');
    // Not logged in: the admin pages send you to log in, and come back after.
    await admin.goto(server.baseUrl + '/admin/users');
    await admin.waitForURL('**/login');
    await banner.waitFor();
    await saveScreenshot(admin, 'security-01-login-demo-banner');

    const account = DEMO_ACCOUNTS.find((a) => a.role === 'admin')!;
    await admin.getByLabel('用户名').fill(account.username);
    await admin.getByLabel('密码', { exact: true }).fill(account.password);
    await admin.getByRole('button', { name: '登录', exact: true }).click();
    await admin.waitForURL('**/admin/users');
    await admin.getByRole('heading', { level: 1, name: '账号管理' }).waitFor();
    await banner.waitFor();
    const table = admin.getByRole('table', { name: '工作人员账号' });
    for (const demo of DEMO_ACCOUNTS) await table.getByRole('rowheader', { name: new RegExp(demo.username) }).waitFor();
    await expect(admin.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '审计日志' }).count()).resolves.toBe(1);
    await saveScreenshot(admin, 'security-02-admin-users');

    // A planner sees neither the links nor the pages.
    const plannerContext = await newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const planner = await plannerContext.newPage();
      const demo = DEMO_ACCOUNTS.find((a) => a.role === 'planner')!;
      await logIn(planner, demo.username, demo.password);
      // A planner lands on their own page.
      await planner.waitForURL(server.baseUrl + '/plan');
      await planner.getByRole('complementary', { name: '演示模式' }).waitFor();
      await expect(planner.getByRole('link', { name: '账号管理' }).count()).resolves.toBe(0);
      await planner.goto(server.baseUrl + '/admin/audit');
      await planner.getByRole('heading', { name: '无权访问' }).waitFor();
      await expect(planner.getByRole('table').count()).resolves.toBe(0);
    } finally {
      await plannerContext.close();
    }
  });

  it('creates an account and shows its one-time password once, with a copy button', async () => {
    // A taken username is refused with the server's reason, and nothing is created.
    await admin.getByRole('button', { name: '新建账号' }).click();
    let dialog = admin.getByRole('dialog', { name: '新建账号' });
    await dialog.getByLabel('用户名').fill('planner');
    await dialog.getByLabel('姓名').fill('重名测试');
    await dialog.getByRole('button', { name: '创建账号' }).click();
    await expect(dialog.getByRole('alert').textContent()).resolves.toContain('用户名 planner 已被占用');
    await dialog.getByRole('button', { name: '取消' }).click();
    const taken = await server.db.pool.query(`SELECT count(*)::int AS n FROM app_user WHERE display_name = '重名测试'`);
    expect(taken.rows[0].n).toBe(0);

    await admin.getByRole('button', { name: '新建账号' }).click();
    dialog = admin.getByRole('dialog', { name: '新建账号' });
    await dialog.getByLabel('用户名').fill(NEW_USERNAME);
    await dialog.getByLabel('姓名').fill('王小明');
    await dialog.getByLabel('角色').selectOption({ label: '网格员' });
    const streetSelect = dialog.getByLabel('工作范围：街道');
    await streetSelect.locator('option').nth(1).waitFor({ state: 'attached' });
    const street = await streetSelect.locator('option').nth(1).getAttribute('value');
    await streetSelect.selectOption(street!);
    const communitySelect = dialog.getByLabel('工作范围：社区/村');
    await communitySelect.locator('option').nth(1).waitFor({ state: 'attached' });
    const community = (await communitySelect.locator('option').nth(1).getAttribute('value'))!;
    expect(community.startsWith(street!)).toBe(true);
    await communitySelect.selectOption(community);
    await saveScreenshot(admin, 'security-03-create-user-form');
    await dialog.getByRole('button', { name: '创建账号' }).click();

    const shown = admin.getByRole('dialog', { name: '一次性密码' });
    const passwordField = shown.getByLabel(`${NEW_USERNAME} 的一次性密码`);
    await passwordField.waitFor();
    oneTimePassword = await passwordField.inputValue();
    expect(oneTimePassword.length).toBeGreaterThanOrEqual(8);
    await shown.getByRole('button', { name: '复制密码' }).click();
    await shown.getByText('已复制到剪贴板').waitFor();
    await expect(admin.evaluate(() => navigator.clipboard.readText())).resolves.toBe(oneTimePassword);
    await saveScreenshot(admin, 'security-04-one-time-password');
    await shown.getByRole('button', { name: '我已记下，关闭' }).click();
    // Closed means gone: the password is nowhere on the page any more.
    await expect(admin.locator('input').evaluateAll((inputs, pw) => inputs.some((i) => (i as HTMLInputElement).value === pw), oneTimePassword)).resolves.toBe(false);
    await expect(admin.content()).resolves.not.toContain(oneTimePassword);

    const row = admin.getByRole('row', { name: new RegExp(NEW_USERNAME) });
    await row.getByText('待修改初始密码').waitFor();
    await expect(row.textContent()).resolves.toContain('网格员');
    const { rows } = await server.db.pool.query(
      `SELECT role, scope_area_code, must_change_password, totp_enabled, a.name AS area FROM app_user u JOIN admin_area a ON a.code = u.scope_area_code WHERE username = $1`,
      [NEW_USERNAME],
    );
    expect(rows[0]).toMatchObject({ role: 'grid_worker', scope_area_code: community, must_change_password: true, totp_enabled: false });
    // The work area is shown by name, not as a bare code.
    await row.getByText(rows[0].area as string, { exact: false }).waitFor();
    await saveScreenshot(admin, 'security-05-user-created');
  });

  it('sends the new user to /account, where the password rule and the server’s refusals are shown', async () => {
    await logIn(user, NEW_USERNAME, oneTimePassword);
    await user.waitForURL('**/account');
    const notice = user.getByRole('alert').filter({ hasText: '请先完成账户设置' });
    await notice.waitFor();
    await expect(notice.textContent()).resolves.toContain('修改初始密码');
    await saveScreenshot(user, 'security-06-account-setup-required');

    // Any staff page sends this session back here, saying why.
    await user.goto(server.baseUrl + '/admin/audit');
    await user.waitForURL('**/account');
    await user.getByText('您要打开的页面（/admin/audit）需要先完成这些步骤。').waitFor();
    // …and the server agrees: other staff routes answer 403 until then.
    const forbidden = await user.evaluate(async () => (await fetch('/api/grids?community=610402001001')).status);
    expect(forbidden).toBe(403);

    const current = user.getByLabel('当前密码');
    const next = user.getByLabel('新密码', { exact: true });
    const again = user.getByLabel('再次输入新密码');
    const submit = user.getByRole('button', { name: '修改密码' });
    await user.getByText('至少 3 类字符', { exact: false }).waitFor();

    // Two kinds of characters only: the page's check shows it, and the server refuses it.
    await current.fill(oneTimePassword);
    await next.fill('abcdefgh1');
    await again.fill('abcdefgh1');
    await user.getByText('至少 3 类字符（现有 2 类）').waitFor();
    await submit.click();
    const refusal = user.getByRole('alert').filter({ hasText: '密码未修改' });
    // The rule it broke in the user's language, and the server's own words.
    await expect(refusal.textContent()).resolves.toContain('须包含小写字母、大写字母、数字、符号中的至少 3 类');
    await expect(refusal.textContent()).resolves.toContain('at least 3 of');
    // A common password passes the page's checks; only the server knows it, and says so.
    await next.fill('Password123!');
    await again.fill('Password123!');
    await submit.click();
    await user.getByRole('alert').filter({ hasText: 'most common' }).filter({ hasText: '最常见的密码之一' }).waitFor();
    // Easy to guess by the server's strength estimate, and one that contains the username.
    await next.fill('Wangge-2026');
    await again.fill('Wangge-2026');
    await submit.click();
    await user.getByRole('alert').filter({ hasText: 'too easy to guess' }).filter({ hasText: '太容易被猜中' }).waitFor();
    await next.fill(`${NEW_USERNAME}A1!`);
    await again.fill(`${NEW_USERNAME}A1!`);
    await submit.click();
    await user.getByRole('alert').filter({ hasText: '新密码不能包含用户名' }).waitFor();
    await saveScreenshot(user, 'security-07-password-refused');
    const unchanged = await server.db.pool.query(`SELECT must_change_password FROM app_user WHERE username = $1`, [NEW_USERNAME]);
    expect(unchanged.rows[0].must_change_password).toBe(true);

    await next.fill(NEW_PASSWORD);
    await again.fill(NEW_PASSWORD);
    await submit.click();
    await user.getByRole('status').filter({ hasText: '密码已修改' }).waitFor();
    await user.getByText('账户设置已完成，现在可以使用全部工作页面。').waitFor();
    await user.getByRole('link', { name: '继续前往 /admin/audit' }).waitFor();
    await saveScreenshot(user, 'security-08-password-changed');
    const changed = await server.db.pool.query(`SELECT must_change_password FROM app_user WHERE username = $1`, [NEW_USERNAME]);
    expect(changed.rows[0].must_change_password).toBe(false);
  });

  it('enrols two-step verification from the QR code and key shown on the page', async () => {
    await user.getByRole('button', { name: '开始绑定' }).click();
    const qr = user.getByRole('img', { name: /两步验证二维码/ });
    await user.locator('.qr-code[data-drawn="true"]').waitFor();
    const box = (await qr.boundingBox())!;
    expect(box.width).toBeGreaterThan(150);
    // The QR code is really drawn: both dark and light modules on the canvas.
    const shades = await qr.evaluate((canvas) => {
      const c = canvas as HTMLCanvasElement;
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let dark = 0;
      let light = 0;
      for (let i = 0; i < data.length; i += 4) (data[i]! < 100 ? dark++ : light++);
      return { dark, light };
    });
    expect(shades.dark).toBeGreaterThan(1000);
    expect(shades.light).toBeGreaterThan(1000);

    totpSecret = (await user.getByLabel('密钥', { exact: true }).textContent())!.replace(/\s/g, '');
    expect(totpSecret).toMatch(/^[A-Z2-7]{32}$/);
    // The QR code holds exactly the otpauth:// URI of this key and account: read its modules
    // off the canvas and compare them with the symbol the same library makes from that URI.
    const expected = QRCode.create(totpUri(totpSecret, NEW_USERNAME), { errorCorrectionLevel: 'M' }).modules;
    const drawn = await qr.evaluate((canvas, { size, margin }) => {
      const c = canvas as HTMLCanvasElement;
      const scale = c.width / (size + margin * 2);
      const pixels = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
      const dark: boolean[] = [];
      for (let row = 0; row < size; row++) {
        for (let col = 0; col < size; col++) {
          const x = Math.floor((margin + col + 0.5) * scale);
          const y = Math.floor((margin + row + 0.5) * scale);
          dark.push(pixels.data[(y * c.width + x) * 4]! < 128);
        }
      }
      return dark;
    }, { size: expected.size, margin: 2 });
    expect(drawn).toEqual(Array.from(expected.data, (bit) => bit === 1));
    await saveScreenshot(user, 'security-09-totp-enrol');

    // A wrong code is refused with the server's reason.
    const now = Date.now();
    const near = new Set([-STEP_MS, 0, STEP_MS].map((d) => totpCode(totpSecret, now + d)));
    const wrong = ['000000', '111111', '222222', '333333'].find((code) => !near.has(code))!;
    await user.getByLabel('6 位验证码').fill(wrong);
    await user.getByRole('button', { name: '确认启用' }).click();
    await user.getByRole('alert').filter({ hasText: '验证码不匹配' }).waitFor();

    await user.getByLabel('6 位验证码').fill(await freshCode(totpSecret));
    await user.getByRole('button', { name: '确认启用' }).click();
    await user.getByRole('status').filter({ hasText: '两步验证已启用' }).waitFor();
    await user.getByText('已启用：登录时除密码外还需输入').waitFor();
    await expect(user.getByRole('button', { name: '关闭两步验证' }).count()).resolves.toBe(1);
    await saveScreenshot(user, 'security-10-totp-enabled');
    const enrolled = await server.db.pool.query(`SELECT totp_enabled FROM app_user WHERE username = $1`, [NEW_USERNAME]);
    expect(enrolled.rows[0].totp_enabled).toBe(true);
  });

  it('logs out, then logs in with the new password and a code of the app', async () => {
    await user.getByRole('button', { name: '退出登录' }).click();
    await user.getByRole('link', { name: '登录' }).waitFor();
    await user.waitForURL(server.baseUrl + '/');

    await logIn(user, NEW_USERNAME, NEW_PASSWORD);
    const otp = user.getByLabel('验证码（身份验证器应用中的 6 位数字）');
    await otp.waitFor();
    await user.getByRole('alert').filter({ hasText: '6 位验证码' }).waitFor();
    await saveScreenshot(user, 'security-11-login-asks-code');
    await otp.fill(await freshCode(totpSecret));
    await user.getByRole('button', { name: '登录', exact: true }).click();
    // A grid worker lands on the report page.
    await user.waitForURL(server.baseUrl + '/report');
    await user.getByRole('link', { name: /王小明/ }).waitFor();
    await user.getByRole('link', { name: /王小明/ }).click();
    await user.waitForURL('**/account');
    await expect(user.getByRole('alert').filter({ hasText: '请先完成账户设置' }).count()).resolves.toBe(0);
    await saveScreenshot(user, 'security-12-logged-in-with-code');
  }, 90_000);

  it('lets the admin find these events in the audit log, newest first, with readable local times', async () => {
    await admin.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '审计日志' }).click();
    await admin.waitForURL('**/admin/audit');
    await admin.getByLabel('用户名').fill(NEW_USERNAME);
    await admin.getByLabel('操作').fill('auth.');
    await admin.getByRole('button', { name: '查询' }).click();
    await admin.waitForURL(/actor=wang.xiaoming/);
    const table = admin.getByRole('table', { name: '审计记录' });
    const shownCodes = () => table.locator('.audit-table__action-code').allTextContents();
    // Wait for the filtered rows to replace the unfiltered ones shown first.
    await expect.poll(async () => (await shownCodes()).some((code) => code.startsWith('user.')), { timeout: 15_000 }).toBe(false);
    await expect.poll(async () => (await shownCodes()).length, { timeout: 15_000 }).toBeGreaterThan(0);
    const codes = await shownCodes();
    for (const action of ['auth.login', 'auth.password_change', 'auth.totp_setup', 'auth.totp_enable', 'auth.logout']) expect(codes).toContain(action);
    expect(codes.every((code) => code.startsWith('auth.'))).toBe(true);
    // Newest first: the last thing the user did was log in with the code.
    expect(codes[0]).toBe('auth.login');
    const firstRow = table.locator('tbody tr').first();
    await expect(firstRow.textContent()).resolves.toContain('成功');
    const times = await table.locator('time').evaluateAll((elements) => elements.map((e) => e.getAttribute('datetime')!));
    expect([...times].sort().reverse()).toEqual(times);
    // Readable times in the user's language and time zone (the context runs in Asia/Shanghai).
    const shownTime = (await firstRow.locator('time').textContent())!;
    const expected = new Intl.DateTimeFormat('zh-CN', { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'Asia/Shanghai' }).format(new Date(times[0]!));
    expect(shownTime).toBe(expected);
    expect(shownTime).toMatch(/\d{4}年\d{1,2}月\d{1,2}日/);
    await saveScreenshot(admin, 'security-13-audit-user');

    // Only failures: the refused password changes, the missing second factor and the wrong code.
    await admin.getByLabel('结果').selectOption({ label: '失败' });
    await admin.getByRole('button', { name: '查询' }).click();
    await admin.waitForURL(/success=false/);
    const failed = await server.db.pool.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE actor_username = $1 AND action LIKE 'auth.%' AND NOT success`,
      [NEW_USERNAME],
    );
    expect(failed.rows[0].n).toBeGreaterThanOrEqual(2);
    await expect.poll(() => table.locator('tbody tr').count(), { timeout: 15_000 }).toBe(failed.rows[0].n);
    // The reason is in the row's sentence (and in its folded details).
    await table.locator('.audit-table__sentence', { hasText: 'second factor missing' }).first().waitFor();
    await expect(table.getByText('成功', { exact: true }).count()).resolves.toBe(0);

    // The admin's own account actions, with their target.
    await admin.getByRole('button', { name: '清除筛选' }).click();
    await admin.getByLabel('用户名').fill('admin');
    await admin.getByLabel('操作').fill('user.create');
    await admin.getByRole('button', { name: '查询' }).click();
    await admin.waitForURL(/action=user.create/);
    const newId = (await server.db.pool.query(`SELECT id FROM app_user WHERE username = $1`, [NEW_USERNAME])).rows[0].id;
    await expect
      .poll(async () => {
        const codes = await shownCodes();
        return codes.length > 0 && codes.every((code) => code === 'user.create');
      }, { timeout: 15_000 })
      .toBe(true);
    await table.getByRole('cell', { name: `user ${newId}`, exact: true }).waitFor();
    await expect(table.getByText('新建账号').count()).resolves.toBeGreaterThan(0);
    await saveScreenshot(admin, 'security-14-audit-user-create');
  });

  it('pages through many entries with "load more" and checks the time range', async () => {
    // 60 failed logins of unknown users: real audit entries, more than one page (50).
    for (let i = 0; i < 60; i++) {
      const res = await fetch(`${server.baseUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: `nobody${i}`, password: 'Wrong-pass-1' }),
      });
      expect(res.status).toBe(401);
    }
    const total = (await server.db.pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'auth.login' AND NOT success`)).rows[0].n as number;
    expect(total).toBeGreaterThan(50);

    await admin.goto(server.baseUrl + '/admin/audit?action=auth.login&success=false');
    const table = admin.getByRole('table', { name: '审计记录' });
    await admin.getByRole('status').filter({ hasText: '已显示 50 条' }).waitFor();
    await admin.getByRole('button', { name: '加载更多' }).click();
    await admin.getByRole('status').filter({ hasText: `已显示 ${Math.min(total, 100)} 条` }).waitFor();
    if (total <= 100) await admin.getByText('已显示全部符合条件的记录。').waitFor();
    const times = await table.locator('time').evaluateAll((elements) => elements.map((e) => e.getAttribute('datetime')!));
    expect([...times].sort().reverse()).toEqual(times);
    // One row (its actor and its sentence both name the user).
    await expect(table.locator('tbody tr').filter({ hasText: 'nobody59' }).count()).resolves.toBe(1);
    await saveScreenshot(admin, 'security-15-audit-load-more');

    // A range that ends before it starts is refused on the page, and the results stay.
    await admin.getByLabel('开始时间').fill('2026-05-02T10:00:00');
    await admin.getByLabel('结束时间').fill('2026-05-01T10:00:00');
    await admin.getByRole('button', { name: '查询' }).click();
    await admin.getByRole('alert').filter({ hasText: '开始时间必须早于结束时间' }).waitFor();
    // A range entirely in the past holds none of today's entries.
    await admin.getByLabel('开始时间').fill('2020-01-01T00:00:00');
    await admin.getByLabel('结束时间').fill('2020-01-02T00:00:00');
    await admin.getByRole('button', { name: '查询' }).click();
    await admin.waitForURL(/from=2020-01-01T00.*to=2020-01-02T00/);
    await admin.getByText('没有符合条件的记录。').waitFor();
    await expect(table.count()).resolves.toBe(0);

    // In English: the page, the filters and the times (an English date, still Shanghai time).
    await admin.getByRole('button', { name: 'English' }).click();
    await admin.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    await admin.getByRole('button', { name: 'Clear filters' }).click();
    await admin.getByRole('button', { name: 'Load more' }).waitFor();
    const englishTable = admin.getByRole('table', { name: 'Audit entries' });
    const [iso] = await englishTable.locator('time').evaluateAll((elements) => elements.slice(0, 1).map((e) => e.getAttribute('datetime')!));
    const englishTime = (await englishTable.locator('time').first().textContent())!;
    expect(englishTime).toBe(new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'Asia/Shanghai' }).format(new Date(iso!)));
    await admin.getByRole('complementary', { name: 'Demo mode' }).getByText('Demo mode: synthetic data').waitFor();
    // Every header link of an admin stays on screen at laptop width, in the longer language too.
    const nav = admin.getByRole('navigation', { name: 'Main navigation' });
    const navBox = (await nav.boundingBox())!;
    for (const box of await nav.getByRole('link').evaluateAll((links) => links.map((l) => l.getBoundingClientRect().toJSON() as DOMRect))) {
      expect(box.right).toBeLessThanOrEqual(navBox.x + navBox.width + 0.5);
      expect(box.height).toBeLessThan(40);
    }
    await saveScreenshot(admin, 'security-16-audit-english');
    await admin.getByRole('button', { name: '中文' }).click();
    await admin.getByRole('heading', { level: 1, name: '审计日志' }).waitFor();
  });

  it('lets the admin edit, disable (confirmed), unlock, reset and end the sessions of an account', async () => {
    await admin.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '账号管理' }).click();
    await admin.waitForURL('**/admin/users');
    const row = admin.getByRole('row', { name: new RegExp(NEW_USERNAME) });
    const actions = row.getByRole('group', { name: `${NEW_USERNAME} 的操作` });
    const userState = async () =>
      (await server.db.pool.query(`SELECT role, scope_area_code, is_active, must_change_password, locked_until FROM app_user WHERE username = $1`, [NEW_USERNAME])).rows[0];

    // Edit: another role, the whole district.
    await actions.getByRole('button', { name: '编辑' }).click();
    let dialog = admin.getByRole('dialog', { name: `编辑账号 ${NEW_USERNAME}` });
    await dialog.getByLabel('角色').selectOption({ label: '政法委分析员' });
    await dialog.getByLabel('工作范围：街道').selectOption('');
    await dialog.getByRole('button', { name: '保存' }).click();
    await admin.getByRole('status').filter({ hasText: `已保存 ${NEW_USERNAME} 的修改。` }).waitFor();
    await row.getByRole('cell', { name: '政法委分析员' }).waitFor();
    await row.getByRole('cell', { name: '全区' }).waitFor();
    expect(await userState()).toMatchObject({ role: 'analyst', scope_area_code: null, is_active: true });

    // End sessions: the user's browser session ends.
    const before = await user.evaluate(async () => ((await (await fetch('/api/auth/me')).json()) as { user: unknown }).user);
    expect(before).not.toBeNull();
    await actions.getByRole('button', { name: '结束会话' }).click();
    const confirmEnd = admin.getByRole('alertdialog', { name: '请确认' });
    await expect(confirmEnd.textContent()).resolves.toContain(`结束 ${NEW_USERNAME} 的全部会话`);
    await confirmEnd.getByRole('button', { name: '结束会话' }).click();
    await admin.getByRole('status').filter({ hasText: `已结束 ${NEW_USERNAME} 的 1 个会话。` }).waitFor();
    const after = await user.evaluate(async () => ((await (await fetch('/api/auth/me')).json()) as { user: unknown }).user);
    expect(after).toBeNull();

    // Five wrong passwords lock the account; the admin sees it and unlocks it.
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${server.baseUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: NEW_USERNAME, password: 'Wrong-pass-1' }),
      });
      expect(res.status).toBe(401);
    }
    await admin.reload();
    await row.getByText(/已锁定至 \d{4}年/).waitFor();
    await saveScreenshot(admin, 'security-17-user-locked');
    await actions.getByRole('button', { name: '解锁' }).click();
    await admin.getByRole('status').filter({ hasText: `已解锁 ${NEW_USERNAME}。` }).waitFor();
    await row.getByText(/已锁定至/).waitFor({ state: 'detached' });
    expect((await userState()).locked_until).toBeNull();

    // Reset the password: confirmed first; cancelling changes nothing.
    await actions.getByRole('button', { name: '重置密码' }).click();
    let confirmReset = admin.getByRole('alertdialog', { name: '请确认' });
    await confirmReset.getByRole('button', { name: '取消' }).click();
    expect((await userState()).must_change_password).toBe(false);
    await actions.getByRole('button', { name: '重置密码' }).click();
    confirmReset = admin.getByRole('alertdialog', { name: '请确认' });
    await expect(confirmReset.textContent()).resolves.toContain('新的一次性密码只显示一次');
    await confirmReset.getByRole('button', { name: '重置密码' }).click();
    const shown = admin.getByRole('dialog', { name: '一次性密码' });
    const resetPassword = await shown.getByLabel(`${NEW_USERNAME} 的一次性密码`).inputValue();
    expect(resetPassword.length).toBeGreaterThanOrEqual(8);
    await saveScreenshot(admin, 'security-18-password-reset');
    await shown.getByRole('button', { name: '我已记下，关闭' }).click();
    await row.getByText('待修改初始密码').waitFor();
    expect((await userState()).must_change_password).toBe(true);
    const relogin = await fetch(`${server.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: NEW_USERNAME, password: resetPassword, otp: await freshCode(totpSecret) }),
    });
    expect(relogin.status).toBe(200);
    expect(((await relogin.json()) as { user: { mustChangePassword: boolean } }).user.mustChangePassword).toBe(true);

    // Disable: confirmed first; cancelling leaves the account active.
    await actions.getByRole('button', { name: '编辑' }).click();
    dialog = admin.getByRole('dialog', { name: `编辑账号 ${NEW_USERNAME}` });
    await dialog.getByRole('checkbox', { name: /账号启用/ }).uncheck();
    await dialog.getByRole('button', { name: '保存' }).click();
    let confirmDisable = admin.getByRole('alertdialog', { name: '请确认' });
    await expect(confirmDisable.textContent()).resolves.toContain(`停用账号 ${NEW_USERNAME}？`);
    await saveScreenshot(admin, 'security-19-confirm-disable');
    await confirmDisable.getByRole('button', { name: '取消' }).click();
    expect((await userState()).is_active).toBe(true);
    await dialog.getByRole('button', { name: '保存' }).click();
    confirmDisable = admin.getByRole('alertdialog', { name: '请确认' });
    await confirmDisable.getByRole('button', { name: '停用' }).click();
    await row.getByText('已停用').waitFor();
    expect((await userState()).is_active).toBe(false);
    await saveScreenshot(admin, 'security-20-user-disabled');

    // The admin's own row: role and active cannot be changed, password reset and ending sessions are off.
    const own = admin.getByRole('group', { name: 'admin 的操作' });
    await expect(own.getByRole('button', { name: '重置密码' }).isDisabled()).resolves.toBe(true);
    await expect(own.getByRole('button', { name: '结束会话' }).isDisabled()).resolves.toBe(true);
    await own.getByRole('button', { name: '编辑' }).click();
    dialog = admin.getByRole('dialog', { name: '编辑账号 admin' });
    await expect(dialog.getByLabel('角色').isDisabled()).resolves.toBe(true);
    await expect(dialog.getByRole('checkbox', { name: /账号启用/ }).isDisabled()).resolves.toBe(true);
    await dialog.getByText('不能停用自己的账号').waitFor();
    await dialog.getByRole('button', { name: '取消' }).click();
  }, 90_000);

  it('works on a phone: /account with the set-up notice and the QR code fits the screen', async () => {
    const adminCookie = await server.loginAs('admin');
    const created = await server.app.inject({
      method: 'POST',
      url: '/api/admin/users',
      headers: { cookie: adminCookie },
      payload: { username: 'li.phone', displayName: '李手机', role: 'analyst' },
    });
    expect(created.statusCode).toBe(201);
    const { temporaryPassword } = created.json() as { temporaryPassword: string };

    const phone = await newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    try {
      const page = await phone.newPage();
      watch(page);
      await logIn(page, 'li.phone', temporaryPassword);
      await page.waitForURL('**/account');
      await page.getByRole('alert').filter({ hasText: '请先完成账户设置' }).waitFor();
      await page.getByRole('complementary', { name: '演示模式' }).waitFor();
      expect(await fitsWidth(page, 390)).toBe(true);
      // The header keeps the way to the account page and the logout on a phone.
      await page.getByRole('link', { name: /李手机/ }).waitFor();
      await page.getByRole('button', { name: '退出登录' }).waitFor();
      await saveScreenshot(page, 'security-23-phone-account');

      await page.getByRole('button', { name: '开始绑定' }).click();
      await page.locator('.qr-code[data-drawn="true"]').waitFor();
      const qr = (await page.getByRole('img', { name: /两步验证二维码/ }).boundingBox())!;
      expect(qr.x).toBeGreaterThanOrEqual(0);
      expect(qr.x + qr.width).toBeLessThanOrEqual(390);
      expect(await fitsWidth(page, 390)).toBe(true);
      await page.getByRole('img', { name: /两步验证二维码/ }).scrollIntoViewIfNeeded();
      await saveScreenshot(page, 'security-24-phone-totp');

      // In English, the set-up notice and the enrolment read the same.
      await page.getByRole('button', { name: 'English' }).click();
      await page.getByRole('heading', { level: 1, name: 'Account and security' }).waitFor();
      await page.getByRole('alert').filter({ hasText: 'Finish setting up your account first' }).waitFor();
      await page.getByText('Step 2: enter the 6-digit code the app shows, to confirm').waitFor();
      expect(await fitsWidth(page, 390)).toBe(true);
      await page.getByRole('heading', { level: 1 }).scrollIntoViewIfNeeded();
      await saveScreenshot(page, 'security-25-phone-account-english');
    } finally {
      await phone.close();
    }
  });
});

describe('an admin where two-step verification is required', () => {
  let strict: Awaited<ReturnType<typeof createTestApp>> & { baseUrl: string };
  let context: BrowserContext;

  beforeAll(async () => {
    // Outside demo mode admins must enrol a second factor; the demo accounts make it easy to try.
    const testApp = await createTestApp({ serveWeb: true, env: { TOTP_REQUIRED_FOR_ADMINS: 'true' } });
    strict = { ...testApp, baseUrl: await testApp.app.listen({ port: 0, host: '127.0.0.1' }) };
    context = await newContext({ viewport: { width: 1280, height: 1300 } });
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await strict?.close();
  });

  it('is sent to /account from every staff page until enrolled, and cannot turn it off', async () => {
    const page = await context.newPage();
    watch(page);
    const demo = DEMO_ACCOUNTS.find((a) => a.role === 'admin')!;
    await page.goto(strict.baseUrl + '/login');
    await page.getByLabel('用户名').fill(demo.username);
    await page.getByLabel('密码', { exact: true }).fill(demo.password);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.waitForURL('**/account');
    const notice = page.getByRole('alert').filter({ hasText: '请先完成账户设置' });
    await expect(notice.textContent()).resolves.toContain('启用两步验证');
    await expect(notice.textContent()).resolves.not.toContain('修改初始密码');

    await page.goto(strict.baseUrl + '/admin/users');
    await page.waitForURL('**/account');
    await page.getByText('您要打开的页面（/admin/users）需要先完成这些步骤。').waitFor();
    const refused = await page.evaluate(async () => {
      const res = await fetch('/api/admin/users');
      return { status: res.status, message: ((await res.json()) as { message: string }).message };
    });
    expect(refused).toEqual({ status: 403, message: 'Set up two-factor authentication first' });
    await saveScreenshot(page, 'security-26-admin-must-enrol');

    await page.getByRole('button', { name: '开始绑定' }).click();
    await page.locator('.qr-code[data-drawn="true"]').waitFor();
    const secret = (await page.getByLabel('密钥', { exact: true }).textContent())!.replace(/\s/g, '');
    await page.getByLabel('6 位验证码').fill(totpCode(secret));
    await page.getByRole('button', { name: '确认启用' }).click();
    await page.getByText('账户设置已完成，现在可以使用全部工作页面。').waitFor();
    await page.getByText('管理员账户必须保留两步验证').waitFor();
    await expect(page.getByRole('button', { name: '关闭两步验证' }).count()).resolves.toBe(0);
    await saveScreenshot(page, 'security-27-admin-enrolled');

    await page.getByRole('link', { name: '继续前往 /admin/users' }).click();
    await page.waitForURL('**/admin/users');
    const ownRow = page.getByRole('row', { name: /admin/ }).filter({ hasText: '您' });
    await ownRow.getByRole('cell', { name: '已启用' }).waitFor();
    const { rows } = await strict.db.pool.query(`SELECT totp_enabled FROM app_user WHERE username = 'admin'`);
    expect(rows[0].totp_enabled).toBe(true);
  });
});
