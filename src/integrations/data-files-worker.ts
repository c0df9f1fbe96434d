/**
 * Worker thread of src/integrations/data-files.ts. Receives the bulletins in batches
 * (`{ bulletins }`, answered with `{ ready: true }` once written, so at most one batch is in
 * flight and memory stays flat), writes each bulletin's data files (src/lib/data-files.ts);
 * on `{ done: true }` writes the lists over all bulletins and the single-bulletin KB/CVE
 * pages (src/lib/resolver-page.ts), posts how many files and bytes it wrote, and exits.
 */
import { createHash } from 'node:crypto';
import { mkdir, open, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import type { SiteBulletin } from '../data/bulletins.ts';
import { bulletinDataFiles, forLists, listDataFiles, textSlices, type DataFile } from '../lib/data-files.ts';
import { resolverPages } from '../lib/resolver-page.ts';
import { paths } from '../lib/urls.ts';

const { outDir } = workerData as { outDir: string };
const port = parentPort!;

/** Writes take a libuv thread each; a few at once keep them busy while this thread builds the next. */
const IN_FLIGHT = 16;

// One mkdir per folder; later writes into it wait for that one.
const folders = new Map<string, Promise<unknown>>();

/**
 * Text above this many UTF-16 units is written in slices: the list files reach 65 MB at
 * 5,000 bulletins, and a whole-file Buffer copy of each was most of the process's peak.
 */
const SLICE = 1 << 20;

async function write(file: DataFile): Promise<number> {
  const target = path.join(outDir, file.path);
  const folder = path.dirname(target);
  let made = folders.get(folder);
  if (!made) folders.set(folder, (made = mkdir(folder, { recursive: true })));
  await made;
  const { content } = file;
  if (content.length <= SLICE) {
    const bytes = Buffer.from(content, 'utf8');
    await writeFile(target, bytes);
    return bytes.byteLength;
  }
  const handle = await open(target, 'w');
  try {
    for (const slice of textSlices(content, SLICE)) await handle.write(slice, null, 'utf8');
  } finally {
    await handle.close();
  }
  return Buffer.byteLength(content, 'utf8');
}

let files = 0;
let bytes = 0;
async function writeAll(list: Iterable<DataFile>, inFlight = IN_FLIGHT): Promise<void> {
  const pending = new Set<Promise<void>>();
  for (const file of list) {
    const job: Promise<void> = write(file).then((n) => {
      files++;
      bytes += n;
      pending.delete(job);
    });
    pending.add(job);
    if (pending.size >= inFlight) await Promise.race(pending);
  }
  await Promise.all(pending);
}

// What the lists need of every bulletin (no bodies, no HTML), and the digest of each API
// document written here, which the API index lists: no document is rendered twice.
const kept: SiteBulletin[] = [];
const digests = new Map<string, string>();
function* bulletinFiles(bulletins: readonly SiteBulletin[]): Generator<DataFile> {
  for (const bulletin of bulletins) {
    const api = paths.apiBulletin(bulletin.id);
    for (const file of bulletinDataFiles(bulletin)) {
      if (file.path === api) digests.set(bulletin.id, createHash('sha256').update(file.content).digest('hex'));
      yield file;
    }
    kept.push(forLists(bulletin));
  }
}
async function writeFinalFiles(): Promise<void> {
  // The lists are the largest files (tens of MB each at 5,000 bulletins): one at a time,
  // each made only when the one before is written.
  await writeAll(listDataFiles(kept, (b) => digests.get(b.id)!), 1);
  // Whether a KB number or CVE has one bulletin depends on all of them: one pass over the list.
  await writeAll(resolverPages(kept));
}

// One message at a time: the next batch is only sent after `ready`, but `done` follows the
// last batch's `ready`, so a queue keeps the order explicit.
let queue: Promise<void> = Promise.resolve();
port.on('message', (message: { bulletins?: SiteBulletin[]; done?: true }) => {
  queue = queue.then(async () => {
    if (message.bulletins) {
      await writeAll(bulletinFiles(message.bulletins));
      port.postMessage({ ready: true });
    } else if (message.done) {
      await writeFinalFiles();
      // Its heap at the end (what it kept for the lists), for the build's log.
      port.postMessage({ files, bytes, heapBytes: getHeapStatistics().total_heap_size });
      port.close();
    }
  });
  // A failed write ends the worker with the error (the 'error' event on the main side).
  queue.catch((error: unknown) => {
    throw error;
  });
});
