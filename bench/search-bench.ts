/**
 * Search benchmark: index time, index size on disk, bytes transferred and latency of the
 * first and later queries in Chromium, and ranks against Pagefind's out-of-the-box
 * indexing of the same pages. `npm run bench` calls `benchSearch`; the golden-query test
 * uses the browser helpers.
 *
 * Latency is taken where the page takes it: the search page records each finished search
 * as a `kb-search` performance measure, from the start of the search to the results on
 * screen, with its phases (loading Pagefind, the search call with its index downloads,
 * the results' fragments and rendering). `answerMs` is the search call, loading included;
 * `resultsMs` the whole. Bytes are the encoded bytes Chromium received (CDP
 * `Network.loadingFinished`, headers included), with an empty cache for a first query.
 */
import { readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as pagefind from 'pagefind';
import type { Browser, Page } from 'playwright-core';
import type { Bulletin } from '../schemas/index.ts';
import { loadContent } from '../src/lib/load-content.ts';
import { renderMarkdown } from '../src/lib/render-markdown.ts';
import { writeSearchIndex, type SearchIndexReport } from '../src/integrations/pagefind.ts';
import { SEARCH_DIR } from '../src/lib/search-records.ts';
import { launchBrowser } from '../tests/helpers/browser.ts';
import { serve } from '../tests/helpers/serve.ts';

/** Waits for the search the page started (on load or on submit) to finish. */
async function searchDone(page: Page, count: number): Promise<void> {
  await page.waitForFunction(
    (n) => performance.getEntriesByName('kb-search').length >= n || document.querySelector('[data-search]')?.getAttribute('data-state') === 'error',
    count,
    { timeout: 30_000 },
  );
  if ((await page.getAttribute('[data-search]', 'data-state')) === 'error') throw new Error(`search failed on ${page.url()}: ${await page.textContent('#search-status')}`);
}

/** Bulletin ids of the results a search page shows for `url` (`…/search/?q=…`), in rank order. */
export async function resultIds(page: Page, url: string): Promise<string[]> {
  await page.goto(url);
  await searchDone(page, 1);
  return page.locator('#search-results .search-result__id').allTextContents();
}

/**
 * Bulletin ids of the results for `query` typed into the search box of the open search
 * page and submitted with Enter, in rank order.
 */
export async function typedResultIds(page: Page, query: string): Promise<string[]> {
  const before = await page.evaluate(() => performance.getEntriesByName('kb-search').length);
  await page.fill('#search-q', query);
  await page.press('#search-q', 'Enter');
  await searchDone(page, before + 1);
  return page.locator('#search-results .search-result__id').allTextContents();
}

export interface FirstQuery {
  query: string;
  results: number;
  /**
   * Bytes from the search folder (`/pagefind/`): Pagefind's script and WebAssembly, the
   * index files, the common-term list and the id lookup. Headers included.
   */
  searchBytes: number;
  /** Bytes of the search page itself: HTML, stylesheets, the page's own scripts. */
  pageBytes: number;
  /** Every byte the page load and the search transferred. */
  totalBytes: number;
  /** Time of the search call: Pagefind loaded, the index searched, the ranking known. */
  answerMs: number;
  /** Time until the first results are on screen (their fragments downloaded). */
  resultsMs: number;
  /** From navigation start to the results on screen. */
  sinceNavigationMs: number;
  phasesMs: SearchPhases;
  requests: { url: string; bytes: number }[];
}

/** Opens `url` (`…/search/?q=…`) in a fresh browser context, so nothing is cached. */
export async function firstQuery(browser: Browser, url: string): Promise<FirstQuery> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const urls = new Map<string, { url: string; type: string }>();
  const bytes = new Map<string, number>();
  cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, { url: e.request.url, type: e.type ?? '' }));
  cdp.on('Network.loadingFinished', (e) => bytes.set(e.requestId, e.encodedDataLength));
  await page.goto(url);
  await searchDone(page, 1);
  // Let the last response's loadingFinished event arrive.
  await page.waitForTimeout(100);
  const timing = await page.evaluate(() => {
    const m = performance.getEntriesByName('kb-search')[0] as PerformanceMeasure;
    const phasesMs = m.detail as { loadMs: number; searchMs: number; renderMs: number };
    return { answerMs: phasesMs.loadMs + phasesMs.searchMs, resultsMs: m.duration, sinceNavigationMs: m.startTime + m.duration, phasesMs };
  });
  const results = await page.locator('#search-results li').count();
  await context.close();
  const requests = [...bytes].map(([id, n]) => ({ ...urls.get(id)!, bytes: n }));
  const searchFolder = (r: { url: string }) => new URL(r.url).pathname.includes(`/${SEARCH_DIR}/`);
  const sum = (list: { bytes: number }[]) => list.reduce((total, r) => total + r.bytes, 0);
  return {
    query: new URL(url).searchParams.get('q') ?? '',
    results,
    searchBytes: sum(requests.filter(searchFolder)),
    pageBytes: sum(requests.filter((r) => !searchFolder(r))),
    totalBytes: sum(requests),
    ...timing,
    requests: requests.map(({ url: u, bytes: n }) => ({ url: new URL(u).pathname, bytes: n })),
  };
}

/** Where a search's time went (the `kb-search` measure's detail). */
export interface SearchPhases {
  /** Loading Pagefind and the common-term list (first query only). */
  loadMs: number;
  /** Pagefind's search, with the index chunks it downloads. */
  searchMs: number;
  /** The results' fragments and the rendering. */
  renderMs: number;
}

export interface LaterQueries {
  /** Time of each search call (the index searched, the ranking known). */
  answerMs: number[];
  /** Time until each query's results were on screen. */
  resultsMs: number[];
  medianAnswerMs: number;
  medianResultsMs: number;
}

/** Types each query into one search page after a first search, and times each. */
export async function laterQueries(browser: Browser, searchPageUrl: string, queries: readonly string[]): Promise<LaterQueries> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${searchPageUrl}?q=${encodeURIComponent('セキュリティ')}`);
  await searchDone(page, 1);
  const answerMs: number[] = [];
  const resultsMs: number[] = [];
  for (const [i, query] of queries.entries()) {
    await page.fill('#search-q', query);
    await page.press('#search-q', 'Enter');
    await searchDone(page, i + 2);
    const measure = await page.evaluate(() => {
      const m = performance.getEntriesByName('kb-search').at(-1) as PerformanceMeasure;
      return { duration: m.duration, detail: m.detail as { loadMs: number; searchMs: number } };
    });
    answerMs.push(measure.detail.loadMs + measure.detail.searchMs);
    resultsMs.push(measure.duration);
  }
  await context.close();
  return { answerMs, resultsMs, medianAnswerMs: median(answerMs), medianResultsMs: median(resultsMs) };
}

/** Bytes and file count of a folder, recursively. */
export async function folderSize(dir: string): Promise<{ bytes: number; files: number }> {
  let bytes = 0;
  let files = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    bytes += (await stat(path.join(entry.parentPath, entry.name))).size;
    files++;
  }
  return { bytes, files };
}

export interface RankComparison {
  query: string;
  expect: string;
  /** 1-based rank with Pagefind's defaults on the built HTML (0: not found). */
  defaultRank: number;
  defaultResults: number;
  /** 1-based rank with this project's index and query handling (0: not found). */
  rank: number;
  results: number;
}

/**
 * Ranks of `expect` for each query with Pagefind out of the box against this project's
 * search. The baseline indexes what a bulletin page shows as its body (heading, summary,
 * rendered Markdown, inside `data-pagefind-body` on a `lang` page), so Pagefind's own
 * Japanese segmentation and ranking apply, and gets the query as typed. `siteDir` is a site
 * with this project's index of the same bulletins (`writeSearchIndex`).
 */
export async function compareWithDefaultPagefind(
  bulletins: readonly Bulletin[],
  siteDir: string,
  cases: readonly { query: string; expect: string }[],
  lang: 'ja' | 'en' = 'ja',
): Promise<RankComparison[]> {
  const baseline = path.join(siteDir, '_baseline-pagefind');
  await rm(baseline, { recursive: true, force: true });
  try {
    const { index } = await pagefind.createIndex({});
    if (!index) throw new Error('Pagefind did not start');
    for (const bulletin of bulletins) {
      const text = bulletin.text[lang];
      if (!text) continue;
      const html = `<!doctype html><html lang="${lang}"><head><title>${escapeHtml(text.title)}</title></head><body><header>site chrome</header><main data-pagefind-body><h1>${bulletin.id}: ${escapeHtml(text.title)}</h1>${renderMarkdown(text.summary)}${renderMarkdown(text.body)}</main></body></html>`;
      await index.addHTMLFile({ url: `/${lang}/bulletins/${bulletin.id.toLowerCase()}/`, content: html });
    }
    await index.writeFiles({ outputPath: baseline });
  } finally {
    await pagefind.close();
  }
  const server = await serve(siteDir);
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    const idOf = (url: string) => /bulletins\/([^/]+)\//.exec(url)?.[1]?.toUpperCase() ?? url;
    const out: RankComparison[] = [];
    for (const { query, expect } of cases) {
      await page.goto(server.at(`${lang}/`));
      const urls = await page.evaluate(async (q) => {
        const bundle = '/_baseline-pagefind/';
        const module = (await import(/* @vite-ignore */ `${bundle}pagefind.js`)) as { createInstance(o: object): { search(q: string): Promise<unknown> } };
        const baselineIndex = module.createInstance({ basePath: bundle, noWorker: true });
        const response = (await baselineIndex.search(q)) as { results: { data(): Promise<{ url: string }> }[] };
        return Promise.all(response.results.map((r) => r.data().then((d) => d.url)));
      }, query);
      const ours = await resultIdsAll(page, server.at(`${lang}/search/?q=${encodeURIComponent(query)}`));
      const ids = urls.map(idOf);
      out.push({ query, expect, defaultRank: ids.indexOf(expect) + 1, defaultResults: ids.length, rank: ours.indexOf(expect) + 1, results: ours.length });
    }
    return out;
  } finally {
    await browser.close();
    await server.close();
    await rm(baseline, { recursive: true, force: true });
  }
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Every result id of a search, all pages of results loaded. */
async function resultIdsAll(page: Page, url: string): Promise<string[]> {
  await page.goto(url);
  await searchDone(page, 1);
  while (await page.isVisible('#search-more')) {
    const before = await page.locator('#search-results li').count();
    await page.click('#search-more');
    await page.waitForFunction((n) => document.querySelectorAll('#search-results li').length > n, before);
  }
  return page.locator('#search-results .search-result__id').allTextContents();
}

export interface SearchBenchReport {
  index: SearchIndexReport;
  /** Index size on disk (`pagefind/`), per language and the lookup shards. */
  disk: Record<string, { bytes: number; files: number }>;
  firstQueries: FirstQuery[];
  /** Median search-call time of the first queries (each on a fresh page, empty cache). */
  firstMedianAnswerMs: number;
  /** Median time until the first queries' results were on screen. */
  firstMedianResultsMs: number;
  later: LaterQueries;
  /** Load average of the machine when the browser measurements ended. */
  loadAverage: number[];
}

/** Median of a list of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Loads one page of the site, so the measurements that follow see a browser that has
 * started, as a visitor's has, and not Chromium's own start-up.
 */
export async function warmUp(browser: Browser, url: string): Promise<void> {
  const page = await browser.newPage();
  await page.goto(url);
  await page.close();
}

/** First queries of the benchmark: a Japanese word, a file name, the three words, an id. */
export const FIRST_QUERIES = ['認証', 'drviis.dll', 'Exchange 2000 認証', 'KB958644', '特権の昇格'] as const;
/** Later queries: words, a phrase, a file, a KB number, products. */
export const LATER_QUERIES = ['脆弱性', 'Internet Explorer', 'サービス拒否', 'mshtml.dll', 'KB829436', 'Windows XP', '特権の昇格', 'リモートでコードが実行', 'SMTP', 'Outlook Express'] as const;

export interface SearchBenchOptions {
  /** Content folder to index (`KB_CONTENT_DIR`). */
  contentDir: string;
  /** A built site; its `pagefind/` folder is rewritten from `contentDir`. */
  siteDir: string;
  firstQueries?: readonly string[];
  laterQueries?: readonly string[];
}

/**
 * Indexes `contentDir` into `siteDir` (timed), measures the index on disk, then serves the
 * site with its production headers and measures first and later queries in Chromium.
 */
export async function benchSearch(options: SearchBenchOptions): Promise<SearchBenchReport> {
  const { bulletins } = await loadContent(options.contentDir);
  const index = await writeSearchIndex(bulletins, options.siteDir);
  const root = path.join(options.siteDir, SEARCH_DIR);
  const disk: SearchBenchReport['disk'] = {};
  for (const entry of await readdir(root)) disk[entry] = await folderSize(path.join(root, entry));
  const server = await serve(options.siteDir, { headers: true });
  const browser = await launchBrowser();
  try {
    await warmUp(browser, server.at('ja/'));
    const firstQueries = [];
    for (const q of options.firstQueries ?? FIRST_QUERIES) {
      firstQueries.push(await firstQuery(browser, server.at(`ja/search/?q=${encodeURIComponent(q)}`)));
    }
    const later = await laterQueries(browser, server.at('ja/search/'), options.laterQueries ?? LATER_QUERIES);
    return {
      index,
      disk,
      firstQueries,
      firstMedianAnswerMs: median(firstQueries.map((f) => f.answerMs)),
      firstMedianResultsMs: median(firstQueries.map((f) => f.resultsMs)),
      later,
      loadAverage: os.loadavg(),
    };
  } finally {
    await browser.close();
    await server.close();
  }
}
