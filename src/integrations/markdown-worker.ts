/**
 * Worker thread of src/integrations/markdown-pool.ts: renders each batch of Markdown
 * documents it is sent (`{ id, documents }`) with `renderMarkdown` and answers
 * `{ id, html }`, or `{ id, error }` if a document could not be rendered. Its run cache
 * (src/lib/render-markdown.ts) lives as long as the worker, so sections a vendor repeats
 * are rendered once per worker.
 */
import { parentPort } from 'node:worker_threads';
import { renderMarkdown } from '../lib/render-markdown.ts';

const port = parentPort!;

port.on('message', ({ id, documents }: { id: number; documents: string[] }) => {
  try {
    port.postMessage({ id, html: documents.map(renderMarkdown) });
  } catch (error) {
    port.postMessage({ id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
