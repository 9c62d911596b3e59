import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { SCREENSHOT_DIR } from './constants.js';

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
