import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as gitHistory from '../src/lib/git-history.ts';
import * as status from '../src/lib/translation-status.ts';
import { editFile } from './helpers/edit-file.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

// --- a scratch repository -------------------------------------------------------------------

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** Fixed identity and dates: the test does not depend on the machine's git config or clock. */
let clock = Date.UTC(2024, 0, 1, 9, 0, 0) / 1000;
function gitEnv(): NodeJS.ProcessEnv {
  const date = `${clock} +0000`;
  return {
    ...process.env,
    GIT_AUTHOR_NAME: 'Author',
    GIT_AUTHOR_EMAIL: 'author@example.invalid',
    GIT_COMMITTER_NAME: 'Author',
    GIT_COMMITTER_EMAIL: 'author@example.invalid',
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_DATE: date,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
  };
}

function git(dir: string, ...args: string[]): string {
  const result = spawnSync('git', args, { cwd: dir, encoding: 'utf8', env: gitEnv() });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout.trim();
}

/** Commits everything with the given message one day after the previous commit. */
function commit(dir: string, message: string): { hash: string; date: string } {
  clock += 86_400;
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', message);
  return { hash: git(dir, 'rev-parse', 'HEAD'), date: new Date(clock * 1000).toISOString() };
}

function kb(cwd: string, ...args: string[]) {
  return spawnSync(process.execPath, [path.join(ROOT, 'bin', 'kb.mjs'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, KB_CONTENT_DIR: undefined },
  });
}

/** A repository holding `content/` with MS99-999 (ja source, en translated from ja), committed. */
function scratchRepo(): { dir: string; ja: string; en: string; added: { hash: string; date: string } } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kb-translations-'));
  temps.push(dir);
  git(dir, 'init', '-q', '-b', 'main');
  mkdirSync(path.join(dir, 'content', 'bulletins'), { recursive: true });
  const created = kb(dir, 'new', 'MS99-999');
  if (created.status !== 0) throw new Error(created.stderr);
  const folder = path.join(dir, 'content', 'bulletins', 'ms99-999');
  const ja = path.join(folder, 'ja.md');
  const en = path.join(folder, 'en.md');
  editFile(ja, /^title: TODO$/m, 'title: 最初の見出し');
  editFile(en, /^title: TODO$/m, 'title: First headline');
  const added = commit(dir, 'Add MS99-999');
  return { dir, ja, en, added };
}

type Report = {
  git: { available: boolean; shallow: boolean; reason?: string };
  bulletins: Array<{
    id: string;
    present: string[];
    missing: string[];
    stale: string[];
    languages: Record<string, { file: string; translated_from: string | null; stale: boolean; unseen: Array<Record<string, unknown>>; last_change: Record<string, unknown> | null; note?: string }>;
  }>;
};

function report(dir: string): Report {
  const result = kb(dir, 'translations', '--format', 'json');
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Report;
}

// --- pure logic -------------------------------------------------------------------------------

describe('translation status modules', () => {
  it('export the status functions and the git reader, nothing else', () => {
    expect(Object.keys(status).sort()).toEqual(['staleInfo', 'translationInputs', 'translationStatus']);
    expect(Object.keys(gitHistory).sort()).toEqual(['parseGitLog', 'parseGitStatus', 'readGitHistory', 'unavailableHistory']);
  });

  it('reads no history outside a git checkout, and says why instead of throwing', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kb-nogit-'));
    temps.push(dir);
    const history = await gitHistory.readGitHistory(dir);
    expect(history).toMatchObject({ available: false, commits: [], shallow: false });
    expect(history.reason).toMatch(/not a git repository/);
    expect((await gitHistory.readGitHistory(path.join(dir, 'missing'))).available).toBe(false);
  });

  it('parses git log records with parents, dates, subjects and nul-separated file names', () => {
    const output =
      '\x01aaa\x00bbb ccc\x001704099600\x00Merge branch\x00' +
      '\x01bbb\x00ddd\x001704013200\x00Fix: ja summary\x00\nbulletins/x/ja.md\x00bulletins/x/データ.md\x00' +
      '\x01ddd\x00\x001703926800\x00init\x00\nbulletins/x/en.md\x00';
    expect(gitHistory.parseGitLog(output)).toEqual([
      { hash: 'aaa', parents: ['bbb', 'ccc'], date: '2024-01-01T09:00:00.000Z', subject: 'Merge branch', files: [] },
      { hash: 'bbb', parents: ['ddd'], date: '2023-12-31T09:00:00.000Z', subject: 'Fix: ja summary', files: ['bulletins/x/ja.md', 'bulletins/x/データ.md'] },
      { hash: 'ddd', parents: [], date: '2023-12-30T09:00:00.000Z', subject: 'init', files: ['bulletins/x/en.md'] },
    ]);
  });

  it('reads git status paths relative to the content folder, skipping the old name of a rename', () => {
    const output = ' M content/bulletins/x/ja.md\0R  content/bulletins/y/en.md\0content/bulletins/old/en.md\0?? content/bulletins/z/ja.md\0 M README.md\0';
    expect([...gitHistory.parseGitStatus(output, 'content/')]).toEqual(['bulletins/x/ja.md', 'bulletins/y/en.md', 'bulletins/z/ja.md']);
  });

  it('reports a translation stale when a source commit is not an ancestor of its last commit', () => {
    // c3 (merge) ← c2a (ja edit, main) and c2b (en edit, branch) ← c1 (both added)
    const history = {
      available: true,
      shallow: false,
      uncommitted: new Set<string>(),
      commits: [
        { hash: 'c3', parents: ['c2a', 'c2b'], date: '2024-01-04T00:00:00.000Z', subject: 'merge', files: [] },
        { hash: 'c2b', parents: ['c1'], date: '2024-01-03T00:00:00.000Z', subject: 'en update', files: ['b/x/en.md'] },
        { hash: 'c2a', parents: ['c1'], date: '2024-01-02T00:00:00.000Z', subject: 'ja fix', files: ['b/x/ja.md'] },
        { hash: 'c1', parents: [], date: '2024-01-01T00:00:00.000Z', subject: 'add', files: ['b/x/ja.md', 'b/x/en.md'] },
      ],
    };
    const [result] = status.translationStatus([{ id: 'X-1', files: { ja: { file: 'b/x/ja.md' }, en: { file: 'b/x/en.md', translatedFrom: 'ja' } } }], history);
    // The en update is newer by date, but was made without seeing the ja fix.
    expect(result!.stale).toEqual(['en']);
    expect(result!.languages.en!.unseen).toEqual([{ commit: 'c2a', date: '2024-01-02T00:00:00.000Z', subject: 'ja fix' }]);
    expect(status.staleInfo(result!)).toEqual({
      ja: { stale: false },
      en: { stale: true, source: 'ja', sourceCommit: 'c2a', sourceDate: '2024-01-02T00:00:00.000Z' },
    });
  });

  it('treats uncommitted edits as the newest change of a file', () => {
    const commits = [{ hash: 'c1', parents: [], date: '2024-01-01T00:00:00.000Z', subject: 'add', files: ['b/x/ja.md', 'b/x/en.md'] }];
    const input = [{ id: 'X-1', files: { ja: { file: 'b/x/ja.md' }, en: { file: 'b/x/en.md', translatedFrom: 'ja' as const } } }];
    const sourceEdited = status.translationStatus(input, { available: true, shallow: false, commits, uncommitted: new Set(['b/x/ja.md']) });
    expect(sourceEdited[0]!.stale).toEqual(['en']);
    expect(status.staleInfo(sourceEdited[0]!).en).toEqual({ stale: true, source: 'ja', uncommitted: true });
    const bothEdited = status.translationStatus(input, { available: true, shallow: false, commits, uncommitted: new Set(['b/x/ja.md', 'b/x/en.md']) });
    expect(bothEdited[0]!.stale).toEqual([]);
  });

  it('reports nothing stale and says why when there is no git history', () => {
    const [result] = status.translationStatus(
      [{ id: 'X-1', files: { ja: { file: 'b/x/ja.md' }, en: { file: 'b/x/en.md', translatedFrom: 'ja' } } }],
      gitHistory.unavailableHistory('not a git repository'),
    );
    expect(result!.stale).toEqual([]);
    expect(result!.languages.en!.note).toBe('not in git (not a git repository): staleness unknown');
  });

  it('lists missing languages and a translation whose source file does not exist', () => {
    const [result] = status.translationStatus([{ id: 'X-1', files: { en: { file: 'b/x/en.md', translatedFrom: 'ja' } } }], gitHistory.unavailableHistory('-'));
    expect(result!.missing).toEqual(['ja']);
    expect(result!.present).toEqual(['en']);
    expect(result!.languages.en!.note).toBe('translated from ja, but there is no ja.md');
  });
});

// --- kb translations in a scratch repository --------------------------------------------------

describe('kb translations', () => {
  it('reports the english text stale, with the commit, after the japanese text is edited and committed', () => {
    const { dir, ja, en } = scratchRepo();
    editFile(en, 'title: First headline', 'title: The English headline');
    const translated = commit(dir, 'Translate MS99-999 into English');
    expect(report(dir).bulletins[0]!.stale).toEqual([]);

    editFile(ja, 'title: 最初の見出し', 'title: 修正した見出し');
    const jaEdit = commit(dir, 'MS99-999: fix the Japanese headline');
    const result = report(dir);
    expect(result.git).toEqual({ available: true, shallow: false });
    expect(result.bulletins[0]!.stale).toEqual(['en']);
    expect(result.bulletins[0]!.languages.en).toEqual({
      file: 'content/bulletins/ms99-999/en.md',
      translated_from: 'ja',
      stale: true,
      unseen: [{ commit: jaEdit.hash, date: jaEdit.date, subject: 'MS99-999: fix the Japanese headline' }],
      last_change: { commit: translated.hash, date: translated.date, subject: 'Translate MS99-999 into English' },
    });
    expect(result.bulletins[0]!.languages.ja!.stale).toBe(false);

    const text = kb(dir, 'translations');
    expect(text.stdout).toBe(
      [
        'MS99-999  ja: source  en: stale (from ja)',
        `  content/bulletins/ms99-999/en.md has not seen 1 change to content/bulletins/ms99-999/ja.md since ${translated.hash.slice(0, 10)} ${translated.date.slice(0, 10)}:`,
        `    ${jaEdit.hash.slice(0, 10)} ${jaEdit.date.slice(0, 10)} MS99-999: fix the Japanese headline`,
        '',
      ].join('\n'),
    );
    expect(text.stderr).toBe('1 bulletin: 0 missing translations, 1 stale\n');

    // Bringing the translation up to date clears it.
    editFile(en, 'title: The English headline', 'title: The corrected English headline');
    commit(dir, 'Update the English translation');
    expect(report(dir).bulletins[0]!.stale).toEqual([]);
  });

  it('counts uncommitted edits to the source as a change the translation has not seen', () => {
    const { dir, ja, en } = scratchRepo();
    editFile(ja, 'title: 最初の見出し', 'title: 編集中の見出し');
    const result = report(dir);
    expect(result.bulletins[0]!.languages.en!.unseen).toEqual([{ uncommitted: true }]);
    // Editing the translation too: the two are being updated together.
    editFile(en, 'title: First headline', 'title: Headline being edited');
    expect(report(dir).bulletins[0]!.stale).toEqual([]);
  });

  it('catches a translation finished on a branch while the source changed on main', () => {
    const { dir, ja, en } = scratchRepo();
    git(dir, 'checkout', '-q', '-b', 'translation');
    editFile(en, 'title: First headline', 'title: Branch headline');
    const branch = commit(dir, 'Translate on a branch');
    git(dir, 'checkout', '-q', 'main');
    clock -= 3 * 86_400; // the ja fix is older than the branch commit by date
    editFile(ja, 'title: 最初の見出し', 'title: 本線の見出し');
    const main = commit(dir, 'Fix ja on main');
    clock += 10 * 86_400;
    git(dir, 'merge', '-q', '--no-edit', 'translation');
    expect(main.date < branch.date).toBe(true);
    const en1 = report(dir).bulletins[0]!.languages.en!;
    expect(en1.stale).toBe(true);
    expect(en1.unseen.map((c) => c.commit)).toEqual([main.hash]);
  });

  it('lists a missing translation', () => {
    const { dir, en } = scratchRepo();
    rmSync(en);
    commit(dir, 'Drop the English text');
    const result = report(dir);
    expect(result.bulletins[0]!.missing).toEqual(['en']);
    expect(kb(dir, 'translations').stdout).toBe('MS99-999  ja: source  en: missing\n');
  });

  it('works outside a git checkout, reporting nothing stale and saying why', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kb-translations-nogit-'));
    temps.push(dir);
    mkdirSync(path.join(dir, 'content', 'bulletins'), { recursive: true });
    expect(kb(dir, 'new', 'MS99-999').status).toBe(0);
    const result = kb(dir, 'translations');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('MS99-999  ja: source  en: unknown (from ja)\n');
    expect(result.stderr).toMatch(/note: content is not in a git checkout \(not a git repository.*\): stale translations cannot be detected/);
  });

  it('exits 2 when the content folder has no bulletins', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kb-translations-empty-'));
    temps.push(dir);
    const result = kb(dir, 'translations', '--content', 'nowhere');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('no bulletins folder in nowhere');
  });
});
