/**
 * Settings read from the environment (documented in the README): where content lives,
 * the public site URL and the base path.
 */
import { memoizeSetting } from './memo.ts';

/** Content folder (`KB_CONTENT_DIR`, default `content`). */
export function contentDir(): string {
  return process.env.KB_CONTENT_DIR || 'content';
}

/** Absolute site URL without trailing slash (`KB_SITE_URL`), used in feeds, sitemaps, CSAF. */
export const siteUrl: () => string = memoizeSetting(
  () => process.env.KB_SITE_URL,
  (raw) => (raw || 'https://bulletins.example.org').replace(/\/+$/, ''),
);

/** Base path with leading and trailing slash (`KB_BASE_PATH`, default `/`). */
export const basePath: () => string = memoizeSetting(
  () => process.env.KB_BASE_PATH,
  (raw) => {
    const trimmed = (raw || '/').replace(/^\/+|\/+$/g, '');
    return trimmed ? `/${trimmed}/` : '/';
  },
);

/**
 * True in the Astro process of `npm run build` (bin/build.mjs sets `KB_DATA_WORKER=1`):
 * per-bulletin data files and single-bulletin KB/CVE pages are then written by the data
 * worker (src/integrations/data-files.ts), and their Astro routes list no paths. A plain
 * `astro build` and `astro dev` render them through the routes.
 */
export function dataWorkerInBuild(): boolean {
  return process.env.KB_DATA_WORKER === '1';
}

/**
 * True in the Astro process of `npm run build` (bin/build.mjs sets `KB_SEARCH_INDEX=parallel`):
 * the search index is built by a process of its own (bin/build-search.mjs), busy on a core
 * of its own from the start, so the Astro integration skips it and the Markdown pool leaves
 * that core free. A plain `astro build` builds the index in its `astro:build:done` hook.
 */
export function searchIndexBeside(): boolean {
  return process.env.KB_SEARCH_INDEX === 'parallel';
}

/**
 * Cores left for a pool of workers on a machine of `cores` when one is taken by a busy
 * process running beside it (`takenBeside`): at least one. `npm run build` runs Astro and
 * the search process side by side, and each sizes its own workers with this, so two cores
 * are not shared by more busy threads than they hold (bench/README.md, rounds 20 and 21).
 */
export function coresLeft(cores: number, takenBeside: boolean): number {
  return Math.max(1, cores - (takenBeside ? 1 : 0));
}
