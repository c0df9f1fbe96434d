/**
 * Builds the search index after Astro has written the pages (`astro:build:done`): one
 * Pagefind bundle per language in `{outDir}/pagefind/{lang}/`, plus the id/KB/CVE lookup
 * shards for the direct jump in `{outDir}/pagefind/lookup/`.
 *
 * Records come from the parsed content (`loadContent`, the same path `kb check` and the
 * content loader take) through `toSearchRecord`, not from the HTML: Pagefind's Node API
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
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as pagefind from 'pagefind';
import { LANGS, type Bulletin, type Lang } from '../../schemas/index.ts';
import { countBySeverity, formatDiagnostics } from '../lib/diagnostics.ts';
import { loadContent } from '../lib/load-content.ts';
import { SEARCH_DIR, findBoilerplate, toLookupShards, toSearchRecord } from '../lib/search-records.ts';
import { contentDir } from '../lib/site-config.ts';

/**
 * Postings per index chunk. A query downloads one chunk per term. On the real archive
 * (Japanese, ~1,000 bulletins) Pagefind's default of 20,000 gave 173 chunks of 23 KB on
 * average and a 12.9 KB meta file; 6,000 gives ~400 chunks of 8.5 KB and a 16.2 KB meta
 * file: 11 KB fewer on a one-word first query, more on longer ones. Pagefind reads it from
 * the environment (`PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE`); a value already set there wins.
 */
const INDEX_CHUNK_SIZE = '6000';

/** Pagefind output files the search page needs; everything else in Pagefind's bundle is dropped. */
const KEEP = /^(?:pagefind\.js|pagefind-entry\.json|wasm\.[\w-]+\.pagefind|pagefind\.[\w-]+\.pf_meta|(?:index|fragment|filter)\/[\w-]+\.pf_(?:index|fragment|filter))$/;

/**
 * Starts an index in Pagefind's service with our chunk size. The service process reads it
 * from its environment when it starts, so it is set only around that start.
 */
async function createIndex(): Promise<pagefind.NewIndexResponse> {
  const before = process.env.PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE;
  process.env.PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE = before ?? INDEX_CHUNK_SIZE;
  try {
    return await pagefind.createIndex({});
  } finally {
    if (before === undefined) delete process.env.PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE;
  }
}

export interface LanguageIndexReport {
  lang: Lang;
  /** Bulletins in this language's index (fallback pages excluded). */
  records: number;
  files: number;
  /** Bytes written for this language's bundle. */
  bytes: number;
}

export interface SearchIndexReport {
  languages: LanguageIndexReport[];
  lookupShards: number;
  lookupBytes: number;
  /** Wall time from first record to last file written. */
  milliseconds: number;
}

/**
 * Writes the search bundles and lookup shards for `bulletins` into `outDir` (a built site).
 * Replaces any earlier `pagefind/` folder there. Deterministic: same bulletins, same bytes.
 */
export async function writeSearchIndex(bulletins: readonly Bulletin[], outDir: string): Promise<SearchIndexReport> {
  const started = performance.now();
  const root = path.join(outDir, SEARCH_DIR);
  await rm(root, { recursive: true, force: true });
  const sorted = [...bulletins].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const languages: LanguageIndexReport[] = [];
  try {
    for (const lang of LANGS) {
      const boilerplate = findBoilerplate(sorted, lang);
      const records = sorted.flatMap((b) => toSearchRecord(b, lang, { boilerplate }) ?? []);
      if (records.length === 0) continue;
      const { index, errors } = await createIndex();
      if (!index) throw new Error(`Pagefind could not start: ${errors.join('; ')}`);
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
      const { files, errors: fileErrors } = await index.getFiles();
      if (fileErrors.length) throw new Error(`Pagefind could not build the ${lang} index: ${fileErrors.join('; ')}`);
      // Pagefind ships every WebAssembly flavour; keep the ones this bundle's entry names.
      const entry = files.find((f) => f.path === 'pagefind-entry.json');
      const entryJson = entry ? (JSON.parse(Buffer.from(entry.content).toString('utf8')) as { languages: Record<string, { wasm: string | null }> }) : undefined;
      const wasm = new Set(Object.values(entryJson?.languages ?? {}).map((l) => `wasm.${l.wasm ?? 'unknown'}.pagefind`));
      let bytes = 0;
      let written = 0;
      for (const file of files.sort((a, b) => (a.path < b.path ? -1 : 1))) {
        const relative = file.path.split(path.sep).join('/');
        if (!KEEP.test(relative) || (relative.startsWith('wasm.') && !wasm.has(relative))) continue;
        const target = path.join(root, lang, relative);
        await mkdir(path.dirname(target), { recursive: true });
        await writeFile(target, file.content);
        bytes += file.content.byteLength;
        written++;
      }
      await index.deleteIndex();
      languages.push({ lang, records: records.length, files: written, bytes });
    }
  } finally {
    await pagefind.close();
  }

  const shards = toLookupShards(sorted);
  let lookupBytes = 0;
  await mkdir(path.join(root, 'lookup'), { recursive: true });
  for (const [name, shard] of Object.entries(shards)) {
    const json = JSON.stringify(shard);
    lookupBytes += Buffer.byteLength(json);
    await writeFile(path.join(root, 'lookup', `${name}.json`), json);
  }
  return { languages, lookupShards: Object.keys(shards).length, lookupBytes, milliseconds: performance.now() - started };
}

/** The Astro integration: `integrations: [searchIndex()]` in `astro.config.mjs`. */
export default function searchIndex(): AstroIntegration {
  return {
    name: 'bulletin-kb-search',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        // `npm run build` writes the index in a parallel process (bin/build-search.mjs) and
        // moves it into the site itself.
        if (process.env.KB_SEARCH_INDEX === 'parallel') return;
        const { bulletins, diagnostics } = await loadContent(contentDir());
        const { errors } = countBySeverity(diagnostics);
        // The content loader already failed the build on these; this guards a changed folder.
        if (errors > 0) throw new Error(`search index: content has errors:\n${formatDiagnostics(diagnostics.filter((d) => d.severity === 'error'), 'text')}`);
        const report = await writeSearchIndex(bulletins, fileURLToPath(dir));
        for (const l of report.languages) {
          logger.info(`${l.lang}: ${l.records} bulletins indexed, ${l.files} files, ${(l.bytes / 1024).toFixed(0)} KiB`);
        }
        logger.info(`lookup: ${report.lookupShards} shards; search index built in ${(report.milliseconds / 1000).toFixed(1)} s`);
      },
    },
  };
}
