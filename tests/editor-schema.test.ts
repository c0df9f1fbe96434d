import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';

// What an editor does with the generated JSON Schemas (the YAML language server validates
// and completes from them), checked with an independent 2020-12 validator on real content.
const ROOT = path.resolve(import.meta.dirname, '..');
const CONTENT = path.join(ROOT, 'content', 'bulletins');
const MS03_046 = path.join(CONTENT, 'ms03-046');

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8'));
const factsSchema = readJson(path.join(ROOT, 'schemas', 'bulletin.schema.json'));
const textSchema = readJson(path.join(ROOT, 'schemas', 'bulletin-text.schema.json'));

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));
const validateFacts = ajv.compile(factsSchema);
const validateText = ajv.compile(textSchema);

const frontmatterText = (markdown: string) => /^---\n([\s\S]*?)\n---\n/.exec(markdown.replace(/\r\n?/g, '\n'))![1]!;
const errorsOf = (validate: typeof validateFacts, data: unknown) => (validate(data) ? [] : (validate.errors ?? []).map((e) => ({ path: e.instancePath, keyword: e.keyword, params: e.params })));

/** The README's completion example: on an empty top-level line of MS03-046's bulletin.yaml. */
const README_COMPLETIONS = {
  aliases: 'Other names of the same bulletin (advisory ids of other databases).',
  withdrawn: 'Set when the vendor withdrew the bulletin.',
  related: 'Bulletins about the same problem.',
  supersedes: 'Earlier bulletins this one replaces.',
  superseded_by: 'Later bulletins that replace this one.',
};

describe('generated json schemas against MS03-046', () => {
  it("accept MS03-046's bulletin.yaml", () => {
    const data = parseYaml(readFileSync(path.join(MS03_046, 'bulletin.yaml'), 'utf8'));
    expect(errorsOf(validateFacts, data)).toEqual([]);
  });

  it("accept the frontmatter of MS03-046's ja.md and en.md", () => {
    for (const lang of ['ja', 'en']) {
      const data = parseYaml(frontmatterText(readFileSync(path.join(MS03_046, `${lang}.md`), 'utf8')));
      expect(errorsOf(validateText, data), lang).toEqual([]);
    }
  });

  it('accept every committed bulletin file', () => {
    const folders = readdirSync(CONTENT);
    expect(folders.length).toBeGreaterThan(0);
    for (const folder of folders) {
      for (const name of readdirSync(path.join(CONTENT, folder))) {
        const text = readFileSync(path.join(CONTENT, folder, name), 'utf8');
        if (name === 'bulletin.yaml') expect(errorsOf(validateFacts, parseYaml(text)), `${folder}/${name}`).toEqual([]);
        else if (name.endsWith('.md')) expect(errorsOf(validateText, parseYaml(frontmatterText(text))), `${folder}/${name}`).toEqual([]);
      }
    }
  });

  it('flag the mistakes an editor underlines while typing: a misspelt key, a bad value, a bad date', () => {
    const data = parseYaml(readFileSync(path.join(MS03_046, 'bulletin.yaml'), 'utf8')) as Record<string, unknown>;
    const { severity, ...rest } = data;
    expect(errorsOf(validateFacts, { ...rest, severty: severity })).toEqual(
      expect.arrayContaining([
        { path: '', keyword: 'required', params: { missingProperty: 'severity' } },
        { path: '', keyword: 'additionalProperties', params: { additionalProperty: 'severty' } },
      ]),
    );
    expect(errorsOf(validateFacts, { ...data, severity: 'severe' })).toEqual([
      { path: '/severity', keyword: 'enum', params: { allowedValues: ['critical', '緊急', 'important', '重要', 'moderate', '警告', 'low', '注意'] } },
    ]);
    expect(errorsOf(validateFacts, { ...data, published: '2003/10/15' })).toEqual([
      { path: '/published', keyword: 'pattern', params: { pattern: '^\\d{4}-\\d{2}-\\d{2}$' } },
    ]);
    const en = parseYaml(frontmatterText(readFileSync(path.join(MS03_046, 'en.md'), 'utf8'))) as Record<string, unknown>;
    expect(errorsOf(validateText, { ...en, lang: 'english' })).toEqual([{ path: '/lang', keyword: 'enum', params: { allowedValues: ['ja', 'en'] } }]);
  });

  it('offer the completions the readme shows, with their descriptions', () => {
    const data = parseYaml(readFileSync(path.join(MS03_046, 'bulletin.yaml'), 'utf8')) as Record<string, unknown>;
    // The language server offers the properties a mapping does not have yet ($schema aside).
    const offered = Object.fromEntries(
      Object.entries(factsSchema.properties as Record<string, { description?: string }>)
        .filter(([key]) => key !== '$schema' && !(key in data))
        .map(([key, property]) => [key, property.description]),
    );
    expect(offered).toEqual(README_COMPLETIONS);
    expect(factsSchema.properties.severity.description).toBe('Highest severity over all affected products.');
    expect(factsSchema.properties.severity.enum).toEqual(['critical', '緊急', 'important', '重要', 'moderate', '警告', 'low', '注意']);
  });
});

describe('editor wiring', () => {
  it('maps every bulletin.yaml in content to the generated schema and recommends the yaml extension', () => {
    const settings = readJson(path.join(ROOT, '.vscode', 'settings.json'));
    expect(settings['yaml.schemas']['./schemas/bulletin.schema.json']).toContain('content/**/bulletin.yaml');
    expect(readJson(path.join(ROOT, '.vscode', 'extensions.json')).recommendations).toContain('redhat.vscode-yaml');
  });

  it('gives every content file a yaml-language-server modeline that resolves to its schema', () => {
    for (const folder of readdirSync(CONTENT)) {
      for (const name of readdirSync(path.join(CONTENT, folder))) {
        const text = readFileSync(path.join(CONTENT, folder, name), 'utf8');
        const ref = /# yaml-language-server: \$schema=(\S+)/.exec(text)?.[1];
        expect(ref, `${folder}/${name}`).toBeDefined();
        const expected = name === 'bulletin.yaml' ? 'bulletin.schema.json' : 'bulletin-text.schema.json';
        expect(path.resolve(CONTENT, folder, ref!), `${folder}/${name}`).toBe(path.join(ROOT, 'schemas', expected));
      }
    }
  });

  it("reads kb check's output into the problems panel through the task's problem matcher", () => {
    const task = readJson(path.join(ROOT, '.vscode', 'tasks.json')).tasks.find((t: { label: string }) => t.label === 'kb check');
    expect(task).toMatchObject({ type: 'npm', script: 'check' });
    const { regexp, ...groups } = task.problemMatcher.pattern as { regexp: string } & Record<string, number>;
    // A copy of the content with one error in a Markdown frontmatter and one in bulletin.yaml.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kb-matcher-'));
    try {
      cpSync(path.join(ROOT, 'content'), path.join(dir, 'content'), { recursive: true });
      const en = path.join(dir, 'content', 'bulletins', 'ms03-046', 'en.md');
      writeFileSync(en, readFileSync(en, 'utf8').replace(/^lang: en$/m, 'lang: english'));
      // In another bulletin: a folder whose bulletin.yaml is broken is not read further.
      const other = readdirSync(CONTENT).find((folder) => folder !== 'ms03-046')!;
      const facts = path.join(dir, 'content', 'bulletins', other, 'bulletin.yaml');
      writeFileSync(facts, readFileSync(facts, 'utf8').replace(/^severity: (\S+)$/m, 'severty: $1'));
      const result = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'kb.mjs'), 'check'], { cwd: dir, encoding: 'utf8', env: { ...process.env, KB_CONTENT_DIR: undefined } });
      expect(result.status).toBe(1);
      const problems = result.stdout
        .split('\n')
        .map((line) => new RegExp(regexp).exec(line))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => ({ file: m[groups.file!], line: Number(m[groups.line!]), column: Number(m[groups.column!]), severity: m[groups.severity!], code: m[groups.code!], message: m[groups.message!] }));
      expect(problems.length).toBe(result.stdout.trim().split('\n').length);
      expect(problems).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ file: 'content/bulletins/ms03-046/en.md', line: 4, severity: 'error', code: 'SCHEMA_VALUE', message: expect.stringMatching(/^lang: /) }),
          expect.objectContaining({ file: `content/bulletins/${other}/bulletin.yaml`, severity: 'error', code: 'UNKNOWN_FIELD', message: expect.stringContaining('did you mean "severity"?') }),
        ]),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
