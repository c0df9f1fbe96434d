/**
 * The file-system floor of a build: the time this machine takes, at this moment, only to
 * create a built site's folders and files. The tree is recreated beside the site with the
 * same folders and the same file sizes (zero-filled), one synchronous call at a time, and
 * removed again.
 *
 * Why it is in the report: on this machine kind, creating a folder or a file in a new folder
 * costs from about 40 µs to over 500 µs of kernel time, and it changes from one minute to the
 * next. At 5,000 bulletins the site is 86,648 files in 43,184 folders, so the same build can
 * spend 5 s or 25 s in the kernel. A build's wall time read next to the floor of the same
 * run tells whether a difference is the build's or the disk's.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { walk } from './site-stats.ts';

export interface FileSystemFloor {
  folders: number;
  files: number;
  bytes: number;
  /** Creating every folder (parents first). */
  foldersMs: number;
  /** Writing every file into the folders made above. */
  filesMs: number;
  wallMs: number;
  /** CPU time of this process while it ran: nearly all of it is the kernel's (`systemMs`). */
  userMs: number;
  systemMs: number;
}

/**
 * Recreates the tree of `site` in `scratch` (which must not exist), times it, and removes
 * `scratch` again unless `keep` is set.
 */
export function measureFileSystemFloor(site: string, scratch: string, options: { keep?: boolean } = {}): FileSystemFloor {
  const folders: string[] = [];
  const files: Array<[string, number]> = [];
  walk(site, (file, size) => files.push([file, size]), (folder) => folders.push(folder));
  let bytes = 0;
  let largest = 0;
  for (const [, size] of files) {
    bytes += size;
    largest = Math.max(largest, size);
  }
  const zeros = Buffer.alloc(largest);
  // mkdirSync without `recursive` fails on an existing folder: a scratch folder left by a
  // killed run is never measured as if it were new.
  mkdirSync(path.dirname(scratch), { recursive: true });
  const cpu = process.cpuUsage();
  const started = performance.now();
  mkdirSync(scratch);
  try {
    for (const folder of folders) mkdirSync(path.join(scratch, folder));
    const foldersDone = performance.now();
    for (const [file, size] of files) writeFileSync(path.join(scratch, file), zeros.subarray(0, size));
    const filesDone = performance.now();
    const used = process.cpuUsage(cpu);
    return {
      folders: folders.length,
      files: files.length,
      bytes,
      foldersMs: Math.round(foldersDone - started),
      filesMs: Math.round(filesDone - foldersDone),
      wallMs: Math.round(filesDone - started),
      userMs: Math.round(used.user / 1000),
      systemMs: Math.round(used.system / 1000),
    };
  } finally {
    if (!options.keep) rmSync(scratch, { recursive: true, force: true });
  }
}
