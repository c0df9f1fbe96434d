/**
 * Hostile content in a real browser. Builds `tests/fixtures/hostile` (bulletins whose every
 * text field carries script, event handlers, iframes, styles and javascript:/data:/vbscript:
 * links), serves it on 127.0.0.1 and loads every built page in Chromium with a canary: a
 * payload that runs sets `window.__pwned`, opens a dialog or requests `/__canary__/…`.
 *
 * The pages are loaded with CSP bypassed, so what is proven is that the HTML itself carries
 * nothing executable (the policy is a second wall, tested separately below and in
 * `csp-pages.test.ts`). HTML that feeds and the JSON API carry for other programs to render
 * is loaded the same way.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, settle } from './helpers/browser.ts';
import { checkLinks } from './helpers/link-check.ts';
import { serve, type StaticServer } from './helpers/serve.ts';
import { htmlPages } from './helpers/site-files.ts';
import { ROOT, buildSite, tempBuildDir } from './helpers/build-site.ts';

const FIXTURE = path.join(ROOT, 'tests', 'fixtures', 'hostile');
const CANARY = '/__canary__/';

/** What a page did that it must not do. Empty lists mean the page is clean. */
interface Findings {
  /** Values payloads assigned to `window.__pwned` (from any frame). */
  pwned: string[];
  /** Messages of alert/confirm/prompt dialogs. */
  dialogs: string[];
  /** Requests to the canary path. */
  canary: string[];
  /** Requests to any other origin (the site loads nothing from elsewhere). */
  foreign: string[];
  /** Uncaught exceptions (a half-escaped payload breaking a script shows up here). */
  errors: string[];
  /** Executable or resource-loading markup found in the DOM after load. */
  markup: string[];
}

const isClean = (f: Findings) => Object.values(f).every((list) => list.length === 0);

/**
 * Runs in every frame before any page script: reports every assignment to `window.__pwned`
 * (or `parent.__pwned` from a frame) to the test through the `__canaryReport` binding,
 * which survives navigations (the root page redirects to a language).
 */
function installCanary() {
  Object.defineProperty(window, '__pwned', {
    configurable: false,
    get: () => undefined,
    set: (value) => void (window as any).__canaryReport?.(String(value)),
  });
}

/** Runs in the page after load: markup that executes script or loads resources from content. */
function scanMarkup(): string[] {
  const problems: string[] = [];
  const describe = (el: Element) => `<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}>`;
  const urlAttributes = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'srcdoc', 'background', 'poster', 'ping', 'cite', 'lowsrc', 'dynsrc']);
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on')) problems.push(`${describe(el)} has event handler ${name}="${attr.value}"`);
      if (urlAttributes.has(name) && /^\s*(javascript|vbscript|data|livescript):/i.test(attr.value.replace(/[\u0000-\u0020]/g, ''))) {
        problems.push(`${describe(el)} has ${name}="${attr.value}"`);
      }
      if (name === 'style' && /url\(|expression\(|__canary__/i.test(attr.value)) problems.push(`${describe(el)} has style="${attr.value}"`);
      if ((urlAttributes.has(name) || name === 'srcset') && attr.value.includes('/__canary__/')) problems.push(`${describe(el)} points ${name} at the canary path`);
    }
    const tag = el.tagName.toLowerCase();
    if (['iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'base', 'style', 'portal'].includes(tag)) {
      problems.push(`${describe(el)} element in the page`);
    }
    if (tag === 'meta' && el.hasAttribute('http-equiv') && el.getAttribute('http-equiv')!.toLowerCase() !== 'content-security-policy') {
      problems.push(`<meta http-equiv="${el.getAttribute('http-equiv')}"> in the page`);
    }
    if (tag === 'script') {
      const type = (el.getAttribute('type') ?? '').toLowerCase();
      const data = type === 'application/json' || type === 'application/ld+json';
      const src = el.getAttribute('src');
      if (!data && !src) problems.push(`inline <script>${(el.textContent ?? '').slice(0, 80)}</script>`);
      else if (src && new URL(src, location.href).origin !== location.origin) problems.push(`<script src="${src}"> from another origin`);
    }
    if (tag === 'link' && el.getAttribute('href') && new URL(el.getAttribute('href')!, location.href).origin === location.origin) {
      const rel = (el.getAttribute('rel') ?? '').toLowerCase();
      if (!/^(stylesheet|icon|canonical|alternate|modulepreload|preload|manifest|search|license)$/.test(rel)) problems.push(`<link rel="${rel}">`);
    }
  }
  return problems;
}

/** Opens `url` in a fresh page of `context` and reports what the page did. */
async function visit(
  context: BrowserContext,
  url: string,
  origin: string,
  hooks: { prepare?: (page: Page) => Promise<unknown>; loaded?: (page: Page) => Promise<unknown> } = {},
): Promise<Findings> {
  const findings: Findings = { pwned: [], dialogs: [], canary: [], foreign: [], errors: [], markup: [] };
  const page = await context.newPage();
  page.on('dialog', (dialog) => {
    findings.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    dialog.dismiss().catch(() => {});
  });
  page.on('request', (request) => {
    const requested = request.url();
    if (requested.includes(CANARY)) findings.canary.push(requested);
    else if (!requested.startsWith(origin) && !/^(data|about|blob):/.test(requested)) findings.foreign.push(requested);
  });
  page.on('pageerror', (error) => findings.errors.push(error.message));
  await page.exposeBinding('__canaryReport', (_source, value: string) => void findings.pwned.push(value));
  try {
    await hooks.prepare?.(page);
    await page.goto(url, { waitUntil: 'load', timeout: 20_000 });
    await hooks.loaded?.(page);
    // Let error handlers of failed images, frame loads and timers run, and a redirect finish.
    await settle(page);
    findings.markup.push(...(await page.evaluate(scanMarkup)));
  } finally {
    await page.close();
  }
  return findings;
}

/** Site-relative URL a static host serves a built HTML file at. */
const pageUrl = (file: string) => file.replace(/(^|\/)index\.html$/, '$1');

let scratch: string;
let siteDir: string;
let server: StaticServer;
let strictServer: StaticServer;
let browser: Browser;
let bypass: BrowserContext;

beforeAll(async () => {
  scratch = tempBuildDir('hostile-pages');
  siteDir = path.join(scratch, 'site');
  buildSite({ contentDir: FIXTURE, outDir: siteDir });
  server = await serve(siteDir);
  strictServer = await serve(siteDir, { headers: true });
  browser = await launchBrowser();
  // bypassCSP: the page's own markup is under test, not the policy that would hide a hole.
  bypass = await browser.newContext({ bypassCSP: true });
  await bypass.addInitScript(installCanary);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await strictServer?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('canary harness', () => {
  it('reports a payload that runs, a dialog, a canary request and executable markup', async () => {
    const origin = new URL(server.url).origin;
    const findings = await visit(bypass, `${origin}/__selftest__/`, origin, {
      prepare: (page) =>
      page.route(`${origin}/__selftest__/`, (route) =>
        route.fulfill({
          contentType: 'text/html',
          body: `<p>x</p><img src="x" onerror="window.__pwned='img';fetch('/__canary__/img')"><script>alert('hi')</script>
            <iframe srcdoc="<script>parent.__pwned='srcdoc'</script>"></iframe><a href="javascript:void 0">x</a>`,
        }),
      ),
    });
    expect(findings.pwned).toEqual(expect.arrayContaining(['img', 'srcdoc']));
    expect(findings.dialogs).toEqual(['alert: hi']);
    expect(findings.canary).toEqual([`${origin}/__canary__/img`]);
    expect(findings.markup.join('\n')).toMatch(/onerror/);
    expect(findings.markup.join('\n')).toMatch(/inline <script>/);
    expect(findings.markup.join('\n')).toMatch(/href="javascript:void 0"/);
    expect(isClean(findings)).toBe(false);
  });
});

describe('hostile bulletins in the built pages', () => {
  it('builds pages for both hostile bulletins in both languages', () => {
    const pages = htmlPages(siteDir);
    for (const lang of ['ja', 'en']) {
      for (const id of ['hx99-001', 'hx99-002']) expect(pages).toContain(`${lang}/bulletins/${id}/index.html`);
    }
  });

  it('runs no script from content on any built page', async () => {
    const pages = htmlPages(siteDir);
    expect(pages.length).toBeGreaterThan(10);
    const dirty: Record<string, Findings> = {};
    for (const file of pages) {
      const findings = await visit(bypass, server.at(pageUrl(file)), new URL(server.url).origin);
      if (!isClean(findings)) dirty[file] = findings;
    }
    expect(dirty).toEqual({});
  });

  it('runs no script from hostile query strings or fragments on list and search pages', async () => {
    const payload = `"><img src=x onerror="window.__pwned='query';fetch('/__canary__/query')"><script>window.__pwned='query-script'</script>`;
    const q = encodeURIComponent(payload);
    const urls = [
      `en/bulletins/?product=${q}&severity=${q}&year=${q}`,
      `ja/bulletins/?product=${q}`,
      `en/search/?q=${q}`,
      `ja/search/?q=${q}`,
      `en/search/?q=pwned#${q}`,
      `en/bulletins/hx99-001/#${q}`,
    ];
    const dirty: Record<string, Findings> = {};
    for (const url of urls) {
      const findings = await visit(bypass, server.at(url), new URL(server.url).origin);
      if (!isClean(findings)) dirty[url] = findings;
    }
    expect(dirty).toEqual({});
  });

  it('links only to pages that exist, never to a script url, from every hostile page', async () => {
    const result = await checkLinks(siteDir, { siteUrl: 'https://bulletins.example.org' });
    expect(result.links).toBeGreaterThan(100);
    expect(result.broken).toEqual([]);
  });

  it('shows html from a title as text, not markup', async () => {
    const page = await bypass.newPage();
    try {
      await page.goto(server.at('en/bulletins/hx99-001/'));
      expect(await page.locator('h1').first().textContent()).toContain('<b>Bold</b> & </title>');
      expect(await page.title()).toContain('</title><img src=x');
      expect(await page.locator('h1 b').count()).toBe(0);
    } finally {
      await page.close();
    }
  });

  it('search results for a hostile bulletin run no script', async () => {
    const dirty: Record<string, Findings> = {};
    for (const url of ['en/search/?q=HX99-001', 'ja/search/?q=HX99-002', 'en/search/?q=pwned', 'en/search/?q=calc']) {
      let results = 0;
      const findings = await visit(bypass, server.at(url), new URL(server.url).origin, {
        loaded: async (page) => {
          // Results render after the index loads; wait for them so their markup is scanned too.
          await page.waitForSelector('#search-results a', { timeout: 10_000 }).catch(() => {});
          results = await page.locator('#search-results a').count();
        },
      });
      if (!isClean(findings)) dirty[url] = findings;
      if (url.includes('HX99')) expect(results, `${url} shows results`).toBeGreaterThan(0);
    }
    expect(dirty).toEqual({});
  });
});

describe('hostile bulletins under the production content security policy', () => {
  it('loads every built page with no policy violation', async () => {
    const context = await browser.newContext();
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) =>
        (window as any).__cspReport?.(`${event.violatedDirective} blocked ${event.blockedURI || 'inline'} (${event.sourceFile}:${event.lineNumber})`),
      );
    });
    const violations: Record<string, string[]> = {};
    try {
      for (const file of htmlPages(siteDir)) {
        const page = await context.newPage();
        const messages: string[] = [];
        page.on('console', (message) => {
          if (/Content[- ]Security[- ]Policy/i.test(message.text())) messages.push(message.text());
        });
        await page.exposeBinding('__cspReport', (_source, value: string) => void messages.push(value));
        await page.goto(strictServer.at(pageUrl(file)), { waitUntil: 'load', timeout: 20_000 });
        await settle(page);
        if (messages.length > 0) violations[file] = messages;
        await page.close();
      }
    } finally {
      await context.close();
    }
    expect(violations).toEqual({});
  });
});

/** HTML strings a feed or API document carries for other programs to render. */
function htmlFields(siteDir: string): Array<{ where: string; html: string }> {
  const out: Array<{ where: string; html: string }> = [];
  const files: string[] = [];
  const walk = (relative: string) => {
    for (const entry of readdirSync(path.join(siteDir, relative), { withFileTypes: true })) {
      const rel = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(rel);
      else if (/\.(xml|json)$/.test(entry.name) && !rel.startsWith('pagefind/')) files.push(rel);
    }
  };
  walk('');
  const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', textNodeName: '#text', processEntities: true, htmlEntities: true });
  for (const file of files) {
    const text = readFileSync(path.join(siteDir, file), 'utf8');
    const visitNode = (node: unknown, key: string, where: string) => {
      if (typeof node === 'string') {
        if (file.endsWith('.json') ? /html/i.test(key) : /^(description|content:encoded|content|summary|subtitle|rights)$/.test(key)) {
          out.push({ where: `${file} ${where}`, html: node });
        }
      } else if (Array.isArray(node)) node.forEach((item, i) => visitNode(item, key, `${where}[${i}]`));
      else if (node && typeof node === 'object') {
        const record = node as Record<string, unknown>;
        // Atom: <content type="html">text</content> parses to { '#text', '@type' }.
        if ('#text' in record && typeof record['#text'] === 'string' && /html/.test(String(record['@type'] ?? 'html'))) visitNode(record['#text'], key, where);
        for (const [k, v] of Object.entries(record)) if (k !== '#text') visitNode(v, k, `${where}.${k}`);
      }
    };
    visitNode(file.endsWith('.json') ? JSON.parse(text) : xml.parse(text), '', '');
  }
  return out;
}

describe('html in feeds and the json api', () => {
  it('carries hostile bulletins into the feeds and the api', () => {
    const fields = htmlFields(siteDir);
    const files = new Set(fields.map((f) => f.where.split(' ')[0]));
    for (const lang of ['ja', 'en']) {
      for (const feed of ['rss.xml', 'atom.xml', 'feed.json']) expect(files, `${lang}/${feed} carries html`).toContain(`${lang}/${feed}`);
    }
    expect(files).toContain('api/v1/bulletins/hx99-001.json');
  });

  it('runs no script when a reader renders the html of any feed entry or api field', async () => {
    const origin = new URL(server.url).origin;
    const dirty: Record<string, Findings> = {};
    const fields = htmlFields(siteDir);
    // Group fields into one document per file so the browser loads a few dozen pages, not hundreds.
    const byFile = new Map<string, string[]>();
    for (const { where, html } of fields) {
      const file = where.split(' ')[0]!;
      byFile.set(file, [...(byFile.get(file) ?? []), `<section data-where="${where.replace(/"/g, '&quot;')}">${html}</section>`]);
    }
    for (const [file, sections] of byFile) {
      const findings = await visit(bypass, `${origin}/__render__/`, origin, {
        prepare: (page) =>
          page.route(`${origin}/__render__/`, (route) =>
            route.fulfill({ contentType: 'text/html', body: `<!doctype html><meta charset="utf-8"><title>render</title>${sections.join('\n')}` }),
          ),
      });
      if (!isClean(findings)) dirty[file] = findings;
    }
    expect(dirty).toEqual({});
  });
});
