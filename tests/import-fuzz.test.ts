import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { bulletinMarkdown, bulletinYaml, importBytes, type ImportOutcome, type ImportSource } from '../src/lib/import/index.ts';
import { parseBulletinFolder } from '../src/lib/load-content.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const SHARED = path.resolve(ROOT, '..', 'shared');
const SAMPLES: Record<ImportSource, Buffer[]> = {
  legacy: [readFileSync(path.join(SHARED, 'seed', 'MS03-046.updateexpert.ja.txt'))],
  msdocs: [
    readFileSync(path.join(SHARED, 'data', 'ms-bulletins-ja', 'ms03-046.md')),
    readFileSync(path.join(ROOT, 'tests', 'fixtures', 'import', 'msdocs', 'ms98-901.md')),
    readFileSync(path.join(ROOT, 'tests', 'fixtures', 'import', 'msdocs', 'ms98-900.md')),
  ],
};
const RUNS = 150;

/**
 * The contract under fuzzing: never throw, never an internal error; either a failure with
 * a reason, or a bulletin whose serialised files parse (the CLI then runs the schema on
 * them and reports a per-file error if they do not validate).
 */
function expectWellBehaved(kind: ImportSource, bytes: Uint8Array): ImportOutcome {
  let outcome: ImportOutcome;
  expect(() => {
    outcome = importBytes(kind, bytes, 'fuzz.txt');
  }).not.toThrow();
  const { report, bulletin } = outcome!;
  expect(report.error ?? '').not.toMatch(/internal error/);
  if (bulletin) {
    expect(report.status).toBe('imported');
    const yaml = bulletinYaml(bulletin.facts, { sources: [kind], from: ['fuzz.txt'] });
    const md = bulletinMarkdown(bulletin.ja.frontmatter, bulletin.ja.body, { sources: [kind] });
    const folder = bulletin.id.toLowerCase();
    expect(() =>
      parseBulletinFolder(
        folder,
        [
          { relative: `bulletins/${folder}/bulletin.yaml`, bytes: Buffer.from(yaml) },
          { relative: `bulletins/${folder}/ja.md`, bytes: Buffer.from(md) },
        ],
        (p) => p,
      ),
    ).not.toThrow();
  } else {
    expect(report.status).toBe('failed');
    expect(report.error).toMatch(/\S/);
  }
  return outcome!;
}

for (const kind of ['legacy', 'msdocs'] as const) {
  describe(`${kind} importer under fuzzing`, () => {
    const sample = fc.constantFrom(...SAMPLES[kind]);

    it('never crashes on truncated input', () => {
      fc.assert(
        fc.property(sample, fc.double({ min: 0, max: 1, noNaN: true }), (bytes, cut) => {
          expectWellBehaved(kind, bytes.subarray(0, Math.floor(bytes.length * cut)));
        }),
        { numRuns: RUNS },
      );
    });

    it('never crashes on mutated bytes', () => {
      fc.assert(
        fc.property(sample, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 40 }), (bytes, edits) => {
          const copy = Buffer.from(bytes);
          for (const [at, value] of edits) copy[at % copy.length] = value;
          expectWellBehaved(kind, copy);
        }),
        { numRuns: RUNS },
      );
    });

    it('never crashes on mutated lines (dropped, duplicated, swapped)', () => {
      fc.assert(
        fc.property(sample, fc.array(fc.tuple(fc.constantFrom('drop', 'dup', 'swap'), fc.nat(), fc.nat()), { minLength: 1, maxLength: 20 }), (bytes, ops) => {
          const lines = bytes.toString('utf8').split('\n');
          for (const [op, a, b] of ops) {
            const i = a % lines.length;
            const j = b % lines.length;
            if (op === 'drop') lines.splice(i, 1);
            else if (op === 'dup') lines.splice(i, 0, lines[i]!);
            else [lines[i], lines[j]] = [lines[j]!, lines[i]!];
            if (lines.length === 0) lines.push('');
          }
          expectWellBehaved(kind, Buffer.from(lines.join('\n')));
        }),
        { numRuns: RUNS },
      );
    });

    it('never crashes on text in the wrong encoding', () => {
      fc.assert(
        fc.property(sample, fc.constantFrom('utf16le', 'utf16be', 'latin1', 'cp932', 'euc-jp', 'gbk', 'big5', 'koi8-r'), (bytes, encoding) => {
          // The UTF-8 bytes read as another encoding, re-encoded: classic mojibake.
          expectWellBehaved(kind, iconv.encode(iconv.decode(bytes, 'latin1'), encoding));
          expectWellBehaved(kind, iconv.encode(bytes.toString('utf8'), encoding));
        }),
        { numRuns: 40 },
      );
    });

    it('never crashes on binary or arbitrary text', () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 4096 }), (bytes) => {
          expectWellBehaved(kind, bytes);
        }),
        { numRuns: RUNS },
      );
      fc.assert(
        fc.property(fc.string({ unit: 'grapheme', maxLength: 2000 }), (text) => {
          expectWellBehaved(kind, Buffer.from(text));
        }),
        { numRuns: RUNS },
      );
    });
  });
}
