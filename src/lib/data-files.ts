/**
 * The per-bulletin files of the site that are not pages: CSAF documents and their hash
 * files, the JSON API's bulletin documents and the verify scripts. The Astro endpoints
 * (src/pages/.well-known/csaf/white/[year]/…, api/v1/bulletins/[id].json.ts,
 * downloads/verify/[id].ps1.ts) serve them in `astro dev` and in a plain `astro build`;
 * `npm run build` writes them from this list in a worker thread beside Astro's page
 * rendering (src/integrations/data-files.ts), because going through Astro's per-route
 * machinery cost more than making the files (bench/README.md). One list, same bytes.
 */
import { csafDocumentText, csafHashText } from './csaf-routes.ts';
import { csafDocumentRefs } from './to-csaf.ts';
import { apiBulletinJson, apiListJsonChunks, toApiIndex, toFilesIndex, toProductsIndex, type BulletinWithHtml } from './to-api.ts';
import { filesCsvChunks, toBulletinsCsv } from './to-csv.ts';
import { toVerifyScript } from './to-powershell.ts';
import { paths } from './urls.ts';

export interface DataFile {
  /** Output path relative to the site root, `/`-separated, e.g. `api/v1/bulletins/ms03-046.json`. */
  path: string;
  /** The text, or its pieces in order (the list files). */
  content: string | Iterable<string>;
}

/** A data file whose text is at hand whole (every per-bulletin file). */
export type TextFile = DataFile & { content: string };

/** Every data file of one bulletin, in a fixed order. */
export function* bulletinDataFiles(bulletin: BulletinWithHtml): Generator<TextFile> {
  // The same two functions the CSAF endpoints call: the hash line is kept from the
  // document and handed over once, as between the two routes.
  for (const ref of csafDocumentRefs(bulletin)) {
    const props = { bulletin, lang: ref.lang, entry: ref.entry };
    yield { path: ref.path, content: csafDocumentText(props) };
    yield { path: `${ref.path}.sha512`, content: csafHashText(props) };
  }
  yield { path: paths.apiBulletin(bulletin.id), content: apiBulletinJson(bulletin) };
  yield { path: paths.verifyScript(bulletin.id), content: toVerifyScript(bulletin) };
}

/**
 * The files made from all bulletins at once, by path, in pieces (a list item or a CSV
 * record each), so the data worker never holds a whole list file. `jsonSha256` gives a
 * bulletin's API document digest (default: render it again; the worker passes the digests
 * of the documents it wrote).
 */
export const LIST_FILES = {
  'api/v1/bulletins.json': (bulletins: readonly BulletinWithHtml[], jsonSha256?: (b: BulletinWithHtml) => string) => apiListJsonChunks(toApiIndex(bulletins, jsonSha256)),
  'api/v1/files.json': (bulletins: readonly BulletinWithHtml[]) => apiListJsonChunks(toFilesIndex(bulletins)),
  'api/v1/products.json': (bulletins: readonly BulletinWithHtml[]) => apiListJsonChunks(toProductsIndex(bulletins)),
  'exports/bulletins.csv': (bulletins: readonly BulletinWithHtml[]) => [toBulletinsCsv(bulletins)],
  'exports/files.csv': (bulletins: readonly BulletinWithHtml[]) => filesCsvChunks(bulletins),
} as const;

export type ListFile = keyof typeof LIST_FILES;

/** Text of one list file. */
export function listFileText(file: ListFile, bulletins: readonly BulletinWithHtml[], jsonSha256?: (b: BulletinWithHtml) => string): string {
  return [...LIST_FILES[file](bulletins, jsonSha256)].join('');
}

/** Every list file, in a fixed order, its content in pieces. */
export function* listDataFiles(bulletins: readonly BulletinWithHtml[], jsonSha256?: (b: BulletinWithHtml) => string): Generator<DataFile> {
  for (const file of Object.keys(LIST_FILES) as ListFile[]) yield { path: file, content: LIST_FILES[file](bulletins, jsonSha256) };
}

/**
 * What the list files and KB/CVE pages need of a bulletin: everything but the rendered HTML
 * and the Markdown bodies, the bulk of a bulletin in memory. Lists show titles and facts
 * (tests/data-files.test.ts compares them with the endpoints, which get whole bulletins).
 */
export function forLists<B extends BulletinWithHtml>(bulletin: B): B {
  const text: Record<string, unknown> = {};
  for (const [lang, t] of Object.entries(bulletin.text)) if (t) text[lang] = { ...t, body: '' };
  return { ...bulletin, html: {}, text } as B;
}

/**
 * `text` in slices of at most `size` UTF-16 units, never cutting a surrogate pair, so each
 * slice encodes to the same UTF-8 bytes the whole text would (the worker writes large files
 * slice by slice instead of copying them whole into one Buffer).
 */
export function* textSlices(text: string, size: number): Generator<string> {
  if (size < 2) throw new RangeError('textSlices: size must be at least 2');
  for (let start = 0; start < text.length; ) {
    let end = Math.min(start + size, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
    yield text.slice(start, end);
    start = end;
  }
}
