/**
 * The content loader renders Markdown on worker threads when there is much of it
 * (src/integrations/markdown-pool.ts). Which thread renders a document must change no
 * byte and no order, and a document that cannot be rendered must fail the build with the
 * reason, not hang it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderMarkdownAll, renderMarkdownChanged, workerCount } from '../src/integrations/markdown-pool.ts';
import { renderMarkdown } from '../src/lib/render-markdown.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

/** Every Markdown file of the repository's content and test fixtures, front matter and all. */
function markdownFiles(): string[] {
  const out: string[] = [];
  for (const dir of ['content', 'tests/fixtures']) {
    for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })) {
      if (entry.isFile() && entry.name.endsWith('.md')) out.push(readFileSync(path.join(entry.parentPath, entry.name), 'utf8'));
    }
  }
  return out;
}

describe('renderMarkdownAll', () => {
  it('gives, on worker threads, what renderMarkdown gives on this one, in order', async () => {
    const files = markdownFiles();
    expect(files.length).toBeGreaterThan(5);
    // Enough documents for several batches per worker, with repeats (the run cache) and
    // empty texts (a bulletin without a comment) mixed in.
    const documents: string[] = [];
    for (let round = 0; round < 12; round++) {
      for (const [i, file] of files.entries()) documents.push(file, '', `**Round ${round}**, file ${i}\n\n| a | b |\n| --- | --- |\n| ${round} | ${i} |\n`);
    }
    const expected = documents.map(renderMarkdown);
    const { html: onWorkers, threads } = await renderMarkdownAll(documents, { threads: 3, batchChars: 20_000 });
    expect(threads).toBe(3);
    expect(onWorkers).toHaveLength(documents.length);
    expect(onWorkers).toEqual(expected);
    expect(onWorkers[2]).toContain('<td>0</td>');
  });

  it('renders small content on the calling thread by default, with the same result', async () => {
    const documents = ['# Title\n\nText with **bold** and `code`.', '- one\n- two'];
    expect(await renderMarkdownAll(documents)).toEqual({ html: documents.map(renderMarkdown), threads: 0, chars: documents.join('').length });
  });

  it('uses the cores the build leaves free: none for small content, one less beside the search process', () => {
    expect(workerCount(3_999_999, 2, false)).toBe(0);
    expect(workerCount(3_999_999, 2, true)).toBe(0);
    expect(workerCount(4_000_000, 2, false)).toBe(2);
    // npm run build: the search index runs in its own process on the second core.
    expect(workerCount(54_000_000, 2, true)).toBe(1);
    expect(workerCount(54_000_000, 8, true)).toBe(7);
    // One core still renders on a worker, not on the thread that waits for the pages.
    expect(workerCount(54_000_000, 1, true)).toBe(1);
  });

  it('fails with the reason when a worker cannot render a document', async () => {
    const documents = ['fine', 42 as unknown as string];
    await expect(renderMarkdownAll(documents, { threads: 2 })).rejects.toThrow(/rendering Markdown failed: .*trim is not a function/s);
  });
});

describe('renderMarkdownChanged', () => {
  it('renders only the texts a save changed and keeps the others\' html, in order', async () => {
    const before = ['# One\n\nfirst', '', '- a\n- b', 'unchanged **text**'];
    const first = await renderMarkdownChanged(before, new Map());
    expect(first.html).toEqual(before.map(renderMarkdown));
    expect(first.reused).toBe(0);

    // One text edited, one removed, one added; the rest as before.
    const after = ['# One\n\nfirst, edited', '', 'unchanged **text**', 'new *text*'];
    const second = await renderMarkdownChanged(after, first.byText);
    expect(second.html).toEqual(after.map(renderMarkdown));
    expect(second.reused).toBe(2);
    expect(second.chars).toBe('# One\n\nfirst, edited'.length + 'new *text*'.length);
    // What no longer exists is not kept for the next reload.
    expect([...second.byText.keys()].sort()).toEqual([...new Set(after)].sort());
  });

  it('uses the html it was given for a known text rather than rendering it again', async () => {
    const kept = new Map([['# Same', '<h1>kept from the last load</h1>']]);
    expect((await renderMarkdownChanged(['# Same'], kept)).html).toEqual(['<h1>kept from the last load</h1>']);
  });
});
