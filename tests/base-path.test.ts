import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './helpers/browser.ts';
import { buildSite, ROOT } from './helpers/build-site.ts';
import { checkLinks } from './helpers/link-check.ts';
import { serve, type StaticServer } from './helpers/serve.ts';

// Publishing under a prefix, as on an intranet server that hosts other things at its root:
// the site is built with KB_BASE_PATH=/kb/ and KB_SITE_URL, served under /kb/ only (with the
// production security headers), and every page, asset, search index, feed and CSAF URL must
// stay inside that prefix.
const SITE_URL = 'https://intranet.example.jp';
const BASE = '/kb/';
const DEFAULT_SITE_URL = 'https://bulletins.example.org';

let work: string;
let site: string;
let server: StaticServer;
let browser: Browser;

/** Every file of the built site, relative, with forward slashes. */
function files(dir = site, prefix = ''): string[] {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? files(dir, relative) : [relative];
  });
}

const TEXT = /\.(html|css|js|json|xml|txt|csv|ps1|sha512|svg)$|(^|\/)_headers$/;

beforeAll(async () => {
  // Inside the project: Astro puts its prerender chunks in ./.astro/ when the output folder
  // is outside the working directory, where parallel builds would overwrite each other's.
  work = path.join(ROOT, '.kb-test', `base-path-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  site = path.join(work, 'site');
  buildSite({ contentDir: path.join(ROOT, 'content'), outDir: site, env: { KB_BASE_PATH: BASE, KB_SITE_URL: SITE_URL } });
  server = await serve(site, { base: BASE, headers: true });
  browser = await launchBrowser();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** A page that records everything that went wrong while it was open. */
async function watchedPage(): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage();
  const problems: string[] = [];
  const origin = new URL(server.url).origin;
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`script error: ${error.message}`));
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin === origin && !url.pathname.startsWith(BASE)) problems.push(`request outside ${BASE}: ${url.pathname}`);
    if (url.origin !== origin && url.protocol !== 'data:') problems.push(`request to another origin: ${request.url()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return { page, problems };
}

describe(`site built with KB_BASE_PATH=${BASE}`, () => {
  it('passes the link check: every link, stylesheet, script and fragment resolves under the base path', async () => {
    const result = await checkLinks(site, { base: BASE, siteUrl: SITE_URL });
    expect(result.broken).toEqual([]);
    expect(result.pages).toBeGreaterThan(20);
    expect(result.links).toBeGreaterThan(result.pages);
  });

  it('refers to no root path outside the base path in pages, stylesheets or scripts', () => {
    const outside: string[] = [];
    // Pagefind's own bundle names "/pagefind/" as the default it falls back to when no base
    // path is set; what it really requests is checked in the browser tests below.
    for (const file of files().filter((f) => /\.(html|css|js)$/.test(f) && !f.startsWith('pagefind/'))) {
      const text = readFileSync(path.join(site, file), 'utf8');
      const patterns = file.endsWith('.html')
        ? [/\s(?:href|src|action|srcset|poster|content)="(\/[^"]*)"/g]
        : file.endsWith('.css')
          ? [/url\(\s*['"]?(\/[^'")]*)/g]
          : // In scripts: string literals naming the site's own folders from the root.
            [/["'`](\/(?:_astro|pagefind|ja|en|api|exports|downloads|\.well-known)\/[^"'`]*)/g];
      for (const pattern of patterns) {
        for (const match of text.matchAll(pattern)) {
          const url = match[1]!;
          if (!url.startsWith(BASE) && !url.startsWith('//')) outside.push(`${file}: ${url}`);
        }
      }
    }
    expect(outside).toEqual([]);
  });

  it('writes absolute urls in feeds, api, csaf, exports and scripts from KB_SITE_URL plus the base path', () => {
    const wrong: string[] = [];
    let absolute = 0;
    for (const file of files().filter((f) => TEXT.test(f))) {
      const text = readFileSync(path.join(site, file), 'utf8');
      if (text.includes(DEFAULT_SITE_URL)) wrong.push(`${file}: still names ${DEFAULT_SITE_URL}`);
      for (const match of text.matchAll(/https:\/\/intranet\.example\.jp[^\s"'<>,)\\]*/g)) {
        absolute++;
        const url = match[0];
        if (url.startsWith(`${SITE_URL}${BASE}`)) continue;
        // CSAF's publisher namespace is the publisher's origin, not a page (CSAF 2.0 §3.2.1.8.3).
        const before = text.slice(Math.max(0, match.index! - 16), match.index);
        if (url === SITE_URL && /"namespace":\s*"$/.test(before)) continue;
        wrong.push(`${file}: ${url}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(absolute).toBeGreaterThan(50);
    // The documents a reader or a feed client starts from.
    expect(readFileSync(path.join(site, 'ja', 'rss.xml'), 'utf8')).toContain(`<link>${SITE_URL}${BASE}ja/bulletins/ms03-046/</link>`);
    const provider = JSON.parse(readFileSync(path.join(site, '.well-known', 'csaf', 'provider-metadata.json'), 'utf8'));
    expect(provider.canonical_url).toBe(`${SITE_URL}${BASE}.well-known/csaf/provider-metadata.json`);
    expect(readFileSync(path.join(site, 'exports', 'bulletins.csv'), 'utf8')).toContain(`${SITE_URL}${BASE}ja/bulletins/ms03-046/`);
  });

  it('opens a bulletin page under the base path with its stylesheet, scripts and no errors under the production csp', async () => {
    const { page, problems } = await watchedPage();
    await page.goto(server.at('ja/bulletins/ms03-046/'));
    await expect.poll(() => page.locator('h1').innerText()).toContain('MS03-046');
    // The stylesheet is applied: it came from /kb/_astro/ and the CSP allowed it.
    const sheets = await page.evaluate(() => [...document.styleSheets].map((s) => ({ href: s.href, rules: s.cssRules.length })));
    expect(sheets.length).toBeGreaterThan(0);
    for (const sheet of sheets) {
      expect(new URL(sheet.href!).pathname.startsWith(`${BASE}_astro/`)).toBe(true);
      expect(sheet.rules).toBeGreaterThan(0);
    }
    // Following the language switch stays under the prefix.
    await page.locator('a[hreflang="en"]').first().click();
    await page.waitForURL(`${server.url}en/bulletins/ms03-046/`);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('sends a reader at the root of the prefix to a language home under the prefix', async () => {
    const { page, problems } = await watchedPage();
    await page.goto(server.url);
    await page.waitForURL(new RegExp(`${BASE}(ja|en)/$`));
    expect(problems).toEqual([]);
    await page.close();
  });

  it('finds a bulletin with the search page in both languages and links to it under the base path', async () => {
    for (const [lang, query] of [['ja', 'Exchange'], ['en', 'Exchange']] as const) {
      const { page, problems } = await watchedPage();
      await page.goto(server.at(`${lang}/search/?q=${encodeURIComponent(query)}`));
      const first = page.locator('#search-results a').first();
      await first.waitFor({ timeout: 30_000 });
      const hrefs = await page.locator('#search-results a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
      expect(hrefs, lang).toContain(`${BASE}${lang}/bulletins/ms03-046/`);
      for (const href of hrefs) expect(href!.startsWith(`${BASE}${lang}/`), `${lang}: ${href}`).toBe(true);
      await page.locator(`#search-results a[href="${BASE}${lang}/bulletins/ms03-046/"]`).first().click();
      await expect.poll(() => page.locator('h1').innerText()).toContain('MS03-046');
      expect(problems, lang).toEqual([]);
      await page.close();
    }
  });
});
