/**
 * The search floor: what the search index costs with nothing else running. It parses the
 * content, builds each language's records and has Pagefind build each bundle, one step at a
 * time, with the code `npm run build` uses (`languageRecords`, `createIndex`, `addRecords`),
 * and reports the wall and CPU time of every step, Pagefind's own process included.
 *
 * Why it is in the report (`npm run bench -- --floors`): the build's target is a wall time
 * on two cores, so it caps the CPU the whole build may use. The search index is a part the
 * rest of the build cannot make cheaper; its floor, with Astro's (`bench/astro-floor.ts`),
 * tells how much of the cap is left for everything else.
 *
 * The bundle is built (`getFiles`) but not written: the site's own writes are in the file-system
 * floor. Each language gets a Pagefind process of its own, closed before the next starts, so
 * its CPU time is its bundle's.
 *
 * Usage: node bench/search-floor.ts CONTENT_DIR   (prints one JSON object, `SearchFloor`)
 */
import * as pagefind from 'pagefind';
import { LANGS, type Lang } from '../schemas/index.ts';
import { addRecords, createIndex } from '../src/integrations/pagefind.ts';
import { loadContent } from '../src/lib/load-content.ts';
import { indexOrder, languageRecords } from '../src/lib/search-records.ts';
import { childrenCpuMs } from './proc-tree.ts';

/** Wall and CPU time of one step; `cpuMs` is this process's (all its threads). */
export interface StepCost {
  wallMs: number;
  cpuMs: number;
}

export interface SearchFloor {
  bulletins: number;
  /** Reading and parsing the content (`loadContent`, as `kb check` and the build do). */
  parse: StepCost;
  languages: Array<{
    lang: Lang;
    records: number;
    /** Characters of record content Pagefind reads. */
    contentChars: number;
    /** Tokenising and weighting (`languageRecords`). */
    build: StepCost;
    /** Sending the records and building the bundle; `pagefindCpuMs` is Pagefind's process. */
    pagefind: StepCost & { pagefindCpuMs: number; files: number };
  }>;
  /** Everything above: this process and Pagefind's. */
  totalCpuMs: number;
}

const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function timed<T>(step: () => Promise<T> | T): Promise<[T, StepCost]> {
  const wall = performance.now();
  const cpu = cpuNow();
  const value = await step();
  return [value, { wallMs: Math.round(performance.now() - wall), cpuMs: Math.round(cpuNow() - cpu) }];
}

export async function measureSearchFloor(contentDir: string): Promise<SearchFloor> {
  const [loaded, parse] = await timed(() => loadContent(contentDir));
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error').length;
  if (errors > 0) throw new Error(`${contentDir}: the content has ${errors} error${errors === 1 ? '' : 's'} (kb check --content ${contentDir} lists them)`);
  const sorted = indexOrder(loaded.bulletins);
  const languages: SearchFloor['languages'] = [];
  for (const lang of LANGS) {
    const [{ records }, build] = await timed(() => languageRecords(sorted, lang));
    if (records.length === 0) continue;
    const [result, cost] = await timed(async () => {
      const { index, errors: startErrors } = await createIndex(pagefind);
      if (!index) throw new Error(`Pagefind could not start: ${startErrors.join('; ')}`);
      await addRecords(index, records);
      const { files } = await index.getFiles();
      // Read before close: an exited child's CPU time is gone from /proc.
      const pagefindCpuMs = childrenCpuMs();
      await pagefind.close();
      return { files: files.length, pagefindCpuMs };
    });
    languages.push({ lang, records: records.length, contentChars: records.reduce((n, r) => n + r.content.length, 0), build, pagefind: { ...cost, ...result } });
  }
  const totalCpuMs = parse.cpuMs + languages.reduce((n, l) => n + l.build.cpuMs + l.pagefind.cpuMs + l.pagefind.pagefindCpuMs, 0);
  return { bulletins: loaded.bulletins.length, parse, languages, totalCpuMs };
}

if (import.meta.main) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('Usage: node bench/search-floor.ts CONTENT_DIR');
    process.exit(2);
  }
  try {
    console.log(JSON.stringify(await measureSearchFloor(dir), null, 2));
  } catch (error) {
    console.error(`search floor: ${(error as Error).message}`);
    process.exit(1);
  }
}
