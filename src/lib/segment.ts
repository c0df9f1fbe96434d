/**
 * The one tokeniser search uses on both sides: at build time in Node, to write the index,
 * and in the browser, on the query. Pure and dependency-free so the same module ships in
 * the client bundle.
 *
 * Why not Pagefind's own splitting: its index side segments Japanese with charabia/Lindera
 * and its query side with the browser's `Intl.Segmenter`, which disagree; it drops no
 * particles; and it keeps `KB829436` as one word. Here both sides run the same code:
 *
 * - Japanese runs are cut with `Intl.Segmenter('ja', { granularity: 'word' })` and every
 *   piece is cut again on its own until it is stable, so a term indexed from a sentence and
 *   the same term typed alone come out the same.
 * - Particles, auxiliaries and English function words are stop words: never indexed as
 *   terms, never searched.
 * - Identifiers are recognised before word splitting and given every form a person types:
 *   `KB829436` / `Q829436` → `kb829436` + `829436`; `CVE-2003-0714` / `CAN-2003-0714` →
 *   `cve20030714` + `20030714`; `MS03-046` → `ms03046`; `drviis.dll` → `drviisdll`
 *   (which `drviis` finds as a prefix); `6.0.6487.1` → `6064871`;
 *   `SOFTWARE\Microsoft\Updates` → each key name.
 *
 * A term is what Pagefind would make of a word anyway (NFKC, lower case, letters, digits and
 * `_` only), so Pagefind's own normalisation of our terms is a no-op.
 */

/**
 * Marks the index writer puts between sections of a record's content and between facts.
 * Neither is a letter or digit, so Pagefind keeps them in the content (the excerpt finds
 * the sections by them) but indexes nothing for them.
 */
export const SECTION_MARK = '¶';
export const FACT_MARK = '·';

/**
 * File, next to each language's `pagefind.js`, listing the terms so common in that index's
 * bulletin bodies that the index keeps them only in titles, facts and summaries. One file,
 * fetched once while Pagefind loads: a few KB, and no extra round trip on later queries.
 */
export const COMMON_TERMS_FILE = 'common-terms.json';

/**
 * The terms of a query worth searching: those not in `common`, or all of them when every
 * one is common (then they find the bulletins whose titles, facts or summaries hold them).
 */
export function withoutCommonTerms(terms: readonly string[], common: ReadonlySet<string>): string[] {
  const rare = terms.filter((term) => !common.has(term));
  return rare.length ? rare : [...terms];
}

/** What a token is, for the index writer and the excerpt. */
export type TokenKind = 'word' | 'stop' | 'punct';

/** A piece of text: shown as `text`, searched as `terms`. */
export interface Token {
  /** The text as written (after NFKC), e.g. "drviis.dll", "認証", "、". */
  text: string;
  kind: TokenKind;
  /**
   * Every term the index should hold for this token, primary form first. Empty for
   * punctuation and stop words.
   */
  terms: string[];
  /**
   * The terms a query uses for this token: the primary form of a word, the most general
   * exact form of an identifier (`KB829436` → `829436`), every key name of a registry path.
   * Every key is also among `terms`, so a query term always exists in a matching index.
   */
  keys: string[];
}

/** Characters of scripts written without spaces, plus their punctuation and full-width forms. */
const CJK = /[\u3000-\u303f\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]/u;
const CJK_RUN = /[\u3000-\u303f\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+/gu;
const HIRAGANA_ONLY = /^[\u3041-\u309f]+$/u;
/** Pagefind keeps letters, digits and `_` (its default "include characters"); so do we. */
const NON_TERM = /[^\p{Alphabetic}\p{Nd}\p{Nl}\p{No}_]+/gu;
const HAS_LETTER_OR_DIGIT = /[\p{Alphabetic}\p{N}]/u;

/**
 * Japanese function words: particles, auxiliaries, copulas and formal nouns. Together with
 * every hiragana-only token of one or two characters they carry no topic of their own, and
 * left in they dominate matches (を/する outranked 認証 in the baseline the search issue measured).
 */
const JA_STOP = new Set([
  'から', 'まで', 'より', 'など', 'ほか', 'こと', 'もの', 'ため', 'よう', 'これ', 'それ', 'あれ',
  'この', 'その', 'あの', 'どの', 'ここ', 'そこ', 'および', 'または', 'ならびに', 'について',
  'による', 'により', 'によって', 'において', 'における', 'に対して', 'として', 'される',
  'られる', 'させる', 'できる', 'ある', 'いる', 'なる', 'する', 'した', 'して', 'します',
  'しない', 'ません', 'ました', 'ます', 'です', 'でした', 'ください', 'います', 'あります',
  'なります', 'されます', 'ない', 'なく', 'なし', 'おり', 'ので', 'のみ', 'だけ', 'という',
  'といった', 'ところ', 'とき', 'ほど', 'くらい', 'ながら', 'けれど', 'しかし', 'また', 'さらに',
  'ただし', 'なお', 'すでに', 'それぞれ', 'すべて', 'でき', 'され', 'られ', 'せる', 'れる',
]);

/** English function words; Japanese bulletins quote English too, so both lists apply to both. */
const EN_STOP = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'been', 'but', 'by', 'can', 'could', 'did', 'do',
  'does', 'for', 'from', 'had', 'has', 'have', 'if', 'in', 'into', 'is', 'it', 'its', 'may',
  'might', 'no', 'not', 'of', 'on', 'or', 'our', 'should', 'so', 'such', 'than', 'that', 'the',
  'their', 'them', 'then', 'there', 'these', 'they', 'this', 'those', 'to', 'was', 'we', 'were',
  'what', 'when', 'where', 'which', 'while', 'who', 'will', 'with', 'would', 'you', 'your',
]);

/** True when a normalised term is a function word that search ignores. */
export function isStopWord(term: string): boolean {
  if (EN_STOP.has(term) || JA_STOP.has(term)) return true;
  return HIRAGANA_ONLY.test(term) && term.length <= 2;
}

/** A word as Pagefind indexes it: NFKC, lower case, letters/digits/`_` only. */
export function normalizeTerm(word: string): string {
  return word.normalize('NFKC').toLowerCase().replace(NON_TERM, '');
}

/** Registry hives and their abbreviations, both ways, so `HKLM\…` finds `HKEY_LOCAL_MACHINE\…`. */
const HIVE_ALIASES: Record<string, string> = {
  hkey_local_machine: 'hklm',
  hklm: 'hkey_local_machine',
  hkey_current_user: 'hkcu',
  hkcu: 'hkey_current_user',
  hkey_classes_root: 'hkcr',
  hkcr: 'hkey_classes_root',
  hkey_users: 'hku',
  hku: 'hkey_users',
};

interface IdentifierRule {
  pattern: RegExp;
  expand: (match: RegExpExecArray) => { terms: string[]; key: string };
}

/**
 * Identifier patterns, tried in order on each space-free chunk. Anchored to the whole chunk
 * (minus surrounding punctuation) so "(829436)," and "KB829436." are recognised too.
 */
const IDENTIFIERS: IdentifierRule[] = [
  {
    // Clock times, calendar dates and grouped byte counts of file tables (23:12,
    // 2008/10/17, 1,165,928): nobody searches by them, and as terms they would fill the
    // index and every result's download with numbers.
    pattern: /^(?:\d{1,2}:\d{2}(?::\d{2})?|\d{4}[/-]\d{1,2}[/-]\d{1,2}|\d{1,2}-[a-z]{3}-\d{4}|\d{1,3}(?:,\d{3})+)$/i,
    expand: () => ({ terms: [], key: '' }),
  },
  {
    // CVE-2003-0714, and the pre-2005 candidate form CAN-2003-0714.
    pattern: /^(?:cve|can)-(\d{4})-(\d{4,7})$/i,
    expand: (m) => ({ terms: [`cve${m[1]}${m[2]}`, `${m[1]}${m[2]}`], key: `cve${m[1]}${m[2]}` }),
  },
  {
    // KB829436 (KB 829436 is joined by mergeKbPairs), and Q249973, the same article number
    // as bulletins before 2003 write it; the bare number is the general form.
    pattern: /^(kb|q)(\d{4,8})$/i,
    expand: (m) => ({ terms: [`${m[1]!.toLowerCase()}${m[2]}`, m[2]!], key: m[2]! }),
  },
  {
    // Bulletin ids: MS03-046, MS14-085.
    pattern: /^([a-z]{2,6}\d{2})-(\d{3,4})$/i,
    expand: (m) => {
      const full = `${m[1]}${m[2]}`.toLowerCase();
      return { terms: [full], key: full };
    },
  },
  {
    // Versions: 6.0.6487.1, 5.5.2657.72 (two to four dot-separated numbers).
    pattern: /^\d{1,6}(?:\.\d{1,6}){1,3}$/,
    expand: (m) => {
      const full = m[0].replaceAll('.', '');
      return { terms: [full], key: full };
    },
  },
  {
    // File names: drviis.dll, Exchange5.5-KB829436-x86-jpn.EXE (an extension with a letter).
    // The name without its extension needs no term of its own: Pagefind matches a query
    // word as a prefix, so "drviis" finds "drviisdll".
    pattern: /^([\p{L}\p{N}_$~][\p{L}\p{N}_$~.+-]*)\.([a-z][a-z0-9]{0,4}|\d[a-z][a-z0-9]{0,3})$/iu,
    expand: (m) => {
      const full = normalizeTerm(m[0]);
      const parts = m[1]!.includes('.') || /[-+]/.test(m[1]!) ? m[1]!.split(/[._+-]+/).flatMap((part) => chunkTerms(part)).filter((part) => part.length > 1) : [];
      return { terms: unique([full, ...parts]), key: full };
    },
  },
];

/** Terms of a space-free chunk that is not an identifier: the whole and its punctuated parts. */
function chunkTerms(chunk: string): string[] {
  const id = identifierTerms(chunk);
  if (id) return id.terms;
  const full = normalizeTerm(chunk);
  if (!full) return [];
  // Pagefind also indexes the parts of "x86-based" or "cross_site"; so do we, for the bag.
  const parts = chunk
    .split(/[^\p{Alphabetic}\p{N}]+/u)
    .map(normalizeTerm)
    .filter((part) => part.length > 1 && part !== full);
  return unique([full, ...parts]);
}

function identifierTerms(chunk: string): { terms: string[]; key: string } | undefined {
  for (const rule of IDENTIFIERS) {
    const match = rule.pattern.exec(chunk);
    if (match) return rule.expand(match);
  }
  return undefined;
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

/** Punctuation that may wrap a chunk: "(829436)," → "829436". */
const EDGE_PUNCT = /^[\p{P}\p{S}]+|[\p{P}\p{S}]+$/gu;

/** Tokens of a Latin (space-free, CJK-free) chunk: an identifier, a path or a word. */
function latinTokens(chunk: string): Token[] {
  const core = chunk.replace(EDGE_PUNCT, '');
  if (!HAS_LETTER_OR_DIGIT.test(chunk)) return [{ text: chunk, kind: 'punct', terms: [], keys: [] }];
  // Registry keys and folders: every key name is a term, and hives match their abbreviations.
  if (core.includes('\\')) {
    const names = core.split('\\').filter((part) => HAS_LETTER_OR_DIGIT.test(part));
    const keys = unique(names.map((part) => identifierTerms(part)?.key ?? normalizeTerm(part))).filter((key) => key && !isStopWord(key));
    const terms = unique(
      names
        .flatMap((part) => chunkTerms(part))
        .flatMap((term) => (HIVE_ALIASES[term] ? [term, HIVE_ALIASES[term]!] : [term]))
        .filter((term) => !isStopWord(term)),
    );
    return [{ text: chunk, kind: terms.length ? 'word' : 'stop', terms, keys }];
  }
  const id = identifierTerms(core);
  if (id) return [id.key ? { text: chunk, kind: 'word', terms: id.terms, keys: [id.key] } : { text: chunk, kind: 'stop', terms: [], keys: [] }];
  const primary = normalizeTerm(core);
  if (!primary) return [{ text: chunk, kind: 'punct', terms: [], keys: [] }];
  if (isStopWord(primary)) return [{ text: chunk, kind: 'stop', terms: [], keys: [] }];
  const terms = chunkTerms(core).filter((term) => !isStopWord(term));
  const withAlias = HIVE_ALIASES[primary] ? [...terms, HIVE_ALIASES[primary]!] : terms;
  return [{ text: chunk, kind: 'word', terms: unique(withAlias), keys: [primary] }];
}

let segmenter: Intl.Segmenter | undefined;
function japaneseSegmenter(): Intl.Segmenter {
  segmenter ??= new Intl.Segmenter('ja', { granularity: 'word' });
  return segmenter;
}

/**
 * Runs and words seen before, as finished tokens: bulletins repeat the same sentences and
 * words thousands of times, and segmenting is the expensive step of indexing. Tokens are
 * shared, never mutated. Cleared when large, so memory stays bounded in a long build.
 */
const runCache = new Map<string, readonly Token[]>();
const wordCache = new Map<string, readonly Token[]>();
const CACHE_LIMIT = 100_000;

function remember<T>(cache: Map<string, T>, key: string, value: T): T {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

const NO_TERMS: readonly string[] = Object.freeze([]);

function punctToken(text: string): Token {
  return { text, kind: 'punct', terms: NO_TERMS as string[], keys: NO_TERMS as string[] };
}

/** The token of a Japanese word that is already stable. */
function japaneseToken(text: string): Token {
  const term = normalizeTerm(text);
  if (!term) return punctToken(text);
  if (isStopWord(term)) return { text, kind: 'stop', terms: NO_TERMS as string[], keys: NO_TERMS as string[] };
  const terms = [term];
  return { text, kind: 'word', terms, keys: terms };
}

/**
 * A word cut again on its own until stable: the dictionary segmenter can cut a word
 * differently in a sentence than alone, and a query is usually the word alone.
 */
function stableWord(word: string, depth: number): readonly Token[] {
  const cached = wordCache.get(word);
  if (cached) return cached;
  const again = depth < 3 && word.length > 1 ? [...japaneseSegmenter().segment(word)] : [];
  const tokens: readonly Token[] =
    again.length > 1
      ? again.flatMap((part) => (part.isWordLike ? stableWord(part.segment, depth + 1) : [punctToken(part.segment)]))
      : [japaneseToken(word)];
  return remember(wordCache, word, tokens);
}

/** Tokens of a CJK run, each word stable on its own (see `stableWord`). */
function runTokens(run: string): readonly Token[] {
  const cached = runCache.get(run);
  if (cached) return cached;
  const tokens: Token[] = [];
  for (const part of japaneseSegmenter().segment(run)) {
    if (part.isWordLike) tokens.push(...stableWord(part.segment, 0));
    else tokens.push(punctToken(part.segment));
  }
  return remember(runCache, run, tokens);
}

const WHITESPACE = /\s+/u;

/**
 * Chunks seen before, as finished tokens (shared like `runCache`): a body repeats its
 * words, product names and file names many times, and a chunk's tokens depend on the
 * chunk alone.
 */
const chunkCache = new Map<string, readonly Token[]>();

function cachedChunkTokens(chunk: string): readonly Token[] {
  return chunkCache.get(chunk) ?? remember(chunkCache, chunk, chunkTokens(chunk));
}

/** Tokens of one space-free chunk, which may mix Latin and Japanese. */
function chunkTokens(chunk: string): Token[] {
  if (!CJK.test(chunk)) return latinTokens(chunk);
  const tokens: Token[] = [];
  let last = 0;
  for (const match of chunk.matchAll(CJK_RUN)) {
    if (match.index > last) tokens.push(...latinTokens(chunk.slice(last, match.index)));
    tokens.push(...runTokens(match[0]));
    last = match.index + match[0].length;
  }
  if (last < chunk.length) tokens.push(...latinTokens(chunk.slice(last)));
  return tokens;
}

/**
 * `KB 829436` written with a space is the same article as `KB829436`: merge the pair so
 * both spellings give the same terms.
 */
function mergeKbPairs(chunks: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < chunks.length; i++) {
    const chunk = chunks[i]!;
    const next = chunks[i + 1];
    if (/^kb$/i.test(chunk) && next !== undefined && /^\d{4,8}[)\]}.,;:]*$/.test(next)) {
      out.push(`${chunk}${next}`);
      i++;
    } else out.push(chunk);
  }
  return out;
}

/**
 * Splits text into tokens: whitespace-separated chunks, Japanese runs cut into words,
 * identifiers recognised and expanded. The same function runs on bulletin text at build time
 * and on the query in the browser.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const chunk of mergeKbPairs(text.normalize('NFKC').split(WHITESPACE).filter(Boolean))) {
    for (const token of cachedChunkTokens(chunk)) tokens.push(token);
  }
  return tokens;
}

/**
 * Adds every index term of `text` to `counts`, once per occurrence: the terms of
 * `tokenize(text)`, counted in the same order of first appearance. A body repeats its
 * chunks (product names, file names, identifiers), so each distinct chunk is looked up
 * and its terms counted once, times its occurrences.
 */
export function addTermCounts(text: string, counts: Map<string, number>): void {
  const chunks = new Map<string, number>();
  for (const chunk of mergeKbPairs(text.normalize('NFKC').split(WHITESPACE).filter(Boolean))) chunks.set(chunk, (chunks.get(chunk) ?? 0) + 1);
  for (const [chunk, times] of chunks) {
    for (const token of cachedChunkTokens(chunk)) for (const term of token.terms) counts.set(term, (counts.get(term) ?? 0) + times);
  }
}

/** Every index term of a text, in order of appearance, repeats kept (term frequency matters). */
export function searchTerms(text: string): string[] {
  const terms: string[] = [];
  for (const token of tokenize(text)) for (const term of token.terms) terms.push(term);
  return terms;
}

/**
 * The terms a query searches for, once each, in the order typed. Identifiers use their most
 * general exact form (`KB829436` → `829436`); stop words and punctuation are dropped; quotes
 * are ignored (the index keeps terms, not phrases).
 */
export function queryTerms(query: string): string[] {
  return unique(tokenize(query.replace(/["“”「」『』]/g, ' ')).flatMap((token) => token.keys));
}

/** Where a token's text joins its neighbours without a space (Japanese, full-width forms). */
function joinsTight(char: string | undefined): boolean {
  return char !== undefined && CJK.test(char);
}

/**
 * Readable text from token texts: Japanese joins without spaces, Latin words with one. The
 * inverse of `tokenize` up to whitespace next to Japanese ("Server の" reads "Serverの").
 */
export function joinTokens(texts: readonly string[]): string {
  let out = '';
  for (const text of texts) {
    if (!text) continue;
    if (out && !joinsTight(out.at(-1)) && !joinsTight(text[0])) out += ' ';
    out += text;
  }
  return out;
}

/** An identifier typed as the whole query, for the direct jump. */
export interface ExactIdentifier {
  kind: 'id' | 'kb' | 'cve';
  /** Canonical form: "MS03-046", "829436", "CVE-2003-0714". */
  value: string;
}

/**
 * The identifier a whole query names, if it is exactly one bulletin id, KB number (with or
 * without "KB") or CVE id. Full-width digits and letters count (NFKC).
 */
export function exactIdentifier(query: string): ExactIdentifier | undefined {
  const q = query.normalize('NFKC').trim().replace(/^["“「]|["”」]$/g, '').trim();
  let m = /^(?:cve|can)-(\d{4})-(\d{4,7})$/i.exec(q);
  if (m) return { kind: 'cve', value: `CVE-${m[1]}-${m[2]}` };
  m = /^(?:kb\s?|q)?(\d{5,8})$/i.exec(q);
  if (m) return { kind: 'kb', value: m[1]! };
  m = /^([a-z]{2,6})(\d{2})-?(\d{3,4})$/i.exec(q);
  if (m) return { kind: 'id', value: `${m[1]!.toUpperCase()}${m[2]}-${m[3]}` };
  return undefined;
}

/**
 * The lookup shard an identifier is in (`id-ms03`, `kb-829`, `cve-2003`): the direct jump
 * downloads one small shard instead of every identifier of the site.
 */
export function lookupShard(identifier: ExactIdentifier): string {
  const { kind, value } = identifier;
  if (kind === 'id') return `id-${value.slice(0, value.indexOf('-')).toLowerCase()}`;
  if (kind === 'kb') return `kb-${value.slice(0, 3)}`;
  return `cve-${value.slice(4, 8)}`;
}
