/**
 * Locale formatting for pages, written out by hand instead of `Intl` so the output is the
 * same on every machine: ICU versions differ (en-GB "Sep" vs "Sept"), and the build must be
 * byte-identical wherever it runs.
 */
import type { Lang } from '../../schemas/index.ts';

const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** Groups digits in threes: 1165928 → "1,165,928" (the grouping both locales use). */
export function formatInteger(value: number): string {
  const sign = value < 0 ? '-' : '';
  const digits = String(Math.trunc(Math.abs(value)));
  // Exponent notation (1e+21 and up), NaN and Infinity have no digit groups.
  if (digits.length <= 3 || !(Math.abs(value) < 1e21)) return sign + digits;
  // Sliced by hand: every file row of every page formats a size twice (bench/README.md).
  let head = digits.length % 3 || 3;
  let grouped = digits.slice(0, head);
  for (; head < digits.length; head += 3) grouped += `,${digits.slice(head, head + 3)}`;
  return sign + grouped;
}

/**
 * An ISO calendar day for reading: "2003-10-14" → "2003年10月14日" (ja), "14 Oct 2003" (en).
 * Throws on anything but `YYYY-MM-DD`: the schema has already rejected such input.
 */
export function formatDate(iso: string, lang: Lang): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) throw new Error(`formatDate: "${iso}" is not a YYYY-MM-DD date`);
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (lang === 'ja') return `${year}年${month}月${day}日`;
  return `${day} ${MONTHS_EN[month - 1]} ${year}`;
}

/** Exact byte count with its unit: "1,165,928 バイト" / "1,165,928 bytes". */
export function formatByteCount(bytes: number, lang: Lang): string {
  if (lang === 'ja') return `${formatInteger(bytes)} バイト`;
  return `${formatInteger(bytes)} ${bytes === 1 ? 'byte' : 'bytes'}`;
}

/**
 * A size for reading at a glance, in the 1024-based units Windows Explorer shows next to
 * the file: 6656 → "6.5 KB", 1165928 → "1.11 MB", 512 → "512 bytes" / "512 バイト".
 * Three significant digits; the exact count belongs in a title or beside it in print.
 */
export function formatBytes(bytes: number, lang: Lang): string {
  if (bytes < 1024) return formatByteCount(bytes, lang);
  const units = ['KB', 'MB', 'GB', 'TB'] as const;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  const text = value.toFixed(digits);
  const point = text.indexOf('.');
  if (point < 0) return `${formatInteger(Number(text))} ${units[unit]}`;
  // Trailing zeros carry no information ("6.50 KB" → "6.5 KB").
  let end = text.length;
  while (text.charCodeAt(end - 1) === 48) end--;
  if (end === point + 1) end = point;
  return `${formatInteger(Number(text.slice(0, point)))}${text.slice(point, end)} ${units[unit]}`;
}

/** Whole minutes for reading: 89 → "1時間29分" / "1 h 29 min"; 120 → "2時間" / "2 h". */
export function formatDuration(minutes: number, lang: Lang): string {
  if (!Number.isInteger(minutes) || minutes < 0) throw new Error(`formatDuration: ${minutes} is not a whole number of minutes`);
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (lang === 'ja') return `${hours ? `${hours}時間` : ''}${rest || !hours ? `${rest}分` : ''}`;
  return [hours ? `${hours} h` : '', rest || !hours ? `${rest} min` : ''].filter(Boolean).join(' ');
}

/** ISO 8601 duration for `<time datetime>`: 89 → "PT1H29M". */
export function isoDuration(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return `PT${hours ? `${hours}H` : ''}${rest || !hours ? `${rest}M` : ''}`;
}
