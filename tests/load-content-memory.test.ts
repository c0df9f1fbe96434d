/**
 * A build keeps every parsed bulletin in memory until the last page is written, so what a
 * parsed bulletin keeps alive decides the build's memory. Its facts must not keep the text of
 * the bulletin.yaml they were read from: V8 cuts a string value of 13 or more characters as
 * a view into that text, and before `detachStrings` one file version held the whole file
 * (110 MB of YAML at 5,000 generated bulletins; bench/README.md, round 19).
 */
import { appendFileSync, cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { loadContent } from '../src/lib/load-content.ts';
import { detachStrings } from '../src/lib/parse-source.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;
const heapUsed = () => {
  collect();
  collect();
  return process.memoryUsage().heapUsed;
};

/** The bulletins of `folder` alone, as the content loader keeps them (positions are dropped). */
async function parsedBulletins(folder: string) {
  const { bulletins, diagnostics } = await loadContent(folder, { cwd: folder });
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return bulletins;
}

describe('parsed bulletins and the files they came from', () => {
  it('keeps no bulletin.yaml text alive once the facts are parsed', async () => {
    // A comment block of 326,000 Japanese characters per facts file (0.65 MB in V8, two
    // bytes per character; 0.98 MB of UTF-8, under the 1 MiB a file may have).
    const padding = `# ${'保持されないはずの注記です。'.repeat(40)}\n`.repeat(580);
    const dir = mkdtempSync(path.join(tmpdir(), 'kb-memory-'));
    try {
      cpSync(path.join(ROOT, 'content'), dir, { recursive: true });
      const folders = readdirSync(path.join(dir, 'bulletins'));
      for (const id of folders) appendFileSync(path.join(dir, 'bulletins', id, 'bulletin.yaml'), padding);
      const textBytes = folders.length * padding.length * 2;
      expect(textBytes).toBeGreaterThan(2_500_000);

      // A first load compiles the parser and the schemas; only the second one is measured.
      await loadContent(path.join(ROOT, 'content'), { cwd: ROOT });
      const before = heapUsed();
      const bulletins = await parsedBulletins(dir);
      const retained = heapUsed() - before;
      expect(bulletins).toHaveLength(folders.length);
      // The four parsed bulletins of the project's content take about 0.2 MB.
      expect(retained).toBeLessThan(textBytes / 3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('copies strings without changing the data', () => {
    const source = `version: 5.0.2195.6668\nfile: ${'x'.repeat(40)}\n`;
    const data = { version: source.slice(9, 22), nested: [{ file: source.slice(29, 69), size: 12_345, ok: true, none: null }], short: 'abc' };
    const copy = structuredClone(data);
    expect(detachStrings(data)).toBe(data);
    expect(data).toEqual(copy);
    expect(detachStrings('a long enough string value')).toBe('a long enough string value');
    expect(detachStrings(null)).toBeNull();
  });
});
