/**
 * What `npm run dev` leaves unwatched. Vite watches the whole project folder, and builds
 * write tens of thousands of files into it: `dist/`, bin/build.mjs's staging folders
 * (`.kb-build-*`, `.kb-dist-old-*`), tests' builds (`.kb-test/`), benchmark sites
 * (`.kb-bench/`, `bench/reports/`). Watched, each file a build writes was a `[watch]` line
 * in the dev log and an event the server handled (a test build beside the dev server
 * delayed its reload past 30 s), and each folder cost an inotify watch.
 */
import path from 'node:path';

export interface DevWatchFolders {
  /** The project folder (Vite's root). */
  root: string;
  /** The content folder the dev server reloads from (`KB_CONTENT_DIR`); always watched. */
  contentDir: string;
  /** The build's output folder (Astro's `outDir`). */
  outDir: string;
}

/** Project-relative folders of build output, besides `outDir` and `.kb-*` folders. */
const OUTPUT_FOLDERS = ['bench/reports'];

/**
 * A predicate for Vite's `server.watch.ignored`: true for a path inside build output. The
 * content folder, and the folders on the way to it, are never ignored, wherever it lives
 * (a test's content in `.kb-test/` too).
 */
export function devWatchIgnored({ root, contentDir, outDir }: DevWatchFolders): (file: string) => boolean {
  const base = path.resolve(root);
  const content = path.resolve(base, contentDir);
  const outputs = [path.resolve(base, outDir), ...OUTPUT_FOLDERS.map((folder) => path.resolve(base, folder))];
  const within = (file: string, folder: string) => file === folder || file.startsWith(folder + path.sep);
  return (file) => {
    const absolute = path.resolve(base, file);
    if (within(absolute, content) || within(content, absolute)) return false;
    if (outputs.some((folder) => within(absolute, folder))) return true;
    const relative = path.relative(base, absolute);
    if (relative.startsWith('..') || path.isAbsolute(relative)) return false;
    // Any `.kb-` folder: bin/build.mjs stages next to the output, which may be deeper.
    return relative.split(path.sep).some((segment) => segment.startsWith('.kb-'));
  };
}
