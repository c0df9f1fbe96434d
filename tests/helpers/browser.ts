/**
 * Launches Debian's Chromium (`apt-get install chromium`) through playwright-core for
 * browser tests. Flags keep it offline and quiet: no background networking, updates or
 * sync, so a test only ever talks to the local static server.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.KB_CHROMIUM ?? '/usr/bin/chromium';

/** True when Chromium is installed where tests expect it. */
export function hasChromium(): boolean {
  return existsSync(CHROMIUM_PATH);
}

/** Starts headless Chromium. Close it with `browser.close()` in `afterAll`. */
export async function launchBrowser(): Promise<Browser> {
  if (!hasChromium()) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install it with "apt-get install -y chromium" or set KB_CHROMIUM`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Waits until a loaded page has run its timers and finished any redirect. KB/CVE resolver
 * pages redirect with a meta refresh and the root page with a script; closing a page in
 * mid-navigation can hang Chromium, and the target page must be checked too.
 */
export async function settle(page: Page): Promise<void> {
  await page.waitForTimeout(150);
  for (let i = 0; i < 50; i++) {
    const redirecting = await page
      .evaluate(() => document.querySelector('meta[http-equiv="refresh" i], a[data-choose-lang]') !== null)
      .catch(() => true);
    if (!redirecting) break;
    await page.waitForTimeout(100);
  }
  await page.waitForLoadState('load');
}
