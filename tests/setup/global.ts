/**
 * Builds the site from `content/` once per test run into `.kb-test/site`, for every test
 * that reads `dist/` output or drives a browser against it. Tests get the path from
 * `inject('siteDir')`.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');

export default function setup(project: TestProject) {
  // Per-process folder: several test runs (or developers' helpers) may build at once.
  const siteDir = path.join(ROOT, '.kb-test', `site-${process.pid}`);
  const result = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'build.mjs'), '--out', siteDir], {
    cwd: ROOT,
    encoding: 'utf8',
    // Two Markdown workers, though the content is small: every test of the pages then
    // covers what the workers render (tests/data-files.test.ts compares it with one thread).
    env: { ...process.env, KB_CONTENT_DIR: 'content', KB_MARKDOWN_THREADS: '2' },
  });
  if (result.status !== 0) throw new Error(`test site build failed:\n${result.stdout}\n${result.stderr}`);
  project.provide('siteDir', siteDir);
  return () => rmSync(siteDir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    siteDir: string;
  }
}
