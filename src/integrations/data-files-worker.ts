/**
 * Worker thread of src/integrations/data-files.ts: writes the data files of the bulletins
 * it is given (src/lib/data-files.ts) and the single-bulletin KB/CVE pages
 * (src/lib/resolver-page.ts) into `outDir`, then posts how many files and bytes it wrote.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { createHash } from 'node:crypto';
import { bulletinDataFiles, listDataFiles, type DataFile } from '../lib/data-files.ts';
import { paths } from '../lib/urls.ts';
import { resolverPages } from '../lib/resolver-page.ts';
import type { SiteBulletin } from '../data/bulletins.ts';

const { bulletins, outDir } = workerData as { bulletins: SiteBulletin[]; outDir: string };

/** Writes take a libuv thread each; a few at once keep them busy while this thread builds the next. */
const IN_FLIGHT = 16;

// One mkdir per folder; later writes into it wait for that one.
const folders = new Map<string, Promise<unknown>>();
async function write(file: DataFile): Promise<number> {
  const target = path.join(outDir, file.path);
  const folder = path.dirname(target);
  let made = folders.get(folder);
  if (!made) folders.set(folder, (made = mkdir(folder, { recursive: true })));
  await made;
  const bytes = Buffer.from(file.content, 'utf8');
  await writeFile(target, bytes);
  return bytes.byteLength;
}

let files = 0;
let bytes = 0;
const pending = new Set<Promise<void>>();
function* everyFile(): Generator<DataFile> {
  // The API index lists each bulletin document's digest: keep them from the documents
  // written here rather than render every document a second time.
  const digests = new Map<string, string>();
  for (const bulletin of bulletins) {
    const api = paths.apiBulletin(bulletin.id);
    for (const file of bulletinDataFiles(bulletin)) {
      if (file.path === api) digests.set(bulletin.id, createHash('sha256').update(file.content).digest('hex'));
      yield file;
    }
  }
  yield* listDataFiles(bulletins, (b) => digests.get(b.id)!);
  // Whether a KB number or CVE has one bulletin depends on all of them: one pass over the list.
  yield* resolverPages(bulletins);
}
for (const file of everyFile()) {
  const job: Promise<void> = write(file).then((n) => {
    files++;
    bytes += n;
    pending.delete(job);
  });
  pending.add(job);
  if (pending.size >= IN_FLIGHT) await Promise.race(pending);
}
await Promise.all(pending);
parentPort!.postMessage({ files, bytes });
