#!/usr/bin/env node
// `npm run build`: builds the site into a temporary folder next to the output and swaps
// it in only when every step succeeded, so a failed build never leaves a half-written
// dist/ in place of a good one.
//
// Usage: node bin/build.mjs [--out DIR] [--timings[=FILE]]   (default dist; KB_CONTENT_DIR,
// KB_SITE_URL and KB_BASE_PATH are read by the build itself). --timings prints how long each
// phase took (content, bundle, pages, endpoints, integrations) and, given FILE, writes them
// as JSON; the benchmark (npm run bench) uses it.
// Removing the previous output is thousands of unlinks that wait on the disk: more libuv
// threads let them overlap (bench/README.md). Read when this process's pool starts; the
// children get the environment as it was (see childEnv).
const inheritedPoolSize = process.env.UV_THREADPOOL_SIZE;
process.env.UV_THREADPOOL_SIZE ??= '16';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readdir, rmdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
let out = 'dist';
/** @type {string | boolean} */
let timings = false;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--out' && args[i + 1]) out = args[++i];
  else if (args[i].startsWith('--out=')) out = args[i].slice(6);
  else if (args[i] === '--timings') timings = true;
  else if (args[i].startsWith('--timings=')) timings = args[i].slice(10);
  else {
    console.error(`build: unknown argument ${args[i]}\nUsage: npm run build [-- --out DIR] [--timings[=FILE]]`);
    process.exit(2);
  }
}
const target = path.resolve(process.cwd(), out);
const parent = path.dirname(target);
// Astro keeps its prerender chunks inside the output folder only when that folder is inside
// the project; otherwise it uses the project's one `.astro/.prerender` and renames the
// assets from there into the output, which fails across file systems (EXDEV: `--out` on a
// tmpfs /tmp) and mixes up concurrent builds. So a target outside the project is built in
// the project and moved next to the target before the swap.
const insideRoot = !path.relative(root, target).startsWith('..') && !path.isAbsolute(path.relative(root, target));
const work = insideRoot ? parent : root;
const temp = path.join(work, `.kb-build-${path.basename(target)}-${process.pid}`);
const staged = path.join(parent, `.kb-build-${path.basename(target)}-${process.pid}`);
const old = path.join(parent, `.kb-dist-old-${path.basename(target)}-${process.pid}`);
// Each build gets its own Astro cache so parallel builds (tests, benchmarks) never share state
// and every build starts from the same nothing (reproducible output).
const cache = path.join(work, `.kb-build-cache-${path.basename(target)}-${process.pid}`);
// The search index is written here by bin/build-search.mjs while astro renders the pages.
const search = path.join(work, `.kb-build-search-${path.basename(target)}-${process.pid}`);
// The data worker inside the astro process (src/integrations/data-files.ts) writes the
// per-bulletin data files here; the integration moves them into the site when the pages are done.
const data = path.join(work, `.kb-build-data-${path.basename(target)}-${process.pid}`);

const [major, minor] = process.versions.node.split('.').map(Number);
const nodeBin =
  major > 22 || (major === 22 && minor >= 12) ? process.execPath : path.join(root, 'node_modules', 'node', 'bin', 'node');

// A build killed midway (SIGKILL, a cancelled CI job, power loss) leaves its temp folders
// behind, and one killed between the two renames at the end leaves the previous output
// under its ".kb-dist-old" name with no target. Put that one back and clear the rest, but
// never touch folders of a build that is still running (its pid is in the name).
const running = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
};
for (const dir of new Set([parent, work])) {
  for (const entry of existsSync(dir) ? readdirSync(dir) : []) {
    const match = /^\.kb-(build-cache|build-search|build-data|build|dist-old)-(.+)-(\d+)$/.exec(entry);
    if (!match || match[2] !== path.basename(target) || running(Number(match[3]))) continue;
    // A previous site kept aside belongs to the target's own folder only.
    if (match[1] === 'dist-old' && dir !== parent) continue;
    if (match[1] === 'dist-old' && !existsSync(target)) renameSync(path.join(dir, entry), target);
    else {
      try {
        rmSync(path.join(dir, entry), { recursive: true, force: true });
      } catch {
        // An orphaned Astro child may still be writing into it; the next build tries again.
      }
    }
  }
}
rmSync(temp, { recursive: true, force: true });
rmSync(cache, { recursive: true, force: true });
rmSync(search, { recursive: true, force: true });
rmSync(data, { recursive: true, force: true });
const started = Date.now();
// The Astro process's live heap passed 1.6 GB at 10,000 generated bulletins (185 MiB of
// content), where 512 MB + 6 bytes per content byte ran out of memory; 7.5 bytes builds
// 10,000 and keeps 5,000 under 2 GiB (bench/README.md). The data worker in the same
// process has a limit of its own (src/integrations/data-files.ts); the search process, 8.
const contentBytes = measureContent();
// Page bytes counted with the heap when V8 decides when to collect, in the Astro process:
// Astro turns every page into an ArrayBuffer before writing it, memory outside the heap, and
// by default V8 starts a full collection whenever such memory has grown by 64 MB since the
// last one, whatever the heap holds. At 5,000 generated bulletins that was 24 of the main
// thread's 33 full collections, one every 0.5 to 2 s of rendering, each marking a live heap
// of about 415 MB; with the flag, 14 in all. Three alternated pairs at 5,000: the Astro
// process's CPU fell by 8.8 to 15.6 s and the build by 4 to 11 s, its peak rose from
// 1,460-1,525 to 1,626-1,726 MiB; the real archive, whose render phase is short, was
// unchanged (bench/README.md, round 18). The search process had 2 such collections in 11,
// so it goes without. Node does not accept the flag in NODE_OPTIONS, and Node 22's V8 does
// not know it (Node 24 and 26 do), so it is passed only when the Node that runs astro takes it.
const EXTERNAL_MEMORY_IN_LIMIT = '--external-memory-accounted-in-global-limit';
const externalMemoryFlags = spawnSync(nodeBin, [EXTERNAL_MEMORY_IN_LIMIT, '-e', ''], { stdio: 'ignore' }).status === 0 ? [EXTERNAL_MEMORY_IN_LIMIT] : [];
const heapFlags = [...heapLimit(7.5), ...youngGeneration(), ...externalMemoryFlags];
const searchHeapFlags = [...heapLimit(8), ...youngGeneration()];
const astroArgs = [...heapFlags, path.join(root, 'node_modules', 'astro', 'bin', 'astro.mjs'), 'build'];
const astroEnv = { ...childEnv(), KB_OUT_DIR: temp, KB_CACHE_DIR: cache, KB_SEARCH_INDEX: 'parallel', KB_DATA_WORKER: '1', KB_DATA_DIR: data, ASTRO_TELEMETRY_DISABLED: '1' };
// The search index needs the content, not the pages: it is built on the second core while
// astro renders (bench/README.md), and moved into the site before the swap.
const searchRun = runSearch();
const result = timings
  ? await runTimed()
  : await new Promise((resolve) => {
      const child = spawn(nodeBin, [...astroArgs, '--silent'], { cwd: root, stdio: 'inherit', env: astroEnv });
      child.on('close', (status) => resolve({ status }));
    });
const astroMs = Date.now() - started;
const searchResult = await searchRun;
rmSync(cache, { recursive: true, force: true });
rmSync(data, { recursive: true, force: true });
if (result.status === 0 && searchResult.status !== 0) {
  process.stderr.write(searchResult.output);
  result.status = 1;
}
if (result.status === 0) {
  process.stderr.write(searchResult.notices);
  rmSync(path.join(temp, 'pagefind'), { recursive: true, force: true });
  renameSync(path.join(search, 'pagefind'), path.join(temp, 'pagefind'));
}
rmSync(search, { recursive: true, force: true });
if (result.status !== 0) {
  rmSync(temp, { recursive: true, force: true });
  console.error(`build failed: ${existsSync(target) ? `the previous ${out}/ is left as it was` : `no ${out}/ was written`}`);
  process.exit(1);
}
if (temp !== staged) await moveAcross(temp, staged);
if (existsSync(target)) renameSync(target, old);
renameSync(staged, target);
if (existsSync(old)) await removeTree(old);
if (timings) await reportTimings(result.log, astroMs, Date.now() - started, searchResult.ms);
console.log(`built ${path.relative(process.cwd(), target) || '.'}/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);

/**
 * The environment for the build's processes: the caller's, without this process's libuv pool
 * size, and with at most two malloc arenas: glibc gives threads that allocate arenas of their
 * own, and with the Astro process's data worker and file-writing threads the process peaked
 * at 2,093 MiB at 5,000 bulletins; 2,026 MiB with these two settings. A value the caller set
 * wins.
 * @returns {NodeJS.ProcessEnv}
 */
function childEnv() {
  const env = { ...process.env, MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2' };
  if (inheritedPoolSize === undefined) delete env.UV_THREADPOOL_SIZE;
  else env.UV_THREADPOOL_SIZE = inheritedPoolSize;
  return env;
}

/**
 * Moves a finished site from the project to beside the target: a rename on the same file
 * system, else a copy (the target's old site stays in place until the copy is whole).
 * @param {string} from
 * @param {string} to
 * @returns {Promise<void>}
 */
async function moveAcross(from, to) {
  try {
    renameSync(from, to);
  } catch (error) {
    if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'EXDEV') throw error;
    try {
      cpSync(from, to, { recursive: true });
    } catch (copyError) {
      rmSync(to, { recursive: true, force: true });
      rmSync(from, { recursive: true, force: true });
      console.error(`build failed: could not copy the site to ${parent}: ${copyError.message}; ${existsSync(target) ? `the previous ${out}/ is left as it was` : `no ${out}/ was written`}`);
      process.exit(1);
    }
    await removeTree(from);
  }
}

/**
 * Deletes a folder tree with many unlinks in flight: on this machine's disk 18,000 files
 * took 6.6 s with rmSync and 3.5 s this way, almost all of it waiting.
 * @param {string} dir
 * @returns {Promise<void>}
 */
async function removeTree(dir) {
  const entries = await readdir(dir, { withFileTypes: true });
  await Promise.all(entries.map((e) => (e.isDirectory() ? removeTree(path.join(dir, e.name)) : unlink(path.join(dir, e.name)))));
  await rmdir(dir);
}

/**
 * Runs astro at its default log level (it names each phase as it starts), stamps every line
 * with the time it arrived, and shows only what --silent would (warnings, errors).
 * @returns {Promise<{ status: number | null, log: Array<[number, string]> }>}
 */
function runTimed() {
  return new Promise((resolve) => {
    /** @type {Array<[number, string]>} */
    const log = [];
    const child = spawn(nodeBin, astroArgs, { cwd: root, stdio: ['inherit', 'pipe', 'pipe'], env: astroEnv });
    const reader = (stream, isErr) => {
      let rest = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        const parts = (rest + chunk).split('\n');
        rest = parts.pop() ?? '';
        const t = Date.now() - started;
        for (const line of parts) {
          log.push([t, line]);
          if (isErr || /\[(?:WARN|ERROR)\]/.test(line)) process.stderr.write(`${line}\n`);
        }
      });
      stream.on('end', () => rest && log.push([Date.now() - started, rest]));
    };
    reader(child.stdout, false);
    reader(child.stderr, true);
    child.on('close', (status) => resolve({ status, log }));
  });
}

/**
 * A heap limit sized to the content. V8 sizes its heap to the machine (about 4 GB here) and
 * collects lazily, so the build's resident memory grew to several times what it uses: at
 * 2,000 generated bulletins (40 MB) the live heap after rendering was 231 MB and the largest
 * process peaked at 1,365 MB; with a 768 MB limit, at 897 MB and no more CPU time
 * (bench/README.md). The limit leaves the live heap more than half again as room: 512 MB plus
 * `perByte` bytes per byte of content. A limit set in NODE_OPTIONS wins.
 * @param {number} perByte
 * @returns {string[]}
 */
function heapLimit(perByte) {
  if (/--max-old-space-size/.test(process.env.NODE_OPTIONS ?? '') || contentBytes === undefined) return [];
  return [`--max-old-space-size=${512 + Math.ceil((perByte * contentBytes) / 1024 / 1024)}`];
}

/**
 * Semi-spaces of 64 MB instead of V8's 16 MB, for every isolate of the process (the flag
 * overrides the workers' own young-generation limits). Rendering pages and records
 * allocates by the gigabyte, and objects that live a few hundred milliseconds were copied
 * and promoted over and over: at 5,000 generated bulletins the Astro main thread spent
 * 9.0 and 9.3 s in 947 scavenges, with 64 MB 6.1 and 6.8 s in 254; on the real archive all
 * isolates together 7.7 s against 5.8 s (--trace-gc-nvp, bench/README.md). 128 MB saved
 * another second but took the Astro process to 1.9 GB at 5,000. A size set in NODE_OPTIONS
 * wins.
 * @returns {string[]}
 */
function youngGeneration() {
  return /--max-semi-space-size/.test(process.env.NODE_OPTIONS ?? '') ? [] : ['--max-semi-space-size=64'];
}

/**
 * Bytes of content the build reads (read once for both heap limits); undefined without a
 * content folder, which the build reports itself.
 * @returns {number | undefined}
 */
function measureContent() {
  let bytes = 0;
  const dir = path.resolve(process.cwd(), process.env.KB_CONTENT_DIR || 'content');
  try {
    for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
      if (entry.isFile()) bytes += statSync(path.join(entry.parentPath, entry.name)).size;
    }
  } catch {
    return undefined;
  }
  return bytes;
}

/**
 * Builds the search index in its own process (bin/build-search.mjs). Node below 22.18 needs
 * the flag to read the TypeScript sources.
 * @returns {Promise<{ status: number | null, ms: number, output: string, notices: string }>}
 */
function runSearch() {
  const version = nodeBin === process.execPath ? process.versions.node : JSON.parse(readFileSync(path.join(root, 'node_modules', 'node', 'package.json'), 'utf8')).version;
  const [maj, min] = version.split('.').map(Number);
  const flags = maj === 22 && min < 18 ? ['--experimental-strip-types', '--no-warnings'] : [];
  const begun = Date.now();
  return new Promise((resolve) => {
    const child = spawn(nodeBin, [...flags, ...searchHeapFlags, path.join(root, 'bin', 'build-search.mjs'), search], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: childEnv() });
    let output = '';
    let errors = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => {
      output += c;
      errors += c;
    });
    // Its notices (a bundle that waited for memory) are passed on; the rest only on failure.
    child.on('close', (status) => {
      const notices = errors.split('\n').filter((line) => line.startsWith('search index: ')).map((line) => `${line}\n`).join('');
      resolve({ status, ms: Date.now() - begun, output, notices });
    });
  });
}

/** Prints the phase table and writes it as JSON when --timings names a file. */
async function reportTimings(log, astroMs, totalMs, searchMs) {
  const { parseBuildLog } = await import('./build-phases.mjs');
  const parsed = parseBuildLog(log, astroMs);
  const report = { totalMs, astroMs, swapMs: totalMs - astroMs, searchMs, ...parsed, log };
  if (typeof timings === 'string') writeFileSync(path.resolve(process.cwd(), timings), `${JSON.stringify(report, null, 2)}\n`);
  const s = (ms) => `${(ms / 1000).toFixed(1).padStart(6)} s`;
  const lines = parsed.phases.map((p) => `  ${s(p.ms)}  ${p.name}`);
  for (const [kind, r] of Object.entries(parsed.routes)) lines.push(`  ${s(r.ms)}    of which ${kind}: ${r.count} route${r.count === 1 ? '' : 's'}`);
  for (const [name, r] of Object.entries(parsed.integrations)) lines.push(`  ${s(r.lastMs - r.firstMs)}  [${name}] first to last log line`);
  lines.push(`  ${s(searchMs)}  search index (in parallel with the above)`);
  lines.push(`  ${s(totalMs - astroMs)}  waiting for the search index, swap into place`);
  console.error(`build phases (total ${s(totalMs).trim()}):\n${lines.join('\n')}`);
}
