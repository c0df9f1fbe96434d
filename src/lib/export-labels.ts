/**
 * The few words the machine-readable exports (CSAF notes, feeds, CSV headers, the
 * verification script) need in each language. Pages have their own UI strings; these are
 * kept apart because they end up inside data files whose wording is part of their format.
 */
import type { Lang, Localized, Severity } from '../../schemas/index.ts';
import type { IMPACTS } from '../../schemas/index.ts';

export const SEVERITY_LABELS: Record<Severity, Record<Lang, string>> = {
  critical: { ja: '緊急', en: 'Critical' },
  important: { ja: '重要', en: 'Important' },
  moderate: { ja: '警告', en: 'Moderate' },
  low: { ja: '注意', en: 'Low' },
};

export const IMPACT_LABELS: Record<(typeof IMPACTS)[number], Record<Lang, string>> = {
  'remote-code-execution': { ja: 'リモートでコードが実行される', en: 'Remote code execution' },
  'elevation-of-privilege': { ja: '特権の昇格', en: 'Elevation of privilege' },
  'denial-of-service': { ja: 'サービス拒否', en: 'Denial of service' },
  'information-disclosure': { ja: '情報漏えい', en: 'Information disclosure' },
  spoofing: { ja: 'なりすまし', en: 'Spoofing' },
  tampering: { ja: '改ざん', en: 'Tampering' },
  'security-feature-bypass': { ja: 'セキュリティ機能のバイパス', en: 'Security feature bypass' },
};

export const LANGUAGE_NAMES: Record<Lang, Record<Lang, string>> = {
  ja: { ja: '日本語', en: 'Japanese' },
  en: { ja: '英語', en: 'English' },
};

/** The other site language. */
export function otherLang(lang: Lang): Lang {
  return lang === 'ja' ? 'en' : 'ja';
}

/**
 * Text of a `Localized` value in one language: a plain string is language-neutral; an
 * object falls back to the other language when this one is missing (never invented).
 */
export function pick(value: Localized | undefined, lang: Lang): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  return value[lang] ?? value[otherLang(lang)];
}

/** A `Localized` value as an object with one key per language that has text. */
export function localizedObject(value: Localized): { ja?: string; en?: string } {
  if (typeof value === 'string') return { ja: value, en: value };
  const out: { ja?: string; en?: string } = {};
  if (value.ja !== undefined) out.ja = value.ja;
  if (value.en !== undefined) out.en = value.en;
  return out;
}
