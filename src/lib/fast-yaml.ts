/**
 * A fast first pass over ordinary, valid YAML. `kb check` and the build parse every
 * bulletin.yaml and frontmatter; the `yaml` package's document API (which keeps positions
 * for diagnostics) spends about ten times longer on that than js-yaml (measured on 1,000
 * generated bulletins, 11 MB of YAML: 6.6 s against 0.5 s, see bench/README.md). Valid files
 * never need positions, so they are read here, in two tiers: a line-by-line reader for the
 * block YAML bulletins are written in (`readBlockYaml`), then js-yaml. Anything unusual or
 * invalid returns undefined and goes to the full parser in `parse-source.ts`, which reports
 * it exactly as before.
 */
import jsyaml from 'js-yaml';

/**
 * Plain scalars of the YAML 1.2 core schema, in the order they are tried, resolved exactly
 * as the `yaml` package does with `version: '1.2'` (js-yaml's own core schema also reads
 * `0b101`, `-0x1F` and `+0o7` as numbers and leaves `+.5` a string). Both fast tiers use it.
 */
const PLAIN_TYPES: ReadonlyArray<{ tag: string; test: RegExp; construct: (s: string) => unknown; predicate: (v: unknown) => boolean }> = [
  { tag: 'null', test: /^(?:~|null|Null|NULL)?$/, construct: () => null, predicate: (v) => v === null },
  { tag: 'bool', test: /^(?:true|True|TRUE|false|False|FALSE)$/, construct: (s) => s[0] === 't' || s[0] === 'T', predicate: (v) => typeof v === 'boolean' },
  {
    tag: 'int',
    test: /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/,
    construct: (s) => (s.startsWith('0o') ? parseInt(s.slice(2), 8) : s.startsWith('0x') ? parseInt(s.slice(2), 16) : Number(s)),
    predicate: (v) => Number.isInteger(v),
  },
  {
    tag: 'float',
    test: /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
    construct: (s) => (/inf/i.test(s) ? (s.startsWith('-') ? -Infinity : Infinity) : /nan/i.test(s) ? NaN : Number(s)),
    predicate: (v) => typeof v === 'number',
  },
];

const CORE_1_2 = jsyaml.FAILSAFE_SCHEMA.extend({
  implicit: PLAIN_TYPES.map(
    ({ tag, test, construct, predicate }) =>
      new jsyaml.Type(`tag:yaml.org,2002:${tag}`, {
        kind: 'scalar',
        resolve: (s: string | null) => test.test(s ?? ''),
        construct: (s: string | null) => construct(s ?? ''),
        predicate,
      }),
  ),
});

/** A plain scalar's value (`PLAIN_TYPES`, else the text itself). */
function resolvePlain(text: string): unknown {
  // Words, paths and dates cannot be anything but text: skip the four tests.
  if (!MAY_NOT_BE_TEXT.test(text)) return text;
  for (const type of PLAIN_TYPES) if (type.test.test(text)) return type.construct(text);
  return text;
}

/** First characters of every scalar `PLAIN_TYPES` can resolve to something other than text. */
const MAY_NOT_BE_TEXT = /^(?:[-+.0-9~nNtTfF]|$)/;

/**
 * What the fast pass leaves to the full parser: anchors and aliases (alias limits), tags,
 * keys that are lists or mappings (`? …`, `[a]: …`, `{a: 1}: …`; js-yaml would turn them
 * into text), directives, document markers and tabs (their diagnostics need positions).
 */
const UNUSUAL = /(?:^|[\s[{,])[&*!]\S|^\s*\?(?:\s|$)|[\]}]\s*:(?:[ \t]|$)|^%|^(?:---|\.\.\.)(?:\s|$)|\t/m;

/** A line longer than the longest implicit key YAML allows (1,024 characters). */
const LONG_LINE = /[^\n]{1025}/;

/**
 * Parses `text` when it is ordinary valid YAML nested at most `maxDepth` levels, else
 * returns undefined. Same data as `parseDocument(text, { version: '1.2' }).toJS()`.
 */
export function fastYaml(text: string, maxDepth: number): { data: unknown } | undefined {
  const block = readBlockYaml(text, maxDepth);
  if (block) return block;
  // js-yaml takes implicit keys of any length; YAML caps them at 1,024 characters, so text
  // with a line that long goes to the full parser (the tier above reads such text itself).
  if (UNUSUAL.test(text) || LONG_LINE.test(text)) return undefined;
  let data: unknown;
  try {
    // js-yaml rejects duplicate keys by default, like the full parser's uniqueKeys.
    data = jsyaml.load(text, { schema: CORE_1_2 });
  } catch {
    return undefined;
  }
  const stack: Array<[unknown, number]> = [[data, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth >= maxDepth) return undefined;
    for (const value of Array.isArray(node) ? node : Object.values(node)) stack.push([value, depth + 1]);
  }
  return { data: data ?? null };
}

/**
 * The first tier, for the YAML the project's bulletins are written in: block mappings and
 * sequences, one-line scalars (plain, single- or double-quoted), literal block scalars
 * (`|`, `|-`), one-line flow collections of plain scalars (`[829436]`, `[]`,
 * `{ ja: …, en: … }`), comments and blank lines. Read line by line, it takes 0.64 s for the
 * 60 M characters of YAML of 5,000 generated bulletins, where js-yaml takes 1.62 s
 * (bench/README.md, round 9). Anything else (nested or multi-line flow collections, folded
 * or kept block scalars, multi-line plain or quoted scalars, a sequence at its key's
 * indentation, quoted keys, rare escapes, odd characters) returns undefined and is left to
 * the tiers after it, so this tier never decides alone what a file means.
 */
export function readBlockYaml(text: string, maxDepth: number): { data: unknown } | undefined {
  if (MAYBE_NOT_PLAIN_TEXT.test(text) && NOT_PLAIN_TEXT.test(text)) return undefined;
  const reader = new BlockReader(text.split('\n'), maxDepth);
  try {
    if (!reader.next()) return { data: null };
    const data = reader.node(-1, 0);
    return reader.next() ? undefined : { data };
  } catch (error) {
    if (error === NOT_BLOCK) return undefined;
    throw error;
  }
}

/** Thrown inside the block reader when the text is not in its subset. */
const NOT_BLOCK = Symbol('not block YAML');
function notBlock(): never {
  throw NOT_BLOCK;
}

/**
 * Characters the block tier leaves to the others: control characters (tabs and carriage
 * returns included), the byte-order mark, noncharacters and unpaired surrogates, which YAML
 * parsers treat in different ways.
 */
const NOT_PLAIN_TEXT = /[\x00-\x09\x0B-\x1F\x7F-\x9F\uFEFF\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** The same characters and any surrogate: one quick scan that almost every file passes. */
const MAYBE_NOT_PLAIN_TEXT = /[\x00-\x09\x0B-\x1F\x7F-\x9F\uD800-\uDFFF\uFEFF\uFFFE\uFFFF]/;
/** Keys the core schema reads as something other than text, and one no object may get. */
const RESERVED_KEYS = new Set(['null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE', '__proto__']);
/** Plain scalars starting with an indicator (or `-`, `?`, `:` that may be one) are left to the others. */
const INDICATOR_START = /^(?:[-?:](?: |$)|[?:,[\]{}#&*!|>'"%@`])/;
/** A literal block scalar's header, clipped or stripped, with nothing after it. */
const LITERAL_HEADER = /^\|(-?) *$/;
/** An item (or mapping value) of a one-line flow collection that is plainly a plain scalar. */
const FLOW_ITEM = /^[^\s\-?:,[\]{}#&*!|>'"%@`](?:[^,[\]{}#:]|:(?! |$))*$/;
/** Double-quoted escapes the tier reads; `\xHH` and `\uHHHH` are read in `doubleQuoted`, others are left to the other tiers. */
const ESCAPES: Record<string, string> = { '\\': '\\', '"': '"', '/': '/', n: '\n', t: '\t', r: '\r', '0': '\0', b: '\b', f: '\f', a: '\x07', v: '\v', e: '\x1B', ' ': ' ' };

/**
 * Reads the lines of a document as block collections; see `readBlockYaml`. `at` is the
 * current line; `next()` moves it past blank and comment lines (a literal block scalar reads
 * its own lines, comments included).
 */
class BlockReader {
  private at = 0;
  /** Spaces before the current line's text, and the text. */
  private indent = 0;
  private text = '';
  private readonly lines: string[];
  private readonly maxDepth: number;
  constructor(lines: string[], maxDepth: number) {
    this.lines = lines;
    this.maxDepth = maxDepth;
  }

  /** Moves to the next line with content (the current one if it has); false at the end. */
  next(): boolean {
    const { lines } = this;
    for (; this.at < lines.length; this.at++) {
      const line = lines[this.at]!;
      let indent = 0;
      while (line.charCodeAt(indent) === 32) indent++;
      if (indent === line.length || line.charCodeAt(indent) === 35) continue;
      this.indent = indent;
      this.text = indent ? line.slice(indent) : line;
      return true;
    }
    return false;
  }

  /** Past the current line, to the next with content; true when that one is indented more than `column`. */
  private deeperThan(column: number): boolean {
    this.at++;
    return this.next() && this.indent > column;
  }

  /** The collection that starts at the current line, which is indented more than `parent`. */
  node(parent: number, depth: number): unknown {
    if (this.indent <= parent) notBlock();
    if (isItem(this.text)) return this.sequence(this.indent, depth);
    if (keyEnd(this.text) > 0) return this.mapping(this.indent, depth);
    return notBlock();
  }

  /** The value after `key:` or `-` (`rest` of the line) of an entry at `column`; leaves the reader on the next line with content. */
  private value(rest: string, column: number, depth: number): unknown {
    if (rest === '' || rest.charCodeAt(0) === 35) return this.deeperThan(column) ? this.node(column, depth) : null;
    const literal = LITERAL_HEADER.exec(rest);
    if (literal) return this.literal(column, literal[1] === '-');
    const first = rest.charCodeAt(0);
    const value = first === 91 ? flowSequence(rest, depth >= this.maxDepth) : first === 123 ? flowMapping(rest, depth >= this.maxDepth) : scalar(rest);
    // A more indented line after a one-line value continues it (multi-line) or is an error.
    if (this.deeperThan(column)) notBlock();
    return value;
  }

  private mapping(column: number, depth: number): Record<string, unknown> {
    if (depth >= this.maxDepth) notBlock();
    const result: Record<string, unknown> = {};
    do {
      if (this.indent !== column) break;
      const { text } = this;
      const end = keyEnd(text);
      // A sequence at its key's indentation, or a line that is no entry.
      if (end < 0) notBlock();
      const key = text.slice(0, end);
      if (RESERVED_KEYS.has(key) || Object.hasOwn(result, key)) notBlock();
      let start = end + 1;
      while (text.charCodeAt(start) === 32) start++;
      result[key] = this.value(start === text.length ? '' : text.slice(start), column, depth + 1);
    } while (this.at < this.lines.length);
    if (this.at < this.lines.length && this.indent > column) notBlock();
    return result;
  }

  private sequence(column: number, depth: number): unknown[] {
    if (depth >= this.maxDepth) notBlock();
    const result: unknown[] = [];
    do {
      if (this.indent !== column) break;
      const { text } = this;
      if (!isItem(text)) notBlock();
      let start = 1;
      while (text.charCodeAt(start) === 32) start++;
      const rest = text.slice(start);
      if (isItem(rest)) notBlock();
      if (keyEnd(rest) > 0) {
        // `- key: value`: a mapping whose entries line up with this first key.
        this.indent = column + start;
        this.text = rest;
        result.push(this.mapping(column + start, depth + 1));
      } else {
        result.push(this.value(rest, column, depth + 1));
      }
    } while (this.at < this.lines.length);
    if (this.at < this.lines.length && this.indent > column) notBlock();
    return result;
  }

  /**
   * A literal block scalar whose header ends the current line, for an entry at `column`:
   * its lines are those indented as its first line with content (more than `column`) and
   * the blank ones between. Clipped: one final line break; stripped: none. Whitespace-only
   * lines longer than the indentation are left to the other tiers.
   */
  private literal(column: number, strip: boolean): string {
    const { lines } = this;
    let indent = -1;
    const kept: string[] = [];
    let blankRun = 0;
    let at = this.at + 1;
    for (; at < lines.length; at++) {
      const line = lines[at]!;
      let spaces = 0;
      while (line.charCodeAt(spaces) === 32) spaces++;
      if (spaces === line.length) {
        if (indent >= 0 ? spaces > indent : spaces > column + 1) notBlock();
        blankRun++;
        continue;
      }
      if (indent < 0) {
        if (spaces <= column) break;
        indent = spaces;
      } else if (spaces < indent) {
        break;
      }
      for (; blankRun > 0; blankRun--) kept.push('');
      kept.push(line.slice(indent));
    }
    this.at = at;
    this.next();
    if (kept.length === 0) return '';
    const body = kept.join('\n');
    return strip ? body : `${body}\n`;
  }
}

/**
 * Where the colon of `key:` is when `text` starts with a plain, letter-led key
 * (`[A-Za-z_][A-Za-z0-9_-]*`, at most 1,024 characters) followed by a colon and a space or
 * the end; else -1.
 */
function keyEnd(text: string): number {
  const first = text.charCodeAt(0);
  if (!(isLetter(first) || first === 95)) return -1;
  let at = 1;
  for (;;) {
    const code = text.charCodeAt(at);
    // YAML caps an implicit key at 1,024 characters; a longer one is an error there.
    if (at > MAX_KEY) return -1;
    if (isLetter(code) || (code >= 48 && code <= 57) || code === 95 || code === 45) at++;
    else if (code === 58) {
      const after = text.charCodeAt(at + 1);
      return after === 32 || at + 1 === text.length ? at : -1;
    } else return -1;
  }
}

const MAX_KEY = 1024;

function isLetter(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90);
}

/** `-` alone or followed by a space: a sequence entry. */
function isItem(text: string): boolean {
  return text.charCodeAt(0) === 45 && (text.length === 1 || text.charCodeAt(1) === 32);
}

/** A one-line scalar: the rest of a line after `key:` or `-`, not empty, not a comment. */
function scalar(text: string): unknown {
  const first = text.charCodeAt(0);
  if (first === 34) return doubleQuoted(text);
  if (first === 39) return singleQuoted(text);
  if (INDICATOR_START.test(text)) notBlock();
  const comment = text.indexOf(' #');
  let end = comment < 0 ? text.length : comment;
  // YAML trims spaces only (not U+3000 or no-break spaces, which are text).
  while (end > 0 && text.charCodeAt(end - 1) === 32) end--;
  const value = end === text.length ? text : text.slice(0, end);
  // `a: b` inside a value is a nested mapping (an error); a trailing colon starts one.
  if (value.includes(': ') || value.endsWith(':')) notBlock();
  return resolvePlain(value);
}

/** `[a, b]` or `[]` on one line, items plain; `tooDeep` when a collection here passes the depth limit. */
function flowSequence(text: string, tooDeep: boolean): unknown[] {
  return flowEntries(text, ']', tooDeep).map(flowItem);
}

/** The comma-separated entries of a one-line flow collection closed by `closer` (none when empty). */
function flowEntries(text: string, closer: ']' | '}', tooDeep: boolean): string[] {
  const close = text.indexOf(closer);
  if (close < 0 || tooDeep) notBlock();
  endOfLine(text, close + 1);
  const inner = text.slice(1, close);
  return /^ *$/.test(inner) ? [] : inner.split(',');
}

/** `{ ja: text, en: text }` or `{}` on one line, keys as in block mappings, values plain. */
function flowMapping(text: string, tooDeep: boolean): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const entry of flowEntries(text, '}', tooDeep)) {
    let start = 0;
    while (entry.charCodeAt(start) === 32) start++;
    const pair = entry.slice(start);
    const end = keyEnd(pair);
    if (end < 0) notBlock();
    const key = pair.slice(0, end);
    if (RESERVED_KEYS.has(key) || Object.hasOwn(result, key)) notBlock();
    result[key] = flowItem(pair.slice(end + 1));
  }
  return result;
}

/** A plain item of a one-line flow collection, between its commas. */
function flowItem(item: string): unknown {
  let start = 0;
  let end = item.length;
  while (item.charCodeAt(start) === 32) start++;
  while (end > start && item.charCodeAt(end - 1) === 32) end--;
  const value = item.slice(start, end);
  if (!FLOW_ITEM.test(value)) notBlock();
  return resolvePlain(value);
}

/** What may follow a closing quote or bracket: spaces, then nothing or a comment. */
function endOfLine(text: string, from: number): void {
  let at = from;
  while (text.charCodeAt(at) === 32) at++;
  if (at < text.length && !(at > from && text.charCodeAt(at) === 35)) notBlock();
}

function doubleQuoted(text: string): string {
  let out = '';
  let start = 1;
  for (;;) {
    const quote = text.indexOf('"', start);
    if (quote < 0) notBlock(); // closed on a later line, or never
    const escape = text.indexOf('\\', start);
    if (escape < 0 || escape > quote) {
      out += text.slice(start, quote);
      endOfLine(text, quote + 1);
      return out;
    }
    out += text.slice(start, escape);
    const code = text[escape + 1] ?? '';
    const simple = ESCAPES[code];
    if (simple !== undefined) {
      out += simple;
      start = escape + 2;
    } else if (code === 'u' || code === 'x') {
      const length = code === 'u' ? 4 : 2;
      const digits = text.slice(escape + 2, escape + 2 + length);
      if (!/^[0-9a-fA-F]+$/.test(digits) || digits.length !== length) notBlock();
      const value = parseInt(digits, 16);
      // Surrogates written as escapes are left to the other tiers.
      if (value >= 0xd800 && value <= 0xdfff) notBlock();
      out += String.fromCharCode(value);
      start = escape + 2 + length;
    } else {
      notBlock();
    }
  }
}

function singleQuoted(text: string): string {
  let out = '';
  let start = 1;
  for (;;) {
    const quote = text.indexOf("'", start);
    if (quote < 0) notBlock();
    out += text.slice(start, quote);
    if (text.charCodeAt(quote + 1) === 39) {
      out += "'";
      start = quote + 2;
      continue;
    }
    endOfLine(text, quote + 1);
    return out;
  }
}
