/**
 * Line-level reading of Microsoft Docs bulletin Markdown: frontmatter, headings, bold
 * labels (`**最大深刻度:** 緊急`), GitHub pipe tables and the raw HTML tables the archive
 * embeds, all as plain data with line numbers. Deliberately not a full Markdown parser:
 * the archive's structure is regular enough, and reading 1,193 files must stay fast.
 */

/** Removes Markdown markup from inline text: links keep their text, images go, escapes resolve. */
export function plainText(markdown: string): string {
  // Most lines and cells carry no markup: skip the regex chain for them.
  if (!/[[\]<>*_\\&\u00a0!]/.test(markdown)) return markdown.replace(/[ \t\u3000]+/g, ' ').trim();
  let text = markdown;
  if (text.includes('](')) {
    text = text
      .replace(/!\[[^\]]*\]\((?:[^()\s]|\([^()]*\))*\)/g, '')
      .replace(/\[((?:[^\]\\]|\\.)*)\]\((?:[^()\s]|\([^()]*\))*(?:\s+"[^"]*")?\)/g, '$1');
  }
  return text
    .replace(/<(https?:\/\/[^>\s]+)>/g, '$1')
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/<\/?[a-z][a-z0-9]*(?:\s[^<>]*)?\/?>/gi, '')
    .replace(/\*\*|__/g, '')
    .replace(/(^|[^\\*])\*(?=\S)([^*]*\S)\*/g, '$1$2')
    .replace(/\\([\\`*_{}[\]()#+\-.!|<>~"'$])/g, '$1')
    .replace(/&nbsp;|\u00a0/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/[ \t\u3000]+/g, ' ')
    .trim();
}

/** Every Markdown link in the text: `[text](url)` and `<url>`. */
export function links(markdown: string): Array<{ text: string; url: string }> {
  const out: Array<{ text: string; url: string }> = [];
  for (const m of markdown.matchAll(/(!?)\[((?:[^\]\\]|\\.)*)\]\(((?:[^()\s]|\([^()]*\))*)(?:\s+"[^"]*")?\)/g)) {
    if (m[1] === '!') continue;
    out.push({ text: plainText(m[2]!), url: m[3]! });
  }
  for (const m of markdown.matchAll(/<(https?:\/\/[^>\s]+)>/g)) out.push({ text: m[1]!, url: m[1]! });
  return out;
}

export interface Frontmatter {
  fields: Record<string, string>;
  /** Index of the first body line. */
  bodyStart: number;
}

/** Reads the `---` frontmatter of simple `key: 'value'` lines (the archive's only form). */
export function readFrontmatter(lines: readonly string[]): Frontmatter | undefined {
  if (lines[0]?.trim() !== '---') return undefined;
  const fields: Record<string, string> = {};
  for (let i = 1; i < Math.min(lines.length, 200); i++) {
    const line = lines[i]!;
    // One archive file closes its frontmatter with "---." (MS00-059).
    if (/^---\.?\s*$/.test(line)) return { fields, bodyStart: i + 1 };
    const m = /^([A-Za-z][\w:.-]*)\s*:\s*(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2]!.trim();
    if (/^'.*'$/.test(value)) value = value.slice(1, -1).replace(/''/g, "'");
    else if (/^".*"$/.test(value)) value = value.slice(1, -1).replace(/\\"/g, '"');
    fields[m[1]!] = value;
  }
  return undefined;
}

export interface Heading {
  line: number;
  level: number;
  text: string;
}

/** ATX (`## X`) and setext (`X` over `===`/`---`) headings, outside code fences and tables. */
export function headings(lines: readonly string[], from = 0): Heading[] {
  const out: Heading[] = [];
  let fence = false;
  for (let i = from; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s*(?:```|~~~)/.test(line)) fence = !fence;
    if (fence) continue;
    const atx = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (atx) {
      out.push({ line: i, level: atx[1]!.length, text: atx[2]! });
      continue;
    }
    const next = lines[i + 1];
    if (next !== undefined && /^(?:=+|-{2,})\s*$/.test(next) && line.trim() !== '' && !/^\s*[|<>*+-]|^\s*\d+\.\s/.test(line) && !/^\s{4}/.test(line)) {
      out.push({ line: i, level: next.trim().startsWith('=') ? 1 : 2, text: line.trim() });
      i++;
    }
  }
  return out;
}

export interface Label {
  line: number;
  /** Label text without markup or colon. */
  name: string;
  /** Value on the same line and the lines below, up to a blank line (Markdown, not plain). */
  value: string;
  /** Index of the last line of the value. */
  end: number;
}

/**
 * Bold labels: `**最大深刻度:** 緊急`, `**脆弱性の影響** **:** …`, `**推奨する対応策:**` with
 * the value on following lines, and the plain `推奨する対応策: …` form of later bulletins.
 */
export function labels(lines: readonly string[], from = 0): Label[] {
  const out: Label[] = [];
  for (let i = from; i < lines.length; i++) {
    const line = lines[i]!;
    let name: string | undefined;
    let rest = '';
    const bold = /^\s*\*\*([^*]{1,60}?)\s*(?:[:：]\s*\*\*|\*\*\s*(?:\*\*\s*[:：]\s*\*\*|[:：]))\s*(.*)$/.exec(line);
    if (bold) {
      name = bold[1]!.replace(/\s*[:：]\s*$/, '').trim();
      rest = bold[2]!;
    } else {
      const boldAlone = /^\s*\*\*([^*]{1,60}?)\*\*\s*$/.exec(line);
      if (boldAlone) name = boldAlone[1]!.replace(/\s*[:：]\s*$/, '').trim();
      else {
        const plain = /^([^\s|<>*#\-[][^:：|<>*]{1,30}?)\s*[:：]\s+(\S.*)$/.exec(line);
        if (plain && /対応策|深刻度|影響|識別番号|更新プログラム/.test(plain[1]!)) {
          name = plain[1]!.trim();
          rest = plain[2]!;
        }
      }
    }
    if (!name) continue;
    const value = [rest.trim()];
    let end = i;
    for (let j = i + 1; j < lines.length; j++) {
      const next = lines[j]!;
      if (next.trim() === '') {
        // A label alone on its line takes the paragraph after one blank line.
        if (value.join('').trim() === '' && j === i + 1) continue;
        break;
      }
      if (/^\s*\*\*[^*]{1,60}?\*\*\s*(?:\*\*\s*)?[:：]/.test(next) || /^\s*\*\*[^*]{1,60}?[:：]\s*\*\*/.test(next) || /^#{1,6}\s/.test(next)) break;
      value.push(next.trim());
      end = j;
    }
    out.push({ line: i, name, value: value.filter((v) => v !== '').join('\n'), end });
  }
  return out;
}

export interface TableCell {
  /** Cell content as Markdown (HTML cells: inner content with tags left in place). */
  markdown: string;
  /** Plain text of the cell. */
  readonly text: string;
  header: boolean;
  colspan: number;
}

export interface Table {
  /** First and last line of the table. */
  start: number;
  end: number;
  caption?: string;
  /** Header cell texts (the first row of header cells), or empty when the table has none. */
  header: string[];
  /** Body rows. */
  rows: TableCell[][];
  kind: 'pipe' | 'html';
}

function splitPipeRow(line: string): string[] {
  const inner = line.trim().replace(/^\|/, '').replace(/\|\s*$/, '');
  const cells: string[] = [];
  let current = '';
  for (let i = 0; i < inner.length; i++) {
    const ch = inner[i]!;
    if (ch === '\\' && i + 1 < inner.length) {
      current += ch + inner[i + 1];
      i++;
    } else if (ch === '|') {
      cells.push(current.trim());
      current = '';
    } else current += ch;
  }
  cells.push(current.trim());
  return cells;
}

/** A cell whose plain text is computed on first use: most cells of a large table are never read. */
class Cell implements TableCell {
  markdown: string;
  header: boolean;
  colspan: number;
  #text: string | undefined;
  constructor(markdown: string, header: boolean, colspan: number) {
    this.markdown = markdown;
    this.header = header;
    this.colspan = colspan;
  }
  get text(): string {
    this.#text ??= plainText(this.markdown);
    return this.#text;
  }
}

const cell = (markdown: string, header: boolean, colspan = 1): TableCell => new Cell(markdown, header, colspan);

/** Every pipe table and HTML table in the lines, in document order. */
export function tables(lines: readonly string[], from = 0): Table[] {
  const out: Table[] = [];
  for (let i = from; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s*\|/.test(line) && /^\s*\|?\s*:?-{3,}/.test(lines[i + 1] ?? '')) {
      const header = splitPipeRow(line);
      const rows: TableCell[][] = [];
      let j = i + 2;
      for (; j < lines.length && /^\s*\|/.test(lines[j]!); j++) rows.push(splitPipeRow(lines[j]!).map((c) => cell(c, false)));
      const headerTexts = header.map((h) => plainText(h));
      out.push({ start: i, end: j - 1, header: headerTexts.every((h) => h === '') ? [] : headerTexts, rows, kind: 'pipe' });
      i = j - 1;
      continue;
    }
    if (/<table\b/i.test(line)) {
      let j = i;
      const chunk: string[] = [];
      for (; j < lines.length; j++) {
        chunk.push(lines[j]!);
        if (/<\/table>/i.test(lines[j]!)) break;
      }
      out.push(htmlTable(chunk.join('\n'), i, Math.min(j, lines.length - 1)));
      i = j;
    }
  }
  return out;
}

function htmlTable(html: string, start: number, end: number): Table {
  const caption = /<caption[^>]*>([\s\S]*?)<\/caption>/i.exec(html)?.[1];
  const rows: TableCell[][] = [];
  for (const row of html.matchAll(/<tr\b[^>]*>([\s\S]*?)(?=<tr\b|<\/table>|<\/tbody>|<\/thead>|$)/gi)) {
    const cells: TableCell[] = [];
    for (const c of row[1]!.matchAll(/<(th|td)\b([^>]*)>([\s\S]*?)(?=<\/t[hd]>|<t[hd]\b|<\/tr>|$)/gi)) {
      const span = /colspan\s*=\s*"?(\d+)/i.exec(c[2]!);
      const content = c[3]!.replace(/<\/?p>|<br\s*\/?>/gi, '\n').trim();
      cells.push(cell(content, c[1]!.toLowerCase() === 'th', span ? Math.max(1, Number(span[1])) : 1));
    }
    if (cells.length > 0) rows.push(cells);
  }
  let header: string[] = [];
  if (rows[0] && rows[0].every((c) => c.header) && rows[0].length > 1) header = rows.shift()!.map((c) => c.text);
  return { start, end, ...(caption ? { caption: plainText(caption) } : {}), header, rows, kind: 'html' };
}

/** Lines of a list starting at `from`: each item's text with its continuation lines joined. */
export function listItems(lines: readonly string[], from: number, stopAt = lines.length): Array<{ line: number; text: string }> {
  const items: Array<{ line: number; text: string }> = [];
  let blankRun = 0;
  for (let i = from; i < Math.min(lines.length, stopAt); i++) {
    const line = lines[i]!;
    if (line.trim() === '') {
      blankRun++;
      continue;
    }
    const item = /^\s{0,3}(?:[-*+]|\d+\.)\s+(.*)$/.exec(line);
    if (item) {
      items.push({ line: i, text: item[1]!.trim() });
      blankRun = 0;
      continue;
    }
    if (items.length === 0) {
      // Prose may introduce the list ("…次のサイトからダウンロードできます。"); a heading,
      // label or table before any item means there is no list here.
      if (/^\s*(?:#|\*\*[^*]+\*\*\s*(?:\*\*)?\s*[:：]|\||<table)/i.test(line)) break;
      continue;
    }
    // Continuation: indented, or a lazy line straight after the item.
    if (/^\s{2,}\S/.test(line) || blankRun === 0) {
      if (/^\s*(?:#{1,6}\s|\*\*[^*]+\*\*\s*(?:\*\*)?\s*[:：])/.test(line)) break;
      items[items.length - 1]!.text += `\n${line.trim()}`;
      blankRun = 0;
      continue;
    }
    break;
  }
  return items;
}
