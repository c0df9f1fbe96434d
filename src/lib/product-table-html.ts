/**
 * The rows of a product page's tables (`src/pages/[lang]/products/[slug]/index.astro`) as
 * HTML strings. A system's page lists hundreds of bulletins (Windows XP: 158 for components
 * installed on it in the real archive), and as Astro markup every cell of every row is a
 * render of its own. The markup is the one the page's template wrote, byte for byte: badge
 * and date come from `fact-html.ts`, and text and attributes are escaped the way Astro
 * escapes them.
 */
import type { AffectedProduct, Bulletin, Lang } from '../../schemas/index.ts';
import { attribute, dateHtml, esc, severityHtml } from './fact-html.ts';
import { pickText } from './localize.ts';
import { paths, withBase } from './urls.ts';

/** A bulletin on a product page, with the entries of it that the row is about. */
export interface ProductPageRow {
  bulletin: Pick<Bulletin, 'id' | 'text' | 'severity' | 'published'>;
  entries: readonly AffectedProduct[];
}

/** The bulletin's id, linked, and its title (marked with `lang` when shown in another language). */
function bulletinCells(bulletin: ProductPageRow['bulletin'], lang: Lang): string {
  const picked = pickText(bulletin, lang);
  return (
    `<td class="nowrap"><a${attribute('href', withBase(paths.bulletin(lang, bulletin.id)))}>${esc(bulletin.id)}</a></td>` +
    `<td${picked.fallback ? attribute('lang', picked.lang) : ''}>${esc(picked.text.title)}</td>`
  );
}

/** Severity badges of the row's entries (the bulletin's where an entry has none), once each. */
function severityCell({ bulletin, entries }: ProductPageRow, lang: Lang): string {
  const severities = [...new Set(entries.map((e) => e.severity ?? bulletin.severity))];
  return `<td>${severities.map((s) => severityHtml(s, lang)).join('')}</td>`;
}

const dateCell = (bulletin: ProductPageRow['bulletin'], lang: Lang) => `<td class="nowrap">${dateHtml(bulletin.published, lang)}</td>`;

/**
 * Rows of "Bulletins affecting {product}": id, title, the systems the product is installed
 * on (when `withSystems`: a component's page), severity, the service packs, published.
 */
export function affectedRowsHtml(rows: readonly ProductPageRow[], lang: Lang, withSystems: boolean): string {
  let html = '';
  for (const row of rows) {
    const systems = withSystems ? `<td><ul class="stacked-list">${[...new Set(row.entries.map((e) => e.installed_on ?? '—'))].map((s) => `<li>${esc(s)}</li>`).join('')}</ul></td>` : '';
    const servicePacks = row.entries.map((e) => e.service_pack).filter(Boolean).join(', ') || '—';
    html += `<tr>${bulletinCells(row.bulletin, lang)}${systems}${severityCell(row, lang)}<td>${esc(servicePacks)}</td>${dateCell(row.bulletin, lang)}</tr>`;
  }
  return html;
}

/**
 * Rows of "Bulletins affecting components installed on {system}": id, title, each
 * component (linked to its page) with its service pack and the systems as the vendor
 * lists them, severity, published.
 */
export function componentRowsHtml(rows: readonly ProductPageRow[], lang: Lang): string {
  let html = '';
  for (const row of rows) {
    const components = row.entries
      .map((e) => `<li><a${attribute('href', withBase(paths.product(lang, e.product)))}>${esc(e.product)}</a>${e.service_pack ? esc(` ${e.service_pack}`) : ''} (${esc(e.installed_on ?? '')})</li>`)
      .join('');
    html += `<tr>${bulletinCells(row.bulletin, lang)}<td><ul class="stacked-list">${components}</ul></td>${severityCell(row, lang)}${dateCell(row.bulletin, lang)}</tr>`;
  }
  return html;
}
