/**
 * Watches a process and all its descendants through /proc while it runs: peak resident
 * memory (VmHWM, the kernel's own high-water mark, so a peak between two samples is not
 * missed), CPU time and the command line of every process, plus the peak of the whole
 * tree's summed RSS. Linux only; elsewhere the report says memory was not measured.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';

export interface ProcessStats {
  pid: number;
  ppid: number;
  /** Command line, shortened to the program and its first arguments. */
  command: string;
  /** Peak resident set size, bytes (VmHWM at the last sample). */
  peakRssBytes: number;
  /** User + system CPU time at the last sample, ms. */
  cpuMs: number;
  /** First and last time the process was seen, ms since watching started. */
  firstSeenMs: number;
  lastSeenMs: number;
}

export interface TreeStats {
  supported: boolean;
  samples: number;
  intervalMs: number;
  processes: ProcessStats[];
  /** Largest VmHWM of any one process, bytes. */
  peakProcessRssBytes: number;
  /** Largest sum of VmRSS over the tree at one sample, bytes. */
  peakTreeRssBytes: number;
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

function readStat(pid: number): { ppid: number; cpuMs: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may itself contain spaces or parentheses.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), cpuMs: (Number(fields[11]) + Number(fields[12])) * TICK_MS };
  } catch {
    return undefined;
  }
}

function readMemory(pid: number): { hwm: number; rss: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
    return { hwm: kb('VmHWM'), rss: kb('VmRSS') };
  } catch {
    return undefined;
  }
}

function readCommand(pid: number): string {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    return argv
      .slice(0, 4)
      .map((a) => a.replace(/^.*\/node_modules\//, '').replace(/^.*\/(bin\/[^/]+)$/, '$1'))
      .join(' ')
      .slice(0, 160);
  } catch {
    return '?';
  }
}

/**
 * CPU time (user + system) of the live child processes of `parentPid`, summed; 0 where
 * `/proc` is missing. Read before the children exit: a finished child's time is gone.
 */
export function childrenCpuMs(parentPid = process.pid): number {
  if (!existsSync('/proc/self/stat')) return 0;
  let ms = 0;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (stat?.ppid === parentPid) ms += stat.cpuMs;
  }
  return ms;
}

/** Starts sampling `rootPid` and its descendants every `intervalMs`; `stop()` returns the statistics. */
export function watchTree(rootPid: number, intervalMs = 100): { stop: () => TreeStats } {
  const supported = existsSync('/proc/self/status');
  const started = performance.now();
  const stats = new Map<number, ProcessStats>();
  let samples = 0;
  let peakTreeRssBytes = 0;
  const sample = () => {
    if (!supported) return;
    samples++;
    const now = performance.now() - started;
    const children = new Map<number, number[]>();
    const cpu = new Map<number, number>();
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      const pid = Number(name);
      const stat = readStat(pid);
      if (!stat) continue;
      cpu.set(pid, stat.cpuMs);
      const list = children.get(stat.ppid) ?? [];
      list.push(pid);
      children.set(stat.ppid, list);
    }
    let treeRss = 0;
    const queue: Array<[number, number]> = cpu.has(rootPid) ? [[rootPid, process.pid]] : [];
    while (queue.length > 0) {
      const [pid, ppid] = queue.shift()!;
      const memory = readMemory(pid);
      if (memory) {
        const known = stats.get(pid);
        if (known) {
          known.peakRssBytes = Math.max(known.peakRssBytes, memory.hwm);
          known.cpuMs = cpu.get(pid) ?? known.cpuMs;
          known.lastSeenMs = now;
        } else {
          stats.set(pid, { pid, ppid, command: readCommand(pid), peakRssBytes: memory.hwm, cpuMs: cpu.get(pid) ?? 0, firstSeenMs: now, lastSeenMs: now });
        }
        treeRss += memory.rss;
      }
      for (const child of children.get(pid) ?? []) queue.push([child, pid]);
    }
    peakTreeRssBytes = Math.max(peakTreeRssBytes, treeRss);
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      const processes = [...stats.values()].sort((a, b) => a.firstSeenMs - b.firstSeenMs || a.pid - b.pid);
      for (const p of processes) {
        p.firstSeenMs = Math.round(p.firstSeenMs);
        p.lastSeenMs = Math.round(p.lastSeenMs);
      }
      return {
        supported,
        samples,
        intervalMs,
        processes,
        peakProcessRssBytes: Math.max(0, ...processes.map((p) => p.peakRssBytes)),
        peakTreeRssBytes,
      };
    },
  };
}
