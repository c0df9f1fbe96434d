/**
 * Parses one bulletin source file (bulletin.yaml or a language .md) from its text into
 * plain data plus a way to find the line and column of any field, reporting every
 * problem as a diagnostic instead of throwing.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { Diagnostic, DiagnosticCode } from './diagnostics.ts';

/** A bulletin file never needs more than this; larger ones are refused unread. */
export const MAX_FILE_BYTES = 1024 * 1024;
/** Nesting deeper than this is hostile or broken; the model itself is 5 levels deep. */
export const MAX_DEPTH = 32;
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

function depthOf(text: string): number {
  // Flow collections are the only way to nest deeply in few bytes; block nesting is
  // bounded by indentation and shows up as depth too.
  let depth = 0;
  let max = 0;
  let quote: string | null = null;
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = null;
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '[' || ch === '{') max = Math.max(max, ++depth);
    else if (ch === ']' || ch === '}') depth = Math.max(0, depth - 1);
    else if (ch === '\n') quote = null;
  }
  let indentMax = 0;
  for (const line of text.split('\n')) {
    const indent = /^ */.exec(line)![0].length;
    if (indent < line.length) indentMax = Math.max(indentMax, indent);
  }
  return Math.max(max, Math.floor(indentMax / 2));
}

/** Parses YAML text (a whole file, or frontmatter starting at `lineOffset`). */
export function parseYaml(
  file: string,
  text: string,
  lineOffset = 0,
): { data?: unknown; locate: Locator; diagnostics: Diagnostic[] } {
  const lineCounter = new LineCounter();
  const fallback: Locator = { at: () => ({ line: 1 + lineOffset, column: 1 }) };
  if (depthOf(text) > MAX_DEPTH) {
    return {
      locate: fallback,
      diagnostics: [diag(file, 'YAML_TOO_DEEP', `the YAML nests more than ${MAX_DEPTH} levels deep: a bulletin never needs that; flatten it`, 1 + lineOffset)],
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
    const p = lineCounter.linePos(offset);
    return { line: p.line + lineOffset, column: p.col };
  };
  const diagnostics: Diagnostic[] = [];
  for (const error of doc.errors) {
    const { line, column } = pos(error.pos[0]);
    const duplicate = error.code === 'DUPLICATE_KEY';
    const tab = error.code === 'TAB_AS_INDENT' || /\btab/i.test(error.message);
    const message = duplicate
      ? 'this key appears twice in the same mapping: keep one (YAML keeps neither reliably)'
      : tab
        ? 'a tab is used for indentation: YAML indents with spaces only'
        : `${error.message.split('\n')[0]}: check quotes, colons and indentation here`;
    diagnostics.push(diag(file, duplicate ? 'YAML_DUPLICATE_KEY' : 'YAML_SYNTAX', message, line, column));
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
  try {
    const data = doc.toJS({ maxAliasCount: MAX_ALIASES });
    return { data, locate, diagnostics };
  } catch (error) {
    const message = (error as Error).message;
    if (/alias/i.test(message)) {
      return {
        locate,
        diagnostics: [diag(file, 'YAML_ALIAS_LIMIT', `the YAML expands aliases (*name) too often: write the values out (at most ${MAX_ALIASES} alias uses)`, 1 + lineOffset)],
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
  return { parsed: { data: data ?? null, body: '', bodyLine: 1, locate }, diagnostics: [] };
}
