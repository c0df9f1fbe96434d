/**
 * The files `kb new ID` writes: `bulletin.yaml`, `ja.md` and `en.md` with every field of
 * the model present, each explained by a comment.
 *
 * Nothing here is written by hand per field. The structure comes from walking the zod
 * model; the comments are the `description`s and `examples` of the generated JSON Schemas
 * (`schemas/*.schema.json`, themselves made from the model's JSDoc); example values of the
 * building blocks (dates, versions, sizes, ids) are the `@example`s of `schemas/common.ts`.
 * A field added to the model therefore shows up in the next scaffold with its comment.
 *
 * Layout of the output: required fields are written out with a placeholder that passes
 * `kb check` and carries a `TODO` marker; optional fields are commented out with an example,
 * ready to uncomment. Pure: everything it reads comes in through the arguments.
 */
import ts from 'typescript';
import { parse as parseYaml, stringify } from 'yaml';
import type { z } from 'zod';
import * as common from '../../schemas/common.ts';
import { BulletinFacts, BulletinText, LANGS, type Lang } from '../../schemas/index.ts';
import { bulletinMarkdown, bulletinYaml } from './import/serialize.ts';
import type { ImportedBulletin } from './import/types.ts';

/** A JSON Schema as generated into `schemas/*.schema.json` (only the parts read here). */
export type JsonSchema = { [key: string]: unknown };

export interface ScaffoldOptions {
  /** Bulletin id, already valid (`BulletinId`). */
  id: string;
  /** Placeholder for `published` (YYYY-MM-DD); the CLI passes today's local date. */
  published: string;
  /** Language written first; the other file gets `translated_from` pointing at it. */
  sourceLang: Lang;
  /** `schemas/bulletin.schema.json`, parsed. */
  factsSchema: JsonSchema;
  /** `schemas/bulletin-text.schema.json`, parsed. */
  textSchema: JsonSchema;
  /** Examples of the model's building blocks by export name (`typeExamplesFromSource`). */
  typeExamples: Readonly<Record<string, unknown>>;
  /** Schema paths for the `yaml-language-server` modeline, relative to the bulletin folder. */
  schemaRefs: { facts: string; text: string };
}

/** File name → file text, in the order the files are listed to the user. */
export type ScaffoldFiles = Record<'bulletin.yaml' | `${Lang}.md`, string>;

/** The marker every placeholder line carries, so `grep -n TODO` lists what is left to write. */
export const TODO = 'TODO';

/**
 * `@example` values of the exported consts of a TypeScript source (`schemas/common.ts`),
 * parsed as YAML (which also reads JSON and `{ ja: "…" }`). Consts without one are left out.
 */
export function typeExamplesFromSource(source: string): Record<string, unknown> {
  const file = ts.createSourceFile('common.ts', source, ts.ScriptTarget.Latest, true);
  const out: Record<string, unknown> = {};
  for (const statement of file.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    if (!statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    const example = ts
      .getJSDocTags(statement)
      .find((tag) => tag.tagName.text === 'example');
    const raw = example ? (ts.getTextOfJSDocComment(example.comment) ?? '').trim() : '';
    if (!raw) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (ts.isIdentifier(declaration.name)) out[declaration.name.text] = parseYaml(raw);
    }
  }
  return out;
}

// --- reading the model --------------------------------------------------------------------

type AnySchema = z.ZodType & { _zod: { def: any } };

/** The building blocks of `schemas/common.ts` by identity: a field typed `IsoDate` is a date. */
const BLOCKS = new Map<unknown, string>(
  Object.entries(common).filter(([, value]) => typeof value === 'object' && value !== null && '_zod' in value).map(([name, value]) => [value, name]),
);

/** Building blocks whose text is prose: a scaffold never fills them with an example. */
const PROSE_BLOCKS = new Set(['Localized']);

interface Shape {
  kind: 'object' | 'array' | 'leaf';
  /** The schema with optional/default/nullable wrappers removed. */
  inner: AnySchema;
  optional: boolean;
  /** Export name of `schemas/common.ts` when the field is one of its building blocks. */
  block?: string;
  enumValues?: string[];
}

function shapeOf(schema: AnySchema): Shape {
  let current = schema;
  let optional = false;
  for (let i = 0; i < 20; i++) {
    const block = BLOCKS.get(current);
    const def = current._zod.def;
    if (block) return { kind: 'leaf', inner: current, optional, block, enumValues: enumOf(current) };
    if (def.type === 'optional' || def.type === 'default' || def.type === 'prefault') {
      optional = true;
      current = def.innerType;
    } else if (def.type === 'nullable') {
      current = def.innerType;
    } else if (def.type === 'pipe') {
      current = def.in;
    } else if (def.type === 'object') {
      return { kind: 'object', inner: current, optional };
    } else if (def.type === 'array') {
      return { kind: 'array', inner: current, optional };
    } else {
      return { kind: 'leaf', inner: current, optional, enumValues: enumOf(current) };
    }
  }
  throw new Error('scaffold: the model nests wrappers more deeply than expected');
}

function enumOf(schema: AnySchema): string[] | undefined {
  let current: AnySchema | undefined = schema;
  while (current?._zod.def.type === 'pipe') current = current._zod.def.in;
  const entries = current?._zod.def.type === 'enum' ? current._zod.def.entries : undefined;
  return entries ? Object.values(entries as Record<string, string>) : undefined;
}

function resolveRef(root: JsonSchema, node: JsonSchema | undefined): JsonSchema | undefined {
  const ref = node?.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return node;
  let target: unknown = root;
  for (const part of ref.slice(2).split('/')) target = (target as JsonSchema | undefined)?.[part.replaceAll('~1', '/').replaceAll('~0', '~')];
  return target as JsonSchema | undefined;
}

/** The JSON Schema node of property `key` of `node`, looking through `anyOf`/`oneOf` branches. */
function jsonProperty(root: JsonSchema, node: JsonSchema | undefined, key: string): JsonSchema | undefined {
  const resolved = resolveRef(root, node);
  const direct = (resolved?.properties as Record<string, JsonSchema> | undefined)?.[key];
  if (direct) return direct;
  for (const branch of [...((resolved?.anyOf as JsonSchema[]) ?? []), ...((resolved?.oneOf as JsonSchema[]) ?? [])]) {
    const found = jsonProperty(root, branch, key);
    if (found) return found;
  }
  return undefined;
}

function jsonItems(root: JsonSchema, node: JsonSchema | undefined): JsonSchema | undefined {
  const resolved = resolveRef(root, node);
  if (resolved?.items && typeof resolved.items === 'object') return resolved.items as JsonSchema;
  for (const branch of [...((resolved?.anyOf as JsonSchema[]) ?? []), ...((resolved?.oneOf as JsonSchema[]) ?? [])]) {
    const found = jsonItems(root, branch);
    if (found) return found;
  }
  return undefined;
}

// --- writing YAML -------------------------------------------------------------------------

/** One output line: `text` is YAML (or a `# …` comment) to be placed at `indent` spaces. */
interface Line {
  indent: number;
  text: string;
}

/** Comments the lines out at column `column`, keeping their relative indentation. */
function commentOut(lines: readonly Line[], column: number): Line[] {
  return lines.map((line) => ({ indent: column, text: `# ${' '.repeat(Math.max(0, line.indent - column))}${line.text}` }));
}

function render(lines: readonly Line[]): string {
  return lines.map((line) => `${' '.repeat(line.indent)}${line.text}`.trimEnd()).join('\n');
}

/** A scalar or flow collection as it appears after `key: `. */
function yamlValue(value: unknown): string {
  return stringify(value, { collectionStyle: 'flow', lineWidth: 0 }).trimEnd();
}

/** A known field that is deliberately left out, with the comment that says why. */
class Omitted {
  readonly note: string;
  constructor(note: string) {
    this.note = note;
  }
}

interface Context {
  root: JsonSchema;
  typeExamples: Readonly<Record<string, unknown>>;
  /** Values for fields of the scaffold that are known, by field path (`id`, `lang`). */
  known: ReadonlyMap<string, unknown>;
}

/** Comment lines for a field: its description, the accepted values, an example. */
function docLines(json: JsonSchema | undefined, shape: Shape, extra: { optionalNote: boolean; example?: unknown }): string[] {
  const description = typeof json?.description === 'string' ? json.description.trim() : '';
  const lines = description ? description.split('\n').map((line) => line.trim()) : [];
  const notes: string[] = [];
  if (shape.enumValues) notes.push(`One of: ${shape.enumValues.join(', ')}.`);
  if (typeof json?.minItems === 'number' && json.minItems > 0) notes.push(`At least ${json.minItems}.`);
  if (extra.example !== undefined) notes.push(`Example: ${yamlValue(extra.example)}`);
  if (extra.optionalNote && shape.optional) notes.push('Optional.');
  if (notes.length > 0) {
    if (lines.length === 0) lines.push(notes.join(' '));
    else lines[lines.length - 1] = `${lines[lines.length - 1]} ${notes.join(' ')}`;
  }
  return lines.map((line) => `# ${line}`);
}

/** The example value a field shows when it is commented out. */
function exampleValue(ctx: Context, json: JsonSchema | undefined, shape: Shape): unknown {
  const examples = json?.examples;
  if (Array.isArray(examples) && examples.length > 0) return examples[0];
  if (shape.block && PROSE_BLOCKS.has(shape.block)) return Object.fromEntries(LANGS.map((lang) => [lang, TODO]));
  if (shape.block && ctx.typeExamples[shape.block] !== undefined) return ctx.typeExamples[shape.block];
  if (shape.enumValues) return shape.enumValues[0];
  const def = shape.inner._zod.def;
  if (def.type === 'boolean') return false;
  if (def.type === 'number') return 1;
  return TODO;
}

/**
 * The placeholder of a required field outside a commented block: "TODO" where the field
 * accepts it, else the first value that passes the field's own schema. Such a placeholder
 * passes `kb check`; the line is marked so the author finds it.
 */
function placeholderValue(ctx: Context, json: JsonSchema | undefined, shape: Shape): { value: unknown; marked: boolean } {
  const candidates: unknown[] = [TODO, TODO.toLowerCase()];
  if (shape.block === 'IsoDate') candidates.unshift(ctx.known.get('$published'));
  candidates.push(exampleValue(ctx, json, shape));
  if (shape.enumValues) candidates.push(...shape.enumValues);
  for (const candidate of candidates) {
    if (candidate !== undefined && shape.inner.safeParse(candidate).success) return { value: candidate, marked: candidate !== TODO };
  }
  throw new Error(`scaffold: no placeholder passes the schema of a required field (${JSON.stringify(json?.description ?? '')})`);
}

/**
 * The lines of one field. `commented` is true inside a commented-out block, where every
 * field shows an example and optional ones are only marked as such.
 */
function fieldLines(ctx: Context, name: string, path: string, schema: AnySchema, json: JsonSchema | undefined, indent: number, commented: boolean): Line[] {
  const shape = shapeOf(schema);
  const known = ctx.known.get(path);
  if (!commented && shape.optional && known === undefined) {
    // An optional field: shown with its example, commented out.
    return [
      ...docLines(json, shape, { optionalNote: false }).map((text) => ({ indent, text })),
      ...commentOut(valueLines(ctx, name, path, schema, json, indent, true, shape), indent),
    ];
  }
  return valueLines(ctx, name, path, schema, json, indent, commented, shape, true);
}

function valueLines(
  ctx: Context,
  name: string,
  path: string,
  schema: AnySchema,
  json: JsonSchema | undefined,
  indent: number,
  commented: boolean,
  shape: Shape,
  withDocs = false,
): Line[] {
  const known = ctx.known.get(path);
  const lines: Line[] = [];
  const pushDocs = (example?: unknown) => {
    if (withDocs) lines.push(...docLines(json, shape, { optionalNote: commented, example }).map((text) => ({ indent, text })));
  };
  if (known !== undefined) {
    pushDocs();
    lines.push({ indent, text: `${name}: ${yamlValue(known)}` });
    return lines;
  }
  if (shape.kind === 'object') {
    pushDocs();
    lines.push({ indent, text: `${name}:` });
    lines.push(...objectLines(ctx, path, shape.inner, json, indent + 2, commented));
    return lines;
  }
  if (shape.kind === 'array') {
    pushDocs();
    const element = shape.inner._zod.def.element as AnySchema;
    const itemJson = jsonItems(ctx.root, json);
    const itemShape = shapeOf(element);
    lines.push({ indent, text: `${name}:` });
    if (itemShape.kind === 'object') {
      // "- " on its own line keeps every field of the item under its own comment.
      lines.push({ indent: indent + 2, text: '-' });
      lines.push(...objectLines(ctx, `${path}[]`, itemShape.inner, itemJson, indent + 4, commented));
    } else {
      const value = commented ? exampleValue(ctx, itemJson, itemShape) : placeholderValue(ctx, itemJson, itemShape).value;
      lines.push({ indent: indent + 2, text: `- ${yamlValue(value)}` });
    }
    return lines;
  }
  if (commented) {
    pushDocs();
    lines.push({ indent, text: `${name}: ${yamlValue(exampleValue(ctx, json, shape))}` });
    return lines;
  }
  const { value, marked } = placeholderValue(ctx, json, shape);
  const examples = json?.examples;
  pushDocs(Array.isArray(examples) && examples[0] !== value ? examples[0] : undefined);
  const markdown = typeof json?.description === 'string' && json.description.includes('(Markdown)');
  if (markdown && typeof value === 'string') {
    lines.push({ indent, text: `${name}: |` }, { indent: indent + 2, text: value });
  } else {
    lines.push({ indent, text: `${name}: ${yamlValue(value)}${marked ? `  # ${TODO}` : ''}` });
  }
  return lines;
}

function objectLines(ctx: Context, path: string, schema: AnySchema, json: JsonSchema | undefined, indent: number, commented: boolean): Line[] {
  const lines: Line[] = [];
  const shape = schema._zod.def.shape as Record<string, AnySchema>;
  for (const [key, field] of Object.entries(shape)) {
    // `$schema` is for editors that cannot read the modeline comment; the scaffold uses the comment.
    if (key === '$schema') continue;
    const fieldPath = path ? `${path}.${key}` : key;
    const known = ctx.known.get(fieldPath);
    // A blank line between top-level fields; nested ones stay together under their parent.
    if (indent === 0 && lines.length > 0) lines.push({ indent: 0, text: '' });
    if (known instanceof Omitted) {
      const fieldJson = jsonProperty(ctx.root, json, key);
      lines.push(...docLines(fieldJson, shapeOf(field), { optionalNote: false }).map((text) => ({ indent, text })), { indent, text: `# ${known.note}` });
      continue;
    }
    lines.push(...fieldLines(ctx, key, fieldPath, field, jsonProperty(ctx.root, json, key), indent, commented));
  }
  return lines;
}

// --- the files ----------------------------------------------------------------------------

/** The three files of a new bulletin. */
export function scaffoldBulletin(options: ScaffoldOptions): ScaffoldFiles {
  const { id, sourceLang } = options;
  const facts = render(
    objectLines(
      { root: options.factsSchema, typeExamples: options.typeExamples, known: new Map<string, unknown>([['id', id], ['$published', options.published]]) },
      '',
      BulletinFacts as AnySchema,
      options.factsSchema,
      0,
      false,
    ),
  );
  const header = (lines: string[]) => `${lines.map((line) => `# ${line}`.trimEnd()).join('\n')}\n`;
  const files = {
    'bulletin.yaml': `# yaml-language-server: $schema=${options.schemaRefs.facts}
${header([
  `${id}: the facts, written once for every language. Made by "kb new"; run "kb check" after each edit.`,
  `Fields written out are required: replace each placeholder marked ${TODO}. Commented-out fields`,
  'are optional: uncomment the ones your sources give (drop the leading "# ") and delete the rest.',
])}
${facts}
`,
  } as ScaffoldFiles;

  for (const lang of LANGS) {
    const translation = lang !== sourceLang;
    const known = new Map<string, unknown>([
      ['id', id],
      ['lang', lang],
      // The source text has no `translated_from`; a translation names the source.
      ['translated_from', translation ? sourceLang : new Omitted(`not set: ${lang}.md is the source text`)],
    ]);
    const frontmatter = render(objectLines({ root: options.textSchema, typeExamples: options.typeExamples, known }, '', BulletinText as AnySchema, options.textSchema, 0, false));
    files[`${lang}.md`] = `---
# yaml-language-server: $schema=${options.schemaRefs.text}
${header([
  `${id}, ${translation ? `translated from ${sourceLang}.md` : `the source text (${LANGS.filter((l) => l !== lang).map((l) => `${l}.md`).join(', ')} translate${LANGS.length > 2 ? '' : 's'} it)`}.`,
  `Fields written out are required: replace each ${TODO}. Commented-out fields are optional.`,
])}
${frontmatter}
---

<!--
  Below the frontmatter: the technical details in Markdown (workarounds, installation
  notes, known problems), with "##" headings. This comment is not shown on the site.
-->
`;
  }
  return files;
}

/** Fields of bulletins that name other bulletins; they must resolve in the content folder. */
const REFERENCE_FIELDS = ['related', 'supersedes', 'superseded_by'] as const;

/**
 * A new bulletin started from an importer's output (`kb new ID --from-legacy FILE`):
 * `bulletin.yaml` and `ja.md` are what the importer converted, written by its own
 * serialiser; required facts the source does not give (a vendor page has no publication
 * date or severity) take the scaffold's placeholder and a `TODO` mark; `en.md` is the
 * scaffold's translation template. References to bulletins that are not in the content
 * folder (`knownIds`) are dropped, as `kb import` drops them, and listed in `notes`.
 */
export function scaffoldFromImport(
  scaffold: ScaffoldFiles,
  imported: ImportedBulletin,
  knownIds: ReadonlySet<string>,
): { files: ScaffoldFiles; filled: string[]; notes: string[] } {
  const facts: Record<string, unknown> = structuredClone(imported.facts);
  const notes: string[] = [];
  for (const field of REFERENCE_FIELDS) {
    const ids = facts[field];
    if (!Array.isArray(ids)) continue;
    const dropped = ids.filter((id) => !knownIds.has(String(id)));
    if (dropped.length === 0) continue;
    notes.push(`${field}: ${dropped.join(', ')} left out: not in the content folder (add ${dropped.length === 1 ? 'it' : 'them'}, then the id${dropped.length === 1 ? '' : 's'})`);
    const kept = ids.filter((id) => knownIds.has(String(id)));
    if (kept.length > 0) facts[field] = kept;
    else delete facts[field];
  }
  const placeholders = parseYaml(scaffold['bulletin.yaml']) as Record<string, unknown>;
  const shape = (BulletinFacts as AnySchema)._zod.def.shape as Record<string, AnySchema>;
  const filled = Object.entries(shape)
    .filter(([key, schema]) => !shapeOf(schema).optional && facts[key] === undefined && placeholders[key] !== undefined)
    .map(([key]) => key);
  for (const key of filled) facts[key] = placeholders[key];

  const provenance = { sources: [imported.source], from: [`${imported.source} ${imported.from}`] };
  let yaml = bulletinYaml(facts, provenance);
  // Marked after serialising: the import stamp then no longer matches, so a later
  // "kb import" treats the file as edited by hand and keeps it, which it now is.
  for (const key of filled) yaml = yaml.replace(new RegExp(`^${key}:.*$`, 'm'), (line) => `${line}  # ${TODO}`);
  return {
    files: {
      'bulletin.yaml': yaml,
      'ja.md': bulletinMarkdown(imported.ja.frontmatter, imported.ja.body, provenance),
      'en.md': scaffold['en.md'],
    },
    filled,
    notes,
  };
}

/** `file:line: field` for every line that still holds a placeholder, for the CLI to list. */
export function placeholderLines(files: Partial<Record<string, string>>): Array<{ file: string; line: number; text: string }> {
  const out: Array<{ file: string; line: number; text: string }> = [];
  for (const [file, text] of Object.entries(files)) {
    const lines = (text ?? '').split('\n');
    lines.forEach((line, index) => {
      if (line.trimStart().startsWith('#') || !new RegExp(`\\b${TODO}\\b`).test(line)) return;
      // A placeholder inside a block scalar (`summary: |`) is named by the key above it.
      const key = line.trim() === TODO ? /^\s*([\w$]+): [|>]/.exec(lines[index - 1] ?? '')?.[1] : undefined;
      out.push({ file, line: index + 1, text: key ? `${key}: ${TODO}` : line.trim() });
    });
  }
  return out;
}
