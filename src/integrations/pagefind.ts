/**
 * Builds the search index after Astro has written the pages (`astro:build:done`): one
 * Pagefind bundle per language in `{outDir}/pagefind/{lang}/`, plus the id/KB/CVE lookup
 * shards for the direct jump in `{outDir}/pagefind/lookup/`.
 *
 * Records come from the parsed content (the bulletins the content loader parsed, which took
 * the same path as `kb check`) through `toSearchRecord`, not from the HTML: Pagefind's Node API
 * indexes them as custom records. Reading 1,200 pages of HTML back would cost more time
 * and would put the tokenising back in Pagefind's hands (see `src/lib/segment.ts`).
 *
 * Only the files the search page loads are written: `pagefind.js`, the WebAssembly, the
 * entry, meta, index, filter and fragment files. Pagefind's bundled UIs and its web worker
 * are left out (the page runs Pagefind with `noWorker`: one fewer 43 KB download on the
 * first query, and our queries take milliseconds on the main thread).
 *
 * URLs in the index are site-relative (`ja/bulletins/ms03-046/`); Pagefind prefixes them
 * with the directory above `pagefind/`, which is the base path wherever the site is served.
 */
import type { AstroIntegration } from 'astro';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as pagefind from 'pagefind';
import { minify } from 'vite';
import { LANGS, type Bulletin, type Lang } from '../../schemas/index.ts';
import { formatDiagnostics } from '../lib/diagnostics.ts';
import { publishedBulletins } from '../data/shared-bulletins.ts';
import { loadContent } from '../lib/load-content.ts';
import { PAGEFIND_WASM, SEARCH_DIR, buildsSideBySide, bundlesAtOnce, indexOrder, languageRecords, pagefindPeakBytes, toLookupShards, type SearchRecord } from '../lib/search-records.ts';
import { COMMON_TERMS_FILE } from '../lib/segment.ts';
import { contentDir, searchIndexBeside } from '../lib/site-config.ts';

/**
 * Postings per index chunk. A query downloads the meta file once and one chunk per term.
 * Measured on the real archive (1,182 Japanese bulletins), meta / average chunk:
 * 20,000 (Pagefind's default) 12.9 KB / 23 KB; 12,000 15.9 / 15.9; 6,000 18.9 / 8.8;
 * 3,000 23.5 / 5.2. 3,000 is cheapest from two terms up and even at one. Pagefind reads it
 * from the environment (`PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE`); a value already set wins.
 */
const INDEX_CHUNK_SIZE = '3000';

/** Pagefind output files the search page needs; everything else in Pagefind's bundle is dropped. */
const KEEP = /^(?:pagefind\.js|pagefind-entry\.json|wasm\.[\w-]+\.pagefind|pagefind\.[\w-]+\.pf_meta|(?:index|fragment|filter)\/[\w-]+\.pf_(?:index|fragment|filter))$/;

type PagefindApi = typeof pagefind;

/**
 * Pagefind's API for one language. The API keeps one service process per loaded module, and
 * that process builds a bundle on about one core: with both languages in one process, the
 * English bundle waited for the Japanese one (5,000 bulletins: 30 s of Pagefind at about
 * 100 % of a core, bench/README.md round 10). Loading the module again under another URL
 * gives the language its own process, so the two bundles build on two cores when the
 * machine has them free (`bundlesAtOnce`).
 */
async function pagefindFor(lang: Lang): Promise<PagefindApi> {
  if (lang === LANGS[0]) return pagefind;
  return (await import(/* @vite-ignore */ `${import.meta.resolve('pagefind')}?lang=${lang}`)) as PagefindApi;
}

/**
 * Starts an index in a Pagefind service with our chunk size. The service process reads it
 * from its environment when it starts, so it is set only around that start.
 */
export async function createIndex(api: PagefindApi): Promise<pagefind.NewIndexResponse> {
  const before = process.env.PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE;
  process.env.PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE = before ?? INDEX_CHUNK_SIZE;
  try {
    return await api.createIndex({});
  } finally {
    if (before === undefined) delete process.env.PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE;
  }
}

/** Adds records in order (Pagefind numbers pages as they arrive); a rejected record is an error. */
export async function addRecords(index: pagefind.PagefindIndex, records: readonly SearchRecord[]): Promise<void> {
  for (const record of records) {
    const added = await index.addCustomRecord({
      url: record.url,
      content: record.content,
      language: record.language,
      meta: { ...record.meta },
      filters: { ...record.filters },
      sort: { ...record.sort },
    });
    if (added.errors.length) throw new Error(`Pagefind rejected ${record.url}: ${added.errors.join('; ')}`);
  }
}

/**
 * Pagefind ships `pagefind.js` half minified (47 KB); minified it is 32 KB, a tenth of
 * the first query's budget on a host that does not compress. Same code, same behaviour.
 */
async function minifyScript(source: Uint8Array): Promise<Uint8Array> {
  const { code, errors } = await minify('pagefind.js', Buffer.from(source).toString('utf8'), { module: true, compress: true, mangle: true });
  if (errors.length) throw new Error(`could not minify Pagefind's pagefind.js: ${errors.map((e) => e.message).join('; ')}`);
  return Buffer.from(code, 'utf8');
}

export interface LanguageIndexReport {
  lang: Lang;
  /** Bulletins in this language's index (fallback pages excluded). */
  records: number;
  files: number;
  /** Bytes written for this language's bundle. */
  bytes: number;
  /** Body terms too common to index (`findCommonTerms`). */
  commonTerms: number;
}

/** A bundle that waited for the ones before it, because memory was short (`buildsSideBySide`). */
export interface WaitedBundle {
  lang: Lang;
  /** Memory available to the process when the bundle was due to start. */
  availableBytes: number;
  /** Estimated peaks of the bundles building then plus this one (`pagefindPeakBytes`). */
  neededBytes: number;
}

export interface SearchIndexOptions {
  /**
   * Bytes of memory still available to this process; default `process.availableMemory()`,
   * which honours a container's (cgroup) limit.
   */
  availableMemory?: () => number;
  /** Cores of the machine; default `os.availableParallelism()`. */
  cores?: number;
  /** True when the Astro build runs at the same time (`bin/build-search.mjs`): one core fewer for the bundles. */
  besideAstro?: boolean;
}

export interface SearchIndexReport {
  languages: LanguageIndexReport[];
  /** Bundles built one after the other instead of side by side because memory was short. */
  waited: WaitedBundle[];
  /** Pagefind processes started: one per bundle building at once (`bundlesAtOnce`). */
  pagefindProcesses: number;
  lookupShards: number;
  lookupBytes: number;
  /** Wall time from first record to last file written. */
  milliseconds: number;
}

/** Asks Pagefind for one language's bundle and writes the files the search page needs. */
async function writeLanguageBundle(index: pagefind.PagefindIndex, lang: Lang, root: string, common: ReadonlySet<string>, records: number): Promise<LanguageIndexReport> {
  const { files: bundle, errors: fileErrors } = await index.getFiles();
  if (fileErrors.length) throw new Error(`Pagefind could not build the ${lang} index: ${fileErrors.join('; ')}`);
  // Pagefind ships every WebAssembly flavour; keep the ones this bundle's entry names.
  const entry = bundle.find((f) => f.path === 'pagefind-entry.json');
  const entryJson = entry ? (JSON.parse(Buffer.from(entry.content).toString('utf8')) as { languages: Record<string, { wasm: string | null }> }) : undefined;
  const wasm = new Set(Object.values(entryJson?.languages ?? {}).map((l) => `wasm.${l.wasm ?? 'unknown'}.pagefind`));
  if (!wasm.has(PAGEFIND_WASM[lang])) throw new Error(`Pagefind's ${lang} bundle uses ${[...wasm].join(', ')}, not ${PAGEFIND_WASM[lang]}: update PAGEFIND_WASM in src/lib/search-records.ts`);
  let bytes = 0;
  let files = 0;
  for (const file of bundle.sort((a, b) => (a.path < b.path ? -1 : 1))) {
    const relative = file.path.split(path.sep).join('/');
    if (!KEEP.test(relative) || (relative.startsWith('wasm.') && !wasm.has(relative))) continue;
    const target = path.join(root, lang, relative);
    const content = relative === 'pagefind.js' ? await minifyScript(file.content) : file.content;
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content);
    bytes += content.byteLength;
    files++;
  }
  await index.deleteIndex();
  const commonJson = JSON.stringify([...common].sort());
  await writeFile(path.join(root, lang, COMMON_TERMS_FILE), commonJson);
  bytes += Buffer.byteLength(commonJson);
  files++;
  return { lang, records, files, bytes, commonTerms: common.size };
}

/**
 * Writes the search bundles and lookup shards for `bulletins` into `outDir` (a built site).
 * Replaces any earlier `pagefind/` folder there. Deterministic: same bulletins, same bytes.
 */
export async function writeSearchIndex(bulletins: readonly Bulletin[], outDir: string, options: SearchIndexOptions = {}): Promise<SearchIndexReport> {
  const availableMemory = options.availableMemory ?? (() => process.availableMemory());
  const atOnce = bundlesAtOnce(options.cores ?? availableParallelism(), options.besideAstro ?? false);
  const started = performance.now();
  const root = path.join(outDir, SEARCH_DIR);
  await rm(root, { recursive: true, force: true });
  const sorted = indexOrder(bulletins);
  const languages: LanguageIndexReport[] = [];
  // While a language's bundle is built (getFiles), this process tokenises the next language.
  // The next bundle builds beside it, in a Pagefind process of its own, if a core is free for
  // it (`bundlesAtOnce`) and the memory available holds both processes' peaks (about 1 GiB
  // each at 5,000 bulletins, 1.75 GiB at 10,000); if not, it waits and reuses the process
  // that finished. Records are still added one at a time and in order: Pagefind numbers pages
  // in the order they arrive.
  const building: Array<Promise<LanguageIndexReport>> = [];
  const services: PagefindApi[] = [];
  const waited: WaitedBundle[] = [];
  let buildingPeak = 0;
  let buildingCount = 0;
  try {
    for (const lang of LANGS) {
      const { records, common } = languageRecords(sorted, lang);
      if (records.length === 0) continue;
      const peak = pagefindPeakBytes(records.reduce((chars, record) => chars + record.content.length, 0));
      // Memory is asked only when a core is free for another bundle while one builds.
      let api: PagefindApi | undefined;
      if (buildingPeak > 0) {
        let besideIt = buildingCount < atOnce;
        if (besideIt) {
          const availableBytes = availableMemory();
          besideIt = buildsSideBySide(availableBytes, buildingPeak, peak);
          // Only a wait for memory is the user's business: it explains a slower index.
          if (!besideIt) waited.push({ lang, availableBytes, neededBytes: buildingPeak + peak });
        }
        if (!besideIt) {
          await Promise.all(building);
          buildingPeak = 0;
          buildingCount = 0;
          api = services[0];
        }
      }
      if (!api) {
        api = await pagefindFor(lang);
        services.push(api);
      }
      buildingPeak += peak;
      buildingCount++;
      const { index, errors } = await createIndex(api);
      if (!index) throw new Error(`Pagefind could not start: ${errors.join('; ')}`);
      await addRecords(index, records);
      const done = writeLanguageBundle(index, lang, root, common, records.length);
      // Awaited below; a failure must not surface as an unhandled rejection meanwhile.
      done.catch(() => {});
      building.push(done);
    }
    languages.push(...(await Promise.all(building)));
  } finally {
    await Promise.all(services.map((api) => api.close()));
  }

  const shards = toLookupShards(sorted);
  let lookupBytes = 0;
  await mkdir(path.join(root, 'lookup'), { recursive: true });
  for (const [name, shard] of Object.entries(shards)) {
    const json = JSON.stringify(shard);
    lookupBytes += Buffer.byteLength(json);
    await writeFile(path.join(root, 'lookup', `${name}.json`), json);
  }
  return { languages, waited, pagefindProcesses: services.length, lookupShards: Object.keys(shards).length, lookupBytes, milliseconds: performance.now() - started };
}

const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(1)} GiB`;

/** What a user reads when a bundle waited for memory: it explains a slower search index. */
export function waitedMessage(w: WaitedBundle): string {
  return `the ${w.lang} search bundle was built after the others, not beside them: ${gib(w.availableBytes)} of memory available, about ${gib(w.neededBytes)} needed to build them at once`;
}

/** The Astro integration: `integrations: [searchIndex()]` in `astro.config.mjs`. */
export default function searchIndex(): AstroIntegration {
  return {
    name: 'bulletin-kb-search',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        // `npm run build` writes the index in a parallel process (bin/build-search.mjs) and
        // moves it into the site itself.
        if (searchIndexBeside()) return;
        // The bulletins the content loader parsed in this process; read again only when the
        // hook runs without the loader (tests call it alone).
        let bulletins: readonly Bulletin[] | undefined = publishedBulletins(contentDir());
        if (!bulletins) {
          const loaded = await loadContent(contentDir());
          const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
          if (errors.length > 0) throw new Error(`search index: content has errors:\n${formatDiagnostics(errors, 'text')}`);
          bulletins = loaded.bulletins;
        }
        const report = await writeSearchIndex(bulletins, fileURLToPath(dir));
        for (const l of report.languages) {
          logger.info(`${l.lang}: ${l.records} bulletins indexed, ${l.files} files, ${(l.bytes / 1024).toFixed(0)} KiB`);
        }
        for (const w of report.waited) logger.warn(waitedMessage(w));
        logger.info(`lookup: ${report.lookupShards} shards; search index built in ${(report.milliseconds / 1000).toFixed(1)} s`);
      },
    },
  };
}
