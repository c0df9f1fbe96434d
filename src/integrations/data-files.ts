/**
 * `npm run build` writes the per-bulletin files that are not pages (src/lib/data-files.ts)
 * and the single-bulletin KB/CVE forwarding pages (src/lib/resolver-page.ts) in a worker
 * thread, on the second core, while Astro renders the pages. Through Astro's routes they
 * were about 60% of the route time at 5,000 bulletins for a few percent of the bytes
 * (bench/README.md), and they need nothing Astro does: the bulletins are in memory once the
 * content loader has rendered their Markdown.
 *
 * The loader starts the worker (`startDataWorker`); this integration waits for it when
 * Astro has written the pages and moves its files into the site. The worker writes into a
 * folder of its own (`KB_DATA_DIR`, set by bin/build.mjs) so nothing it writes can meet a
 * file Astro writes, and a failure on either side fails the build before the swap.
 * Without `KB_DATA_WORKER=1` (a plain `astro build`, `astro dev`) the routes render the same
 * files.
 */
import type { AstroIntegration } from 'astro';
import { existsSync } from 'node:fs';
import { lstat, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { dataWorkerInBuild } from '../lib/site-config.ts';
import type { SiteBulletin } from '../data/bulletins.ts';

export interface DataWorkerReport {
  files: number;
  bytes: number;
  /** The worker's V8 heap when it finished. */
  heapBytes: number;
  milliseconds: number;
}

const KEY = Symbol.for('bulletin-kb.data-worker');
/** Bulletins per message to the worker. */
const BATCH = 100;
type WithWorker = typeof globalThis & { [KEY]?: Promise<DataWorkerReport> };

/** Where the worker writes (bin/build.mjs names it next to the build's temp folder). */
function stagingDir(): string {
  const dir = process.env.KB_DATA_DIR;
  if (!dir) throw new Error('KB_DATA_WORKER=1 needs KB_DATA_DIR (the folder the data worker writes into); run the build with "npm run build"');
  return path.resolve(dir);
}

/**
 * Starts writing the data files of `bulletins` in a worker thread (build only; a no-op
 * otherwise). The key is a global symbol because the content loader and this integration
 * are loaded as separate module copies.
 */
export function startDataWorker(bulletins: readonly SiteBulletin[]): void {
  if (!dataWorkerInBuild()) return;
  const outDir = stagingDir();
  const script = fileURLToPath(new URL('./data-files-worker.ts', import.meta.url));
  const started = performance.now();
  (globalThis as WithWorker)[KEY] = new Promise<DataWorkerReport>((resolve, reject) => {
    // The worker keeps only what the lists need (`forLists`: 136 MB for 5,000 generated
    // bulletins, measured); without a limit of its own it would take the build's
    // --max-old-space-size, sized for the whole site, a second time. V8 collects lazily up
    // to the limit: at 5,000 with 128 MB + 48 KB a bulletin its heap ended at 454 MB and
    // the process peaked at 2.2 GB; the garbage is short-lived file text.
    const heapMb = 128 + Math.ceil((bulletins.length * 24) / 1024);
    const worker = new Worker(script, { workerData: { outDir }, resourceLimits: { maxOldGenerationSizeMb: heapMb } });
    // Batches, one in flight: a copy of every bulletin at once would be a second site in
    // memory (at 5,000 bulletins the process passed 2 GB that way).
    let next = 0;
    const send = () => {
      if (next >= bulletins.length) return worker.postMessage({ done: true });
      worker.postMessage({ bulletins: bulletins.slice(next, (next += BATCH)) });
    };
    let report: Omit<DataWorkerReport, 'milliseconds'> | undefined;
    worker.on('message', (message: { ready?: true } & Omit<DataWorkerReport, 'milliseconds'>) => {
      if (message.ready) send();
      else report = message;
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (code === 0 && report) resolve({ ...report, milliseconds: performance.now() - started });
      else reject(new Error(`the data worker stopped with exit code ${code} before writing every file`));
    });
    send();
  });
  // A failure is reported when the build waits for the worker; until then it must not
  // crash the process as an unhandled rejection.
  (globalThis as WithWorker)[KEY]!.catch(() => {});
}

/**
 * Moves every entry of `from` into `to`, folder by folder: a folder `to` lacks is renamed
 * whole. Two files at one path mean a route and the worker both wrote it: an error.
 */
export async function mergeInto(from: string, to: string, root = to): Promise<void> {
  for (const name of await readdir(from)) {
    const source = path.join(from, name);
    const target = path.join(to, name);
    if (!existsSync(target)) {
      await rename(source, target);
      continue;
    }
    const [a, b] = await Promise.all([lstat(source), lstat(target)]);
    if (!a.isDirectory() || !b.isDirectory()) {
      throw new Error(`${path.relative(root, target).split(path.sep).join('/')} was written twice (by an Astro route and by the data worker): a route must list no paths when dataWorkerInBuild()`);
    }
    await mergeInto(source, target, root);
  }
}

/** The Astro integration: `integrations: [dataFiles()]` in `astro.config.mjs`. */
export default function dataFiles(): AstroIntegration {
  return {
    name: 'bulletin-kb-data-files',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        if (!dataWorkerInBuild()) return;
        const running = (globalThis as WithWorker)[KEY];
        if (!running) throw new Error('the data worker never started: the content loader did not run in this process');
        const report = await running;
        const staging = stagingDir();
        await mergeInto(staging, fileURLToPath(dir));
        await rm(staging, { recursive: true, force: true });
        const mib = (n: number) => `${(n / 1048576).toFixed(0)} MiB`;
        const own = process.memoryUsage();
        logger.info(`${report.files} data files (${(report.bytes / 1048576).toFixed(1)} MiB) written beside the pages in ${(report.milliseconds / 1000).toFixed(1)} s; memory: process ${mib(own.rss)}, heap ${mib(own.heapTotal)}, worker heap ${mib(report.heapBytes)}, buffers ${mib(own.external)}`);
      },
    },
  };
}
