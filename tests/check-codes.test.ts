/**
 * One fixture per diagnostic code (tests/fixtures/check/<CODE>/), run through the real
 * `kb check` command: each must report its code at the expected file, line and column,
 * with the expected exit status, and nothing unrelated.
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
const FIXTURES = path.join(ROOT, 'tests', 'fixtures', 'check');
const KB = path.join(ROOT, 'bin', 'kb.mjs');
const run = promisify(execFile);

interface Expected {
  file: string;
  line: number;
  column: number;
  field: string;
  severity: 'error' | 'warning';
  exit: number;
  /** Other codes the same mistake legitimately causes (a duplicate id is also in the wrong folder). */
  also?: string[];
  /** Grows a file to this many bytes before the run (too big to commit). */
  grow?: { file: string; bytes: number };
}

/** One entry of `kb check --format json`: the checker's own diagnostic type. */
type Reported = Diagnostic;

const temps: string[] = [];
afterAll(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** The fixture as a content folder, grown where the fixture asks for it. */
function contentFor(code: string, expected: Expected): string {
  const source = path.join(FIXTURES, code);
  if (!expected.grow) return source;
  const dir = mkdtempSync(path.join(os.tmpdir(), `kb-${code}-`));
  temps.push(dir);
  cpSync(source, dir, { recursive: true });
  const file = path.join(dir, expected.grow.file);
  const line = `# padding so the file is larger than a bulletin file may be ${'x'.repeat(60)}\n`;
  while (statSync(file).size < expected.grow.bytes) appendFileSync(file, line.repeat(1000));
  return dir;
}

/** Runs `kb check` in `cwd` the way a user would, returning exit status and output. */
async function kbCheck(cwd: string, format: 'json' | 'text'): Promise<{ status: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [KB, 'check', '--content', '.', '--format', format], { cwd, encoding: 'utf8' });
    return { status: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout: string; stderr: string };
    return { status: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout, stderr: e.stderr };
  }
}

const codes = Object.keys(DIAGNOSTIC_CODES).sort();
const fixtures = readdirSync(FIXTURES).filter((name) => existsSync(path.join(FIXTURES, name, 'expected.json'))).sort();
const expectedOf = (code: string) => JSON.parse(readFileSync(path.join(FIXTURES, code, 'expected.json'), 'utf8')) as Expected;

describe('diagnostic code fixtures', () => {
  it('has a fixture for every code kb check can report, and none for unknown codes', () => {
    expect(fixtures).toEqual(codes);
  });

  it.concurrent.each(fixtures)('%s: kb check reports it at the expected file, line and column', async (code) => {
    const expected = expectedOf(code);
    const result = await kbCheck(contentFor(code, expected), 'json');
    expect(result.stderr).not.toMatch(/internal error/);
    const reported = JSON.parse(result.stdout) as Reported[];
    const match = reported.find((d) => d.code === code);
    expect(match, JSON.stringify(reported, null, 2)).toBeDefined();
    expect({ file: match!.file, line: match!.line, column: match!.column, field: match!.field, severity: match!.severity }).toEqual({
      file: expected.file,
      line: expected.line,
      column: expected.column,
      field: expected.field,
      severity: expected.severity,
    });
    expect(match!.message.length).toBeGreaterThan(20);
    expect(new Set(reported.map((d) => d.code))).toEqual(new Set([code, ...(expected.also ?? [])]));
    expect(result.status).toBe(expected.exit);
  });

  it('exits 1 for every error code and 0 for the warning-only codes', () => {
    const warnings = fixtures.filter((code) => expectedOf(code).severity === 'warning');
    expect(warnings).toEqual(['INSECURE_URL', 'STRAY_FILE', 'TRANSLATION_MISSING']);
    for (const code of fixtures) expect(expectedOf(code).exit, code).toBe(expectedOf(code).severity === 'error' ? 1 : 0);
  });
});

describe('messages people read', () => {
  const text = async (code: string) => {
    const result = await kbCheck(contentFor(code, expectedOf(code)), 'text');
    return `${result.stdout.trim()}\n${result.stderr.trim()}`;
  };

  it('suggests the field name for a misspelt field and says the real one is missing', async () => {
    expect(await text('UNKNOWN_FIELD')).toMatchInlineSnapshot(`
      "bulletins/ms99-001/bulletin.yaml:1:1: error SCHEMA_REQUIRED severity: required field "severity" is missing: add it
      bulletins/ms99-001/bulletin.yaml:5:1: error UNKNOWN_FIELD severty: unknown field "severty": did you mean "severity"?
      failed: 0 bulletins checked in ., 2 errors, 0 warnings"
    `);
  });

  it('points an unclosed quote at the quote that opens it', async () => {
    expect(await text('YAML_SYNTAX')).toMatchInlineSnapshot(`
      "bulletins/ms99-001/bulletin.yaml:2:9: error YAML_SYNTAX -: this "quoted" text is never closed: add the closing " at the end of the value
      failed: 0 bulletins checked in ., 1 error, 0 warnings"
    `);
  });

  it('names the impossible date and what to check', async () => {
    expect(await text('SCHEMA_VALUE')).toMatchInlineSnapshot(`
      "bulletins/ms99-001/bulletin.yaml:8:12: error SCHEMA_VALUE published: 1999-02-30 does not exist in the calendar: check the day and month
      failed: 0 bulletins checked in ., 1 error, 0 warnings"
    `);
  });

  it('tells a Shift_JIS file apart from UTF-8 and says how to convert it', async () => {
    expect(await text('FILE_ENCODING')).toMatchInlineSnapshot(`
      "bulletins/ms99-001/ja.md:4:8: error FILE_ENCODING -: byte 33 is not valid UTF-8: save the file as UTF-8 (Shift_JIS or EUC-JP pages go through "kb import legacy", which converts them)
      failed: 1 bulletin checked in ., 1 error, 0 warnings"
    `);
  });

  it('names both folders of a duplicated id', async () => {
    expect(await text('DUPLICATE_ID')).toMatchInlineSnapshot(`
      "bulletins/ms99-001/bulletin.yaml:1:5: error DUPLICATE_ID id: id MS99-001 is also declared in bulletins/ms99-002/bulletin.yaml: each bulletin has one folder
      bulletins/ms99-002/bulletin.yaml:1:5: error DUPLICATE_ID id: id MS99-001 is also declared in bulletins/ms99-001/bulletin.yaml: each bulletin has one folder
      bulletins/ms99-002/bulletin.yaml:1:5: error ID_MISMATCH id: id MS99-001 belongs in folder bulletins/ms99-001/, but the file is in bulletins/ms99-002/: rename the folder or fix the id
      failed: 2 bulletins checked in ., 3 errors, 0 warnings"
    `);
  });
});
