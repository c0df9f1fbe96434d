/**
 * The KB and CVE resolver pages (`/{lang}/kb/{number}/`, `/{lang}/cve/{id}/`) that forward
 * to the one bulletin they match, as plain HTML strings.
 *
 * There are several of these per bulletin and each only forwards (meta refresh, no script),
 * so `npm run build` writes them from the in-memory bulletins (src/integrations/data-files.ts)
 * instead of rendering each through the full page layout; that cost about a third of
 * Astro's route time (bench/README.md). A number or CVE that several bulletins share stays
 * an Astro page (src/pages/[lang]/kb/[number]/, cve/[cve]/) listing them, as do all of them
 * in `astro dev` and a plain `astro build`. Title and body say what the Astro page says.
 */
import { LANGS, type Bulletin, type Lang } from '../../schemas/index.ts';
import { t } from '../i18n/index.ts';
import { escapeHtml } from './escape-html.ts';
import { identifierIndex } from './facets.ts';
import { pickText } from './localize.ts';
import { CSP_META } from './security-headers.ts';
import { absoluteUrl, paths, withBase } from './urls.ts';

/** What a resolver page resolves: a Knowledge Base article number or a CVE id. */
export type ResolverKey = { kind: 'kb'; number: number } | { kind: 'cve'; cve: string };

/** The bulletin fields a forwarding page shows. */
export type ResolverBulletin = Pick<Bulletin, 'id' | 'text' | 'severity'>;

/** A file of the built site: path relative to the site root (`ja/kb/829436/index.html`) and its text. */
export interface ResolverPage {
  path: string;
  content: string;
}

/** Page title (without the site name): "Knowledge Base article KB829436", "CVE-2003-0352". */
export function resolverTitle(lang: Lang, key: ResolverKey): string {
  return key.kind === 'kb' ? t(lang, 'resolve.kbTitle', { number: `KB${key.number}` }) : t(lang, 'resolve.cveTitle', { cve: key.cve });
}

/** Site-relative path of the resolver page, as the `paths` helpers give it (`ja/kb/829436/`). */
export function resolverRoute(lang: Lang, key: ResolverKey): string {
  return key.kind === 'kb' ? paths.kb(lang, key.number) : paths.cve(lang, key.cve);
}

/**
 * True when a number or CVE matches exactly one bulletin: its page only forwards there, and
 * `npm run build` writes it with `resolverPages` instead of an Astro route.
 */
export function isDirectResolver(matches: readonly unknown[]): boolean {
  return matches.length === 1;
}

/**
 * HTML of the page that forwards `key` to `bulletin` in `lang`: kept out of search engines,
 * canonical at the bulletin's own canonical URL, and a link for when the refresh does not
 * happen. No stylesheet or script: the page is seen for an instant at most.
 */
export function resolverPageHtml(lang: Lang, key: ResolverKey, bulletin: ResolverBulletin): string {
  const title = resolverTitle(lang, key);
  const picked = pickText(bulletin, lang);
  const target = withBase(paths.bulletin(lang, bulletin.id));
  // A fallback bulletin page points its canonical at the language the text is in; so does this.
  const canonical = absoluteUrl(paths.bulletin(picked.fallback ? picked.lang : lang, bulletin.id));
  const titleLang = picked.fallback ? ` lang="${picked.lang}"` : '';
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(CSP_META)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`${title} | ${t(lang, 'site.name')}`)}</title>
<meta name="color-scheme" content="light dark">
<meta name="robots" content="noindex">
<link rel="canonical" href="${escapeHtml(canonical)}">
<link rel="icon" href="${escapeHtml(withBase('favicon.svg'))}" type="image/svg+xml">
<meta http-equiv="refresh" content="${escapeHtml(`0; url=${target}`)}">
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(t(lang, 'resolve.goesTo', { id: bulletin.id }))}</p>
<ul>
<li><a href="${escapeHtml(target)}">${escapeHtml(bulletin.id)}</a>: <span${titleLang}>${escapeHtml(picked.text.title)}</span> <span data-severity="${escapeHtml(bulletin.severity)}">${escapeHtml(t(lang, `severity.${bulletin.severity}`))}</span></li>
</ul>
</main>
</body>
</html>
`;
}

/**
 * Every forwarding page of `bulletins`: for each language, one per KB number and one per
 * CVE id that exactly one bulletin lists. The rest are the Astro routes' (`isDirectResolver`).
 */
export function* resolverPages<B extends Bulletin>(bulletins: readonly B[]): Generator<ResolverPage> {
  const { kb, cve } = identifierIndex(bulletins);
  const keys: [ResolverKey, readonly B[]][] = [
    ...[...kb].map(([number, matches]): [ResolverKey, readonly B[]] => [{ kind: 'kb', number }, matches]),
    ...[...cve].map(([id, matches]): [ResolverKey, readonly B[]] => [{ kind: 'cve', cve: id }, matches]),
  ];
  for (const lang of LANGS) {
    for (const [key, matches] of keys) {
      if (isDirectResolver(matches)) yield { path: `${resolverRoute(lang, key)}index.html`, content: resolverPageHtml(lang, key, matches[0]!) };
    }
  }
}
