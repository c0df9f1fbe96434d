/**
 * Measures a built site: bytes and files per top-level folder, the search index, and the
 * weight of bulletin pages as a browser downloads them (gzip, level 6 as most servers use).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export interface SiteStats {
  bytes: number;
  files: number;
  /** Bytes and files per top-level entry of the site (`ja`, `api`, `pagefind`, …). */
  byTopLevel: Record<string, { bytes: number; files: number }>;
  search: SearchIndexStats | null;
  bulletinPages: PageWeights | null;
  /** The five heaviest HTML pages of any kind, by gzip size. */
  heaviestPages: Array<{ path: string; bytes: number; gzipBytes: number }>;
}

export interface SearchIndexStats {
  /** Folder holding every search bundle (the common parent of the bundles). */
  folder: string;
  /** Bytes and files of the whole search folder (bundles plus anything beside them). */
  bytes: number;
  files: number;
  /** One entry per Pagefind bundle (a folder with `pagefind-entry.json`). */
  bundles: Array<{
    folder: string;
    bytes: number;
    files: number;
    /** Pages per language, from the bundle's pagefind-entry.json. */
    pages: Record<string, number>;
  }>;
}

export interface PageWeights {
  count: number;
  medianBytes: number;
  maxBytes: number;
  medianGzipBytes: number;
  p90GzipBytes: number;
  maxGzipBytes: number;
  maxGzipPath: string;
}

/** Calls `visit` for every file under `dir` (path relative to it, size) and `visitFolder`, if given, for every folder before what it holds. */
export function walk(dir: string, visit: (file: string, size: number) => void, visitFolder?: (folder: string) => void, relative = ''): void {
  for (const entry of readdirSync(path.join(dir, relative), { withFileTypes: true })) {
    const rel = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      visitFolder?.(rel);
      walk(dir, visit, visitFolder, rel);
    } else if (entry.isFile()) visit(rel, statSync(path.join(dir, rel)).size);
  }
}

const quantile = (sorted: readonly number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

/** Finds the Pagefind bundles (folders holding `pagefind-entry.json`) anywhere in the site. */
function searchIndex(site: string, files: ReadonlyArray<[string, number]>): SearchIndexStats | null {
  const entries = files.filter(([rel]) => rel.endsWith('pagefind-entry.json'));
  if (entries.length === 0) return null;
  const inFolder = (folder: string) => files.filter(([rel]) => folder === '.' || rel.startsWith(`${folder}/`));
  const bundles = entries.map(([entry]) => {
    const folder = path.posix.dirname(entry);
    const inside = inFolder(folder);
    const pages: Record<string, number> = {};
    try {
      const json = JSON.parse(readFileSync(path.join(site, entry), 'utf8')) as { languages?: Record<string, { page_count?: number }> };
      for (const [lang, info] of Object.entries(json.languages ?? {})) pages[lang] = info.page_count ?? 0;
    } catch {
      // An unreadable entry file still leaves the folder totals.
    }
    return { folder, bytes: inside.reduce((s, [, b]) => s + b, 0), files: inside.length, pages };
  });
  // The search folder is the deepest folder that holds every bundle.
  let folder = bundles[0]!.folder;
  while (folder !== '.' && !bundles.every((b) => b.folder === folder || b.folder.startsWith(`${folder}/`))) folder = path.posix.dirname(folder);
  const all = inFolder(folder);
  return { folder, bytes: all.reduce((s, [, b]) => s + b, 0), files: all.length, bundles };
}

/** Measures the site folder. Bulletin pages are `{lang}/bulletins/{id}/index.html`. */
export function measureSite(site: string): SiteStats {
  const files: Array<[string, number]> = [];
  walk(site, (rel, size) => files.push([rel, size]));
  files.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const byTopLevel: SiteStats['byTopLevel'] = {};
  for (const [rel, size] of files) {
    const top = rel.includes('/') ? rel.slice(0, rel.indexOf('/')) : '(root files)';
    byTopLevel[top] ??= { bytes: 0, files: 0 };
    byTopLevel[top].bytes += size;
    byTopLevel[top].files++;
  }
  const pages: Array<{ path: string; bytes: number; gzipBytes: number; bulletin: boolean }> = [];
  for (const [rel, size] of files) {
    if (!rel.endsWith('.html')) continue;
    const gzipBytes = gzipSync(readFileSync(path.join(site, rel)), { level: 6 }).byteLength;
    pages.push({ path: rel, bytes: size, gzipBytes, bulletin: /^(?:[^/]+\/)*[a-z]{2}\/bulletins\/[^/]+\/index\.html$/.test(rel) });
  }
  const bulletin = pages.filter((p) => p.bulletin);
  let bulletinPages: PageWeights | null = null;
  if (bulletin.length > 0) {
    const gz = bulletin.map((p) => p.gzipBytes).sort((a, b) => a - b);
    const raw = bulletin.map((p) => p.bytes).sort((a, b) => a - b);
    const heaviest = bulletin.reduce((a, b) => (b.gzipBytes > a.gzipBytes ? b : a));
    bulletinPages = {
      count: bulletin.length,
      medianBytes: quantile(raw, 0.5),
      maxBytes: raw[raw.length - 1]!,
      medianGzipBytes: quantile(gz, 0.5),
      p90GzipBytes: quantile(gz, 0.9),
      maxGzipBytes: gz[gz.length - 1]!,
      maxGzipPath: heaviest.path,
    };
  }
  return {
    bytes: files.reduce((s, [, b]) => s + b, 0),
    files: files.length,
    byTopLevel,
    search: searchIndex(site, files),
    bulletinPages,
    heaviestPages: [...pages]
      .sort((a, b) => b.gzipBytes - a.gzipBytes || (a.path < b.path ? -1 : 1))
      .slice(0, 5)
      .map(({ path: p, bytes, gzipBytes }) => ({ path: p, bytes, gzipBytes })),
  };
}
