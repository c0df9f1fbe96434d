/**
 * Bulletins to spreadsheet exports (`/exports/bulletins.csv`, `/exports/files.csv`).
 *
 * RFC 4180: CRLF after every record, fields quoted when they hold a quote, comma, CR or
 * LF, quotes doubled. UTF-8 with a byte order mark, because Excel on a Japanese Windows
 * reads a CSV without one as Shift_JIS and garbles every Japanese title.
 *
 * Cells are text from many hands, and a spreadsheet runs a cell that starts with `=`,
 * `+`, `-` or `@` (or a tab or CR, which some importers strip first) as a formula. Such
 * cells get a leading apostrophe, the spreadsheet convention for "this is text"; the
 * full-width forms (＝ ＋ － ＠) are treated the same, since Japanese Excel converts them.
 */
import { LANGS, type Bulletin } from '../../schemas/index.ts';
import { byNewest } from './to-api.ts';
import { csafDocumentRefs } from './to-csaf.ts';
import { productLabel, updateUnits } from './update-units.ts';
import { absoluteUrl, paths } from './urls.ts';

export type CsvValue = string | number | boolean | null | undefined;

export const CSV_BOM = '\uFEFF';
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/** One field: neutralised when it could run as a formula, quoted when RFC 4180 requires. */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'string' ? value : String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A whole CSV file: BOM, header, rows, each record ending in CRLF. */
export function toCsv(header: readonly string[], rows: Iterable<readonly CsvValue[]>): string {
  return [...csvChunks(header, rows)].join('');
}

/** `toCsv` a record at a time (the build's data worker writes the exports from them). */
export function* csvChunks(header: readonly string[], rows: Iterable<readonly CsvValue[]>): Generator<string> {
  const record = (cells: readonly CsvValue[]) => `${cells.map(csvCell).join(',')}\r\n`;
  yield CSV_BOM + record(header);
  for (const row of rows) yield record(row);
}

const list = (values: readonly (string | number)[]) => values.join('; ');

export const BULLETINS_CSV_HEADER = [
  'id',
  'kb',
  'cves',
  'severity',
  'impact',
  'urgency',
  'published',
  'modified',
  'withdrawn',
  'title_ja',
  'title_en',
  'products',
  'supersedes',
  'superseded_by',
  'page_ja',
  'page_en',
  'json',
  'csaf',
] as const;

/** `/exports/bulletins.csv`: one row per bulletin, newest first. */
export function toBulletinsCsv(bulletins: readonly Bulletin[]): string {
  const rows = [...bulletins].sort(byNewest).map((b) => {
    const csaf = csafDocumentRefs(b)[0];
    return [
      b.id,
      list(b.kb),
      list(b.cves),
      b.severity,
      b.impact,
      b.urgency,
      b.published,
      b.modified,
      b.withdrawn,
      b.text.ja?.title,
      b.text.en?.title,
      list([...new Set(b.affected.map(productLabel))]),
      list(b.supersedes),
      list(b.superseded_by),
      absoluteUrl(paths.bulletin('ja', b.id)),
      absoluteUrl(paths.bulletin('en', b.id)),
      absoluteUrl(paths.apiBulletin(b.id)),
      csaf ? absoluteUrl(csaf.path) : undefined,
    ];
  });
  return toCsv(BULLETINS_CSV_HEADER, rows);
}

export const FILES_CSV_HEADER = [
  'bulletin',
  'kb',
  'published',
  'severity',
  'platform',
  'product',
  'service_pack',
  'installed_on',
  'package',
  'package_language',
  'architecture',
  'package_url',
  'folder',
  'file_name',
  'date',
  'version',
  'size_bytes',
  'file_architecture',
  'branch',
  'installer_helper',
  ...LANGS.map((l) => `description_${l}`),
  ...LANGS.map((l) => `note_${l}`),
] as const;

const inLang = (value: Bulletin['packages'][number]['files'][number]['description'], lang: (typeof LANGS)[number]) =>
  value === undefined ? undefined : typeof value === 'string' ? value : value[lang];

/**
 * `/exports/files.csv`: one row per installed file, bulletins newest first, files in
 * bulletin order (packages, then files listed on affected products).
 */
export function toFilesCsv(bulletins: readonly Bulletin[]): string {
  return [...filesCsvChunks(bulletins)].join('');
}

/** `toFilesCsv` a record at a time, each row made when it is written (see `csvChunks`). */
export function filesCsvChunks(bulletins: readonly Bulletin[]): Generator<string> {
  return csvChunks(FILES_CSV_HEADER, fileRows(bulletins));
}

function* fileRows(bulletins: readonly Bulletin[]): Generator<CsvValue[]> {
  for (const b of [...bulletins].sort(byNewest)) {
    for (const unit of updateUnits(b)) {
      const pkg = unit.package;
      for (const f of unit.files) {
        yield [
          b.id,
          list(b.kb),
          b.published,
          unit.product?.severity ?? b.severity,
          unit.platform,
          unit.product?.product,
          unit.product?.service_pack,
          unit.product?.installed_on,
          pkg?.file_name,
          pkg?.language,
          pkg?.architecture,
          pkg?.url,
          f.folder,
          f.name,
          f.date,
          f.version,
          f.size,
          f.architecture,
          f.branch,
          f.installer_helper,
          ...LANGS.map((l) => inLang(f.description, l)),
          ...LANGS.map((l) => inLang(f.note, l)),
        ];
      }
    }
  }
}
