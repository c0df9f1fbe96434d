import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { importBytes, legacyToBulletin } from '../src/lib/import/index.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const SHARED = path.resolve(ROOT, '..', 'shared');
const SEED = path.join(SHARED, 'seed', 'MS03-046.updateexpert.ja.txt');
const MS_PAGE = path.join(SHARED, 'data', 'ms-bulletins-ja', 'ms03-046.md');
const seedText = readFileSync(SEED, 'utf8');
const handFacts = parse(readFileSync(path.join(ROOT, 'content', 'bulletins', 'ms03-046', 'bulletin.yaml'), 'utf8'));
const handText = parse(readFileSync(path.join(ROOT, 'content', 'bulletins', 'ms03-046', 'ja.md'), 'utf8').split(/^---$/m)[1]!);

const kb = (...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'bin', 'kb.mjs'), ...args], { cwd: ROOT, encoding: 'utf8' });
const temps: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kb-import-legacy-'));
  temps.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** The Japanese text of a Localized value (plain strings are language-neutral). */
const ja = (value: unknown) => (typeof value === 'string' ? value : (value as { ja?: string } | undefined)?.ja);

/**
 * The facts the seed carries, in comparable form. Left out on purpose: restart_required
 * (from Microsoft's bulletin), English translations, and prose the hand-written file
 * rephrased (notes, verification, deployment note).
 */
function seedFacts(facts: any) {
  return {
    id: facts.id,
    vendor: facts.vendor,
    kb: facts.kb,
    impact: facts.impact,
    urgency: facts.urgency,
    affected: (facts.affected as any[])
      .filter((a) => a.id !== 'exchange-5.0-sp2')
      .map((a) => ({ id: a.id, product: a.product, family: a.family, service_pack: a.service_pack })),
    packages: (facts.packages as any[]).map((p) => ({
      platform: p.platform,
      file_name: p.file_name,
      language: p.language,
      architecture: p.architecture,
      date: p.date,
      version: p.version,
      size: p.size,
      url: p.url,
      files: (p.files as any[]).map((f) => ({
        folder: f.folder,
        name: f.name,
        date: f.date,
        version: f.version,
        size: f.size,
        description: ja(f.description),
        installer_helper: f.installer_helper ?? false,
      })),
      registry_keys: p.registry_keys,
      console: { tool: p.console.tool, view: ja(p.console.view), tab: p.console.tab, name: p.console.name },
      deployment: p.deployment,
    })),
  };
}

describe('kb import legacy: the seed', () => {
  const outcome = legacyToBulletin(seedText, 'MS03-046.updateexpert.ja.txt');

  it('imports without errors and names what the page does not carry', () => {
    expect(outcome.report.error).toBeUndefined();
    expect(outcome.bulletin?.id).toBe('MS03-046');
    expect(outcome.report.found).toEqual(expect.arrayContaining(['packages', 'files', 'registry_keys', 'console', 'deployment', 'affected', 'urgency']));
  });

  it('reproduces every fact of content/ MS03-046 that the seed carries, field by field', () => {
    const imported = seedFacts(outcome.bulletin!.facts);
    const hand = seedFacts(handFacts);
    expect(imported.id).toBe(hand.id);
    expect(imported.vendor).toBe(hand.vendor);
    expect(imported.kb).toEqual(hand.kb);
    expect(imported.impact).toBe(hand.impact);
    expect(imported.urgency).toBe(hand.urgency);
    expect(imported.affected).toEqual(hand.affected);
    expect(imported.packages).toHaveLength(hand.packages.length);
    hand.packages.forEach((pkg, i) => {
      const mine = imported.packages[i]!;
      for (const field of ['platform', 'file_name', 'language', 'architecture', 'date', 'version', 'size', 'url'] as const) {
        expect(mine[field], `packages[${i}].${field}`).toEqual(pkg[field]);
      }
      expect(mine.files, `packages[${i}].files`).toEqual(pkg.files);
      expect(mine.registry_keys, `packages[${i}].registry_keys`).toEqual(pkg.registry_keys);
      expect(mine.console, `packages[${i}].console`).toEqual(pkg.console);
      expect(mine.deployment, `packages[${i}].deployment`).toEqual(pkg.deployment);
    });
  });

  it('keeps the vendor notes that the hand-written bulletin rephrased', () => {
    const facts = outcome.bulletin!.facts as any;
    const spmsg = facts.packages[1].files.find((f: any) => f.name === 'spmsg.dll');
    expect(spmsg.note).toBe('インストール/アンインストールのために利用されるファイルです。システムの状況によってインストールされない場合があります。');
    expect(facts.verification.console_check.ja).toContain('グレーから緑色に変わった');
    expect(facts.verification.file_check.ja).toContain('適用されるファイル情報');
    expect(facts.deployment_note.ja).toMatch(/^この表は、1コンソールのUpdateEXPERTで/);
  });

  it('reproduces the title, subtitle, action and comment author of the Japanese text', () => {
    const front = outcome.bulletin!.ja.frontmatter;
    expect(front.title).toBe(handText.title);
    expect(front.subtitle).toBe(handText.subtitle);
    expect(front.action).toBe(handText.action);
    expect(front.comment_by).toBe(handText.comment_by);
    // Wrapped lines are joined at the space the scraper broke them at.
    expect(front.summary).toContain('Exchange Server間のルーティング');
    expect(String(front.summary).split('\n\n')).toHaveLength(3);
  });

  it('reads the seed the same in Shift_JIS, EUC-JP and UTF-8 with a BOM', () => {
    const expected = JSON.stringify(outcome.bulletin!.facts);
    for (const [name, bytes] of [
      // The page's "−" is JIS row 1 cell 61 (CP932 0x817C, EUC-JP 0xA1DD), which these
      // decoders read as U+FF0D FULLWIDTH HYPHEN-MINUS; iconv-lite cannot encode U+2212, so
      // the test writes the character the legacy files really hold.
      ['cp932', iconv.encode(seedText.replace(/\u2212/g, '\uff0d'), 'cp932')],
      ['euc-jp', iconv.encode(seedText.replace(/\u2212/g, '\uff0d'), 'euc-jp')],
      ['utf-8 bom', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(seedText)])],
      ['crlf', Buffer.from(seedText.replace(/\n/g, '\r\n'))],
    ] as const) {
      const result = importBytes('legacy', bytes, 'MS03-046.updateexpert.ja.txt');
      expect(result.report.error, name).toBeUndefined();
      expect(JSON.stringify(result.bulletin!.facts), name).toBe(expected);
    }
  });

  it('fails a page without a bulletin id with the line and what to write', () => {
    const result = legacyToBulletin(readFileSync(path.join(ROOT, 'tests', 'fixtures', 'import', 'legacy', 'no-id.txt'), 'utf8'), 'no-id.txt');
    expect(result.bulletin).toBeUndefined();
    expect(result.report.error).toMatchInlineSnapshot(`"line 1: the page does not start with a bulletin id cell such as "MS03-046/829436 |" (found "これは脆弱性情報のページではありません")"`);
  });
});

describe('kb import legacy: command', () => {
  it('refuses the seed alone because it has no publication date or severity, and says how to fix it', () => {
    const out = tempDir();
    const result = kb('import', 'legacy', SEED, '--out', out);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('MS03-046.updateexpert.ja.txt: error: published: the page does not give it');
    expect(result.stderr).toContain('import Microsoft\'s bulletin first (kb import msdocs …)');
  });

  it('merges the seed into the imported Microsoft bulletin, passes kb check and re-imports byte-identically', () => {
    const out = tempDir();
    expect(kb('import', 'msdocs', MS_PAGE, '--out', out).status).toBe(0);
    const first = kb('import', 'legacy', SEED, '--out', out);
    expect(first.stderr).toContain('1 bulletin imported');
    expect(first.status).toBe(0);
    const factsFile = path.join(out, 'bulletins', 'ms03-046', 'bulletin.yaml');
    const before = readFileSync(factsFile, 'utf8');
    const merged = parse(before);
    // Microsoft's facts stay; the seed's packages point at affected products that exist.
    expect(merged.cves).toEqual(['CVE-2003-0714']);
    expect(merged.published).toBe('2003-10-16');
    expect(merged.severity).toBe('critical');
    expect(merged.affected.map((a: any) => a.id)).toEqual(['exchange-5.0-sp2', 'exchange-5.5-sp4', 'exchange-2000-sp3']);
    expect(seedFacts(merged).packages).toEqual(seedFacts(handFacts).packages);

    const check = kb('check', '--content', out);
    expect(check.stderr).toMatch(/ok: 1 bulletin checked in .*, 0 errors/);
    expect(check.status).toBe(0);

    const again = kb('import', 'legacy', SEED, '--out', out);
    expect(again.status).toBe(0);
    expect(again.stderr).toContain('(0 written, 1 unchanged)');
    expect(readFileSync(factsFile, 'utf8')).toBe(before);
  });

  it('refuses to overwrite a bulletin edited after the import, and overwrites it with --force', () => {
    const out = tempDir();
    expect(kb('import', 'msdocs', MS_PAGE, '--out', out).status).toBe(0);
    const textFile = path.join(out, 'bulletins', 'ms03-046', 'ja.md');
    const edited = readFileSync(textFile, 'utf8').replace(/^action: .*$/m, 'action: 編集者が書き換えた対応策です。');
    writeFileSync(textFile, edited);
    const refused = kb('import', 'legacy', SEED, '--out', out);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`${textFile} was edited after the last import; kept the edits. Re-run with --force to overwrite it`);
    expect(readFileSync(textFile, 'utf8')).toBe(edited);
    const forced = kb('import', 'legacy', SEED, '--out', out, '--force');
    expect(forced.status).toBe(0);
    expect(readFileSync(textFile, 'utf8')).toContain('action: 修正プログラムの適用作業を至急開始してください。');
  });
});
