/**
 * The per-bulletin files of the site that are not pages: CSAF documents and their hash
 * files, the JSON API's bulletin documents and the verify scripts. The Astro endpoints
 * (src/pages/.well-known/csaf/white/[year]/…, api/v1/bulletins/[id].json.ts,
 * downloads/verify/[id].ps1.ts) serve them in `astro dev` and in a plain `astro build`;
 * `npm run build` writes them from this list in a worker thread beside Astro's page
 * rendering (src/integrations/data-files.ts), because going through Astro's per-route
 * machinery cost more than making the files (bench/README.md). One list, same bytes.
 */
import type { Bulletin } from '../../schemas/index.ts';
import { csafDocumentRefs, csafHashFile, csafJson, toCsaf } from './to-csaf.ts';
import { apiBulletinJson, type BulletinWithHtml } from './to-api.ts';
import { toVerifyScript } from './to-powershell.ts';
import { paths } from './urls.ts';

export interface DataFile {
  /** Output path relative to the site root, `/`-separated, e.g. `api/v1/bulletins/ms03-046.json`. */
  path: string;
  content: string;
}

/** Every data file of one bulletin, in a fixed order. */
export function* bulletinDataFiles(bulletin: BulletinWithHtml): Generator<DataFile> {
  for (const ref of csafDocumentRefs(bulletin)) {
    const text = csafJson(toCsaf(bulletin as Bulletin, ref.lang));
    yield { path: ref.path, content: text };
    yield { path: `${ref.path}.sha512`, content: csafHashFile(text, ref.path.slice(ref.path.lastIndexOf('/') + 1)) };
  }
  yield { path: paths.apiBulletin(bulletin.id), content: apiBulletinJson(bulletin) };
  yield { path: paths.verifyScript(bulletin.id), content: toVerifyScript(bulletin) };
}
