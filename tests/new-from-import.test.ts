import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';

// `kb new ID --from-legacy FILE` / `--from-msdocs FILE`: the importer's output as the start
// of a new bulletin, read from ../shared (never copied into the repository).
const ROOT = path.resolve(import.meta.dirname, '..');
const SHARED = path.resolve(ROOT, '..', 'shared');
const SEED = path.join(SHARED, 'seed', 'MS03-046.updateexpert.ja.txt');
const MSDOCS = path.join(SHARED, 'data', 'ms-bulletins-ja', 'ms03-046.md');

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});
function scratch(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kb-new-import-'));
  temps.push(dir);
  mkdirSync(path.join(dir, 'content', 'bulletins'), { recursive: true });
  return dir;
}
const kb = (cwd: string, ...args: string[]) =>
  spawnSync(process.execPath, [path.join(ROOT, 'bin', 'kb.mjs'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, KB_CONTENT_DIR: undefined } });
const read = (dir: string, file: string) => readFileSync(path.join(dir, 'content', 'bulletins', 'ms03-046', file), 'utf8');
const frontmatter = (markdown: string) => parseYaml(/^---\n([\s\S]*?)\n---\n/.exec(markdown)![1]!) as Record<string, unknown>;

describe('kb new --from-legacy', () => {
  it('starts from the vendor page: its facts, placeholders for what the page lacks, and kb check passes', () => {
    const dir = scratch();
    const result = kb(dir, 'new', 'MS03-046', '--from-legacy', SEED);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('note: severity, published: not in');
    expect(result.stdout).toMatch(/content\/bulletins\/ms03-046\/bulletin\.yaml:\d+: severity: \w+ {2}# TODO/);
    expect(result.stdout).toMatch(/content\/bulletins\/ms03-046\/bulletin\.yaml:\d+: published: \d{4}-\d{2}-\d{2} {2}# TODO/);

    const facts = parseYaml(read(dir, 'bulletin.yaml')) as any;
    // Facts of the seed page, as the legacy importer reads them.
    expect(facts.kb).toEqual([829436]);
    expect(facts.packages[0].file_name).toBe('Exchange5.5-KB829436-x86-jpn.EXE');
    expect(facts.packages[0].size).toBe(1165928);
    expect(facts.packages[1].files.map((f: { name: string }) => f.name)).toContain('peexch50.dll');
    expect(read(dir, 'bulletin.yaml')).toMatch(/^# Written by "kb import" from legacy /m);
    expect(frontmatter(read(dir, 'ja.md')).lang).toBe('ja');
    expect(frontmatter(read(dir, 'en.md'))).toMatchObject({ id: 'MS03-046', lang: 'en', translated_from: 'ja', title: 'TODO' });

    const checked = kb(dir, 'check', '--format', 'json');
    expect(checked.status).toBe(0);
    const codes = (JSON.parse(checked.stdout) as Array<{ severity: string; code: string }>).map((d) => `${d.severity} ${d.code}`);
    // The seed's download links are http:// (that is the fact); nothing else is reported.
    expect(codes.filter((c) => c !== 'warning INSECURE_URL')).toEqual([]);
  });

  it('is kept by a later kb import, since its placeholders make it an edited file', () => {
    const dir = scratch();
    expect(kb(dir, 'new', 'MS03-046', '--from-legacy', SEED).status).toBe(0);
    const before = read(dir, 'bulletin.yaml');
    const again = kb(dir, 'import', 'legacy', SEED, '--out', 'content');
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('was edited after the last import');
    expect(read(dir, 'bulletin.yaml')).toBe(before);
  });
});

describe('kb new --from-msdocs', () => {
  it('starts from the microsoft bulletin and passes kb check with no diagnostics', () => {
    const dir = scratch();
    const result = kb(dir, 'new', 'MS03-046', '--from-msdocs', MSDOCS);
    expect(result.status, result.stderr).toBe(0);
    const facts = parseYaml(read(dir, 'bulletin.yaml')) as any;
    expect(facts).toMatchObject({ id: 'MS03-046', cves: ['CVE-2003-0714'], severity: 'critical', published: '2003-10-16' }); // the Japanese edition's date (公開日: 2003年10月16日)
    expect(read(dir, 'bulletin.yaml')).not.toContain('TODO');
    const checked = kb(dir, 'check', '--format', 'json');
    expect(JSON.parse(checked.stdout)).toEqual([]);
    expect(checked.status).toBe(0);
    // Unedited, it is exactly what kb import writes: a later import finds nothing to change.
    const refreshed = kb(dir, 'import', 'msdocs', MSDOCS, '--out', 'content');
    expect(refreshed.status, refreshed.stderr).toBe(0);
    expect(refreshed.stderr).toContain('(0 written, 1 unchanged)');
  });

  it('refuses a source about another bulletin and writes nothing', () => {
    const dir = scratch();
    const result = kb(dir, 'new', 'MS03-045', '--from-msdocs', MSDOCS);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('it is bulletin MS03-046, not MS03-045: run "kb new MS03-046 --from-msdocs');
    expect(existsSync(path.join(dir, 'content', 'bulletins', 'ms03-045'))).toBe(false);
  });

  it('refuses an id that already exists, pointing at kb import to refresh it', () => {
    const dir = scratch();
    expect(kb(dir, 'new', 'MS03-046').status).toBe(0);
    const result = kb(dir, 'new', 'MS03-046', '--from-msdocs', MSDOCS);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('MS03-046 already exists');
    expect(result.stderr).toContain('kb import msdocs');
  });

  it('is a usage error with both sources, or with english as the first language', () => {
    const dir = scratch();
    expect(kb(dir, 'new', 'MS03-046', '--from-msdocs', MSDOCS, '--from-legacy', SEED).status).toBe(2);
    const english = kb(dir, 'new', 'MS03-046', '--from-msdocs', MSDOCS, '--lang', 'en');
    expect(english.status).toBe(2);
    expect(english.stderr).toContain('gives the Japanese text');
  });

  it('says when the source file cannot be read', () => {
    const dir = scratch();
    const result = kb(dir, 'new', 'MS03-046', '--from-msdocs', path.join(dir, 'missing.md'));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('missing.md: cannot read it (no such file)');
  });
});
