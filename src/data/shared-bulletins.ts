/**
 * Bulletins parsed and rendered once per build (in dev, once per content change), handed
 * from the content loader to the pages and build hooks in memory. `astro build` and
 * `astro dev` run the loader, the page renderer and the integrations in one process;
 * passing the full bulletins through Astro's data store instead serialises them to JSON and
 * parses them back for the pages (bench/README.md: at 1,000 bulletins the store is 80 MB of
 * JSON, 3 s of serialisation and a second copy in memory; at 5,000 vendor-length bulletins
 * it passes V8's 512 MB string limit and the build fails). The dev server wrote that JSON
 * (232 MB for the real archive) on every save, and a save took 41-44 s to show.
 *
 * The key is a global symbol because the loader and the bundled pages hold separate copies of
 * this module.
 */
import path from 'node:path';
import type { SiteBulletin } from './bulletins.ts';

const KEY = Symbol.for('bulletin-kb.shared-bulletins');

interface Shared {
  /** Absolute content folder the bulletins were read from. */
  dir: string;
  bulletins: readonly SiteBulletin[];
}

type WithShared = typeof globalThis & { [KEY]?: Shared };

/** Makes the loader's bulletins for `dir` available to the rest of this process. */
export function publishBulletins(dir: string, bulletins: readonly SiteBulletin[]): void {
  (globalThis as WithShared)[KEY] = { dir: path.resolve(dir), bulletins };
}

/** The bulletins the loader published for `dir` in this process, if it did. */
export function publishedBulletins(dir: string): readonly SiteBulletin[] | undefined {
  const shared = (globalThis as WithShared)[KEY];
  return shared && shared.dir === path.resolve(dir) ? shared.bulletins : undefined;
}
