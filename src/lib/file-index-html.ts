/**
 * The tables of the file index (`FileIndex.astro`) as one HTML string. A generated index of
 * 5,000 bulletins has 178,000 rows per language; as Astro components (a date, a size and up
 * to three paths per row) they were the costliest list pages to render. The markup is the
 * one the components wrote, byte for byte, escaped the way Astro escapes: text `& < > ' "`,
 * attribute values `&` and `"`.
 */
import type { Lang } from '../../schemas/index.ts';
import { t, type UiKey } from '../i18n/index.ts';
import { fileTableId, type FileShipment } from './facets.ts';
import { formatByteCount, formatBytes, formatDate } from './format.ts';
import { paths, withBase } from './urls.ts';

const TEXT = /[&<>'"]/g;
const TEXT_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', "'": '&#39;', '"': '&quot;' };

/** Text in element content, as Astro escapes an expression. */
function text(value: string): string {
  return value.replace(TEXT, (c) => TEXT_ENTITIES[c]!);
}

/** A double-quoted attribute value, as Astro escapes one. */
function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
}

/** `Path.astro`: a Windows path that may wrap only after a backslash. */
function pathHtml(value: string, className?: string): string {
  const parts = value.split(/(?<=\\)/).map(text);
  return `<span class="${className ? `path ${attr(className)}` : 'path'}" translate="no">${parts.join('<wbr>')}</span>`;
}

/** `DateText.astro`. */
function dateHtml(iso: string, lang: Lang): string {
  return `<time datetime="${attr(iso)}">${text(formatDate(iso, lang))}</time>`;
}

/** `Bytes.astro`: rounded size, the exact count in the tooltip and in print. */
function bytesHtml(bytes: number, lang: Lang): string {
  const exact = formatByteCount(bytes, lang);
  const rounded = formatBytes(bytes, lang);
  const print = rounded !== exact ? `<span class="print-only"> (${text(exact)})</span>` : '';
  return `<data value="${bytes}" title="${attr(exact)}">${text(rounded)}</data>${print}`;
}

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
      .map(([key, cls]) => `<th scope="col"${cls}>${text(t(lang, key))}</th>`)
      .join('') +
    '</tr></thead>';
  const noVersion = t(lang, 'bulletin.noVersion');
  let out = '';
  for (const file of files) {
    out += `<section aria-labelledby="${attr(file.anchor)}"><h2 id="${attr(file.anchor)}">${pathHtml(file.name)}</h2><div class="table-wrap"><table>${head}<tbody>`;
    for (const s of file.shipments) {
      const href = withBase(`${paths.bulletin(lang, s.bulletin.id)}#${fileTableId(s.source)}`);
      out +=
        `<tr><td class="nowrap"><a href="${attr(href)}">${text(s.bulletin.id)}</a></td>` +
        `<td>${text(s.platform)}</td>` +
        `<td class="nowrap">${text(s.file.version ?? noVersion)}</td>` +
        `<td class="nowrap">${dateHtml(s.file.date, lang)}</td>` +
        `<td class="num">${bytesHtml(s.file.size, lang)}</td>` +
        `<td>${text(s.file.architecture ?? '—')}</td>` +
        `<td>${s.file.branch ? pathHtml(s.file.branch) : '—'}</td>` +
        `<td>${s.file.folder ? pathHtml(s.file.folder, 'path--wrap') : '—'}</td></tr>`;
    }
    out += '</tbody></table></div></section>';
  }
  return out;
}
