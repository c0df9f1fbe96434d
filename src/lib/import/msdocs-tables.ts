/**
 * Tables of a Microsoft Docs bulletin: file-information rows read to exact bytes, the
 * registry keys that prove installation, and HTML tables rewritten as pipe tables.
 */
import { plainText, tables, type Table, type TableCell } from './markdown.ts';
import { parseByteSize, parseDateCell, parseVersionCell } from './numbers.ts';
import { cellHtmlToMarkdown, vendorMarkupToMarkdown } from './msdocs-markup.ts';

/** One row of a file-information table, read exactly. */
export interface FileRow {
  name: string;
  /** null where the table lists no version (`-` or empty) or has no version column. */
  version: string | null;
  /** ISO date, or null when the table has no date column. */
  date: string | null;
  size: number;
  folder?: string;
}

/** Every file-information table row whose size, date and version read exactly, plus the count of rows that did not. */
export function fileRows(allTables: Table[]): { tables: number; rows: FileRow[]; unreadable: number } {
  let count = 0;
  let unreadable = 0;
  const rows: FileRow[] = [];
  for (const t of allTables) {
    const name = t.header.findIndex((h) => /^(?:ファイル名|File ?Name)$/i.test(h));
    const size = t.header.findIndex((h) => /^(?:サイズ|ファイル サイズ|Size|File ?Size)$/i.test(h));
    if (name < 0 || size < 0) continue;
    const date = t.header.findIndex((h) => /^(?:日付|Date)$/i.test(h));
    const version = t.header.findIndex((h) => /バージョン|Version/i.test(h));
    const folder = t.header.findIndex((h) => /^(?:フォルダー?|Folder|パス|Path)$/i.test(h));
    let ok = 0;
    for (const row of t.rows) {
      const cells: TableCell[] = row;
      const file = cells[name]?.text ?? '';
      if (file === '') continue;
      const bytes = parseByteSize(cells[size]?.text ?? '');
      const day = date >= 0 ? parseDateCell(cells[date]?.text ?? '') : null;
      const ver = version >= 0 ? parseVersionCell(cells[version]?.text ?? '') : null;
      if (bytes === undefined || day === undefined || ver === undefined) {
        unreadable++;
        continue;
      }
      const where = folder >= 0 ? cells[folder]?.text : undefined;
      rows.push({ name: file, version: ver, date: day, size: bytes, ...(where ? { folder: where } : {}) });
      ok++;
    }
    if (ok > 0) count++;
  }
  return { tables: count, rows, unreadable };
}

/** File-information table rows of a Microsoft Docs bulletin, with exact byte sizes. */
export function msdocsFileRows(markdown: string): FileRow[] {
  return fileRows(tables(markdown.replace(/\r\n?/g, '\n').split('\n'))).rows;
}

/** Registry keys a Microsoft Docs bulletin names for verifying the installation. */
export function msdocsRegistryKeys(markdown: string): string[] {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  return readRegistryKeys(lines, tables(lines));
}

/** Registry keys that show an update is installed (…\Updates\… keys and the keys named in verification text). */
export function readRegistryKeys(lines: readonly string[], allTables: Table[]): string[] {
  const keys = new Set<string>();
  const KEY = /\b(HKEY_LOCAL_MACHINE|HKLM)\s*\\+\s*((?:[^\\\s"|<>]+(?: [^\\\s"|<>]+)*\\+)*[^\\\s"|<>]+(?: [^\\\s"|<>]+)*)/g;
  const scan = (text: string, always: boolean) => {
    for (const m of plainText(text).replace(/\\\\/g, '\\').matchAll(KEY)) {
      const path = m[2]!.replace(/\s*\\+\s*/g, '\\').replace(/\\$/, '').trim();
      if (always || /\\Updates\\/i.test(path)) keys.add(`HKEY_LOCAL_MACHINE\\${path}`);
    }
  };
  lines.forEach((line, i) => {
    if (!/HKEY_LOCAL_MACHINE|HKEY\\_LOCAL\\_MACHINE|HKLM/.test(line)) return;
    const context = lines.slice(Math.max(0, i - 4), i).join(' ');
    scan(line.replace(/\\_/g, '_'), /レジストリ\s*キーを(?:調べ|確認)|次のレジストリ キー|レジストリ キーの確認/.test(context));
  });
  for (const t of allTables) for (const row of t.rows) if (row.length >= 2 && /レジストリ\s*キーの確認/.test(row[0]!.text)) scan(row[1]!.markdown.replace(/\\_/g, '_'), true);
  return [...keys];
}

/**
 * The page from line `from`, with HTML tables turned into pipe tables (raw HTML does not
 * render) and the vendor's icons into text (msdocs-markup.ts). `missingImages` names the
 * page's own pictures, which the archive does not hold and the body leaves out.
 */
export function bodyMarkdown(lines: readonly string[], from: number, allTables: Table[]): { markdown: string; missingImages: string[] } {
  const html = new Map(allTables.filter((t) => t.kind === 'html' && t.start >= from).map((t) => [t.start, t]));
  const missing: string[] = [];
  const out: string[] = [];
  for (let i = from; i < lines.length; i++) {
    const line = lines[i]!;
    const table = html.get(i);
    if (table) {
      const before = line.slice(0, line.search(/<table\b/i)).trim();
      // A blank line first: after a paragraph or an HTML line the table would be their text.
      out.push('');
      if (before) out.push(before, '');
      out.push(...pipeTable(table, missing), '');
      i = table.end;
      continue;
    }
    out.push(line);
  }
  const body = vendorMarkupToMarkdown(out.join('\n'));
  return { markdown: body.markdown.replace(/\n{3,}/g, '\n\n').trim(), missingImages: [...missing, ...body.missingImages] };
}

function escapeCell(markdown: string, missing: string[]): string {
  return cellHtmlToMarkdown(markdown, missing)
    .replace(/<\/?(?:p|span|div|strong|em|b|i|sup|sub|font)\b[^>]*>/gi, (tag) => (/^<\/?(?:strong|b)\b/i.test(tag) ? '**' : ''))
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/\s*\n\s*/g, ' ')
    .replace(/(?<!\\)\|/g, '\\|')
    .trim();
}

function pipeTable(table: Table, missing: string[]): string[] {
  const width = Math.max(1, table.header.length, ...table.rows.map((row) => row.reduce((n, c) => n + c.colspan, 0)));
  const line = (cells: string[]) => `| ${[...cells, ...Array(Math.max(0, width - cells.length)).fill('')].slice(0, width).join(' | ')} |`;
  const out: string[] = [];
  if (table.caption) out.push(`**${table.caption}**`, '');
  out.push(line(table.header.length > 0 ? table.header.map((h) => escapeCell(h, missing)) : Array(width).fill('')));
  out.push(line(Array(width).fill('---')));
  for (const row of table.rows) {
    const cells: string[] = [];
    for (const c of row) {
      const content = escapeCell(c.markdown, missing);
      cells.push(c.header && content ? `**${content.replace(/\*\*/g, '')}**` : content);
      for (let k = 1; k < c.colspan; k++) cells.push('');
    }
    out.push(line(cells));
  }
  return out;
}
