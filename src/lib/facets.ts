/**
 * Indexes the list pages are built from: facet values (severity, year, product), counts,
 * the product index and the installed-file index. Pure functions over parsed bulletins, in
 * stable orders so the same content always gives the same pages.
 */
import { SEVERITIES, type AffectedProduct, type Bulletin, type InstalledFile, type NotAffectedProduct, type Severity } from '../../schemas/index.ts';
import { cleanProductName, splitServicePack } from './import/classify.ts';
import { memoize } from './memo.ts';
import { productLabel } from './update-units.ts';
import { productSlug } from './urls.ts';

/** Severities from most to least severe: the order lists and charts use. */
export const SEVERITY_ORDER: readonly Severity[] = [...SEVERITIES].reverse();

/** Year a bulletin was published. */
export function bulletinYear(bulletin: Pick<Bulletin, 'published'>): string {
  return bulletin.published.slice(0, 4);
}

/** Distinct product names a bulletin affects, in the bulletin's order. */
export function affectedProductNames(bulletin: Pick<Bulletin, 'affected'>): string[] {
  return [...new Set(bulletin.affected.map((a) => a.product))];
}

/** A bulletin matches a filter when it has every given facet value. */
export interface FacetFilter {
  severity?: Severity;
  year?: string;
  /** Product slug (`productSlug`). */
  product?: string;
}

/** Bulletins matching every given facet, order kept. */
export function filterBulletins<B extends Bulletin>(bulletins: readonly B[], filter: FacetFilter): B[] {
  return bulletins.filter(
    (b) =>
      (filter.severity === undefined || b.severity === filter.severity) &&
      (filter.year === undefined || bulletinYear(b) === filter.year) &&
      (filter.product === undefined || b.affected.some((a) => productSlug(a.product) === filter.product)),
  );
}

/** Bulletin count per severity, most severe first; severities without bulletins are kept (count 0) so charts stay comparable. */
export function countBySeverity(bulletins: readonly Bulletin[]): { severity: Severity; count: number }[] {
  return SEVERITY_ORDER.map((severity) => ({ severity, count: bulletins.filter((b) => b.severity === severity).length }));
}

/** Bulletin count per publication year, newest year first; only years with bulletins. */
export function countByYear(bulletins: readonly Bulletin[]): { year: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const b of bulletins) counts.set(bulletinYear(b), (counts.get(bulletinYear(b)) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => (a < b ? 1 : a > b ? -1 : 0)).map(([year, count]) => ({ year, count }));
}

/** One product across all bulletins. */
export interface ProductEntry<B extends Bulletin = Bulletin> {
  slug: string;
  /** Name as the first bulletin (newest) writes it. */
  name: string;
  family: string | undefined;
  /** Bulletins that affect the product, in the input order, with the entries that name it. */
  affectedBy: { bulletin: B; entries: AffectedProduct[] }[];
  /** Bulletins that state the product is not affected, with the entries that name it. */
  notAffectedBy: { bulletin: B; entries: NotAffectedProduct[] }[];
  /**
   * Bulletins that update a component installed on this product (a system: Internet
   * Explorer 6 on Windows XP), with the entries whose `installed_on` names it
   * (`installedOnSystems`).
   */
  componentUpdates: { bulletin: B; entries: AffectedProduct[] }[];
}

/**
 * The products a free-text `installed_on` names, without their service packs: "Windows XP
 * SP1、Windows 2000 SP4 および Windows ME" → Windows XP, Windows 2000, Windows ME. Lists
 * are cut at 、, および, または and " and " / " or "; a comma is left alone, because vendors
 * write it inside names ("Windows XP 64-Bit Edition, Version 2003"). A part is matched to a
 * product page by its whole name only (`systemPage`), so a system written another way
 * ("Windows 2003") lists nothing rather than something wrong. Footnote marks the vendor
 * puts after a name ("Service Pack 2*", "[1]") are not part of it.
 */
export function installedOnSystems(installedOn: string): string[] {
  const parts = installedOn.split(/\s*(?:、|および|または)\s*|\s+(?:and|or)\s+/u);
  return [...new Set(parts.map((part) => splitServicePack(part.replace(/\s*(?:\*+|\[\d+\])$/u, '')).product).filter((name) => name !== ''))];
}

/**
 * The product page of a system `installedOnSystems` read: the product of that name, or,
 * when no product has it, of the name without the vendor prefix ("Microsoft Windows XP" is
 * Windows XP's page where bulletins name the product "Windows XP").
 */
function systemPage<P>(bySlug: ReadonlyMap<string, P>, system: string): P | undefined {
  return bySlug.get(productSlug(system)) ?? bySlug.get(productSlug(cleanProductName(system)));
}

/** Compares strings by code point: stable everywhere, unlike locale collation. */
function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Every product named by a bulletin (affected or not affected), keyed by URL slug, sorted
 * by family then name. Names that differ only in case or punctuation share one slug and
 * one page.
 */
export function productIndex<B extends Bulletin>(bulletins: readonly B[]): ProductEntry<B>[] {
  const bySlug = new Map<string, ProductEntry<B>>();
  const entry = (name: string, family: string | undefined) => {
    const slug = productSlug(name);
    let found = bySlug.get(slug);
    if (!found) {
      found = { slug, name, family, affectedBy: [], notAffectedBy: [], componentUpdates: [] };
      bySlug.set(slug, found);
    }
    found.family ??= family;
    return found;
  };
  for (const bulletin of bulletins) {
    for (const name of affectedProductNames(bulletin)) {
      const entries = bulletin.affected.filter((a) => a.product === name);
      entry(name, entries[0]?.family).affectedBy.push({ bulletin, entries });
    }
    for (const na of bulletin.not_affected) {
      const e = entry(na.product, na.family);
      const last = e.notAffectedBy.at(-1);
      if (last?.bulletin === bulletin) last.entries.push(na);
      else e.notAffectedBy.push({ bulletin, entries: [na] });
    }
  }
  // Only products that already have a page gain components: a system no bulletin names as
  // a product of its own gets no page from its components.
  for (const bulletin of bulletins) {
    const bySystem = new Map<ProductEntry<B>, AffectedProduct[]>();
    for (const a of bulletin.affected) {
      if (!a.installed_on) continue;
      for (const system of installedOnSystems(a.installed_on)) {
        const found = systemPage(bySlug, system);
        if (!found || found.slug === productSlug(a.product)) continue;
        const entries = bySystem.get(found);
        if (!entries) bySystem.set(found, [a]);
        else if (entries.at(-1) !== a) entries.push(a);
      }
    }
    for (const [system, entries] of bySystem) system.componentUpdates.push({ bulletin, entries });
  }
  return [...bySlug.values()].sort((a, b) => byText(a.family ?? '\uffff', b.family ?? '\uffff') || byText(a.name.toLowerCase(), b.name.toLowerCase()) || byText(a.slug, b.slug));
}

/**
 * Most products the facet navigation lists. A longer product facet (an imported archive
 * names thousands of products) becomes one link to the products index, which lists them
 * all: every product page carries the navigation, so listing every product there would
 * make the site quadratic in the number of products (bench/README.md).
 */
export const FACET_PRODUCT_LINKS_MAX = 100;

/** What the facet links and the home page show, computed from one bulletin list. */
export interface FacetSummary<B extends Bulletin = Bulletin> {
  /** `countBySeverity`: every severity, most severe first, counts of 0 kept. */
  bySeverity: { severity: Severity; count: number }[];
  /** `countByYear`: newest year first. */
  byYear: { year: string; count: number }[];
  /** `productIndex`: every product named, affected or not. */
  products: ProductEntry<B>[];
  /** The products at least one bulletin affects: the values of the product facet. */
  affectedProducts: ProductEntry<B>[];
}

const facetCache = new WeakMap<readonly Bulletin[], FacetSummary>();

/**
 * The facets of a bulletin list, computed once per list. Every list and product page of a
 * build gets the same array from `getBulletins()`, so thousands of pages cost one pass over
 * the bulletins instead of one each. The list must not change after the first call.
 */
export function cachedFacets<B extends Bulletin>(bulletins: readonly B[]): FacetSummary<B> {
  let summary = facetCache.get(bulletins);
  if (!summary) {
    const products = productIndex(bulletins);
    summary = {
      bySeverity: countBySeverity(bulletins),
      byYear: countByYear(bulletins),
      products,
      affectedProducts: products.filter((p) => p.affectedBy.length > 0),
    };
    facetCache.set(bulletins, summary);
  }
  return summary as FacetSummary<B>;
}

/**
 * How the facet navigation offers the product facet: a link per product (collapsed past 12),
 * or, past `FACET_PRODUCT_LINKS_MAX`, one link to the products index, with the number of
 * products that index lists.
 */
export type ProductFacet<B extends Bulletin = Bulletin> =
  | { kind: 'links'; collapsed: boolean; products: ProductEntry<B>[] }
  | { kind: 'index'; count: number };

/** The product facet of the navigation for these facets (`ProductFacet`). */
export function productFacet<B extends Bulletin>(facets: FacetSummary<B>): ProductFacet<B> {
  const products = facets.affectedProducts;
  if (products.length > FACET_PRODUCT_LINKS_MAX) return { kind: 'index', count: facets.products.length };
  return { kind: 'links', collapsed: products.length > 12, products };
}

/** Products grouped by family (family order as in `productIndex`; products without a family last). */
export function groupByFamily<P extends { family: string | undefined }>(products: readonly P[]): { family: string | undefined; products: P[] }[] {
  const groups: { family: string | undefined; products: P[] }[] = [];
  for (const p of products) {
    const last = groups[groups.length - 1];
    if (last && last.family === p.family) last.products.push(p);
    else groups.push({ family: p.family, products: [p] });
  }
  return groups;
}

/** Where a bulletin lists a file: under a package, or directly under an affected product. */
export type FileSource = { kind: 'package'; index: number } | { kind: 'affected'; index: number };

/** Id of the file table for `source` on the bulletin page (`files-1`, `files-product-2`). */
export function fileTableId(source: FileSource): string {
  return source.kind === 'package' ? `files-${source.index + 1}` : `files-product-${source.index + 1}`;
}

/** One installed file as shipped for one platform of one bulletin. */
export interface FileShipment<B extends Bulletin = Bulletin> {
  bulletin: B;
  source: FileSource;
  /** Product and service pack the file is for (`affected[].product` + `service_pack`). */
  platform: string;
  file: InstalledFile;
}

/** Anchor id of a file name on the file index: "exsmtp.dll" → "file-exsmtp.dll". */
export const fileAnchor: (name: string) => string = memoize(
  (name: string) =>
    `file-${name
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')}`,
);

/** Product and service pack of a platform key (`affected[].id`), as shown in tables. */
export function platformLabel(bulletin: Pick<Bulletin, 'affected'>, platform: string): string {
  const product = bulletin.affected.find((a) => a.id === platform);
  return product ? productLabel(product) : platform;
}

/**
 * Every installed file name (case-insensitive, as Windows treats them) with each shipment,
 * newest file date first, then newest bulletin: the first row answers "which bulletin last
 * replaced exsmtp.dll?". Names sorted case-insensitively.
 */
export function fileIndex<B extends Bulletin>(bulletins: readonly B[]): { name: string; anchor: string; shipments: FileShipment<B>[] }[] {
  const byName = new Map<string, { name: string; anchor: string; shipments: FileShipment<B>[] }>();
  const add = (bulletin: B, source: FileSource, platform: string, file: InstalledFile) => {
    const anchor = fileAnchor(file.name);
    let entry = byName.get(anchor);
    if (!entry) {
      entry = { name: file.name, anchor, shipments: [] };
      byName.set(anchor, entry);
    }
    entry.shipments.push({ bulletin, source, platform, file });
  };
  for (const bulletin of bulletins) {
    bulletin.packages.forEach((pkg, index) => {
      for (const file of pkg.files) add(bulletin, { kind: 'package', index }, platformLabel(bulletin, pkg.platform), file);
    });
    bulletin.affected.forEach((product, index) => {
      for (const file of product.files) add(bulletin, { kind: 'affected', index }, platformLabel(bulletin, product.id), file);
    });
  }
  const order = (s: FileSource) => (s.kind === 'package' ? 0 : 1_000_000) + s.index;
  for (const entry of byName.values()) {
    // Stable sort: rows that tie keep their listing order (branch copies stay together).
    entry.shipments.sort(
      (a, b) =>
        byText(b.file.date, a.file.date) ||
        byText(b.bulletin.published, a.bulletin.published) ||
        byText(a.bulletin.id, b.bulletin.id) ||
        order(a.source) - order(b.source),
    );
  }
  return [...byName.values()].sort((a, b) => byText(a.anchor, b.anchor));
}

/** Bulletins by KB article number and by CVE id, for the resolver pages. */
export function identifierIndex<B extends Bulletin>(bulletins: readonly B[]): { kb: Map<number, B[]>; cve: Map<string, B[]> } {
  const kb = new Map<number, B[]>();
  const cve = new Map<string, B[]>();
  for (const b of bulletins) {
    for (const n of new Set(b.kb)) kb.set(n, [...(kb.get(n) ?? []), b]);
    for (const c of new Set(b.cves)) cve.set(c, [...(cve.get(c) ?? []), b]);
  }
  return { kb, cve };
}

/** Most rows on one file-index page; a larger index is split by name prefix. */
export const FILE_INDEX_SINGLE_PAGE_ROWS = 500;

/**
 * Longest name prefix a file-index page is keyed by. Keys are URL segments, so they stay
 * far below file-system name limits; past this length a page may exceed the row limit.
 */
const MAX_PREFIX = 32;

/** Character `i` of a file anchor's name part as used in page keys: a–z, 0–9, or "_" for anything else (or past the end). */
function anchorChar(anchor: string, i: number): string {
  const c = anchor.charAt(5 + i);
  return /[a-z0-9]/.test(c) ? c : '_';
}

/** Initial a file name is filed under when the index is split by one character. */
export function fileInitial(name: string): string {
  return anchorChar(fileAnchor(name), 0);
}

const fileIndexCache = new WeakMap<readonly Bulletin[], ReturnType<typeof fileIndex>>();

/** `fileIndex`, computed once per bulletin list (every bulletin page links into it). */
export function cachedFileIndex<B extends Bulletin>(bulletins: readonly B[]): ReturnType<typeof fileIndex<B>> {
  let index = fileIndexCache.get(bulletins);
  if (!index) {
    index = fileIndex(bulletins);
    fileIndexCache.set(bulletins, index);
  }
  return index as ReturnType<typeof fileIndex<B>>;
}

const rowsOf = (files: readonly { shipments: readonly unknown[] }[]) => files.reduce((sum, f) => sum + f.shipments.length, 0);

/**
 * How the file index is paged. While it has at most `maxRows` rows it is one page (key
 * `""`); otherwise there is a page per initial, and an initial (or longer prefix) still too
 * large is split by one more character: its largest groups get pages of their own until the
 * rest fits on the prefix's page, so a long prefix does not scatter into dozens of tiny
 * pages. A name is never split: its rows, however many, stay on one page (as do names that
 * differ only in punctuation). Every name on a page starts with the page's key; keys in
 * name order.
 */
export function filePages<B extends Bulletin>(
  index: ReturnType<typeof fileIndex<B>>,
  maxRows = FILE_INDEX_SINGLE_PAGE_ROWS,
): { key: string; files: typeof index }[] {
  type Page = { key: string; files: typeof index };
  const split = (key: string, files: typeof index): Page[] => {
    if (rowsOf(files) <= maxRows || files.length === 1 || key.length >= MAX_PREFIX) return [{ key, files }];
    // Every name used up: the next character is "_" for all of them, forever.
    if (files.every((f) => f.anchor.length - 5 <= key.length)) return [{ key, files }];
    const groups = new Map<string, typeof index>();
    for (const file of files) {
      const next = key + anchorChar(file.anchor, key.length);
      const group = groups.get(next);
      if (group) group.push(file);
      else groups.set(next, [file]);
    }
    // Largest groups first get their own pages, until the rest fits on this prefix's page
    // (the index itself, key "", has no such page: every initial gets one).
    const bySize = [...groups].map(([k, group]) => ({ key: k, files: group, rows: rowsOf(group) }));
    bySize.sort((a, b) => b.rows - a.rows || byText(a.key, b.key));
    let rest = key === '' ? 0 : bySize.reduce((sum, g) => sum + g.rows, 0);
    const own: Page[] = [];
    const kept: typeof index = [];
    for (const group of bySize) {
      if (key === '' || rest > maxRows) {
        own.push(...split(group.key, group.files));
        rest -= group.rows;
      } else kept.push(...group.files);
    }
    const pages = kept.length > 0 ? [{ key, files: kept.sort((a, b) => byText(a.anchor, b.anchor)) }, ...own] : own;
    return pages.sort((a, b) => byText(a.key, b.key));
  };
  return split('', index);
}

/**
 * The links of the file-index navigation on page `current` of a split index: every other
 * initial once (to its first page) and each page of the current initial. Each page then
 * carries at most the alphabet plus its own initial's pages, not a link to every one of
 * the index's pages (the index page lists them all).
 */
export function filePageNav(keys: readonly string[], current: string): { key: string; label: string }[] {
  const links: { key: string; label: string }[] = [];
  let last: string | undefined;
  for (const key of keys) {
    const initial = key.charAt(0);
    if (initial === current.charAt(0)) links.push({ key, label: key.toUpperCase() });
    else if (initial !== last) links.push({ key, label: initial.toUpperCase() });
    last = initial;
  }
  return links;
}

const pageCache = new WeakMap<readonly Bulletin[], { maxRows: number; pages: ReturnType<typeof filePages>; keys: Map<string, string> }>();

function filePaging<B extends Bulletin>(bulletins: readonly B[], maxRows: number) {
  let cached = pageCache.get(bulletins);
  if (!cached || cached.maxRows !== maxRows) {
    const pages = filePages(cachedFileIndex(bulletins), maxRows);
    const keys = new Map<string, string>();
    for (const page of pages) for (const file of page.files) keys.set(file.anchor, page.key);
    cached = { maxRows, pages, keys };
    pageCache.set(bulletins, cached);
  }
  return cached;
}

/** `filePages` of the bulletins' file index, computed once per bulletin list. */
export function cachedFilePages<B extends Bulletin>(bulletins: readonly B[], maxRows = FILE_INDEX_SINGLE_PAGE_ROWS): ReturnType<typeof filePages<B>> {
  return filePaging(bulletins, maxRows).pages as ReturnType<typeof filePages<B>>;
}

/** Key of the file-index page that lists `name` (`""` when the index is one page). */
export function filePageKey<B extends Bulletin>(bulletins: readonly B[], name: string, maxRows = FILE_INDEX_SINGLE_PAGE_ROWS): string {
  return filePaging(bulletins, maxRows).keys.get(fileAnchor(name)) ?? '';
}
