/**
 * The hostile fixture passes `kb check` (its payloads are legal text), and the payloads the
 * model refuses are refused with a diagnostic at the right line: script URLs in URL fields,
 * path and shell characters in file names, line breaks in registry paths, markup in ids
 * and language tags, invisible direction overrides. Each case writes one hostile line into
 * a copy of the fixture and runs `kb check --format json` on it.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../src/lib/diagnostics.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const FIXTURE = path.join(ROOT, 'tests', 'fixtures', 'hostile');
const FACTS = 'bulletins/hx99-001/bulletin.yaml';
const TEXT_EN = 'bulletins/hx99-001/en.md';


function kbCheck(contentDir: string) {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'kb.mjs'), 'check', '--content', contentDir, '--format', 'json'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return { status: result.status, diagnostics: JSON.parse(result.stdout || '[]') as Diagnostic[], stderr: result.stderr };
}

let scratch: string;
let caseNumber = 0;

/** A copy of the fixture with line `line` (1-based) of `file` replaced by `text`. */
function withLine(file: string, line: number, text: string): string {
  const dir = path.join(scratch, `case-${++caseNumber}`);
  cpSync(FIXTURE, dir, { recursive: true });
  const target = path.join(dir, file);
  const lines = readFileSync(target, 'utf8').split('\n');
  lines[line - 1] = text;
  writeFileSync(target, lines.join('\n'));
  return dir;
}

/** 1-based number of the fixture line that starts (after indentation) with `prefix`. */
function lineOf(file: string, prefix: string): number {
  const lines = readFileSync(path.join(FIXTURE, file), 'utf8').split('\n');
  const index = lines.findIndex((line) => line.trimStart().startsWith(prefix));
  if (index < 0) throw new Error(`${file} has no line starting with ${prefix}`);
  return index + 1;
}

beforeAll(() => {
  mkdirSync(path.join(ROOT, '.kb-test'), { recursive: true });
  scratch = mkdtempSync(path.join(ROOT, '.kb-test', 'hostile-content-'));
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('hostile fixture', () => {
  it('passes kb check: its payloads are text the model accepts', () => {
    const { status, diagnostics } = kbCheck(FIXTURE);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(status).toBe(0);
  });
});

/**
 * Rejected payloads: [description, file, line prefix to replace, replacement line, field, code].
 * The replacement keeps the original indentation.
 */
const REJECTED: Array<[string, string, string, string, string, string]> = [
  ['a javascript: download url', FACTS, "url: 'https://evil.example/download?a=1", '    url: javascript:alert(document.domain)', 'packages[0].url', 'SCHEMA_VALUE'],
  ['a mixed-case javascript: url', FACTS, "url: 'https://evil.example/download?a=1", '    url: JaVaScRiPt:alert(1)', 'packages[0].url', 'SCHEMA_VALUE'],
  ['a javascript: url hidden behind a tab and a line break', FACTS, "url: 'https://evil.example/download?a=1", '    url: "\\tjava\\nscript:alert(1)"', 'packages[0].url', 'SCHEMA_VALUE'],
  ['a data: reference url', FACTS, "- url: 'https://evil.example/?q=<script>", '  - url: data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==', 'references[0].url', 'SCHEMA_VALUE'],
  ['a vbscript: source url', FACTS, "url: 'https://evil.example/source?", '    url: vbscript:msgbox(1)', 'sources[0].url', 'SCHEMA_VALUE'],
  ['a javascript: url for another source', FACTS, 'other_url:', '    other_url: javascript:alert(1)', 'discrepancies[0].other_url', 'SCHEMA_VALUE'],
  ['a file: url', FACTS, "url: 'https://evil.example/download?a=1", '    url: file:///C:/Windows/System32/calc.exe', 'packages[0].url', 'SCHEMA_VALUE'],
  ['a protocol-relative url', FACTS, "url: 'https://evil.example/download?a=1", '    url: //evil.example/x', 'packages[0].url', 'SCHEMA_VALUE'],
  ['a file name with a double quote', FACTS, "name: 'x''; Remove-Item", '        name: \'x"; Remove-Item PWNMARK; ".dll\'', 'packages[0].files[0].name', 'SCHEMA_VALUE'],
  ['a file name with a pipe (formula and shell)', FACTS, "name: 'x''; Remove-Item", "        name: '=cmd|'' /C calc''!A0.dll'", 'packages[0].files[0].name', 'SCHEMA_VALUE'],
  ['a file name with markup', FACTS, "name: 'x''; Remove-Item", "        name: '<script>alert(1)</script>.dll'", 'packages[0].files[0].name', 'SCHEMA_VALUE'],
  ['a file name that climbs out of its folder', FACTS, "name: 'x''; Remove-Item", "        name: '..\\..\\Windows\\evil.dll'", 'packages[0].files[0].name', 'SCHEMA_VALUE'],
  ['a file name with a line break', FACTS, "name: 'x''; Remove-Item", '        name: "x.dll\\nRemove-Item PWNMARK"', 'packages[0].files[0].name', 'SCHEMA_VALUE'],
  ['a registry path with a line break', FACTS, "path: 'SOFTWARE\\Evil\\''; Start-Process", '        path: "SOFTWARE\\\\Evil\\nRemove-Item PWNMARK"', 'packages[0].registry_keys[0].path', 'SCHEMA_VALUE'],
  ['a registry path with a leading backslash', FACTS, "path: 'SOFTWARE\\Evil\\''; Start-Process", "        path: '\\SOFTWARE\\Evil'", 'packages[0].registry_keys[0].path', 'SCHEMA_VALUE'],
  ['a registry hive that is not one', FACTS, '- hive: HKLM', "      - hive: 'HKLM:\\; Remove-Item PWNMARK'", 'packages[0].registry_keys[0].hive', 'SCHEMA_VALUE'],
  ['an id with markup', FACTS, 'id: HX99-001', 'id: HX99-001<script>', 'id', 'SCHEMA_VALUE'],
  ['a related id that climbs out of the content folder', FACTS, 'related: [HX99-002]', 'related: [../../etc/passwd]', 'related[0]', 'SCHEMA_VALUE'],
  ['a language tag with markup', FACTS, 'language: en', '    language: en"><script>', 'packages[0].language', 'SCHEMA_VALUE'],
  ['a product key with markup', FACTS, '- id: evil-1.0', '  - id: evil"><img', 'affected[0].id', 'SCHEMA_VALUE'],
];

describe('hostile payloads the model refuses', () => {
  it.each(REJECTED)('rejects %s at its line', (_name, file, prefix, replacement, field, code) => {
    const line = lineOf(file, prefix);
    const dir = withLine(file, line, replacement);
    const { status, diagnostics } = kbCheck(dir);
    // Only the edited file: other bulletins that point at the refused one report that too.
    const errors = diagnostics.filter((d) => d.severity === 'error' && d.file.endsWith(file));
    expect(status).toBe(1);
    expect(errors).toEqual([expect.objectContaining({ line, field, code })]);
    expect(errors[0]!.column).toBeGreaterThan(0);
    expect(errors[0]!.message.length).toBeGreaterThan(20);
  });

  it('rejects an invisible right-to-left override in a title, where it could disguise a file name', () => {
    const line = lineOf(TEXT_EN, 'title:');
    const dir = withLine(TEXT_EN, line, "title: 'Update for exe.\u202Egnp.dll'");
    const { status, diagnostics } = kbCheck(dir);
    expect(status).toBe(1);
    expect(diagnostics.filter((d) => d.file.endsWith(TEXT_EN))).toEqual([
      expect.objectContaining({ line, code: 'CONTROL_CHARACTER', severity: 'error' }),
    ]);
  });

  it('fails the build with the same diagnostic for a javascript: url and writes no site', () => {
    const line = lineOf(FACTS, "url: 'https://evil.example/download?a=1");
    const dir = withLine(FACTS, line, '    url: javascript:alert(document.domain)');
    const out = path.join(scratch, 'never-built');
    const result = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'build.mjs'), '--out', out], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, KB_CONTENT_DIR: dir },
    });
    expect(result.status).toBe(1);
    expect(`${result.stdout}${result.stderr}`).toMatch(new RegExp(`bulletins/hx99-001/bulletin\\.yaml:${line}:\\d+: error SCHEMA_VALUE packages\\[0\\]\\.url: "javascript:alert\\(document\\.domain\\)" is not an http\\(s\\) URL`));
    expect(() => readFileSync(path.join(out, 'index.html'))).toThrow();
  });
});
