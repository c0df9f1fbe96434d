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
 * A fresh folder for a test build, inside the repository (`.kb-test/`, git-ignored).
 * Not in the system temp folder: Astro keeps its prerender chunks in `{outDir}/.prerender`
 * only when the output is inside the working directory and otherwise falls back to one
 * shared `.astro/.prerender`, where concurrent builds overwrite each other's chunks
 * ("Cannot find module …/.astro/.prerender/chunks/…").
 */
export function tempBuildDir(prefix: string): string {
  const parent = path.join(ROOT, '.kb-test');
  mkdirSync(parent, { recursive: true });
  return mkdtempSync(path.join(parent, `${prefix}-`));
}
