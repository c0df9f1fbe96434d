/**
 * Reads what git knows about a content folder, in three calls whatever the number of
 * files (`rev-parse`, one `git log`, one `git status`), for `kb translations` and the site's
 * stale-translation notice. Never throws: outside a git checkout, or without git, it says
 * the history is unavailable and callers treat every translation as current.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';

export interface Commit {
  /** Full commit hash. */
  hash: string;
  /**
   * Parents within the content folder's history (git's parent rewriting skips commits that
   * do not touch the folder), so ancestry between listed commits is the repository's.
   */
  parents: string[];
  /** Committer date, ISO 8601 in UTC (`2024-05-01T09:30:00.000Z`). */
  date: string;
  /** First line of the commit message. */
  subject: string;
  /** Files the commit changed, relative to the content folder, with forward slashes. */
  files: string[];
}

export interface GitHistory {
  /** False outside a git checkout or without git; `reason` says why. */
  available: boolean;
  reason?: string;
  /** Commits that touched the content folder, newest first (git log order). */
  commits: Commit[];
  /**
   * Files with uncommitted changes (modified, added, renamed, deleted or untracked), relative
   * to the content folder.
   */
  uncommitted: Set<string>;
  /** A shallow clone: history stops at the clone depth, so older changes are not seen. */
  shallow: boolean;
}

/** A history with nothing in it, for content outside git. */
export function unavailableHistory(reason: string): GitHistory {
  return { available: false, reason, commits: [], uncommitted: new Set(), shallow: false };
}

function git(cwd: string, args: readonly string[]): Promise<{ ok: true; stdout: string } | { ok: false; message: string }> {
  return new Promise((resolve) => {
    execFile(
      'git',
      args,
      // LC_ALL=C: messages we show stay in one language; GIT_* from a surrounding hook would
      // point git at another repository.
      { cwd, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, env: { ...process.env, LC_ALL: 'C', GIT_DIR: undefined, GIT_WORK_TREE: undefined, GIT_INDEX_FILE: undefined } },
      (error, stdout, stderr) => {
        if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') resolve({ ok: false, message: 'git is not installed (or not on PATH)' });
        else if (error) resolve({ ok: false, message: ((stderr || error.message).trim().split('\n')[0] ?? 'git failed').replace(/^fatal: /, '') });
        else resolve({ ok: true, stdout });
      },
    );
  });
}

/** Parses `git log -z --name-only --format=%x01%H%x00%P%x00%ct%x00%s` output. */
export function parseGitLog(output: string): Commit[] {
  const commits: Commit[] = [];
  for (const record of output.split('\x01')) {
    if (record === '') continue;
    const [hash, parents, time, subject, ...rest] = record.split('\0');
    if (!hash || time === undefined) continue;
    commits.push({
      hash,
      parents: parents ? parents.split(' ').filter(Boolean) : [],
      date: new Date(Number(time) * 1000).toISOString(),
      subject: subject ?? '',
      files: rest.map((name) => name.replace(/^\n/, '')).filter(Boolean),
    });
  }
  return commits;
}

/**
 * Parses `git status --porcelain=v1 -z` output into paths relative to the content folder.
 * Porcelain paths are relative to the repository root; `prefix` is the content folder's
 * path from there (`git rev-parse --show-prefix`).
 */
export function parseGitStatus(output: string, prefix: string): Set<string> {
  const out = new Set<string>();
  const entries = output.split('\0');
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    if (entry.length < 4) continue;
    const status = entry.slice(0, 2);
    const file = entry.slice(3);
    // A rename or copy is followed by its original path, which is not a file of the folder any more.
    if (status.includes('R') || status.includes('C')) i++;
    if (file.startsWith(prefix)) out.add(file.slice(prefix.length));
  }
  return out;
}

/** Reads the history of `contentDir` (absolute, or relative to the working directory). */
export async function readGitHistory(contentDir: string): Promise<GitHistory> {
  const cwd = path.resolve(contentDir);
  const where = await git(cwd, ['rev-parse', '--show-prefix', '--is-shallow-repository']);
  if (!where.ok) return unavailableHistory(where.message);
  const [prefix = '', shallow = 'false'] = where.stdout.split('\n');
  const [log, status] = await Promise.all([
    // --relative: names relative to the content folder; -z: any file name, unquoted.
    git(cwd, ['-c', 'core.quotePath=false', 'log', '-z', '--name-only', '--no-renames', '--relative', '--format=%x01%H%x00%P%x00%ct%x00%s', '--', '.']),
    git(cwd, ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--', '.']),
  ]);
  if (!log.ok) {
    // A repository without any commit yet: everything is uncommitted.
    if (/does not have any commits|bad default revision/i.test(log.message) && status.ok) {
      return { available: true, commits: [], uncommitted: parseGitStatus(status.stdout, prefix), shallow: false };
    }
    return unavailableHistory(log.message);
  }
  return {
    available: true,
    commits: parseGitLog(log.stdout),
    uncommitted: status.ok ? parseGitStatus(status.stdout, prefix) : new Set(),
    shallow: shallow.trim() === 'true',
  };
}
