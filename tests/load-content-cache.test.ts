/**
 * The dev server's reload reads the whole content folder but parses again only the bulletin
 * folders whose files changed (`loadContent(dir, { cache })`). What it returns must be what a
 * load without the cache returns, whatever changed in between.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadContent, type ParseCache } from '../src/lib/load-content.ts';
import { editFile } from './helpers/edit-file.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'kb-cache-'));
  cpSync(path.join(ROOT, 'content'), dir, { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const edit = (relative: string, from: RegExp, to: string) => editFile(path.join(dir, relative), from, to);

/** A load with the cache must equal a fresh load of the same files. */
async function loadBoth(cache: ParseCache) {
  const cached = await loadContent(dir, { cwd: dir, cache });
  const fresh = await loadContent(dir, { cwd: dir });
  expect(cached.bulletins).toEqual(fresh.bulletins);
  expect(cached.diagnostics).toEqual(fresh.diagnostics);
  return cached;
}

describe('loadContent with a parse cache', () => {
  it('parses again only the folder whose file changed, and returns what a fresh load returns', async () => {
    const cache: ParseCache = new Map();
    const first = await loadBoth(cache);
    expect([...cache.keys()].sort()).toEqual(['ms03-026', 'ms03-039', 'ms03-046', 'ms04-013']);

    edit('bulletins/ms03-046/ja.md', /^title: .*$/m, 'title: 編集した見出し');
    const second = await loadBoth(cache);
    const byId = (loaded: typeof first, id: string) => loaded.bulletins.find((b) => b.id === id)!;
    expect(byId(second, 'MS03-046').text.ja!.title).toBe('編集した見出し');
    expect(byId(second, 'MS03-046')).not.toBe(byId(first, 'MS03-046'));
    // The other folders' results are the same objects: they were not parsed again.
    expect(byId(second, 'MS03-039')).toBe(byId(first, 'MS03-039'));
    expect(byId(second, 'MS04-013')).toBe(byId(first, 'MS04-013'));
  });

  it('reports an error a save introduces, and forgets it once the file is fixed', async () => {
    const cache: ParseCache = new Map();
    await loadBoth(cache);
    edit('bulletins/ms03-046/bulletin.yaml', /^severity: critical$/m, 'severity: severe');
    const broken = await loadBoth(cache);
    expect(broken.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['SCHEMA_VALUE']);
    edit('bulletins/ms03-046/bulletin.yaml', /^severity: severe$/m, 'severity: critical');
    const fixed = await loadBoth(cache);
    expect(fixed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('drops a deleted folder from the result and the cache, and runs the cross-document checks on what is left', async () => {
    const cache: ParseCache = new Map();
    await loadBoth(cache);
    // MS03-039 supersedes MS03-026, which names it back: deleting one breaks the other's link.
    rmSync(path.join(dir, 'bulletins', 'ms03-039'), { recursive: true });
    const after = await loadBoth(cache);
    expect(after.bulletins.map((b) => b.id)).toEqual(['MS03-026', 'MS03-046', 'MS04-013']);
    expect([...cache.keys()].sort()).toEqual(['ms03-026', 'ms03-046', 'ms04-013']);
    expect(after.diagnostics.filter((d) => d.message.includes('MS03-039')).map((d) => `${d.file} ${d.code}`)).toEqual(['bulletins/ms03-026/bulletin.yaml UNRESOLVED_REFERENCE']);
  });
});
