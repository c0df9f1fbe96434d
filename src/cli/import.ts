/**
 * `kb import legacy FILE... [--out DIR]` and `kb import msdocs PATH... [--out DIR]`:
 * vendor pages and Microsoft Docs bulletins to content. Each input is read, converted,
 * merged with the bulletin already in the content folder (if that is allowed), checked
 * exactly as `kb check` would, and only then written. One bad input fails alone.
 * Exit 0 when every input imported, 1 when any failed, 2 on usage errors.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { crossCheck } from '../lib/cross-check.ts';
import { parseBulletinFolder, type SourceFile } from '../lib/load-content.ts';
import { importBytes } from '../lib/import/index.ts';
import { mergeFacts, mergeText } from '../lib/import/merge.ts';
import { bulletinMarkdown, bulletinYaml, readImportStamp, type ImportSource } from '../lib/import/serialize.ts';
import type { ImportedBulletin, ImportOutcome, ImportReport } from '../lib/import/types.ts';
import { parseArgs, UsageError } from './args.ts';

export const importHelp = `Usage: kb import legacy FILE... [--out DIR] [--force] [--report FILE]
       kb import msdocs PATH... [--out DIR] [--force] [--report FILE]

legacy   vendor bulletin pages scraped to text (cells end in " |"), in UTF-8,
         Shift_JIS/CP932 or EUC-JP; a folder imports every file in it
msdocs   Microsoft Docs security-bulletin Markdown: files, folders, or the
         SecurityBulletins-*.tar.xz archive (unpacked with tar -xJf)

Writes DIR/bulletins/{id}/bulletin.yaml and ja.md (DIR defaults to ./content).
A file written by an earlier import is refreshed while it is unchanged; a file a
person wrote or edited is kept, and the input fails with a message, unless
--force is given. Importing a vendor page into a folder that already holds the
Microsoft bulletin merges the two.

  --out DIR       content folder to write into (default: content)
  --force         overwrite bulletins written or edited by hand
  --report FILE   write a JSON report: per input, fields found, fields left in
                  the body, warnings, failures
Exit status: 0 all inputs imported, 1 any input failed, 2 usage error.`;

/** Largest input read; the biggest bulletin in Microsoft's archive is 0.7 MB. */
const MAX_INPUT_BYTES = 8 * 1024 * 1024;
const PROGRESS_EVERY = 100;

interface Input {
  /** Name shown to the user and recorded in the files. */
  name: string;
  file: string;
}

/** Expands the command line into input files, unpacking archives into `tmp`. */
function collectInputs(kind: ImportSource, paths: readonly string[], tmp: () => string): Input[] {
  const inputs: Input[] = [];
  const walk = (dir: string, base: string, prefix: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full, base, prefix);
      else if (entry.isFile() && (kind === 'legacy' || /\.md$/i.test(entry.name))) {
        inputs.push({ name: `${prefix}${path.relative(base, full).split(path.sep).join('/')}`, file: full });
      }
    }
  };
  for (const p of paths) {
    let stat;
    try {
      stat = statSync(p);
    } catch {
      throw new UsageError(`${p}: no such file or folder`);
    }
    if (stat.isDirectory()) walk(p, p, '');
    else if (/\.(?:tar\.xz|txz|tar)$/i.test(p)) {
      if (kind !== 'msdocs') throw new UsageError(`${p}: archives are read by "kb import msdocs"; give legacy pages as files or folders`);
      const dir = tmp();
      const result = spawnSync('tar', [/\.tar$/i.test(p) ? '-xf' : '-xJf', path.resolve(p), '-C', dir], { encoding: 'utf8' });
      if (result.error || result.status !== 0) {
        throw new UsageError(`${p}: tar could not unpack it (${result.error?.message ?? result.stderr.trim()}); check that the file is a .tar.xz archive and that tar and xz are installed`);
      }
      walk(dir, dir, `${path.basename(p)}:`);
    } else {
      // A file is recorded by its name only, so the written bulletin does not depend on
      // where the page happened to be on this machine.
      inputs.push({ name: path.basename(p), file: p });
    }
  }
  return inputs;
}

function convert(kind: ImportSource, input: Input): ImportOutcome {
  try {
    const size = statSync(input.file).size;
    if (size > MAX_INPUT_BYTES) return failed(kind, input, `the file is ${size} bytes; a bulletin page is never larger than ${MAX_INPUT_BYTES} bytes`);
    return importBytes(kind, readFileSync(input.file), input.name);
  } catch (error) {
    return failed(kind, input, `cannot read the file (${(error as Error).message})`);
  }
}

function failed(kind: ImportSource, input: Input, error: string): ImportOutcome {
  return { report: { input: input.name, importer: kind, status: 'failed', found: [], body_only: [], counts: {}, warnings: [], error } };
}

/** The `# Written by "kb import" from A; B.` list of an earlier import. */
function previousInputs(yamlText: string): string[] {
  const m = /^# Written by "kb import" from (.*)\.$/m.exec(yamlText);
  return m ? m[1]!.split('; ') : [];
}

function readExistingText(markdown: string): { frontmatter: Record<string, unknown>; body: string } | undefined {
  const m = /^---[ \t]*\n([\s\S]*?)\n?---[ \t]*(?:\n|$)/.exec(markdown.replace(/\r\n?/g, '\n'));
  if (!m) return undefined;
  const data = parseDocument(m[1]!).toJS() as unknown;
  if (!data || typeof data !== 'object') return undefined;
  return { frontmatter: data as Record<string, unknown>, body: markdown.replace(/\r\n?/g, '\n').slice(m[0].length).replace(/^\n/, '') };
}

interface WriteResult {
  status: 'imported' | 'unchanged' | 'failed';
  error?: string;
}

/** Merges, checks and writes one bulletin. Pure apart from reading and writing its folder. */
function writeBulletin(outDir: string, bulletin: ImportedBulletin, force: boolean, report: ImportReport): WriteResult {
  const folderName = bulletin.id.toLowerCase();
  const folder = path.join(outDir, 'bulletins', folderName);
  const factsPath = path.join(folder, 'bulletin.yaml');
  const textPath = path.join(folder, 'ja.md');
  const shown = (p: string) => p;

  let facts = bulletin.facts;
  let text = bulletin.ja;
  let sources: ImportSource[] = [bulletin.source];
  let from = [`${bulletin.source} ${bulletin.from}`];
  const existingFacts = existsSync(factsPath) ? readFileSync(factsPath, 'utf8') : undefined;
  const existingText = existsSync(textPath) ? readFileSync(textPath, 'utf8') : undefined;
  for (const [file, content] of [
    [factsPath, existingFacts],
    [textPath, existingText],
  ] as const) {
    if (content === undefined || force) continue;
    const stamp = readImportStamp(content);
    if (!stamp) return { status: 'failed', error: `${shown(file)} was written by hand (it has no "kb import" stamp); kept it. Re-run with --force to merge this import into it` };
    if (!stamp.intact) return { status: 'failed', error: `${shown(file)} was edited after the last import; kept the edits. Re-run with --force to overwrite it` };
  }
  if (existingFacts !== undefined) {
    const stamp = readImportStamp(existingFacts);
    const previous = stamp?.sources ?? [];
    const sameSourceOnly = stamp !== undefined && previous.every((s) => s === bulletin.source);
    if (!sameSourceOnly) {
      // Another source (or a person) wrote this bulletin: keep what the import does not carry.
      const parsed = parseDocument(existingFacts).toJS() as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) facts = mergeFacts(parsed as Record<string, unknown>, facts);
      const old = existingText !== undefined ? readExistingText(existingText) : undefined;
      if (old) text = mergeText(old, text);
      sources = [...new Set([...previous, bulletin.source])];
      from = [...new Set([...previousInputs(existingFacts).filter((f) => !f.startsWith(`${bulletin.source} `)), ...from])];
      report.warnings.push(`merged into the existing bulletin (${stamp ? `imported from ${previous.join(', ')}` : 'written by hand'}): fields this input does not carry were kept`);
    }
  }
  for (const field of ['published', 'severity'] as const) {
    if (facts[field] === undefined) {
      return {
        status: 'failed',
        error: `${field}: the page does not give it and there is no bulletin ${bulletin.id} in ${shown(outDir)} to take it from; import Microsoft's bulletin first (kb import msdocs …) into the same --out folder, then this page`,
      };
    }
  }
  if (facts.urgency === undefined) {
    return { status: 'failed', error: 'urgency: the page\'s 対応策 names no urgency (至急, できるだけ早く, …) and no existing bulletin gives one' };
  }

  const yamlText = bulletinYaml(facts, { sources, from });
  const mdText = bulletinMarkdown(text.frontmatter, text.body, { sources });
  // Check the folder exactly as kb check will: these two files plus any others already there (en.md).
  const files: SourceFile[] = [
    { relative: `bulletins/${folderName}/bulletin.yaml`, bytes: Buffer.from(yamlText) },
    { relative: `bulletins/${folderName}/ja.md`, bytes: Buffer.from(mdText) },
  ];
  if (existsSync(folder)) {
    for (const name of readdirSync(folder).sort()) {
      if (name === 'bulletin.yaml' || name === 'ja.md' || name.startsWith('.')) continue;
      const full = path.join(folder, name);
      if (statSync(full).isFile()) files.push({ relative: `bulletins/${folderName}/${name}`, bytes: readFileSync(full) });
    }
  }
  const display = (relative: string) => path.join(outDir, relative);
  const parsed = parseBulletinFolder(folderName, files, display);
  const diagnostics = [...parsed.diagnostics];
  if (parsed.bulletin && parsed.locators) {
    // References to other bulletins were resolved against the whole content folder already.
    const relevant = (locators: Parameters<typeof crossCheck>[1]) =>
      crossCheck([parsed.bulletin!], locators, display).filter((d) => d.code !== 'UNRESOLVED_REFERENCE');
    // Positions cost a second, full YAML parse, and every import gets a TRANSLATION_MISSING
    // warning: check without positions first, and locate only when there is an error to show.
    const noPositions = { at: () => ({ line: 1, column: 1 }) };
    const quick = relevant(new Map([[parsed.bulletin.id, { facts: noPositions, text: { ja: noPositions } }]]));
    diagnostics.push(...(quick.some((d) => d.severity === 'error') ? relevant(new Map([[parsed.bulletin.id, parsed.locators]])) : quick));
  }
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || !parsed.bulletin) {
    const shownErrors = errors.slice(0, 5).map((d) => `${d.file}:${d.line}:${d.column}: ${d.code} ${d.field}: ${d.message}`);
    return { status: 'failed', error: `the converted bulletin would not pass kb check:\n  ${shownErrors.join('\n  ')}${errors.length > 5 ? `\n  … and ${errors.length - 5} more` : ''}` };
  }

  if (existingFacts === yamlText && existingText === mdText) return { status: 'unchanged' };
  mkdirSync(folder, { recursive: true });
  // Write both files next to their targets, then rename: a reader never sees half a file.
  const tmpFacts = `${factsPath}.kb-import-${process.pid}`;
  const tmpText = `${textPath}.kb-import-${process.pid}`;
  try {
    writeFileSync(tmpFacts, yamlText);
    writeFileSync(tmpText, mdText);
    renameSync(tmpFacts, factsPath);
    renameSync(tmpText, textPath);
  } finally {
    rmSync(tmpFacts, { force: true });
    rmSync(tmpText, { force: true });
  }
  return { status: 'imported' };
}

/** Keeps references to other bulletins only when they exist in the content folder or this run. */
function resolveReferences(bulletin: ImportedBulletin, known: Set<string>, report: ImportReport): void {
  for (const field of ['supersedes', 'superseded_by', 'related'] as const) {
    const ids = bulletin.facts[field];
    if (!Array.isArray(ids)) continue;
    const kept = ids.filter((id) => known.has(String(id)));
    const dropped = ids.filter((id) => !known.has(String(id)));
    if (dropped.length > 0) {
      report.warnings.push(`${field}: ${dropped.join(', ')} not in the content folder or this import; kept in the body only`);
      report.body_only.push({ field, reason: `${dropped.join(', ')} not in the content folder` });
    }
    if (kept.length > 0) bulletin.facts[field] = kept;
    else delete bulletin.facts[field];
  }
}

/** Fields whose extraction rate the summary prints. */
const RATE_FIELDS = ['published', 'modified', 'severity', 'impact', 'kb', 'cves', 'affected', 'not_affected', 'revision_history', 'supersedes', 'references', 'files', 'registry_keys', 'packages'];

export async function importCommand(argv: readonly string[]): Promise<number> {
  const { options, positionals } = parseArgs(argv, { out: { value: true }, force: { value: false }, report: { value: true }, help: { value: false } });
  if (options.help) {
    console.log(importHelp);
    return 0;
  }
  const [kind, ...paths] = positionals;
  if (kind !== 'legacy' && kind !== 'msdocs') throw new UsageError(kind ? `unknown importer "${kind}": use legacy or msdocs` : 'say which importer: kb import legacy FILE... or kb import msdocs PATH...');
  if (paths.length === 0) throw new UsageError(`give at least one ${kind === 'legacy' ? 'file' : 'file, folder or .tar.xz archive'} to import`);
  const outDir = (options.out as string | undefined) ?? 'content';
  const force = options.force === true;
  const reportFile = options.report as string | undefined;

  const temps: string[] = [];
  const tmp = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kb-import-'));
    temps.push(dir);
    return dir;
  };
  try {
    const inputs = collectInputs(kind, paths, tmp);
    if (inputs.length === 0) throw new UsageError(`no ${kind === 'msdocs' ? '.md ' : ''}files found in ${paths.join(', ')}`);
    const reports: ImportReport[] = [];
    const converted: Array<{ bulletin: ImportedBulletin; report: ImportReport }> = [];
    const seen = new Map<string, string>();
    const progress = inputs.length > PROGRESS_EVERY;
    const started = Date.now();
    inputs.forEach((input, i) => {
      const outcome = convert(kind, input);
      if (outcome.bulletin) {
        const first = seen.get(outcome.bulletin.id);
        if (first) {
          outcome.report.status = 'failed';
          outcome.report.error = `${outcome.bulletin.id} was already imported from ${first} in this run`;
        } else {
          seen.set(outcome.bulletin.id, input.name);
          converted.push({ bulletin: outcome.bulletin, report: outcome.report });
        }
      }
      reports.push(outcome.report);
      if (progress && (i + 1) % PROGRESS_EVERY === 0) {
        const failed = reports.filter((r) => r.status === 'failed').length;
        console.error(`kb import ${kind}: read ${i + 1}/${inputs.length} files (${failed} failed)`);
      }
    });

    const bulletinsDir = path.join(outDir, 'bulletins');
    const known = new Set<string>(seen.keys());
    if (existsSync(bulletinsDir)) {
      for (const entry of readdirSync(bulletinsDir, { withFileTypes: true })) if (entry.isDirectory()) known.add(entry.name.toUpperCase());
    }
    converted.forEach(({ bulletin, report }, i) => {
      resolveReferences(bulletin, known, report);
      const result = writeBulletin(outDir, bulletin, force, report);
      report.status = result.status;
      if (result.error) report.error = result.error;
      if (progress && (i + 1) % PROGRESS_EVERY === 0) console.error(`kb import ${kind}: wrote ${i + 1}/${converted.length} bulletins`);
    });

    const failed = reports.filter((r) => r.status === 'failed');
    const written = reports.filter((r) => r.status === 'imported').length;
    const unchanged = reports.filter((r) => r.status === 'unchanged').length;
    const ok = reports.filter((r) => r.status !== 'failed');
    // Per field: bulletins it was read from, how many of those hold it as a fact (the rest
    // keep it in the body because the model cannot hold it), and items read.
    const rates: Record<string, { bulletins: number; in_facts: number; items: number; percent: number }> = {};
    for (const field of RATE_FIELDS) {
      const has = ok.filter((r) => r.found.includes(field) || (r.counts[field] ?? 0) > 0);
      rates[field] = {
        bulletins: has.length,
        in_facts: has.filter((r) => r.found.includes(field)).length,
        items: ok.reduce((n, r) => n + (r.counts[field] ?? 0), 0),
        percent: ok.length === 0 ? 0 : Math.round((has.length / ok.length) * 1000) / 10,
      };
    }
    const warnings = reports.reduce((n, r) => n + r.warnings.length, 0);
    for (const r of failed) console.error(`${r.input}: error: ${r.error}`);
    const list = (entries: Array<[string, { bulletins: number; percent: number }]>) => entries.map(([k, v]) => `${k} ${v.bulletins} (${v.percent}%)`).join(', ');
    const inFacts = Object.entries(rates).filter(([, v]) => v.in_facts > 0 && v.in_facts === v.bulletins);
    const bodyOnly = Object.entries(rates).filter(([, v]) => v.bulletins > v.in_facts);
    console.error(
      `kb import ${kind}: ${inputs.length} file${inputs.length === 1 ? '' : 's'}, ${ok.length} bulletin${ok.length === 1 ? '' : 's'} imported into ${outDir} (${written} written, ${unchanged} unchanged), ${failed.length} failed, ${warnings} warning${warnings === 1 ? '' : 's'}${reportFile ? ` (listed in ${reportFile})` : ' (--report FILE lists them)'}; ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    if (inFacts.length > 0) console.error(`  facts found in: ${list(inFacts)}`);
    if (bodyOnly.length > 0) console.error(`  read but kept in the body (the content model has no place for them): ${list(bodyOnly.map(([k, v]) => [k, { bulletins: v.bulletins - v.in_facts, percent: Math.round(((v.bulletins - v.in_facts) / ok.length) * 1000) / 10 }]))}`);
    if (reportFile) {
      const summary = { files: inputs.length, bulletins: ok.length, written, unchanged, failed: failed.length, warnings };
      writeFileSync(reportFile, `${JSON.stringify({ importer: kind, out: outDir, summary, rates, inputs: reports }, null, 2)}\n`);
    }
    return failed.length > 0 ? 1 : 0;
  } finally {
    for (const dir of temps) rmSync(dir, { recursive: true, force: true });
  }
}
