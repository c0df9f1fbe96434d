/**
 * Same content in, byte-identical site out. Two clean builds of the same bulletins (the
 * committed content plus the hostile fixture, whose odd characters stress sorting and
 * escaping) must give the same files with the same bytes, even though the two copies of the
 * content live in differently named folders with different file times, and the two builds
 * write to differently named output folders at different moments.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashTree } from './helpers/site-files.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

/** Sets every file and folder time below `dir` to `when`. */
function touchTree(dir: string, when: Date): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) touchTree(full, when);
    utimesSync(full, when, when);
  }
}

function build(contentDir: string, out: string): void {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'build.mjs'), '--out', out], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, KB_CONTENT_DIR: contentDir },
  });
  if (result.status !== 0) throw new Error(`build of ${contentDir} failed:\n${result.stdout}\n${result.stderr}`);
}

/** For a differing text file, the first line where the two builds disagree. */
function firstDifference(a: string, b: string): string {
  const left = readFileSync(a);
  const right = readFileSync(b);
  if (left.includes(0) || right.includes(0)) return `binary, ${left.length} vs ${right.length} bytes`;
  const la = left.toString('utf8').split('\n');
  const lb = right.toString('utf8').split('\n');
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) return `line ${i + 1}:\n  - ${(la[i] ?? '<end>').slice(0, 300)}\n  + ${(lb[i] ?? '<end>').slice(0, 300)}`;
  }
  return 'same text, different bytes';
}

let scratch: string;
let first: string;
let second: string;

beforeAll(() => {
  mkdirSync(path.join(ROOT, '.kb-test'), { recursive: true });
  scratch = mkdtempSync(path.join(ROOT, '.kb-test', 'reproducible-'));
  // Two copies of one content snapshot, in folders of different names, with different file times.
  const a = path.join(scratch, 'a', 'content');
  cpSync(path.join(ROOT, 'content'), a, { recursive: true });
  cpSync(path.join(ROOT, 'tests', 'fixtures', 'hostile', 'bulletins'), path.join(a, 'bulletins'), { recursive: true });
  const b = path.join(scratch, 'b', 'kb-content');
  cpSync(a, b, { recursive: true });
  touchTree(a, new Date('2030-06-15T12:34:56Z'));
  touchTree(b, new Date('2001-01-01T00:00:00Z'));
  first = path.join(scratch, 'out-one', 'dist');
  second = path.join(scratch, 'out-two', 'site');
  build(a, first);
  build(b, second);
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('reproducible builds', () => {
  it('builds the content and the hostile fixture into a full site', () => {
    const files = Object.keys(hashTree(first));
    for (const expected of ['en/bulletins/ms03-046/index.html', 'ja/bulletins/hx99-001/index.html', 'api/v1/bulletins.json', 'exports/files.csv', 'downloads/verify/hx99-001.ps1', 'en/atom.xml']) {
      expect(files).toContain(expected);
    }
    expect(files.some((f) => f.startsWith('pagefind/'))).toBe(true);
  });

  it('gives byte-identical files from two clean builds of the same content', () => {
    const one = hashTree(first);
    const two = hashTree(second);
    const onlyFirst = Object.keys(one).filter((f) => !(f in two));
    const onlySecond = Object.keys(two).filter((f) => !(f in one));
    const differing = Object.keys(one)
      .filter((f) => f in two && one[f] !== two[f])
      .map((f) => `${f}: ${firstDifference(path.join(first, f), path.join(second, f))}`);
    expect({ onlyFirst, onlySecond, differing }).toEqual({ onlyFirst: [], onlySecond: [], differing: [] });
  });

  it('writes no path of the build machine into the site', () => {
    const leaks: string[] = [];
    for (const dir of [first, second]) {
      for (const file of Object.keys(hashTree(dir))) {
        const text = readFileSync(path.join(dir, file), 'latin1');
        for (const needle of [ROOT, scratch]) if (text.includes(needle)) leaks.push(`${file} contains ${needle}`);
      }
    }
    expect([...new Set(leaks)]).toEqual([]);
  });
});
