/**
 * A bulletin as the search index sees it: one Pagefind custom record per language the
 * bulletin is written in (fallback pages are left out of the other language's index), and
 * the id/KB/CVE lookup behind the search page's direct jump.
 *
 * Built from the parsed model, not from the rendered HTML: the page chrome never reaches
 * the index, and this module decides how text is split (`segment.ts`) and weighted.
 *
 * A record's `content` is read by Pagefind as whitespace-separated words, and its words
 * come back in search results (`data().content`, `locations`), so the layout is:
 *
 *   [summary, readable]  ¶  [facts, readable]  ¶  [index-only terms]
 *
 * - The summary and the facts (ids, products, files, versions, registry keys) are display
 *   tokens: the search page rebuilds readable excerpts from them and marks the matches.
 *   Stop words in the summary get weight 0 so they never rank.
 * - The index-only part holds the title and the body as terms, each once, weighted by how
 *   often it occurs (`bagOfTerms`): frequency still counts, but a 600 KB bulletin's
 *   fragment stays a few KB, because every result downloads its fragment. Body lines that
 *   many bulletins share (`findBoilerplate`) and body terms found in a third of all
 *   bulletins (`findCommonTerms`) are left out for the same reason.
 * - `¶` and `·` are not letters or digits: Pagefind keeps them in the content but indexes
 *   nothing for them, so they mark section boundaries for free.
 *
 * Weights use the markers Pagefind's HTML parser turns `data-pagefind-weight` into, which
 * custom-record content goes through as well (tests/search-index.test.ts checks they never
 * reach the stored content), so id/KB/CVE and file-name matches outrank body matches:
 * keys 10, title 6, facts 4, body 1 to 3.
 */
import type { Bulletin, InstalledFile, Lang, Localized, RegistryKey } from '../../schemas/index.ts';
import { IMPACT_LABELS, SEVERITY_LABELS, pick } from './export-labels.ts';
import { bulletinYear } from './facets.ts';
import { FACT_MARK, SECTION_MARK, addTermCounts, lookupShard, tokenize, type Token } from './segment.ts';
import { coresLeft } from './site-config.ts';
import { productLabel } from './update-units.ts';
import { bulletinSlug, paths, productSlug } from './urls.ts';

/**
 * Pagefind index language per site language. Japanese is indexed as `jpn` (ISO 639-3)
 * on purpose: Pagefind re-segments `ja` content with its own segmenter, which is the
 * disagreement this module exists to avoid; `jpn` gets no segmentation and no stemming,
 * so our terms are indexed as they are. English keeps `en` for Pagefind's stemmer, which
 * runs on both sides.
 */
export const PAGEFIND_LANGUAGE: Record<Lang, string> = { ja: 'jpn', en: 'en' };

/**
 * Pagefind's WebAssembly file for each index: its English build carries the stemmer, `jpn`
 * gets the plain one. The search page starts downloading it before Pagefind asks for it;
 * the index writer checks Pagefind still names these files.
 */
export const PAGEFIND_WASM: Record<Lang, string> = { ja: 'wasm.unknown.pagefind', en: 'wasm.en.pagefind' };

/**
 * Peak memory of a Pagefind process while it builds one bundle (`getFiles`), estimated from
 * the characters of the bundle's record content: adding the records costs little (290 MiB
 * at 5,000 English records), building the index and fragments costs the rest. Measured
 * peaks against content characters (bench/README.md, round 11): 1,000 generated 299 and
 * 354 MiB for 4.5 and 5.1 M characters, the real archive 417 MiB for 5.9 M, 5,000 generated
 * 1,302-1,575 MiB for 22.7 and 25.4 M, 10,000 generated 2,652 and 2,666 MiB. 64 MiB plus 64
 * bytes per character is at or above every one of them. The peak also grows with the
 * distinct words: since the generator's file versions repeat as the real ones do (round 12,
 * 2.4 times fewer distinct words), 5,000 generated peak at 994 and 818 MiB for 23.3 and
 * 20.7 M characters, where the estimate says 1,489 and 1,327 MiB. Too high costs a few
 * seconds on a machine short of memory; too low could run it out of memory.
 */
export function pagefindPeakBytes(contentChars: number): number {
  return 64 * 2 ** 20 + 64 * contentChars;
}

/**
 * Whether the next bundle may build in a Pagefind process of its own while others still
 * build: only when the memory available holds the peaks of all of them. Otherwise the next
 * one waits and reuses the process that finished, as all bundles did before round 10: the
 * same bytes, a few seconds later, and a build that fits a smaller machine.
 */
export function buildsSideBySide(availableBytes: number, buildingPeakBytes: number, nextPeakBytes: number): boolean {
  return availableBytes >= buildingPeakBytes + nextPeakBytes;
}

/**
 * How many language bundles may build at once, each in a Pagefind process of its own: one
 * per core, less the core the Astro build takes when the index is built beside it
 * (`npm run build`). A bundle builds on about one core, so a second one beside Astro on two
 * cores only shares the cores more ways. There, one process building the bundles one after
 * the other (the next language is still tokenised while the first builds) was faster in 7 of
 * 8 alternated pairs and used less CPU (bench/README.md, round 21).
 */
export function bundlesAtOnce(cores: number, besideAstro: boolean): number {
  return coresLeft(cores, besideAstro);
}

/** Folder of the search files in the built site: `pagefind/{lang}/` bundles, `pagefind/lookup/` shards. */
export const SEARCH_DIR = 'pagefind';

/** Weights of the content sections (Pagefind clamps weights to 0–10). */
export const SECTION_WEIGHTS = { keys: 10, title: 6, facts: 4, summary: 1, body: 1 } as const;

/** Readable summary tokens kept for excerpts; the rest of the summary is indexed as terms. */
const SUMMARY_TOKENS = 60;
/** Highest weight a body term reaches by frequency alone (see `bagOfTerms`). */
const MAX_BODY_WEIGHT = 3;

export interface SearchRecord {
  /** Site language of the page the record points at. */
  lang: Lang;
  /** Site-relative page path without the base path, e.g. `ja/bulletins/ms03-046/`. */
  url: string;
  /** Pagefind index language (`PAGEFIND_LANGUAGE`). */
  language: string;
  /** Words for Pagefind, with weight markers (see the module comment). */
  content: string;
  /** Returned with every result; `title` is tokenised so Pagefind's title boost sees our terms. */
  meta: { id: string; title: string; date: string; severity: string; kb?: string };
  filters: { product: string[]; severity: string[]; year: string[] };
  sort: { date: string };
}

const WEIGHT_END = '___END_PAGEFIND_WEIGHT___';
const weightStart = (weight: number) => `___PAGEFIND_WEIGHT___${weight}`;
const weighted = (weight: number, words: readonly string[]): string[] => (words.length ? [weightStart(weight), ...words, WEIGHT_END] : []);

/** Plain text of Markdown, good enough for finding words: link targets, URLs and markup go. */
export function markdownToText(markdown: string): string {
  return markdown
    .replace(/```[^\n]*\n?/g, ' ')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\((?:[^()]|\([^)]*\))*\)/g, '$1')
    .replace(/\[([^\]]*)\]\[[^\]]*\]/g, '$1')
    .replace(/^\s*\[[^\]]+\]:\s*\S+.*$/gm, ' ')
    .replace(/<\/?[a-z][^>]*>/gi, ' ')
    .replace(/\bhttps?:\/\/[^\s)>\]]+/g, ' ')
    .replace(/^\s{0,3}(?:#{1,6}|>|[-*+]|\d+[.)])\s+/gm, '')
    .replace(/\\([\\`*_{}[\]()#+\-.!|])/g, '$1')
    .replace(/(\*\*|__|~~|`)/g, '')
    .replace(/(^|\s)[*_]([^*_\s][^*_]*)[*_](?=\s|$|[、。,.])/g, '$1$2')
    .replace(/\|/g, ' ')
    .replace(/^[\s:-]+$/gm, ' ')
    .replace(/&nbsp;/g, ' ');
}

/** Token texts for a readable section; stop words wrapped in weight 0 so they never rank. */
function displayWords(tokens: readonly Token[]): string[] {
  const words: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'stop') words.push(weightStart(0), token.text, WEIGHT_END);
    else words.push(token.text);
  }
  return words;
}

/** Display words of a text's first `limit` tokens, and the rest of the text. */
function readableSection(text: string, limit: number): { words: string[]; rest: string } {
  const tokens = tokenize(text);
  const words = displayWords(tokens.slice(0, limit));
  const rest = tokens
    .slice(limit)
    .map((t) => t.text)
    .join(' ');
  return { words, rest };
}

/** How often each body term occurs in `texts`, in order of first appearance. */
export function countTerms(texts: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const text of texts) if (text) addTermCounts(text, counts);
  return counts;
}

/**
 * Body terms as weighted groups: each term once, in the group of its frequency class, the
 * weight growing with log2(frequency) up to 3. A term that appears 20 times counts like
 * 20 occurrences would after BM25's saturation, but costs the fragment one word: weight
 * markers are not part of the content Pagefind returns. Terms in `exclude` (already
 * weighted in the title) weigh one less; terms in `omit` are left out.
 */
export function bagOfTerms(
  counts: ReadonlyMap<string, number>,
  exclude: ReadonlySet<string> = new Set(),
  omit: ReadonlySet<string> = new Set(),
): string[] {
  const groups = new Map<number, string[]>();
  for (const [term, count] of counts) {
    if (omit.has(term)) continue;
    const weight = SECTION_WEIGHTS.body * Math.min(MAX_BODY_WEIGHT, 1 + Math.round(Math.log2(count) * 2) / 4) - (exclude.has(term) ? 1 : 0);
    if (weight <= 0) continue;
    const group = groups.get(weight);
    if (group) group.push(term);
    else groups.set(weight, [term]);
  }
  return [...groups]
    .sort(([a], [b]) => a - b)
    .flatMap(([weight, terms]) => weighted(weight, terms));
}

/**
 * Body terms so common in an index that they tell its bulletins apart no better than
 * "the" does: in at least `share` of the bulletins (and at least `minBulletins` of them, so
 * a small index has none). They stay in titles, facts and summaries; in bodies they would
 * make every result's download and the largest index chunks bigger for almost no ranking
 * (BM25's IDF of a term in half the bulletins is 0.7, of a rare one 6). The search page
 * drops them from a query that has other terms (`COMMON_TERMS_FILE`, `withoutCommonTerms`).
 */
export function findCommonTerms(bodies: readonly ReadonlyMap<string, number>[], share = 0.3, minBulletins = 50): Set<string> {
  const df = new Map<string, number>();
  for (const body of bodies) for (const term of body.keys()) df.set(term, (df.get(term) ?? 0) + 1);
  const min = Math.max(minBulletins, Math.ceil(share * bodies.length));
  return new Set([...df].filter(([, n]) => n >= min).map(([term]) => term));
}

function localized(value: Localized | undefined, lang: Lang): string[] {
  const text = pick(value, lang);
  return text ? [text] : [];
}

/** Every installed file and registry key the bulletin names, from packages and products. */
function filesAndKeys(bulletin: Bulletin): { files: InstalledFile[]; keys: RegistryKey[] } {
  const files: InstalledFile[] = [];
  const keys: RegistryKey[] = [];
  for (const pkg of bulletin.packages) {
    files.push(...pkg.files);
    keys.push(...pkg.registry_keys);
  }
  // Products carry their own file tables and keys when the source has no package details.
  for (const product of bulletin.affected as readonly { files?: InstalledFile[]; registry_keys?: RegistryKey[] }[]) {
    files.push(...(product.files ?? []));
    keys.push(...(product.registry_keys ?? []));
  }
  return { files, keys };
}

/** The facts an administrator searches by, one text per fact, duplicates dropped. */
function factGroups(bulletin: Bulletin, lang: Lang): string[] {
  const groups: string[] = [];
  // A set beside the list: generated and vendor bulletins list hundreds of files.
  const seen = new Set<string>();
  const add = (text: string | undefined) => {
    if (text && !seen.has(text)) {
      seen.add(text);
      groups.push(text);
    }
  };
  add(SEVERITY_LABELS[bulletin.severity][lang]);
  add(IMPACT_LABELS[bulletin.impact][lang]);
  for (const product of bulletin.affected) add(productLabel(product));
  for (const pkg of bulletin.packages) add(pkg.file_name);
  const { files, keys } = filesAndKeys(bulletin);
  for (const file of files) add([file.name, file.version ?? ''].join(' ').trim());
  for (const file of files) if (file.folder) add(file.folder);
  for (const key of keys) add(`${key.hive}\\${key.path}`);
  // A fact another source states differently is still what someone may search for.
  for (const discrepancy of bulletin.discrepancies) {
    if (/registry_keys|file_name|files\[/.test(discrepancy.field)) add(discrepancy.other_value);
  }
  return groups;
}

/** Readable groups (their tokens) separated by `FACT_MARK`, for the excerpt. */
function readableGroups(groups: readonly (readonly Token[])[]): string[] {
  const words: string[] = [];
  for (const [i, tokens] of groups.entries()) {
    if (i) words.push(FACT_MARK);
    for (const word of displayWords(tokens)) words.push(word);
  }
  return words;
}

/**
 * Every term of the groups (their tokens), once. Indexed apart from the readable copy
 * because Pagefind gives the parts of a compound word (`SOFTWARE\Microsoft\Updates`) a
 * fraction of its weight; these terms get the section's full weight.
 */
function uniqueTerms(groups: readonly (readonly Token[])[]): string[] {
  const terms = new Set<string>();
  for (const tokens of groups) for (const token of tokens) for (const term of token.terms) terms.add(term);
  return [...terms];
}

/** Identifier words: the id, aliases, KB articles and CVE ids, as written. */
function keyWords(bulletin: Bulletin): string[] {
  return [bulletin.id, ...bulletin.aliases, ...bulletin.kb.map((kb) => `KB${kb}`), ...bulletin.cves];
}

/** Line of Markdown as compared across bulletins: trimmed, inner whitespace collapsed. */
function boilerplateKey(line: string): string {
  const trimmed = line.trim();
  // Most lines have nothing to collapse: skip building a copy of every line of every body.
  return LOOSE_WHITESPACE.test(trimmed) ? trimmed.replace(/\s+/g, ' ') : trimmed;
}

/** Whitespace `boilerplateKey` rewrites: any but a single space. */
const LOOSE_WHITESPACE = /[^\S ]|  /;

/**
 * Lines of body text that many bulletins share word for word: headings, table rulers,
 * installer switch tables, support contacts, the disclaimer. They describe no bulletin,
 * so they are page furniture as much as the site's header is, and leaving them out of the
 * index halves the fragment each result downloads. A line counts when at least `share` of
 * the bulletins written in `lang` (and at least 3) contain it.
 */
export function findBoilerplate(bulletins: readonly Bulletin[], lang: Lang, share = 0.05): Set<string> {
  const counts = new Map<string, number>();
  let written = 0;
  for (const bulletin of bulletins) {
    const text = bulletin.text[lang];
    if (!text) continue;
    written++;
    for (const line of new Set(text.body.split('\n').map(boilerplateKey))) {
      if (line) counts.set(line, (counts.get(line) ?? 0) + 1);
    }
  }
  const min = Math.max(3, Math.ceil(share * written));
  return new Set([...counts].filter(([, n]) => n >= min).map(([line]) => line));
}

export interface RecordOptions {
  /** Body lines to leave out of the index (`findBoilerplate`). */
  boilerplate?: ReadonlySet<string>;
  /** Body terms to leave out of the index (`findCommonTerms`). */
  common?: ReadonlySet<string>;
  /** `bodyTermCounts` of this bulletin, when already counted. */
  bodyCounts?: ReadonlyMap<string, number>;
}

/**
 * Term counts of everything a bulletin's page says below its summary: the rest of the
 * summary, action, comment, body (without `boilerplate` lines), products, revision notes,
 * reference titles, file descriptions. `undefined` when the bulletin has no text in `lang`.
 */
export function bodyTermCounts(bulletin: Bulletin, lang: Lang, options: Pick<RecordOptions, 'boilerplate'> = {}): Map<string, number> | undefined {
  const text = bulletin.text[lang];
  if (!text) return undefined;
  const boilerplate = options.boilerplate;
  const body = boilerplate?.size
    ? text.body
        .split('\n')
        .filter((line) => !boilerplate.has(boilerplateKey(line)))
        .join('\n')
    : text.body;
  return countTerms([
    readableSection(markdownToText(text.summary), SUMMARY_TOKENS).rest,
    text.action,
    text.comment ? markdownToText(text.comment) : '',
    markdownToText(body),
    ...bulletin.affected.flatMap((p) => [p.product, p.family ?? '', p.installed_on ?? '']),
    ...bulletin.not_affected.flatMap((p) => [p.product, p.service_pack ?? '', p.installed_on ?? '']),
    ...bulletin.revision_history.flatMap((r) => localized(r.summary, lang)),
    ...bulletin.references.flatMap((r) => localized(r.title, lang)),
    ...bulletin.discrepancies.flatMap((d) => localized(d.note, lang)),
    ...filesAndKeys(bulletin).files.flatMap((f) => [...localized(f.description, lang), ...localized(f.note, lang)]),
    ...localized(bulletin.verification?.console_check, lang),
    ...localized(bulletin.verification?.file_check, lang),
  ]);
}

/**
 * The search record of a bulletin in one language, or `undefined` when the bulletin has no
 * text in that language (its page there is a fallback and stays out of this index).
 */
export function toSearchRecord(bulletin: Bulletin, lang: Lang, options: RecordOptions = {}): SearchRecord | undefined {
  const text = bulletin.text[lang];
  if (!text) return undefined;
  const summary = readableSection(markdownToText(text.summary), SUMMARY_TOKENS);
  const titleTokens = tokenize([text.title, text.subtitle ?? ''].join(' '));
  const titleTerms = new Set(titleTokens.flatMap((t) => t.terms));
  const bodyCounts = options.bodyCounts ?? bodyTermCounts(bulletin, lang, options)!;

  const keys = keyWords(bulletin);
  // Tokenised once for the readable copy and the weighted terms: a bulletin lists up to
  // 1,496 files, each a group.
  const factTokens = factGroups(bulletin, lang).map(tokenize);
  const content = [
    ...weighted(SECTION_WEIGHTS.summary, summary.words),
    SECTION_MARK,
    ...weighted(1, readableGroups([tokenize(keys.join(' ')), ...factTokens])),
    SECTION_MARK,
    ...weighted(SECTION_WEIGHTS.keys, uniqueTerms(keys.map(tokenize))),
    ...weighted(SECTION_WEIGHTS.title, [...titleTerms]),
    ...weighted(SECTION_WEIGHTS.facts, uniqueTerms(factTokens)),
    ...bagOfTerms(bodyCounts, titleTerms, options.common),
  ].join(' ');

  const meta: SearchRecord['meta'] = {
    id: bulletin.id,
    title: tokenize(text.title)
      .map((t) => t.text)
      .join(' '),
    date: bulletin.published,
    severity: bulletin.severity,
  };
  if (bulletin.kb.length) meta.kb = bulletin.kb.join(' ');

  return {
    lang,
    url: paths.bulletin(lang, bulletinSlug(bulletin.id)),
    language: PAGEFIND_LANGUAGE[lang],
    content,
    meta,
    filters: {
      product: [...new Set(bulletin.affected.map((p) => productSlug(p.product)))],
      severity: [bulletin.severity],
      year: [bulletinYear(bulletin)],
    },
    sort: { date: bulletin.published },
  };
}

/**
 * The order bulletins are indexed in: oldest first, then by id. Pagefind numbers pages in
 * the order they are added, so its date sort list is then 0, 1, 2, … and compresses to
 * almost nothing in the meta file every first query downloads.
 */
export function indexOrder(bulletins: readonly Bulletin[]): Bulletin[] {
  return [...bulletins].sort((a, b) => (a.published < b.published ? -1 : a.published > b.published ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * One language's records, in `sorted` order (`indexOrder`), for the bulletins written in it,
 * and the common body terms left out of them (the search page needs that list too).
 */
export function languageRecords(sorted: readonly Bulletin[], lang: Lang): { records: SearchRecord[]; common: Set<string> } {
  const boilerplate = findBoilerplate(sorted, lang);
  const written = sorted.filter((b) => b.text[lang]);
  const bodies = written.map((b) => bodyTermCounts(b, lang, { boilerplate })!);
  const common = findCommonTerms(bodies);
  const records = written.map((b, i) => toSearchRecord(b, lang, { boilerplate, common, bodyCounts: bodies[i] })!);
  return { records, common };
}

/** Direct-jump lookup: shard name → identifier → bulletin ids. */
export type LookupShards = Record<string, Record<string, string[]>>;

/** Every bulletin id, KB number and CVE id, sharded, with keys and ids in sorted order. */
export function toLookupShards(bulletins: readonly Bulletin[]): LookupShards {
  const shards: LookupShards = {};
  const add = (kind: 'id' | 'kb' | 'cve', value: string, id: string) => {
    const shard = (shards[lookupShard({ kind, value })] ??= {});
    const ids = (shard[value] ??= []);
    if (!ids.includes(id)) ids.push(id);
  };
  for (const bulletin of bulletins) {
    add('id', bulletin.id, bulletin.id);
    for (const kb of bulletin.kb) add('kb', String(kb), bulletin.id);
    for (const cve of bulletin.cves) add('cve', cve, bulletin.id);
  }
  const sorted: LookupShards = {};
  for (const name of Object.keys(shards).sort()) {
    const shard = shards[name]!;
    sorted[name] = Object.fromEntries(
      Object.keys(shard)
        .sort()
        .map((key) => [key, [...shard[key]!].sort()]),
    );
  }
  return sorted;
}
