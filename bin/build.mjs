#!/usr/bin/env node
// `npm run build`: builds the site into a temporary folder next to the output and swaps
// it in only when every step succeeded, so a failed build never leaves a half-written
// dist/ in place of a good one.
//
// Usage: node bin/build.mjs [--out DIR]   (default dist; KB_CONTENT_DIR, KB_SITE_URL and
// KB_BASE_PATH are read by the build itself)
import { spawnSync } from 'node:child_process';
import { existsSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
let out = 'dist';
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--out' && args[i + 1]) out = args[++i];
  else if (args[i].startsWith('--out=')) out = args[i].slice(6);
  else {
    console.error(`build: unknown argument ${args[i]}\nUsage: npm run build [-- --out DIR]`);
    process.exit(2);
  }
}
const target = path.resolve(process.cwd(), out);
const parent = path.dirname(target);
const temp = path.join(parent, `.kb-build-${path.basename(target)}-${process.pid}`);
const old = path.join(parent, `.kb-dist-old-${path.basename(target)}-${process.pid}`);
// Each build gets its own Astro cache so parallel builds (tests, benchmarks) never share state
// and every build starts from the same nothing (reproducible output).
const cache = path.join(parent, `.kb-build-cache-${path.basename(target)}-${process.pid}`);

const [major, minor] = process.versions.node.split('.').map(Number);
const nodeBin =
  major > 22 || (major === 22 && minor >= 12) ? process.execPath : path.join(root, 'node_modules', 'node', 'bin', 'node');

rmSync(temp, { recursive: true, force: true });
rmSync(cache, { recursive: true, force: true });
const started = Date.now();
const result = spawnSync(nodeBin, [path.join(root, 'node_modules', 'astro', 'bin', 'astro.mjs'), 'build', '--silent'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, KB_OUT_DIR: temp, KB_CACHE_DIR: cache, ASTRO_TELEMETRY_DISABLED: '1' },
});
rmSync(cache, { recursive: true, force: true });
if (result.status !== 0) {
  rmSync(temp, { recursive: true, force: true });
  console.error(`build failed: ${existsSync(target) ? `the previous ${out}/ is left as it was` : `no ${out}/ was written`}`);
  process.exit(1);
}
if (existsSync(target)) renameSync(target, old);
renameSync(temp, target);
rmSync(old, { recursive: true, force: true });
console.log(`built ${path.relative(process.cwd(), target) || '.'}/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
