/**
 * Markdown to safe HTML for bulletin text (remark → rehype → sanitize). Content comes
 * from many hands and from importers, so raw HTML is never passed through: `<script>`,
 * event handlers, `<iframe>`, `<style>` and `javascript:` / `data:` / `vbscript:` links
 * are dropped by rehype-sanitize's GitHub-like schema.
 *
 * The unified pipeline is the renderer of record; for speed a document is rendered in runs
 * of top-level blocks (`splitMarkdownBlocks`), each run remembered (vendor bulletins share
 * whole sections), and a paragraph, a table, a list or a heading whose text holds only
 * the common inline syntax (src/lib/markdown-inline.ts) skips the pipeline.
 * The output is byte for byte
 * the pipeline's on the whole document (tests/render-markdown.test.ts).
 */
import rehypeSanitize, { defaultSchema } from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified, type Processor } from 'unified';
import { plainHeadingHtml, plainListHtml, plainParagraphHtml, splitMarkdownBlocks } from './markdown-blocks.ts';
import { plainTableHtml } from './markdown-table.ts';

const schema = {
  ...defaultSchema,
  // Heading ids are added by rehype-sanitize's clobber prefix; keep links to them working.
  protocols: { ...defaultSchema.protocols, href: ['http', 'https', 'mailto'] },
};

const processor = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(remarkRehype)
  .use(rehypeSanitize, schema)
  .use(rehypeStringify)
  .freeze();

/**
 * mdast-util-gfm-autolink-literal turns `www.`, `http(s)://` and `…@…` in text into links
 * with a search-and-replace walk over every text node of the tree, after parsing: a sixth
 * of the pipeline's time on bulletin text. Where the source can produce none of those
 * (not even through an entity or a backslash escape: the test runs on the source without
 * its backslashes, and any character reference counts) the walk changes nothing, so
 * `processorWithoutLiteralLinks` drops it and keeps everything else, including the
 * micromark syntax of literal links.
 *
 * Vendor text links almost every URL it shows (`[https://…](https://…)`, `<https://…>`),
 * and neither a link's destination nor its text is a text node the walk may change (it
 * skips links; GFM's syntax makes no literal link inside an open `[`). So inline links and
 * autolinks are taken out of the source before the test, but only where they cannot be
 * anything else: not after a backslash or a `]` (a full reference link would leave the
 * parenthesis as text), with no brackets, backticks, angle brackets, pipes (a table cell
 * ends there), backslashes or line breaks inside, no `[^` (a footnote call) and no
 * whitespace or parentheses in the destination. Vendor runs with a literal-link source
 * fell from 16.1 to 8.8 M characters on the imported archive (bench/README.md).
 */
const LITERAL_LINK_SOURCE = /:\/\/|www\.|@|&[#a-z]/i;
const LITERAL_LINK_TRANSFORM = 'transformGfmAutolinkLiterals';
const INLINE_LINK = /(?<![\\\]])!?\[(?!\^)[^[\]\\`<>|\n]*\]\([^()\s<>\\`|]*\)/g;
const AUTOLINK = /(?<!\\)<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>\\`|]*>/g;

const withoutBackslashes = (text: string) => (text.includes('\\') ? text.replaceAll('\\', '') : text);

function mayHoldLiteralLink(markdown: string): boolean {
  if (!LITERAL_LINK_SOURCE.test(withoutBackslashes(markdown))) return false;
  // Links are found while their escapes are still there. One pass each: what a removal
  // joins up (`[[a](b)](http://x)` leaves `[](http://x)`, text) is tested as it stands.
  return LITERAL_LINK_SOURCE.test(withoutBackslashes(markdown.replace(INLINE_LINK, '').replace(AUTOLINK, '')));
}

/**
 * The rest of GFM's syntax needs characters of its own: `|` or, in a one-column table
 * without pipes, `:-` or `-:` (a delimiter row), `~` (strikethrough), `[^` (footnotes),
 * `[ ]`/`[x]` (task list items). Text
 * with none of them and no literal link parses the same without remark-gfm, and
 * micromark tokenises it about a third faster without GFM's constructs (measured on the
 * imported archive's list-heavy sections), so `commonMarkProcessor` renders it.
 */
const GFM_SYNTAX = /[|~]|:-|-:|\[\^|\[[\s xX]\]/;

/** Which processor a text needs: 2 all of GFM, 1 GFM without the literal-link walk, 0 none. */
function gfmNeeds(markdown: string): 0 | 1 | 2 {
  if (mayHoldLiteralLink(markdown)) return 2;
  return GFM_SYNTAX.test(markdown) ? 1 : 0;
}

interface MdastExtension {
  transforms?: Array<(tree: never) => unknown>;
}
type MdastExtensions = ReadonlyArray<MdastExtension | MdastExtensions>;

/** A remark plugin, after remark-gfm: removes its literal-link transform, nothing else. */
function dropLiteralLinkTransform(this: Processor) {
  let dropped = 0;
  const strip = (extensions: MdastExtensions): MdastExtensions =>
    extensions.map((extension) => {
      if (isExtensionList(extension)) return strip(extension);
      const transforms = extension.transforms?.filter((transform) => transform.name !== LITERAL_LINK_TRANSFORM);
      if (!transforms || transforms.length === extension.transforms!.length) return extension;
      dropped++;
      return { ...extension, transforms };
    });
  const stripped = strip((this.data('fromMarkdownExtensions') ?? []) as MdastExtensions);
  // A remark-gfm that renames its transform must fail here, not quietly render links as text.
  if (dropped !== 1) throw new Error(`render-markdown: expected remark-gfm to have one ${LITERAL_LINK_TRANSFORM} transform, found ${dropped}`);
  this.data('fromMarkdownExtensions', stripped as never);
}

function isExtensionList(extension: MdastExtension | MdastExtensions): extension is MdastExtensions {
  return Array.isArray(extension);
}

const processorWithoutLiteralLinks = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(dropLiteralLinkTransform)
  .use(remarkRehype)
  .use(rehypeSanitize, schema)
  .use(rehypeStringify)
  .freeze();

const commonMarkProcessor = unified().use(remarkParse).use(remarkRehype).use(rehypeSanitize, schema).use(rehypeStringify).freeze();

const PROCESSORS = [commonMarkProcessor, processorWithoutLiteralLinks, processor] as const;

/**
 * HTML of runs seen before. Bounded by the characters it holds, and emptied when full, so a
 * long build's memory stays flat; a cleared entry only costs one more render.
 */
const runCache = new Map<string, string>();
const CACHE_CHARS = 24_000_000;
let cachedChars = 0;

function remember(run: string, html: string): void {
  if (cachedChars > CACHE_CHARS) {
    runCache.clear();
    cachedChars = 0;
  }
  runCache.set(run, html);
  cachedChars += run.length + html.length;
}

/** The pipeline on a whole document, without the parts of GFM that cannot matter to it. */
function renderWhole(markdown: string, needs = gfmNeeds(markdown)): string {
  return String(PROCESSORS[needs].processSync(markdown));
}

/**
 * A paragraph of private-use characters put after runs rendered together: one pipeline
 * call costs ~0.1 ms before it reads a character (micromark and mdast-util-from-markdown
 * set up their extensions on every call), more than a short run costs to parse, so runs
 * are rendered in batches and the batch's HTML is cut at the separator's paragraph.
 * `splitMarkdownBlocks` leaves documents holding U+E000 in one piece.
 */
const SEPARATOR = '\uE000kb-run\uE001';
const SEPARATOR_HTML = `<p>${SEPARATOR}</p>`;
/** Batch limits: micromark slows down per character on long documents. */
const BATCH_RUNS = 24;
const BATCH_CHARS = 12_000;

/**
 * HTML of each run, rendered together, or `undefined` if the HTML does not cut cleanly.
 *
 * A run renders as it does in its document only when followed by what followed it there:
 * a list item's fenced code keeps its last blank lines when a block comes after the list,
 * not at the end of the document. So every run but a document's last is followed by the
 * separator (in its document, by a block starting in column 0 after a blank line), and
 * the last run (`endsDocument`) is last in the batch and followed by nothing.
 */
function renderBatch(runs: readonly string[], endsDocument: boolean, needs: 0 | 1 | 2): string[] | undefined {
  let source = '';
  for (const [i, run] of runs.entries()) {
    source += run;
    if (!(endsDocument && i === runs.length - 1)) source += `\n${SEPARATOR}\n\n`;
  }
  // The batch needs what its runs need: the separator needs nothing and keeps runs apart.
  const pieces = renderWhole(source, needs).split(SEPARATOR_HTML);
  // One piece per run, and after a last separator an empty one.
  if (pieces.length !== runs.length + 1 - (endsDocument ? 1 : 0) || (!endsDocument && pieces.at(-1) !== '')) return undefined;
  // Top-level blocks are joined with a newline; the separator's own newlines go.
  return runs.map((_, i) => {
    let piece = pieces[i]!;
    if (i > 0 && piece.startsWith('\n')) piece = piece.slice(1);
    if (i < pieces.length - 1 && piece.endsWith('\n')) piece = piece.slice(0, -1);
    return piece;
  });
}

/** Renders Markdown to sanitized HTML. */
export function renderMarkdown(markdown: string): string {
  if (markdown.trim() === '') return '';
  const runs = splitMarkdownBlocks(markdown);
  if (!runs) return renderWhole(markdown);
  // The last run renders as at the end of a document, the others as followed by a block:
  // two cache entries (NUL never occurs in a split document).
  const keys = runs.map((run, i) => (i === runs.length - 1 ? `${run}\0` : run));
  const html = runs.map((run, i) => runCache.get(keys[i]!) ?? plainParagraphHtml(run) ?? plainTableHtml(run) ?? plainListHtml(run) ?? plainHeadingHtml(run));
  // Runs are batched by what they need of GFM, so a batch is rendered without what none
  // of its runs needs (the separator needs nothing).
  const left = runs.flatMap((_run, i) => (html[i] === undefined ? [i] : []));
  const needs = left.map((i) => gfmNeeds(runs[i]!));
  for (const level of [2, 1, 0] as const) {
    const todo = left.filter((_, k) => needs[k] === level);
    if (todo.length > 0 && !renderRuns(runs, keys, todo, html, level)) return renderWhole(markdown);
  }
  let out = '';
  for (const piece of html) {
    // A run of nothing but raw HTML renders to nothing, and so adds no separator either.
    if (piece) out = out ? `${out}\n${piece}` : piece;
  }
  return out;
}

/**
 * Renders the runs at indices `todo` (in document order, so a document's last run is last
 * in its batch too) into `html`, and remembers them; false if a batch did not cut cleanly.
 */
function renderRuns(runs: readonly string[], keys: readonly string[], todo: readonly number[], html: Array<string | undefined>, needs: 0 | 1 | 2): boolean {
  for (let first = 0; first < todo.length; ) {
    let last = first + 1;
    for (let chars = runs[todo[first]!]!.length; last < todo.length && last - first < BATCH_RUNS; last++) {
      chars += runs[todo[last]!]!.length;
      if (chars > BATCH_CHARS) break;
    }
    const batch = todo.slice(first, last);
    const rendered = renderBatch(
      batch.map((i) => runs[i]!),
      batch.at(-1) === runs.length - 1,
      needs,
    );
    if (!rendered) return false;
    batch.forEach((i, k) => {
      html[i] = rendered[k]!;
      remember(keys[i]!, rendered[k]!);
    });
    first = last;
  }
  return true;
}
