/**
 * Every URL the site links to, in one place, so pages, feeds, CSAF and the JSON API agree.
 * Paths include the base path (`KB_BASE_PATH`) and end with a slash where they are pages;
 * ids are lower-case in paths.
 */
import type { Lang } from '../../schemas/index.ts';
import { memoize } from './memo.ts';
import { basePath, siteUrl } from './site-config.ts';

/** Lower-case URL segment of a bulletin id: MS03-046 → ms03-046. */
export function bulletinSlug(id: string): string {
  return id.toLowerCase();
}

/** Longest product slug: file systems refuse names over 255 bytes, and URLs stay readable. */
const MAX_SLUG = 80;

/** FNV-1a, 32 bits, as 8 hex digits: a short, stable tag that keeps cut slugs apart. */
function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0');
}

/**
 * URL segment for a product name: "Exchange Server 5.5" → "exchange-server-5-5".
 * ASCII letters and digits only, so the slug is the same on every file system; a very long
 * name is cut and tagged with a hash of the whole name, so two long names never collide.
 */
export const productSlug: (name: string) => string = memoize((name: string): string => {
  const slug =
    name
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'product';
  if (slug.length <= MAX_SLUG) return slug;
  return `${slug.slice(0, MAX_SLUG - 9).replace(/-+$/, '')}-${shortHash(name)}`;
});

/** Joins a site-relative path (no leading slash) onto the base path. */
export function withBase(relative: string): string {
  return `${basePath()}${relative.charCodeAt(0) === 0x2f ? relative.replace(/^\/+/, '') : relative}`;
}

/** Absolute URL for a site-relative path, for feeds, sitemaps and CSAF. */
export function absoluteUrl(relative: string): string {
  return `${siteUrl()}${withBase(relative)}`;
}

export const paths = {
  home: (lang: Lang) => `${lang}/`,
  bulletins: (lang: Lang) => `${lang}/bulletins/`,
  bulletin: (lang: Lang, id: string) => `${lang}/bulletins/${bulletinSlug(id)}/`,
  products: (lang: Lang) => `${lang}/products/`,
  product: (lang: Lang, name: string) => `${lang}/products/${productSlug(name)}/`,
  files: (lang: Lang) => `${lang}/files/`,
  kb: (lang: Lang, kb: number) => `${lang}/kb/${kb}/`,
  cve: (lang: Lang, cve: string) => `${lang}/cve/${cve}/`,
  search: (lang: Lang) => `${lang}/search/`,
  /** The product boxes' lists (`ProductBox.astro`): the bulletin list's, the search page's. */
  listProducts: (lang: Lang) => `${lang}/bulletins/products.json`,
  searchProducts: (lang: Lang) => `${lang}/search/products.json`,
  apiBulletin: (id: string) => `api/v1/bulletins/${bulletinSlug(id)}.json`,
  csaf: (published: string, id: string) => `.well-known/csaf/white/${published.slice(0, 4)}/${bulletinSlug(id)}.json`,
  verifyScript: (id: string) => `downloads/verify/${bulletinSlug(id)}.ps1`,
} as const;
