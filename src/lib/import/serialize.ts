/**
 * Writes imported bulletins as `bulletin.yaml` and `{lang}.md`, byte-identical for the same
 * input: keys in the schema's order, no timestamps, LF line ends. Each file carries a stamp
 * line with the SHA-256 of its own content, so a later import can tell a file it wrote and
 * nobody touched (safe to refresh) from one a person edited (kept unless `--force`).
 */
import { createHash } from 'node:crypto';
import { Document, type ToStringOptions } from 'yaml';
import { BulletinFacts, BulletinText } from '../../../schemas/index.ts';

/** Which importer produced a file. */
export type ImportSource = 'legacy' | 'msdocs';

type Schemaish = { _zod?: { def?: Record<string, unknown> } } | undefined;

/** Finds the object shape inside wrappers (optional, default, nullable, pipe, union). */
function shapeOf(schema: Schemaish): Record<string, Schemaish> | undefined {
  let current = schema;
  for (let depth = 0; current && depth < 10; depth++) {
    const def = current._zod?.def;
    if (!def) return undefined;
    if (def.type === 'object') return def.shape as Record<string, Schemaish>;
    if (def.type === 'union') {
      for (const option of def.options as Schemaish[]) {
        const shape = shapeOf(option);
        if (shape) return shape;
      }
      return undefined;
    }
    current = (def.innerType ?? def.in) as Schemaish;
  }
  return undefined;
}

function elementOf(schema: Schemaish): Schemaish {
  let current = schema;
  for (let depth = 0; current && depth < 10; depth++) {
    const def = current._zod?.def;
    if (!def) return undefined;
    if (def.type === 'array') return def.element as Schemaish;
    current = (def.innerType ?? def.in) as Schemaish;
  }
  return undefined;
}

/**
 * Copies `value` with object keys in the order the schema declares them (unknown keys
 * after, sorted), dropping `undefined`, so the same facts always serialise the same way.
 */
export function orderLike(value: unknown, schema: Schemaish): unknown {
  if (Array.isArray(value)) {
    const element = elementOf(schema);
    return value.map((item) => orderLike(item, element));
  }
  if (value === null || typeof value !== 'object') return value;
  const shape = shapeOf(schema) ?? {};
  const known = Object.keys(shape);
  const record = value as Record<string, unknown>;
  const keys = [...known.filter((k) => k in record), ...Object.keys(record).filter((k) => !(k in shape)).sort()];
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    if (record[key] === undefined) continue;
    out[key] = orderLike(record[key], shape[key]);
  }
  return out;
}

const YAML_OPTIONS: ToStringOptions = {
  lineWidth: 0,
  minContentWidth: 0,
  indentSeq: true,
  defaultKeyType: 'PLAIN',
  // Windows paths read as written ('%EXSRVROOT%\bin') rather than with doubled backslashes.
  singleQuote: true,
};

function yamlText(data: unknown): string {
  const doc = new Document(data, { version: '1.2' });
  return doc.toString(YAML_OPTIONS);
}

const STAMP = /^# kb-import: sources=([a-z,]+) sha256=([0-9a-f]*)$/m;

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Puts the content hash into the stamp line of `text` (which must hold one with an empty hash). */
function stamp(text: string): string {
  const hash = sha256(text);
  return text.replace(STAMP, (line) => `${line}${hash}`);
}

/** The import stamp of a file: who wrote it, and whether it is unchanged since. */
export function readImportStamp(text: string): { sources: ImportSource[]; intact: boolean } | undefined {
  const normal = text.replace(/\r\n?/g, '\n');
  const m = STAMP.exec(normal);
  if (!m) return undefined;
  const blank = normal.replace(STAMP, (line) => line.replace(/[0-9a-f]*$/, ''));
  return { sources: m[1]!.split(',') as ImportSource[], intact: m[2] === sha256(blank) };
}

function stampLine(sources: readonly ImportSource[]): string {
  return `# kb-import: sources=${[...new Set(sources)].sort().join(',')} sha256=`;
}

/** Serialises bulletin facts as the content of `bulletin.yaml`. */
export function bulletinYaml(facts: Record<string, unknown>, provenance: { sources: readonly ImportSource[]; from: readonly string[] }): string {
  const header = [
    '# yaml-language-server: $schema=../../../schemas/bulletin.schema.json',
    `# Written by "kb import" from ${provenance.from.join('; ')}.`,
    '# A later import refreshes this file only while it is unchanged; once edited, it is kept (kb import --force overwrites).',
    stampLine(provenance.sources),
  ].join('\n');
  return stamp(`${header}\n${yamlText(orderLike(facts, BulletinFacts as unknown as Schemaish))}`);
}

/** Serialises one language file: frontmatter plus Markdown body. */
export function bulletinMarkdown(frontmatter: Record<string, unknown>, body: string, provenance: { sources: readonly ImportSource[] }): string {
  const front = yamlText(orderLike(frontmatter, BulletinText as unknown as Schemaish));
  const trimmed = body.replace(/\s+$/, '');
  const text = [
    '---',
    '# yaml-language-server: $schema=../../../schemas/bulletin-text.schema.json',
    stampLine(provenance.sources),
    `${front.replace(/\n$/, '')}`,
    '---',
    '',
  ].join('\n');
  return stamp(trimmed === '' ? text : `${text}\n${trimmed}\n`);
}
