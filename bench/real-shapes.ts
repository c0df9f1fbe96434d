/**
 * Measures the shape of real security bulletins (how many CVEs, KB articles, download
 * packages, file-table rows, registry keys, revisions and how much prose each has), so the
 * benchmark generator can produce bulletins of the same size and spread without copying a
 * word of them. Only counts leave this module; the archive itself is never stored.
 *
 * CLI: node bench/real-shapes.ts [ARCHIVE] [--out FILE]
 *   ARCHIVE defaults to ../shared/data/ms-bulletins-ja/SecurityBulletins-1999-2014.tar.xz
 *   (a .tar.xz or an extracted folder); writes bench/shapes.json.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';

/** Counts measured on one bulletin. */
export interface BulletinShape {
  /** Year of publication (from the file's folder, e.g. `2008/ms08-067.md`). */
  year: number;
  /** Distinct CVE / CAN ids mentioned. */
  cves: number;
  /** KB article numbers in the bulletin's subtitle, e.g. `(835732)`. */
  kbs: number;
  /** Distinct download packages (distinct `familyid=` links). */
  packages: number;
  /** Rows of file-information tables (file name, version, date, size). */
  fileRows: number;
  /**
   * Distinct versions in those tables' version column. Files of one update mostly share a
   * build (the real tables hold 9.7 rows per distinct version), and every distinct version
   * is a word the search index keeps.
   */
  fileVersions: number;
  /** Distinct `HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Updates\…` keys (proof-of-install keys). */
  registryKeys: number;
  /** Entries of the revision history (`V1.0 (…)`). */
  revisions: number;
  /** Section headings. */
  headings: number;
  /** Characters of running prose: tables, markup, link targets and runs of white space removed. */
  proseChars: number;
}

/** The field order of the compact rows in shapes.json. */
export const SHAPE_FIELDS = ['year', 'cves', 'kbs', 'packages', 'fileRows', 'registryKeys', 'revisions', 'headings', 'proseChars', 'fileVersions'] as const;

/**
 * How much of a vendor bulletin's prose the project's own hand-written bulletins keep: the
 * facts move to bulletin.yaml and the text is rewritten for administrators. Measured on the
 * project bulletins whose Microsoft original is in the archive.
 */
export interface EditorialRatio {
  bulletins: string[];
  microsoftProseChars: number;
  projectProseChars: number;
  /** projectProseChars / microsoftProseChars, rounded to 4 places. */
  ratio: number;
}

export interface ShapesFile {
  /** Where the counts come from. */
  source: string;
  editorial: EditorialRatio;
  /** Column names of `rows`. */
  fields: typeof SHAPE_FIELDS;
  /** One row per bulletin, sorted by year then the remaining columns (stable output). */
  rows: number[][];
}

const FILE_HEADER = /ファイル名|File ?name/i;
const SIZE_HEADER = /サイズ|Size/i;
const VERSION_HEADER = /バージョン|Version/i;

/** The cells of a Markdown table row, without the outer pipes. */
const cells = (row: string) => row.replace(/^\|/, '').replace(/\|\s*$/, '').split('|').map((cell) => cell.trim());

/** Counts the shape of one bulletin's Markdown (Microsoft Docs format). */
export function measureShape(markdown: string, year: number): BulletinShape {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const cves = new Set(Array.from(markdown.matchAll(/\b(?:CVE|CAN)-(\d{4})-(\d{4,7})\b/g), (m) => `${m[1]}-${m[2]}`));
  const families = new Set(Array.from(markdown.matchAll(/familyid=([0-9a-f-]{36})/gi), (m) => m[1]!.toLowerCase()));
  const keys = new Set(
    Array.from(markdown.matchAll(/HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Updates\\[^<|"*\]\n]+/gi), (m) => m[0].trim().toLowerCase()),
  );
  // The subtitle is the first setext/ATX level-2 heading; its trailing "(123456)" or
  // "(123456, 234567)" lists the update's KB articles.
  let kbs = 0;
  let start = 0;
  if (lines[0]?.trim() === '---') start = lines.findIndex((line, i) => i > 0 && line.trim() === '---') + 1;
  for (let i = start; i < lines.length; i++) {
    const next = lines[i + 1] ?? '';
    const isH2 = /^-{3,}\s*$/.test(next) && lines[i]!.trim() !== '' && !lines[i]!.startsWith('|');
    if (isH2 || lines[i]!.startsWith('## ')) {
      const match = /\(([\d\s,、and]+)\)\s*$/.exec(lines[i]!.trim());
      if (match) kbs = (match[1]!.match(/\d{5,8}/g) ?? []).length;
      break;
    }
  }
  let fileRows = 0;
  const fileVersions = new Set<string>();
  let versionColumn = -1;
  let revisions = 0;
  let headings = 0;
  let prose = '';
  let inFileTable = false;
  let inHtml = false;
  let inHistory = false;
  for (let i = start; i < lines.length; i++) {
    const line = lines[i]!;
    const trimmed = line.trim();
    if (trimmed.startsWith('|')) {
      if (FILE_HEADER.test(trimmed) && SIZE_HEADER.test(trimmed)) {
        inFileTable = true;
        versionColumn = cells(trimmed).findIndex((cell) => VERSION_HEADER.test(cell));
      } else if (inFileTable && !/^\|[\s:|-]+\|$/.test(trimmed)) {
        fileRows++;
        // A version has digits; "該当なし" (not applicable) and empty cells are not versions.
        const version = versionColumn >= 0 ? cells(trimmed)[versionColumn] : undefined;
        if (version && /\d/.test(version)) fileVersions.add(version);
      }
      continue;
    }
    inFileTable = false;
    if (/^<table/i.test(trimmed)) inHtml = true;
    if (inHtml) {
      if (/<\/table>/i.test(trimmed)) inHtml = false;
      continue;
    }
    if (/^#{1,6}\s/.test(trimmed) || (/^(?:-{3,}|={3,})$/.test((lines[i + 1] ?? '').trim()) && trimmed !== '')) headings++;
    // The revision history is a list of dated items under an 更新履歴 heading:
    // "-   2010/08/04: …" or "-   V1.0 (2014/11/19): …".
    if (/更新履歴|改訂履歴|Revisions/.test(trimmed) && trimmed.length < 40) inHistory = true;
    else if (inHistory && /^[-*]\s+(?:V\d+(?:\.\d+)*\s*\(?)?\d{4}\s*[/年-]/.test(trimmed)) revisions++;
    else if (inHistory && revisions > 0 && trimmed !== '' && !/^[-*]\s/.test(trimmed)) inHistory = false;
    prose += ` ${trimmed}`;
  }
  const proseChars = prose
        .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, ' ')
    .replace(/[*_#>`\\]|&nbsp;|^[-=]{3,}$/g, ' ')
    .replace(/\s+/g, ' ')
    .trim().length;
  return {
    year,
    cves: cves.size,
    kbs,
    packages: families.size,
    fileRows,
    fileVersions: fileVersions.size,
    registryKeys: keys.size,
    revisions,
    headings,
    proseChars,
  };
}

function markdownFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...markdownFiles(full));
    else if (entry.name.endsWith('.md')) out.push(full);
  }
  return out.sort();
}

/** Measures every bulletin in an extracted archive folder (files named `{year}/msYY-NNN.md`). */
export function measureFolder(dir: string): BulletinShape[] {
  return markdownFiles(dir)
    .filter((file) => /^ms\d{2}-\d{3}\.md$/i.test(path.basename(file)))
    .map((file) => {
      const yy = Number(/^ms(\d{2})/i.exec(path.basename(file))![1]);
      return measureShape(readFileSync(file, 'utf8'), yy >= 90 ? 1900 + yy : 2000 + yy);
    });
}

/** Prose of a project bulletin's Japanese text (summary, comment, body), measured like the archive's. */
export function projectProseChars(jaMarkdown: string): number {
  const text = jaMarkdown.replace(/\r\n?/g, '\n');
  const match = /^---[ \t]*\n([\s\S]*?)\n?---[ \t]*(?:\n|$)/.exec(text);
  if (!match) return measureShape(text, 0).proseChars;
  const front = (parse(match[1] ?? '') ?? {}) as { summary?: string; comment?: string };
  return measureShape([front.summary ?? '', front.comment ?? '', text.slice(match[0].length)].join('\n\n'), 0).proseChars;
}

/**
 * Compares the project's bulletins in `contentDir` with their originals in the extracted
 * archive `archiveDir` (`{year}/{id}.md`). `ids` limits it to those bulletins.
 */
export function measureEditorial(contentDir: string, archiveDir: string, ids?: readonly string[]): EditorialRatio {
  const bulletinsDir = path.join(contentDir, 'bulletins');
  const bulletins: string[] = [];
  let microsoft = 0;
  let project = 0;
  for (const id of [...(ids ?? readdirSync(bulletinsDir))].sort()) {
    const yy = /^ms(\d{2})-\d{3}$/.exec(id)?.[1];
    if (!yy) continue;
    const original = path.join(archiveDir, `${Number(yy) >= 90 ? 19 : 20}${yy}`, `${id}.md`);
    const own = path.join(bulletinsDir, id, 'ja.md');
    if (!existsSync(original) || !existsSync(own)) continue;
    bulletins.push(id);
    microsoft += measureShape(readFileSync(original, 'utf8'), 0).proseChars;
    project += projectProseChars(readFileSync(own, 'utf8'));
  }
  return { bulletins, microsoftProseChars: microsoft, projectProseChars: project, ratio: microsoft > 0 ? Math.round((project / microsoft) * 10_000) / 10_000 : 1 };
}

/** The compact, sorted form stored in bench/shapes.json. */
export function toShapesFile(shapes: readonly BulletinShape[], source: string, editorial: EditorialRatio): ShapesFile {
  const rows = shapes.map((shape) => SHAPE_FIELDS.map((field) => shape[field]));
  rows.sort((a, b) => {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
    return 0;
  });
  return { source, editorial, fields: SHAPE_FIELDS, rows };
}

/** Serialises a shapes file with one bulletin per line (readable diffs). */
export function formatShapesFile(file: ShapesFile): string {
  return `{\n  "source": ${JSON.stringify(file.source)},\n  "editorial": ${JSON.stringify(file.editorial)},\n  "fields": ${JSON.stringify(file.fields)},\n  "rows": [\n${file.rows
    .map((row) => `    ${JSON.stringify(row)}`)
    .join(',\n')}\n  ]\n}\n`;
}

export const ROOT = path.resolve(import.meta.dirname, '..');
export const REAL_ARCHIVE = path.resolve(ROOT, '..', 'shared', 'data', 'ms-bulletins-ja', 'SecurityBulletins-1999-2014.tar.xz');
export const SHAPES_SOURCE = 'MicrosoftDocs/security-updates.ja-jp @4eb9787a, SecurityBulletins 1999-2014 (counts only)';

/** Runs `fn` on an extracted copy of a .tar.xz archive, or on the folder itself. */
export function withArchive<T>(archive: string, fn: (dir: string) => T): T {
  if (statSync(archive).isDirectory()) return fn(archive);
  const temp = mkdtempSync(path.join(os.tmpdir(), 'kb-shapes-'));
  try {
    execFileSync('tar', ['-xJf', archive, '-C', temp]);
    return fn(temp);
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

/** Measures a .tar.xz archive or an extracted folder. */
export function measureArchive(archive: string): BulletinShape[] {
  return withArchive(archive, measureFolder);
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  let archive = REAL_ARCHIVE;
  let out = path.join(ROOT, 'bench', 'shapes.json');
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--out' && args[i + 1]) out = path.resolve(args[++i]!);
    else if (!args[i]!.startsWith('-')) archive = path.resolve(args[i]!);
    else {
      console.error(`real-shapes: unknown option ${args[i]}\nUsage: node bench/real-shapes.ts [ARCHIVE] [--out FILE]`);
      process.exit(2);
    }
  }
  const [shapes, editorial] = withArchive(archive, (dir) => [measureFolder(dir), measureEditorial(path.join(ROOT, 'content'), dir)] as const);
  writeFileSync(out, formatShapesFile(toShapesFile(shapes, SHAPES_SOURCE, editorial)));
  console.log(`measured ${shapes.length} bulletins from ${archive} into ${path.relative(process.cwd(), out)}`);
}
