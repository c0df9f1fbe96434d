/**
 * Route parameters of the CSAF document endpoints: one `{yyyy}/{doc}.json` per document
 * of each bulletin, with the bulletin and language as props.
 */
import type { Bulletin, Lang } from '../../schemas/index.ts';
import { csafDocumentRefs } from './to-csaf.ts';

export function csafDocumentParams<B extends Bulletin>(bulletins: readonly B[]): Array<{ params: { year: string; doc: string }; props: { bulletin: B; lang: Lang } }> {
  return bulletins.flatMap((bulletin) =>
    csafDocumentRefs(bulletin).map((ref) => {
      const [year, file] = ref.entry.split('/') as [string, string];
      return { params: { year, doc: file.replace(/\.json$/, '') }, props: { bulletin, lang: ref.lang } };
    }),
  );
}
