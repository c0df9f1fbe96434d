/**
 * Every internal link in the built site resolves: links and anchors in the HTML pages
 * (through the site's link checker, `helpers/link-check.ts`), and the site's own URLs that
 * the machine-readable outputs hand to other programs: feeds, JSON API, CSV exports, CSAF
 * documents and directory files, PowerShell scripts and the search index. Runs over the
 * build of `content/` made by the global setup.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { checkLinks, parseTags } from './helpers/link-check.ts';
import { filesUnder } from './helpers/site-files.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const SITE_URL = 'https://bulletins.example.org';
const siteDir = inject('siteDir');

/** The built file a static host serves for a site path (`/en/` → `en/index.html`), if any. */
function fileFor(pathname: string): string | undefined {
  const relative = decodeURIComponent(pathname).replace(/^\/+/, '');
  const candidate = path.join(siteDir, relative);
  if (!candidate.startsWith(siteDir)) return undefined;
  try {
    const info = statSync(candidate);
    if (info.isFile()) return candidate;
    if (info.isDirectory() && (pathname.endsWith('/') || relative === '')) {
      const index = path.join(candidate, 'index.html');
      return statSync(index).isFile() ? index : undefined;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

const idsCache = new Map<string, Set<string>>();
function idsOf(file: string): Set<string> {
  let ids = idsCache.get(file);
  if (!ids) {
    ids = new Set(parseTags(readFileSync(file, 'utf8')).flatMap((t) => [t.attrs.get('id'), t.name === 'a' ? t.attrs.get('name') : undefined].filter((v): v is string => v !== undefined)));
    idsCache.set(file, ids);
  }
  return ids;
}

let scratch: string | undefined;
afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('link checker used by these tests', () => {
  it('reports a missing page, a missing anchor and a javascript: link, and passes good ones', async () => {
    mkdirSync(path.join(ROOT, '.kb-test'), { recursive: true });
    scratch = mkdtempSync(path.join(ROOT, '.kb-test', 'links-'));
    mkdirSync(path.join(scratch, 'en', 'a'), { recursive: true });
    writeFileSync(
      path.join(scratch, 'en', 'index.html'),
      '<a href="/en/a/#here">ok</a><a href="a/">ok</a><a href="https://elsewhere.example/">out</a>' +
        '<a href="/en/missing/">1</a><a href="/en/a/#nowhere">2</a><a href="javascript:alert(1)">3</a>',
    );
    writeFileSync(path.join(scratch, 'en', 'a', 'index.html'), '<h2 id="here">here</h2>');
    const result = await checkLinks(scratch);
    expect(result.broken.map((b) => b.href).sort()).toEqual(['/en/a/#nowhere', '/en/missing/', 'javascript:alert(1)']);
    expect(result.external).toBe(1);
  });
});

describe('links in the built site', () => {
  it('resolves every internal link and anchor of every html page', async () => {
    const result = await checkLinks(siteDir, { siteUrl: SITE_URL });
    expect(result.pages).toBeGreaterThan(20);
    expect(result.links).toBeGreaterThan(500);
    expect(result.broken).toEqual([]);
  });

  it('resolves every site url in feeds, the json api, csv exports, csaf and scripts', () => {
    const textFiles = filesUnder(siteDir).filter((f) => /\.(xml|json|csv|txt|ps1)$/.test(f) && !f.startsWith('pagefind/'));
    expect(textFiles).toEqual(expect.arrayContaining(['en/rss.xml', 'ja/atom.xml', 'en/feed.json', 'api/v1/bulletins.json', 'exports/bulletins.csv']));
    const url = new RegExp(`${SITE_URL.replace(/[.]/g, '\\.')}(/[^\\s"'<>,)\\\\]*)?`, 'g');
    const broken: string[] = [];
    let checked = 0;
    for (const file of textFiles) {
      const text = readFileSync(path.join(siteDir, file), 'utf8');
      for (const match of text.matchAll(url)) {
        checked++;
        const parsed = new URL(match[0]);
        const target = fileFor(parsed.pathname);
        if (!target) {
          broken.push(`${file}: ${match[0]} (no file)`);
          continue;
        }
        // Entry ids (Atom <id>, RSS guid isPermaLink="false", JSON Feed "id") name an entry
        // and are never followed; every other fragment must be an anchor on the page.
        const before = text.slice(Math.max(0, match.index! - 30), match.index);
        const isIdentifier = /(<id>|isPermaLink="false">|"id":\s*")$/.test(before);
        const fragment = decodeURIComponent(parsed.hash.slice(1));
        if (fragment && !isIdentifier && target.endsWith('.html') && !idsOf(target).has(fragment)) {
          broken.push(`${file}: ${match[0]} (no element with id "${fragment}")`);
        }
      }
    }
    expect(checked).toBeGreaterThan(50);
    expect(broken).toEqual([]);
  });

  it('lists only csaf documents that exist in the csaf index and changes files', () => {
    const white = '.well-known/csaf/white';
    const index = readFileSync(path.join(siteDir, white, 'index.txt'), 'utf8').split(/\r?\n/).filter(Boolean);
    const changes = readFileSync(path.join(siteDir, white, 'changes.csv'), 'utf8')
      .split(/\r?\n/)
      .filter(Boolean)
      .map((line) => line.split(',')[0]!.replace(/^"|"$/g, ''));
    expect(index.length).toBeGreaterThan(0);
    const missing = [...index, ...changes].filter((name) => !fileFor(`/${white}/${name}`));
    expect(missing).toEqual([]);
    for (const name of index) expect(fileFor(`/${white}/${name}.sha512`), `${name}.sha512`).toBeDefined();
  });

  it('points every search index entry at a built page', () => {
    const fragments = filesUnder(siteDir).filter((f) => f.startsWith('pagefind/') && f.endsWith('.pf_fragment'));
    expect(fragments.length).toBeGreaterThan(0);
    const broken: string[] = [];
    for (const file of fragments) {
      // Pagefind fragments: gzip of a "pagefind_dcd" signature followed by the JSON record.
      const raw = gunzipSync(readFileSync(path.join(siteDir, file))).toString('utf8');
      const record = JSON.parse(raw.slice(raw.indexOf('{'))) as { url: string };
      // Record URLs are relative to the site's base path; the search page prefixes it.
      if (!fileFor(`/${record.url.replace(/^\/+/, '')}`.replace(/#.*$/, ''))) broken.push(`${file}: ${record.url}`);
    }
    expect(broken).toEqual([]);
  });
});
