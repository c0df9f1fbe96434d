/**
 * JSON Schemas generated from the zod model (zod 4's `toJSONSchema`, input side: what an
 * author may write). Editors use them for completion and show each field's description on
 * hover; `/api/v1/schema/` publishes them.
 *
 * The descriptions are the JSDoc comments of the fields in `schemas/*.ts`, read from the
 * source with the TypeScript parser. The JSDoc stays the one place a field is explained:
 * TypeScript shows it on hover in code, the JSON Schema carries it to YAML editors.
 */
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { z } from 'zod';
import { BulletinFacts, BulletinText } from '../../schemas/index.ts';

export const CONTENT_SCHEMAS = {
  'bulletin.schema.json': { schema: BulletinFacts, title: 'bulletin-kb bulletin facts (bulletin.yaml)' },
  'bulletin-text.schema.json': { schema: BulletinText, title: 'bulletin-kb bulletin text (ja.md / en.md frontmatter)' },
} as const;

/** The model's source files, whose field comments become descriptions. */
const SCHEMA_SOURCES = ['common.ts', 'bulletin.ts', 'text.ts'] as const;

export interface FieldDoc {
  description: string;
  /** `@example` values that are JSON (most are); others stay in the description. */
  examples: unknown[];
}

/**
 * Field comments of every object literal passed to `z.object` / `z.strictObject` in the
 * given TypeScript sources, keyed by the literal's sorted field names joined with commas.
 * The key set is what ties a literal to the JSON Schema object it becomes.
 */
export function fieldDocs(sources: readonly string[]): Map<string, Record<string, FieldDoc>> {
  const out = new Map<string, Record<string, FieldDoc>>();
  for (const source of sources) {
    const file = ts.createSourceFile('schema.ts', source, ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (
        ts.isCallExpression(node) &&
        ts.isPropertyAccessExpression(node.expression) &&
        ['object', 'strictObject', 'looseObject'].includes(node.expression.name.text) &&
        node.arguments[0] &&
        ts.isObjectLiteralExpression(node.arguments[0])
      ) {
        const fields: Record<string, FieldDoc> = {};
        const names: string[] = [];
        for (const property of node.arguments[0].properties) {
          if (!ts.isPropertyAssignment(property) || !property.name) continue;
          const name = ts.isIdentifier(property.name) || ts.isStringLiteral(property.name) ? property.name.text : property.name.getText(file);
          names.push(name);
          const doc = jsDocOf(property);
          if (doc) fields[name] = doc;
        }
        const key = [...names].sort().join(',');
        const existing = out.get(key);
        if (existing && JSON.stringify(existing) !== JSON.stringify(fields)) {
          // Two different objects with the same fields cannot be told apart in the output.
          throw new Error(`two schema objects have the fields ${key} with different comments: rename a field or share the object`);
        }
        out.set(key, fields);
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return out;
}

function jsDocOf(node: ts.Node): FieldDoc | undefined {
  const docs = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
  const doc = docs[docs.length - 1];
  if (!doc) return undefined;
  const text = (ts.getTextOfJSDocComment(doc.comment) ?? '').trim();
  const examples: unknown[] = [];
  const loose: string[] = [];
  for (const tag of doc.tags ?? []) {
    if (tag.tagName.text !== 'example') continue;
    const raw = (ts.getTextOfJSDocComment(tag.comment) ?? '').trim();
    if (!raw) continue;
    try {
      examples.push(JSON.parse(raw));
    } catch {
      loose.push(raw);
    }
  }
  const description = [text, ...loose.map((raw) => `Example: ${raw}`)].filter(Boolean).join('\n\n');
  return description || examples.length > 0 ? { description, examples } : undefined;
}

/** Adds descriptions (and examples) to every object property of a JSON Schema that has a comment. */
export function describeJsonSchema(json: unknown, docs: Map<string, Record<string, FieldDoc>>): void {
  if (Array.isArray(json)) {
    for (const item of json) describeJsonSchema(item, docs);
    return;
  }
  if (json === null || typeof json !== 'object') return;
  const node = json as Record<string, unknown>;
  const properties = node.properties as Record<string, Record<string, unknown>> | undefined;
  if (properties && typeof properties === 'object') {
    const fields = docs.get(Object.keys(properties).sort().join(','));
    for (const [name, property] of Object.entries(properties)) {
      const doc = fields?.[name];
      if (!doc) continue;
      if (doc.description) property.description = doc.description;
      if (doc.examples.length > 0) property.examples = doc.examples;
    }
  }
  for (const value of Object.values(node)) describeJsonSchema(value, docs);
}

let cachedDocs: Map<string, Record<string, FieldDoc>> | undefined;

/** Field comments of `schemas/*.ts`, read once. */
function modelDocs(): Map<string, Record<string, FieldDoc>> {
  cachedDocs ??= fieldDocs(SCHEMA_SOURCES.map((name) => readFileSync(new URL(`../../schemas/${name}`, import.meta.url), 'utf8')));
  return cachedDocs;
}

/**
 * Stable JSON text (2-space indent, trailing newline) for one schema. Reads the model's
 * source for the descriptions, so it runs from the repository (scripts, tests), not from
 * a bundle: the site publishes the committed `schemas/*.schema.json`, which a test keeps
 * equal to this output.
 */
export function contentSchemaJson(name: keyof typeof CONTENT_SCHEMAS): string {
  const { schema, title } = CONTENT_SCHEMAS[name];
  const generated = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' });
  // A deep copy: zod may share one output object between several uses of a schema, and a
  // description belongs to one field.
  const json = JSON.parse(JSON.stringify(generated)) as Record<string, unknown>;
  describeJsonSchema(json, modelDocs());
  return `${JSON.stringify({ $id: `https://bulletin-kb.invalid/schemas/${name}`, title, ...json }, null, 2)}\n`;
}
