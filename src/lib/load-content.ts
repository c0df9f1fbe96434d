/**
 * Reads a content folder into typed bulletins plus diagnostics. This is the one path from
 * files to data: `kb check`, the Astro content loader and the exports all call it, so a
 * bulletin the checker accepts is exactly what the site renders.
 *
 * Layout: `{content}/bulletins/{id}/bulletin.yaml` (facts), `ja.md`, `en.md` (text).
 */
import { hash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { BulletinFacts, BulletinText, LANGS, type Bulletin, type BulletinLanguage, type Lang } from '../../schemas/index.ts';
import type { Diagnostic } from './diagnostics.ts';
import { decodeUtf8, parseMarkdownSource, parseYamlSource, type Locator } from './parse-source.ts';
import { schemaDiagnostics } from './schema-diagnostics.ts';
import { crossCheck } from './cross-check.ts';

export interface LoadedContent {
  /** Bulletins that parsed, sorted by id. Only trustworthy when `errors === 0`. */
  bulletins: Bulletin[];
  diagnostics: Diagnostic[];
  /**
   * Positions of facts, for cross-document diagnostics and discrepancy checks, and the
   * languages whose file exists (parsed or not).
   */
  locators: Map<string, BulletinLocators>;
}

export interface BulletinLocators {
  facts: Locator;
  text: Partial<Record<Lang, Locator>>;
  /** Languages with a file in the folder, including files that failed to parse. */
  files: Lang[];
}

export interface SourceFile {
  /** Path relative to the content folder, with forward slashes. */
  relative: string;
  bytes: Uint8Array;
}

/** Parses one bulletin folder's files. Pure: takes bytes, returns data and diagnostics. */
export function parseBulletinFolder(
  folder: string,
  files: readonly SourceFile[],
  displayPath: (relative: string) => string,
): { bulletin?: Bulletin; diagnostics: Diagnostic[]; locators?: BulletinLocators } {
  const diagnostics: Diagnostic[] = [];
  const factsFile = files.find((f) => path.posix.basename(f.relative) === 'bulletin.yaml');
  const langFiles = new Map<Lang, SourceFile>();
  for (const file of files) {
    const base = path.posix.basename(file.relative);
    const lang = LANGS.find((l) => base === `${l}.md`);
    if (lang) langFiles.set(lang, file);
    else if (base !== 'bulletin.yaml') {
      diagnostics.push({
        file: displayPath(file.relative),
        line: 1,
        column: 1,
        severity: 'warning',
        code: 'STRAY_FILE',
        field: '-',
        message: `the build reads only bulletin.yaml, ${LANGS.map((l) => `${l}.md`).join(' and ')} here: rename or move this file`,
      });
    }
  }
  if (!factsFile) {
    const first = [...langFiles.values()][0];
    diagnostics.push({
      file: displayPath(first?.relative ?? `bulletins/${folder}/bulletin.yaml`),
      line: 1,
      column: 1,
      severity: 'error',
      code: 'FACTS_MISSING',
      field: '-',
      message: `bulletins/${folder}/ has no bulletin.yaml: add the facts file (run "kb new ID" for a template)`,
    });
    return { diagnostics };
  }

  const factsName = displayPath(factsFile.relative);
  const decoded = decodeUtf8(factsName, factsFile.bytes);
  diagnostics.push(...decoded.diagnostics);
  if (decoded.text === undefined) return { diagnostics };
  const source = parseYamlSource(factsName, decoded.text);
  diagnostics.push(...source.diagnostics);
  if (!source.parsed) return { diagnostics };
  const factsResult = BulletinFacts.safeParse(source.parsed.data ?? {});
  if (!factsResult.success) {
    if (source.parsed.data === null || typeof source.parsed.data !== 'object' || Array.isArray(source.parsed.data)) {
      diagnostics.push({ file: factsName, line: 1, column: 1, severity: 'error', code: 'SCHEMA_TYPE', field: '-', message: 'bulletin.yaml must be a mapping of fields (id: …, vendor: …)' });
    } else {
      diagnostics.push(...schemaDiagnostics(factsName, factsResult.error, BulletinFacts, source.parsed.data, source.parsed.locate));
    }
    return { diagnostics };
  }
  const facts = factsResult.data;
  const expectedFolder = facts.id.toLowerCase();
  if (folder !== expectedFolder) {
    const { line, column } = source.parsed.locate.at(['id']);
    diagnostics.push({
      file: factsName,
      line,
      column,
      severity: 'error',
      code: 'ID_MISMATCH',
      field: 'id',
      message: `id ${facts.id} belongs in folder bulletins/${expectedFolder}/, but the file is in bulletins/${folder}/: rename the folder or fix the id`,
    });
  }

  const text: Partial<Record<Lang, BulletinLanguage>> = {};
  const textLocators: Partial<Record<Lang, Locator>> = {};
  for (const [lang, file] of langFiles) {
    const name = displayPath(file.relative);
    const decodedText = decodeUtf8(name, file.bytes);
    diagnostics.push(...decodedText.diagnostics);
    if (decodedText.text === undefined) continue;
    const md = parseMarkdownSource(name, decodedText.text);
    diagnostics.push(...md.diagnostics);
    if (!md.parsed) continue;
    const parsed = BulletinText.safeParse(md.parsed.data);
    if (!parsed.success) {
      diagnostics.push(...schemaDiagnostics(name, parsed.error, BulletinText, md.parsed.data, md.parsed.locate));
      continue;
    }
    const value = parsed.data;
    textLocators[lang] = md.parsed.locate;
    if (value.lang !== lang) {
      const { line, column } = md.parsed.locate.at(['lang']);
      diagnostics.push({ file: name, line, column, severity: 'error', code: 'LANG_MISMATCH', field: 'lang', message: `lang is "${value.lang}" but the file is ${lang}.md: make them agree` });
      continue;
    }
    if (value.id !== facts.id) {
      const { line, column } = md.parsed.locate.at(['id']);
      diagnostics.push({ file: name, line, column, severity: 'error', code: 'ID_MISMATCH', field: 'id', message: `id is ${value.id} but bulletin.yaml says ${facts.id}: use the same id in every file of the bulletin` });
      continue;
    }
    const restated: Array<[keyof typeof value & keyof typeof facts, unknown, unknown]> = [
      ['kb', value.kb, facts.kb],
      ['cves', value.cves, facts.cves],
      ['severity', value.severity, facts.severity],
      ['published', value.published, facts.published],
    ];
    for (const [field, mine, theirs] of restated) {
      if (mine !== undefined && JSON.stringify(mine) !== JSON.stringify(theirs)) {
        const { line, column } = md.parsed.locate.at([field]);
        diagnostics.push({
          file: name,
          line,
          column,
          severity: 'error',
          code: 'FACT_MISMATCH',
          field,
          message: `${field} is ${JSON.stringify(mine)} here but ${JSON.stringify(theirs)} in bulletin.yaml: facts are written once in bulletin.yaml; fix or remove this line`,
        });
      }
    }
    text[lang] = { ...value, body: md.parsed.body, file: file.relative };
  }

  const bulletin: Bulletin = { ...facts, text, file: factsFile.relative };
  return { bulletin, diagnostics, locators: { facts: source.parsed.locate, text: textLocators, files: LANGS.filter((lang) => langFiles.has(lang)) } };
}

type FolderResult = ReturnType<typeof parseBulletinFolder>;

/**
 * What one load parsed, for the next load of the same folder to reuse: per bulletin
 * folder, a fingerprint of its files' names and bytes and what they parsed to. The dev
 * server keeps one, so a save re-parses only the folders whose files changed.
 */
export type ParseCache = Map<string, { fingerprint: string; result: FolderResult }>;

/** Names and SHA-256 of every file of a folder: equal only for byte-identical files. */
function fingerprint(files: readonly SourceFile[]): string {
  return files.map((file) => `${file.relative}\0${hash('sha256', file.bytes)}`).join('\0');
}

export interface LoadOptions {
  /** Folder paths in diagnostics are shown relative to this one (default: the working folder). */
  cwd?: string;
  /**
   * Results of the previous load of this folder with the same `cwd`: unchanged bulletin
   * folders are not parsed again. Updated in place to this load's results.
   */
  cache?: ParseCache;
}

/** Lists, reads and parses every bulletin below `contentDir`, then runs the cross-document checks. */
export async function loadContent(contentDir: string, options: LoadOptions = {}): Promise<LoadedContent> {
  const cwd = options.cwd ?? process.cwd();
  const root = path.resolve(cwd, contentDir);
  const displayPath = (relative: string) => {
    const shown = path.relative(cwd, path.join(root, relative));
    return (shown.startsWith('..') ? path.join(root, relative) : shown).split(path.sep).join('/');
  };
  const diagnostics: Diagnostic[] = [];
  const bulletinsDir = path.join(root, 'bulletins');
  let folders: string[];
  try {
    if (!(await stat(bulletinsDir)).isDirectory()) throw new Error('not a folder');
    folders = (await readdir(bulletinsDir, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
  } catch {
    diagnostics.push({
      file: displayPath('bulletins'),
      line: 1,
      column: 1,
      severity: 'error',
      code: 'CONTENT_DIR',
      field: '-',
      message: `no bulletins folder at ${displayPath('bulletins')}: point --content (or KB_CONTENT_DIR) at a folder that holds bulletins/{id}/bulletin.yaml`,
    });
    return { bulletins: [], diagnostics, locators: new Map() };
  }

  const bulletins: Bulletin[] = [];
  const locators: LoadedContent['locators'] = new Map();
  const cache = options.cache;
  const parsed: ParseCache = new Map();
  // Read folders in small parallel batches: I/O overlaps, memory stays bounded.
  const BATCH = 64;
  for (let i = 0; i < folders.length; i += BATCH) {
    const batch = folders.slice(i, i + BATCH);
    const results = await Promise.all(
      batch.map(async (folder) => {
        const dir = path.join(bulletinsDir, folder);
        const entries = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name).sort();
        const files = await Promise.all(
          entries.map(async (name) => ({ relative: `bulletins/${folder}/${name}`, bytes: await readFile(path.join(dir, name)) })),
        );
        if (!cache) return parseBulletinFolder(folder, files, displayPath);
        const key = fingerprint(files);
        const known = cache.get(folder);
        const result = known?.fingerprint === key ? known.result : parseBulletinFolder(folder, files, displayPath);
        parsed.set(folder, { fingerprint: key, result });
        return result;
      }),
    );
    for (const result of results) {
      diagnostics.push(...result.diagnostics);
      if (result.bulletin && result.locators) {
        bulletins.push(result.bulletin);
        locators.set(result.bulletin.id, result.locators);
      }
    }
  }
  if (cache) {
    // Only this load's folders: a deleted bulletin's results are not kept.
    cache.clear();
    for (const [folder, entry] of parsed) cache.set(folder, entry);
  }
  bulletins.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  diagnostics.push(...crossCheck(bulletins, locators, displayPath));
  return { bulletins, diagnostics, locators };
}
