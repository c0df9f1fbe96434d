/**
 * Worker thread of src/integrations/data-files.ts. Receives the bulletins in batches
 * (`{ bulletins }`, answered with `{ ready: true }` once written, so at most one batch is in
 * flight and memory stays flat), writes each bulletin's data files (src/lib/data-files.ts);
 * on `{ done: true }` writes the lists over all bulletins and the single-bulletin KB/CVE
 * pages (src/lib/resolver-page.ts), posts how many files and bytes it wrote, and exits.
 */
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import type { SiteBulletin } from '../data/bulletins.ts';
import { bulletinDataFiles, forLists, listDataFiles, textSlices, type DataFile } from '../lib/data-files.ts';
import { resolverPages } from '../lib/resolver-page.ts';
import { paths } from '../lib/urls.ts';

const { outDir } = workerData as { outDir: string };
const port = parentPort!;

/**
 * Writes are synchronous, on purpose: they block this thread only. Asynchronous ones (16 in
 * flight) queued on the process's four libuv threads ahead of the file-system calls of
 * every page Astro writes; synchronous, the main thread's idle time in the render phase
 * at 1,000 bulletins went from 9.5 to 8.6 s and the render phase was shorter in 4 of 5
 * paired builds (bench/README.md).
 */
const folders = new Set<string>();

/**
 * Text above this many UTF-16 units is written in slices, and a file given in pieces (the
 * list files, 65 MB at 5,000 bulletins) in joins of about this size: a whole-file string
 * and Buffer of each was most of the process's peak.
 */
const SLICE = 1 << 20;

/** Pieces of a file joined into strings of about `size` UTF-16 units, one write each. */
function* joinedPieces(pieces: Iterable<string>, size: number): Generator<string> {
  let pending: string[] = [];
  let length = 0;
  for (const piece of pieces) {
    pending.push(piece);
    length += piece.length;
    if (length >= size) {
      yield pending.join('');
      pending = [];
      length = 0;
    }
  }
  if (pending.length > 0) yield pending.join('');
}

function writeBytes(fd: number, bytes: Buffer): void {
  for (let done = 0; done < bytes.byteLength; ) done += writeSync(fd, bytes, done);
}

function write(file: DataFile): number {
  const target = path.join(outDir, file.path);
  const folder = path.dirname(target);
  if (!folders.has(folder)) {
    mkdirSync(folder, { recursive: true });
    folders.add(folder);
  }
  const { content } = file;
  if (typeof content === 'string' && content.length <= SLICE) {
    const bytes = Buffer.from(content, 'utf8');
    writeFileSync(target, bytes);
    return bytes.byteLength;
  }
  const fd = openSync(target, 'w');
  let written = 0;
  try {
    for (const slice of typeof content === 'string' ? textSlices(content, SLICE) : joinedPieces(content, SLICE)) {
      const bytes = Buffer.from(slice, 'utf8');
      writeBytes(fd, bytes);
      written += bytes.byteLength;
    }
  } finally {
    closeSync(fd);
  }
  return written;
}

let files = 0;
let bytes = 0;
function writeAll(list: Iterable<DataFile>): void {
  for (const file of list) {
    bytes += write(file);
    files++;
  }
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
function writeFinalFiles(): void {
  // The lists are the largest files (tens of MB each at 5,000 bulletins): one at a time,
  // each made only when the one before is written.
  writeAll(listDataFiles(kept, (b) => digests.get(b.id)!));
  // Whether a KB number or CVE has one bulletin depends on all of them: one pass over the list.
  writeAll(resolverPages(kept));
}

// A batch is written before its `ready` is posted, and messages are handled one at a time;
// a failed write throws out of the handler and ends the worker with the error (the
// 'error' event on the main side).
port.on('message', (message: { bulletins?: SiteBulletin[]; done?: true }) => {
  if (message.bulletins) {
    writeAll(bulletinFiles(message.bulletins));
    port.postMessage({ ready: true });
  } else if (message.done) {
    writeFinalFiles();
    // Its heap at the end (what it kept for the lists), for the build's log.
    port.postMessage({ files, bytes, heapBytes: getHeapStatistics().total_heap_size });
    port.close();
  }
});
