/**
 * The fast YAML pass is a performance change: it must read every file exactly as the full
 * parser does, or hand the file over. Checked on every fixture and bulletin in the repo,
 * on generated benchmark bulletins and on random scalars.
 */
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { generateBulletins } from '../bench/generate.ts';
import * as fastYamlModule from '../src/lib/fast-yaml.ts';
import { parseYaml } from '../src/lib/parse-source.ts';

const { fastYaml, readBlockYaml } = fastYamlModule;
const ROOT = path.resolve(import.meta.dirname, '..');

/** What the full parser makes of `text`: its data, or undefined when it reports a problem. */
function fullParse(text: string): { data: unknown } | undefined {
  const doc = parseDocument(text, { uniqueKeys: true, strict: true, version: '1.2', prettyErrors: false });
  if (doc.errors.length > 0) return undefined;
  try {
    return { data: doc.toJS({ maxAliasCount: 50 }) ?? null };
  } catch {
    return undefined;
  }
}

function yamlSources(dir: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !/\.(?:ya?ml|md)$/.test(entry.name)) continue;
    const file = path.join(entry.parentPath, entry.name);
    let text = readFileSync(file, 'utf8').replace(/\r\n?/g, '\n');
    if (file.endsWith('.md')) {
      const match = /^---[ \t]*\n([\s\S]*?)\n?---[ \t]*(?:\n|$)/.exec(text);
      if (!match) continue;
      text = match[1] ?? '';
    }
    out.push([path.relative(ROOT, file), text]);
  }
  return out;
}

describe('fast YAML pass', () => {
  it('exports the fast pass and its first tier only', () => {
    expect(Object.keys(fastYamlModule).sort()).toEqual(['fastYaml', 'readBlockYaml']);
  });

  it('reads every content and fixture file as the full parser does, or leaves it to it', () => {
    const sources = [...yamlSources(path.join(ROOT, 'content')), ...yamlSources(path.join(ROOT, 'tests', 'fixtures'))];
    expect(sources.length).toBeGreaterThan(20);
    let fast = 0;
    for (const [file, text] of sources) {
      const quick = fastYaml(text, 32);
      if (!quick) continue;
      fast++;
      expect(fullParse(text), `${file} is valid for the fast pass only`).toBeDefined();
      expect(quick.data, file).toStrictEqual(fullParse(text)!.data);
    }
    // Valid files are the common case and must take the fast path.
    expect(fast).toBeGreaterThan(sources.length / 2);
  });

  it('reads generated benchmark bulletins as the full parser does', () => {
    for (const bulletin of generateBulletins({ n: 40, seed: 9 })) {
      const facts = bulletin.files['bulletin.yaml'];
      const quick = fastYaml(facts, 32);
      expect(quick, `${bulletin.folder}/bulletin.yaml`).toBeDefined();
      expect(quick!.data).toStrictEqual(fullParse(facts)!.data);
      for (const name of ['ja.md', 'en.md'] as const) {
        const front = /^---\n([\s\S]*?)\n---\n/.exec(bulletin.files[name])![1]!;
        expect(fastYaml(front, 32)!.data).toStrictEqual(fullParse(front)!.data);
      }
    }
  });

  it('resolves plain scalars like the YAML 1.2 core schema: numbers, booleans, nulls and look-alike strings', () => {
    const cases = ['1_000', '0b101', '012', '0o12', '0o8', '1e3', '.5', '+.5', '+1', '-0', '1.', '.inf', '-.Inf', '.NaN', 'yes', 'on', '~', 'null', 'Null', 'nULL', 'True', 'tRUE', '2003-10-15', '0x1F', '-0x1F', '+0o7', '1:20', '6.0.6487.1', '"1.0"', "'it''s'", '""', ''];
    for (const value of cases) {
      const text = `v: ${value}\n`;
      const quick = fastYaml(text, 32);
      const full = fullParse(text);
      if (quick) expect(quick.data, value).toStrictEqual(full?.data);
    }
    expect(fastYaml('v: 0b101\n', 32)!.data).toStrictEqual({ v: '0b101' });
    expect(fastYaml('v: +.5\n', 32)!.data).toStrictEqual({ v: 0.5 });
    expect(fastYaml('v: 0x1F\n', 32)!.data).toStrictEqual({ v: 31 });
    expect(fastYaml('v: 2003-10-15\n', 32)!.data).toStrictEqual({ v: '2003-10-15' });
  });

  it('agrees with the full parser on random plain scalars', () => {
    const chars = fc.constantFrom(...'0123456789+-.eExob_:~ntrufalsNTRUFALSinfINFa'.split(''));
    fc.assert(
      fc.property(fc.array(chars, { minLength: 1, maxLength: 8 }).map((a) => a.join('')), (value) => {
        const text = `v: ${value}\n`;
        const quick = fastYaml(text, 32);
        const full = fullParse(text);
        if (quick) expect(quick.data).toStrictEqual(full?.data);
      }),
      { numRuns: 3000 },
    );
  });

  it('leaves duplicate keys, aliases, tags, tabs, bad syntax and deep nesting to the full parser', () => {
    expect(fastYaml('a: 1\na: 2\n', 32)).toBeUndefined();
    expect(fastYaml('a: &x 1\nb: *x\n', 32)).toBeUndefined();
    expect(fastYaml('a: !!str 1\n', 32)).toBeUndefined();
    expect(fastYaml('a:\n\t- 1\n', 32)).toBeUndefined();
    expect(fastYaml('a: "unclosed\n', 32)).toBeUndefined();
    expect(fastYaml('a: [1, 2\n', 32)).toBeUndefined();
    expect(fastYaml('? [a]\n: 1\n', 32)).toBeUndefined();
    expect(fastYaml('[a, b]: 1\n', 32)).toBeUndefined();
    expect(fastYaml('x:\n  {a: 1}: 2\n', 32)).toBeUndefined();
    expect(fastYaml('a: 1\n---\nb: 2\n', 32)).toBeUndefined();
    expect(fastYaml(`${'- '.repeat(40)}x\n`, 32)).toBeUndefined();
    expect(fastYaml(`${'- '.repeat(10)}x\n`, 32)).toBeDefined();
  });

  it('leaves keys longer than YAML allows (1,024 characters) to the full parser, in both tiers', () => {
    for (const text of [`${'a'.repeat(1025)}: 1\n`, `- k: 1\n  ${'b'.repeat(1025)}: 2\n`, `a: "\\N"\n${'c'.repeat(1025)}: 1\n`]) {
      expect(fullParse(text)).toBeUndefined();
      expect(fastYaml(text, 32)).toBeUndefined();
    }
    // The escape (\N) is one the line-by-line tier leaves to js-yaml.
    expect(readBlockYaml('a: "\\N"\n', 32)).toBeUndefined();
    expect(fastYaml('a: "\\N"\n', 32)!.data).toStrictEqual({ a: '\u0085' });
    expect(fastYaml(`${'a'.repeat(1024)}: 1\n`, 32)!.data).toStrictEqual({ ['a'.repeat(1024)]: 1 });
  });

  it('places whole-file diagnostics where the full parser does, without parsing again', () => {
    const sources = [...yamlSources(path.join(ROOT, 'content')), ...yamlSources(path.join(ROOT, 'tests', 'fixtures'))];
    sources.push(['comments first', '# a comment\n\n  # another\n  id: MS03-046\n'], ['empty', '# only a comment\n'], ['list', '\n- a\n- b\n']);
    for (const [file, text] of sources) {
      for (const offset of [0, 1]) {
        const full = parseYaml(file, text, offset, true);
        if (full.diagnostics.length > 0) continue;
        expect(parseYaml(file, text, offset).locate.at([]), file).toEqual(full.locate.at([]));
        expect(parseYaml(file, text, offset).locate.at(['id']), file).toEqual(full.locate.at(['id']));
      }
    }
  });

  it('keeps a star or ampersand inside ordinary text on the fast path', () => {
    expect(fastYaml('name: "*.dll"\nnote: R&D files\n', 32)!.data).toStrictEqual({ name: '*.dll', note: 'R&D files' });
  });

  it('takes the line-by-line tier for the project bulletins and generated ones, with the same data', () => {
    const sources = yamlSources(path.join(ROOT, 'content'));
    for (const bulletin of generateBulletins({ n: 40, seed: 11 })) {
      sources.push([`${bulletin.folder}/bulletin.yaml`, bulletin.files['bulletin.yaml']]);
      for (const name of ['ja.md', 'en.md'] as const) sources.push([`${bulletin.folder}/${name}`, /^---\n([\s\S]*?)\n---\n/.exec(bulletin.files[name])![1]!]);
    }
    let block = 0;
    for (const [file, text] of sources) {
      const quick = readBlockYaml(text, 32);
      // What only the full parser reads (anchors, here) is no loss; what js-yaml reads would be.
      if (!quick) {
        expect(fastYaml(text, 32), `${file} left the line-by-line tier`).toBeUndefined();
        continue;
      }
      block++;
      expect(quick.data, file).toStrictEqual(fullParse(text)?.data);
    }
    expect(block).toBeGreaterThan(sources.length - 5);
  });

  it('reads block scalars, flow lists, quotes and comments as the full parser does', () => {
    const cases: Array<[string, unknown]> = [
      ['a: |\n  one\n\n  two\n# after\nb: 1\n', { a: 'one\n\ntwo\n', b: 1 }],
      ['a: |-\n  one\n   # kept\n\n\nb: x\n', { a: 'one\n # kept', b: 'x' }],
      ['a: |\nb: 1\n', { a: '', b: 1 }],
      ['- |\n  x\n- y\n', ['x\n', 'y']],
      ['a: [829436, CVE-2003-0714]  # two\nb: []\n', { a: [829436, 'CVE-2003-0714'], b: [] }],
      ['- { ja: 展開ビュー (x:y), en: Deployment view }\n- {}\n', [{ ja: '展開ビュー (x:y)', en: 'Deployment view' }, {}]],
      ['a: "x \\"q\\" \\u00e9\\\\" # c\nb: \'it\'\'s\'\n', { a: 'x "q" é\\', b: "it's" }],
      ['a: text with #hash and a: colon\n', { a: 'text with' }],
      ['a: x: y\n', undefined],
      ['a: text # comment\nb: 　全角\u3000\n', { a: 'text', b: '　全角\u3000' }],
      ['- a: 1\n  b:\n    - x\n- c\n', [{ a: 1, b: ['x'] }, 'c']],
      ['a:\n- 1\n', { a: [1] }],
    ];
    for (const [text, expected] of cases) {
      expect(fullParse(text)?.data, text).toStrictEqual(expected);
      const quick = readBlockYaml(text, 32);
      if (quick) expect(quick.data, text).toStrictEqual(expected);
    }
    // The common shapes must not fall through to the slower tiers.
    for (const [text, expected] of cases.slice(0, 7)) expect(readBlockYaml(text, 32)?.data, text).toStrictEqual(expected);
  });

  it('never reads random near-YAML differently from the full parser', () => {
    // Mostly ordinary text, so that most documents are valid and take the tier; some of it
    // with every character that means something to YAML.
    const word = fc.oneof(
      { arbitrary: fc.stringMatching(/^[a-zA-Z0-9 ._\-()/:\u3000\u00e9あ]{1,10}$/), weight: 6 },
      { arbitrary: fc.stringMatching(/^[a-zA-Z0-9 _\-:#'"\\[\]{},.!&*|>%@`?~\u3000\u00e9あ]{0,8}$/), weight: 1 },
    );
    const key = fc.oneof({ arbitrary: fc.constantFrom('id', 'a', 'b', 'ja', 'en', 'x-y', 'file_name'), weight: 8 }, { arbitrary: fc.oneof(fc.constantFrom('null', 'true', '__proto__', '1a'), word), weight: 1 });
    const scalarText = fc.oneof(word, word.map((w) => `"${w}"`), word.map((w) => `'${w}'`), fc.array(word, { maxLength: 3 }).map((ws) => `[${ws.join(', ')}]`), fc.array(fc.tuple(key, word), { maxLength: 3 }).map((ps) => `{ ${ps.map(([k, v]) => `${k}: ${v}`).join(', ')} }`), fc.constantFrom('|', '|-', '|+', '>', '', '1.0', '0x1F', '~', '2003-10-15'));
    type Tree = { kind: 'map'; entries: Array<[string, Tree]> } | { kind: 'seq'; items: Tree[] } | { kind: 'scalar'; text: string; block: string[] };
    const tree: fc.Arbitrary<Tree> = fc.letrec<{ tree: Tree }>((tie) => ({
      tree: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.record({ kind: fc.constant('scalar' as const), text: scalarText, block: fc.array(fc.oneof(word, fc.constantFrom('', '  ', '# c')), { maxLength: 3 }) }),
        fc.record({ kind: fc.constant('map' as const), entries: fc.array(fc.tuple(key, tie('tree')), { minLength: 1, maxLength: 3 }) }),
        fc.record({ kind: fc.constant('seq' as const), items: fc.array(tie('tree'), { minLength: 1, maxLength: 3 }) }),
      ),
    })).tree;
    const write = (node: Tree, indent: number, lines: string[], lead: string): void => {
      const pad = ' '.repeat(indent);
      if (node.kind === 'scalar') {
        lines.push(`${lead} ${node.text}`.trim() === node.text.trim() ? node.text : `${lead} ${node.text}`.trimEnd());
        // Lines of a block scalar (and, now and then, lines that continue a one-line scalar).
        if (/^[|>]/.test(node.text) || node.block.length === 3) for (const line of node.block) lines.push(line ? `${pad}  ${line}` : line);
        return;
      }
      if (lead) lines.push(lead);
      if (node.kind === 'map') for (const [k, v] of node.entries) write(v, indent + 2, lines, `${pad}${k}:`);
      else for (const item of node.items) write(item, indent + 2, lines, `${pad}-`);
    };
    fc.assert(
      fc.property(tree, fc.array(fc.tuple(fc.nat(), fc.constantFrom(' ', '  ', '#', '- ', '\t', '\r', ': ', '"', '\n', '|', '{', ',', "'")), { maxLength: 1 }), (root, edits) => {
        const lines: string[] = [];
        write(root, 0, lines, '');
        let text = `${lines.join('\n')}\n`;
        for (const [at, insert] of edits) {
          const i = at % (text.length + 1);
          text = text.slice(0, i) + insert + text.slice(i);
        }
        const quick = readBlockYaml(text, 32);
        if (quick) expect(quick.data, JSON.stringify(text)).toStrictEqual(fullParse(text)?.data);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 20000) },
    );
  });
});
