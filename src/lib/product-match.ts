/**
 * The product box of the bulletin list and the search page: what a typed text selects.
 *
 * An imported archive names over a thousand products ("Windows Server 2008 R2 for
 * x64-based Systems (Server Core インストール)", "Windows Media Player 11", …), too many for a drop-down list:
 * the box takes words instead, and selects every product whose name holds them all, so
 * "Exchange 2000" selects each Exchange 2000 edition and service pack at once, and a name
 * picked from the suggestions also selects its service packs and editions. The box still
 * takes a product's slug (`?product=exchange-2000-server`, the address of a product page),
 * which selects that product alone.
 */

/**
 * A product the box can select: its slug (the search filter's value, the product page's
 * address), its name and, in the bulletin list's file, the ids of the bulletins it affects
 * (the list filters its rows by them).
 */
export type ProductChoice = readonly [slug: string, name: string, ids?: readonly string[]];

/** What a text in the product box selects. */
export interface ProductSelection {
  /** Slugs of the selected products, in list order; empty when nothing matches. */
  slugs: string[];
  /** The text was a product's slug, which selects that product alone. */
  exact: boolean;
}

/** Case, width and spacing folded, so that "ＥＸＣＨＡＮＧＥ　2000" reads as "exchange 2000". */
function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
}

/** Where a name or a text splits into words; dots stay inside versions ("5.5", "4.0"). */
const WORD_BREAK = /[^\p{L}\p{N}.]+/u;
/** Japanese is written without spaces: its words are looked for anywhere in a name. */
const JAPANESE = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]/u;

function words(folded: string): string[] {
  return folded.split(WORD_BREAK).filter(Boolean);
}

/**
 * The products `text` selects: none for an empty text (no filter), one for a slug, otherwise
 * every product whose name has, for each word of the text, a word starting with it ("xp"
 * selects "Windows XP", not "Outlook Express"; "5" selects "5.0" and "5.5"); Japanese words
 * may stand anywhere in the name.
 */
export function selectProducts(text: string, choices: readonly ProductChoice[]): ProductSelection | undefined {
  const wanted = fold(text);
  if (!wanted) return undefined;
  const exact = choices.find(([slug]) => slug === text.trim());
  if (exact) return { slugs: [exact[0]], exact: true };
  const queryWords = words(wanted);
  const slugs: string[] = [];
  for (const [slug, name] of choices) {
    const folded = fold(name);
    const nameWords = words(folded);
    if (queryWords.every((word) => (JAPANESE.test(word) ? folded.includes(word) : nameWords.some((w) => w.startsWith(word))))) slugs.push(slug);
  }
  return { slugs, exact: false };
}

/** The text the box shows for an address's `product` value: a slug shows as its name. */
export function productBoxText(value: string, choices: readonly ProductChoice[]): string {
  return choices.find(([slug]) => slug === value)?.[1] ?? value;
}

/**
 * The product list a page's box loads: `/{lang}/search/products.json` as `[slug, name]`;
 * `/{lang}/bulletins/products.json` with `withIds`, as `[slug, name, [bulletin id…]]`.
 */
export function productChoicesJson(products: readonly { slug: string; name: string; affectedBy: readonly { bulletin: { id: string } }[] }[], withIds = false): string {
  return JSON.stringify(products.map((p): ProductChoice => (withIds ? [p.slug, p.name, [...new Set(p.affectedBy.map((a) => a.bulletin.id))]] : [p.slug, p.name])));
}

/** The bulletins the selected products affect (from a list with ids). */
export function selectedBulletins(selection: ProductSelection, choices: readonly ProductChoice[]): Set<string> {
  const wanted = new Set(selection.slugs);
  const ids = new Set<string>();
  for (const [slug, , affected] of choices) if (wanted.has(slug)) for (const id of affected ?? []) ids.add(id);
  return ids;
}
