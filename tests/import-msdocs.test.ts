import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { msdocsFileRows, msdocsRegistryKeys, msdocsToBulletin } from '../src/lib/import/index.ts';
import { vendorMarkupToMarkdown } from '../src/lib/import/msdocs-markup.ts';
import { renderMarkdown } from '../src/lib/render-markdown.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const MS_PAGE = path.resolve(ROOT, '..', 'shared', 'data', 'ms-bulletins-ja', 'ms03-046.md');
const FIXTURES = path.join(ROOT, 'tests', 'fixtures', 'import', 'msdocs');
const kb = (...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'bin', 'kb.mjs'), ...args], { cwd: ROOT, encoding: 'utf8' });
const temps: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kb-import-msdocs-'));
  temps.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

describe('kb import msdocs: Microsoft\'s MS03-046 page', () => {
  const outcome = msdocsToBulletin(readFileSync(MS_PAGE, 'utf8'), 'ms03-046.md');
  const facts = outcome.bulletin!.facts as any;

  it('reads the identity, rating and dates the page states', () => {
    expect(outcome.report.error).toBeUndefined();
    expect(facts).toMatchObject({
      id: 'MS03-046',
      vendor: 'Microsoft',
      kb: [829436],
      cves: ['CVE-2003-0714'],
      severity: 'critical',
      impact: 'remote-code-execution',
      urgency: 'immediate',
      published: '2003-10-16',
      modified: '2004-04-14',
    });
  });

  it('reads affected and not-affected software with service packs', () => {
    expect(facts.affected).toEqual([
      { id: 'exchange-5.0-sp2', product: 'Exchange Server 5.0', family: 'Exchange Server', service_pack: 'SP2' },
      { id: 'exchange-5.5', product: 'Exchange Server 5.5', family: 'Exchange Server' },
      { id: 'exchange-2000', product: 'Exchange Server 2000', family: 'Exchange Server' },
    ]);
    expect(facts.not_affected).toEqual([{ product: 'Exchange Server 2003', family: 'Exchange Server' }]);
  });

  it('numbers the dated Japanese revision history 1, 2, 3… because it starts at publication', () => {
    expect(facts.revision_history.map((r: any) => [r.version, r.date])).toEqual([
      ['1', '2003-10-16'],
      ['2', '2003-10-21'],
      ['3', '2004-04-06'],
      ['4', '2004-04-14'],
    ]);
    expect(facts.revision_history[0].summary).toEqual({ ja: 'このセキュリティ情報ページを公開しました。' });
  });

  it('reads the file tables to exact bytes, including a size written with a dot', () => {
    const rows = msdocsFileRows(readFileSync(MS_PAGE, 'utf8'));
    expect(rows.find((r) => r.name === 'phatcat.dll')).toEqual({ name: 'phatcat.dll', version: '6.0.6487.1', date: '2003-07-15', size: 393216, folder: '%EXSRVROOT%\\bin' });
    expect(rows.find((r) => r.name === 'address.dbg')).toMatchObject({ version: null, size: 21832 });
    expect(rows).toHaveLength(35);
    expect(outcome.report.counts).toMatchObject({ files: 35, file_tables: 3, registry_keys: 3 });
    expect(outcome.report.body_only.map((b) => b.field)).toEqual(['files', 'registry_keys']);
  });

  it('reads the registry keys Microsoft gives, which differ from the seed\'s for Exchange 2000', () => {
    expect(msdocsRegistryKeys(readFileSync(MS_PAGE, 'utf8'))).toEqual([
      'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Updates\\Exchange Server 2000\\SP4\\829436',
      'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Updates\\Exchange Server 5.5\\SP5\\829436',
      'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Updates\\Exchange Server 5.0\\SP3\\834130',
    ]);
  });

  it('keeps the whole page below the title as the body and the recommendation as the action', () => {
    const ja = outcome.bulletin!.ja;
    expect(ja.frontmatter.title).toBe('Exchange Server の脆弱性により、任意のコードが実行される');
    expect(ja.frontmatter.action).toBe('システム管理者は、Exchange サーバーにこのセキュリティ更新プログラムを直ちに適用してください。');
    expect(ja.body).toContain('| 2003/07/15 | 15:48 | 6.0.6487.1 | 393.216 | phatcat.dll  | %EXSRVROOT%\\\\bin |');
    expect(ja.body).toContain('**更新履歴:**');
    expect(ja.body).not.toContain('公開日:');
  });
});

describe('kb import msdocs: archive formats', () => {
  it('reads the HTML-table format: per-product ratings, impact column, CAN- ids, dot sizes, V-numbered history with an English date', () => {
    const text = readFileSync(path.join(FIXTURES, 'ms98-901.md'), 'utf8');
    const { bulletin, report } = msdocsToBulletin(text, 'ms98-901.md');
    expect(report.error).toBeUndefined();
    expect(bulletin!.facts).toMatchObject({
      id: 'MS98-901',
      kb: [9800901],
      cves: ['CVE-2010-0901'],
      severity: 'important',
      impact: 'information-disclosure',
      urgency: 'high',
      published: '2010-03-09',
      modified: '2010-04-13',
      supersedes: ['MS98-900'],
      revision_history: [
        { version: '1.0', date: '2010-03-09', summary: { ja: 'このセキュリティ情報ページを公開しました。' } },
        { version: '1.1', date: '2010-04-13', summary: { ja: '影響を受けないソフトウェアの一覧を更新しました。' } },
      ],
      affected: [
        { id: 'windows-2008-for-x64-based-systems-sp2', product: 'Windows Server 2008 for x64-based Systems', family: 'Windows Server', service_pack: 'SP2', severity: 'important' },
        { id: 'windows-2008-for-x64-based-systems-core-sp2', product: 'Windows Server 2008 for x64-based Systems (Server Core インストール)', service_pack: 'SP2', severity: 'moderate' },
      ],
      // The service pack is split off as for affected products, so both meet on one product page.
      not_affected: [{ product: 'Windows 7 for 32-bit Systems', family: 'Windows', service_pack: 'SP1' }],
    });
    expect(bulletin!.ja.frontmatter.action).toBe('できるだけ早くこの更新プログラムを適用してください。');
    expect(msdocsFileRows(text).map((r) => r.size)).toEqual([393216, 1165928]);
    // The HTML table becomes a pipe table: raw HTML would not render.
    expect(bulletin!.ja.body).not.toContain('<table');
    expect(bulletin!.ja.body).toContain('| **Windows Server 2008** |  |  |  |');
  });

  it('reads a component (a コンポーネント column, "system 上の component", "Windows … にインストールされた component") as the product, with the system as installed_on and the vendor\'s whole name as the key; and a comma list as products', () => {
    const page = readFileSync(path.join(FIXTURES, 'ms98-901.md'), 'utf8');
    const table = [
      '| オペレーティング システム | コンポーネント | 総合的な深刻度 |',
      '|---|---|---|',
      '| Windows XP Service Pack 2 | [Microsoft Internet Explorer 6](https://www.microsoft.com/download/details.aspx?familyid=00000000-0000-0000-0000-000000000902) | 緊急 |',
      '| Windows Server 2003 Service Pack 1 および Windows Server 2003 Service Pack 2 | Internet Explorer 6 | 重要 |',
      '| Windows 2000 Service Pack 4 | Internet Explorer 5.01 Service Pack 4 | 重要 |',
      // The same in one cell; the system's list is not cut at "および" into three products.
      '| Windows 98、Windows 98SE および Windows Me 上の Microsoft WebTV for Windows |  | 警告 |',
      '| Windows 2000 Service Pack 4 にインストールされている Internet Explorer 6 |  | 緊急 |',
      // Installed together with another product: no system, so the name stays whole.
      '| Internet Explorer 9 と一緒にインストールされている JScript 5.8 |  | 重要 |',
      // A list in English punctuation is two products, the second with its service pack.
      '| Windows XP, Microsoft Windows XP Service Pack 1, および |  | 重要 |',
    ].join('\n');
    const start = page.indexOf('<table');
    const text = `${page.slice(0, start)}${table}${page.slice(page.indexOf('</table>', start) + '</table>'.length)}`;
    const { bulletin, report } = msdocsToBulletin(text, 'ms98-901.md');
    expect(report.error).toBeUndefined();
    expect(bulletin!.facts.affected).toEqual([
      { id: 'windows-xp-service-pack-2-internet-explorer-6', product: 'Internet Explorer 6', family: 'Internet Explorer', installed_on: 'Windows XP Service Pack 2', severity: 'critical' },
      {
        id: 'windows-2003-service-pack-1-windows-2003-service-pack-2-internet-explorer-6',
        product: 'Internet Explorer 6',
        family: 'Internet Explorer',
        installed_on: 'Windows Server 2003 Service Pack 1 および Windows Server 2003 Service Pack 2',
        severity: 'important',
      },
      { id: 'windows-2000-service-pack-4-internet-explorer-5.01-sp4', product: 'Internet Explorer 5.01', family: 'Internet Explorer', service_pack: 'SP4', installed_on: 'Windows 2000 Service Pack 4', severity: 'important' },
      { id: 'windows-98-windows-98se-windows-me-webtv-for-windows', product: 'WebTV for Windows', family: 'WebTV', installed_on: 'Windows 98、Windows 98SE および Windows Me', severity: 'moderate' },
      { id: 'windows-2000-service-pack-4-internet-explorer-6', product: 'Internet Explorer 6', family: 'Internet Explorer', installed_on: 'Windows 2000 Service Pack 4', severity: 'critical' },
      { id: 'internet-explorer-9-jscript-5.8', product: 'Internet Explorer 9 と一緒にインストールされている JScript 5.8', severity: 'important' },
      { id: 'windows-xp', product: 'Windows XP', family: 'Windows', severity: 'important' },
      { id: 'windows-xp-sp1', product: 'Windows XP', family: 'Windows', service_pack: 'SP1', severity: 'important' },
    ]);
  });

  it('warns when the page lists one product as both affected and not affected, and keeps both as the page says', () => {
    const page = readFileSync(path.join(FIXTURES, 'ms98-901.md'), 'utf8');
    const text = page.replace('| Windows 7 for 32-bit Systems Service Pack 1 |', '| Windows Server 2008 for x64-based Systems Service Pack 2 |');
    const { bulletin, report } = msdocsToBulletin(text, 'ms98-901.md');
    expect(bulletin!.facts.not_affected).toEqual([{ product: 'Windows Server 2008 for x64-based Systems', family: 'Windows Server', service_pack: 'SP2' }]);
    expect(report.warnings).toContain('not_affected: "Windows Server 2008 for x64-based Systems SP2" also listed as affected; check the page and remove the wrong entry');
    // The fixture as it is lists different products, and says nothing.
    expect(msdocsToBulletin(page, 'ms98-901.md').report.warnings.filter((w) => w.startsWith('not_affected:'))).toEqual([]);
  });

  it('keeps what the vendor\'s HTML and icons say: a table after an empty HTML paragraph, download links, update marks', () => {
    // Shapes from the archive: 2,294 "<p> </p>" lines right above a table or its caption,
    // which then rendered as nothing (CommonMark reads the line as an HTML block running to the next
    // blank line); icons point at Microsoft's image folder, which a copy does not have.
    const page = `${readFileSync(path.join(FIXTURES, 'ms98-901.md'), 'utf8')}
#### 更新プログラムのダウンロード

<p> </p> 
<table style="border:1px solid black;">
<tr class="thead">
<th style="border:1px solid black;">オペレーティング システム</th>
<th style="border:1px solid black;">PC/AT</th>
<th style="border:1px solid black;">MU</th>
</tr>
<tr>
<td style="border:1px solid black;">Windows Server 2008 for x64-based Systems Service Pack 2</td>
<td style="border:1px solid black;"><a href="https://www.microsoft.com/download/details.aspx?familyid=00000000-0000-0000-0000-000000000902&amp;displaylang=ja"><img src="../../images/Dn610026.dl_arrow(ja-JP,Security.10).jpg" /></a></td>
<td style="border:1px solid black;"><img src="../../images/Dn610026.mu_s(ja-JP,Security.10).gif" /></td>
</tr>
</table>
![](../../images/Dn610026.dl_arrow(ja-JP,Security.10).jpg)このマークをクリックしてダウンロードしてください。  
![](../../images/Dn610026.mu_s(ja-JP,Security.10).gif)このマークの付いている更新プログラムは Microsoft Update からインストールすることもできます。

-   Windows Server 2008 [![](../../images/Dn609961.dl_arrow(ja-JP,Security.10).jpg)](https://www.microsoft.com/downloads/details.aspx?FamilyId=903)

[](https://www.microsoft.com/japan/security/bulletins/ms98-901e.mspx)[![](../../images/Dn627156.SNS300x50(ja-JP,Security.10).jpg)](https://profile.microsoft.com/regsysprofilecenter/subscriptionwizard.aspx?wizid=1)

構成図: ![](../../images/Dn636221.ms98_901(ja-JP,Security.10).gif)
`;
    const { bulletin, report } = msdocsToBulletin(page, 'ms98-901.md');
    const html = renderMarkdown(bulletin!.ja.body);
    const table = html.slice(html.lastIndexOf('<th>オペレーティング システム</th>'));
    expect(table).toMatch(/^<th>オペレーティング システム<\/th>\s*<th>PC\/AT<\/th>\s*<th>MU<\/th>/);
    expect(table).toContain('<td>Windows Server 2008 for x64-based Systems Service Pack 2</td>');
    expect(table).toContain('<td><a href="https://www.microsoft.com/download/details.aspx?familyid=00000000-0000-0000-0000-000000000902&#x26;displaylang=ja">ダウンロード</a></td>');
    expect(table).toContain('<td>［Microsoft Update］</td>');
    expect(html).toContain('<p>［ダウンロード］このマークをクリックしてダウンロードしてください。<br>\n［Microsoft Update］このマークの付いている更新プログラムは Microsoft Update からインストールすることもできます。</p>');
    expect(html).toContain('<li>Windows Server 2008 <a href="https://www.microsoft.com/downloads/details.aspx?FamilyId=903">ダウンロード</a></li>');
    // Nothing points at images the site does not have, and no link is left without a name.
    expect(html).not.toMatch(/<img|<a [^>]*><\/a>|subscriptionwizard/);
    expect(html).toContain('<p>構成図:</p>');
    expect(report.warnings).toContain('body: left out 1 picture(s) of the original page (ms98_901), which the archive does not hold');
  });

  it('removes an empty HTML paragraph only where it starts an HTML block, not from indented code', () => {
    const { markdown } = vendorMarkupToMarkdown('a\n<p> </p>\n| t |\n|---|\n\n    <p></p>\n    code');
    expect(markdown).toBe('a\n\n| t |\n|---|\n\n    <p></p>\n    code');
    expect(renderMarkdown(markdown)).toContain('<code>&#x3C;p>&#x3C;/p>\ncode\n</code>');
  });

  it('reads the 1999 format and says in the report which facts came from wording rather than fields', () => {
    const { bulletin, report } = msdocsToBulletin(readFileSync(path.join(FIXTURES, 'ms98-900.md'), 'utf8'), 'ms98-900.md');
    expect(bulletin!.facts).toMatchObject({ impact: 'remote-code-execution', severity: 'critical', urgency: 'immediate' });
    expect((bulletin!.facts as any).affected.map((a: any) => a.id)).toEqual(['fictional-viewer-1.0', 'fictional-viewer-2.0-sp1']);
    expect(report.warnings).toEqual([
      'impact: no 脆弱性の影響 field; "remote-code-execution" is read from the summary\'s wording ("任意のコード")',
      'action: the page gives no 推奨する対応策; wrote the standard action for urgency "immediate"',
    ]);
    expect(bulletin!.ja.frontmatter.action).toBe('更新プログラムを直ちに適用してください。');
  });

  it('fails a page without a rating, with the reason', () => {
    const text = readFileSync(path.join(FIXTURES, 'ms98-900.md'), 'utf8').replaceAll(' - 緊急', '');
    expect(msdocsToBulletin(text, 'x.md').report.error).toMatchInlineSnapshot(`"no severity: the page has no 最大深刻度, no rating after the title (" - 緊急") and no per-product ratings"`);
  });

  it('records a discrepancy when the page contradicts itself on severity, keeping the higher rating', () => {
    const text = readFileSync(path.join(FIXTURES, 'ms98-900.md'), 'utf8').replace('**影響を受けるソフトウエアのバージョン**', '**最大深刻度:** 重要\n\n**影響を受けるソフトウエアのバージョン**');
    const facts = msdocsToBulletin(text, 'x.md').bulletin!.facts as any;
    expect(facts.severity).toBe('critical');
    expect(facts.discrepancies).toEqual([
      expect.objectContaining({ field: 'severity', other_value: 'important', note: expect.objectContaining({ ja: expect.stringContaining('「重要」') }) }),
    ]);
  });
});

describe('kb import msdocs: command', () => {
  it('imports a folder, resolves supersedes inside it, passes kb check and re-imports byte-identically', () => {
    const out = tempDir();
    const first = kb('import', 'msdocs', FIXTURES, '--out', out, '--report', path.join(out, 'report.json'));
    expect(first.status).toBe(0);
    expect(first.stderr).toContain('kb import msdocs: 2 files, 2 bulletins imported');
    expect(parse(readFileSync(path.join(out, 'bulletins', 'ms98-901', 'bulletin.yaml'), 'utf8')).supersedes).toEqual(['MS98-900']);
    expect(readdirSync(path.join(out, 'bulletins', 'ms98-901'))).toEqual(['bulletin.yaml', 'ja.md']);
    const check = kb('check', '--content', out);
    expect(check.stderr).toMatch(/ok: 2 bulletins checked in .*, 0 errors, 2 warnings/);
    expect(check.stdout).toContain('TRANSLATION_MISSING');

    const snapshot = (dir: string) => ['ms98-900', 'ms98-901'].flatMap((id) => ['bulletin.yaml', 'ja.md'].map((f) => readFileSync(path.join(dir, 'bulletins', id, f), 'utf8')));
    const before = snapshot(out);
    const again = kb('import', 'msdocs', FIXTURES, '--out', out);
    expect(again.stderr).toContain('(0 written, 2 unchanged)');
    expect(snapshot(out)).toEqual(before);

    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8'));
    expect(report.summary).toEqual({ files: 2, bulletins: 2, written: 2, unchanged: 0, failed: 0, warnings: 2 });
    expect(report.inputs.map((r: any) => [r.input, r.status])).toEqual([
      ['ms98-900.md', 'imported'],
      ['ms98-901.md', 'imported'],
    ]);
    expect(report.rates.files).toEqual({ bulletins: 1, in_facts: 0, items: 2, percent: 50 });
    expect(report.rates.revision_history).toEqual({ bulletins: 2, in_facts: 2, items: 4, percent: 100 });
    expect(first.stderr).toContain('read but kept in the body (the content model has no place for them): files 1 (50%), registry_keys 1 (50%)');
  });

  it('drops a supersedes id that is not in the content folder and says so', () => {
    const out = tempDir();
    const result = kb('import', 'msdocs', path.join(FIXTURES, 'ms98-901.md'), '--out', out, '--report', path.join(out, 'r.json'));
    expect(result.status).toBe(0);
    expect(parse(readFileSync(path.join(out, 'bulletins', 'ms98-901', 'bulletin.yaml'), 'utf8')).supersedes).toBeUndefined();
    const report = JSON.parse(readFileSync(path.join(out, 'r.json'), 'utf8'));
    expect(report.inputs[0].warnings).toContain('supersedes: MS98-900 not in the content folder or this import; kept in the body only');
  });

  it('refuses to replace a hand-written bulletin without --force', () => {
    const out = tempDir();
    cpSync(path.join(ROOT, 'content', 'bulletins', 'ms03-046'), path.join(out, 'bulletins', 'ms03-046'), { recursive: true });
    const before = readFileSync(path.join(out, 'bulletins', 'ms03-046', 'bulletin.yaml'), 'utf8');
    const result = kb('import', 'msdocs', MS_PAGE, '--out', out);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`ms03-046.md: error: ${path.join(out, 'bulletins', 'ms03-046', 'bulletin.yaml')} was written by hand (it has no "kb import" stamp); kept it. Re-run with --force to merge this import into it`);
    expect(readFileSync(path.join(out, 'bulletins', 'ms03-046', 'bulletin.yaml'), 'utf8')).toBe(before);
  });

  it('reports usage errors with exit 2', () => {
    expect(kb('import').status).toBe(2);
    const unknown = kb('import', 'pdf', 'x');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown importer "pdf": use legacy or msdocs');
    expect(kb('import', 'msdocs').stderr).toContain('give at least one file, folder or .tar.xz archive to import');
    expect(kb('import', 'msdocs', FIXTURES, '--bogus').status).toBe(2);
    expect(kb('import', 'msdocs', '/nonexistent/file.md').stderr).toContain('/nonexistent/file.md: no such file or folder');
    const help = kb('import', '--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('kb import msdocs PATH... [--out DIR] [--force] [--report FILE]');
  });
});
