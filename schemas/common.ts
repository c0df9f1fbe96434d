/**
 * Building blocks shared by the bulletin model: identifiers, dates, versions, sizes and
 * localized text. Every transform here normalises loose but unambiguous input; anything
 * ambiguous is rejected with a message that says how to write it.
 */
import { z } from 'zod';

/** Languages a bulletin can be written in. BCP-47 tags; the URL segment happens to match. */
export const LANGS = ['ja', 'en'] as const;
export const Lang = z.enum(LANGS);
export type Lang = z.output<typeof Lang>;

/**
 * Bulletin identifier, upper-case ASCII letters and digits in hyphen-separated groups.
 * ASCII only on purpose: a Cyrillic "М" or a full-width "０" would give two bulletins that
 * look identical in a browser.
 * @example "MS03-046"
 */
export const BulletinId = z
  .string()
  .regex(/^[A-Z][A-Z0-9]{1,15}(?:-[A-Z0-9]{1,15}){1,3}$/, {
    message:
      'expected an upper-case ASCII bulletin id such as "MS03-046" (letters A-Z, digits, hyphen-separated groups)',
  });

/**
 * Knowledge Base article number. `KB829436`, `"829436"` and `829436` all mean the same
 * article and are stored as the number.
 * @example 829436
 */
export const KbNumber = z
  .union([z.number(), z.string()])
  .transform((value, ctx) => {
    const text = String(value).trim();
    const match = /^(?:KB)?(\d{4,8})$/i.exec(text);
    if (!match || typeof value === 'number' && !Number.isInteger(value)) {
      ctx.addIssue({
        code: 'custom',
        message: `"${text}" is not a KB number: write the article number, e.g. 829436 or "KB829436"`,
      });
      return z.NEVER;
    }
    return Number(match[1]);
  });

/**
 * CVE identifier. Old candidate ids (`CAN-2003-0714`) are the same record under its
 * pre-2005 name and are normalised to `CVE-`.
 * @example "CVE-2003-0714"
 */
export const CveId = z.string().transform((value, ctx) => {
  const match = /^(?:CVE|CAN)-(\d{4})-(\d{4,7})$/i.exec(value.trim());
  if (!match) {
    ctx.addIssue({
      code: 'custom',
      message: `"${value}" is not a CVE id: write it as CVE-YYYY-NNNN, e.g. CVE-2003-0714`,
    });
    return z.NEVER;
  }
  return `CVE-${match[1]}-${match[2]}`;
});

/** True when `yyyy-mm-dd` names a day that exists in the Gregorian calendar. */
export function isCalendarDate(iso: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * A calendar day in ISO 8601 form. Pages format it per locale (2003年10月15日 / 15 Oct 2003).
 * @example "2003-10-15"
 */
export const IsoDate = z
  .string()
  // The pattern also goes into the JSON Schema, so editors flag 2003/10/15 as you type.
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: (issue) => `${JSON.stringify(issue.input)} is not a date: write YYYY-MM-DD, e.g. 2003-10-15`, abort: true })
  .refine(isCalendarDate, { error: (issue) => `${String(issue.input)} does not exist in the calendar: check the day and month` });

/**
 * A file or package version as the vendor prints it: two to four dot-separated numbers.
 * @example "6.0.6487.1"
 */
export const Version = z
  .string()
  .regex(/^\d{1,6}(?:\.\d{1,6}){1,3}$/, {
    message: 'expected a version of two to four dot-separated numbers, e.g. 6.0.6487.1 (write null when the vendor gives none)',
  });

/**
 * A size in bytes, exact. `1165928` or the vendor's grouped form `"1,165,928"`; a size is
 * never rounded, so "1.1 MB" is rejected.
 * @example 1165928
 */
export const ByteSize = z.union([z.number(), z.string()]).transform((value, ctx) => {
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && value > 0) return value;
  } else if (/^\d{1,3}(?:,\d{3})*$/.test(value.trim()) || /^\d+$/.test(value.trim())) {
    const bytes = Number(value.trim().replaceAll(',', ''));
    if (Number.isSafeInteger(bytes) && bytes > 0) return bytes;
  }
  ctx.addIssue({
    code: 'custom',
    message: `${JSON.stringify(value)} is not a size in bytes: write a positive whole number of bytes, e.g. 1165928`,
  });
  return z.NEVER;
});

/** Web address. Only http(s): anything else (javascript:, data:, file:) is rejected. */
export const Url = z
  .string()
  .superRefine((value, ctx) => {
    let parsed: URL | undefined;
    try {
      parsed = new URL(value);
    } catch {
      parsed = undefined;
    }
    if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
      ctx.addIssue({ code: 'custom', message: `"${value}" is not an http(s) URL: write the full address starting with https://` });
    }
  })
  // Stored in the WHATWG-serialised form: the same address, with characters such as " < >
  // and spaces percent-encoded, so every output (HTML, JSON "uri" fields, CSAF) can carry it.
  .transform((value) => new URL(value).href);

/**
 * Text in one or more languages. A plain string is language-neutral (a product or file
 * name, the same in every language); an object gives each language its own text.
 * @example { ja: "展開ビュー", en: "Deployment view" }
 */
export const Localized = z.union([
  z.string().min(1),
  z
    .strictObject({
      /** Japanese text. */
      ja: z.string().min(1).optional(),
      /** English text. */
      en: z.string().min(1).optional(),
    })
    .refine((value) => value.ja !== undefined || value.en !== undefined, {
      message: 'give the text in at least one language: { ja: "…", en: "…" }',
    }),
]);
export type Localized = z.output<typeof Localized>;

/** Severity ratings, lowest to highest. */
export const SEVERITIES = ['low', 'moderate', 'important', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

const SEVERITY_ALIASES: Record<string, Severity> = {
  critical: 'critical',
  緊急: 'critical',
  important: 'important',
  重要: 'important',
  moderate: 'moderate',
  警告: 'moderate',
  low: 'low',
  注意: 'low',
};

/**
 * Vendor severity rating. Japanese labels (緊急/重要/警告/注意) are accepted and stored
 * as the English key.
 * @example "critical"
 */
export const SeverityField = z
  .enum(Object.keys(SEVERITY_ALIASES) as [string, ...string[]], {
    error: (issue) =>
      `${JSON.stringify(issue.input)} is not a severity: use critical, important, moderate or low (緊急, 重要, 警告, 注意)`,
  })
  .transform((value): Severity => SEVERITY_ALIASES[value] as Severity);
