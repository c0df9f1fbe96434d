/**
 * Readable, highlighted excerpts from a search result. Pagefind returns the record's
 * content words and the positions that matched; the index writer laid the content out as
 * `summary ¶ facts ¶ terms` (see `src/lib/search-records.ts`). The excerpt shows the
 * summary around the first match there, else the facts around the first match there
 * (a file name, a version, a registry key), else the start of the summary plus the words
 * that matched further down. Pure: the search page renders the parts as text nodes.
 */
import { FACT_MARK, SECTION_MARK, joinTokens, normalizeTerm } from '../lib/segment.ts';

/** A run of excerpt text; `mark` runs matched the query. */
export interface ExcerptPart {
  text: string;
  mark: boolean;
}

export interface Excerpt {
  parts: ExcerptPart[];
  /** Words that matched only in the index-only section, not in the excerpt, for a "matched: …" line. */
  matched: string[];
}

/** Tokens either side of the first match. */
const WINDOW_BEFORE = 12;
const WINDOW_AFTER = 36;
const ELLIPSIS = '…';

/** Joins a window of tokens into parts, spacing them as `joinTokens` does. */
function toParts(tokens: readonly string[], marked: ReadonlySet<number>, from: number, to: number): ExcerptPart[] {
  const parts: ExcerptPart[] = [];
  let previous = '';
  for (let i = from; i < to; i++) {
    let text = tokens[i] ?? '';
    if (!text) continue;
    if (text === FACT_MARK) text = ' · ';
    const spaced = joinTokens([previous, text]);
    // joinTokens adds a space between two spaced tokens: keep it outside the mark.
    const gap = previous && spaced.length > previous.length + text.length ? ' ' : '';
    const mark = marked.has(i);
    const last = parts.at(-1);
    if (gap) {
      if (last && !last.mark) last.text += gap;
      else parts.push({ text: gap, mark: false });
    }
    const tail = parts.at(-1);
    if (tail && tail.mark === mark) tail.text += text;
    else parts.push({ text, mark });
    previous = text === ' · ' ? '·' : text;
  }
  return parts;
}

/**
 * The window of the summary holding the most matches (the earliest of equals), starting a
 * few tokens before its first match so the match reads in context.
 */
function densestWindow(matches: readonly number[], end: number): [number, number] {
  const size = WINDOW_BEFORE + WINDOW_AFTER;
  let best = matches[0]!;
  let bestCount = 0;
  for (let i = 0, j = 0; i < matches.length; i++) {
    while (j < matches.length && matches[j]! < matches[i]! + size - WINDOW_BEFORE) j++;
    if (j - i > bestCount) {
      bestCount = j - i;
      best = matches[i]!;
    }
  }
  const from = Math.max(0, best - WINDOW_BEFORE);
  return [from, Math.min(end, from + size)];
}

/**
 * The excerpt for a result: `content` as Pagefind returns it (words joined by single
 * spaces) and `locations`, the word positions that matched.
 */
export function buildExcerpt(content: string, locations: readonly number[]): Excerpt {
  const tokens = content.split(' ');
  const firstMark = tokens.indexOf(SECTION_MARK);
  const summaryEnd = firstMark === -1 ? tokens.length : firstMark;
  const secondMark = firstMark === -1 ? -1 : tokens.indexOf(SECTION_MARK, firstMark + 1);
  const factsEnd = secondMark === -1 ? tokens.length : secondMark;
  const marked = new Set(locations);
  const sorted = [...marked].sort((a, b) => a - b);

  const inSummary = sorted.find((l) => l < summaryEnd);
  const inFacts = sorted.find((l) => l > summaryEnd && l < factsEnd);
  let from = 0;
  let to = Math.min(summaryEnd, WINDOW_BEFORE + WINDOW_AFTER);
  let end = summaryEnd;
  if (inSummary === undefined && inFacts !== undefined) {
    // Facts are "·"-separated groups: start at the group that holds the match.
    let groupStart = inFacts;
    while (groupStart > summaryEnd + 1 && tokens[groupStart - 1] !== FACT_MARK) groupStart--;
    from = groupStart;
    to = Math.min(factsEnd, from + WINDOW_BEFORE + WINDOW_AFTER);
    end = factsEnd;
  } else if (inSummary !== undefined) {
    [from, to] = densestWindow(
      sorted.filter((l) => l < summaryEnd),
      summaryEnd,
    );
  }

  const parts = toParts(tokens, marked, from, to);
  if (parts.length && from > (end === factsEnd ? summaryEnd + 1 : 0)) parts.unshift({ text: ELLIPSIS, mark: false });
  if (parts.length && to < end) parts.push({ text: ELLIPSIS, mark: false });

  // Words that matched further down than the excerpt shows, once each.
  const shown = new Set(sorted.filter((l) => l >= from && l < to).map((l) => normalizeTerm(tokens[l] ?? '')));
  const matched = [...new Set(sorted.filter((l) => l > factsEnd).map((l) => tokens[l] ?? ''))].filter((word) => word && !shown.has(normalizeTerm(word)));
  return { parts, matched };
}
