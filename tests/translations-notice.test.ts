import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite, ROOT } from './helpers/build-site.ts';

// A scratch git repository with a copy of the content, where MS03-046's Japanese source
// is edited after its English translation; the site built from it must flag en as stale.
let work: string;
let site: string;
let jaCommit: string;

function git(...args: string[]): string {
  const result = spawnSync('git', args, {
    cwd: work,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Author',
      GIT_AUTHOR_EMAIL: 'author@example.invalid',
      GIT_COMMITTER_NAME: 'Author',
      GIT_COMMITTER_EMAIL: 'author@example.invalid',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      // Fixed dates: the notice shows the day of the source change.
      GIT_AUTHOR_DATE: '2024-05-01T10:00:00Z',
      GIT_COMMITTER_DATE: args[0] === 'commit' && args.includes('Fix the Japanese summary') ? '2024-05-02T10:00:00Z' : '2024-05-01T10:00:00Z',
    },
  });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
}

beforeAll(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'kb-stale-'));
  cpSync(path.join(ROOT, 'content'), path.join(work, 'content'), { recursive: true });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'Import content');
  const ja = path.join(work, 'content', 'bulletins', 'ms03-046', 'ja.md');
  writeFileSync(ja, readFileSync(ja, 'utf8').replace(/^action: .*$/m, 'action: 修正プログラムを直ちに適用してください。'));
  git('add', '-A');
  git('commit', '-q', '-m', 'Fix the Japanese summary');
  jaCommit = git('rev-parse', 'HEAD');
  // Inside the project: Astro puts its prerender chunks in ./.astro/ when the output folder
  // is outside the working directory, where parallel builds would overwrite each other's.
  site = path.join(ROOT, '.kb-test', `stale-notice-${process.pid}`);
  buildSite({ contentDir: path.join(work, 'content'), outDir: site });
}, 600_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
  if (site) rmSync(site, { recursive: true, force: true });
});

const page = (relative: string) => readFileSync(path.join(site, relative, 'index.html'), 'utf8');

describe('stale translation notice', () => {
  it('appears on the english page of a bulletin whose japanese source changed after the translation', () => {
    const html = page('en/bulletins/ms03-046');
    const notice = /<aside class="notice stale-notice"[^>]*>[\s\S]*?<\/aside>/.exec(html)?.[0];
    expect(notice).toBeDefined();
    expect(notice).toContain(`data-source-commit="${jaCommit}"`);
    expect(notice).toContain('This translation may be out of date');
    expect(notice).toContain('The Japanese original was changed on');
    expect(notice).toContain('<time datetime="2024-05-02">2 May 2024</time>');
    expect(notice).toMatch(/<a href="\/ja\/bulletins\/ms03-046\/" hreflang="ja">Read the Japanese original\.<\/a>/);
  });

  it('does not appear on the source language page or on bulletins whose translation is current', () => {
    expect(page('ja/bulletins/ms03-046')).not.toContain('stale-notice');
    const ids = readdirSync(path.join(work, 'content', 'bulletins')).filter((id) => id !== 'ms03-046');
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) for (const lang of ['ja', 'en']) expect(page(`${lang}/bulletins/${id}`), `${lang}/${id}`).not.toContain('stale-notice');
  });
});
