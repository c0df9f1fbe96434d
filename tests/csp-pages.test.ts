/**
 * The site works under a strict Content-Security-Policy. The policy ships twice: in
 * `_headers` (for hosts that read it: Netlify, Cloudflare Pages) and as a `<meta>` tag on
 * every page (for hosts that don't). This test serves the site built from `content/` with
 * the `_headers` headers applied, opens one page of every type in both languages, uses the
 * scripted parts (sorting, filtering, search, copy buttons) and fails on any
 * `securitypolicyviolation` event or CSP console message.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, settle } from './helpers/browser.ts';
import { parseTags } from './helpers/link-check.ts';
import { parseHeadersFile, serve, type StaticServer } from './helpers/serve.ts';
import { htmlPages } from './helpers/site-files.ts';

const siteDir = inject('siteDir');

/** Directive name → source list. */
function parsePolicy(policy: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) out.set(name.toLowerCase(), sources);
  }
  return out;
}

/**
 * One page of each type: pages below a section (`en/bulletins/{id}/`, `ja/products/{slug}/`,
 * `en/bulletins/year/{year}/`) that differ only in their last folder are the same type; the
 * first in sort order stands for it. Section pages (`en/search/`) are each their own type.
 */
function onePerType(pages: string[]): string[] {
  const seen = new Map<string, string>();
  for (const page of pages) {
    const parts = page.split('/');
    const type = parts.length >= 4 ? [...parts.slice(0, -2), '*', parts.at(-1)].join('/') : page;
    if (!seen.has(type)) seen.set(type, page);
  }
  return [...seen.values()];
}

const pageUrl = (file: string) => file.replace(/(^|\/)index\.html$/, '$1');

/** Opens a page, runs `act` on it, and returns every CSP violation and CSP console message. */
async function violationsOf(context: BrowserContext, url: string, act?: (page: Page) => Promise<unknown>, prepare?: (page: Page) => Promise<unknown>): Promise<string[]> {
  const found: string[] = [];
  const page = await context.newPage();
  page.on('console', (message) => {
    if (/Content[- ]Security[- ]Policy/i.test(message.text())) found.push(`console: ${message.text()}`);
  });
  await page.exposeBinding('__cspReport', (_source, value: string) => void found.push(value));
  try {
    await prepare?.(page);
    await page.goto(url, { waitUntil: 'load', timeout: 20_000 });
    await settle(page);
    await act?.(page);
    await page.waitForTimeout(100);
  } finally {
    await page.close();
  }
  return found;
}

let server: StaticServer;
let browser: Browser;
let context: BrowserContext;
let headerPolicy: string;

beforeAll(async () => {
  headerPolicy = parseHeadersFile(readFileSync(path.join(siteDir, '_headers'), 'utf8'))['Content-Security-Policy'] ?? '';
  server = await serve(siteDir, { headers: true });
  browser = await launchBrowser();
  context = await browser.newContext();
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) =>
      (window as any).__cspReport?.(
        `${event.effectiveDirective} blocked ${event.blockedURI || 'inline'} at ${event.sourceFile || location.href}:${event.lineNumber}`,
      ),
    );
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('content security policy as shipped', () => {
  it('sends a strict policy for every path from _headers', () => {
    const policy = parsePolicy(headerPolicy);
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'self'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    for (const directive of ['script-src', 'style-src']) {
      const sources = policy.get(directive) ?? policy.get('default-src')!;
      expect(sources, directive).toContain("'self'");
      for (const loose of ["'unsafe-inline'", "'unsafe-eval'", '*', 'data:', 'http:', 'https:']) expect(sources, directive).not.toContain(loose);
    }
  });

  it('puts the same policy in a meta tag at the top of every page', () => {
    const header = parsePolicy(headerPolicy);
    // A meta policy cannot carry frame-ancestors, report-uri or sandbox (browsers ignore them there).
    for (const name of ['frame-ancestors', 'report-uri', 'report-to', 'sandbox']) header.delete(name);
    const wrong: string[] = [];
    for (const file of htmlPages(siteDir)) {
      const tags = parseTags(readFileSync(path.join(siteDir, file), 'utf8'));
      const at = tags.findIndex((t) => t.name === 'meta' && t.attrs.get('http-equiv')?.toLowerCase() === 'content-security-policy');
      if (at < 0) {
        wrong.push(`${file}: no CSP meta tag`);
        continue;
      }
      // It only governs what comes after it: nothing that loads or runs may come first.
      const before = tags.slice(0, at).filter((t) => ['script', 'link', 'style', 'img', 'iframe', 'base'].includes(t.name));
      if (before.length > 0) wrong.push(`${file}: <${before[0]!.name}> before the CSP meta tag`);
      const meta = parsePolicy(tags[at]!.attrs.get('content') ?? '');
      if (JSON.stringify([...meta].sort()) !== JSON.stringify([...header].sort())) wrong.push(`${file}: meta policy differs from _headers: ${tags[at]!.attrs.get('content')}`);
    }
    expect(wrong).toEqual([]);
  });
});

describe('pages under the policy', () => {
  it('reports an inline script the policy blocks (harness check)', async () => {
    const origin = new URL(server.url).origin;
    const found = await violationsOf(context, `${origin}/__csp-selftest__/`, undefined, (page) =>
      page.route(`${origin}/__csp-selftest__/`, (route) =>
        route.fulfill({
          contentType: 'text/html',
          headers: { 'Content-Security-Policy': headerPolicy },
          body: '<!doctype html><p style="color:red">x</p><script>document.title = "ran"</script>',
        }),
      ),
    );
    expect(found.join('\n')).toMatch(/script-src-elem blocked inline/);
    expect(found.join('\n')).toMatch(/style-src-attr blocked inline/);
  });

  it('loads one page of every type, in both languages, with no violation', async () => {
    const pages = onePerType(htmlPages(siteDir));
    for (const expected of ['index.html', '404.html', 'ja/index.html', 'en/bulletins/index.html', 'en/search/index.html', 'ja/files/index.html']) {
      expect(pages).toContain(expected);
    }
    for (const type of ['en/bulletins/*/index.html', 'ja/products/*/index.html', 'en/kb/*/index.html', 'ja/cve/*/index.html']) {
      const [dir] = type.split('*');
      expect(pages.some((p) => p.startsWith(dir!) && p.split('/').length === type.split('/').length), type).toBe(true);
    }
    const violations: Record<string, string[]> = {};
    for (const file of pages) {
      const found = await violationsOf(context, server.at(pageUrl(file)));
      if (found.length > 0) violations[file] = found;
    }
    expect(violations).toEqual({});
  });

  it('sorts and filters the bulletin list with no violation', async () => {
    const found = await violationsOf(context, server.at('en/bulletins/'), async (page) => {
      const buttons = page.locator('button.sort-button');
      expect(await buttons.count()).toBeGreaterThan(0);
      for (let i = 0; i < (await buttons.count()); i++) {
        await buttons.nth(i).click();
        await buttons.nth(i).click();
      }
      const select = page.locator('form[data-filter-form] select').first();
      const values = await select.locator('option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
      expect(values.length).toBeGreaterThan(0);
      await select.selectOption(values[0]!);
      expect(page.url()).toContain('?');
      // The product box downloads its product list under the same policy.
      await page.locator('input[data-product-box]').fill('Windows');
      await page.waitForURL(/[?&]product=Windows/);
      expect(await page.locator('datalist option').count()).toBeGreaterThan(0);
    });
    expect(found).toEqual([]);
  });

  it('runs a search and shows results with no violation (WebAssembly included)', async () => {
    let results = 0;
    const found = await violationsOf(context, server.at('ja/search/?q=exsmtp.dll'), async (page) => {
      await page.waitForSelector('#search-results a', { timeout: 15_000 });
      results = await page.locator('#search-results a').count();
      await page.locator('input[name="q"]').first().fill('MS03-046');
      await page.keyboard.press('Enter');
      await page.waitForSelector('#search-results a', { timeout: 15_000 });
    });
    expect(results).toBeGreaterThan(0);
    expect(found).toEqual([]);
  });

  it('copies a registry key with the copy button with no violation', async () => {
    const found = await violationsOf(context, server.at('en/bulletins/ms03-046/'), async (page) => {
      const button = page.locator('button.copy-button[data-copy]').first();
      await button.waitFor({ state: 'visible' });
      await button.click();
      await page.waitForFunction(() => document.querySelector('button.copy-button[data-copied]') !== null);
    });
    expect(found).toEqual([]);
  });
});
