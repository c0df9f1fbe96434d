/**
 * The HTML remark-gfm makes of a pipe table whose cells hold what `plainInlineHtml`
 * renders (plain text, escapes, `**strong**`, simple code and links, footnote marks,
 * bare tags, common character references): the file, registry, download and
 * install-switch tables that make up most of a vendor bulletin's body.
 * Parsing a table costs micromark more per character than anything else in bulletins,
 * and these tables need none of it. Anything else (other emphasis, images, tags with
 * attributes, literal links, rows without outer pipes) returns `undefined` and goes
 * through the pipeline; tests/render-markdown.test.ts checks the output against it.
 */
import { plainInlineHtml } from './markdown-inline.ts';

const DELIMITER_ROW = /^\|(?: *:?-+:? *\|)+$/;
const EDGE_WHITESPACE = /^\s|\s$/;
const TRAILING_BLANK_LINES = /(?:\n[ \t]*)+$/;

type Align = 'left' | 'right' | 'center' | undefined;

/** A pipe, or a backslash that may escape one. */
const PIPE_OR_BACKSLASH = /[|\\]/g;

/** Cells of a row that starts and ends with a pipe, raw; `\|` and `\\` stay escaped. */
function rowCells(row: string): string[] | undefined {
  if (row.length < 2 || row[0] !== '|' || row.at(-1) !== '|' || row.at(-2) === '\\') return undefined;
  const cells: string[] = [];
  // A cell is copied in slices between the characters that matter (file tables are long).
  let start = 1;
  PIPE_OR_BACKSLASH.lastIndex = 1;
  for (let match = PIPE_OR_BACKSLASH.exec(row); match; match = PIPE_OR_BACKSLASH.exec(row)) {
    const i = match.index;
    if (row[i] === '|') {
      cells.push(row.slice(start, i));
      start = i + 1;
    } else if (row[i + 1] === '|' || row[i + 1] === '\\') PIPE_OR_BACKSLASH.lastIndex = i + 2;
  }
  return cells;
}

/**
 * `text` without the characters of `blanks` at its end, and at its start too when
 * `bothEnds`; by index, as a regular expression anchored at the end (`/[ \t]+$/`) retries
 * at every blank inside a long row.
 */
function trimBlanks(text: string, blanks: string, bothEnds: boolean): string {
  let start = 0;
  let end = text.length;
  if (bothEnds) while (start < end && blanks.includes(text[start]!)) start++;
  while (end > start && blanks.includes(text[end - 1]!)) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/** A cell's HTML, or `undefined` when its text has inline syntax the shortcut leaves alone. */
function cellHtml(raw: string): string | undefined {
  const cell = trimBlanks(raw, ' ', true);
  return EDGE_WHITESPACE.test(cell) ? undefined : plainInlineHtml(cell);
}

function alignOf(delimiter: string): Align {
  const cell = delimiter.trim();
  const left = cell.startsWith(':');
  const right = cell.endsWith(':');
  return left && right ? 'center' : left ? 'left' : right ? 'right' : undefined;
}

function rowHtml(cells: readonly string[], aligns: readonly Align[], tag: 'th' | 'td'): string {
  const parts = aligns.map((align, i) => `<${tag}${align ? ` align="${align}"` : ''}>${cells[i] ?? ''}</${tag}>`);
  return `<tr>\n${parts.join('\n')}\n</tr>`;
}

/**
 * The HTML of a run that is exactly one pipe table of plain-text cells, as remark renders
 * it, or `undefined`.
 */
export function plainTableHtml(run: string): string | undefined {
  if (run[0] !== '|') return undefined;
  // Whitespace after a row's last pipe is not part of the row (vendor tables often end in two spaces).
  const lines = run.replace(TRAILING_BLANK_LINES, '').split('\n').map((line) => trimBlanks(line, ' \t', false));
  if (lines.length < 2 || !DELIMITER_ROW.test(lines[1]!)) return undefined;
  const aligns = lines[1]!.slice(1, -1).split('|').map(alignOf);
  const rows: string[][] = [];
  for (const [index, line] of lines.entries()) {
    if (index === 1) continue;
    const raw = rowCells(line);
    if (!raw) return undefined;
    const cells: string[] = [];
    for (const cell of raw) {
      const html = cellHtml(cell);
      if (html === undefined) return undefined;
      cells.push(html);
    }
    rows.push(cells);
  }
  // A header with another cell count than the delimiter row is no table at all.
  if (rows[0]!.length !== aligns.length) return undefined;
  const head = `<thead>\n${rowHtml(rows[0]!, aligns, 'th')}\n</thead>`;
  const body = rows.length > 1 ? `\n<tbody>\n${rows.slice(1).map((cells) => rowHtml(cells, aligns, 'td')).join('\n')}\n</tbody>` : '';
  return `<table>\n${head}${body}\n</table>`;
}
