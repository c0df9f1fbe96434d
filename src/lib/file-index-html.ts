/**
 * The tables of the file index (`FileIndex.astro`) as one HTML string. A generated index of
 * 5,000 bulletins has 178,000 rows per language; as Astro components (a date, a size and up
 * to three paths per row) they were the costliest list pages to render. The markup is the
 * one the components wrote, byte for byte: the pieces come from `fact-html.ts`, which the
 * components render too, and links are escaped the way Astro escapes attributes.
 */
import type { Lang } from '../../schemas/index.ts';
import { t, type UiKey } from '../i18n/index.ts';
import { fileTableId, type FileShipment } from './facets.ts';
import { attribute, bytesHtml, dateHtml, esc, pathHtml } from './fact-html.ts';
import { paths, withBase } from './urls.ts';

/** One file name's section: heading and the table of every shipment, newest first. */
export interface FileIndexEntry {
  name: string;
  anchor: string;
  shipments: readonly FileShipment[];
}

/**
 * The file index tables for `files` in `lang`: per file name a section with a heading
 * (`id` = the name's anchor) and a row per shipment linking to the bulletin's file table.
 */
export function fileIndexHtml(files: readonly FileIndexEntry[], lang: Lang): string {
  const head =
    '<thead><tr>' +
    (
      [
        ['files.bulletin', ''],
        ['files.platform', ''],
        ['bulletin.version', ''],
        ['bulletin.date', ''],
        ['bulletin.size', ' class="num"'],
        ['bulletin.architecture', ''],
        ['bulletin.branch', ''],
        ['bulletin.folder', ''],
      ] as const satisfies readonly (readonly [UiKey, string])[]
    )
      .map(([key, cls]) => `<th scope="col"${cls}>${esc(t(lang, key))}</th>`)
      .join('') +
    '</tr></thead>';
  const noVersion = t(lang, 'bulletin.noVersion');
  let out = '';
  for (const file of files) {
    out += `<section${attribute('aria-labelledby', file.anchor)}><h2${attribute('id', file.anchor)}>${pathHtml(file.name)}</h2><div class="table-wrap"><table>${head}<tbody>`;
    for (const s of file.shipments) {
      const href = withBase(`${paths.bulletin(lang, s.bulletin.id)}#${fileTableId(s.source)}`);
      out +=
        `<tr><td class="nowrap"><a${attribute('href', href)}>${esc(s.bulletin.id)}</a></td>` +
        `<td>${esc(s.platform)}</td>` +
        `<td class="nowrap">${esc(s.file.version ?? noVersion)}</td>` +
        `<td class="nowrap">${dateHtml(s.file.date, lang)}</td>` +
        `<td class="num">${bytesHtml(s.file.size, lang)}</td>` +
        `<td>${esc(s.file.architecture ?? '—')}</td>` +
        `<td>${s.file.branch ? pathHtml(s.file.branch) : '—'}</td>` +
        `<td>${s.file.folder ? pathHtml(s.file.folder, 'path--wrap') : '—'}</td></tr>`;
    }
    out += '</tbody></table></div></section>';
  }
  return out;
}
