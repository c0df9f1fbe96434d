/**
 * The bad-input corpus (tests/bad-input/<case>/): content that people and importers get
 * wrong, each with the diagnostic it must produce. Every case goes through the real
 * `kb check`; a handful also through `npm run build`, which must fail with the same
 * diagnostic and write nothing. No case may crash the checker (exit 2, internal error).
 *
 * A case folder is a content folder plus `expected.json`:
 * `{ description, code, file, line, column?, field?, severity?, also?, generate? }`.
 * `code: null` means the input is fine (BOM, CRLF, old CAN- ids). `generate` grows a file
 * at test time for inputs too big to commit: `append` repeated `repeat` times, then
 * comment lines until the file has `padTo` bytes.
 */
import { execFile } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES } from '../src/lib/diagnostics.ts';
import type { Diagnostic } from '../src/lib/diagnostics.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const CORPUS = path.join(ROOT, 'tests', 'bad-input');
const run = promisify(execFile);

interface Expected {
  description: string;
  code: keyof typeof DIAGNOSTIC_CODES | null;
  file?: string;
  line?: number;
  column?: number;
  field?: string;
  severity?: 'error' | 'warning';
  also?: string[];
  generate?: { file: string; append?: string; repeat?: number; padTo?: number };
}

/** One entry of `kb check --format json`: the checker's own diagnostic type. */
type Reported = Diagnostic;

const cases = readdirSync(CORPUS)
  .filter((name) => existsSync(path.join(CORPUS, name, 'expected.json')))
  .sort();
const expectedOf = (name: string) => JSON.parse(readFileSync(path.join(CORPUS, name, 'expected.json'), 'utf8')) as Expected;

const temps: string[] = [];
afterAll(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** The case as a content folder; generated cases are built in a temporary copy. */
function contentFor(name: string): string {
  const source = path.join(CORPUS, name);
  const { generate } = expectedOf(name);
  if (!generate) return source;
  const dir = mkdtempSync(path.join(os.tmpdir(), `kb-bad-${name}-`));
  temps.push(dir);
  cpSync(source, dir, { recursive: true });
  const file = path.join(dir, generate.file);
  if (generate.append) appendFileSync(file, generate.append.repeat(generate.repeat ?? 1));
  const padding = `# padding ${'.'.repeat(60)}\n`.repeat(4096);
  while (generate.padTo !== undefined && statSync(file).size < generate.padTo) appendFileSync(file, padding);
  return dir;
}

async function exec(file: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }) {
  try {
    const { stdout, stderr } = await run(file, args, { ...options, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    return { status: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number | string; stdout?: string; stderr?: string };
    return { status: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('bad-input corpus', () => {
  it('has at least 40 cases, each naming a known code or none', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    for (const name of cases) {
      const expected = expectedOf(name);
      expect(expected.description, name).toBeTruthy();
      if (expected.code !== null) {
        expect(Object.keys(DIAGNOSTIC_CODES), name).toContain(expected.code);
        expect(expected.file && expected.line, name).toBeTruthy();
      }
    }
  });

  it.concurrent.each(cases)('%s: kb check reports it where it is, without crashing', async (name) => {
    const expected = expectedOf(name);
    const result = await exec(process.execPath, [path.join(ROOT, 'bin', 'kb.mjs'), 'check', '--content', '.', '--format', 'json'], { cwd: contentFor(name) });
    expect(result.stderr, expected.description).not.toMatch(/internal error|Error:|at .*\.ts:\d+/);
    expect([0, 1], result.stderr).toContain(result.status);
    const reported = JSON.parse(result.stdout) as Reported[];
    for (const d of reported) {
      expect(d.line, JSON.stringify(d)).toBeGreaterThanOrEqual(1);
      expect(d.column, JSON.stringify(d)).toBeGreaterThanOrEqual(1);
    }
    if (expected.code === null) {
      expect(reported.filter((d) => d.severity === 'error'), expected.description).toEqual([]);
      expect(result.status).toBe(0);
      return;
    }
    const severity = expected.severity ?? 'error';
    const match = reported.find(
      (d) =>
        d.code === expected.code &&
        d.file === expected.file &&
        d.line === expected.line &&
        (expected.column === undefined || d.column === expected.column) &&
        (expected.field === undefined || d.field === expected.field),
    );
    expect(match, `${expected.description}\n${JSON.stringify(reported, null, 2)}`).toBeDefined();
    expect(match!.severity).toBe(severity);
    expect(new Set(reported.map((d) => d.code)), expected.description).toEqual(new Set([expected.code, ...(expected.also ?? [])]));
    expect(result.status).toBe(severity === 'error' ? 1 : 0);
  });
});

// Builds take seconds each; a handful covering YAML, schema, encoding and cross-file
// errors shows the build goes through the same checker.
const BUILD_CASES = ['yaml-tab-indent', 'missing-title', 'shift-jis-file', 'duplicate-ids-across-folders'];

describe('npm run build on bad input', () => {
  it.each(BUILD_CASES)('%s: the build fails with the same diagnostic and writes no site', async (name) => {
    const expected = expectedOf(name);
    const content = contentFor(name);
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'kb-bad-build-')), 'dist');
    temps.push(path.dirname(out));
    const result = await exec(process.execPath, [path.join(ROOT, 'bin', 'build.mjs'), '--out', out], {
      cwd: ROOT,
      env: { ...process.env, KB_CONTENT_DIR: content },
    });
    const output = `${result.stdout}\n${result.stderr}`;
    // The build prints paths relative to the repository, as kb check run from there would.
    const shown = path.relative(ROOT, path.join(content, expected.file!)).split(path.sep).join('/');
    expect(result.status, output).not.toBe(0);
    expect(output).toContain(`${shown}:${expected.line}:${expected.column}: error ${expected.code}`);
    expect(existsSync(out)).toBe(false);
  });
});
