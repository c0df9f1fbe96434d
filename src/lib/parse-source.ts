/**
 * Parses one bulletin source file (bulletin.yaml or a language .md) from its text into
 * plain data plus a way to find the line and column of any field, reporting every
 * problem as a diagnostic instead of throwing.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node, type YAMLError } from 'yaml';
import type { Diagnostic, DiagnosticCode } from './diagnostics.ts';
import { fastYaml } from './fast-yaml.ts';

/** A bulletin file never needs more than this; larger ones are refused unread. */
export const MAX_FILE_BYTES = 1024 * 1024;
/** Nesting deeper than this is hostile or broken; the model itself is 5 levels deep. */
export const MAX_DEPTH = 32;
/** Bracket nesting refused before parsing, so a bracket bomb never reaches the parser. */
const MAX_FLOW_SCAN_DEPTH = 256;
export const MAX_ALIASES = 50;

export interface Locator {
  /** Position of the field at `path` (its value; its key with `key: true`); falls back to the nearest parent. */
  at(path: readonly PropertyKey[], key?: boolean): { line: number; column: number };
}

export interface ParsedSource {
  data: unknown;
  /** Markdown below the frontmatter ('' for YAML files). */
  body: string;
  /** 1-based line of the body's first line in the file. */
  bodyLine: number;
  locate: Locator;
}

const diag = (
  file: string,
  code: DiagnosticCode,
  message: string,
  line = 1,
  column = 1,
  field = '-',
): Diagnostic => ({ file, line, column, severity: 'error', code, field, message });

/**
 * Decodes bytes as UTF-8, strict. A BOM is dropped and CRLF becomes LF (both are what
 * Windows editors write, and both are fine).
 */
export function decodeUtf8(file: string, bytes: Uint8Array): { text?: string; diagnostics: Diagnostic[] } {
  if (bytes.byteLength === 0) return { diagnostics: [diag(file, 'FILE_EMPTY', 'the file is empty: write the bulletin or delete the file')] };
  if (bytes.byteLength > MAX_FILE_BYTES) {
    return {
      diagnostics: [
        diag(file, 'FILE_TOO_LARGE', `the file is ${bytes.byteLength} bytes; a bulletin file may have at most ${MAX_FILE_BYTES} bytes: move long material to references`),
      ],
    };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    const offset = firstInvalidUtf8(bytes);
    const before = new TextDecoder('utf-8').decode(bytes.subarray(0, offset));
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    return {
      diagnostics: [
        diag(file, 'FILE_ENCODING', `byte ${offset} is not valid UTF-8: save the file as UTF-8 (Shift_JIS or EUC-JP pages go through "kb import legacy", which converts them)`, line, column),
      ],
    };
  }
  text = text.replace(/\r\n?/g, '\n');
  const control = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/.exec(text);
  if (control) {
    const before = text.slice(0, control.index);
    const line = before.split('\n').length;
    const column = control.index - before.lastIndexOf('\n');
    const code = `U+${control[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    return {
      diagnostics: [diag(file, 'CONTROL_CHARACTER', `invisible control character ${code}: delete it (it can hide text or reorder what readers see)`, line, column)],
    };
  }
  if (text.trim() === '') return { diagnostics: [diag(file, 'FILE_EMPTY', 'the file has only white space: write the bulletin or delete the file')] };
  return { text, diagnostics: [] };
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  // Binary search on the longest prefix that decodes; cheap and exact enough for a message.
  let lo = 0;
  let hi = bytes.byteLength;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    try {
      decoder.decode(bytes.subarray(0, mid));
      lo = mid;
    } catch {
      // A prefix may end mid-character; allow 3 trailing bytes of slack.
      let ok = false;
      for (let cut = 1; cut <= 3 && mid - cut >= lo; cut++) {
        try {
          decoder.decode(bytes.subarray(0, mid - cut));
          ok = mid - cut >= lo;
        } catch {
          /* keep looking */
        }
        if (ok) break;
      }
      if (ok && mid - 3 > lo) lo = mid - 3;
      else hi = mid - 1;
    }
  }
  return lo;
}

/**
 * Deepest `[` / `{` nesting outside quotes and comments. Checked before parsing so that a
 * hostile file of nothing but brackets is refused cheaply; real nesting (block and flow)
 * is measured on the parsed tree, with a position.
 */
function flowDepthOf(text: string): number {
  let depth = 0;
  let max = 0;
  let quote: string | null = null;
  let comment = false;
  let previous = '\n';
  for (const ch of text) {
    if (ch === '\n') {
      quote = null;
      comment = false;
    } else if (comment) {
      // skip to the end of the line
    } else if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === '#' && (previous === ' ' || previous === '\t' || previous === '\n')) comment = true;
    else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '[' || ch === '{') max = Math.max(max, ++depth);
    else if (ch === ']' || ch === '}') depth = Math.max(0, depth - 1);
    previous = ch;
  }
  return max;
}

/** Whether `text` holds more than `limit` of `[` and `{` together. */
function opensMoreThan(text: string, limit: number): boolean {
  let count = 0;
  for (const opener of ['[', '{']) {
    for (let at = text.indexOf(opener); at >= 0; at = text.indexOf(opener, at + 1)) if (++count > limit) return true;
  }
  return false;
}

/** The first node nested deeper than `limit`, walking the tree without recursion. */
function tooDeep(root: unknown, limit: number): Node | undefined {
  const stack: Array<[unknown, number]> = [[root, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (!isMap(node) && !isSeq(node)) continue;
    if (depth >= limit) return node;
    for (const item of [...node.items].reverse()) {
      if (isPair(item)) stack.push([item.value, depth + 1]);
      else stack.push([item, depth + 1]);
    }
  }
  return undefined;
}

/** The opening quote of a quoted scalar that runs to `end` without closing. */
function openingQuote(text: string, end: number, quote: string): number | undefined {
  for (let i = Math.min(end, text.length) - 1; i >= 0; i--) {
    if (text[i] === quote && !(quote === '"' && text[i - 1] === '\\')) return i;
  }
  return undefined;
}

/** The unclosed `[` or `{` before `end`, scanning back over balanced pairs. */
function openingBracket(text: string, end: number, open: string, close: string): number | undefined {
  let balance = 0;
  for (let i = Math.min(end, text.length) - 1; i >= 0; i--) {
    if (text[i] === close) balance++;
    else if (text[i] === open) {
      if (balance === 0) return i;
      balance--;
    }
  }
  return undefined;
}

/** A YAML parser error in words that say what to change, and the offset it is about. */
function explainYamlError(text: string, error: YAMLError): { offset: number; message: string } {
  const first = error.message.split('\n')[0] ?? error.message;
  const offset = error.pos[0];
  if (error.code === 'TAB_AS_INDENT' || /\btab/i.test(first)) {
    return { offset, message: 'a tab is used for indentation: YAML indents with spaces only' };
  }
  const quote = /Missing closing (["'])quote/.exec(first)?.[1];
  if (quote) {
    const at = openingQuote(text, offset, quote);
    return { offset: at ?? offset, message: `this ${quote}quoted${quote} text is never closed: add the closing ${quote} at the end of the value` };
  }
  const bracket = /end with a ([\]}])/.exec(first)?.[1];
  if (bracket) {
    const open = bracket === ']' ? '[' : '{';
    const at = openingBracket(text, offset, open, bracket);
    return { offset: at ?? offset, message: `this ${open} … ${bracket} list is never closed: add the closing ${bracket} (and keep the list on lines indented under its key)` };
  }
  if (/compact mappings|Nested mappings/.test(first)) {
    return { offset, message: 'a value that contains ": " must be quoted: write the whole value in quotes, e.g. title: "Note: …"' };
  }
  if (/implicit (map )?key|Implicit keys|Implicit map keys/i.test(first)) {
    return { offset, message: `${first}: check the indentation of this line against the lines above (list items "- " line up under their key)` };
  }
  return { offset, message: `${first}: check quotes, colons and indentation here` };
}

/** Where the full parser places the document itself: its first line that is not blank or a comment. */
function firstContent(text: string, lineOffset: number): { line: number; column: number } {
  // Line by line from the top: it is nearly always the first line, so the file is not split.
  for (let start = 0, i = 0; start <= text.length; i++) {
    const end = text.indexOf('\n', start);
    const line = text.slice(start, end < 0 ? text.length : end);
    const rest = line.trimStart();
    if (rest !== '' && !rest.startsWith('#')) return { line: i + 1 + lineOffset, column: line.length - rest.length + 1 };
    if (end < 0) break;
    start = end + 1;
  }
  return { line: 1 + lineOffset, column: 1 };
}

/**
 * Copies the strings of parsed data out of the file text they were cut from, in place, and
 * returns `value`. V8 cuts a substring of 13 or more characters as a view into its source,
 * and the view keeps the whole source alive: one version such as "5.0.2195.6668" kept its
 * bulletin.yaml in memory, and a build held the text of every facts file for as long as it
 * held the bulletins (110 MB of 286 MB of parsed content at 5,000 generated bulletins;
 * bench/README.md, round 19). Shorter strings are copies already.
 */
export function detachStrings<T>(value: T): T {
  if (typeof value === 'string') return (value.length < 13 ? value : (' ' + value).slice(1)) as T;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = detachStrings(value[i]);
  } else {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) record[key] = detachStrings(record[key]);
  }
  return value;
}

/**
 * Parses YAML text (a whole file, or frontmatter starting at `lineOffset`). `full` skips the
 * fast pass (fast-yaml.ts), which reads valid files without keeping positions.
 */
export function parseYaml(
  file: string,
  text: string,
  lineOffset = 0,
  full = false,
): { data?: unknown; locate: Locator; diagnostics: Diagnostic[] } {
  const lineCounter = new LineCounter();
  const fallback: Locator = { at: () => ({ line: 1 + lineOffset, column: 1 }) };
  // A guard against bracket bombs only; the real limit is checked on the tree below. Text
  // with fewer openers than the limit cannot nest deeper, and is not scanned.
  if (opensMoreThan(text, MAX_FLOW_SCAN_DEPTH) && flowDepthOf(text) > MAX_FLOW_SCAN_DEPTH) {
    return {
      locate: fallback,
      diagnostics: [diag(file, 'YAML_TOO_DEEP', `the YAML nests [ and { more than ${MAX_FLOW_SCAN_DEPTH} levels deep: a bulletin never needs that; flatten it`, 1 + lineOffset)],
    };
  }
  // Valid files (nearly all) need positions only when a cross-document check reports on
  // them, so the full parse that keeps positions waits until a locator is asked for.
  const fast = full ? undefined : fastYaml(text, MAX_DEPTH);
  if (fast) {
    let positions: Locator | undefined;
    // Whole-file warnings (a missing translation on every imported bulletin) point at the
    // first line of content, which needs no parse.
    const root = firstContent(text, lineOffset);
    return {
      data: fast.data,
      diagnostics: [],
      locate: { at: (path, key) => (path.length === 0 ? root : (positions ??= parseYaml(file, text, lineOffset, true).locate).at(path, key)) },
    };
  }
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true, version: '1.2' });
  } catch (error) {
    return {
      locate: fallback,
      diagnostics: [diag(file, 'YAML_SYNTAX', `the YAML cannot be parsed (${(error as Error).message})`, 1 + lineOffset)],
    };
  }
  const pos = (offset: number) => {
    const p = lineCounter.linePos(Math.max(0, Math.min(offset, text.length)));
    return { line: p.line + lineOffset, column: p.col };
  };
  const diagnostics: Diagnostic[] = [];
  // Every duplicate key is its own mistake; of the other errors only the first is
  // reported, because the ones after it are usually the parser losing its footing.
  let syntaxReported = false;
  for (const error of doc.errors) {
    if (error.code === 'DUPLICATE_KEY') {
      const { line, column } = pos(error.pos[0]);
      const name = /^["']?([^"':\n]*)/.exec(text.slice(error.pos[0]))?.[1]?.trim();
      diagnostics.push(
        diag(file, 'YAML_DUPLICATE_KEY', `${name ? `"${name}"` : 'this key'} appears twice in the same mapping: keep one (YAML requires keys to be unique)`, line, column),
      );
    } else if (!syntaxReported) {
      syntaxReported = true;
      const { offset, message } = explainYamlError(text, error);
      const { line, column } = pos(offset);
      diagnostics.push(diag(file, 'YAML_SYNTAX', message, line, column));
    }
  }
  const locate: Locator = {
    at(path, key = false) {
      let node: unknown = doc.contents;
      let found: { line: number; column: number } | undefined = node && (node as Node).range ? pos((node as Node).range![0]) : undefined;
      for (const part of path) {
        if (isMap(node)) {
          const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(part));
          if (!pair) break;
          const keyNode = pair.key as Node;
          const valueNode = pair.value as Node | null;
          found = key || !valueNode?.range ? pos(keyNode.range![0]) : pos(valueNode.range[0]);
          if (key && part === path[path.length - 1]) break;
          node = valueNode;
        } else if (isSeq(node) && typeof part === 'number') {
          const item = node.items[part] as Node | undefined;
          if (!item?.range) break;
          found = pos(item.range[0]);
          node = item;
        } else break;
      }
      return found ?? { line: 1 + lineOffset, column: 1 };
    },
  };
  if (diagnostics.length > 0) return { locate, diagnostics };
  // A key that is a list or mapping (`? [a, b]: x`, `{ a: 1 }: x`) has no field name; YAML
  // would turn it into text like "[object Object]" and warn on stderr.
  let complexKey: Node | undefined;
  visit(doc, {
    Pair(_, pair) {
      if (pair.key !== null && !isScalar(pair.key)) {
        complexKey = pair.key as Node;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  if (complexKey) {
    const { line, column } = complexKey.range ? pos(complexKey.range[0]) : { line: 1 + lineOffset, column: 1 };
    return { locate, diagnostics: [diag(file, 'YAML_SYNTAX', 'a key must be a plain name, not a list, mapping or *alias: write the field name followed by ": "', line, column)] };
  }
  const deep = tooDeep(doc.contents, MAX_DEPTH);
  if (deep) {
    const { line, column } = deep.range ? pos(deep.range[0]) : { line: 1 + lineOffset, column: 1 };
    return {
      locate,
      diagnostics: [diag(file, 'YAML_TOO_DEEP', `the YAML nests more than ${MAX_DEPTH} levels deep here: a bulletin never needs that; flatten it`, line, column)],
    };
  }
  try {
    const data = doc.toJS({ maxAliasCount: MAX_ALIASES });
    return { data, locate, diagnostics };
  } catch (error) {
    const message = (error as Error).message;
    if (/alias/i.test(message)) {
      let first: Node | undefined;
      visit(doc, {
        Alias(_, alias) {
          first = alias;
          return visit.BREAK;
        },
      });
      const { line, column } = first?.range ? pos(first.range[0]) : { line: 1 + lineOffset, column: 1 };
      return {
        locate,
        diagnostics: [diag(file, 'YAML_ALIAS_LIMIT', `the YAML expands aliases (*name) too often: write the values out (at most ${MAX_ALIASES} alias expansions)`, line, column)],
      };
    }
    return { locate, diagnostics: [diag(file, 'YAML_SYNTAX', `the YAML cannot be read (${message})`, 1 + lineOffset)] };
  }
}

/** Splits `---\nYAML\n---\nBody` and parses the YAML with positions relative to the file. */
export function parseMarkdownSource(file: string, text: string): { parsed?: ParsedSource; diagnostics: Diagnostic[] } {
  const match = /^---[ \t]*\n([\s\S]*?)\n?---[ \t]*(?:\n|$)/.exec(text);
  if (!match) {
    return {
      diagnostics: [diag(file, 'FRONTMATTER_MISSING', 'a bulletin text file starts with a "---" line, the YAML frontmatter, and another "---" line before the Markdown body')],
    };
  }
  const yamlText = match[1] ?? '';
  const { data, locate, diagnostics } = parseYaml(file, yamlText, 1);
  if (diagnostics.length > 0) return { diagnostics };
  const bodyLine = match[0].split('\n').length + (match[0].endsWith('\n') ? 0 : 1);
  return { parsed: { data: data ?? {}, body: text.slice(match[0].length), bodyLine, locate }, diagnostics: [] };
}

/** Parses a whole YAML file. */
export function parseYamlSource(file: string, text: string): { parsed?: ParsedSource; diagnostics: Diagnostic[] } {
  const { data, locate, diagnostics } = parseYaml(file, text);
  if (diagnostics.length > 0) return { diagnostics };
  // The values are a small part of a facts file (keys, indentation, comments are the rest),
  // so they are copied out of it. A Markdown file's frontmatter values stay views into its
  // text, which its body, most of the file, keeps alive anyway.
  return { parsed: { data: detachStrings(data ?? null), body: '', bodyLine: 1, locate }, diagnostics: [] };
}
