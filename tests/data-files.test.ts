/**
 * `npm run build` writes the per-bulletin data files (CSAF documents and hashes, API
 * bulletins, verify scripts) in a worker thread instead of through Astro's endpoints
 * (src/integrations/data-files.ts). A plain `astro build` still renders them through the
 * endpoints. Both must give the same files with the same bytes, or the speed-up changed
 * what tools download.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { mergeInto } from '../src/integrations/data-files.ts';
import { ROOT, tempBuildDir } from './helpers/build-site.ts';
import { hashTree } from './helpers/site-files.ts';

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

const DATA_FOLDERS = ['.well-known/csaf', 'api/v1', 'downloads/verify', 'exports'];

describe('data files written beside the pages', () => {
  it('are byte for byte what the Astro endpoints render', () => {
    const site = inject('siteDir');
    const plain = tempBuildDir('plain-astro');
    const cache = tempBuildDir('plain-astro-cache');
    temps.push(plain, cache);
    // The endpoints' path: astro itself, no worker (KB_DATA_WORKER unset), and the search
    // index from the integration's hook, from the bulletins the loader parsed in the same
    // process (KB_SEARCH_INDEX unset). Markdown on the build's own thread too
    // (KB_MARKDOWN_THREADS unset, small content).
    const { KB_DATA_WORKER: _worker, KB_DATA_DIR: _dir, KB_MARKDOWN_THREADS: _threads, KB_SEARCH_INDEX: _search, ...env } = process.env;
    const result = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'astro', 'bin', 'astro.mjs'), 'build', '--silent'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...env, KB_CONTENT_DIR: 'content', KB_OUT_DIR: plain, KB_CACHE_DIR: cache, ASTRO_TELEMETRY_DISABLED: '1' },
    });
    expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
    // The search index written after the pages is the one the parallel process writes.
    expect(Object.keys(hashTree(plain, 'pagefind'))).toContain('pagefind/lookup/id-ms03.json');
    expect(hashTree(plain, 'pagefind')).toEqual(hashTree(site, 'pagefind'));
    for (const folder of DATA_FOLDERS) {
      const fromWorker = hashTree(site, folder);
      expect(Object.keys(fromWorker).length).toBeGreaterThan(0);
      expect(fromWorker, folder).toEqual(hashTree(plain, folder));
    }
    // The worker's share is there: every bulletin's API document, CSAF document and script.
    const api = Object.keys(hashTree(site, 'api/v1/bulletins'));
    expect(api).toContain('api/v1/bulletins/ms03-046.json');
    expect(Object.keys(hashTree(site, '.well-known/csaf/white/2003'))).toEqual(
      expect.arrayContaining(['.well-known/csaf/white/2003/ms03-046.json', '.well-known/csaf/white/2003/ms03-046.json.sha512', '.well-known/csaf/white/2003/ms03-046-en.json']),
    );
    expect(Object.keys(hashTree(site, 'downloads/verify'))).toContain('downloads/verify/ms03-046.ps1');
    // The test site's Markdown was rendered by two worker threads (tests/setup/global.ts):
    // the bulletin pages must not differ by a byte from those rendered on one thread.
    for (const folder of ['en/bulletins', 'ja/bulletins']) {
      const pages = hashTree(site, folder);
      expect(Object.keys(pages)).toContain(`${folder}/ms03-046/index.html`);
      expect(pages, folder).toEqual(hashTree(plain, folder));
    }
  });

  it('merge into the site folder by folder and refuse a file written twice', async () => {
    const root = tempBuildDir('merge');
    temps.push(root);
    const from = path.join(root, 'from');
    const to = path.join(root, 'to');
    for (const [file, text] of [
      ['from/api/v1/bulletins/a.json', 'a'],
      ['from/new/x.txt', 'x'],
      ['to/api/v1/bulletins.json', 'list'],
      ['to/ja/index.html', 'page'],
    ] as const) {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), text);
    }
    await mergeInto(from, to);
    expect(hashTree(to, '.')).toEqual({
      'api/v1/bulletins.json': expect.any(String),
      'api/v1/bulletins/a.json': expect.any(String),
      'ja/index.html': expect.any(String),
      'new/x.txt': expect.any(String),
    });

    const again = mkdtempSync(path.join(root, 'again-'));
    mkdirSync(path.join(again, 'ja'), { recursive: true });
    writeFileSync(path.join(again, 'ja', 'index.html'), 'other');
    await expect(mergeInto(again, to)).rejects.toThrow(/ja\/index\.html was written twice/);
    expect(readFileSync(path.join(to, 'ja', 'index.html'), 'utf8')).toBe('page');
  });
});

describe('large files written in slices', () => {
  it('never cut a surrogate pair, so the slices encode to the same bytes as the whole text', async () => {
    const { textSlices } = await import('../src/lib/data-files.ts');
    const text = `ab😀c${'日本'.repeat(3)}😀😀x`;
    for (const size of [2, 3, 4, 5, 7, 100]) {
      const slices = [...textSlices(text, size)];
      expect(slices.join('')).toBe(text);
      expect(slices.every((s) => s.length <= size && s.length > 0)).toBe(true);
      expect(Buffer.concat(slices.map((s) => Buffer.from(s, 'utf8'))).equals(Buffer.from(text, 'utf8'))).toBe(true);
    }
    expect([...textSlices('', 4)]).toEqual([]);
  });
});
