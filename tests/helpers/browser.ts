import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { SCREENSHOT_DIR } from './constants.js';
import { DEMO_ACCOUNTS } from '../../server/demo/accounts.js';
import type { Role } from '../../server/modules/auth/roles.js';

/** Debian's Chromium, headless, with no background network traffic (the machine is offline). */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Saves a full-page screenshot as tests/screenshots/<name>.png and returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  const dir = fileURLToPath(SCREENSHOT_DIR);
  fs.mkdirSync(dir, { recursive: true });
  const file = `${dir}${name}.png`;
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * Signs a browser context in through the API, as the login form would, so that every page it
 * opens is signed in: as the demo account of a role, or as the account given.
 */
export async function signIn(context: BrowserContext, baseUrl: string, who: Role | { username: string; password: string }): Promise<void> {
  const account = typeof who === 'string' ? DEMO_ACCOUNTS.find((a) => a.role === who)! : who;
  const res = await context.request.post(`${baseUrl}/api/auth/login`, { data: { username: account.username, password: account.password } });
  if (res.status() !== 200) throw new Error(`signing in as ${account.username}: ${res.status()} ${await res.text()}`);
}
