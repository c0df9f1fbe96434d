/**
 * Cuts a Markdown document into runs of top-level blocks that render independently, so
 * `renderMarkdown` can render (and remember) each run on its own: vendor bulletins repeat
 * whole sections word for word, and one 300 KB body parsed in one piece costs micromark
 * far more than its sections do one at a time.
 *
 * A cut goes before a line that starts in column 0 after a blank line. In CommonMark such
 * a line can continue nothing above it (a blank line ends paragraphs, tables, block
 * quotes, HTML blocks of kinds 6–7; a line that is not indented ends list items and
 * indented code), with these exceptions, which this module handles conservatively:
 *
 * - a list marker continues the list above it (loose list): no cut before `- `, `1. `…
 *   while the run holds a list (a line with a list marker indented up to three spaces);
 * - how a list item or block quote ends depends on what follows it (a list item's fenced
 *   code keeps its last blank lines before a block quote, not before a paragraph): no cut
 *   after a blank line whose last line above is a quote, or is indented outside a list,
 *   nor after a list item in a run that holds a fence. Vendor text writes its lists
 *   `-   item`, with indented continuation lines, followed by a heading or a paragraph:
 *   cutting after one-line items took 7 % of the real archive's characters out of the
 *   pipeline (22.0 → 20.4 M), cutting after indented lines of a list too 17 % of what was
 *   left (8.7 → 7.2 M), because the lists alone repeat across bulletins;
 * - an open fenced code block keeps going: fences opened in column 0 are tracked, and a
 *   fence line indented 1–3 spaces (top level or in a list item? only a parser knows)
 *   makes the whole document one run;
 * - a fence line inside an HTML block is HTML, and only a parser knows whether a line
 *   starting with `<` starts an HTML block or continues a paragraph: a document where a
 *   fence line follows such a line before the next blank line is one run;
 * - link reference definitions and footnotes are document-wide, HTML blocks of kinds 1–5
 *   (`<!--`, `<script`, `<pre`, …) span blank lines, `\r` is a line ending and a
 *   byte-order mark is dropped only at the document start: a document with `]:`, `[^`,
 *   such an HTML start, `\r` or U+FEFF is one run. An escaped `\]:` ends no label (vendor
 *   text writes `\[HKEY_…\]:Version`), so it does not count;
 * - `renderMarkdown` keys its cache with NUL and cuts batches at U+E000: a document
 *   holding either is one run.
 *
 * The rendered runs joined with a newline are the rendered document: mdast-util-to-hast
 * joins top-level blocks the same way. tests/render-markdown.test.ts checks this against
 * the one-piece pipeline on fixtures and on generated hostile Markdown.
 */
import { plainInlineHtml } from './markdown-inline.ts';

/** Documents that are rendered in one piece (see the module comment). */
const ONE_PIECE = /\r|\uFEFF|\0|\uE000|(?<!(?<!\\)\\)\]:|\[\^|^ {0,3}<(?:script|pre|style|textarea|[!?])|^ {1,3}(?:`{3}|~{3})/im;
/** A line that may start an HTML block of kind 6 or 7, which lasts until a blank line. */
const HTML_START = /^ {0,3}</;
const FENCE_LIKE = /^ {0,3}(?:`{3}|~{3})/;
const BLANK = /^[ \t]*$/;
/** A line that may start a run: not indented, not a list item continuing a list. */
const LIST_MARKER = /^(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)/;
/** Fence openers in column 0; a backtick fence's info string has no backtick. */
const FENCE_OPEN = /^(?:(`{3,})[^`]*|(~{3,}).*)$/;
const FENCE_CLOSE = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;

/** A line in column 0 that neither is nor continues a list item or a block quote. */
function startsBlock(line: string): boolean {
  const first = line.charCodeAt(0);
  return first !== 32 && first !== 9 && first !== 62 && !LIST_MARKER.test(line);
}

/**
 * A list item of one line whose text starts one space after its marker (`- text`,
 * `1. text`): after it, a blank line and a line in column 0 that is no list marker end the
 * list whatever that line is. Items that may hold code (a fence, or text indented enough
 * to be indented code) keep the conservative rule: their end depends on what follows.
 */
const SIMPLE_ITEM = /^(?:[-+*]|\d{1,9}[.)]) {1,4}[^ \t]/;
/** A line that may start or continue a list item, indented up to three spaces. */
const ANY_LIST_MARKER = /^ {0,3}(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)/;
const FENCE_ANYWHERE = /`{3}|~{3}/;
/**
 * An indented line in a run that holds a list: a list item's continuation, nested item,
 * quote, HTML or indented code. A blank line and a line in column 0 that is no list
 * marker end the list, and the item renders the same whatever that line starts.
 */
const LIST_TEXT = /^ +[^ \t]/;

/**
 * The runs of top-level blocks of `markdown`, each with the blank lines that follow it
 * (blank lines before the first are dropped), or `undefined` when the document must be
 * rendered in one piece.
 */
export function splitMarkdownBlocks(markdown: string): string[] | undefined {
  if (ONE_PIECE.test(markdown)) return undefined;
  const lines = markdown.split('\n');
  const runs: string[] = [];
  let start = -1;
  let afterBlank = false;
  let fence: string | undefined;
  let html = false;
  let lastContent = '';
  // The run so far has a fence somewhere (in a list item, a quote…): no cut after its items.
  let runFence = false;
  // The run so far has a list: a list marker after a blank line may continue it (loose list).
  let runList = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (fence !== undefined) {
      // Inside fenced code every line, blank or not, belongs to the run.
      if (!BLANK.test(line)) lastContent = line;
      const close = FENCE_CLOSE.exec(line);
      if (close && close[1]![0] === fence[0] && close[1]!.length >= fence.length) fence = undefined;
      continue;
    }
    if (BLANK.test(line)) {
      afterBlank = start >= 0;
      html = false;
      continue;
    }
    const cut =
      afterBlank &&
      // Before a block in column 0, after a block that ends at a blank line (or a list
      // item's line, which a blank line and such a block end, unless the run holds a
      // fence); before a list marker only when no list is open that it could continue.
      ((startsBlock(line) && (startsBlock(lastContent) || (!runFence && (SIMPLE_ITEM.test(lastContent) || (runList && LIST_TEXT.test(lastContent)))))) ||
        (LIST_MARKER.test(line) && !runList && startsBlock(lastContent)));
    if (cut) {
      // The blank lines stay with the run above, where they end its blocks.
      runs.push(lines.slice(start, i).join('\n'));
      start = i;
      runFence = false;
      runList = false;
    }
    if (start < 0) start = i;
    afterBlank = false;
    lastContent = line;
    if (FENCE_ANYWHERE.test(line)) runFence = true;
    if (ANY_LIST_MARKER.test(line)) runList = true;
    if (HTML_START.test(line)) html = true;
    else if (html && FENCE_LIKE.test(line)) return undefined;
    const open = FENCE_OPEN.exec(line);
    if (open) fence = open[1] ?? open[2];
  }
  if (start >= 0) runs.push(lines.slice(start).join('\n'));
  return runs;
}

/**
 * Line shapes that make a run more than one paragraph, or a paragraph whose lines the
 * shortcut would have to rewrite: indentation, list and quote markers (a digit only as
 * an ordered list's `1.` or `1)`: dates and versions start lines too; `-` and `+` only
 * before a space or another `-`, so a command's `-m` is text; `-:` is a one-column table's
 * delimiter row), headings, setext
 * and table delimiter rows, HTML (an autolink `<https://…>` starts none), fences, images,
 * empty lines, pipes. A line may start
 * with `**` followed by text (strong emphasis) or with `[` (a link: a document that could
 * hold a definition is never cut into runs).
 */
const NOT_PARAGRAPH = /^[ \t=>#|`~_:!]|^-(?:[ \t:-]|$)|^\+(?:[ \t]|$)|^<(?!https?:\/\/)|^\d{1,9}[.)](?:[ \t]|$)|^\*(?!\*[^\s*])|^$|\|/m;
const TRAILING_BLANK_LINES = /(?:\n[ \t]*)+$/;

/**
 * The HTML of a run that is one paragraph of plain text (escapes and `**strong**`
 * allowed, see `plainInlineHtml`), exactly as remark renders it, or `undefined`.
 */
export function plainParagraphHtml(run: string): string | undefined {
  // Blank lines after a paragraph end it and add nothing.
  const text = run.replace(TRAILING_BLANK_LINES, '');
  if (NOT_PARAGRAPH.test(text)) return undefined;
  const html = plainInlineHtml(text);
  return html === undefined ? undefined : `<p>${html}</p>`;
}

/** An ATX heading on one line: marker, spaces, text not ending in a closing `#` sequence. */
const HEADING = /^(#{1,6}) +([^ \t\n#](?:[^\n\t]*[^ \t\n#])?) *$/;

/**
 * The HTML of a run that is one ATX heading of plain text (`#### 概要 :`; see
 * `plainInlineHtml`), exactly as remark renders it (no id), or `undefined`. A heading
 * whose text ends in `#` (a closing sequence, or not) is left to the pipeline.
 */
export function plainHeadingHtml(run: string): string | undefined {
  if (run[0] !== '#') return undefined;
  const heading = HEADING.exec(run.replace(TRAILING_BLANK_LINES, ''));
  if (!heading) return undefined;
  const html = plainInlineHtml(heading[2]!);
  const level = heading[1]!.length;
  return html === undefined ? undefined : `<h${level}>${html}</h${level}>`;
}

/** What GFM's task list reads at an item's start (`[ ]`, `[x]`, `[X]`). */
const TASK_BOX = /^\[[\s xX]\]/;
/** A list item's first line: indentation, bullet or number with `.` or `)`, one to four spaces, text. */
const MARKER_LINE = /^( *)([-+*]|\d{1,9}[.)])( {1,4})([^ \t].*)$/;

/** A block of a list item: a paragraph (its lines without the item's indentation) or a list. */
type ItemBlock = { paragraph: string[] } | { list: List };

interface ListItem {
  blocks: ItemBlock[];
  /** A blank line between two of the item's own blocks (not inside a nested list). */
  spread: boolean;
}

interface List {
  indent: number;
  ordered: boolean;
  /** An ordered list's first number. */
  start: number;
  /** `-`, `+` or `*`; `.` or `)` for an ordered list. Another one starts another list. */
  delimiter: string;
  items: ListItem[];
  /** A blank line between two of its items. */
  blankBetweenItems: boolean;
}

/**
 * The lists of a run, or `undefined` for any other shape: every line is a list item's
 * first line (a nested list's exactly at its parent item's text), a paragraph line of
 * an open item indented exactly to its text, or, right after a paragraph line, a line in
 * column 0 that continues that paragraph (lazy). Blank lines make lists loose as
 * CommonMark says: one between two items makes their list loose, one between two blocks
 * of an item makes the item's list loose; those inside a nested list count for it alone.
 */
function readList(lines: readonly string[]): List | undefined {
  // Open lists, outermost first, with the text column of each one's last item.
  const open: Array<{ list: List; column: number }> = [];
  let afterBlank = false;
  for (const line of lines) {
    if (BLANK.test(line)) {
      afterBlank = true;
      continue;
    }
    const marker = MARKER_LINE.exec(line);
    if (marker) {
      const indent = marker[1]!.length;
      const ordered = marker[2]!.length > 1;
      const delimiter = marker[2]!.at(-1)!;
      const column = indent + marker[2]!.length + marker[3]!.length;
      const item: ListItem = { blocks: [{ paragraph: [marker[4]!] }], spread: false };
      const level = open.findIndex((o) => o.list.indent === indent);
      if (level >= 0) {
        // The next item of an open list; the lists inside the item before it end.
        const list = open[level]!.list;
        if (list.ordered !== ordered || list.delimiter !== delimiter) return undefined;
        open.length = level + 1;
        open[level]!.column = column;
        if (afterBlank) list.blankBetweenItems = true;
        list.items.push(item);
      } else {
        const parent = open.at(-1);
        if (parent ? indent !== parent.column : indent !== 0) return undefined;
        const start = ordered ? Number.parseInt(marker[2]!, 10) : 1;
        const list: List = { indent, ordered, start, delimiter, items: [item], blankBetweenItems: false };
        if (parent) {
          const host = parent.list.items.at(-1)!;
          // An ordered list interrupts a paragraph only from 1: `2.` there is text.
          if (ordered && start !== 1 && !afterBlank) return undefined;
          if (afterBlank) host.spread = true;
          host.blocks.push({ list });
        }
        open.push({ list, column });
      }
    } else {
      const lazy = line[0] !== ' ' && !afterBlank;
      const indent = line.length - line.trimStart().length;
      const level = lazy ? open.length - 1 : open.findIndex((o) => o.column === indent);
      if (level < 0) return undefined;
      const item = open[level]!.list.items.at(-1)!;
      const text = lazy ? line : line.slice(indent);
      if (afterBlank) {
        // A new paragraph of this item; the lists inside it end.
        open.length = level + 1;
        item.spread = true;
        item.blocks.push({ paragraph: [text] });
      } else {
        // Without a blank line only the innermost paragraph goes on: a line at an outer
        // item's text after a nested list would be a lazy line of the nested paragraph.
        const last = item.blocks.at(-1)!;
        if (level !== open.length - 1 || !('paragraph' in last)) return undefined;
        last.paragraph.push(text);
      }
    }
    afterBlank = false;
  }
  return open[0]?.list;
}

/**
 * mdast-util-to-hast's list markup: in a tight list an item's paragraphs lose their `<p>`
 * and only its first paragraph starts without a line ending.
 */
function listHtml(list: List): string | undefined {
  const loose = list.blankBetweenItems || list.items.some((item) => item.spread);
  const items: string[] = [];
  for (const item of list.items) {
    let html = '';
    for (const [k, block] of item.blocks.entries()) {
      if ('list' in block) {
        const nested = listHtml(block.list);
        if (nested === undefined) return undefined;
        html += `\n${nested}`;
        continue;
      }
      const text = block.paragraph.join('\n');
      // A task box (`[ ]`, `[x]`) is GFM's checkbox, where `plainInlineHtml` sees brackets.
      if (NOT_PARAGRAPH.test(text) || (k === 0 && TASK_BOX.test(text))) return undefined;
      const inline = plainInlineHtml(text);
      if (inline === undefined) return undefined;
      html += loose ? `\n<p>${inline}</p>` : k === 0 ? inline : `\n${inline}`;
    }
    if (loose || 'list' in item.blocks.at(-1)!) html += '\n';
    items.push(`<li>${html}</li>`);
  }
  const tag = list.ordered ? 'ol' : 'ul';
  const start = list.ordered && list.start !== 1 ? ` start="${list.start}"` : '';
  return `<${tag}${start}>\n${items.join('\n')}\n</${tag}>`;
}

/**
 * The HTML of a run that is one list whose items hold paragraphs of plain text and lists
 * (see `plainInlineHtml`), exactly as remark renders it, or `undefined`. Vendor bulletins
 * list products, download links and steps this way, with each item's further lines and
 * paragraphs indented to its text; trailing spaces make hard breaks, as in a paragraph.
 */
export function plainListHtml(run: string): string | undefined {
  const first = run.charCodeAt(0);
  if (run[0] !== '-' && run[0] !== '*' && run[0] !== '+' && !(first >= 0x30 && first <= 0x39)) return undefined;
  // Blank lines after the list end it and add nothing.
  const body = run.replace(TRAILING_BLANK_LINES, '');
  // A tab counts as spaces up to the next tab stop: columns left to the pipeline.
  if (body.includes('\t')) return undefined;
  const list = readList(body.split('\n'));
  return list && listHtml(list);
}
