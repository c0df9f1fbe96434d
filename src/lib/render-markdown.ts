/**
 * Markdown to safe HTML for bulletin text (remark → rehype → sanitize). Content comes
 * from many hands and from importers, so raw HTML is never passed through: `<script>`,
 * event handlers, `<iframe>`, `<style>` and `javascript:` / `data:` / `vbscript:` links
 * are dropped by rehype-sanitize's GitHub-like schema.
 */
import rehypeSanitize, { defaultSchema } from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';

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

/** Renders Markdown to sanitized HTML. */
export function renderMarkdown(markdown: string): string {
  if (markdown.trim() === '') return '';
  return String(processor.processSync(markdown));
}
