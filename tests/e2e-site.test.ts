/**
 * The site in a real browser (Debian Chromium via playwright-core), served from the built
 * files by a plain static server with the production security headers: every fact of
 * MS03-046 on screen, language switching, the copy buttons, list filters with and without
 * scripts, the language chooser, fallback pages, axe-core on every page type, and
 * screenshots of the bulletin pages in test-results/.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Bulletin, Lang } from '../schemas/index.ts';
import { languageNameIn, t } from '../src/i18n/index.ts';
import { platformLabel } from '../src/lib/facets.ts';
import { formatByteCount, formatBytes, formatDate, formatDuration, formatInteger } from '../src/lib/format.ts';
import { localize } from '../src/lib/localize.ts';
import { loadContent } from '../src/lib/load-content.ts';
import { launchBrowser } from './helpers/browser.ts';
import { buildSite, ROOT, tempBuildDir } from './helpers/build-site.ts';
import { serve, type StaticServer } from './helpers/serve.ts';

const siteDir = inject('siteDir');
const ARTIFACTS = path.join(ROOT, 'test-results');
const AXE = path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');
const LANGS = ['ja', 'en'] as const;

const { bulletins } = await loadContent('content');
const ms03046 = bulletins.find((b) => b.id === 'MS03-046')!;

let browser: Browser;
let site: StaticServer;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await launchBrowser();
  site = await serve(siteDir, { headers: true });
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

/** A page that records CSP violations and script errors. */
async function openPage(context: BrowserContext): Promise<{ page: Page; problems: string[] }> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/status of 404/.test(message.text())) problems.push(`console: ${message.text()}`);
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  return { page, problems };
}

const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Plain text of a Markdown paragraph (the content uses only simple inline markup). */
const plain = (markdown: string) =>
  squash(markdown.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/[*_`]/g, ''));

interface Facts {
  visible: string[];
  titles: string[];
  hrefs: string[];
  printed: string[];
}

/** Every fact of a bulletin as the page in `lang` must show it. */
function factsOf(b: Bulletin, lang: Lang): Facts {
  const text = b.text[lang]!;
  const loc = (value: Parameters<typeof localize>[0]) => localize(value, lang).text;
  const visible: string[] = [b.id, b.vendor, formatDate(b.published, lang), t(lang, `severity.${b.severity}`)];
  const titles: string[] = [];
  const hrefs: string[] = [];
  const printed: string[] = [];
  visible.push(...b.kb.map((n) => `KB${n}`), ...b.cves);
  if (b.modified) visible.push(formatDate(b.modified, lang));
  visible.push(text.title, text.action, ...(text.subtitle ? [text.subtitle] : []));
  visible.push(...text.summary.split(/\n\s*\n/).map(plain).filter(Boolean));
  if (text.comment) visible.push(...text.comment.split(/\n\s*\n/).map(plain).filter(Boolean));
  if (text.comment_by) visible.push(text.comment_by);
  for (const a of b.affected) {
    visible.push(a.product, t(lang, `severity.${a.severity ?? b.severity}`));
    if (a.service_pack) visible.push(a.service_pack);
    if (a.installed_on) visible.push(a.installed_on);
    for (const d of a.downloads) hrefs.push(d.url);
  }
  visible.push(...b.not_affected.flatMap((p) => [p.product, ...(p.service_pack ? [p.service_pack] : []), ...(p.installed_on ? [p.installed_on] : [])]));
  const sizes = (bytes: number) => {
    visible.push(formatBytes(bytes, lang));
    titles.push(formatByteCount(bytes, lang));
    printed.push(formatByteCount(bytes, lang));
  };
  const files = [...b.packages.flatMap((p) => p.files), ...b.affected.flatMap((a) => a.files)];
  const keys = [...b.packages.flatMap((p) => p.registry_keys), ...b.affected.flatMap((a) => a.registry_keys)];
  for (const p of b.packages) {
    visible.push(p.file_name, formatDate(p.date, lang), p.version ?? t(lang, 'bulletin.noVersion'), p.architecture, platformLabel(b, p.platform));
    visible.push(p.language === 'ja' || p.language === 'en' ? languageNameIn(p.language, lang) : p.language);
    if (p.restart_required) visible.push(t(lang, `restart.${p.restart_required}`));
    sizes(p.size);
    hrefs.push(p.url);
    if (p.console) visible.push(loc(p.console.view), p.console.tab, p.console.name, p.console.tool);
    if (p.deployment) {
      visible.push(p.deployment.tool);
      for (const e of p.deployment.estimates) {
        visible.push(t(lang, 'bulletin.machines', { count: formatInteger(e.machines) }), formatDuration(e.minutes, lang));
      }
    }
  }
  for (const f of files) {
    visible.push(f.name, formatDate(f.date, lang), f.version ?? t(lang, 'bulletin.noVersion'));
    if (f.folder) visible.push(f.folder);
    if (f.description) visible.push(loc(f.description));
    if (f.note) visible.push(loc(f.note));
    if (f.architecture) visible.push(f.architecture);
    if (f.branch) visible.push(f.branch);
    sizes(f.size);
  }
  for (const k of keys) {
    visible.push(`${k.hive}\\${k.path}`);
    if (k.value) visible.push(k.value.name, k.value.type, String(k.value.data));
    if (k.note) visible.push(loc(k.note));
  }
  if (b.verification?.console_check) visible.push(loc(b.verification.console_check));
  if (b.verification?.file_check) visible.push(loc(b.verification.file_check));
  if (b.deployment_note) visible.push(loc(b.deployment_note));
  for (const r of b.revision_history) {
    visible.push(formatDate(r.date, lang), loc(r.summary));
    if (r.version) visible.push(r.version);
  }
  for (const r of b.references) {
    visible.push(loc(r.title));
    hrefs.push(r.url);
  }
  for (const s of b.sources) {
    visible.push(s.title);
    if (s.url) hrefs.push(s.url);
  }
  for (const d of b.discrepancies) {
    visible.push(d.other_value, d.other_source, loc(d.note), d.field);
    if (d.other_url) hrefs.push(d.other_url);
  }
  visible.push(...b.related, ...b.supersedes, ...b.superseded_by);
  return { visible: [...new Set(visible.map(squash))], titles, hrefs, printed };
}

describe('bulletin page', () => {
  for (const lang of LANGS) {
    it(`shows every fact of MS03-046 on /${lang}/bulletins/ms03-046/ (sizes exact on hover and in print)`, async () => {
      const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
      const { page, problems } = await openPage(context);
      await page.goto(site.at(`${lang}/bulletins/ms03-046/`));
      const facts = factsOf(ms03046, lang);
      const onScreen = squash(await page.locator('body').innerText());
      const missing = facts.visible.filter((fact) => !onScreen.includes(fact));
      expect(missing).toEqual([]);
      const titles = await page.locator('[title]').evaluateAll((els) => els.map((e) => e.getAttribute('title')));
      expect(facts.titles.filter((x) => !titles.includes(x))).toEqual([]);
      const hrefs = await page.locator('a[href]').evaluateAll((els) => els.map((e) => e.getAttribute('href')));
      expect(facts.hrefs.filter((x) => !hrefs.includes(x))).toEqual([]);
      await page.screenshot({ path: path.join(ARTIFACTS, `site-bulletin-ms03-046-${lang}.png`), fullPage: true });
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.screenshot({ path: path.join(ARTIFACTS, `site-bulletin-ms03-046-${lang}-dark.png`), fullPage: true });
      await page.emulateMedia({ media: 'print', colorScheme: 'light' });
      const printed = squash(await page.locator('body').innerText());
      expect(facts.printed.filter((x) => !printed.includes(x))).toEqual([]);
      expect(await page.locator('.copy-button').first().isVisible()).toBe(false);
      expect(await page.locator('.site-header').isVisible()).toBe(false);
      await page.screenshot({ path: path.join(ARTIFACTS, `site-bulletin-ms03-046-${lang}-print.png`), fullPage: true });
      expect(problems).toEqual([]);
      await context.close();
    });
  }

  it('shows every fact of the other bulletins in both languages', async () => {
    const context = await browser.newContext();
    const { page, problems } = await openPage(context);
    for (const b of bulletins.filter((x) => x.id !== 'MS03-046')) {
      for (const lang of LANGS) {
        await page.goto(site.at(`${lang}/bulletins/${b.id.toLowerCase()}/`));
        const facts = factsOf(b, lang);
        const onScreen = squash(await page.locator('body').innerText());
        expect(facts.visible.filter((fact) => !onScreen.includes(fact)), `${b.id} ${lang}`).toEqual([]);
        const hrefs = await page.locator('a[href]').evaluateAll((els) => els.map((e) => e.getAttribute('href')));
        expect(facts.hrefs.filter((x) => !hrefs.includes(x)), `${b.id} ${lang}`).toEqual([]);
      }
    }
    expect(problems).toEqual([]);
    await context.close();
  });

  it('gathers a component on one product page, with the system of each bulletin\'s update in a column', async () => {
    const context = await browser.newContext();
    const { page, problems } = await openPage(context);
    for (const lang of LANGS) {
      await page.goto(site.at(`${lang}/products/outlook-express-6/`));
      const headers = await page.locator('table th').allInnerTexts();
      expect(headers).toContain(t(lang, 'bulletin.installedOn'));
      // MS04-013 updates Outlook Express 6 on Windows XP (no service pack) and on Windows 2003.
      const row = squash(await page.locator('tr', { hasText: 'MS04-013' }).innerText());
      expect(row).toContain('Windows XP');
      expect(row).toContain('Windows 2003');
    }
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows the Exchange 2000 key discrepancy next to the key itself, with both keys copyable', async () => {
    const context = await browser.newContext();
    const { page } = await openPage(context);
    await page.goto(site.at('en/bulletins/ms03-046/'));
    const keys = await page.locator('#verification .copy-button').evaluateAll((els) => els.map((e) => e.getAttribute('data-copy')));
    expect(keys).toEqual([
      'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Updates\\Exchange Server 5.5\\SP5\\829436',
      'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Updates\\Exchange Server 2000\\SERVICE PACK 4\\829436',
      'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Updates\\Exchange Server 2000\\SP4\\829436',
    ]);
    const mark = page.locator('#verification .discrepancy-mark');
    await expect.poll(() => mark.innerText()).toContain('Sources disagree');
    await mark.getByRole('link').click();
    expect(new URL(page.url()).hash).toBe('#discrepancy-1');
    await context.close();
  });

  it('copies the exact registry key with the keyboard alone', async () => {
    const context = await browser.newContext();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(site.url).origin });
    const { page, problems } = await openPage(context);
    await page.goto(site.at('ja/bulletins/ms03-046/'));
    const button = page.locator('#verification .copy-button').nth(1);
    await expect.poll(() => button.isVisible()).toBe(true);
    // Tab through the page until the second copy button has focus, as a keyboard user would.
    let focused = false;
    for (let i = 0; i < 200 && !focused; i++) {
      await page.keyboard.press('Tab');
      focused = await button.evaluate((el) => el === document.activeElement);
    }
    expect(focused).toBe(true);
    const outline = await button.evaluate((el) => getComputedStyle(el).outlineStyle);
    expect(outline).not.toBe('none');
    await page.keyboard.press('Enter');
    const expected = 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Updates\\Exchange Server 2000\\SERVICE PACK 4\\829436';
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(expected);
    expect(await page.locator('.copy-status').innerText()).toBe(`${t('ja', 'bulletin.copied')}: ${expected}`);
    await page.locator('#verification .copy-button').first().focus();
    await page.keyboard.press('Space');
    await expect
      .poll(() => page.evaluate(() => navigator.clipboard.readText()))
      .toBe('HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Updates\\Exchange Server 5.5\\SP5\\829436');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('reads completely without scripts: keys are selectable text and the copy buttons stay hidden', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(site.at('en/bulletins/ms03-046/'));
    expect(await page.locator('.copy-button').first().isVisible()).toBe(false);
    const onScreen = squash(await page.locator('body').innerText());
    expect(factsOf(ms03046, 'en').visible.filter((fact) => !onScreen.includes(fact))).toEqual([]);
    await context.close();
  });
});

describe('language switch', () => {
  for (const [from, to, route] of [
    ['ja', 'en', 'bulletins/ms03-046/'],
    ['en', 'ja', 'bulletins/ms03-046/'],
    ['ja', 'en', 'products/exchange-server-5-5/'],
    ['en', 'ja', 'bulletins/year/2003/'],
    ['ja', 'en', 'files/'],
  ] as const) {
    it(`keeps the page when switching from /${from}/${route} to ${to}`, async () => {
      const context = await browser.newContext();
      const { page } = await openPage(context);
      await page.goto(site.at(`${from}/${route}`));
      await page.locator('.lang-switch').getByRole('link', { name: to === 'ja' ? '日本語' : 'English' }).click();
      await page.waitForURL(site.at(`${to}/${route}`));
      expect(await page.getAttribute('html', 'lang')).toBe(to);
      await context.close();
    });
  }
});

describe('bulletin list', () => {
  const visibleIds = (page: Page) =>
    page.locator('table[data-bulletin-table] tbody tr:visible').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.id));

  it('filters by year, product and both at once with scripts, and keeps the filter in the URL', async () => {
    const context = await browser.newContext();
    const { page, problems } = await openPage(context);
    await page.goto(site.at('en/bulletins/'));
    const form = page.locator('form[data-filter-form]');
    await expect.poll(() => form.isVisible()).toBe(true);
    expect(await visibleIds(page)).toEqual(['MS04-013', 'MS03-046', 'MS03-039', 'MS03-026']);
    await form.getByLabel('Year').selectOption('2004');
    expect(await visibleIds(page)).toEqual(['MS04-013']);
    expect(new URL(page.url()).search).toBe('?year=2004');
    await form.getByLabel('Year').selectOption('2003');
    // The product box takes a product's name, or words that select every product holding them.
    const product = form.getByLabel('Product');
    await product.fill('Windows XP');
    await expect.poll(() => visibleIds(page)).toEqual(['MS03-039', 'MS03-026']);
    expect(await page.locator('.filter-status').innerText()).toBe('Showing 2 bulletins (2 products whose name contains “Windows XP”)');
    expect(new URL(page.url()).searchParams.get('product')).toBe('Windows XP');
    await page.reload();
    expect(await product.inputValue()).toBe('Windows XP');
    await expect.poll(() => visibleIds(page)).toEqual(['MS03-039', 'MS03-026']);
    await product.fill('exchange 5');
    await expect.poll(() => visibleIds(page)).toEqual(['MS03-046']);
    expect(await page.locator('.filter-status').innerText()).toBe('Showing 1 bulletin (2 products whose name contains “exchange 5”)');
    await product.fill('exchange 2000');
    await expect.poll(() => page.locator('.filter-status').innerText()).toBe('Showing 1 bulletin (1 product whose name contains “exchange 2000”)');
    await form.getByLabel('Year').selectOption('');
    await product.fill('outlook 6');
    await expect.poll(() => visibleIds(page)).toEqual(['MS04-013']);
    await product.fill('Outlook 7');
    await expect.poll(() => visibleIds(page)).toEqual([]);
    expect(await page.locator('.filter-status').innerText()).toBe('Showing 0 bulletins (No product name contains “Outlook 7”.)');
    // A product page's slug in the address selects that product, shown by its name.
    await page.goto(site.at('en/bulletins/?product=exchange-server-5-5'));
    await expect.poll(() => product.inputValue()).toBe('Exchange Server 5.5');
    await expect.poll(() => visibleIds(page)).toEqual(['MS03-046']);
    expect(new URL(page.url()).searchParams.get('product')).toBe('exchange-server-5-5');
    expect(await page.locator('.filter-status').innerText()).toBe('');
    await form.getByRole('button', { name: 'Clear' }).click();
    await expect.poll(() => visibleIds(page)).toEqual(['MS04-013', 'MS03-046', 'MS03-039', 'MS03-026']);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('filters nothing by product, and says so, when the product list cannot be loaded', async () => {
    const context = await browser.newContext();
    const { page } = await openPage(context);
    await page.route('**/products.json', (route) => route.fulfill({ status: 404, body: '' }));
    await page.goto(site.at('en/bulletins/'));
    const form = page.locator('form[data-filter-form]');
    await expect.poll(() => form.isVisible()).toBe(true);
    await form.getByLabel('Product').fill('Windows XP');
    await expect
      .poll(() => page.locator('.filter-status').innerText())
      .toBe('Showing 4 bulletins (The product list could not be loaded, so the product filter is not applied.)');
    expect(await visibleIds(page)).toEqual(['MS04-013', 'MS03-046', 'MS03-039', 'MS03-026']);
    await context.close();
  });

  it('sorts by a column when its header is activated, and reverses on the second press', async () => {
    const context = await browser.newContext();
    const { page } = await openPage(context);
    await page.goto(site.at('ja/bulletins/'));
    const idHeader = page.locator('th[data-sort-key="id"]');
    await idHeader.getByRole('button').press('Enter');
    expect(await idHeader.getAttribute('aria-sort')).toBe('ascending');
    expect(await visibleIds(page)).toEqual(['MS03-026', 'MS03-039', 'MS03-046', 'MS04-013']);
    await idHeader.getByRole('button').click();
    expect(await idHeader.getAttribute('aria-sort')).toBe('descending');
    expect(await visibleIds(page)).toEqual(['MS04-013', 'MS03-046', 'MS03-039', 'MS03-026']);
    await context.close();
  });

  it('filters without scripts through static facet pages and product pages', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(site.at('en/bulletins/'));
    expect(await page.locator('form[data-filter-form]').isVisible()).toBe(false);
    await page.locator('nav.facets').getByRole('link', { name: '2004 (1)' }).click();
    await page.waitForURL(site.at('en/bulletins/year/2004/'));
    expect(await visibleIds(page)).toEqual(['MS04-013']);
    // Long product lists sit in a collapsed <details>; opening it needs no script either.
    await page.locator('nav.facets summary').click();
    await page.locator('nav.facets').getByRole('link', { name: /^Windows XP \(2\)$/ }).click();
    await page.waitForURL(site.at('en/products/windows-xp/'));
    const ids = await page.locator('section[aria-labelledby="affected-by"] tbody tr td:first-child').allInnerTexts();
    expect(ids).toEqual(['MS03-039', 'MS03-026']);
    // Outlook Express 6, installed on Windows XP, has its bulletin in a table of its own.
    expect(await page.locator('section[aria-labelledby="components-on"] tbody tr td:first-child').allInnerTexts()).toEqual(['MS04-013']);
    await page.locator('nav.facets').getByRole('link', { name: 'Critical (4)' }).click();
    await page.waitForURL(site.at('en/bulletins/severity/critical/'));
    expect(await visibleIds(page)).toHaveLength(4);
    await context.close();
  });
});

describe('language chooser and resolvers', () => {
  for (const [locale, expected] of [
    ['ja-JP', 'ja'],
    ['en-GB', 'en'],
    ['fr-FR', 'en'],
  ] as const) {
    it(`sends a ${locale} browser from / to /${expected}/`, async () => {
      const context = await browser.newContext({ locale });
      const { page, problems } = await openPage(context);
      await page.goto(site.url);
      await page.waitForURL(site.at(`${expected}/`));
      expect(problems).toEqual([]);
      await context.close();
    });
  }

  it('offers both languages as plain links on / when scripts are off', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(site.url);
    expect(await page.getByRole('link', { name: '日本語' }).getAttribute('href')).toBe('/ja/');
    expect(await page.getByRole('link', { name: 'English' }).getAttribute('href')).toBe('/en/');
    await context.close();
  });

  it('resolves /{lang}/kb/{number}/ and /{lang}/cve/{id}/ to the bulletin without scripts', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(site.at('ja/kb/829436/'));
    await page.waitForURL(site.at('ja/bulletins/ms03-046/'));
    await page.goto(site.at('en/cve/CVE-2003-0714/'));
    await page.waitForURL(site.at('en/bulletins/ms03-046/'));
    await context.close();
  });

  it('answers an unknown address with the bilingual 404 page', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const response = await page.goto(site.at('ja/bulletins/ms99-999/'));
    expect(response?.status()).toBe(404);
    const text = await page.locator('main').innerText();
    expect(text).toContain('ページが見つかりません');
    expect(text).toContain('Page not found');
    await context.close();
  });
});

describe('accessibility', () => {
  const pages = [
    ...LANGS.flatMap((lang) => [
      `${lang}/`,
      `${lang}/bulletins/`,
      `${lang}/bulletins/ms03-046/`,
      `${lang}/bulletins/ms04-013/`,
      `${lang}/bulletins/year/2003/`,
      `${lang}/products/`,
      `${lang}/products/exchange-server-5-5/`,
      // A system's page: its own bulletins and those for components installed on it.
      `${lang}/products/windows-xp/`,
      `${lang}/files/`,
      `${lang}/search/?q=exsmtp`,
    ]),
    'missing-page/',
  ];

  it('has no axe-core violations on any page type, in both languages and both colour schemes', async () => {
    // axe is injected as a script; the page's own CSP would rightly refuse it.
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    const violations: string[] = [];
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const p of pages) {
        await page.goto(site.at(p));
        // The search page renders its results after fetching the index; the others are static.
        if (p.includes('search/')) await page.waitForLoadState('networkidle');
        await page.addScriptTag({ path: AXE });
        const result = await page.evaluate(async () => {
          const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe;
          return axe.run(document, { resultTypes: ['violations'] });
        });
        for (const v of result.violations) violations.push(`${scheme} ${p}: ${v.id} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      }
    }
    expect(violations).toEqual([]);
    await context.close();
  });

  it('lets a keyboard user skip to the content first', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(site.at('en/bulletins/ms03-046/'));
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('skip-link');
    expect(await page.locator('.skip-link').isVisible()).toBe(true);
    await page.keyboard.press('Enter');
    expect(new URL(page.url()).hash).toBe('#main');
    await context.close();
  });
});

describe('strict CSP in the browser', () => {
  it('loads every page type under the production headers without a violation or script error', async () => {
    const context = await browser.newContext();
    const { page, problems } = await openPage(context);
    for (const p of ['', 'ja/', 'en/bulletins/', 'ja/bulletins/ms03-046/', 'en/products/', 'ja/files/', 'en/search/?q=MS03-046', 'nowhere/']) {
      await page.goto(site.at(p));
      await page.waitForLoadState('networkidle');
    }
    expect(problems).toEqual([]);
    const headers = (await page.goto(site.at('en/')))!.headers();
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    await context.close();
  });
});

describe('fallback pages', () => {
  let fixture: string;
  let fixtureSite: StaticServer;

  /**
   * Content with two extra bulletins made from MS03-046 at test time: one with only
   * Japanese text, one with only English text.
   */
  function makeFixture(root: string): string {
    const content = path.join(root, 'content');
    cpSync(path.join(ROOT, 'content'), content, { recursive: true });
    for (const [id, keep] of [
      ['FIXTURE-JAONLY', 'ja'],
      ['FIXTURE-ENONLY', 'en'],
    ] as const) {
      const dir = path.join(content, 'bulletins', id.toLowerCase());
      mkdirSync(dir);
      const source = path.join(ROOT, 'content', 'bulletins', 'ms03-046');
      writeFileSync(path.join(dir, 'bulletin.yaml'), readFileSync(path.join(source, 'bulletin.yaml'), 'utf8').replace(/^id: MS03-046$/m, `id: ${id}`));
      writeFileSync(path.join(dir, `${keep}.md`), readFileSync(path.join(source, `${keep}.md`), 'utf8').replace(/^id: MS03-046$/m, `id: ${id}`).replace(/^translated_from: \w+\n/m, ''));
    }
    return content;
  }

  beforeAll(async () => {
    fixture = tempBuildDir('site-fallback');
    buildSite({ contentDir: makeFixture(fixture), outDir: path.join(fixture, 'dist') });
    fixtureSite = await serve(path.join(fixture, 'dist'), { headers: true });
  });
  afterAll(async () => {
    await fixtureSite?.close();
    rmSync(fixture, { recursive: true, force: true });
  });

  for (const [id, pageLang, textLang] of [
    ['fixture-jaonly', 'en', 'ja'],
    ['fixture-enonly', 'ja', 'en'],
  ] as const) {
    it(`shows the ${textLang} text on /${pageLang}/ with a notice, lang attributes and no search indexing`, async () => {
      const context = await browser.newContext();
      const { page, problems } = await openPage(context);
      await page.goto(fixtureSite.at(`${pageLang}/bulletins/${id}/`));
      expect(await page.getAttribute('html', 'lang')).toBe(pageLang);
      const notice = page.locator('.fallback-notice');
      expect(await notice.isVisible()).toBe(true);
      expect(await notice.innerText()).toContain(t(pageLang, 'fallback.title'));
      expect(await notice.innerText()).toContain(t(pageLang, 'fallback.body', { language: languageNameIn(textLang, pageLang) }));
      // The fallback text is marked with its own language; the chrome stays in the page language.
      expect(await page.locator('h1 [lang]').getAttribute('lang')).toBe(textLang);
      expect(await page.locator('#summary .prose').getAttribute('lang')).toBe(textLang);
      expect(await page.locator('.action-banner__action').getAttribute('lang')).toBe(textLang);
      expect(await page.locator('#downloads-title').innerText()).toBe(t(pageLang, 'bulletin.downloads'));
      // Kept out of this language's search index; canonical and hreflang point at the real text.
      expect(await page.locator('article.bulletin').getAttribute('data-pagefind-ignore')).toBe('all');
      expect(await page.locator('[data-pagefind-body]').count()).toBe(0);
      expect(await page.locator('link[rel="canonical"]').getAttribute('href')).toBe(`https://bulletins.example.org/${textLang}/bulletins/${id}/`);
      expect(await page.locator('link[rel="alternate"][hreflang]').evaluateAll((ls) => ls.map((l) => l.getAttribute('hreflang')))).toEqual([textLang, 'x-default']);
      await page.screenshot({ path: path.join(ARTIFACTS, `site-fallback-${pageLang}-${id}.png`) });
      // The page in its own language is a normal, indexed page without a notice.
      await page.goto(fixtureSite.at(`${textLang}/bulletins/${id}/`));
      expect(await page.locator('.fallback-notice').count()).toBe(0);
      expect(await page.locator('article.bulletin[data-pagefind-body]').count()).toBe(1);
      expect(problems).toEqual([]);
      await context.close();
    });
  }

  it('marks fallback titles in lists with their language', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(fixtureSite.at('en/bulletins/'));
    expect(await page.locator('tr[data-id="FIXTURE-JAONLY"] td[lang]').getAttribute('lang')).toBe('ja');
    expect(await page.locator('tr[data-id="MS03-046"] td[lang]').count()).toBe(0);
    await context.close();
  });
});
