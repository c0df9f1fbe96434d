/**
 * Paths of the static facet pages of the bulletin list, beside `paths` in `urls.ts`
 * and of the file index pages (site-relative; wrap in `withBase`). Product filtering uses
 * the product pages.
 */
import type { Lang, Severity } from '../../schemas/index.ts';

export const facetPaths = {
  severity: (lang: Lang, severity: Severity) => `${lang}/bulletins/severity/${severity}/`,
  year: (lang: Lang, year: string) => `${lang}/bulletins/year/${year}/`,
  /** A page of the file index (`filePages`): `""` is the index itself. */
  files: (lang: Lang, key: string) => (key ? `${lang}/files/${key}/` : `${lang}/files/`),
} as const;
