/**
 * Two builds of the same content give byte-identical machine-readable output: every file
 * under api/, exports/, .well-known/ and downloads/, and the feeds of both languages.
 * Mirrors and caches rely on it (a changed hash must mean changed content).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LANGS } from '../schemas/index.ts';
import { FEED_PATHS } from '../src/lib/to-feeds.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const work = mkdtempSync(path.join(os.tmpdir(), 'kb-determinism-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function build(out: string): void {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'build.mjs'), '--out', out], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, KB_CONTENT_DIR: 'content' },
  });
  expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
}

/** Site-relative paths of every file below `dir`, sorted. */
function filesBelow(root: string, dir: string): string[] {
  const full = path.join(root, dir);
  return readdirSync(full, { recursive: true, encoding: 'utf8' })
    .filter((name) => statSync(path.join(full, name)).isFile())
    .map((name) => path.posix.join(dir, name.split(path.sep).join('/')))
    .sort();
}

describe('two builds of the same content', () => {
  it('write byte-identical api, exports, csaf, scripts and feeds', () => {
    const a = path.join(work, 'a');
    const b = path.join(work, 'b');
    build(a);
    build(b);
    const feeds = LANGS.flatMap((lang) => [FEED_PATHS.rss(lang), FEED_PATHS.atom(lang), FEED_PATHS.json(lang)]);
    const files = [...['api', 'exports', '.well-known', 'downloads'].flatMap((dir) => filesBelow(a, dir)), ...feeds];
    for (const dir of ['api', 'exports', '.well-known', 'downloads']) expect(filesBelow(b, dir), dir).toEqual(filesBelow(a, dir));
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) {
      expect(readFileSync(path.join(b, file)).equals(readFileSync(path.join(a, file))), file).toBe(true);
    }
  });
});
