/**
 * Renders the content's Markdown on worker threads, one per core. Markdown was the content
 * phase's largest cost: 101 MB of it in the imported Microsoft archive took micromark and
 * the unified pipeline ~19 s of CPU on Astro's one thread, plus most of its 11.7 s of
 * garbage collection (bench/README.md). Rendering is a pure function of the text
 * (src/lib/render-markdown.ts), so which thread renders a document changes no byte.
 *
 * Small content is rendered on the calling thread: a worker takes ~0.2 s to start (it
 * loads the unified pipeline), more than a few megabytes of Markdown take to render.
 * `KB_MARKDOWN_THREADS` sets the number of workers (0: none); the tests' site is built
 * with two, so every page test also covers the workers' output. By default there is one
 * worker per core the build leaves free (`workerCount`).
 */
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { renderMarkdown } from '../lib/render-markdown.ts';
import { coresLeft, searchIndexBeside } from '../lib/site-config.ts';

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
  /** Worker threads; default `KB_MARKDOWN_THREADS`, else `workerCount`. */
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
  const fresh = [...new Set(documents.filter((document) => !previous.has(document)))];
  const rendered = await renderMarkdownAll(fresh, options);
  const byText = new Map<string, string>();
  fresh.forEach((document, index) => byText.set(document, rendered.html[index]!));
  let reused = 0;
  const html = documents.map((document) => {
    const known = byText.get(document);
    if (known !== undefined) return known;
    reused++;
    const kept = previous.get(document)!;
    byText.set(document, kept);
    return kept;
  });
  return { html, threads: rendered.threads, chars: rendered.chars, reused, byText };
}

/** Renders every document, on worker threads when there is much Markdown (see the module comment). */
export async function renderMarkdownAll(documents: readonly string[], options: MarkdownPoolOptions = {}): Promise<RenderedMarkdown> {
  let chars = 0;
  for (const document of documents) chars += document.length;
  const threads = options.threads ?? configuredThreads() ?? workerCount(chars, availableParallelism(), searchIndexBeside());
  if (threads < 1 || documents.length === 0) return { html: documents.map(renderMarkdown), threads: 0, chars };
  const ranges = batches(documents, options.batchChars ?? BATCH_CHARS);
  const used = Math.min(threads, ranges.length);
  return { html: await renderOnWorkers(documents, ranges, used), threads: used, chars };
}

/**
 * Default number of Markdown workers for `chars` UTF-16 units of Markdown on `cores` cores:
 * none for small content, else one per core, less the core of the search process when
 * `npm run build` runs it beside Astro (`searchBeside`, `searchIndexBeside()`): that
 * process parses and tokenises on its own core for the whole content phase, and a second
 * worker on two cores only made three threads share them. On the imported archive
 * (6 alternated pairs) one worker instead of two took 2.1 to 4.2 s less CPU in 5 of 6
 * builds, the search index was done 3.4 to 5.1 s sooner in all 6, and the build was 0.3 to
 * 1.5 s faster in 5; at 5,000 generated bulletins the pairs went with whichever build ran
 * first (bench/README.md, round 20).
 */
export function workerCount(chars: number, cores: number, searchBeside: boolean): number {
  return chars < PARALLEL_CHARS ? 0 : coresLeft(cores, searchBeside);
}

/** `KB_MARKDOWN_THREADS`: a whole number of workers (0: the calling thread), or unset. */
function configuredThreads(): number | undefined {
  const raw = process.env.KB_MARKDOWN_THREADS;
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d{1,3}$/.test(raw)) throw new Error(`KB_MARKDOWN_THREADS must be a whole number of worker threads (0 renders on the build's own thread), not "${raw}"`);
  return Number(raw);
}

/** Consecutive index ranges of `documents`, each within the batch limits. */
function batches(documents: readonly string[], batchChars: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = 0;
  let chars = 0;
  for (let i = 0; i < documents.length; i++) {
    chars += documents[i]!.length;
    if (chars >= batchChars || i + 1 - start >= BATCH_DOCUMENTS) {
      out.push([start, i + 1]);
      start = i + 1;
      chars = 0;
    }
  }
  if (start < documents.length) out.push([start, documents.length]);
  return out;
}

function renderOnWorkers(documents: readonly string[], ranges: Array<[number, number]>, threads: number): Promise<string[]> {
  const html: string[] = new Array<string>(documents.length);
  const script = fileURLToPath(new URL('./markdown-worker.ts', import.meta.url));
  const workers: Worker[] = [];
  return new Promise<string[]>((resolve, reject) => {
    let next = 0;
    let answered = 0;
    let failed = false;
    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      for (const worker of workers) void worker.terminate();
      reject(error);
    };
    const send = (worker: Worker) => {
      if (next >= ranges.length) return;
      const id = next++;
      const [from, to] = ranges[id]!;
      worker.postMessage({ id, documents: documents.slice(from, to) });
    };
    for (let t = 0; t < threads; t++) {
      const worker = new Worker(script, { resourceLimits: { maxYoungGenerationSizeMb: YOUNG_MB, maxOldGenerationSizeMb: OLD_MB } });
      workers.push(worker);
      worker.on('message', (message: { id: number; html?: string[]; error?: string }) => {
        if (failed) return;
        if (message.error !== undefined) return fail(new Error(`rendering Markdown failed: ${message.error}`));
        const [from] = ranges[message.id]!;
        message.html!.forEach((text, k) => (html[from + k] = text));
        if (++answered === ranges.length) {
          for (const w of workers) void w.terminate();
          resolve(html);
        } else send(worker);
      });
      worker.on('error', (error) => fail(new Error(`a Markdown worker failed: ${error.message}`)));
      worker.on('exit', (code) => {
        if (answered < ranges.length) fail(new Error(`a Markdown worker stopped (exit code ${code}) before the content was rendered`));
      });
      // Two batches each: one to render, one waiting, so no worker idles on a round trip.
      send(worker);
      send(worker);
    }
  });
}
