/**
 * Renders the content's Markdown on worker threads, one per core. Markdown was the content
 * phase's largest cost: 101 MB of it in the imported Microsoft archive took micromark and
 * the unified pipeline ~19 s of CPU on Astro's one thread, plus most of its 11.7 s of
 * garbage collection (bench/README.md). Rendering is a pure function of the text
 * (src/lib/render-markdown.ts), so which thread renders a document changes no byte.
 *
 * The build streams it: the loader adds each bulletin's texts as its folder parses
 * (`startMarkdownStream`), and the workers render while the loader's thread parses the rest.
 * At 5,000 generated bulletins the content phase took 8.4-8.8 s instead of 9.1-10.4 s
 * (three builds each, bench/README.md round 15).
 *
 * Small content is rendered on the calling thread: a worker takes ~0.2 s to start (it
 * loads the unified pipeline), more than a few megabytes of Markdown take to render.
 * `KB_MARKDOWN_THREADS` sets the number of workers (0: none); the tests' site is built
 * with two, so every page test also covers the workers' output.
 */
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { renderMarkdown } from '../lib/render-markdown.ts';

/** Below this many UTF-16 units in all, the calling thread renders everything. */
const PARALLEL_CHARS = 4_000_000;
/** Units per message: enough to make a message's cost negligible, few enough to share the tail. */
const BATCH_CHARS = 256_000;
const BATCH_DOCUMENTS = 2_000;
/**
 * Young generation of each worker: 64 MB semi-spaces (V8 counts three of them), the size
 * `npm run build` gives every isolate (bin/build.mjs). Parsing allocates short-lived syntax
 * trees by the megabyte; with V8's default (16 MB semi-spaces) a third of the content phase
 * was scavenging, with 32 MB each worker still spent 2.9 s of the real archive's content
 * phase in 308-324 scavenges, with 64 MB 2.2 s in 170. Bounded, so memory stays as
 * planned: the workers exit before pages render.
 */
const YOUNG_MB = 192;
/** Each worker's old generation: its run cache (~50 MB) and the largest document's trees. */
const OLD_MB = 512;

export interface MarkdownPoolOptions {
  /** Worker threads; default `KB_MARKDOWN_THREADS`, else one per core, and none for small content. */
  threads?: number;
  /** UTF-16 units per message to a worker. */
  batchChars?: number;
}

export interface RenderedMarkdown {
  /** The HTML of each document (`renderMarkdown`), in order. */
  html: string[];
  /** Worker threads that rendered it (0: the calling thread). */
  threads: number;
  /** UTF-16 units of Markdown in all. */
  chars: number;
}

export interface StreamedMarkdown {
  /** The HTML of every document added, by its text. */
  byText: Map<string, string>;
  /** Worker threads that rendered it (0: the calling thread). */
  threads: number;
  /** UTF-16 units of Markdown added, repeats included. */
  chars: number;
}

/**
 * Markdown rendered while it is still being added. The build's loader adds each bulletin's
 * texts as soon as its folder is parsed, so the workers render on the second core while the
 * loader's thread parses the rest, instead of after it (at 5,000 bulletins the two took
 * about 5 s each, one after the other).
 */
export interface MarkdownStream {
  /** Queues a document. A text added before is rendered once. */
  add(document: string): void;
  /** Renders what is still queued and gives every added document's HTML. */
  finish(): Promise<StreamedMarkdown>;
  /** Stops the workers without waiting for them: the load failed and nobody needs the HTML. */
  cancel(): void;
  /** Distinct documents added so far, and how many of them are rendered already. */
  progress(): { added: number; rendered: number };
}

export interface ReusedMarkdown extends RenderedMarkdown {
  /** Distinct documents whose HTML came from `previous`. */
  reused: number;
  /** Every document's HTML by its text: `previous` for the next call. */
  byText: Map<string, string>;
}

/**
 * Renders only the documents `previous` has no HTML for, and gives every document's HTML in
 * order. For the dev server's reload after a save: the saved bulletin's texts are new, the
 * other thousands are not. `chars` and `threads` count what was rendered.
 */
export async function renderMarkdownChanged(
  documents: readonly string[],
  previous: ReadonlyMap<string, string>,
  options: MarkdownPoolOptions = {},
): Promise<ReusedMarkdown> {
  const stream = startMarkdownStream(options);
  for (const document of documents) if (!previous.has(document)) stream.add(document);
  const { byText, threads, chars } = await stream.finish();
  let reused = 0;
  const html = documents.map((document) => {
    const known = byText.get(document);
    if (known !== undefined) return known;
    reused++;
    const kept = previous.get(document)!;
    byText.set(document, kept);
    return kept;
  });
  return { html, threads, chars, reused, byText };
}

/** Renders every document, on worker threads when there is much Markdown (see the module comment). */
export async function renderMarkdownAll(documents: readonly string[], options: MarkdownPoolOptions = {}): Promise<RenderedMarkdown> {
  const stream = startMarkdownStream(options);
  for (const document of documents) stream.add(document);
  const { byText, threads, chars } = await stream.finish();
  return { html: documents.map((document) => byText.get(document)!), threads, chars };
}

/** `KB_MARKDOWN_THREADS`: a whole number of workers (0: the calling thread), or unset. */
function configuredThreads(): number | undefined {
  const raw = process.env.KB_MARKDOWN_THREADS;
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d{1,3}$/.test(raw)) throw new Error(`KB_MARKDOWN_THREADS must be a whole number of worker threads (0 renders on the build's own thread), not "${raw}"`);
  return Number(raw);
}

interface PoolWorker {
  worker: Worker;
  /** Batches sent and not answered yet. */
  busy: number;
}

/**
 * Starts rendering Markdown as it is added: on the calling thread when the threads are set
 * to 0 or, by default, while there are fewer than `PARALLEL_CHARS` in all; otherwise on
 * worker threads, started as batches fill up. Each worker holds at most two batches (one to
 * render, one waiting, so none idles on a round trip).
 */
export function startMarkdownStream(options: MarkdownPoolOptions = {}): MarkdownStream {
  const batchChars = options.batchChars ?? BATCH_CHARS;
  // undefined: not decided yet (the default waits for PARALLEL_CHARS of Markdown).
  let threads = options.threads ?? configuredThreads();
  const byText = new Map<string, string>();
  const added = new Set<string>();
  let chars = 0;
  /** Documents not yet in a batch sent (all of them while rendering stays on this thread). */
  let held: string[] = [];
  let heldChars = 0;
  const waiting: string[][] = [];
  const sent = new Map<number, string[]>();
  let nextId = 0;
  const workers: PoolWorker[] = [];
  let failure: Error | undefined;
  let stopped = false;
  let settle: (() => void) | undefined;
  const script = fileURLToPath(new URL('./markdown-worker.ts', import.meta.url));

  const stop = () => {
    stopped = true;
    for (const { worker } of workers) void worker.terminate();
  };
  const fail = (error: Error) => {
    if (stopped) return;
    failure ??= error;
    stop();
    settle?.();
  };
  const spawn = (): PoolWorker => {
    const entry: PoolWorker = {
      worker: new Worker(script, { resourceLimits: { maxYoungGenerationSizeMb: YOUNG_MB, maxOldGenerationSizeMb: OLD_MB } }),
      busy: 0,
    };
    entry.worker.on('message', (message: { id: number; html?: string[]; error?: string }) => {
      if (stopped) return;
      if (message.error !== undefined) return fail(new Error(`rendering Markdown failed: ${message.error}`));
      const batch = sent.get(message.id)!;
      sent.delete(message.id);
      message.html!.forEach((text, k) => byText.set(batch[k]!, text));
      entry.busy--;
      dispatch();
      if (sent.size === 0 && waiting.length === 0) settle?.();
    });
    entry.worker.on('error', (error) => fail(new Error(`a Markdown worker failed: ${error.message}`)));
    entry.worker.on('exit', (code) => {
      if (!stopped) fail(new Error(`a Markdown worker stopped (exit code ${code}) before the content was rendered`));
    });
    workers.push(entry);
    return entry;
  };
  /** Hands waiting batches to an idle worker, a new one while there are fewer than `threads`, or one with a single batch. */
  const dispatch = () => {
    while (waiting.length > 0 && !stopped) {
      const idle = workers.find((w) => w.busy === 0);
      const to = idle ?? (workers.length < threads! ? spawn() : workers.find((w) => w.busy < 2));
      if (!to) return;
      const batch = waiting.shift()!;
      const id = nextId++;
      sent.set(id, batch);
      to.busy++;
      to.worker.postMessage({ id, documents: batch });
    }
  };
  const cut = () => {
    if (held.length === 0) return;
    waiting.push(held);
    held = [];
    heldChars = 0;
  };

  return {
    add(document) {
      if (added.has(document)) {
        chars += document.length;
        return;
      }
      added.add(document);
      chars += document.length;
      held.push(document);
      heldChars += document.length;
      if (threads === undefined && chars >= PARALLEL_CHARS) threads = availableParallelism();
      if (threads === undefined || threads < 1 || stopped) return;
      if (heldChars >= batchChars || held.length >= BATCH_DOCUMENTS) {
        cut();
        dispatch();
      }
    },
    async finish() {
      if (threads === undefined || threads < 1) {
        stop();
        for (const document of held) byText.set(document, renderMarkdown(document));
        return { byText, threads: 0, chars };
      }
      cut();
      dispatch();
      if (!failure && (sent.size > 0 || waiting.length > 0)) await new Promise<void>((resolve) => (settle = resolve));
      const used = workers.length;
      stop();
      if (failure) throw failure;
      return { byText, threads: used, chars };
    },
    cancel: stop,
    progress: () => ({ added: added.size, rendered: byText.size }),
  };
}
