/**
 * `npm run build` never leaves a half-written site: it builds into a temporary folder next
 * to the output and swaps it in only when every step succeeded. These tests build into a
 * scratch folder, break the build in three ways (bad content, SIGKILL mid-build, a kill
 * between the two renames of the swap) and compare the output tree byte for byte.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, watch, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashTree } from './helpers/site-files.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const BUILD = path.join(ROOT, 'bin', 'build.mjs');

function build(out: string, contentDir: string) {
  const result = spawnSync(process.execPath, [BUILD, '--out', out], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, KB_CONTENT_DIR: contentDir },
  });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

/** Build folders other than the output itself that are left in the output's parent. */
function leftovers(parent: string): string[] {
  return readdirSync(parent).filter((name) => name.startsWith('.kb-'));
}

/** A pid that belonged to a process which has exited (for simulating a dead build). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

let scratch: string;
let goodContent: string;
let biggerContent: string;
let brokenContent: string;
let brokenLine: number;

beforeAll(() => {
  mkdirSync(path.join(ROOT, '.kb-test'), { recursive: true });
  scratch = mkdtempSync(path.join(ROOT, '.kb-test', 'atomic-'));
  // Content folders of our own, so edits to content/ elsewhere cannot change what is tested.
  // The hostile fixture is small, valid, and exercises every page type.
  goodContent = path.join(scratch, 'good');
  cpSync(path.join(ROOT, 'tests', 'fixtures', 'hostile'), goodContent, { recursive: true });
  // One bulletin more, so a successful rebuild visibly changes the output.
  biggerContent = path.join(scratch, 'bigger');
  cpSync(goodContent, biggerContent, { recursive: true });
  const extra = path.join(biggerContent, 'bulletins', 'hx99-003');
  mkdirSync(extra);
  for (const name of ['bulletin.yaml', 'ja.md']) {
    const text = readFileSync(path.join(goodContent, 'bulletins', 'hx99-002', name), 'utf8');
    writeFileSync(path.join(extra, name), text.replaceAll('HX99-002', 'HX99-003').replaceAll('9990002', '9990003').replaceAll('CVE-2099-0002', 'CVE-2099-0003'));
  }
  // Same content with one fact broken: a rounded size the schema refuses.
  brokenContent = path.join(scratch, 'broken');
  cpSync(goodContent, brokenContent, { recursive: true });
  const facts = path.join(brokenContent, 'bulletins', 'hx99-001', 'bulletin.yaml');
  const lines = readFileSync(facts, 'utf8').split('\n');
  brokenLine = lines.findIndex((line) => line.trim() === 'size: 1234567') + 1;
  expect(brokenLine).toBeGreaterThan(0);
  lines[brokenLine - 1] = lines[brokenLine - 1]!.replace('1234567', '1.2 MB');
  writeFileSync(facts, lines.join('\n'));
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('atomic builds', () => {
  it('a failed build exits 1 with the diagnostic and leaves the previous output byte for byte', () => {
    const parent = path.join(scratch, 'failed');
    const out = path.join(parent, 'dist');
    const first = build(out, goodContent);
    expect(first.status, first.output).toBe(0);
    const before = hashTree(out);
    expect(Object.keys(before)).toContain('en/bulletins/hx99-001/index.html');

    const broken = build(out, brokenContent);
    expect(broken.status, broken.output).toBe(1);
    expect(broken.output).toContain(`bulletins/hx99-001/bulletin.yaml:${brokenLine}:`);
    expect(broken.output).toContain('SCHEMA_VALUE packages[0].size');
    expect(broken.output).toContain('is left as it was');
    expect(hashTree(out)).toEqual(before);
    expect(leftovers(parent)).toEqual([]);
  });

  it('a failed first build writes no output folder at all', () => {
    const parent = path.join(scratch, 'never');
    const out = path.join(parent, 'dist');
    const broken = build(out, brokenContent);
    expect(broken.status, broken.output).toBe(1);
    expect(broken.output).toContain(`no ${out}/ was written`);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(parent) ? leftovers(parent) : []).toEqual([]);
  });

  /**
   * Starts a build of `biggerContent` into `out` in its own process group and SIGKILLs the
   * whole group (the build script and Astro's child, as a cancelled CI job or a closed
   * terminal would) at the moment `when` says. Resolves with the signal the build died of
   * and whether its temporary output folder existed at the time.
   */
  async function killedBuild(out: string, when: 'after-a-second' | 'while-writing') {
    const parent = path.dirname(out);
    const child = spawn(process.execPath, [BUILD, '--out', out], {
      cwd: ROOT,
      env: { ...process.env, KB_CONTENT_DIR: biggerContent },
      detached: true,
      stdio: 'ignore',
    });
    const tempName = `.kb-build-${path.basename(out)}-${child.pid}`;
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    const kill = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    // while-writing: the moment Astro creates the temporary output folder it writes pages into.
    const watcher =
      when === 'while-writing'
        ? watch(parent, (_event, name) => {
            if (name === tempName) kill();
          })
        : undefined;
    const timer = when === 'after-a-second' ? setTimeout(kill, 1000) : undefined;
    const signal = await exited;
    clearTimeout(timer);
    watcher?.close();
    return { signal, tempName, tempLeft: existsSync(path.join(parent, tempName)) };
  }

  for (const when of ['after-a-second', 'while-writing'] as const) {
    it(`a build killed with SIGKILL ${when.replaceAll('-', ' ')} leaves the previous output, and the next build cleans up and succeeds`, async () => {
      const parent = path.join(scratch, `killed-${when}`);
      const out = path.join(parent, 'dist');
      const first = build(out, goodContent);
      expect(first.status, first.output).toBe(0);
      const before = hashTree(out);

      const killed = await killedBuild(out, when);
      expect(killed.signal, 'the build finished before it could be interrupted').toBe('SIGKILL');
      expect(hashTree(out)).toEqual(before);
      // Killed while writing, the half-written site is still on disk: it must not be the output.
      if (when === 'while-writing') expect(killed.tempLeft).toBe(true);

      const next = build(out, biggerContent);
      expect(next.status, next.output).toBe(0);
      expect(existsSync(path.join(out, 'en', 'bulletins', 'hx99-003', 'index.html'))).toBe(true);
      expect(leftovers(parent)).toEqual([]);
    });
  }

  it('a build interrupted between the two renames of the swap gets the previous output back on the next run', () => {
    const parent = path.join(scratch, 'swap');
    const out = path.join(parent, 'dist');
    const first = build(out, goodContent);
    expect(first.status, first.output).toBe(0);
    const before = hashTree(out);

    // The state a kill between `rename(dist, old)` and `rename(temp, dist)` leaves: no dist,
    // the previous site under its ".kb-dist-old" name, a complete temp folder, a dead pid.
    const pid = deadPid();
    renameSync(out, path.join(parent, `.kb-dist-old-dist-${pid}`));
    mkdirSync(path.join(parent, `.kb-build-dist-${pid}`, 'en'), { recursive: true });
    writeFileSync(path.join(parent, `.kb-build-dist-${pid}`, 'en', 'index.html'), 'half a site');

    // Even a failing build must first restore the previous output, then keep it.
    const broken = build(out, brokenContent);
    expect(broken.status, broken.output).toBe(1);
    expect(broken.output).toContain('is left as it was');
    expect(hashTree(out)).toEqual(before);
    expect(leftovers(parent)).toEqual([]);
  });

  it('leaves the folders of a build that is still running alone', () => {
    const parent = path.join(scratch, 'concurrent');
    const out = path.join(parent, 'dist');
    mkdirSync(parent, { recursive: true });
    // This test process is alive: its pid marks the folder as belonging to a running build.
    const busy = path.join(parent, `.kb-build-dist-${process.pid}`);
    mkdirSync(busy);
    writeFileSync(path.join(busy, 'page.html'), 'in progress');
    const result = build(out, goodContent);
    expect(result.status, result.output).toBe(0);
    expect(readFileSync(path.join(busy, 'page.html'), 'utf8')).toBe('in progress');
    expect(leftovers(parent)).toEqual([`.kb-build-dist-${process.pid}`]);
  });

  it('builds into a folder outside the project, on another file system too, the same site as inside it', () => {
    // Astro renames its assets into an output outside the project from the project's own
    // .astro folder, which fails across file systems (EXDEV); /dev/shm is a tmpfs on Linux.
    const elsewhere = existsSync('/dev/shm') && statSync('/dev/shm').dev !== statSync(ROOT).dev ? '/dev/shm' : os.tmpdir();
    const parent = mkdtempSync(path.join(elsewhere, 'kb-outside-'));
    try {
      const out = path.join(parent, 'site');
      const inside = path.join(scratch, 'inside', 'site');
      const outsideBuild = build(out, goodContent);
      expect(outsideBuild.status, outsideBuild.output).toBe(0);
      expect(build(inside, goodContent).status).toBe(0);
      expect(hashTree(out)).toEqual(hashTree(inside));
      // A rebuild swaps the new site in the same way, and nothing is left behind anywhere.
      const again = build(out, biggerContent);
      expect(again.status, again.output).toBe(0);
      expect(existsSync(path.join(out, 'en', 'bulletins', 'hx99-003', 'index.html'))).toBe(true);
      expect(leftovers(parent)).toEqual([]);
      expect(readdirSync(ROOT).filter((name) => name.startsWith('.kb-build') && name.includes('-site-'))).toEqual([]);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
