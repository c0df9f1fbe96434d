import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ASTRO_CLI, writeFloorProject } from '../bench/astro-floor.ts';
import { measureFileSystemFloor } from '../bench/fs-floor.ts';
import { watchTree } from '../bench/proc-tree.ts';
import { parseOptions } from '../bench/run.ts';
import { measureSearchFloor } from '../bench/search-floor.ts';
import { measureSite } from '../bench/site-stats.ts';

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

describe('npm run bench options', () => {
  it('builds 1,000 and 5,000 generated bulletins by default, without the real archive', () => {
    expect(parseOptions([])).toMatchObject({ counts: [1000, 5000], real: false, seed: 1, profile: false, floors: false, keep: false });
  });

  it('takes counts as a comma list, with or without "=", and "0" for none', () => {
    expect(parseOptions(['--n', '10,20']).counts).toEqual([10, 20]);
    expect(parseOptions(['--n=300']).counts).toEqual([300]);
    expect(parseOptions(['--n', '0', '--real']).counts).toEqual([]);
    expect(parseOptions(['--real', '--out', 'r.json', '--seed', '3', '--prose-scale', '1', '--profile', '--floors', '--keep'])).toMatchObject({
      real: true,
      floors: true,
      out: 'r.json',
      seed: 3,
      proseScale: 1,
      profile: true,
      keep: true,
    });
  });

  it('rejects bad counts, scales and unknown options with a message that says what to write', () => {
    expect(() => parseOptions(['--n', '1000,abc'])).toThrow(/whole numbers above 0 separated by commas/);
    expect(() => parseOptions(['--n', '-5'])).toThrow(/whole numbers above 0/);
    expect(() => parseOptions(['--prose-scale', '0'])).toThrow(/above 0 and at most 10/);
    expect(() => parseOptions(['--out'])).toThrow(/--out needs a value/);
    expect(() => parseOptions(['--fast'])).toThrow(/unknown option --fast/);
  });
});

describe('site measurements', () => {
  it('counts bytes and files per folder, finds the Pagefind bundles and weighs bulletin pages', () => {
    const site = mkdtempSync(path.join(os.tmpdir(), 'kb-bench-site-'));
    temps.push(site);
    const write = (rel: string, content: string) => {
      mkdirSync(path.dirname(path.join(site, rel)), { recursive: true });
      writeFileSync(path.join(site, rel), content);
    };
    write('index.html', '<!doctype html><p>root</p>');
    write('ja/bulletins/ms03-046/index.html', `<!doctype html>${'<p>脆弱性</p>'.repeat(200)}`);
    write('en/bulletins/ms03-046/index.html', `<!doctype html>${'<p>vulnerability</p>'.repeat(50)}`);
    write('en/bulletins/index.html', '<!doctype html><ul></ul>');
    write('pagefind/ja/pagefind-entry.json', JSON.stringify({ version: '1.6.0', languages: { jpn: { hash: 'x', wasm: null, page_count: 1 } } }));
    write('pagefind/ja/index/jpn_x.pf_index', 'abcd');
    write('pagefind/en/pagefind-entry.json', JSON.stringify({ version: '1.6.0', languages: { en: { hash: 'y', wasm: 'en', page_count: 1 } } }));
    write('pagefind/lookup/kb.json', '{}');
    const stats = measureSite(site);
    expect(stats.files).toBe(8);
    expect(stats.byTopLevel.ja).toEqual({ bytes: Buffer.byteLength(`<!doctype html>${'<p>脆弱性</p>'.repeat(200)}`), files: 1 });
    expect(stats.byTopLevel['(root files)']!.files).toBe(1);
    expect(stats.search?.folder).toBe('pagefind');
    expect(stats.search?.files).toBe(4);
    expect(stats.search?.bundles.map((b) => [b.folder, b.pages])).toEqual([
      ['pagefind/en', { en: 1 }],
      ['pagefind/ja', { jpn: 1 }],
    ]);
    // Two bulletin pages; the list page is not one.
    expect(stats.bulletinPages?.count).toBe(2);
    expect(stats.bulletinPages?.maxGzipPath).toBe('ja/bulletins/ms03-046/index.html');
    expect(stats.bulletinPages!.maxGzipBytes).toBeLessThan(stats.bulletinPages!.maxBytes);
    expect(stats.heaviestPages[0]!.path).toBe('ja/bulletins/ms03-046/index.html');
  });
});

describe('process tree watcher', () => {
  it('reports the peak memory and command of a child process', async () => {
    // The child holds 80 MB for a moment, then exits.
    const child = spawn(process.execPath, ['-e', 'const b = Buffer.alloc(80e6, 1); setTimeout(() => console.log(b[0]), 600)'], { stdio: 'ignore' });
    const watcher = watchTree(child.pid!, 50);
    await new Promise((resolve) => child.on('close', resolve));
    const stats = watcher.stop();
    expect(stats.supported).toBe(true);
    const watched = stats.processes.find((p) => p.pid === child.pid);
    expect(watched?.command).toContain('-e');
    expect(watched!.peakRssBytes).toBeGreaterThan(80e6);
    expect(stats.peakProcessRssBytes).toBeGreaterThanOrEqual(watched!.peakRssBytes);
  });
});

describe('the file-system floor of a build (bench/fs-floor.ts)', () => {
  const makeSite = () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'kb-floor-'));
    temps.push(root);
    const site = path.join(root, 'site');
    for (const dir of ['ja/bulletins/ms03-046', 'en/kb/829436', 'pagefind/ja/index', 'empty/folder']) mkdirSync(path.join(site, dir), { recursive: true });
    writeFileSync(path.join(site, 'ja/bulletins/ms03-046/index.html'), '<p>脆弱性</p>'.repeat(300));
    writeFileSync(path.join(site, 'en/kb/829436/index.html'), '<meta http-equiv="refresh">');
    writeFileSync(path.join(site, 'pagefind/ja/index/a.pf_index'), Buffer.alloc(70_000, 7));
    writeFileSync(path.join(site, 'favicon.svg'), '');
    return { root, site };
  };
  const shape = (dir: string) =>
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .map((e) => `${path.relative(dir, path.join(e.parentPath, e.name))} ${e.isDirectory() ? 'folder' : statSync(path.join(e.parentPath, e.name)).size}`)
      .sort();

  it('creates the same folders and files of the same sizes, and counts them', () => {
    const { root, site } = makeSite();
    const scratch = path.join(root, 'floor');
    const floor = measureFileSystemFloor(site, scratch, { keep: true });
    expect(shape(scratch)).toEqual(shape(site));
    expect(floor).toMatchObject({ folders: 11, files: 4, bytes: Buffer.byteLength('<p>脆弱性</p>'.repeat(300)) + 27 + 70_000 });
    expect(floor.wallMs).toBeGreaterThanOrEqual(floor.foldersMs);
    expect(floor.foldersMs + floor.filesMs).toBeLessThanOrEqual(floor.wallMs + 1);
  });

  it('removes what it created, and never measures or removes a folder that is already there', () => {
    const { root, site } = makeSite();
    const scratch = path.join(root, 'floor');
    measureFileSystemFloor(site, scratch);
    expect(existsSync(scratch)).toBe(false);
    mkdirSync(scratch);
    writeFileSync(path.join(scratch, 'keep.txt'), 'mine');
    expect(() => measureFileSystemFloor(site, scratch)).toThrow(/EEXIST/);
    expect(readFileSync(path.join(scratch, 'keep.txt'), 'utf8')).toBe('mine');
  });
});

describe('the floors of a build (npm run bench -- --floors)', () => {
  it('builds the search bundles of the content alone, with the CPU time of each step and of Pagefind', async () => {
    const floor = await measureSearchFloor(path.join(import.meta.dirname, '..', 'content'));
    expect(floor.bulletins).toBe(4);
    expect(floor.languages.map((l) => [l.lang, l.records])).toEqual([
      ['ja', 4],
      ['en', 4],
    ]);
    for (const l of floor.languages) {
      expect(l.contentChars).toBeGreaterThan(1000);
      // Pagefind wrote a bundle: entry, meta, wasm, index and fragment files.
      expect(l.pagefind.files).toBeGreaterThan(8);
      expect(l.pagefind.pagefindCpuMs).toBeGreaterThan(0);
    }
    expect(floor.totalCpuMs).toBe(floor.parse.cpuMs + floor.languages.reduce((n, l) => n + l.build.cpuMs + l.pagefind.cpuMs + l.pagefind.pagefindCpuMs, 0));
  });

  it('refuses content with errors instead of timing a partial index', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kb-floor-bad-'));
    temps.push(dir);
    mkdirSync(path.join(dir, 'bulletins', 'ms99-001'), { recursive: true });
    writeFileSync(path.join(dir, 'bulletins', 'ms99-001', 'bulletin.yaml'), 'id: [\n');
    await expect(measureSearchFloor(dir)).rejects.toThrow(/the content has 1 error \(kb check --content .* lists them\)/);
  });

  it('writes a plain Astro project that builds the pages asked for, half in each language', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'kb-astro-floor-'));
    temps.push(root);
    const project = path.join(root, 'p');
    expect(() => writeFloorProject(project, 0)).toThrow(/page count above 0/);
    writeFloorProject(project, 6);
    expect(() => writeFloorProject(project, 6)).toThrow(/EEXIST/);
    const code = await new Promise((resolve) => spawn(process.execPath, [ASTRO_CLI, 'build', '--root', project], { stdio: 'ignore' }).on('close', resolve));
    expect(code).toBe(0);
    const pages = readdirSync(path.join(project, 'dist'), { recursive: true }).filter((f) => String(f).endsWith('index.html'));
    expect(pages.sort()).toEqual(['en/p/p1/index.html', 'en/p/p3/index.html', 'en/p/p5/index.html', 'ja/p/p0/index.html', 'ja/p/p2/index.html', 'ja/p/p4/index.html']);
    const html = readFileSync(path.join(project, 'dist', 'en', 'p', 'p5', 'index.html'), 'utf8');
    expect(html).toContain('<html lang="en">');
    expect(html.match(/<tr>/g)).toHaveLength(21);
  }, 60_000);
});
