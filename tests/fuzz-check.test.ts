/**
 * Property-based tests of the checker: random and mutated bulletin files (truncated,
 * bytes flipped, YAML syntax and random Unicode inserted) must never make it throw, and
 * every problem must come back as a diagnostic with a position and a known code.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crossCheck } from '../src/lib/cross-check.ts';
import { DIAGNOSTIC_CODES, type Diagnostic } from '../src/lib/diagnostics.ts';
import { loadContent, parseBulletinFolder, type SourceFile } from '../src/lib/load-content.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const CONTENT = path.join(ROOT, 'content', 'bulletins');
const encoder = new TextEncoder();

/** Real files to mutate: every committed bulletin's facts and texts. */
const seeds = readdirSync(CONTENT).map((folder) => ({
  folder,
  facts: readFileSync(path.join(CONTENT, folder, 'bulletin.yaml')),
  ja: readFileSync(path.join(CONTENT, folder, 'ja.md')),
  en: readFileSync(path.join(CONTENT, folder, 'en.md')),
}));

/** Fragments that YAML and frontmatter give meaning to. */
const SYNTAX = ['[', ']', '{', '}', ': ', ':', '- ', ',', '&a ', '*a', '<<: *a\n', '!!binary ', '!tag ', '---\n', '...\n', '"', "'", '\\', '\t', '\n', '\n  ', '\r\n', '#', '|\n', '>-\n', '? ', '%YAML 1.1\n', '\ufeff', '\u0000', '\u202e', 'null', '~', '0x1F', '.inf', '1e999', '2003-02-30'];

type Mutation = (bytes: Uint8Array) => Uint8Array;

const at = (bytes: Uint8Array, ratio: number) => Math.floor(ratio * bytes.length);
const splice = (bytes: Uint8Array, start: number, remove: number, insert: Uint8Array) => {
  const out = new Uint8Array(bytes.length - remove + insert.length);
  out.set(bytes.subarray(0, start));
  out.set(insert, start);
  out.set(bytes.subarray(start + remove), start + insert.length);
  return out;
};

const ratio = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  ratio.map((r) => (b: Uint8Array) => b.subarray(0, at(b, r))),
  fc.tuple(ratio, fc.integer({ min: 0, max: 255 })).map(([r, v]) => (b: Uint8Array) => {
    const out = Uint8Array.from(b);
    if (out.length > 0) out[Math.min(at(b, r), out.length - 1)] = v;
    return out;
  }),
  fc.tuple(ratio, fc.constantFrom(...SYNTAX)).map(([r, s]) => (b: Uint8Array) => splice(b, at(b, r), 0, encoder.encode(s))),
  fc.tuple(ratio, fc.string({ unit: 'binary', maxLength: 12 })).map(([r, s]) => (b: Uint8Array) => splice(b, at(b, r), 0, encoder.encode(s))),
  fc.tuple(ratio, fc.integer({ min: 1, max: 200 })).map(([r, n]) => (b: Uint8Array) => splice(b, at(b, r), Math.min(n, b.length - at(b, r)), new Uint8Array())),
  fc.tuple(ratio, fc.uint8Array({ maxLength: 8 })).map(([r, bytes]) => (b: Uint8Array) => splice(b, at(b, r), 0, bytes)),
);

/** A file: a real one with a few mutations, or bytes from nowhere. */
const fileBytes = (pick: (seed: (typeof seeds)[number]) => Uint8Array) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([seed, ms]) => ms.reduce((b, m) => m(b), pick(seed) as Uint8Array)) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 400 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 400 }).map((s) => encoder.encode(s)) },
  );

const folderInput = fc.record({
  folder: fc.constantFrom(...seeds.map((s) => s.folder), 'ms99-001'),
  facts: fc.option(fileBytes((s) => s.facts), { nil: undefined, freq: 8 }),
  ja: fc.option(fileBytes((s) => s.ja), { nil: undefined, freq: 6 }),
  en: fc.option(fileBytes((s) => s.en), { nil: undefined, freq: 6 }),
});

function filesOf(input: { folder: string; facts?: Uint8Array; ja?: Uint8Array; en?: Uint8Array }): SourceFile[] {
  const files: SourceFile[] = [];
  if (input.facts) files.push({ relative: `bulletins/${input.folder}/bulletin.yaml`, bytes: input.facts });
  if (input.ja) files.push({ relative: `bulletins/${input.folder}/ja.md`, bytes: input.ja });
  if (input.en) files.push({ relative: `bulletins/${input.folder}/en.md`, bytes: input.en });
  return files;
}

/** Every problem is a well-formed diagnostic about one of the files given. */
function expectWellFormed(diagnostics: readonly Diagnostic[], files: readonly string[]) {
  for (const d of diagnostics) {
    const shown = JSON.stringify(d);
    expect(Object.keys(DIAGNOSTIC_CODES), shown).toContain(d.code);
    expect(['error', 'warning'], shown).toContain(d.severity);
    expect(Number.isInteger(d.line) && d.line >= 1, shown).toBe(true);
    expect(Number.isInteger(d.column) && d.column >= 1, shown).toBe(true);
    expect(d.message.length, shown).toBeGreaterThan(0);
    expect(d.field.length, shown).toBeGreaterThan(0);
    expect(files, shown).toContain(d.file);
  }
}

describe('checker on random and mutated input', () => {
  it('never throws; every problem is a diagnostic with a position and a known code', () => {
    fc.assert(
      fc.property(folderInput, (input) => {
        const files = filesOf(input);
        const names = files.map((f) => f.relative);
        const result = parseBulletinFolder(input.folder, files, (relative) => relative);
        expectWellFormed(result.diagnostics, [...names, `bulletins/${input.folder}/bulletin.yaml`]);
        const errors = result.diagnostics.filter((d) => d.severity === 'error');
        // No bulletin without a reason, and no reason without saying so.
        if (!result.bulletin) expect(errors.length).toBeGreaterThan(0);
        if (result.bulletin && result.locators) {
          const cross = crossCheck([result.bulletin], new Map([[result.bulletin.id, result.locators]]), (relative) => relative);
          expectWellFormed(cross, names);
        }
      }),
      { numRuns: 600 },
    );
  });

  it('loads a content folder of mutated bulletins from disk without throwing', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kb-fuzz-'));
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(folderInput, { minLength: 1, maxLength: 4 }), async (inputs) => {
          rmSync(path.join(dir, 'bulletins'), { recursive: true, force: true });
          const written: string[] = [];
          inputs.forEach((input, i) => {
            const folder = `${input.folder}-${i}`;
            for (const file of filesOf({ ...input, folder })) {
              mkdirSync(path.join(dir, path.dirname(file.relative)), { recursive: true });
              writeFileSync(path.join(dir, file.relative), file.bytes);
              written.push(file.relative);
            }
            if (filesOf(input).length === 0) mkdirSync(path.join(dir, 'bulletins', folder), { recursive: true });
          });
          const loaded = await loadContent(dir, { cwd: dir });
          expectWellFormed(loaded.diagnostics, [...written, ...inputs.map((input, i) => `bulletins/${input.folder}-${i}/bulletin.yaml`), 'bulletins']);
          // Folders carry an index suffix, so no id can match its folder: never a clean load.
          expect(loaded.diagnostics.some((d) => d.severity === 'error')).toBe(true);
        }),
        { numRuns: 60 },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
