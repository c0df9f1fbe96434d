/**
 * Picking the text to show for a page language: `Localized` values, a bulletin's prose with
 * fallback to the other language, and the discrepancy notes that belong next to a fact.
 * Everything returns the language the text is actually in, so pages can set `lang` on it.
 */
import { LANGS, type Bulletin, type BulletinLanguage, type Discrepancy, type Lang, type Localized } from '../../schemas/index.ts';
import { productLabel } from './update-units.ts';

/** A piece of text and the language it is written in (`undefined`: language-neutral, e.g. a file name). */
export interface LocalizedText {
  text: string;
  lang: Lang | undefined;
}

/** Text of a `Localized` value for `lang`, falling back to the other language. */
export function localize(value: Localized, lang: Lang): LocalizedText {
  if (typeof value === 'string') return { text: value, lang: undefined };
  const own = value[lang];
  if (own !== undefined) return { text: own, lang };
  for (const other of LANGS) {
    const text = value[other];
    if (text !== undefined) return { text, lang: other };
  }
  // The schema guarantees at least one language; this keeps the type honest.
  throw new Error('localize: a Localized object without any language');
}

/** The bulletin prose to show on a page in `lang`. */
export interface PickedText {
  text: BulletinLanguage;
  /** Language of `text`. */
  lang: Lang;
  /** True when `lang` had no text and the other language is shown instead. */
  fallback: boolean;
}

/** The bulletin's text in `lang`, or in its other language with `fallback` set. */
export function pickText(bulletin: Pick<Bulletin, 'id' | 'text'>, lang: Lang): PickedText {
  const own = bulletin.text[lang];
  if (own) return { text: own, lang, fallback: false };
  for (const other of LANGS) {
    const text = bulletin.text[other];
    if (text) return { text, lang: other, fallback: true };
  }
  throw new Error(`${bulletin.id} has no text in any language`);
}

/**
 * The language a bulletin was first written in (the one that is not marked
 * `translated_from`), for `x-default`; Japanese when both or neither are marked.
 */
export function originalLang(bulletin: Pick<Bulletin, 'text'>): Lang {
  const originals = LANGS.filter((l) => bulletin.text[l] && !bulletin.text[l]?.translated_from);
  if (originals.length === 1) return originals[0]!;
  const present = LANGS.filter((l) => bulletin.text[l]);
  return present.length === 1 ? present[0]! : 'ja';
}

// Pages ask about every file row and key of every bulletin: the same few thousand paths.
const splitPaths = new Map<string, readonly (string | number)[]>();

/** Splits a printed field path (`packages[1].registry_keys[0].path`) into keys. */
function splitFieldPath(field: string): readonly (string | number)[] {
  let parts = splitPaths.get(field);
  if (!parts) {
    parts = [...field.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]!));
    splitPaths.set(field, parts);
  }
  return parts;
}

/**
 * Discrepancies about the fact at `field` or anything inside it, each with its position in
 * `bulletin.discrepancies` (pages number them and link the mark to the full note). With
 * `deep: false` only discrepancies about exactly that field.
 * @example discrepanciesAt(ms03046, 'packages[1].registry_keys[0]') // the Exchange 2000 key
 */
export function discrepanciesAt(
  bulletin: Pick<Bulletin, 'discrepancies'>,
  field: string,
  options: { deep?: boolean } = {},
): { discrepancy: Discrepancy; index: number }[] {
  if (bulletin.discrepancies.length === 0) return [];
  const deep = options.deep ?? true;
  const target = splitFieldPath(field);
  return bulletin.discrepancies.flatMap((discrepancy, index) => {
    const parts = splitFieldPath(discrepancy.field);
    const matches =
      (deep ? parts.length >= target.length : parts.length === target.length) && target.every((part, i) => parts[i] === part);
    return matches ? [{ discrepancy, index }] : [];
  });
}

/**
 * The value this bulletin keeps for a discrepancy's field, as text: a scalar as is, an
 * object by its most telling member (product and service pack, file name, key path).
 * `undefined` when the field does not resolve.
 */
export function valueAtField(bulletin: unknown, field: string): string | undefined {
  let current: unknown = bulletin;
  for (const part of splitFieldPath(field)) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[part];
  }
  if (typeof current === 'string' || typeof current === 'number' || typeof current === 'boolean') return String(current);
  if (current && typeof current === 'object') {
    const o = current as Record<string, unknown>;
    if (typeof o.hive === 'string' && typeof o.path === 'string') return `${o.hive}\\${o.path}`;
    if (typeof o.product === 'string') {
      const text = (x: unknown) => (typeof x === 'string' ? x : undefined);
      return productLabel({ product: o.product, service_pack: text(o.service_pack), installed_on: text(o.installed_on) });
    }
    if (typeof o.file_name === 'string') return o.file_name;
    if (typeof o.name === 'string') return o.name;
  }
  return undefined;
}
