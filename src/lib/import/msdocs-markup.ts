/**
 * Vendor markup in a Microsoft Docs page that the site cannot show as it stands, turned
 * into Markdown that renders. The pages point their icons at Microsoft's own image folder
 * (`../../images/Dn610026.dl_arrow(ja-JP,Security.10).jpg`), which a copy of the text does
 * not have, and the site drops raw HTML. Left alone, a download table became a row of
 * broken images inside links with no name, and an HTML table converted to a pipe table
 * lost its links, or vanished whole behind an empty `<p> </p>` line (CommonMark reads that
 * line as the start of an HTML block running to the next blank line).
 */

/**
 * What each icon of the archive says, as text. The download arrow is mostly the only
 * content of its link; the update-service marks stand for "also on …" in a column or a
 * legend ("このマークの付いている更新プログラムは Microsoft Update からインストールすることも
 * できます"); the note icon sits before the word 注, which says it already. Outside a link the
 * text is put in brackets, so a legend's "このマーク" still points at a mark.
 */
const ICON_TEXT: Record<string, string> = {
  dl_arrow: 'ダウンロード',
  mu_s: 'Microsoft Update',
  ot_s: 'Office Update',
  wu_s: 'Windows Update',
  note: '',
};

/** The subscription banner of 2008–2009 links to a retired sign-up page: dropped with its link. */
const BANNER = 'SNS300x50';

/** The vendor's icon name in an image path: `…/Dn610026.dl_arrow(ja-JP,Security.10).jpg` → `dl_arrow`. */
function imageName(source: string): string {
  const file = source.slice(source.lastIndexOf('/', source.indexOf('(') >= 0 ? source.indexOf('(') : source.length) + 1);
  return file.replace(/^Dn\d+\./, '').replace(/\(.*$/, '').replace(/\.(?:gif|jpe?g|png)$/i, '');
}

/** Images the page links relative to Microsoft's site (the archive holds none of them). */
const VENDOR_PATH = String.raw`(?:\.\./)+images/(?:[^()\s]|\([^()\s]*\))*`;
const VENDOR_IMAGE = new RegExp(`^${VENDOR_PATH}$`);
const DESTINATION = String.raw`(?:[^()\s]|\([^()\s]*\))*`;
/** `[![alt](icon)](url)` */
const LINKED_IMAGE = new RegExp(String.raw`\[!\[([^\]]*)\]\((${VENDOR_PATH})\)\]\((${DESTINATION})\)`, 'g');
/** `![alt](icon)` */
const IMAGE = new RegExp(String.raw`!\[([^\]]*)\]\((${VENDOR_PATH})\)`, 'g');
/** `[](url)`: a link with nothing to click. */
const EMPTY_LINK = new RegExp(String.raw`(?<![\\!\]])\[\]\((${DESTINATION})\)`, 'g');
/**
 * A line that is nothing but an empty HTML paragraph, where it starts an HTML block (up to
 * three spaces in: indented further, it is code and stays).
 */
const EMPTY_HTML_PARAGRAPH = /^ {0,3}<p>(?:[ \t\u00a0]|&nbsp;|&#160;)*<\/p>[ \t]*$/i;

export interface VendorMarkupResult {
  markdown: string;
  /** Images other than the known icons, left out because the archive does not hold them. */
  missingImages: string[];
}

/** Text for an image: an icon's meaning (bracketed unless `linked`), or a picture's alt text. */
function iconText(alt: string, source: string, missing: string[], linked = false): string {
  const name = imageName(source);
  const text = ICON_TEXT[name];
  if (text !== undefined) return text && !linked ? `［${text}］` : text;
  missing.push(name);
  return alt.trim();
}

/** Rewrites the page body's vendor icons and empty HTML paragraphs (see the file comment). */
export function vendorMarkupToMarkdown(markdown: string): VendorMarkupResult {
  const missing: string[] = [];
  const out = markdown
    .split('\n')
    // A blank line, not nothing: the line may stand between a paragraph and a table.
    .map((line) => (EMPTY_HTML_PARAGRAPH.test(line) ? '' : line))
    .join('\n')
    .replace(LINKED_IMAGE, (_, alt: string, source: string, url: string) => {
      if (imageName(source) === BANNER) return '';
      const text = iconText(alt, source, missing, true);
      return text ? `[${text}](${url})` : '';
    })
    .replace(IMAGE, (_, alt: string, source: string) => (imageName(source) === BANNER ? '' : iconText(alt, source, missing)))
    .replace(EMPTY_LINK, '');
  return { markdown: out, missingImages: missing };
}

/**
 * A table cell's HTML links and icons as Markdown: `<a href="U"><img src="…dl_arrow…" /></a>`
 * is `[ダウンロード](U)`. A link whose address cannot be written as a Markdown destination
 * keeps its text only, as the site showed it before.
 */
export function cellHtmlToMarkdown(html: string, missing: string[]): string {
  return html
    .replace(/(<a\b[^>]*>\s*)?<img\b[^>]*>/gi, (tag, link: string | undefined) => {
      const source = /\bsrc="([^"]*)"/i.exec(tag)?.[1] ?? '';
      const alt = /\balt="([^"]*)"/i.exec(tag)?.[1] ?? '';
      if (imageName(source) === BANNER) return link ?? '';
      return (link ?? '') + (VENDOR_IMAGE.test(source) ? iconText(alt, source, missing, link !== undefined) : alt);
    })
    .replace(/<a\b[^>]*?\bhref="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi, (_, href: string, text: string) => {
      const url = href.replaceAll('&amp;', '&');
      const label = text.trim().replace(/[[\]]/g, '\\$&');
      if (!label) return '';
      return /^https?:\/\/[^\s<>()]+$/.test(url) ? `[${label}](${url})` : label;
    });
}
