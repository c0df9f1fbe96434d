/**
 * The KB/CVE forwarding pages `npm run build` writes without Astro (src/lib/resolver-page.ts):
 * which pages exist, what they say, where they forward, and that hostile text stays text.
 * Markup is checked by Chromium's parser and axe-core, as a browser would read it.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { launchBrowser } from './helpers/browser.ts';
import { parseTags } from './helpers/link-check.ts';
import { loadContent } from '../src/lib/load-content.ts';
import { escapeHtml } from '../src/lib/escape-html.ts';
import * as resolverModule from '../src/lib/resolver-page.ts';
import { isDirectResolver, resolverPageHtml, resolverPages, type ResolverPage } from '../src/lib/resolver-page.ts';
import type { Bulletin } from '../schemas/index.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const AXE = path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');
const HOSTILE = `"><script>alert(1)</script><img src=x onerror="alert(2)"> & 'x' </title></span>`;

let content: Bulletin[];
beforeAll(async () => {
  const { bulletins, diagnostics } = await loadContent('content', { cwd: ROOT });
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  content = bulletins;
});
afterEach(() => vi.unstubAllEnvs());

const byPath = (pages: Iterable<ResolverPage>) => new Map([...pages].map((p) => [p.path, p.content]));
const ms03046 = () => content.find((b) => b.id === 'MS03-046')!;

/** A copy of `bulletin` under another id, with only the given KB numbers and CVEs. */
function variant(bulletin: Bulletin, id: string, ids: { kb?: number[]; cves?: string[] } = {}): Bulletin {
  return { ...bulletin, id, kb: ids.kb ?? [], cves: ids.cves ?? [] };
}

/** What is wrong with the nesting of the tags in `html`: a non-void element left open or closed out of order. */
function tagBalance(html: string): string[] {
  const voids = new Set(['meta', 'link']);
  const open: string[] = [];
  const problems: string[] = [];
  for (const match of html.matchAll(/<(\/?)([a-z]+)[^>]*>/g)) {
    const [, closing, name] = match;
    if (voids.has(name!)) continue;
    if (!closing) open.push(name!);
    else if (open.pop() !== name) problems.push(`</${name}> closes the wrong element`);
  }
  return [...problems, ...open.map((name) => `<${name}> is never closed`)];
}

describe('resolver-page exports', () => {
  it('exports the page generator, the html of one page and the helpers the astro routes share', () => {
    expect(Object.keys(resolverModule).sort()).toEqual(['isDirectResolver', 'resolverPageHtml', 'resolverPages', 'resolverRoute', 'resolverTitle']);
  });
});

describe('resolverPages', () => {
  it('writes one page per language for every kb number and cve that one bulletin lists', () => {
    const pages = [...resolverPages(content)];
    const expected = ['ja', 'en'].flatMap((lang) => content.flatMap((b) => [...b.kb.map((n) => `${lang}/kb/${n}/index.html`), ...b.cves.map((c) => `${lang}/cve/${c}/index.html`)]));
    expect(expected.length).toBeGreaterThan(10);
    expect(pages.map((p) => p.path).sort()).toEqual([...new Set(expected)].sort());
  });

  it('leaves numbers and cves shared by several bulletins to the astro routes', () => {
    const original = ms03046();
    const twin = variant(original, 'MS03-099', { kb: [829436, 900001], cves: ['CVE-2003-0714'] });
    const pages = byPath(resolverPages([original, twin]));
    for (const lang of ['ja', 'en']) {
      expect(pages.has(`${lang}/kb/829436/index.html`)).toBe(false);
      expect(pages.has(`${lang}/cve/CVE-2003-0714/index.html`)).toBe(false);
      expect(pages.get(`${lang}/kb/900001/index.html`)).toContain(`url=/${lang}/bulletins/ms03-099/`);
    }
    expect(isDirectResolver([original, twin])).toBe(false);
    expect(isDirectResolver([original])).toBe(true);
  });

  it('forwards each page to the bulletin in the page language', () => {
    const pages = byPath(resolverPages(content));
    const ja = parseTags(pages.get('ja/kb/829436/index.html')!);
    expect(ja.find((t) => t.name === 'meta' && t.attrs.get('http-equiv') === 'refresh')?.attrs.get('content')).toBe('0; url=/ja/bulletins/ms03-046/');
    expect(ja.find((t) => t.name === 'link' && t.attrs.get('rel') === 'canonical')?.attrs.get('href')).toBe('https://bulletins.example.org/ja/bulletins/ms03-046/');
    const en = parseTags(pages.get('en/cve/CVE-2003-0714/index.html')!);
    expect(en.find((t) => t.name === 'a')?.attrs.get('href')).toBe('/en/bulletins/ms03-046/');
    expect(en.find((t) => t.name === 'meta' && t.attrs.get('name') === 'robots')?.attrs.get('content')).toBe('noindex');
  });

  it('puts the base path and site url into every link but not into the output path', () => {
    vi.stubEnv('KB_BASE_PATH', '/kb/');
    vi.stubEnv('KB_SITE_URL', 'https://example.com/');
    const pages = byPath(resolverPages(content));
    const html = pages.get('en/kb/829436/index.html')!;
    const tags = parseTags(html);
    expect(tags.find((t) => t.name === 'meta' && t.attrs.get('http-equiv') === 'refresh')?.attrs.get('content')).toBe('0; url=/kb/en/bulletins/ms03-046/');
    expect(tags.find((t) => t.name === 'link' && t.attrs.get('rel') === 'canonical')?.attrs.get('href')).toBe('https://example.com/kb/en/bulletins/ms03-046/');
    expect(tags.find((t) => t.name === 'link' && t.attrs.get('rel') === 'icon')?.attrs.get('href')).toBe('/kb/favicon.svg');
    expect(tags.find((t) => t.name === 'a')?.attrs.get('href')).toBe('/kb/en/bulletins/ms03-046/');
    for (const tag of tags) {
      for (const value of [tag.attrs.get('href'), tag.attrs.get('src')]) if (value?.startsWith('/')) expect(value.startsWith('/kb/'), value).toBe(true);
    }
  });

  it('gives the same bytes for the same bulletins in any order', () => {
    const once = byPath(resolverPages(content));
    const again = byPath(resolverPages([...content].reverse()));
    expect([...again].sort()).toEqual([...once].sort());
  });
});

describe('resolverPageHtml', () => {
  it('carries the csp, charset, viewport and localized title of the site pages', () => {
    const html = resolverPageHtml('ja', { kind: 'kb', number: 829436 }, ms03046());
    expect(html.startsWith('<!doctype html>\n<html lang="ja">\n<head>\n<meta charset="utf-8">\n')).toBe(true);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'">`);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain('<title>サポート技術情報 KB829436 | セキュリティ情報ナレッジベース</title>');
    expect(html).toContain('<h1>サポート技術情報 KB829436</h1>');
    expect(resolverPageHtml('en', { kind: 'cve', cve: 'CVE-2003-0714' }, ms03046())).toContain('<title>CVE-2003-0714 | Security Bulletin Knowledge Base</title>');
    expect(tagBalance(html)).toEqual([]);
  });

  it('marks a title shown in the other language and points the canonical at that language', () => {
    const original = ms03046();
    const jaOnly = { ...original, text: { ja: original.text.ja! } };
    const html = resolverPageHtml('en', { kind: 'kb', number: 829436 }, jaOnly);
    expect(html).toContain(`<span lang="ja">${escapeHtml(original.text.ja!.title)}</span>`);
    expect(html).toContain('<link rel="canonical" href="https://bulletins.example.org/ja/bulletins/ms03-046/">');
    expect(html).toContain('content="0; url=/en/bulletins/ms03-046/"');
    expect(resolverPageHtml('ja', { kind: 'kb', number: 829436 }, jaOnly)).toContain(`<span>${escapeHtml(original.text.ja!.title)}</span>`);
  });
});

describe('resolver pages in a browser', () => {
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    browser = await launchBrowser();
    // axe is injected as a script; the page's own CSP would rightly refuse it.
    page = await (await browser.newContext({ bypassCSP: true })).newPage();
  });
  afterAll(async () => browser?.close());

  const hostile = () => {
    const original = ms03046();
    return { ...original, text: { ...original.text, en: { ...original.text.en!, title: HOSTILE } } };
  };

  it('keeps a hostile bulletin title as text: no element, attribute or script comes out of it', async () => {
    const html = resolverPageHtml('en', { kind: 'cve', cve: 'CVE-2003-0714' }, hostile());
    expect(tagBalance(html)).toEqual([]);
    const parsed = await page.evaluate((source) => {
      const doc = new DOMParser().parseFromString(source, 'text/html');
      return {
        mode: doc.compatMode,
        doctype: doc.doctype?.name,
        lang: doc.documentElement.lang,
        head: [...doc.head.children].map((e) => e.tagName.toLowerCase()),
        body: [...doc.body.querySelectorAll('*')].map((e) => e.tagName.toLowerCase()),
        title: doc.title,
        h1: doc.querySelector('h1')?.textContent,
        link: doc.querySelector('a')?.textContent,
        spanText: doc.querySelector('li span')?.textContent,
        handlers: [...doc.querySelectorAll('*')].flatMap((e) => [...e.attributes].map((a) => a.name)).filter((n) => n.startsWith('on')),
      };
    }, html);
    expect(parsed).toEqual({
      mode: 'CSS1Compat',
      doctype: 'html',
      lang: 'en',
      head: ['meta', 'meta', 'meta', 'title', 'meta', 'meta', 'link', 'link', 'meta'],
      body: ['main', 'h1', 'p', 'ul', 'li', 'a', 'span', 'span'],
      title: 'CVE-2003-0714 | Security Bulletin Knowledge Base',
      h1: 'CVE-2003-0714',
      link: 'MS03-046',
      spanText: HOSTILE,
      handlers: [],
    });
  });

  it('has no axe-core violations in either language', async () => {
    const violations: string[] = [];
    for (const [lang, bulletin] of [['ja', ms03046()], ['en', hostile()]] as const) {
      // setContent leaves the page at about:blank, where the refresh's site path goes nowhere.
      await page.setContent(resolverPageHtml(lang, { kind: 'kb', number: 829436 }, bulletin));
      await page.addScriptTag({ path: AXE });
      const result = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string }[] }> } }).axe;
        return axe.run(document, { resultTypes: ['violations'] });
      });
      violations.push(...result.violations.map((v) => `${lang}: ${v.id}`));
    }
    expect(violations).toEqual([]);
  });
});
