/**
 * HTML of inline Markdown that is plain text, backslash escapes, `**strong**`, simple
 * `code`, `[links](https://…)` or `[links](/path)`, autolinks (`<https://…>`), brackets that make no link (`[1]`,
 * `[コントロール パネル]`), HTML tags without attributes (`<sup>`, `</sup>`, `<br />`), hard
 * line breaks (two spaces before a line ending) and `*` or `_` that can open nothing
 * (`HKEY_LOCAL_MACHINE`, `Systems*`) only, as remark renders it: the labels of vendor
 * bulletins ("**バージョン:** 1.0", bold table cells), file names, footnote marks and
 * download links are the most common syntax in bulletin bodies. Anything else returns
 * `undefined`, and the caller falls back to the pipeline; tests/render-markdown.test.ts
 * checks the output.
 *
 * Only for text of a document that defines no link reference (`splitMarkdownBlocks` keeps
 * any document holding `]:` in one piece, and its runs never come here): there, a
 * bracketed text not followed by `(` or `[` is text, whatever it says.
 *
 * Raw HTML is never passed through (src/lib/render-markdown.ts): a tag renders as nothing.
 *
 * Strong emphasis follows CommonMark's delimiter rules as micromark applies them: a run
 * of exactly two asterisks opens when the character after it is not whitespace and is
 * not punctuation unless the character before is whitespace or punctuation, and closes
 * in mirror image (line ends and the text's ends count as whitespace). Runs pair up in
 * order, so every odd run must be able to open and every even run to close. A run that
 * cannot open (for `_` also: unless after punctuation, one that could close), with no
 * run open before it, stays text: nothing before it can pair with it.
 */

/** Characters with inline meaning this shortcut does not handle, plus tab, NUL and CR. */
const UNHANDLED = /[\]<~@\t\0\r]/;
/** Long runs, hard breaks and a trailing backslash. */
const UNHANDLED_SHAPES = /\*\*\*|___|\\\n|\\$/;
/**
 * Character references this shortcut decodes: the named ones vendor text uses (`&lt;IMG
 * SRC&gt;`, `&quot;`) and numeric ones of printable ASCII (`&#42;`). A decoded character
 * is text, never syntax; for emphasis the `;` before a run is what counts, as in micromark.
 */
const CHARACTER_REFERENCE_AT = /^&(?:(amp|lt|gt|quot|nbsp)|#([0-9]{1,7})|#[xX]([0-9A-Fa-f]{1,6}));/;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', nbsp: '\u00a0' };
/** What may be a character reference: anything else after `&` leaves it a plain `&`. */
const REFERENCE_LIKE = /^&[#A-Za-z0-9]+;/;
/** What GFM's literal-link pass would turn into a link. */
const LITERAL_LINK = /:\/\/|www\./i;
/**
 * `[label](url)` with a plain label and an http(s) or site-relative URL of characters that
 * pass through micromark's URL normalising and the sanitizer unchanged (`&` is written
 * `&#x26;` in the attribute, as hast-util-to-html does; `%` only as an escape micromark
 * keeps, `%20`). A destination decodes character references: `&amp;` (vendor pages write
 * `?a=1&amp;b=2`) is `&`, any other is left to the pipeline; in the label a `&` that
 * starts no reference is text, and backslash escapes are allowed.
 */
const LINK = /^\[((?:[^[\]\\`*_<>!~@\n\t\0]|\\[!-/:-@[-`{-~])+)\]\((https?:\/\/(?:[A-Za-z0-9\-._~/?#=+,;:&]|%[0-9A-Fa-f]{2})+|\/(?!\/)(?:[A-Za-z0-9\-._~/?#=+,;:&]|%[0-9A-Fa-f]{2})*)\)/;
/** `<https://…>` of the characters `LINK` allows in a destination (vendor text shows URLs so). */
const AUTOLINK = /^<(https?:\/\/(?:[A-Za-z0-9\-._~/?#=+,;:&]|%[0-9A-Fa-f]{2})+)>/;
/** A backslash escape in a link's label. */
const ESCAPED = /\\([!-/:-@[-`{-~])/g;
/** A character reference, which a destination decodes. */
const CHARACTER_REFERENCE = /&[#A-Za-z0-9]+;/;
/**
 * Brackets that can make no link in a document without definitions: text without
 * brackets, escapes, code or tags, and after `]` neither `(` (an inline link, perhaps one
 * the pipeline must judge) nor `[` (a reference, or a link after it).
 */
const TEXT_BRACKETS = /^\[(?!\^)[^[\]\\`<]*\](?![([])/;
/** An HTML tag without attributes, as CommonMark reads one: `<sup>`, `</sup>`, `<br />`. */
const BARE_TAG = /^(?:<[A-Za-z][A-Za-z0-9-]*(?: ?\/)?>|<\/[A-Za-z][A-Za-z0-9-]*>)/;
const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/;
/**
 * Where the loop below must look at a character: the ones it handles, those `UNHANDLED`
 * refuses (taken from it, so the two cannot drift apart), and a space before a space, a
 * line ending or the end (a single space between words is text).
 * Everything between is text, copied in one slice: vendor text is mostly such runs, and
 * copying it one character at a time made this function the largest of the Markdown
 * shortcuts (bench/README.md, round 22).
 */
const SPECIAL = new RegExp(`[\\\\*_\`[&${UNHANDLED.source.slice(1, -1)}]| (?=[ \\n]|$)`, 'g');
const WHITESPACE = /\s/;
const PUNCTUATION = /\p{P}|\p{S}/u;

/** micromark's character classes: 1 whitespace (or no character), 2 punctuation, 0 other. */
function classOf(char: string | undefined): 0 | 1 | 2 {
  if (char === undefined || WHITESPACE.test(char)) return 1;
  return PUNCTUATION.test(char) ? 2 : 0;
}

function escapeText(text: string): string {
  return text.replaceAll('&', '&#x26;').replaceAll('<', '&#x3C;');
}

/** The HTML of `text` (one paragraph's or one table cell's content), or `undefined`. */
export function plainInlineHtml(text: string): string | undefined {
  if (UNHANDLED_SHAPES.test(text)) return undefined;
  let html = '';
  let plain = '';
  let open = false;
  // Where the `]` of brackets that make no link is.
  let textBracketEnd = -1;
  for (let i = 0; i < text.length; i++) {
    SPECIAL.lastIndex = i;
    const stop = SPECIAL.exec(text)?.index ?? text.length;
    if (stop > i) {
      const run = text.slice(i, stop);
      plain += run;
      html += run;
      i = stop - 1;
      continue;
    }
    const char = text[i]!;
    if (char === '\\' && i + 1 < text.length && ASCII_PUNCTUATION.test(text[i + 1]!)) {
      plain += text[++i]!;
      html += escapeText(text[i]!);
    } else if (char === '*' || char === '_') {
      // A run of one or two (`***` and longer are refused above, `___` below).
      const length = text[i + 1] === char ? 2 : 1;
      const before = classOf(text[i - 1]);
      const after = classOf(text[i + length]);
      const leftFlanking = after === 0 || (after === 2 && before !== 0);
      const rightFlanking = before === 0 || (before === 2 && after !== 0);
      const canOpen = char === '*' ? leftFlanking : leftFlanking && (!rightFlanking || before === 2);
      if (!open && !canOpen) {
        // Nothing before it is open, and it opens nothing: plain text (`HKEY_LOCAL_MACHINE`,
        // a footnote mark after a product name, `Systems*`).
        plain += char.repeat(length);
        html += char.repeat(length);
      } else {
        if (char === '_' || length !== 2 || (open ? !rightFlanking : !leftFlanking)) return undefined;
        html += open ? '</strong>' : '<strong>';
        open = !open;
      }
      i += length - 1;
    } else if (char === '`') {
      // A code span of single backticks on one line, its content neither padded nor
      // holding a backtick; anything else (stripping rules, longer fences) is left alone.
      const end = text.indexOf('`', i + 1);
      const code = text.slice(i + 1, end);
      if (end < 0 || text[i + 1] === '`' || text[end + 1] === '`' || code.includes('\n') || code.startsWith(' ') || code.endsWith(' ')) return undefined;
      html += `<code>${escapeText(code)}</code>`;
      i = end;
    } else if (char === '[') {
      const rest = text.slice(i);
      const link = LINK.exec(rest);
      if (link) {
        const url = link[2]!.replaceAll('&amp;', '&');
        const label = link[1]!;
        if (text[i - 1] === '!' || CHARACTER_REFERENCE.test(url) || CHARACTER_REFERENCE.test(label)) return undefined;
        // A link's text is no literal link: GFM makes none inside an open `[`, and its walk
        // skips links. Its `&` is text (vendor labels show the URL, `?a=1&b=2`), and so is
        // an escaped character (`Q280838\_w2k`).
        html += `<a href="${url.replaceAll('&', '&#x26;')}">${escapeText(label.includes('\\') ? label.replace(ESCAPED, '$1') : label)}</a>`;
        i += link[0].length - 1;
      } else {
        const brackets = TEXT_BRACKETS.exec(rest);
        if (!brackets) return undefined;
        textBracketEnd = i + brackets[0].length - 1;
        plain += char;
        html += char;
      }
    } else if (char === ']' && i === textBracketEnd) {
      plain += char;
      html += char;
    } else if (char === '&') {
      const reference = CHARACTER_REFERENCE_AT.exec(text.slice(i, i + 12));
      if (reference) {
        const code = reference[2] ? Number(reference[2]) : reference[3] ? Number.parseInt(reference[3], 16) : -1;
        if (code >= 0 && (code < 0x20 || code > 0x7e)) return undefined;
        const decoded = code >= 0 ? String.fromCharCode(code) : NAMED[reference[1]!]!;
        plain += decoded;
        html += escapeText(decoded);
        i += reference[0].length - 1;
      } else if (REFERENCE_LIKE.test(text.slice(i, i + 40))) {
        return undefined;
      } else {
        plain += char;
        html += escapeText(char);
      }
    } else if (char === '<') {
      const autolink = text[i + 1] === 'h' ? AUTOLINK.exec(text.slice(i)) : null;
      if (autolink) {
        // An autolink's URL is taken as written (no references are decoded), so one that
        // could hold a reference is left to the pipeline.
        const url = autolink[1]!;
        if (CHARACTER_REFERENCE.test(url)) return undefined;
        const escaped = url.replaceAll('&', '&#x26;');
        html += `<a href="${escaped}">${escaped}</a>`;
        i += autolink[0].length - 1;
        continue;
      }
      const tag = BARE_TAG.exec(text.slice(i, i + 64));
      if (!tag) return undefined;
      i += tag[0].length - 1;
    } else if (char === ' ') {
      // Spaces before a line ending end the line: two or more make a hard break; at the
      // end of the text (a paragraph's last line) they go.
      let end = i;
      while (text[end] === ' ') end++;
      if (end === text.length) break;
      if (text[end] === '\n') {
        html += end - i >= 2 ? '<br>\n' : '\n';
        plain += '\n';
        i = end;
      } else {
        plain += text.slice(i, end);
        html += text.slice(i, end);
        i = end - 1;
      }
    } else if (UNHANDLED.test(char)) {
      return undefined;
    } else {
      plain += char;
      html += char;
    }
  }
  if (open || LITERAL_LINK.test(plain) || plain.includes('@')) return undefined;
  return html;
}
