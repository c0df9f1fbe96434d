import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { BulletinFacts, BulletinText } from '../schemas/index.ts';
import * as scaffold from '../src/lib/scaffold.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const kb = (cwd: string, ...args: string[]) =>
  spawnSync(process.execPath, [path.join(ROOT, 'bin', 'kb.mjs'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, KB_CONTENT_DIR: undefined } });

const temps: string[] = [];
/** A scratch folder holding `content/bulletins/` and nothing else. */
function scratch(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kb-new-'));
  temps.push(dir);
  spawnSync('mkdir', ['-p', path.join(dir, 'content', 'bulletins')]);
  return dir;
}
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

const factsSchema = JSON.parse(readFileSync(path.join(ROOT, 'schemas', 'bulletin.schema.json'), 'utf8'));
const textSchema = JSON.parse(readFileSync(path.join(ROOT, 'schemas', 'bulletin-text.schema.json'), 'utf8'));
const typeExamples = scaffold.typeExamplesFromSource(readFileSync(path.join(ROOT, 'schemas', 'common.ts'), 'utf8'));
const files = scaffold.scaffoldBulletin({
  id: 'MS99-999',
  published: '2026-01-05',
  sourceLang: 'ja',
  factsSchema,
  textSchema,
  typeExamples,
  schemaRefs: { facts: '../../../schemas/bulletin.schema.json', text: '../../../schemas/bulletin-text.schema.json' },
});

/** Takes the "# " off every commented-out YAML line (not off the explanations). */
function uncomment(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/^(\s*)# (?=\s*(?:- |-$|[a-z_][a-z0-9_]*:(?: |$)))/, '$1'))
    .join('\n');
}

function frontmatter(markdown: string): string {
  return /^---\n([\s\S]*?)\n---\n/.exec(markdown)![1]!;
}

/** Every property path of a JSON Schema's objects (`packages[].files[].size`). */
function schemaPaths(node: any, prefix = ''): string[] {
  if (!node || typeof node !== 'object') return [];
  const out: string[] = [];
  for (const branch of [...(node.anyOf ?? []), ...(node.oneOf ?? [])]) out.push(...schemaPaths(branch, prefix));
  if (node.items) out.push(...schemaPaths(node.items, `${prefix}[]`));
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    if (key === '$schema') continue;
    // Localized text ({ ja, en }) is a value, not a section of the model.
    if (key === 'ja' || key === 'en') continue;
    out.push(`${prefix ? `${prefix}.` : ''}${key}`, ...schemaPaths(child, `${prefix ? `${prefix}.` : ''}${key}`));
  }
  return [...new Set(out)];
}

function dataPaths(value: unknown, prefix = ''): Set<string> {
  const out = new Set<string>();
  if (Array.isArray(value)) for (const item of value) for (const p of dataPaths(item, `${prefix}[]`)) out.add(p);
  else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      const here = `${prefix ? `${prefix}.` : ''}${key}`;
      out.add(here);
      for (const p of dataPaths(child, here)) out.add(p);
    }
  }
  return out;
}

describe('scaffold module', () => {
  it('exports the scaffold (plain and from an import), the example reader, the placeholder finder and the marker', () => {
    expect(Object.keys(scaffold).sort()).toEqual(['TODO', 'placeholderLines', 'scaffoldBulletin', 'scaffoldFromImport', 'typeExamplesFromSource']);
  });

  it('reads @example values of exported consts, parsing JSON and YAML flow forms', () => {
    const source = `
/** A date. @example "2003-10-15" */
export const IsoDate = z.string();
/**
 * Text per language.
 * @example { ja: "展開ビュー", en: "Deployment view" }
 */
export const Localized = z.string();
/** Size. @example 1165928 */
export const ByteSize = z.number();
/** No example here. */
export const Plain = z.string();
const Hidden = 1; /** @example 5 */`;
    expect(scaffold.typeExamplesFromSource(source)).toEqual({
      IsoDate: '2003-10-15',
      Localized: { ja: '展開ビュー', en: 'Deployment view' },
      ByteSize: 1165928,
    });
  });
});

describe('scaffolded files', () => {
  it('parse as a valid bulletin before anything is filled in', () => {
    const facts = BulletinFacts.safeParse(parseYaml(files['bulletin.yaml']));
    expect(facts.success, JSON.stringify(facts.error?.issues)).toBe(true);
    for (const lang of ['ja', 'en'] as const) {
      const text = BulletinText.safeParse(parseYaml(frontmatter(files[`${lang}.md`])));
      expect(text.success, JSON.stringify(text.error?.issues)).toBe(true);
      expect(text.data?.lang).toBe(lang);
    }
  });

  it('mark the source language and point the translation at it', () => {
    expect(parseYaml(frontmatter(files['ja.md'])).translated_from).toBeUndefined();
    expect(parseYaml(frontmatter(files['en.md'])).translated_from).toBe('ja');
  });

  it('contain every field of the model once the optional ones are uncommented', () => {
    const facts = parseYaml(uncomment(files['bulletin.yaml']));
    const present = dataPaths(facts);
    expect(schemaPaths(factsSchema).filter((p) => !present.has(p))).toEqual([]);
    const text = parseYaml(uncomment(frontmatter(files['en.md'])));
    const presentText = dataPaths(text);
    expect(schemaPaths(textSchema).filter((p) => !presentText.has(p))).toEqual([]);
  });

  it('give commented-out examples that have the shape the model expects', () => {
    // Placeholders (TODO in a URL, …) may still fail a value check; names and types may not.
    const facts = BulletinFacts.safeParse(parseYaml(uncomment(files['bulletin.yaml'])));
    const structural = (facts.error?.issues ?? []).filter((issue) => issue.code === 'unrecognized_keys' || issue.code === 'invalid_type');
    expect(structural).toEqual([]);
    const text = BulletinText.safeParse(parseYaml(uncomment(frontmatter(files['en.md']))));
    expect((text.error?.issues ?? []).filter((issue) => issue.code === 'unrecognized_keys' || issue.code === 'invalid_type')).toEqual([]);
  });

  it('explain every field with the description from the generated json schema', () => {
    const missing: string[] = [];
    const visit = (node: any, file: string) => {
      if (!node || typeof node !== 'object') return;
      for (const [key, child] of Object.entries<any>(node.properties ?? {})) {
        // Localized text ({ ja, en }) is a value written inline; its keys need no comment.
        if (key !== '$schema' && key !== 'ja' && key !== 'en' && typeof child.description === 'string') {
          const first = child.description.split('\n')[0].trim();
          if (!file.split('\n').some((line) => /^\s*(?:#\s*)+/.test(line) && line.includes(first))) missing.push(`${key}: ${first}`);
        }
        visit(child, file);
      }
      for (const branch of [...(node.anyOf ?? []), ...(node.oneOf ?? [])]) visit(branch, file);
      visit(node.items, file);
    };
    visit(factsSchema, files['bulletin.yaml']);
    visit(textSchema, files['ja.md']);
    expect(missing).toEqual([]);
  });

  it('list each placeholder with its file, line and field', () => {
    const todo = scaffold.placeholderLines(files);
    expect(todo.map((t) => `${t.file}:${t.text}`)).toEqual([
      'bulletin.yaml:vendor: TODO',
      'bulletin.yaml:severity: critical  # TODO',
      'bulletin.yaml:impact: remote-code-execution  # TODO',
      'bulletin.yaml:urgency: immediate  # TODO',
      'bulletin.yaml:published: 2026-01-05  # TODO',
      'bulletin.yaml:id: todo  # TODO',
      'bulletin.yaml:product: TODO',
      'ja.md:title: TODO',
      'ja.md:summary: TODO',
      'ja.md:action: TODO',
      'en.md:title: TODO',
      'en.md:summary: TODO',
      'en.md:action: TODO',
    ]);
    for (const { file, line, text } of todo) expect(files[file as keyof typeof files].split('\n')[line - 1]).toContain(text.split(': ').pop());
  });
});

describe('kb new', () => {
  it('creates a bulletin that kb check accepts with no errors and no warnings', () => {
    const dir = scratch();
    const created = kb(dir, 'new', 'MS99-999');
    expect(created.stderr).toBe('');
    expect(created.status).toBe(0);
    expect(created.stdout).toContain('content/bulletins/ms99-999/bulletin.yaml');
    expect(created.stdout).toMatch(/replace the 13 placeholders marked TODO:\n {2}content\/bulletins\/ms99-999\/bulletin\.yaml:\d+: vendor: TODO/);
    expect(readdirSync(path.join(dir, 'content', 'bulletins', 'ms99-999')).sort()).toEqual(['bulletin.yaml', 'en.md', 'ja.md']);
    const checked = kb(dir, 'check', '--format', 'json');
    expect(JSON.parse(checked.stdout)).toEqual([]);
    expect(checked.status).toBe(0);
  });

  it('refuses a second kb new of the same id with exit 1 and changes nothing', () => {
    const dir = scratch();
    expect(kb(dir, 'new', 'MS99-999').status).toBe(0);
    const yaml = path.join(dir, 'content', 'bulletins', 'ms99-999', 'bulletin.yaml');
    writeFileSync(yaml, readFileSync(yaml, 'utf8').replace('vendor: TODO', 'vendor: Microsoft'));
    const again = kb(dir, 'new', 'MS99-999');
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('MS99-999 already exists');
    expect(readFileSync(yaml, 'utf8')).toContain('vendor: Microsoft');
    expect(readdirSync(path.join(dir, 'content')).sort()).toEqual(['bulletins']);
  });

  it('refuses a malformed id with exit 2 and shows the expected form', () => {
    const dir = scratch();
    for (const bad of ['MS03_046', '../../etc', 'МS03-046', 'MS03-046-A-B-C', '']) {
      const result = kb(dir, 'new', bad);
      expect(result.status, bad).toBe(2);
      expect(result.stderr, bad).toMatch(/e\.g\. (MS03-046|kb new MS99-999)/);
    }
    expect(readdirSync(path.join(dir, 'content', 'bulletins'))).toEqual([]);
  });

  it('upper-cases a lower-case id and names the folder in lower case', () => {
    const dir = scratch();
    expect(kb(dir, 'new', 'ms99-998').status).toBe(0);
    const yaml = readFileSync(path.join(dir, 'content', 'bulletins', 'ms99-998', 'bulletin.yaml'), 'utf8');
    expect(yaml).toMatch(/^id: MS99-998$/m);
  });

  it('marks ja.md as the translation when the author writes english first', () => {
    const dir = scratch();
    expect(kb(dir, 'new', 'MS99-997', '--lang', 'en').status).toBe(0);
    const folder = path.join(dir, 'content', 'bulletins', 'ms99-997');
    expect(readFileSync(path.join(folder, 'ja.md'), 'utf8')).toMatch(/^translated_from: en$/m);
    expect(readFileSync(path.join(folder, 'en.md'), 'utf8')).not.toMatch(/^translated_from:/m);
  });

  it('writes a yaml-language-server modeline that resolves to the generated schema', () => {
    const dir = scratch();
    expect(kb(dir, 'new', 'MS99-996', '--content', 'content').status).toBe(0);
    const folder = path.join(dir, 'content', 'bulletins', 'ms99-996');
    for (const [file, schema] of [['bulletin.yaml', 'bulletin.schema.json'], ['ja.md', 'bulletin-text.schema.json']] as const) {
      const ref = /# yaml-language-server: \$schema=(\S+)/.exec(readFileSync(path.join(folder, file), 'utf8'))![1]!;
      expect(path.resolve(folder, ref)).toBe(path.join(ROOT, 'schemas', schema));
    }
  });

  it('says so when the content folder does not exist, and creates nothing', () => {
    const dir = scratch();
    const result = kb(dir, 'new', 'MS99-995', '--content', 'no-such-folder');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('the content folder no-such-folder does not exist');
    expect(existsSync(path.join(dir, 'no-such-folder'))).toBe(false);
  });
});
