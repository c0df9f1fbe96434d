/**
 * Link checker for a built site: every internal `href`/`src` (links, stylesheets, scripts,
 * images, form actions, meta refresh targets, hreflang/canonical URLs on our own origin)
 * must resolve to a file in the site folder, and every `#fragment` to an `id` (or `name`)
 * on the target page. External links are only listed, never fetched (tests run offline).
 *
 * Resolution follows a static host: `dir/` → `dir/index.html`; the base path
 * (`KB_BASE_PATH`) is stripped before looking up files.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

export interface BrokenLink {
  /** Page the link is on, relative to the site folder. */
  page: string;
  /** The link as written. */
  href: string;
  /** What is wrong. */
  reason: string;
}

export interface LinkCheckOptions {
  /** Base path the site is built for, e.g. `/kb/`. Default `/`. */
  base?: string;
  /** The site's absolute URL (`KB_SITE_URL`); absolute links to it are checked as internal. */
  siteUrl?: string;
}

export interface LinkCheckResult {
  /** HTML pages checked. */
  pages: number;
  /** Internal links checked. */
  links: number;
  /** External (other origin) links seen, not fetched. */
  external: number;
  broken: BrokenLink[];
}

const TAG = /<([a-zA-Z][\w:-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/g;
const ATTR = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
const LINK_ATTRS: Record<string, string[]> = {
  a: ['href'],
  area: ['href'],
  link: ['href'],
  script: ['src'],
  img: ['src'],
  source: ['src'],
  iframe: ['src'],
  form: ['action'],
  use: ['href', 'xlink:href'],
};

/** Decodes the HTML entities Astro writes into attribute values. */
function decodeEntities(value: string): string {
  return value
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Every tag of an HTML document with its attributes (values decoded). */
export function parseTags(html: string): { name: string; attrs: Map<string, string> }[] {
  const tags: { name: string; attrs: Map<string, string> }[] = [];
  for (const match of html.matchAll(TAG)) {
    const attrs = new Map<string, string>();
    for (const a of (match[2] ?? '').matchAll(ATTR)) {
      attrs.set(a[1]!.toLowerCase(), decodeEntities(a[2] ?? a[3] ?? a[4] ?? ''));
    }
    tags.push({ name: match[1]!.toLowerCase(), attrs });
  }
  return tags;
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(full)));
    else out.push(full);
  }
  return out;
}

/** Links on one page: the URL strings a browser would follow or load. */
function linksOf(tags: ReturnType<typeof parseTags>): string[] {
  const links: string[] = [];
  for (const { name, attrs } of tags) {
    for (const attr of LINK_ATTRS[name] ?? []) {
      const value = attrs.get(attr);
      if (value !== undefined) links.push(value);
    }
    if (name === 'img' || name === 'source') {
      for (const candidate of (attrs.get('srcset') ?? '').split(',')) {
        const url = candidate.trim().split(/\s+/)[0];
        if (url) links.push(url);
      }
    }
    if (name === 'meta' && attrs.get('http-equiv')?.toLowerCase() === 'refresh') {
      const url = /url\s*=\s*(.+)$/i.exec(attrs.get('content') ?? '')?.[1];
      if (url) links.push(url.trim().replace(/^['"]|['"]$/g, ''));
    }
  }
  return links;
}

/** Checks every internal link and anchor in the built site at `siteDir`. */
export async function checkLinks(siteDir: string, options: LinkCheckOptions = {}): Promise<LinkCheckResult> {
  const root = path.resolve(siteDir);
  const base = `/${(options.base ?? '/').replace(/^\/+|\/+$/g, '')}/`.replace(/^\/\/$/, '/');
  const origin = 'http://site.invalid';
  const siteOrigin = options.siteUrl ? new URL(options.siteUrl).origin : undefined;
  const files = await walk(root);
  const pages = files.filter((f) => f.endsWith('.html'));
  const idsCache = new Map<string, Set<string>>();
  const tagsCache = new Map<string, ReturnType<typeof parseTags>>();

  const tagsOf = async (file: string) => {
    let tags = tagsCache.get(file);
    if (!tags) {
      tags = parseTags(await readFile(file, 'utf8'));
      tagsCache.set(file, tags);
    }
    return tags;
  };
  const idsOf = async (file: string) => {
    let ids = idsCache.get(file);
    if (!ids) {
      ids = new Set<string>();
      for (const { name, attrs } of await tagsOf(file)) {
        const id = attrs.get('id');
        if (id !== undefined) ids.add(id);
        if (name === 'a' && attrs.has('name')) ids.add(attrs.get('name')!);
      }
      idsCache.set(file, ids);
    }
    return ids;
  };
  const resolveFile = async (pathname: string): Promise<string | undefined> => {
    if (!pathname.startsWith(base)) return undefined;
    const relative = decodeURIComponent(pathname.slice(base.length));
    const candidate = path.resolve(root, relative);
    if (candidate !== root && !candidate.startsWith(root + path.sep)) return undefined;
    try {
      const info = await stat(candidate);
      if (info.isFile()) return candidate;
      // A static host serves dir/index.html only for a URL ending in "/" (else it redirects).
      if (info.isDirectory() && (pathname.endsWith('/') || relative === '')) {
        const index = path.join(candidate, 'index.html');
        if ((await stat(index).catch(() => undefined))?.isFile()) return index;
      }
    } catch {
      return undefined;
    }
    return undefined;
  };

  const broken: BrokenLink[] = [];
  let links = 0;
  let external = 0;
  for (const page of pages) {
    const pageRelative = path.relative(root, page).split(path.sep).join('/');
    // 404.html is served at any depth, so its links must not be relative.
    const pageUrl = new URL(`${base}${pageRelative.replace(/(^|\/)index\.html$/, '$1')}`, origin);
    for (const href of linksOf(await tagsOf(page))) {
      if (/^(mailto|tel|data|javascript):/i.test(href)) {
        if (/^javascript:/i.test(href)) broken.push({ page: pageRelative, href, reason: 'javascript: URL' });
        continue;
      }
      let url: URL;
      try {
        url = new URL(href, pageUrl);
      } catch {
        broken.push({ page: pageRelative, href, reason: 'not a valid URL' });
        continue;
      }
      if (siteOrigin && url.origin === siteOrigin) url = new URL(url.pathname + url.search + url.hash, origin);
      if (url.origin !== origin) {
        external++;
        continue;
      }
      links++;
      if (pageRelative === '404.html' && !href.startsWith('/') && !href.startsWith('#') && !/^[a-z]+:/i.test(href)) {
        broken.push({ page: pageRelative, href, reason: 'relative link on the 404 page breaks when it is served at another depth' });
      }
      const target = await resolveFile(url.pathname);
      if (!target) {
        broken.push({ page: pageRelative, href, reason: `no file for ${url.pathname}` });
        continue;
      }
      const fragment = decodeURIComponent(url.hash.slice(1));
      if (fragment && target.endsWith('.html') && !(await idsOf(target)).has(fragment)) {
        broken.push({ page: pageRelative, href, reason: `no element with id "${fragment}" on ${path.relative(root, target)}` });
      }
    }
  }
  return { pages: pages.length, links, external, broken };
}
