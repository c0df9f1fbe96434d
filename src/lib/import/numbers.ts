/**
 * Numbers, dates, versions and durations as vendors print them, parsed to exact values.
 * Every parser returns `undefined` for anything it cannot read without guessing, so the
 * caller can keep the text in the body and say so.
 */
import { isCalendarDate } from '../../../schemas/common.ts';

/**
 * Parses a byte count: `1,165,928`, `393.216` (a dot as the thousands separator, as some
 * Japanese tables print it), `504080`, `21,832 bytes`, `6,656 バイト`. Sizes are never
 * rounded: `1.1 MB`, `12 KB` and `1.5` are rejected.
 * @example parseByteSize('1,165,928') === 1165928
 */
export function parseByteSize(text: string): number | undefined {
  const value = text
    .normalize('NFKC')
    .trim()
    .replace(/\s*(?:bytes?|バイト)$/i, '')
    .trim();
  let digits: string | undefined;
  if (/^\d+$/.test(value)) digits = value;
  else if (/^\d{1,3}(?:,\d{3})+$/.test(value)) digits = value.replaceAll(',', '');
  else if (/^\d{1,3}(?:\.\d{3})+$/.test(value)) digits = value.replaceAll('.', '');
  else if (/^\d{1,3}(?: \d{3})+$/.test(value)) digits = value.replaceAll(' ', '');
  if (digits === undefined) return undefined;
  const bytes = Number(digits);
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : undefined;
}

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
  january: 1, february: 2, march: 3, april: 4, june: 6, july: 7, august: 8, september: 9, october: 10,
  november: 11, december: 12,
};

const iso = (year: number, month: number, day: number): string | undefined => {
  const text = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return year >= 1980 && year <= 2100 && isCalendarDate(text) ? text : undefined;
};

/** A date found in text, with how it was written (for warnings about odd forms). */
export interface FoundDate {
  iso: string;
  /** The text that was read. */
  text: string;
  /** Set when the form is irregular but unambiguous (e.g. `2014 年 12 日 10 日`). */
  irregular?: string;
}

/**
 * Reads the first date in `text`: Japanese `2003年10月16日` (spaces allowed), numeric
 * `2003/10/16`, `2003-10-16`, `2003.10.16`, English `October 16, 2003`, `Oct 16 2003`,
 * `16 October 2003`, `16-Oct-03`, and `23-10-2003` / `10-23-2003` when one part cannot be
 * a month. Otherwise day/month order is ambiguous (`10/11/2003`) and the date is not read.
 */
export function findDate(text: string): FoundDate | undefined {
  const normal = text.normalize('NFKC');
  const candidates: Array<{ index: number; found: FoundDate }> = [];
  const push = (match: RegExpExecArray | null, y: string, m: string | number, d: string, irregular?: string) => {
    if (!match) return;
    const value = iso(Number(y), typeof m === 'number' ? m : Number(m), Number(d));
    if (value) candidates.push({ index: match.index, found: { iso: value, text: match[0], ...(irregular ? { irregular } : {}) } });
  };
  let m = /(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日/.exec(normal);
  if (m) push(m, m[1]!, m[2]!, m[3]!);
  // A typo seen in Microsoft's archive (MS14-076): "2014 年 12 日 10 日". Month and day
  // are still in order, so the date is unambiguous; the caller reports the odd form.
  m = /(\d{4})\s*年\s*(\d{1,2})\s*日\s*(\d{1,2})\s*日/.exec(normal);
  if (m) push(m, m[1]!, m[2]!, m[3]!, `"${m[0]}" writes 日 for 月`);
  m = /(?<!\d)(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})(?!\d)/.exec(normal);
  if (m) push(m, m[1]!, m[2]!, m[3]!);
  const monthNames = Object.keys(MONTHS).join('|');
  m = new RegExp(`\\b(${monthNames})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})\\b`, 'i').exec(normal);
  if (m) push(m, m[3]!, MONTHS[m[1]!.toLowerCase()]!, m[2]!);
  m = new RegExp(`\\b(\\d{1,2})\\s+(${monthNames})\\.?,?\\s+(\\d{4})\\b`, 'i').exec(normal);
  if (m) push(m, m[3]!, MONTHS[m[2]!.toLowerCase()]!, m[1]!);
  // "12-Jan-03" in English file tables: a two-digit year is 19yy from 80, else 20yy (the
  // archive spans 1999–2014, and no bulletin predates 1980).
  m = new RegExp(`\\b(\\d{1,2})-(${monthNames})-(\\d{2}|\\d{4})\\b`, 'i').exec(normal);
  if (m) push(m, m[3]!.length === 2 ? `${Number(m[3]) >= 80 ? 19 : 20}${m[3]}` : m[3]!, MONTHS[m[2]!.toLowerCase()]!, m[1]!);
  // "10-23-2003" / "23-10-2003": read only when one part cannot be a month.
  m = /(?<![\d/.-])(\d{1,2})-(\d{1,2})-(\d{4})(?![\d/.-])/.exec(normal);
  if (m) {
    const [a, b] = [Number(m[1]), Number(m[2])];
    if (a > 12 && b <= 12) push(m, m[3]!, b, m[1]!);
    else if (b > 12 && a <= 12) push(m, m[3]!, a, m[2]!);
  }
  candidates.sort((a, b) => a.index - b.index);
  return candidates[0]?.found;
}

/** Reads a whole cell as a date (nothing else in it but the date and white space). */
export function parseDateCell(text: string): string | undefined {
  const found = findDate(text);
  if (!found) return undefined;
  return text.normalize('NFKC').trim() === found.text.trim() ? found.iso : undefined;
}

/** What vendors write for "none" in a table cell. */
const NONE = /^(?:[-−―‐–—ー－]?|N\/?A|なし)$/i;

/**
 * A version cell: `5.5.2657.72` (or `5,5,2657,72`) → `5.5.2657.72`; `−`, `-`, `N/A` or
 * empty → null (the vendor lists none); anything else → undefined (unreadable, the caller
 * warns).
 */
export function parseVersionCell(text: string): string | null | undefined {
  const value = text.normalize('NFKC').trim();
  if (NONE.test(value)) return null;
  if (/^\d{1,6}(?:\.\d{1,6}){1,3}$/.test(value)) return value;
  // "5,1,2600,0": the comma form Windows resource files use for the same version.
  return /^\d{1,6}(?:,\d{1,6}){3}$/.test(value) ? value.replaceAll(',', '.') : undefined;
}

/**
 * A duration in whole minutes: `12分` → 12, `1時間29分` → 89, `2時間` → 120,
 * `1 h 29 min` → 89.
 */
export function parseMinutes(text: string): number | undefined {
  const value = text.normalize('NFKC').trim();
  const m = /^(?:(\d+)\s*(?:時間|h|hours?|hrs?)\s*)?(?:(\d+)\s*(?:分|min|minutes?|mins?))?$/i.exec(value);
  if (!m || (m[1] === undefined && m[2] === undefined)) return undefined;
  const minutes = Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0);
  return minutes > 0 ? minutes : undefined;
}

/**
 * Every CVE id in the text, `CAN-` candidates normalised to `CVE-`, upper-cased, in order
 * of first appearance, without duplicates.
 */
export function findCves(text: string): string[] {
  const seen = new Set<string>();
  for (const m of text.matchAll(/\b(?:CVE|CAN)[-‐–_](\d{4})[-‐–_](\d{4,7})\b/gi)) {
    seen.add(`CVE-${m[1]}-${m[2]}`);
  }
  return [...seen];
}
