/**
 * `npm run build` writes the search index in a parallel process (bin/build-search.mjs)
 * instead of the Astro integration's `astro:build:done` hook. The two must write the same
 * bytes, or the speed-up changed the site.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, inject, it } from 'vitest';
import searchIndex from '../src/integrations/pagefind.ts';
import { hashTree } from './helpers/site-files.ts';

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

describe('search index built beside the pages', () => {
  it('is byte for byte what the integration writes after the pages', async () => {
    const site = inject('siteDir');
    const built = hashTree(path.join(site, 'pagefind'));
    expect(Object.keys(built).some((f) => f.startsWith('ja/') && f.endsWith('pagefind-entry.json'))).toBe(true);

    const dir = mkdtempSync(path.join(os.tmpdir(), 'kb-search-seq-'));
    temps.push(dir);
    const previous = process.env.KB_SEARCH_INDEX;
    delete process.env.KB_SEARCH_INDEX;
    const logged: string[] = [];
    const logger = { info: (m: string) => logged.push(m), warn: (m: string) => logged.push(m), error: (m: string) => logged.push(m) };
    try {
      const hook = searchIndex().hooks['astro:build:done'] as unknown as (o: { dir: URL; logger: typeof logger }) => Promise<void>;
      await hook({ dir: pathToFileURL(`${dir}/`), logger });
    } finally {
      if (previous !== undefined) process.env.KB_SEARCH_INDEX = previous;
    }
    expect(logged.some((m) => /search index built/.test(m))).toBe(true);
    expect(hashTree(path.join(dir, 'pagefind'))).toEqual(built);
  });
});
