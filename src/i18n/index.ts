/**
 * UI strings, one flat dotted-key JSON file per locale. Both files are checked against
 * each other when this module is first imported, so a key added to one language only
 * fails the build (and every test that renders a page) instead of shipping a blank label.
 */
import { z } from 'zod';
import type { Lang } from '../../schemas/index.ts';
import en from './en.json' with { type: 'json' };
import ja from './ja.json' with { type: 'json' };

/** Every UI string key; Japanese is the reference file. */
export type UiKey = keyof typeof ja;

/**
 * Validates a locale file against the reference keys: every key present, non-empty, and
 * no key the reference lacks (a typo in a key name is as bad as a missing one).
 */
function checkLocale(file: string, reference: Record<string, string>, strings: unknown): Record<UiKey, string> {
  const shape = Object.fromEntries(Object.keys(reference).map((key) => [key, z.string().min(1)]));
  const result = z.strictObject(shape).safeParse(strings);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      if (issue.code === 'unrecognized_keys') {
        return `unknown key${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((k) => `"${k}"`).join(', ')}: add ${issue.keys.length === 1 ? 'it' : 'them'} to every locale file or remove ${issue.keys.length === 1 ? 'it' : 'them'}`;
      }
      const key = String(issue.path[0]);
      return issue.input === undefined
        ? `missing key "${key}": add it to ${file}`
        : `key "${key}": ${issue.message}; write the text in ${file}`;
    });
    throw new Error(`UI strings in src/i18n/${file} do not match src/i18n/ja.json:\n  ${lines.join('\n  ')}`);
  }
  return result.data as Record<UiKey, string>;
}

const strings: Record<Lang, Record<UiKey, string>> = {
  ja: checkLocale('ja.json', ja, ja),
  en: checkLocale('en.json', ja, en),
};

/** Exported for the locale-consistency test. */
export { checkLocale };

/**
 * The UI string for `key` in `lang`, with `{name}` placeholders replaced from `vars`.
 * An unknown placeholder is left visible rather than silently dropped. A count of exactly
 * 1 takes the key's `.one` form where there is one ("1 bulletin", not "1 bulletins").
 */
export function t(lang: Lang, key: UiKey, vars: Record<string, string | number> = {}): string {
  const template = (vars.count === 1 && strings[lang][`${key}.one` as UiKey]) || strings[lang][key];
  // Most strings have no placeholder; they are looked up on every page many times.
  if (!template.includes('{')) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** A translator bound to one language, for templates: `const tr = translator(lang)`. */
export function translator(lang: Lang): (key: UiKey, vars?: Record<string, string | number>) => string {
  return (key, vars) => t(lang, key, vars);
}

/** The other language: where the language switcher points. */
export function otherLang(lang: Lang): Lang {
  return lang === 'ja' ? 'en' : 'ja';
}

/** A language's own name for itself (日本語, English), for the language switcher. */
export function languageName(lang: Lang): string {
  return t(lang, lang === 'ja' ? 'lang.ja' : 'lang.en');
}

/** A language's name in the page language ("Japanese" on an English page), for notices. */
export function languageNameIn(lang: Lang, pageLang: Lang): string {
  return t(pageLang, lang === 'ja' ? 'language.ja' : 'language.en');
}
