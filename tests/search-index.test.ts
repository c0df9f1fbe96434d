import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bulletin } from '../schemas/index.ts';
import { waitedMessage, writeSearchIndex, type SearchIndexReport } from '../src/integrations/pagefind.ts';
import { loadContent } from '../src/lib/load-content.ts';
import { COMMON_TERMS_FILE } from '../src/lib/segment.ts';

// The index writer on content/ plus a bulletin written in Japanese only: what lands on
// disk, in which language's index, and that it is the same every time.
const ROOT = path.resolve(import.meta.dirname, '..');
let work: string;
let bulletins: Bulletin[];
let report: SearchIndexReport;

/** Every file under `dir`, relative, sorted. */
function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

/** A Pagefind fragment's JSON (gzip, then the `pagefind_dcd` signature). */
function fragment(file: string): { url: string; content: string; meta: Record<string, string> } {
  const bytes = gunzipSync(readFileSync(file));
  expect(bytes.subarray(0, 12).toString()).toBe('pagefind_dcd');
  return JSON.parse(bytes.subarray(12).toString('utf8'));
}

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'kb-search-index-'));
  ({ bulletins } = await loadContent(path.join(ROOT, 'content')));
  const source = bulletins.find((b) => b.id === 'MS03-046')!;
  // A bulletin nobody has translated yet: its English page is a fallback.
  const jaOnly: Bulletin = { ...source, id: 'MS99-999', kb: [999999], cves: [], text: { ja: { ...source.text.ja!, id: 'MS99-999', title: '翻訳のない試験用のセキュリティ情報' } } };
  bulletins = [...bulletins, jaOnly];
  // Two cores, the index built alone (as `astro build` does): the bundles build side by side.
  report = await writeSearchIndex(bulletins, path.join(work, 'a'), { cores: 2 });
}, 120_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('writeSearchIndex', () => {
  it('keeps a bulletin without English text out of the English index', () => {
    const en = report.languages.find((l) => l.lang === 'en')!;
    const ja = report.languages.find((l) => l.lang === 'ja')!;
    expect(ja.records).toBe(bulletins.length);
    expect(en.records).toBe(bulletins.length - 1);
    const urls = (lang: string) => files(path.join(work, 'a', 'pagefind', lang, 'fragment')).map((f) => fragment(path.join(work, 'a', 'pagefind', lang, 'fragment', f)).url);
    expect(urls('ja')).toContain('ja/bulletins/ms99-999/');
    expect(urls('en')).not.toContain('en/bulletins/ms99-999/');
    expect(urls('en').every((u) => u.startsWith('en/bulletins/'))).toBe(true);
  });

  it('stores readable content: weight markers are read by Pagefind, not kept', () => {
    const dir = path.join(work, 'a', 'pagefind', 'ja', 'fragment');
    const stored = files(dir).map((f) => fragment(path.join(dir, f)));
    const ms03046 = stored.find((f) => f.url === 'ja/bulletins/ms03-046/')!;
    expect(ms03046.content).toMatch(/^Exchange Server は 、 RFC 2821/);
    expect(ms03046.meta.id).toBe('MS03-046');
    for (const f of stored) expect(f.content).not.toContain('___PAGEFIND');
  });

  it('writes only what the search page loads: no Pagefind UI, no web worker, one WebAssembly per language', () => {
    const written = files(path.join(work, 'a', 'pagefind'));
    const outside = written.filter((f) => !/^(ja|en)\/(pagefind\.js|pagefind-entry\.json|wasm\.(unknown|en)\.pagefind|pagefind\.\w+\.pf_meta|(index|fragment|filter)\/\w+\.pf_\w+)$|^(ja|en)\/common-terms\.json$|^lookup\/(id|kb|cve)-[\w]+\.json$/.test(f));
    expect(outside).toEqual([]);
    expect(written).toContain('ja/wasm.unknown.pagefind');
    expect(written).toContain('en/wasm.en.pagefind');
    expect(written.some((f) => /ui|worker|highlight|playground/.test(f))).toBe(false);
    expect(readFileSync(path.join(work, 'a', 'pagefind', 'ja', 'pagefind.js'), 'utf8')).toMatch(/export\s*\{[^}]*createInstance/);
  });

  it('writes the common-term list and the id, KB and CVE lookup', () => {
    expect(JSON.parse(readFileSync(path.join(work, 'a', 'pagefind', 'ja', COMMON_TERMS_FILE), 'utf8'))).toEqual([]);
    expect(JSON.parse(readFileSync(path.join(work, 'a', 'pagefind', 'lookup', 'kb-999.json'), 'utf8'))).toEqual({ '999999': ['MS99-999'] });
    expect(JSON.parse(readFileSync(path.join(work, 'a', 'pagefind', 'lookup', 'id-ms03.json'), 'utf8'))['MS03-046']).toEqual(['MS03-046']);
  });

  it('builds the bundles side by side when memory allows, one after the other when it does not, with the same bytes', async () => {
    // content/ needs about 70 MiB per bundle: any machine running the tests has that.
    expect(report.waited).toEqual([]);
    expect(report.pagefindProcesses).toBe(2);
    const short = await writeSearchIndex(bulletins, path.join(work, 'c'), { cores: 2, availableMemory: () => 100 * 2 ** 20 });
    expect(short.pagefindProcesses).toBe(1);
    expect(short.waited).toHaveLength(1);
    const [waited] = short.waited;
    expect(waited!.lang).toBe('en');
    expect(waited!.availableBytes).toBe(100 * 2 ** 20);
    expect(waited!.neededBytes).toBeGreaterThan(100 * 2 ** 20);
    expect(waitedMessage(waited!)).toBe(`the en search bundle was built after the others, not beside them: 0.1 GiB of memory available, about ${(waited!.neededBytes / 2 ** 30).toFixed(1)} GiB needed to build them at once`);
    const a = files(path.join(work, 'a', 'pagefind'));
    expect(files(path.join(work, 'c', 'pagefind'))).toEqual(a);
    for (const f of a) expect(readFileSync(path.join(work, 'c', 'pagefind', f)).equals(readFileSync(path.join(work, 'a', 'pagefind', f))), f).toBe(true);
  });

  it('builds the bundles one after the other in one Pagefind process when Astro takes a core of two, without a memory notice', async () => {
    let asked = 0;
    const beside = await writeSearchIndex(bulletins, path.join(work, 'd'), {
      cores: 2,
      besideAstro: true,
      availableMemory: () => {
        asked++;
        return 2 ** 40;
      },
    });
    expect(beside.pagefindProcesses).toBe(1);
    expect(beside.waited).toEqual([]);
    expect(asked).toBe(0);
    const a = files(path.join(work, 'a', 'pagefind'));
    expect(files(path.join(work, 'd', 'pagefind'))).toEqual(a);
    for (const f of a) expect(readFileSync(path.join(work, 'd', 'pagefind', f)).equals(readFileSync(path.join(work, 'a', 'pagefind', f))), f).toBe(true);
    // With a third core free, the second bundle gets its own process beside Astro.
    const more = await writeSearchIndex(bulletins, path.join(work, 'e'), { cores: 3, besideAstro: true });
    expect(more.pagefindProcesses).toBe(2);
  });

  it('is byte-for-byte the same when run again on the same content', async () => {
    await writeSearchIndex([...bulletins].reverse(), path.join(work, 'b'));
    const a = files(path.join(work, 'a', 'pagefind'));
    expect(files(path.join(work, 'b', 'pagefind'))).toEqual(a);
    for (const f of a) expect(readFileSync(path.join(work, 'b', 'pagefind', f)).equals(readFileSync(path.join(work, 'a', 'pagefind', f))), f).toBe(true);
  });
});
