/**
 * Summarises V8 CPU profiles (`node --cpu-prof`) into where the time went: self time per
 * function and per package (node_modules package, or project file), and total (inclusive)
 * time of the project's own functions. The benchmark uses it to put numbers, not guesses,
 * into bench/README.md.
 *
 * CLI: node bench/profile-summary.ts FILE.cpuprofile... [--top 25] [--json]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  /** Wall time the profile covers, ms. */
  totalMs: number;
  /** Time the thread was idle (waiting for I/O or children), ms. */
  idleMs: number;
  /** Garbage collection, ms. */
  gcMs: number;
  /** Self time by package or project file, ms, largest first. */
  byPackage: Array<{ name: string; ms: number }>;
  /** Self time by function, ms, largest first. */
  byFunction: Array<{ name: string; ms: number }>;
  /** Inclusive time of project functions (src/, bin/, schemas/), ms, largest first. */
  projectInclusive: Array<{ name: string; ms: number }>;
}

/** Folds a URL to what owns it: `astro`, `@astrojs/markdown-remark`, `src/lib/x.ts`, `node:fs`. */
export function ownerOf(url: string): string {
  if (!url) return '(native)';
  if (url.startsWith('node:')) return url;
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const project = /\/(src|bin|schemas|bench|scripts)\/(.*)$/.exec(url.replace(/^file:\/\//, ''));
  if (project) return `${project[1]}/${project[2]}`;
  if (url.includes('/.astro/') || url.includes('/chunks/')) return '(astro build output: pages)';
  return url.replace(/^file:\/\//, '');
}

const label = (node: ProfileNode) => {
  const { functionName, url, lineNumber } = node.callFrame;
  return `${functionName || '(anonymous)'} ${ownerOf(url)}:${lineNumber + 1}`;
};

/** Summarises one profile. */
export function summariseProfile(profile: CpuProfile, top = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const pkg = new Map<string, number>();
  const fn = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let idleMs = 0;
  let gcMs = 0;
  for (const [id, ms] of self) {
    const node = byId.get(id)!;
    const name = node.callFrame.functionName;
    if (name === '(idle)') idleMs += ms;
    if (name === '(garbage collector)') gcMs += ms;
    const owner = name.startsWith('(') ? name : ownerOf(node.callFrame.url);
    pkg.set(owner, (pkg.get(owner) ?? 0) + ms);
    fn.set(label(node), (fn.get(label(node)) ?? 0) + ms);
    // Inclusive time of project frames: count each sample once per distinct project frame on its stack.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur)!;
      const owner2 = ownerOf(frame.callFrame.url);
      if (/^(src|bin|schemas|bench)\//.test(owner2)) {
        const l = label(frame);
        if (!seen.has(l)) {
          seen.add(l);
          inclusive.set(l, (inclusive.get(l) ?? 0) + ms);
        }
      }
    }
  }
  const sorted = (m: Map<string, number>) =>
    [...m]
      .map(([name, ms]) => ({ name, ms: Math.round(ms) }))
      .sort((a, b) => b.ms - a.ms || (a.name < b.name ? -1 : 1))
      .slice(0, top);
  return {
    totalMs: Math.round((profile.endTime - profile.startTime) / 1000),
    idleMs: Math.round(idleMs),
    gcMs: Math.round(gcMs),
    byPackage: sorted(pkg),
    byFunction: sorted(fn),
    projectInclusive: sorted(inclusive),
  };
}

export function formatSummary(file: string, s: ProfileSummary): string {
  const rows = (list: ProfileSummary['byPackage']) => list.map((r) => `  ${String(r.ms).padStart(8)} ms  ${r.name}`).join('\n');
  return [
    `${file}: ${s.totalMs} ms profiled, ${s.idleMs} ms idle, ${s.gcMs} ms GC`,
    'self time by package:',
    rows(s.byPackage),
    'self time by function:',
    rows(s.byFunction),
    'inclusive time of project functions:',
    rows(s.projectInclusive),
  ].join('\n');
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  let top = 25;
  let json = false;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--top') top = Number(args[++i]);
    else if (args[i] === '--json') json = true;
    else files.push(args[i]!);
  }
  if (files.length === 0) {
    console.error('Usage: node bench/profile-summary.ts FILE.cpuprofile... [--top N] [--json]');
    process.exit(2);
  }
  const summaries = files.map((file) => ({ file, summary: summariseProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, top) }));
  console.log(json ? JSON.stringify(summaries, null, 2) : summaries.map((s) => formatSummary(s.file, s.summary)).join('\n\n'));
}
