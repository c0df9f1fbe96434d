/**
 * The built site as files: languages and alternates on every page, the strict-CSP rules
 * (no inline script or style anywhere), the security headers, every internal link and
 * anchor, the same under a base path, and the bulletin page's weight budget.
 */
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CSP_HEADER, CSP_META } from '../src/lib/security-headers.ts';
import { buildSite, tempBuildDir } from './helpers/build-site.ts';
import { checkLinks, parseTags } from './helpers/link-check.ts';
import { parseHeadersFile } from './helpers/serve.ts';

const siteDir = inject('siteDir');
const SITE_URL = 'https://bulletins.example.org';

function htmlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...htmlFiles(full));
    else if (entry.name.endsWith('.html')) out.push(full);
  }
  return out.sort();
}

const rel = (file: string, root = siteDir) => path.relative(root, file).split(path.sep).join('/');
const read = (relative: string) => readFileSync(path.join(siteDir, relative), 'utf8');

describe('languages', () => {
  it('sets <html lang> to the language of the URL on every /ja/ and /en/ page', () => {
    const pages = htmlFiles(siteDir).map((f) => rel(f)).filter((p) => /^(ja|en)\//.test(p));
    expect(pages.length).toBeGreaterThan(20);
    for (const page of pages) {
      const lang = /<html[^>]*\slang="([^"]+)"/.exec(read(page))?.[1];
      expect(lang, page).toBe(page.slice(0, 2));
    }
  });

  it('links each bulletin page to both language versions and an x-default', () => {
    for (const lang of ['ja', 'en']) {
      const alternates = parseTags(read(`${lang}/bulletins/ms03-046/index.html`))
        .filter((t) => t.name === 'link' && t.attrs.get('rel') === 'alternate' && t.attrs.has('hreflang'))
        .map((t) => [t.attrs.get('hreflang'), t.attrs.get('href')]);
      expect(alternates).toEqual([
        ['ja', `${SITE_URL}/ja/bulletins/ms03-046/`],
        ['en', `${SITE_URL}/en/bulletins/ms03-046/`],
        ['x-default', `${SITE_URL}/ja/bulletins/ms03-046/`],
      ]);
    }
  });

  it('lets feed readers discover the feeds of the page language from any page', () => {
    for (const lang of ['ja', 'en']) {
      const feeds = parseTags(read(`${lang}/bulletins/ms03-046/index.html`))
        .filter((t) => t.name === 'link' && t.attrs.get('rel') === 'alternate' && !t.attrs.has('hreflang'))
        .map((t) => [t.attrs.get('type'), t.attrs.get('href')]);
      expect(feeds).toEqual([
        ['application/rss+xml', `${SITE_URL}/${lang}/rss.xml`],
        ['application/atom+xml', `${SITE_URL}/${lang}/atom.xml`],
        ['application/feed+json', `${SITE_URL}/${lang}/feed.json`],
      ]);
    }
  });

  it('serves one bilingual 404 page whose links work from any depth', () => {
    const html = read('404.html');
    expect(html).toContain('ページが見つかりません');
    expect(html).toContain('Page not found');
    for (const tag of parseTags(html)) {
      const href = tag.attrs.get('href') ?? tag.attrs.get('src') ?? tag.attrs.get('action');
      if (href && !href.startsWith('#') && !/^https?:/.test(href)) expect(href.startsWith('/'), href).toBe(true);
    }
  });
});

describe('products index', () => {
  it('counts the bulletins affecting each product, and for a product only stated not affected, the statements', () => {
    const en = read('en/products/index.html');
    expect(en).toMatch(/>Exchange Server 5\.5<\/a> <small>\(1 bulletin\)<\/small>/);
    expect(en).toMatch(/>Outlook Express 6<\/a> <small>\(1 bulletin\)<\/small>/);
    // MS03-046 says Exchange Server 2003 is not affected; no bulletin affects it.
    expect(en).toMatch(/>Exchange Server 2003<\/a> <small>\(not affected, says 1 bulletin\)<\/small>/);
    expect(read('ja/products/index.html')).toMatch(/>Exchange Server 2003<\/a> <small>\(影響を受けないと明記したセキュリティ情報 1 件\)<\/small>/);
  });
});

describe('product pages', () => {
  it('list on a system\'s page the bulletins for components installed on it, linked to the component', () => {
    const en = read('en/products/windows-xp/index.html');
    const section = /<h2 id="components-on">Bulletins affecting components installed on Windows XP<\/h2>.*?<\/section>/s.exec(en)?.[0];
    expect(section).toBeDefined();
    expect(section).toContain('<caption>1 bulletin</caption>');
    expect(section).toContain('<a href="/en/bulletins/ms04-013/">MS04-013</a>');
    expect(section).toContain('<a href="/en/products/outlook-express-6/">Outlook Express 6</a> (Windows XP)');
    expect(read('ja/products/windows-xp/index.html')).toContain('<h2 id="components-on">Windows XP にインストールされたコンポーネントに影響するセキュリティ情報</h2>');
    // A product with no components on it has no such section.
    expect(read('en/products/exchange-server-5-5/index.html')).not.toContain('id="components-on"');
  });
});

describe('strict content security policy', () => {
  it('has no inline script, inline style, style attribute or event handler on any page', () => {
    const problems: string[] = [];
    for (const file of htmlFiles(siteDir)) {
      const html = readFileSync(file, 'utf8');
      for (const { name, attrs } of parseTags(html)) {
        if (name === 'script' && !attrs.has('src')) problems.push(`${rel(file)}: inline <script>`);
        if (name === 'style') problems.push(`${rel(file)}: <style> element`);
        if (attrs.has('style')) problems.push(`${rel(file)}: style attribute on <${name}>`);
        for (const attr of attrs.keys()) if (/^on[a-z]+$/.test(attr)) problems.push(`${rel(file)}: ${attr} on <${name}>`);
        const url = (name === 'script' && attrs.get('src')) || (name === 'link' && attrs.get('rel') === 'stylesheet' && attrs.get('href'));
        if (url && /^(https?:)?\/\//.test(url)) problems.push(`${rel(file)}: external resource ${url}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('ships the same policy in every page meta tag and in _headers (plus frame-ancestors there)', () => {
    const headers = parseHeadersFile(read('_headers'));
    expect(headers['Content-Security-Policy']).toBe(CSP_HEADER);
    expect(CSP_HEADER).toContain("frame-ancestors 'none'");
    expect(CSP_META).not.toContain('frame-ancestors');
    expect(headers['X-Content-Type-Options']).toBe('nosniff');
    for (const page of ['index.html', '404.html', 'ja/index.html', 'en/bulletins/ms03-046/index.html']) {
      const meta = parseTags(read(page)).find((t) => t.name === 'meta' && t.attrs.get('http-equiv') === 'Content-Security-Policy');
      expect(meta?.attrs.get('content'), page).toBe(CSP_META);
    }
  });
});

describe('links', () => {
  it('resolves every internal link and anchor in the built site', async () => {
    const result = await checkLinks(siteDir, { siteUrl: SITE_URL });
    expect(result.pages).toBeGreaterThan(40);
    expect(result.links).toBeGreaterThan(1000);
    expect(result.broken).toEqual([]);
  });
});

describe('base path', () => {
  let out: string;
  beforeAll(() => {
    out = path.join(tempBuildDir('site-base'), 'dist');
    buildSite({ contentDir: 'content', outDir: out, env: { KB_BASE_PATH: '/kb/' } });
  });
  afterAll(() => rmSync(path.dirname(out), { recursive: true, force: true }));

  it('keeps every link inside /kb/ when built with KB_BASE_PATH=/kb/', async () => {
    const outside: string[] = [];
    for (const file of htmlFiles(out)) {
      for (const { attrs } of parseTags(readFileSync(file, 'utf8'))) {
        for (const key of ['href', 'src', 'action']) {
          const value = attrs.get(key);
          if (value?.startsWith('/') && !value.startsWith('/kb/')) outside.push(`${rel(file, out)}: ${value}`);
        }
      }
    }
    expect(outside).toEqual([]);
    const result = await checkLinks(out, { base: '/kb/', siteUrl: SITE_URL });
    expect(result.broken).toEqual([]);
  });
});

describe('page weight', () => {
  it('keeps the MS03-046 page within 20 KB of gzipped HTML + CSS and needs no script to read', () => {
    const report: Record<string, number> = {};
    for (const lang of ['ja', 'en']) {
      const html = read(`${lang}/bulletins/ms03-046/index.html`);
      const tags = parseTags(html);
      const css = tags
        .filter((t) => t.name === 'link' && t.attrs.get('rel') === 'stylesheet')
        .map((t) => readFileSync(path.join(siteDir, t.attrs.get('href')!.replace(/^\//, '')), 'utf8'))
        .join('\n');
      const scripts = tags.filter((t) => t.name === 'script');
      // Every script is an external module (deferred): the page renders fully before it runs.
      for (const s of scripts) expect(s.attrs.get('type')).toBe('module');
      const scriptBytes = scripts.reduce((sum, s) => sum + statSync(path.join(siteDir, s.attrs.get('src')!.replace(/^\//, ''))).size, 0);
      const htmlGz = gzipSync(html, { level: 9 }).length;
      const cssGz = gzipSync(css, { level: 9 }).length;
      report[`${lang}.html.raw`] = Buffer.byteLength(html);
      report[`${lang}.html.gzip`] = htmlGz;
      report[`${lang}.css.raw`] = Buffer.byteLength(css);
      report[`${lang}.css.gzip`] = cssGz;
      report[`${lang}.total.gzip`] = htmlGz + cssGz;
      report[`${lang}.script.optional.raw`] = scriptBytes;
      expect(htmlGz + cssGz, `${lang} HTML+CSS gzip`).toBeLessThanOrEqual(20 * 1024);
    }
    console.log(`bulletin page weight (bytes): ${JSON.stringify(report)}`);
  });
});
