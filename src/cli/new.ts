/**
 * `kb new ID [--content DIR] [--lang ja|en] [--from-legacy FILE | --from-msdocs FILE]`: writes `bulletins/{id}/` with bulletin.yaml,
 * ja.md and en.md, every field of the model present and explained (see `src/lib/scaffold.ts`).
 *
 * Exit status: 0 written; 1 the bulletin already exists (nothing is touched);
 * 2 usage error, including an id that is not of the form MS03-046.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BulletinId, Lang, LANGS } from '../../schemas/index.ts';
import { crossCheck } from '../lib/cross-check.ts';
import { formatDiagnostic } from '../lib/diagnostics.ts';
import type { ImportedBulletin } from '../lib/import/types.ts';
import { parseBulletinFolder } from '../lib/load-content.ts';
import type { ScaffoldFiles } from '../lib/scaffold.ts';
import { parseArgs, UsageError } from './args.ts';

export const newHelp = `Usage: kb new ID [--content DIR] [--lang ja|en]
       kb new ID --from-legacy FILE | --from-msdocs FILE [--content DIR]

Creates DIR/bulletins/{id}/ (default DIR: $KB_CONTENT_DIR or ./content) with bulletin.yaml,
ja.md and en.md. Every field of the model is in them with a comment saying what it means:
required fields hold a placeholder marked TODO, optional ones are commented out with an
example. The files pass "kb check" as written; replace the TODOs before publishing.

  ID           bulletin id, upper-case letters and digits in hyphen-separated groups,
               e.g. MS03-046 (a lower-case id is upper-cased)
  --lang L     language you write first (default ja); the other file is marked
               "translated_from: L" so "kb translations" can tell when it falls behind
  --from-legacy FILE   start from a vendor bulletin page (as "kb import legacy" reads it)
  --from-msdocs FILE   start from a Microsoft Docs bulletin (as "kb import msdocs" reads it)
               bulletin.yaml and ja.md are the importer's output; required facts the
               source lacks get a TODO placeholder; en.md is the translation template.
               The file must be about ID.

Exit status: 0 created; 1 the bulletin already exists, or the imported file cannot be
converted or would not pass "kb check" (nothing is written); 2 usage error or malformed id.`;

const SCHEMAS_DIR = fileURLToPath(new URL('../../schemas/', import.meta.url));

/** Today's date where the author is, as YYYY-MM-DD: the placeholder for `published`. */
function localDate(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Path from `from` to `to` with forward slashes, as a YAML modeline wants it. */
function relativeUrl(from: string, to: string): string {
  return path.relative(from, to).split(path.sep).join('/');
}

/** Reads the generated schemas and the model's examples: the scaffold's comments come from them. */
export async function scaffoldInputs(): Promise<{ factsSchema: Record<string, unknown>; textSchema: Record<string, unknown>; typeExamples: Record<string, unknown> }> {
  const { typeExamplesFromSource } = await import('../lib/scaffold.ts');
  const [facts, text, common] = await Promise.all([
    readFile(path.join(SCHEMAS_DIR, 'bulletin.schema.json'), 'utf8'),
    readFile(path.join(SCHEMAS_DIR, 'bulletin-text.schema.json'), 'utf8'),
    readFile(path.join(SCHEMAS_DIR, 'common.ts'), 'utf8'),
  ]);
  return { factsSchema: JSON.parse(facts), textSchema: JSON.parse(text), typeExamples: typeExamplesFromSource(common) };
}

/** Parses and normalises the ID argument; a malformed id is a usage error that shows the form. */
export function parseNewId(raw: string): string {
  const id = raw.trim().toUpperCase();
  const parsed = BulletinId.safeParse(id);
  if (!parsed.success) {
    throw new UsageError(
      `"${raw}" is not a bulletin id: write it as upper-case letters and digits in hyphen-separated groups, e.g. MS03-046 or MS99-999`,
    );
  }
  return parsed.data;
}

export class BulletinExistsError extends Error {}

/**
 * Writes the files into `{contentDir}/bulletins/{id}/` all at once: they are written into
 * a temporary folder beside `bulletins/` and moved into place, so a watcher (`npm run dev`)
 * never sees half a bulletin and an interrupted run leaves nothing behind.
 */
export async function writeBulletinFolder(contentDir: string, id: string, files: Partial<Record<string, string>>): Promise<string> {
  const bulletinsDir = path.join(contentDir, 'bulletins');
  const folder = path.join(bulletinsDir, id.toLowerCase());
  if (existsSync(folder)) {
    throw new BulletinExistsError(`${id} already exists: ${folder} is there. Edit its files, or pick another id`);
  }
  await mkdir(bulletinsDir, { recursive: true });
  const temp = path.join(contentDir, `.kb-new-${id.toLowerCase()}-${process.pid}`);
  await rm(temp, { recursive: true, force: true });
  await mkdir(temp);
  try {
    for (const [name, text] of Object.entries(files)) if (text !== undefined) await writeFile(path.join(temp, name), text);
    // Checked again right before the move: rename() would replace an empty folder made meanwhile.
    if (existsSync(folder)) throw new BulletinExistsError(`${id} already exists: ${folder} appeared while writing. Nothing was changed`);
    await rename(temp, folder);
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
  return folder;
}

/**
 * Reads one source file through the importer (`src/lib/import/`), exactly as `kb import`
 * does. Returns the converted bulletin, or why it cannot be used.
 */
async function importOne(kind: 'legacy' | 'msdocs', file: string, id: string): Promise<{ bulletin: ImportedBulletin; warnings: string[] } | string> {
  const [{ decodeVendorText, DecodeError }, { legacyToBulletin }, { msdocsToBulletin }] = await Promise.all([
    import('../lib/import/decode.ts'),
    import('../lib/import/legacy.ts'),
    import('../lib/import/msdocs.ts'),
  ]);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    return `cannot read it (${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message})`;
  }
  let text: string;
  try {
    text = decodeVendorText(bytes).text;
  } catch (error) {
    if (error instanceof DecodeError) return error.message;
    throw error;
  }
  // Recorded under its file name, as "kb import" records a file it is given.
  const name = path.basename(file);
  const outcome = kind === 'legacy' ? legacyToBulletin(text, name) : msdocsToBulletin(text, name);
  if (!outcome.bulletin) return `the ${kind} importer could not convert it: ${outcome.report.error ?? 'no bulletin found'}`;
  if (outcome.bulletin.id !== id) return `it is bulletin ${outcome.bulletin.id}, not ${id}: run "kb new ${outcome.bulletin.id} --from-${kind} ${file}"`;
  return { bulletin: outcome.bulletin, warnings: outcome.report.warnings };
}

/** The errors "kb check" would report for the new folder (cross-references were resolved already). */
function checkNewFolder(contentDir: string, id: string, files: ScaffoldFiles): string[] {
  const folder = id.toLowerCase();
  const display = (relative: string) => path.join(contentDir, relative).split(path.sep).join('/');
  const parsed = parseBulletinFolder(
    folder,
    Object.entries(files).map(([name, text]) => ({ relative: `bulletins/${folder}/${name}`, bytes: Buffer.from(text) })),
    display,
  );
  const diagnostics = [...parsed.diagnostics];
  if (parsed.bulletin && parsed.locators) {
    diagnostics.push(...crossCheck([parsed.bulletin], new Map([[parsed.bulletin.id, parsed.locators]]), display).filter((d) => d.code !== 'UNRESOLVED_REFERENCE'));
  }
  return diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);
}

export async function runNew(argv: readonly string[]): Promise<number> {
  const { options, positionals } = parseArgs(argv, {
    content: { value: true },
    lang: { value: true },
    'from-legacy': { value: true },
    'from-msdocs': { value: true },
    help: { value: false },
  });
  if (options.help) {
    console.log(newHelp);
    return 0;
  }
  if (positionals.length !== 1) {
    throw new UsageError(positionals.length === 0 ? 'give the id of the new bulletin, e.g. kb new MS99-999' : `give one id, not ${positionals.length}`);
  }
  const id = parseNewId(positionals[0]!);
  const sourceLang = Lang.safeParse(options.lang ?? 'ja');
  if (!sourceLang.success) throw new UsageError(`--lang must be one of ${LANGS.join(', ')}, not ${String(options.lang)}`);
  if (options['from-legacy'] && options['from-msdocs']) throw new UsageError('give --from-legacy or --from-msdocs, not both');
  const from = options['from-legacy']
    ? { kind: 'legacy' as const, file: options['from-legacy'] as string }
    : options['from-msdocs']
      ? { kind: 'msdocs' as const, file: options['from-msdocs'] as string }
      : undefined;
  // The importers read Japanese sources: the import is the ja text, en translates it.
  if (from && sourceLang.data !== 'ja') throw new UsageError(`--from-${from.kind} gives the Japanese text; it cannot be combined with --lang ${sourceLang.data}`);
  const contentDir = (options.content as string | undefined) || process.env.KB_CONTENT_DIR || 'content';
  const contentStat = await stat(contentDir).catch(() => undefined);
  if (!contentStat?.isDirectory()) {
    throw new UsageError(`the content folder ${contentDir} does not exist: create it, or point --content (or KB_CONTENT_DIR) at it`);
  }

  const folder = path.join(contentDir, 'bulletins', id.toLowerCase());
  // Loaded only now: the scaffold reads the model with the TypeScript parser, which takes a moment.
  const { placeholderLines, scaffoldBulletin, scaffoldFromImport } = await import('../lib/scaffold.ts');
  const inputs = await scaffoldInputs();
  let files: ScaffoldFiles = scaffoldBulletin({
    id,
    published: localDate(),
    sourceLang: sourceLang.data,
    ...inputs,
    schemaRefs: {
      facts: relativeUrl(path.resolve(folder), path.join(SCHEMAS_DIR, 'bulletin.schema.json')),
      text: relativeUrl(path.resolve(folder), path.join(SCHEMAS_DIR, 'bulletin-text.schema.json')),
    },
  });
  const notes: string[] = [];
  if (from) {
    if (existsSync(folder)) {
      console.error(`kb new: ${id} already exists: ${folder} is there. To refresh it from the source, use "kb import ${from.kind} ${from.file} --out ${contentDir}"`);
      return 1;
    }
    const imported = await importOne(from.kind, from.file, id);
    if (typeof imported === 'string') {
      console.error(`kb new: ${from.file}: ${imported}`);
      return 1;
    }
    const known = new Set((await readdir(path.join(contentDir, 'bulletins')).catch(() => [] as string[])).map((name) => name.toUpperCase()));
    const started = scaffoldFromImport(files, imported.bulletin, known);
    files = started.files;
    notes.push(...imported.warnings, ...started.notes);
    if (started.filled.length > 0) notes.push(`${started.filled.join(', ')}: not in ${from.file}; placeholder written, marked TODO`);
    const problems = checkNewFolder(contentDir, id, files);
    if (problems.length > 0) {
      console.error(`kb new: the bulletin made from ${from.file} would not pass "kb check"; nothing was written:\n${problems.map((p) => `  ${p}`).join('\n')}`);
      return 1;
    }
  }
  try {
    await writeBulletinFolder(contentDir, id, files);
  } catch (error) {
    if (error instanceof BulletinExistsError) {
      console.error(`kb new: ${error.message}`);
      return 1;
    }
    throw error;
  }

  const shown = (name: string) => path.join(folder, name).split(path.sep).join('/');
  console.log(`created ${Object.keys(files).map(shown).join(', ')}${from ? ` (bulletin.yaml and ja.md from ${from.file})` : ''}`);
  for (const note of notes) console.log(`note: ${note}`);
  const todo = placeholderLines(Object.fromEntries(Object.entries(files).map(([name, text]) => [shown(name), text])));
  console.log(`\nreplace the ${todo.length} placeholders marked TODO:`);
  for (const { file, line, text } of todo) console.log(`  ${file}:${line}: ${text}`);
  console.log(`\nthen: npm run check   (validates)\n      npm run dev     (preview: /${sourceLang.data}/bulletins/${id.toLowerCase()}/)`);
  return 0;
}
