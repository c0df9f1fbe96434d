/**
 * `npm run bench [-- --n 1000,5000] [--real] [--out FILE] [--seed S] [--profile] [--floors] [--keep]`
 *
 * For each N: generates N bilingual bulletins (bench/generate.ts), times `kb check` on them,
 * runs the production build (bin/build.mjs --timings) while watching every process of the
 * build for peak memory, and measures the site it wrote. `--real` does the same for the
 * real Microsoft archive imported with `kb import msdocs`. With `--floors`, it also measures
 * what the search index and Astro cost alone (bench/search-floor.ts, bench/astro-floor.ts),
 * the part of the build no change to this project's pages removes. Writes one JSON report
 * (default bench/reports/bench-<date>.json) and prints a summary.
 *
 * Machines are shared and loads vary: each step records the load average before and after,
 * so runs can be compared as ratios within one report.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { editorialRatio, writeGeneratedContent } from './generate.ts';
import { watchTree, type TreeStats } from './proc-tree.ts';
import { REAL_ARCHIVE, ROOT } from './real-shapes.ts';
import { ASTRO_CLI, writeFloorProject } from './astro-floor.ts';
import { measureFileSystemFloor, type FileSystemFloor } from './fs-floor.ts';
import type { SearchFloor } from './search-floor.ts';
import { measureSite, type SiteStats } from './site-stats.ts';
import { summariseProfile, type ProfileSummary } from './profile-summary.ts';

const USAGE = `Usage: npm run bench [-- --n 1000,5000] [--real] [--out FILE] [--seed S] [--prose-scale X] [--profile] [--floors] [--keep]

  --n LIST     bulletin counts to generate and build (default 1000,5000; "0" or "" for none)
  --real       also import and build the real archive (../shared/.../SecurityBulletins-1999-2014.tar.xz)
  --out FILE   report file (default bench/reports/bench-<timestamp>.json)
  --seed S     generator seed (default 1)
  --prose-scale X  share of the real archive's prose each generated bulletin gets (default: the
               project's editorial ratio from bench/shapes.json; 1 = vendor-document length)
  --profile    record CPU profiles of the build (node --cpu-prof) and summarise them
  --floors     also measure the search index alone and Astro alone building as many plain pages
  --keep       keep the generated content and built sites (bench/reports/work-<pid>/)`;

interface Options {
  counts: number[];
  real: boolean;
  out: string;
  seed: number;
  profile: boolean;
  floors: boolean;
  keep: boolean;
  /** Share of the real prose length the generator writes (undefined: its default). */
  proseScale?: number;
}

export function parseOptions(argv: readonly string[]): Options {
  const options: Options = { counts: [1000, 5000], real: false, out: '', seed: 1, profile: false, floors: false, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.includes('=') ? (argv[i]!.split(/=(.*)/s, 2) as [string, string]) : [argv[i]!, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value\n\n${USAGE}`);
      return v;
    };
    if (flag === '--n') {
      const text = value().trim();
      options.counts = text === '' || text === '0' ? [] : text.split(',').map((s) => Number(s.trim()));
      if (options.counts.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--n takes whole numbers above 0 separated by commas, e.g. 1000,5000 (got "${text}")`);
    } else if (flag === '--real') options.real = true;
    else if (flag === '--out') options.out = value();
    else if (flag === '--seed') {
      options.seed = Number(value());
      if (!Number.isInteger(options.seed)) throw new Error(`--seed takes a whole number`);
    } else if (flag === '--prose-scale') {
      options.proseScale = Number(value());
      if (!(options.proseScale > 0 && options.proseScale <= 10)) throw new Error('--prose-scale takes a number above 0 and at most 10, e.g. 1 for vendor-length prose');
    } else if (flag === '--profile') options.profile = true;
    else if (flag === '--floors') options.floors = true;
    else if (flag === '--keep') options.keep = true;
    else if (flag === '--help' || flag === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown option ${flag}\n\n${USAGE}`);
  }
  return options;
}

const NODE = process.execPath;
const load = () => os.loadavg().map((l) => Math.round(l * 100) / 100) as [number, number, number];

interface StepResult {
  command: string;
  exitCode: number | null;
  wallMs: number;
  loadBefore: [number, number, number];
  loadAfter: [number, number, number];
  memory: TreeStats;
  /** Last lines of output when the step failed. */
  outputTail?: string;
}

/** Runs a command, watching its process tree; output goes to `logFile`. */
function runStep(args: readonly string[], env: Record<string, string>, logFile: string): Promise<StepResult> {
  const loadBefore = load();
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(NODE, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const watcher = watchTree(child.pid!, 100);
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => stdout.push(c));
    child.stderr.on('data', (c: Buffer) => stderr.push(c));
    child.on('close', (code) => {
      const wallMs = Math.round(performance.now() - started);
      const memory = watcher.stop();
      writeFileSync(logFile, Buffer.concat(stdout));
      writeFileSync(`${logFile}.stderr`, Buffer.concat(stderr));
      const output = `${Buffer.concat(stdout).toString('utf8')}\n${Buffer.concat(stderr).toString('utf8')}`;
      resolve({
        command: args.map((a) => path.relative(ROOT, a).startsWith('..') ? a : path.relative(ROOT, a) || a).join(' '),
        exitCode: code,
        wallMs,
        loadBefore,
        loadAfter: load(),
        memory,
        ...(code !== 0 ? { outputTail: output.split('\n').slice(-30).join('\n') } : {}),
      });
    });
  });
}

interface BuildTimings {
  totalMs: number;
  astroMs: number;
  swapMs: number;
  phases: Array<{ name: string; startMs: number; ms: number }>;
  routes: Record<string, { count: number; ms: number }>;
  integrations: Record<string, { firstMs: number; lastMs: number; lines: number }>;
}

interface RunReport {
  label: string;
  kind: 'generated' | 'real';
  bulletins: number | null;
  contentBytes?: number;
  generateMs?: number;
  import?: StepResult;
  check?: StepResult & { errors?: number; warnings?: number };
  build?: StepResult & {
    timings?: BuildTimings;
    pages?: number;
    pagesPerSecond?: number;
    profiles?: Array<{ file: string; summary: ProfileSummary }>;
  };
  site?: SiteStats;
  /** Creating the built site's folders and files alone, right after the build (bench/fs-floor.ts). */
  fileSystemFloor?: FileSystemFloor;
  /** With `--floors`: the search index alone and Astro alone, each a step of its own. */
  floors?: Floors;
  searchBench?: unknown;
  error?: string;
}

interface Floors {
  search?: StepResult & { result?: SearchFloor };
  astro?: StepResult & { pages: number };
  /** CPU of both floors' process trees: the least CPU the build can use. */
  cpuMs?: number;
  /** `cpuMs` spread over every core: the least wall time the build can take. */
  wallMsOnAllCores?: number;
}

/**
 * The search index alone and Astro alone building as many plain pages as the build rendered
 * (`pages`), one after the other, each watched like the build.
 */
async function measureFloors(label: string, contentDir: string, pages: number, work: string): Promise<Floors> {
  const floors: Floors = {};
  const searchLog = path.join(work, `${label}-search-floor.log`);
  floors.search = await runStep([path.join(ROOT, 'bench', 'search-floor.ts'), contentDir], {}, searchLog);
  if (floors.search.exitCode === 0) floors.search.result = JSON.parse(readFileSync(searchLog, 'utf8')) as SearchFloor;
  const project = path.join(work, `${label}-astro-floor`);
  writeFloorProject(project, pages);
  floors.astro = { ...(await runStep([ASTRO_CLI, 'build', '--root', project], {}, path.join(work, `${label}-astro-floor.log`))), pages };
  if (floors.search.exitCode === 0 && floors.astro.exitCode === 0) {
    floors.cpuMs = treeCpuMs(floors.search) + treeCpuMs(floors.astro);
    floors.wallMsOnAllCores = Math.round(floors.cpuMs / os.availableParallelism());
  }
  return floors;
}

const treeCpuMs = (step: StepResult) => step.memory.processes.reduce((sum, p) => sum + p.cpuMs, 0);

/** The summary lines of the floors, next to the CPU the build used. */
function floorsSummary(label: string, floors: Floors, build: StepResult): string[] {
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const { search, astro } = floors;
  const lines: string[] = [];
  if (search?.result) {
    const pagefindMs = search.result.languages.reduce((n, l) => n + l.pagefind.pagefindCpuMs, 0);
    lines.push(`search floor: ${s(search.wallMs)}, ${s(treeCpuMs(search))} of CPU (Pagefind ${s(pagefindMs)})`);
  } else lines.push(`search floor: failed, exit ${search?.exitCode} (see ${label}-search-floor.log.stderr)`);
  if (astro?.exitCode === 0) lines.push(`Astro floor: ${astro.pages} plain pages in ${s(astro.wallMs)}, ${s(treeCpuMs(astro))} of CPU`);
  else lines.push(`Astro floor: failed, exit ${astro?.exitCode} (see ${label}-astro-floor.log.stderr)`);
  if (floors.cpuMs !== undefined) lines.push(`floors together: ${s(floors.cpuMs)} of CPU, at least ${s(floors.wallMsOnAllCores!)} on ${os.availableParallelism()} cores; the build used ${s(treeCpuMs(build))}`);
  return lines;
}

function folderBytes(dir: string): number {
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) bytes += readFileSync(path.join(entry.parentPath, entry.name)).byteLength;
  }
  return bytes;
}

/** Calls the search engineer's bench/search-bench.ts when it exists. */
async function searchBench(siteDir: string, contentDir: string): Promise<unknown> {
  const file = path.join(ROOT, 'bench', 'search-bench.ts');
  if (!existsSync(file)) return { skipped: 'bench/search-bench.ts does not exist yet' };
  try {
    const mod = (await import(file)) as Record<string, unknown>;
    const fn = (['benchSearch', 'searchBench', 'measureSearch', 'runSearchBench', 'default'] as const)
      .map((name) => mod[name])
      .find((f): f is (o: { siteDir: string; contentDir: string }) => unknown => typeof f === 'function');
    if (!fn) return { skipped: `bench/search-bench.ts exports no function (found: ${Object.keys(mod).join(', ') || 'nothing'})` };
    return await fn({ siteDir, contentDir });
  } catch (error) {
    return { error: (error as Error).stack ?? String(error) };
  }
}

async function benchContent(report: RunReport, contentDir: string, work: string, options: Options): Promise<void> {
  const check = await runStep([path.join(ROOT, 'bin', 'kb.mjs'), 'check', '--content', contentDir, '--format', 'json'], {}, path.join(work, `${report.label}-check.log`));
  report.check = check;
  try {
    const diagnostics = JSON.parse(readFileSync(path.join(work, `${report.label}-check.log`), 'utf8')) as Array<{ severity: string }>;
    report.check.errors = diagnostics.filter((d) => d.severity === 'error').length;
    report.check.warnings = diagnostics.length - report.check.errors;
  } catch {
    // Output was not JSON (a crash): outputTail says why.
  }
  console.error(`  kb check: ${(check.wallMs / 1000).toFixed(1)} s, exit ${check.exitCode}, peak ${mb(check.memory.peakProcessRssBytes)}`);

  // The site goes inside the project: Astro puts its prerender chunks in ./.astro/ when the
  // output folder is outside the working directory, and parallel builds would share it.
  const site = path.join(work, `${report.label}-site`);
  const timingsFile = path.join(work, `${report.label}-timings.json`);
  const profileDir = path.join(work, `${report.label}-profiles`);
  const env: Record<string, string> = { KB_CONTENT_DIR: contentDir };
  if (options.profile) env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --cpu-prof --cpu-prof-dir=${profileDir}`.trim();
  const build = await runStep([path.join(ROOT, 'bin', 'build.mjs'), '--out', site, `--timings=${timingsFile}`], env, path.join(work, `${report.label}-build.log`));
  report.build = build;
  console.error(`  build: ${(build.wallMs / 1000).toFixed(1)} s, exit ${build.exitCode}, peak ${mb(build.memory.peakProcessRssBytes)} (load ${build.loadBefore[0]} → ${build.loadAfter[0]})`);
  if (existsSync(timingsFile)) {
    const { log: _log, ...timings } = JSON.parse(readFileSync(timingsFile, 'utf8')) as BuildTimings & { log: unknown };
    report.build.timings = timings;
    const pages = Object.entries(timings.routes)
      .filter(([kind]) => kind === 'page' || kind === 'bulletin-page')
      .reduce((sum, [, r]) => sum + r.count, 0);
    report.build.pages = pages;
    report.build.pagesPerSecond = Math.round((pages / (build.wallMs / 1000)) * 10) / 10;
  }
  if (options.profile && existsSync(profileDir)) {
    report.build.profiles = readdirSync(profileDir)
      .filter((f) => f.endsWith('.cpuprofile'))
      .sort()
      .map((f) => ({ file: path.relative(ROOT, path.join(profileDir, f)), summary: summariseProfile(JSON.parse(readFileSync(path.join(profileDir, f), 'utf8')), 20) }));
  }
  if (build.exitCode === 0) {
    report.site = measureSite(site);
    report.searchBench = await searchBench(site, contentDir);
    console.error(`  site: ${report.site.files} files, ${mb(report.site.bytes)}; search index ${report.site.search ? mb(report.site.search.bytes) : 'none'}`);
    // Kept until the run ends, like the site and the content (see the end of main).
    const floor = measureFileSystemFloor(site, path.join(work, `${report.label}-fs-floor`), { keep: true });
    report.fileSystemFloor = floor;
    console.error(`  file-system floor: ${floor.folders} folders and ${floor.files} files created in ${(floor.wallMs / 1000).toFixed(1)} s (${(floor.systemMs / 1000).toFixed(1)} s in the kernel)`);
    if (options.floors) {
      report.floors = await measureFloors(report.label, contentDir, report.build.pages ?? 2 * (report.bulletins ?? 0), work);
      for (const line of floorsSummary(report.label, report.floors, build)) console.error(`  ${line}`);
    }
  }
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

async function main(): Promise<number> {
  let options: Options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`bench: ${(error as Error).message}`);
    return 2;
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const out = path.resolve(ROOT, options.out || path.join('bench', 'reports', `bench-${stamp}.json`));
  const work = path.join(ROOT, 'bench', 'reports', `work-${process.pid}`);
  mkdirSync(work, { recursive: true });
  mkdirSync(path.dirname(out), { recursive: true });

  const git = await new Promise<string>((resolve) => {
    const child = spawn('git', ['rev-parse', 'HEAD'], { cwd: ROOT });
    let text = '';
    child.stdout.on('data', (c) => (text += c));
    child.on('close', () => resolve(text.trim()));
    child.on('error', () => resolve(''));
  });
  const report = {
    startedAt: new Date().toISOString(),
    commit: git,
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? '',
      memoryBytes: os.totalmem(),
      node: process.version,
      loadAtStart: load(),
    },
    notes: [
      'Wall times are on a shared machine; compare runs within one report as ratios and look at loadBefore/loadAfter.',
      'Peak RSS is VmHWM per process from /proc, sampled every 100 ms (VmHWM is a high-water mark, so peaks between samples count).',
      'Build phases come from the time each Astro log line arrived (bin/build.mjs --timings); route times are Astro\'s own per-route (+ms).',
      'Page weights: gzip level 6 of each built HTML file.',
      'fileSystemFloor: the built site\'s folders and files (same sizes, zero-filled) created again right after the build; this machine\'s file system varies several-fold between runs, so read a build\'s time next to the floor of the same run.',
      'floors (--floors): the search index alone (bench/search-floor.ts) and Astro alone building as many plain pages (bench/astro-floor.ts), run after the build; their CPU together is the least the build can use.',
    ],
    options: { counts: options.counts, real: options.real, seed: options.seed, proseScale: options.proseScale ?? editorialRatio(), profile: options.profile, floors: options.floors },
    runs: [] as RunReport[],
  };
  const save = () => writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);

  try {
    for (const n of options.counts) {
      const run: RunReport = { label: `generated-${n}`, kind: 'generated', bulletins: n };
      report.runs.push(run);
      console.error(`generated, N=${n}:`);
      const contentDir = path.join(work, `content-${n}`);
      rmSync(contentDir, { recursive: true, force: true });
      const started = performance.now();
      const written = await writeGeneratedContent(contentDir, { n, seed: options.seed, ...(options.proseScale !== undefined ? { proseScale: options.proseScale } : {}) });
      run.generateMs = Math.round(performance.now() - started);
      run.contentBytes = written.bytes;
      console.error(`  generated ${n} bulletins (${mb(written.bytes)}) in ${(run.generateMs / 1000).toFixed(1)} s`);
      try {
        await benchContent(run, contentDir, work, options);
      } catch (error) {
        run.error = (error as Error).stack ?? String(error);
      }
      save();
    }
    if (options.real) {
      const run: RunReport = { label: 'real', kind: 'real', bulletins: null };
      report.runs.push(run);
      console.error('real archive:');
      const contentDir = path.join(work, 'content-real');
      rmSync(contentDir, { recursive: true, force: true });
      run.import = await runStep([path.join(ROOT, 'bin', 'kb.mjs'), 'import', 'msdocs', REAL_ARCHIVE, '--out', contentDir], {}, path.join(work, 'real-import.log'));
      console.error(`  import: ${(run.import.wallMs / 1000).toFixed(1)} s, exit ${run.import.exitCode}`);
      if (existsSync(path.join(contentDir, 'bulletins'))) {
        run.bulletins = readdirSync(path.join(contentDir, 'bulletins')).length;
        run.contentBytes = folderBytes(contentDir);
        await benchContent(run, contentDir, work, options);
      } else {
        run.error = `kb import msdocs wrote no ${path.relative(ROOT, contentDir)}/bulletins (exit ${run.import.exitCode}); see import.outputTail`;
      }
      save();
    }
  } finally {
    save();
    // Content, sites and file-system floors are all deleted here, at the end, never between
    // runs: this machine kind's disk is ext4 without a journal, which skips inodes freed in
    // the last minute (longer while their inode tables are unwritten) when it allocates new
    // ones, checking each one it skips: right after 200,000 entries were deleted, creating a
    // 40,000-entry tree took 11.6-14.2 s instead of 2.5-2.9 s (bench/README.md, round 11).
    if (!options.keep) rmSync(work, { recursive: true, force: true });
  }
  console.error(`report: ${path.relative(process.cwd(), out)}`);
  return report.runs.some((r) => r.error || r.build?.exitCode !== 0 || (r.check?.errors ?? 0) > 0) ? 1 : 0;
}

if (import.meta.main) process.exitCode = await main();
