/**
 * The rows of the bulletin list tables (`BulletinTable.astro`: all bulletins, a year, a
 * severity, the home page's latest) as one HTML string. Every bulletin list page prints a
 * row per bulletin, and as Astro markup each row was a handful of component renders (badge,
 * date, link); at 5,000 bulletins that was about 30,000 rows and 4 s of route time. The
 * markup is the one the components wrote, byte for byte: badge and date come from
 * `fact-html.ts`, which `Severity.astro` and `DateText.astro` render too, and attributes are
 * escaped the way Astro escapes them.
 */
import type { Bulletin, Lang } from '../../schemas/index.ts';
import { affectedProductNames, bulletinYear, SEVERITY_ORDER } from './facets.ts';
import { attribute, dateHtml, esc, severityHtml } from './fact-html.ts';
import { pickText } from './localize.ts';
import { paths, withBase } from './urls.ts';

/** What a row shows of a bulletin. */
export type BulletinRow = Pick<Bulletin, 'id' | 'text' | 'severity' | 'published' | 'affected'>;

/**
 * The `<tr>` rows for `bulletins` in `lang`, in the order given. Each row carries its facet
 * values as `data-*` attributes for the sort/filter script (`bulletin-list.ts`); a title
 * shown in another language is marked with `lang`. Which bulletins a product affects is not
 * repeated in every row (it was 29 % of the real archive's list page): the product box
 * loads it with the product names (`/{lang}/bulletins/products.json`).
 */
export function bulletinRowsHtml(bulletins: readonly BulletinRow[], lang: Lang): string {
  const separator = lang === 'ja' ? '、' : ', ';
  // A list repeats four severities thousands of times.
  const badges = new Map(SEVERITY_ORDER.map((severity) => [severity, severityHtml(severity, lang)]));
  let html = '';
  for (const b of bulletins) {
    const picked = pickText(b, lang);
    const title = picked.text.title;
    const products = affectedProductNames(b);
    html +=
      `<tr${attribute('data-id', b.id)}${attribute('data-title', title)}` +
      `${attribute('data-severity', b.severity)} data-severity-rank="${SEVERITY_ORDER.length - SEVERITY_ORDER.indexOf(b.severity)}"` +
      `${attribute('data-year', bulletinYear(b))}${attribute('data-published', b.published)}>` +
      `<td class="nowrap"><a${attribute('href', withBase(paths.bulletin(lang, b.id)))}>${esc(b.id)}</a></td>` +
      `<td${picked.fallback ? attribute('lang', picked.lang) : ''}>${esc(title)}</td>` +
      `<td>${badges.get(b.severity) ?? severityHtml(b.severity, lang)}</td>` +
      `<td class="nowrap">${dateHtml(b.published, lang)}</td>` +
      `<td>${esc(products.join(separator))}</td></tr>`;
  }
  return html;
}
