/**
 * Hostile content in the files other programs consume: the CSV exports (spreadsheets run
 * cells that start with = + - @ as formulas), the PowerShell verification scripts (a quote
 * or `$(...)` in a fact must never become code), the feeds, the JSON API and CSAF (markup
 * stays text, links stay http(s)). Builds `tests/fixtures/hostile` once and reads the files.
 *
 * The HTML those files carry for readers to render is loaded in a browser by
 * `hostile-pages.test.ts`; here the files are read as bytes and parsed.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bulletin } from '../schemas/index.ts';
import { loadContent } from '../src/lib/load-content.ts';
import { checkCsaf, newAjv } from './helpers/feeds-fixtures.ts';
import { filesUnder } from './helpers/site-files.ts';
import { ROOT, buildSite, tempBuildDir } from './helpers/build-site.ts';

const FIXTURE = path.join(ROOT, 'tests', 'fixtures', 'hostile');

let scratch: string;
let siteDir: string;
let bulletins: Bulletin[];

const read = (relative: string) => readFileSync(path.join(siteDir, relative), 'utf8');

beforeAll(async () => {
  const loaded = await loadContent(FIXTURE);
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  bulletins = loaded.bulletins;
  scratch = tempBuildDir('hostile-exports');
  siteDir = path.join(scratch, 'site');
  buildSite({ contentDir: FIXTURE, outDir: siteDir });
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------
// CSV

/**
 * CSV records per RFC 4180 ("" inside quoted fields), CRLF or LF between records (the CSAF
 * changes.csv uses LF); the BOM is dropped. Strict about quotes so a cell boundary is never
 * guessed.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = text.startsWith('\uFEFF') ? 1 : 0;
  let quoted = false;
  for (; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if ((ch === '\r' && text[i + 1] === '\n') || ch === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      if (ch === '\r') i++;
    } else if (ch === '"' || ch === '\r' || ch === '\n') {
      throw new Error(`bare ${JSON.stringify(ch)} outside a quoted field at offset ${i}: not RFC 4180`);
    } else cell += ch;
  }
  if (quoted) throw new Error('unterminated quoted field');
  if (cell !== '' || row.length > 0) throw new Error('last record does not end with a line break');
  return rows;
}

/** Cell starts a spreadsheet evaluates as a formula (OWASP CSV injection list). */
const FORMULA_START = /^[=+\-@\t\r]/;

describe('csv exports', () => {
  const csvFiles = () => filesUnder(siteDir).filter((f) => f.endsWith('.csv'));

  it('exports both spreadsheets', () => {
    expect(csvFiles()).toEqual(expect.arrayContaining(['exports/bulletins.csv', 'exports/files.csv']));
  });

  it('no cell of any csv starts with = + - @, a tab or a carriage return', () => {
    const offending: string[] = [];
    for (const file of csvFiles()) {
      const rows = parseCsv(read(file));
      rows.forEach((row, r) => {
        expect(row.length, `${file} row ${r + 1} has as many cells as the header`).toBe(rows[0]!.length);
        row.forEach((cell, c) => {
          if (FORMULA_START.test(cell)) offending.push(`${file} row ${r + 1} column ${rows[0]![c]}: ${JSON.stringify(cell)}`);
        });
      });
    }
    expect(offending).toEqual([]);
  });

  it('keeps formula-like facts as text behind a leading apostrophe', () => {
    const cells = new Set(parseCsv(read('exports/files.csv')).flat());
    const facts: string[] = [];
    for (const b of bulletins) {
      for (const pkg of b.packages) {
        for (const file of pkg.files) {
          facts.push(file.name);
          for (const text of [file.description, file.note]) {
            if (typeof text === 'string') facts.push(text);
            else if (text) facts.push(...Object.values(text).filter((v): v is string => typeof v === 'string'));
          }
        }
      }
    }
    const formulas = facts.filter((fact) => FORMULA_START.test(fact));
    // The fixture holds every formula start: = + - @ tab CR.
    expect(new Set(formulas.map((f) => f[0]))).toEqual(new Set(['=', '+', '-', '@', '\t', '\r']));
    for (const fact of formulas) {
      expect(cells, `files.csv has ${JSON.stringify(fact)} neutralised`).toContain(`'${fact}`);
      expect(cells).not.toContain(fact);
    }
  });

  it('keeps a formula-like title as text in bulletins.csv', () => {
    const rows = parseCsv(read('exports/bulletins.csv'));
    const title = bulletins.find((b) => b.id === 'HX99-002')!.text.ja!.title;
    expect(title).toMatch(FORMULA_START);
    const row = rows.find((r) => r[0] === 'HX99-002')!;
    expect(row).toContain(`'${title}`);
    expect(row).not.toContain(title);
  });
});

// ---------------------------------------------------------------------------------------
// PowerShell

/** Characters PowerShell's tokenizer treats as a single quote (ASCII ' and ‘ ’ ‚ ‛). */
const SINGLE_QUOTES = new Set(["'", '\u2018', '\u2019', '\u201A', '\u201B']);
/** Characters PowerShell treats as a double quote (ASCII " and “ ” „). */
const DOUBLE_QUOTES = new Set(['"', '\u201C', '\u201D', '\u201E']);

export interface PsToken {
  kind: 'single' | 'double' | 'here-single' | 'here-double' | 'comment';
  /** Offsets into the script: [start, end). */
  start: number;
  end: number;
  /** For single-quoted literals: the string PowerShell makes of it. */
  value?: string;
}

/**
 * Splits a PowerShell script into the regions where the text is data (single-quoted
 * literals and here-strings), expandable strings, comments, and code (everything else).
 * Enough of the PowerShell 5.1 lexer to follow where a string starts and ends: quote
 * doubling with the typographic quotes, backtick escapes, `$( … )` inside double quotes
 * (recursively), here-strings, `#` and `<# … #>` comments. Throws on an unterminated
 * string or comment: a script that does not even tokenize is broken.
 */
export function tokenizePowerShell(source: string): PsToken[] {
  const tokens: PsToken[] = [];
  let i = 0;
  const atLineStart = (at: number) => at === 0 || source[at - 1] === '\n' || source[at - 1] === '\r';

  // Scans code until the matching ")" when `depth` starts at 1 (a $( … ) sub-expression), or to the end.
  const scanCode = (closing: boolean) => {
    let depth = closing ? 1 : 0;
    while (i < source.length) {
      const ch = source[i]!;
      const next = source[i + 1];
      if (ch === '<' && next === '#') {
        const end = source.indexOf('#>', i + 2);
        if (end < 0) throw new Error(`unterminated <# comment at offset ${i}`);
        tokens.push({ kind: 'comment', start: i, end: end + 2 });
        i = end + 2;
      } else if (ch === '#') {
        let end = i;
        while (end < source.length && source[end] !== '\n' && source[end] !== '\r') end++;
        tokens.push({ kind: 'comment', start: i, end });
        i = end;
      } else if (ch === '@' && next !== undefined && (SINGLE_QUOTES.has(next) || DOUBLE_QUOTES.has(next)) && /^[ \t]*\r?\n/.test(source.slice(i + 2))) {
        scanHereString(SINGLE_QUOTES.has(next));
      } else if (SINGLE_QUOTES.has(ch)) {
        scanSingle();
      } else if (DOUBLE_QUOTES.has(ch)) {
        scanDouble();
      } else if (ch === '`') {
        i += 2;
      } else if (ch === '(') {
        depth += closing ? 1 : 0;
        i++;
      } else if (ch === ')') {
        i++;
        if (closing && --depth === 0) return;
      } else i++;
    }
    if (closing) throw new Error('unterminated $( sub-expression');
  };

  const scanSingle = () => {
    const start = i;
    let value = '';
    i++;
    for (;;) {
      if (i >= source.length) throw new Error(`unterminated single-quoted string at offset ${start}`);
      const ch = source[i]!;
      if (SINGLE_QUOTES.has(ch)) {
        // Two quote characters in a row (any mix of the five) are one literal quote.
        if (SINGLE_QUOTES.has(source[i + 1] ?? '')) {
          value += source[i + 1];
          i += 2;
          continue;
        }
        i++;
        break;
      }
      value += ch;
      i++;
    }
    tokens.push({ kind: 'single', start, end: i, value });
  };

  const scanDouble = () => {
    const start = i;
    i++;
    for (;;) {
      if (i >= source.length) throw new Error(`unterminated double-quoted string at offset ${start}`);
      const ch = source[i]!;
      if (ch === '`') i += 2;
      else if (ch === '$' && source[i + 1] === '(') {
        i += 2;
        scanCode(true);
      } else if (DOUBLE_QUOTES.has(ch)) {
        if (DOUBLE_QUOTES.has(source[i + 1] ?? '')) i += 2;
        else {
          i++;
          break;
        }
      } else i++;
    }
    tokens.push({ kind: 'double', start, end: i });
  };

  const scanHereString = (single: boolean) => {
    const start = i;
    const open = /^[ \t]*\r?\n/.exec(source.slice(i + 2))!;
    i += 2 + open[0].length;
    const bodyStart = i;
    for (;;) {
      if (i >= source.length) throw new Error(`unterminated here-string at offset ${start}`);
      const ch = source[i]!;
      const closes = single ? SINGLE_QUOTES.has(ch) : DOUBLE_QUOTES.has(ch);
      if (closes && source[i + 1] === '@' && atLineStart(i)) {
        const body = source.slice(bodyStart, i).replace(/\r?\n$/, '');
        i += 2;
        tokens.push(single ? { kind: 'here-single', start, end: i, value: body } : { kind: 'here-double', start, end: i });
        return;
      }
      if (!single && ch === '`') i += 2;
      else if (!single && ch === '$' && source[i + 1] === '(') {
        i += 2;
        scanCode(true);
      } else i++;
    }
  };

  scanCode(false);
  return tokens.sort((a, b) => a.start - b.start);
}

/** Every occurrence of `marker` that is not inside a single-quoted literal, with its line. */
export function markersOutsideLiterals(source: string, marker: string): string[] {
  const literals = tokenizePowerShell(source).filter((t) => t.kind === 'single' || t.kind === 'here-single');
  const out: string[] = [];
  for (let at = source.indexOf(marker); at >= 0; at = source.indexOf(marker, at + 1)) {
    if (!literals.some((t) => t.start < at && at + marker.length <= t.end)) {
      const lineStart = source.lastIndexOf('\n', at) + 1;
      const lineEnd = source.indexOf('\n', at);
      out.push(`line ${source.slice(0, at).split('\n').length}: ${source.slice(lineStart, lineEnd < 0 ? undefined : lineEnd).trim()}`);
    }
  }
  return out;
}

describe('powershell tokenizer used by these tests', () => {
  it('reads doubled ascii and typographic quotes as one quote inside a literal', () => {
    const tokens = tokenizePowerShell("$a = 'it''s'; $b = 'x\u2019\u2019y'; $c = 'q\u2018\u201Br'");
    expect(tokens.map((t) => t.value)).toEqual(["it's", 'x\u2019y', 'q\u201Br']);
  });

  it('finds a payload that leaves a literal through an undoubled quote', () => {
    const naive = (value: string) => `$x = '${value.replaceAll("'", "''")}'`;
    expect(markersOutsideLiterals(naive("a'; Remove-Item PWNMARK; '"), 'PWNMARK')).toEqual([]);
    // ASCII doubling is not enough: PowerShell ends the literal at the typographic quote.
    expect(markersOutsideLiterals(naive('a\u2019; Remove-Item PWNMARK; \u2019'), 'PWNMARK')).toHaveLength(1);
    expect(markersOutsideLiterals(`$x = 'a'; Remove-Item PWNMARK; ''`, 'PWNMARK')).toHaveLength(1);
  });

  it('counts double-quoted strings, sub-expressions and comments as outside a literal', () => {
    expect(markersOutsideLiterals('$x = "$(Invoke-Expression PWNMARK)"', 'PWNMARK')).toHaveLength(1);
    expect(markersOutsideLiterals("$x = \"a $('PWNMARK') b\"", 'PWNMARK')).toEqual([]);
    expect(markersOutsideLiterals('# PWNMARK\n<# PWNMARK #>', 'PWNMARK')).toHaveLength(2);
  });

  it('follows here-strings to the quote and @ at the start of a line', () => {
    expect(markersOutsideLiterals("$x = @'\r\nsafe '@ PWNMARK\r\n'@\r\n", 'PWNMARK')).toEqual([]);
    expect(markersOutsideLiterals("$x = @'\nsafe\n'@\nRemove-Item PWNMARK\n", 'PWNMARK')).toHaveLength(1);
  });

  it('rejects an unterminated literal', () => {
    expect(() => tokenizePowerShell("$x = 'open")).toThrow(/unterminated single-quoted/);
    expect(() => tokenizePowerShell('$x = "$(open"')).toThrow(/unterminated/);
  });
});

describe('powershell verification scripts', () => {
  const scripts = () => ['hx99-001', 'hx99-002'].map((id) => ({ id, source: read(`downloads/verify/${id}.ps1`) }));

  it('puts every payload marker inside a single-quoted literal', () => {
    for (const { id, source } of scripts()) {
      expect(source, `${id}.ps1 carries the hostile facts`).toContain('PWNMARK');
      expect(markersOutsideLiterals(source, 'PWNMARK'), `${id}.ps1`).toEqual([]);
    }
  });

  it('tokenizes to the end with every literal closed', () => {
    for (const { source } of scripts()) expect(() => tokenizePowerShell(source)).not.toThrow();
  });

  it('keeps every file name, folder and registry key exactly as the bulletin gives it', () => {
    for (const { id, source } of scripts()) {
      const values = tokenizePowerShell(source)
        .filter((t) => t.value !== undefined)
        .map((t) => t.value!);
      const bulletin = bulletins.find((b) => b.id.toLowerCase() === id)!;
      for (const pkg of bulletin.packages) {
        for (const file of pkg.files) {
          expect(values, `${id}.ps1 file name`).toContain(file.name);
          expect(values, `${id}.ps1 folder`).toContain(file.folder);
        }
        for (const key of pkg.registry_keys) {
          expect(
            values.some((v) => v.endsWith(`\\${key.path}`)),
            `${id}.ps1 registry key ${key.path}`,
          ).toBe(true);
        }
      }
    }
  });

  it('never puts a fact into an expandable string', () => {
    for (const { id, source } of scripts()) {
      const expandable = tokenizePowerShell(source)
        .filter((t) => t.kind === 'double' || t.kind === 'here-double')
        .map((t) => source.slice(t.start, t.end));
      for (const text of expandable) expect(text, `${id}.ps1`).not.toMatch(/PWNMARK|Evil|evil|__pwned|calc/);
    }
  });
});

// ---------------------------------------------------------------------------------------
// Feeds, JSON API, CSAF

const FEEDS = ['ja/rss.xml', 'en/rss.xml', 'ja/atom.xml', 'en/atom.xml'];
/** Element names that would mean raw HTML leaked into the XML structure. */
const HTML_ELEMENTS = /^(script|iframe|style|img|svg|object|embed|a|b|form|base|meta|details|math|body|html|div|p)$/i;

/** Every element name in a parsed fast-xml-parser tree. */
function elementNames(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) elementNames(item, out);
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (!key.startsWith('@') && key !== '#text') out.push(key.includes(':') ? key.split(':')[1]! : key);
      elementNames(value, out);
    }
  }
  return out;
}

/** Every (key, string) pair of a JSON document, with a path for messages. */
function jsonStrings(node: unknown, where = '', key = ''): Array<{ where: string; key: string; value: string }> {
  if (typeof node === 'string') return [{ where, key, value: node }];
  if (Array.isArray(node)) return node.flatMap((item, i) => jsonStrings(item, `${where}[${i}]`, key));
  if (node && typeof node === 'object') return Object.entries(node).flatMap(([k, v]) => jsonStrings(v, `${where}.${k}`, k));
  return [];
}

/** Keys whose value a consumer follows as a link. */
const LINK_KEY = /^(url|uri|href|link|external_url|home_page_url|feed_url|next_url|icon|favicon|image|banner_image|[a-z_]*_url)$/i;

describe('feeds, json api and csaf', () => {
  it('writes well-formed xml feeds with no html elements in their structure', () => {
    const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' });
    for (const feed of FEEDS) {
      const text = read(feed);
      expect(XMLValidator.validate(text), feed).toBe(true);
      expect(elementNames(parser.parse(text)).filter((name) => HTML_ELEMENTS.test(name)), feed).toEqual([]);
      expect(text, feed).not.toMatch(/<script|<iframe|<img|<svg|<style/i);
    }
  });

  it('gives every feed title the bulletin title as exact text', () => {
    const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', textNodeName: '#text' });
    const hx1 = bulletins.find((b) => b.id === 'HX99-001')!;
    for (const lang of ['ja', 'en'] as const) {
      const title = hx1.text[lang]!.title;
      const rss = parser.parse(read(`${lang}/rss.xml`));
      const rssTitles = [rss.rss.channel.item].flat().map((item: { title: string }) => String(item.title));
      expect(rssTitles.some((t) => t.endsWith(title)), `${lang}/rss.xml`).toBe(true);
      const atom = parser.parse(read(`${lang}/atom.xml`));
      const atomTitles = [atom.feed.entry].flat().map((entry: { title: string | { '#text': string } }) =>
        typeof entry.title === 'string' ? entry.title : entry.title['#text'],
      );
      expect(atomTitles.some((t) => t.endsWith(title)), `${lang}/atom.xml`).toBe(true);
      const json = JSON.parse(read(`${lang}/feed.json`)) as { items: Array<{ title: string }> };
      expect(json.items.some((item) => item.title.endsWith(title)), `${lang}/feed.json`).toBe(true);
    }
    const api = JSON.parse(read('api/v1/bulletins/hx99-001.json'));
    expect(jsonStrings(api).map((s) => s.value)).toEqual(expect.arrayContaining([hx1.text.en!.title, hx1.text.ja!.title]));
  });

  it('links only to http(s) addresses in every json document and feed', () => {
    const bad: string[] = [];
    for (const file of filesUnder(siteDir).filter((f) => f.endsWith('.json') && !f.startsWith('pagefind/') && !f.includes('/schema/'))) {
      for (const { where, key, value } of jsonStrings(JSON.parse(read(file)))) {
        if (LINK_KEY.test(key) && !/^https?:\/\//.test(value) && !value.startsWith('/')) bad.push(`${file} ${where}: ${value}`);
      }
    }
    const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' });
    for (const feed of FEEDS) {
      // RSS <link>, Atom <link href>, enclosure url: what a reader opens. (Atom ids may be URNs.)
      const visitNode = (node: unknown, key: string) => {
        if (typeof node === 'string') {
          if ((key === 'link' || key === '@href' || key === '@url') && !/^https?:\/\//.test(node)) bad.push(`${feed} ${key}: ${node}`);
        } else if (Array.isArray(node)) node.forEach((n) => visitNode(n, key));
        else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) visitNode(v, k === '#text' ? key : k);
      };
      visitNode(parser.parse(read(feed)), '');
    }
    expect(bad).toEqual([]);
  });

  it('keeps the json api of hostile bulletins valid against its published schemas', () => {
    const ajv = newAjv();
    const invalid: string[] = [];
    const check = (file: string, schema: string) => {
      const validate = ajv.getSchema(schema) ?? (ajv.addSchema(JSON.parse(read(`api/v1/schema/${schema}`)), schema), ajv.getSchema(schema)!);
      if (!validate(JSON.parse(read(file)))) invalid.push(...(validate.errors ?? []).map((e) => `${file} ${e.instancePath} ${e.message}`));
    };
    check('api/v1/bulletins.json', 'bulletins.schema.json');
    check('api/v1/files.json', 'files.schema.json');
    check('api/v1/products.json', 'products.schema.json');
    for (const id of ['hx99-001', 'hx99-002']) check(`api/v1/bulletins/${id}.json`, 'bulletin.schema.json');
    expect(invalid).toEqual([]);
  });

  it('keeps the csaf documents of hostile bulletins valid against the official schema and mandatory tests', async () => {
    const documents = filesUnder(siteDir).filter((f) => f.startsWith('.well-known/csaf/white/') && /\/hx99-\d+(-[a-z]+)?\.json$/.test(f));
    expect(documents.length).toBeGreaterThanOrEqual(3);
    const failures: Record<string, unknown> = {};
    for (const file of documents) {
      const result = await checkCsaf(JSON.parse(read(file)));
      if (result.schema.length > 0 || result.mandatory.length > 0) failures[file] = result;
    }
    expect(failures).toEqual({});
  });
});
