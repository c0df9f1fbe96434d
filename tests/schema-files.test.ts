import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import * as model from '../schemas/index.ts';
import { CONTENT_SCHEMAS, contentSchemaJson, fieldDocs } from '../src/lib/json-schema.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const names = Object.keys(CONTENT_SCHEMAS) as Array<keyof typeof CONTENT_SCHEMAS>;
const committed = (name: string) => readFileSync(path.join(ROOT, 'schemas', name), 'utf8');

describe('schemas/index.ts', () => {
  it('exports exactly the content model', () => {
    expect(Object.keys(model).sort()).toEqual([
      'ARCHITECTURES',
      'AffectedProduct',
      'BulletinFacts',
      'BulletinId',
      'BulletinText',
      'ByteSize',
      'CveId',
      'DeploymentEstimate',
      'Discrepancy',
      'Download',
      'IMPACTS',
      'InstalledFile',
      'IsoDate',
      'KbNumber',
      'LANGS',
      'Lang',
      'Localized',
      'NotAffectedProduct',
      'Package',
      'RESTART_CATEGORIES',
      'Reference',
      'RegistryKey',
      'RevisionEntry',
      'SEVERITIES',
      'SeverityField',
      'URGENCIES',
      'Url',
      'Version',
      'isCalendarDate',
    ]);
  });
});

describe('committed JSON Schemas', () => {
  it('are exactly one file per content schema', () => {
    const files = readdirSync(path.join(ROOT, 'schemas')).filter((f) => f.endsWith('.schema.json')).sort();
    expect(files).toEqual([...names].sort());
  });

  it.each(names)('%s is what the zod model generates (not stale)', (name) => {
    const fresh = contentSchemaJson(name);
    const onDisk = committed(name);
    expect(onDisk === fresh, `schemas/${name} is stale: the zod model changed; run "npm run schemas" and commit the result`).toBe(true);
  });

  it.each(names)('%s describes every field with its JSDoc comment', (name) => {
    const missing: string[] = [];
    const walk = (node: unknown, at: string): void => {
      if (node === null || typeof node !== 'object') return;
      if (Array.isArray(node)) return node.forEach((item, i) => walk(item, `${at}[${i}]`));
      const properties = (node as { properties?: Record<string, { description?: string }> }).properties;
      for (const [key, value] of Object.entries(properties ?? {})) if (!value.description) missing.push(`${at}.${key}`);
      for (const [key, value] of Object.entries(node)) walk(value, `${at}/${key}`);
    };
    walk(JSON.parse(committed(name)), '');
    expect(missing, 'add a /** comment */ above these fields in schemas/*.ts, then run "npm run schemas"').toEqual([]);
  });

  it('carries a field comment and its @example into the schema an editor reads', () => {
    const json = JSON.parse(committed('bulletin.schema.json'));
    const size = json.properties.packages.items.properties.size;
    expect(size.description).toBe('Exact size in bytes.');
    const folder = json.properties.packages.items.properties.files.items.properties.folder;
    expect(folder.description).toContain('Folder the file is installed into');
    expect(folder.examples).toEqual(['%EXSRVROOT%\\bin']);
  });

  it('accepts every committed bulletin.yaml and text frontmatter, and rejects a misspelt field', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const facts = ajv.compile(JSON.parse(committed('bulletin.schema.json')));
    const text = ajv.compile(JSON.parse(committed('bulletin-text.schema.json')));
    const dir = path.join(ROOT, 'content', 'bulletins');
    const folders = readdirSync(dir);
    expect(folders.length).toBeGreaterThan(0);
    for (const folder of folders) {
      const yaml = parse(readFileSync(path.join(dir, folder, 'bulletin.yaml'), 'utf8'), { version: '1.2' });
      expect(facts(yaml), `${folder}/bulletin.yaml: ${JSON.stringify(facts.errors)}`).toBe(true);
      for (const lang of ['ja', 'en']) {
        const source = readFileSync(path.join(dir, folder, `${lang}.md`), 'utf8');
        const frontmatter = parse(/^---\n([\s\S]*?)\n---\n/.exec(source)![1]!, { version: '1.2' });
        expect(text(frontmatter), `${folder}/${lang}.md: ${JSON.stringify(text.errors)}`).toBe(true);
      }
    }
    const misspelt = { ...parse(readFileSync(path.join(dir, 'ms03-046', 'bulletin.yaml'), 'utf8'), { version: '1.2' }), severty: 'critical' };
    expect(facts(misspelt)).toBe(false);
    expect(facts.errors?.[0]).toMatchObject({ keyword: 'additionalProperties', params: { additionalProperty: 'severty' } });
  });
});

describe('fieldDocs', () => {
  it('reads field comments and JSON examples from zod object literals, keyed by their field names', () => {
    const docs = fieldDocs([
      `const A = z.strictObject({
        /** Size in bytes. @example 1165928 */
        size: z.number(),
        /** Folder. @example { ja: "x" } */
        folder: z.string(),
        bare: z.string(),
      });`,
    ]);
    expect(docs.get('bare,folder,size')).toEqual({
      size: { description: 'Size in bytes.', examples: [1165928] },
      folder: { description: 'Folder.\n\nExample: { ja: "x" }', examples: [] },
    });
  });

  it('refuses two objects with the same fields but different comments', () => {
    expect(() => fieldDocs(['z.object({\n  /** One. */\n  a: x,\n});\nz.object({\n  /** Two. */\n  a: y,\n});'])).toThrow(/fields a with different comments/);
  });
});
