import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as coalesceModule from '../src/lib/coalesce.ts';
import * as devWatch from '../src/lib/dev-watch.ts';

const { coalesce } = coalesceModule;
const { devWatchIgnored } = devWatch;

describe('module exports', () => {
  it('exports only the watch predicate and the reload runner', () => {
    expect(Object.keys(devWatch)).toEqual(['devWatchIgnored']);
    expect(Object.keys(coalesceModule)).toEqual(['coalesce']);
  });
});

describe('devWatchIgnored', () => {
  const root = path.resolve('/srv/kb');
  const ignored = devWatchIgnored({ root, contentDir: 'content', outDir: 'dist' });
  const at = (relative: string) => path.join(root, relative);

  it('leaves the content, the code and the project folder watched', () => {
    for (const file of ['', 'content', 'content/bulletins/ms03-046/ja.md', 'src/pages/index.astro', 'schemas/bulletin.ts', 'public/favicon.svg', 'astro.config.mjs', '.astro/data-store.json']) {
      expect(ignored(at(file)), file).toBe(false);
    }
  });

  it('ignores what builds, tests and benchmarks write into the project', () => {
    for (const file of [
      'dist',
      'dist/ja/bulletins/ms03-046/index.html',
      '.kb-build-dist-4242/en/index.html',
      '.kb-dist-old-dist-4242',
      '.kb-build-cache-dist-4242/assets/x.js',
      '.kb-test/site-ab12/ja/index.html',
      'sites/.kb-build-public-77/index.html',
      'bench/reports/work-9/site/index.html',
    ]) {
      expect(ignored(at(file)), file).toBe(true);
    }
  });

  it('watches a content folder inside a test folder, and the folders leading to it', () => {
    const inTest = devWatchIgnored({ root, contentDir: path.join(root, '.kb-test/dev-loop-1/content'), outDir: 'dist' });
    expect(inTest(at('.kb-test'))).toBe(false);
    expect(inTest(at('.kb-test/dev-loop-1'))).toBe(false);
    expect(inTest(at('.kb-test/dev-loop-1/content/bulletins/ms03-046/bulletin.yaml'))).toBe(false);
    expect(inTest(at('.kb-test/dev-loop-1/site/index.html'))).toBe(true);
    expect(inTest(at('.kb-test/other-2/content/x.md'))).toBe(true);
  });

  it('follows a custom output folder and takes paths relative to the project', () => {
    const custom = devWatchIgnored({ root, contentDir: 'content', outDir: 'public-site' });
    expect(custom(at('public-site/index.html'))).toBe(true);
    expect(custom(at('dist/index.html'))).toBe(false);
    expect(custom('public-site/index.html')).toBe(true);
    expect(custom('content/bulletins')).toBe(false);
  });

  it('leaves paths outside the project to whoever added them', () => {
    expect(ignored(path.resolve('/var/.kb-test/x'))).toBe(false);
  });
});

/** A task whose runs the test finishes by hand, recording what it saw when each began. */
function manualTask() {
  const runs: { saw: number; finish: (error?: Error) => void }[] = [];
  let active = 0;
  let most = 0;
  const state = { saved: 0 };
  const task = () =>
    new Promise<void>((resolve, reject) => {
      active++;
      most = Math.max(most, active);
      runs.push({
        saw: state.saved,
        finish: (error) => {
          active--;
          if (error) reject(error);
          else resolve();
        },
      });
    });
  return { task, runs, state, most: () => most };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('coalesce', () => {
  it('runs once per burst of requests, never two at a time, and the last run sees the last save', async () => {
    const { task, runs, state, most } = manualTask();
    const reload = coalesce(task);
    state.saved = 1;
    const first = reload();
    const during: Promise<void>[] = [];
    for (let save = 2; save <= 6; save++) {
      state.saved = save;
      during.push(reload());
    }
    expect(runs).toHaveLength(1);
    runs[0]!.finish();
    await first;
    await tick();
    expect(runs).toHaveLength(2);
    expect(runs[1]!.saw).toBe(6);
    runs[1]!.finish();
    await Promise.all(during);
    expect(runs).toHaveLength(2);
    expect(most()).toBe(1);
  });

  it('starts a fresh run for a request after the previous one ended', async () => {
    const { task, runs } = manualTask();
    const reload = coalesce(task);
    const a = reload();
    runs[0]!.finish();
    await a;
    const b = reload();
    expect(runs).toHaveLength(2);
    runs[1]!.finish();
    await b;
  });

  it('rejects the callers of a failed run only, and runs again after it', async () => {
    const { task, runs } = manualTask();
    const reload = coalesce(task);
    const failing = reload();
    const queued = reload();
    runs[0]!.finish(new Error('bulletin.yaml:3:11: error SCHEMA_VALUE'));
    await expect(failing).rejects.toThrow('SCHEMA_VALUE');
    await tick();
    expect(runs).toHaveLength(2);
    runs[1]!.finish();
    await expect(queued).resolves.toBeUndefined();
  });
});
