/**
 * Builds the site from a given content folder into a folder of its own, the way
 * `npm run build -- --out DIR` does, for tests that need other content (fixtures) or other
 * settings (a base path) than the shared build from `inject('siteDir')`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');

export interface BuildOptions {
  /** Content folder (`KB_CONTENT_DIR`). */
  contentDir: string;
  /** Output folder; replaced atomically by the build. */
  outDir: string;
  /** Extra environment (`KB_BASE_PATH`, `KB_SITE_URL`, …). */
  env?: Record<string, string>;
}

/** Runs the build; throws with its output when it fails. */
export function buildSite({ contentDir, outDir, env = {} }: BuildOptions): void {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'build.mjs'), '--out', outDir], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, KB_CONTENT_DIR: contentDir, ...env },
  });
  if (result.status !== 0) throw new Error(`site build failed (${contentDir} → ${outDir}):\n${result.stdout}\n${result.stderr}`);
}

/**
 * A fresh folder for a test build, inside the repository (`.kb-test/`, git-ignored). A
 * build into a folder outside the project works too (bin/build.mjs builds it in the project
 * and moves it, tests/build-atomic.test.ts), but inside it the finished site is renamed into
 * place rather than copied from another file system.
 */
export function tempBuildDir(prefix: string): string {
  const parent = path.join(ROOT, '.kb-test');
  mkdirSync(parent, { recursive: true });
  return mkdtempSync(path.join(parent, `${prefix}-`));
}
