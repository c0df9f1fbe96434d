/**
 * The small pieces of markup every fact on a bulletin page is made of (a path, a size, a
 * date, a discrepancy mark, a localized text, a severity badge) and the rows of the page's
 * long tables (installed files, packages, product downloads, affected products), written as
 * strings. Templates put them in with `set:html`; the few components of the same names
 * (src/components/Path.astro, DateText.astro, Severity.astro, DiscrepancyMark.astro) render
 * these strings too, so there is one markup for each.
 *
 * Why strings: a generated bulletin has 34 file rows on average (up to 1,496), each made of
 * six such pieces; as Astro components they were a few hundred component renders per page,
 * the largest share of page rendering (bench/README.md). Each component render costs a
 * render context, a fragment and objects that live until the page is written, long enough
 * to be copied out of V8's young generation (round 10: 174,000 component renders at 1,000
 * bulletins before the last of these changes, 62,000 after). Escaping follows Astro's own
 * (`& < > ' "`), so the pages are byte for byte what the components wrote.
 */
import { LANGS, type Bulletin, type InstalledFile, type Lang, type Localized, type Severity } from '../../schemas/index.ts';
import { languageNameIn, t } from '../i18n/index.ts';
import { platformLabel } from './facets.ts';
import { productLabel } from './update-units.ts';
import { formatByteCount, formatBytes, formatDate } from './format.ts';
import { discrepanciesAt, localize } from './localize.ts';
import { memoize } from './memo.ts';
import { paths, withBase } from './urls.ts';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', "'": '&#39;', '"': '&quot;' };

/** Escapes text for element content and double-quoted attributes, as Astro does. */
export function esc(value: string | number): string {
  const text = typeof value === 'string' ? value : String(value);
  // Most texts have nothing to escape: test once instead of replacing through a callback.
  return NEEDS_ESCAPE.test(text) ? text.replace(/[&<>'"]/g, (c) => ESCAPES[c]!) : text;
}

const NEEDS_ESCAPE = /[&<>'"]/;

/**
 * ` name="value"` as Astro writes an attribute from an expression: only `&` and `"` are
 * escaped, and an empty value leaves the bare name.
 */
export function attribute(name: string, value: string): string {
  if (value === '') return ` ${name}`;
  return ` ${name}="${value.includes('&') || value.includes('"') ? value.replace(/&/g, '&amp;').replace(/"/g, '&quot;') : value}"`;
}

/**
 * A Windows path or file name in monospace. Long paths may wrap only after a backslash,
 * never inside a name (`msexcimc.e` / `xe` would misread as two names).
 */
export function pathHtml(value: string, className = ''): string {
  let memo = pathHtmlWith.get(className);
  if (!memo) pathHtmlWith.set(className, (memo = memoize((v: string) => computePathHtml(v, className))));
  return memo(value);
}

function computePathHtml(value: string, className: string): string {
  const parts = value.split(/(?<=\\)/).map(esc);
  return `<span class="${className ? `path ${esc(className)}` : 'path'}" translate="no">${parts.join('<wbr>')}</span>`;
}

// Folders and file names repeat across a build's file tables (see memo.ts): one memo per class.
const pathHtmlWith = new Map<string, (value: string) => string>();

/**
 * A size rounded for reading, with the exact byte count in the tooltip and, when printed,
 * beside it: administrators compare exact sizes against the file on disk.
 */
export function bytesHtml(bytes: number, lang: Lang): string {
  // Not memoised: file sizes hardly repeat (177,744 distinct in 178,622 file rows of 5,000
  // generated bulletins), and a memo that misses cost more than the formatting. The texts
  // are digits, commas and units: nothing to escape.
  const exact = formatByteCount(bytes, lang);
  const rounded = formatBytes(bytes, lang);
  return `<data value="${bytes}" title="${exact}">${rounded}</data>${rounded !== exact ? `<span class="print-only"> (${exact})</span>` : ''}`;
}

/** A calendar day formatted for the page language, machine-readable in `datetime`. */
export function dateHtml(iso: string, lang: Lang): string {
  return dateHtmlIn[lang](iso);
}

const dateHtmlIn = perLang((lang) => memoize((iso: string) => `<time datetime="${esc(iso)}">${esc(formatDate(iso, lang))}</time>`));

/** One memoised function per language. */
function perLang<F>(make: (lang: Lang) => F): Record<Lang, F> {
  return Object.fromEntries(LANGS.map((lang) => [lang, make(lang)])) as Record<Lang, F>;
}

/** A `Localized` value in the page language, marked with `lang` when it falls back. */
export function localizedHtml(value: Localized, lang: Lang): string {
  const picked = localize(value, lang);
  return picked.lang && picked.lang !== lang ? `<span lang="${picked.lang}">${esc(picked.text)}</span>` : esc(picked.text);
}

/**
 * Marks shown right next to a fact that another source gives differently: the other value
 * and a link to the full note. `deep` also takes discrepancies about anything inside the
 * fields (default).
 */
export function discrepancyMarksHtml(bulletin: Pick<Bulletin, 'discrepancies'>, fields: readonly string[], lang: Lang, deep = true): string {
  if (bulletin.discrepancies.length === 0) return '';
  const seen = new Set<number>();
  let html = '';
  for (const field of fields) {
    for (const { discrepancy, index } of discrepanciesAt(bulletin, field, { deep })) {
      if (seen.has(index)) continue;
      seen.add(index);
      html +=
        `<span class="discrepancy-mark"><strong>⚠ ${esc(t(lang, 'bulletin.discrepancyMarker'))}</strong>: ` +
        `${esc(t(lang, 'bulletin.discrepancyOther', { source: discrepancy.other_source }))}: <code>${esc(discrepancy.other_value)}</code> ` +
        `(<a href="#discrepancy-${index + 1}">${esc(t(lang, 'bulletin.discrepancies'))} ${index + 1}</a>)</span>`;
    }
  }
  return html;
}

export interface FileRowsOptions {
  bulletin: Pick<Bulletin, 'discrepancies'>;
  lang: Lang;
  files: readonly InstalledFile[];
  /** Table id: note links point at `{id}-note-{n}`. */
  id: string;
  /** Field path of the list (`packages[1].files`), for discrepancy marks. */
  field: string;
  /** Optional columns shown in this table. */
  has: { folder: boolean; architecture: boolean; branch: boolean; description: boolean };
  /** Distinct note texts in order: a row links to its note's number. */
  noteTexts: readonly string[];
  /** Link to the file's entry in the files index. */
  fileHref: (name: string) => string;
}

/** The `<tr>` rows of an installed-files table (src/components/bulletin/FileTable.astro). */
export function fileRowsHtml({ bulletin, lang, files, id, field, has, noteTexts, fileHref }: FileRowsOptions): string {
  const helper = `<small class="file-flag"> (${esc(t(lang, 'bulletin.installerHelper'))})</small>`;
  const noVersion = esc(t(lang, 'bulletin.noVersion'));
  let html = '';
  files.forEach((file, j) => {
    const noteIndex = file.note ? noteTexts.indexOf(localize(file.note, lang).text) : -1;
    html += '<tr>';
    if (has.folder) html += `<td>${file.folder ? pathHtml(file.folder, 'path--wrap') : '—'}</td>`;
    html += `<td><a href="${esc(fileHref(file.name))}">${pathHtml(file.name)}</a>`;
    if (file.installer_helper) html += helper;
    if (noteIndex >= 0) html += `<small> <a href="#${esc(id)}-note-${noteIndex + 1}">*${noteIndex + 1}</a></small>`;
    html += `${discrepancyMarksHtml(bulletin, [`${field}[${j}]`], lang)}</td>`;
    html += `<td class="nowrap">${dateHtml(file.date, lang)}</td>`;
    html += `<td class="nowrap">${file.version == null ? noVersion : esc(file.version)}</td>`;
    html += `<td class="num">${bytesHtml(file.size, lang)}</td>`;
    if (has.architecture) html += `<td>${file.architecture == null ? '—' : esc(file.architecture)}</td>`;
    if (has.branch) html += `<td>${pathHtml(file.branch ?? '—')}</td>`;
    if (has.description) html += `<td>${file.description ? localizedHtml(file.description, lang) : ''}</td>`;
    html += '</tr>';
  });
  return html;
}

/**
 * Severity badge: colour plus the translated word, so colour is never the only signal
 * (src/components/Severity.astro). List tables print one per bulletin.
 */
export function severityHtml(severity: Severity, lang: Lang): string {
  return `<span class="badge badge--${severity}" data-severity="${severity}">${esc(t(lang, `severity.${severity}` as const))}</span>`;
}

/** Fields of a package a discrepancy mark beside its file name covers (besides the package itself). */
const PACKAGE_LEAF_FIELDS = ['file_name', 'language', 'architecture', 'date', 'version', 'size', 'url', 'restart_required'] as const;

/**
 * The `<tr>` rows of the packages table (src/components/bulletin/Downloads.astro): platform,
 * file (linked, with marks for any discrepancy about the package), language, architecture,
 * date, version, size and what restarts.
 */
export function packageRowsHtml(bulletin: Pick<Bulletin, 'affected' | 'packages' | 'discrepancies'>, lang: Lang): string {
  const noVersion = esc(t(lang, 'bulletin.noVersion'));
  let html = '';
  bulletin.packages.forEach((pkg, i) => {
    // Nearly every bulletin has no discrepancies: only then spell out the row's fields.
    const marks = bulletin.discrepancies.length === 0 ? '' : discrepancyMarksHtml(bulletin, [`packages[${i}]`, ...PACKAGE_LEAF_FIELDS.map((f) => `packages[${i}].${f}`)], lang, false);
    const language = pkg.language === 'ja' || pkg.language === 'en' ? languageNameIn(pkg.language, lang) : pkg.language;
    html +=
      `<tr class="checklist-row" id="package-${i + 1}"><td>${esc(platformLabel(bulletin, pkg.platform))}</td>` +
      `<td><a class="download-link path"${attribute('href', pkg.url)} rel="noopener noreferrer">${esc(pkg.file_name)}</a>` +
      `${marks}</td>` +
      `<td>${esc(language)}</td><td>${esc(pkg.architecture)}</td>` +
      `<td class="nowrap">${dateHtml(pkg.date, lang)}</td>` +
      `<td class="nowrap">${pkg.version == null ? noVersion : esc(pkg.version)}</td>` +
      `<td class="num">${bytesHtml(pkg.size, lang)}</td>` +
      `<td>${pkg.restart_required ? esc(t(lang, `restart.${pkg.restart_required}` as const)) : '—'}</td></tr>`;
  });
  return html;
}

/**
 * The `<tr>` rows of the product downloads table (Downloads.astro): per affected product
 * with download links, its label and the links, each with marks for its discrepancies.
 */
export function productDownloadRowsHtml(bulletin: Pick<Bulletin, 'affected' | 'discrepancies'>, lang: Lang): string {
  const fallbackLabel = esc(t(lang, 'bulletin.downloadLink'));
  let html = '';
  bulletin.affected.forEach((product, index) => {
    if (product.downloads.length === 0) return;
    html += `<tr class="checklist-row"><td>${esc(productLabel(product))}</td><td><ul class="inline-list">`;
    product.downloads.forEach((d, k) => {
      html +=
        `<li><a class="download-link"${attribute('href', d.url)} rel="noopener noreferrer">${d.label ? localizedHtml(d.label, lang) : fallbackLabel}</a>` +
        `${discrepancyMarksHtml(bulletin, [`affected[${index}].downloads[${k}]`], lang)}</li>`;
    });
    html += '</ul></td></tr>';
  });
  return html;
}

/**
 * The `<tr>` rows of the affected software table (src/components/bulletin/Affected.astro):
 * product (linked to its page, with discrepancy marks), the system it is installed on
 * (when `withSystems`: some product of the bulletin names one), required service pack,
 * severity.
 */
export function affectedRowsHtml(bulletin: Pick<Bulletin, 'affected' | 'severity' | 'discrepancies'>, lang: Lang, withSystems: boolean): string {
  let html = '';
  bulletin.affected.forEach((a, i) => {
    html +=
      `<tr class="checklist-row"><td><a${attribute('href', withBase(paths.product(lang, a.product)))}>${esc(a.product)}</a>` +
      `${discrepancyMarksHtml(bulletin, [`affected[${i}]`], lang)}</td>` +
      (withSystems ? `<td>${esc(a.installed_on ?? '—')}</td>` : '') +
      `<td>${esc(a.service_pack ?? '—')}</td>` +
      `<td>${severityHtml(a.severity ?? bulletin.severity, lang)}</td></tr>`;
  });
  return html;
}
