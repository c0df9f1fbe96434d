/**
 * Route support for the CSAF document endpoints: the `{yyyy}/{doc}.json` parameters of
 * every document, and the document and hash-file texts.
 *
 * Astro renders all `{doc}.json` routes before the `{doc}.json.sha512` routes, so the
 * document route keeps the finished hash line (about 150 bytes) for the hash route, which
 * then does not build and serialise the whole document a second time. The hash route
 * falls back to computing it, so the output never depends on that order.
 */
import type { Bulletin, Lang } from '../../schemas/index.ts';
import { csafDocumentRefs, csafHashFile, csafJson, toCsaf } from './to-csaf.ts';

export interface CsafRouteProps<B extends Bulletin = Bulletin> {
  bulletin: B;
  lang: Lang;
  /** `{yyyy}/{file}.json` relative to white/. */
  entry: string;
}

export function csafDocumentParams<B extends Bulletin>(bulletins: readonly B[]): Array<{ params: { year: string; doc: string }; props: CsafRouteProps<B> }> {
  return bulletins.flatMap((bulletin) =>
    csafDocumentRefs(bulletin).map((ref) => {
      const [year, file] = ref.entry.split('/') as [string, string];
      return { params: { year, doc: file.replace(/\.json$/, '') }, props: { bulletin, lang: ref.lang, entry: ref.entry } };
    }),
  );
}

const hashLines = new Map<string, string>();

const fileName = (entry: string) => entry.slice(entry.lastIndexOf('/') + 1);

/** Text of one CSAF document; remembers its hash line for `csafHashText`. */
export function csafDocumentText({ bulletin, lang, entry }: CsafRouteProps): string {
  const text = csafJson(toCsaf(bulletin, lang));
  hashLines.set(entry, csafHashFile(text, fileName(entry)));
  return text;
}

/** Text of the document's `.sha512` file. */
export function csafHashText(props: CsafRouteProps): string {
  const remembered = hashLines.get(props.entry);
  if (remembered !== undefined) {
    hashLines.delete(props.entry);
    return remembered;
  }
  return csafHashFile(csafJson(toCsaf(props.bulletin, props.lang)), fileName(props.entry));
}
