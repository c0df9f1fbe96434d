/**
 * The string markup of facts (src/lib/fact-html.ts), which the bulletin pages' tables and
 * the small fact components render: exact values, hostile text kept as text. That the rows
 * are the markup the Astro components wrote was checked by building content/, the hostile
 * fixtures, 1,000 generated bulletins and the imported real archive both ways (identical
 * sites, bench/README.md round 10).
 */
import { describe, expect, it } from 'vitest';
import type { Bulletin, InstalledFile } from '../schemas/index.ts';
import {
  affectedRowsHtml,
  attribute,
  bytesHtml,
  dateHtml,
  discrepancyMarksHtml,
  esc,
  fileRowsHtml,
  localizedHtml,
  packageRowsHtml,
  pathHtml,
  productDownloadRowsHtml,
} from '../src/lib/fact-html.ts';
import { loadContent } from '../src/lib/load-content.ts';

const { bulletins } = await loadContent('content');
const ms03046 = bulletins.find((b) => b.id === 'MS03-046')!;
const ms03026 = bulletins.find((b) => b.id === 'MS03-026')!;

const file = (over: Partial<InstalledFile>): InstalledFile => ({
  name: 'exsmtp.dll',
  date: '2003-07-15',
  version: '6.0.6487.1',
  size: 307200,
  installer_helper: false,
  ...over,
});

describe('fact markup', () => {
  it('escapes the five characters Astro escapes, and nothing else', () => {
    expect(esc(`<a href="x" onclick='y'>&</a> 日本`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt; 日本');
  });

  it('lets a path wrap only after a backslash', () => {
    expect(pathHtml('%EXSRVROOT%\\connect\\bin', 'path--wrap')).toBe('<span class="path path--wrap" translate="no">%EXSRVROOT%\\<wbr>connect\\<wbr>bin</span>');
    expect(pathHtml('a<b>.dll')).toBe('<span class="path" translate="no">a&lt;b&gt;.dll</span>');
  });

  it('shows a size rounded with the exact byte count in the title and in print', () => {
    expect(bytesHtml(1165928, 'ja')).toBe('<data value="1165928" title="1,165,928 バイト">1.11 MB</data><span class="print-only"> (1,165,928 バイト)</span>');
    expect(bytesHtml(512, 'en')).toBe('<data value="512" title="512 bytes">512 bytes</data>');
  });

  it('formats dates per language, machine-readable in datetime', () => {
    expect(dateHtml('2003-10-01', 'ja')).toBe('<time datetime="2003-10-01">2003年10月1日</time>');
    expect(dateHtml('2003-10-01', 'en')).toBe('<time datetime="2003-10-01">1 Oct 2003</time>');
  });

  it('marks a fallback language on localized text', () => {
    expect(localizedHtml({ en: 'Service Pack Messages' }, 'ja')).toBe('<span lang="en">Service Pack Messages</span>');
    expect(localizedHtml({ ja: 'メッセージ', en: 'Messages' }, 'ja')).toBe('メッセージ');
  });

  it('marks a discrepancy about a row and links its note, once per discrepancy', () => {
    const bulletin = {
      discrepancies: [{ field: 'packages[0].files[1].size', other_value: '<1 KB>', other_source: 'Vendor "B"', note: { en: 'n' } }],
    } as never;
    const html = discrepancyMarksHtml(bulletin, ['packages[0].files[1]', 'packages[0].files[1].size'], 'en');
    expect(html.match(/discrepancy-mark/g)).toHaveLength(1);
    expect(html).toContain('<code>&lt;1 KB&gt;</code>');
    expect(html).toContain('href="#discrepancy-1"');
    expect(html).toContain('Vendor &quot;B&quot;');
    expect(discrepancyMarksHtml(bulletin, ['packages[0].files[0]'], 'en')).toBe('');
  });

  it('writes one row per file with the optional columns the table has', () => {
    const rows = fileRowsHtml({
      bulletin: { discrepancies: [] },
      lang: 'en',
      files: [file({ folder: '%SYSTEMROOT%\\system32', version: null, installer_helper: true, note: { en: 'Installer only' } }), file({ name: 'x"y.dll', architecture: 'x86' })],
      id: 'files-1',
      field: 'packages[0].files',
      has: { folder: true, architecture: true, branch: false, description: false },
      noteTexts: ['Installer only'],
      fileHref: (name) => `/en/files/#file-${name}`,
    });
    const trs = rows.split('</tr>').filter(Boolean);
    expect(trs).toHaveLength(2);
    expect(trs[0]).toContain('<td><span class="path path--wrap" translate="no">%SYSTEMROOT%\\<wbr>system32</span></td>');
    expect(trs[0]).toContain('<a href="#files-1-note-1">*1</a>');
    expect(trs[0]).toMatch(/<td class="nowrap">[^<]+<\/td><td class="num">/);
    expect(trs[0]).toContain('<td>—</td>');
    expect(trs[1]).toContain('<td>—</td><td><a href="/en/files/#file-x&quot;y.dll">');
    expect(trs[1]).toContain('<td>x86</td>');
    expect(trs[1]).toContain('<td class="nowrap">6.0.6487.1</td>');
    expect(trs[1]).toContain('title="307,200 bytes"');
  });
});

describe('bulletin page rows', () => {
  it('writes an attribute as Astro does: only & and " escaped, an empty value as the bare name', () => {
    expect(attribute('href', 'https://x.example/?a=1&b="2"<')).toBe(' href="https://x.example/?a=1&amp;b=&quot;2&quot;<"');
    expect(attribute('lang', '')).toBe(' lang');
  });

  it('writes one package row with platform, linked file, language, architecture, date, version, exact size and restart', () => {
    const rows = packageRowsHtml(ms03046, 'ja');
    const trs = rows.split('</tr>').filter(Boolean);
    expect(trs).toHaveLength(ms03046.packages.length);
    expect(trs[0]).toBe(
      '<tr class="checklist-row" id="package-1"><td>Exchange Server 5.5 SP4</td>' +
        '<td><a class="download-link path" href="http://www.microsoft.com/downloads/details.aspx?FamilyId=A9E872EA-54B0-4179-8AE9-5648BFB46459&amp;displaylang=ja" rel="noopener noreferrer">Exchange5.5-KB829436-x86-jpn.EXE</a></td>' +
        '<td>日本語</td><td>x86</td><td class="nowrap"><time datetime="2003-10-14">2003年10月14日</time></td>' +
        '<td class="nowrap">なし</td>' +
        '<td class="num"><data value="1165928" title="1,165,928 バイト">1.11 MB</data><span class="print-only"> (1,165,928 バイト)</span></td>' +
        '<td>サービスの再起動</td>',
    );
  });

  it('marks a discrepancy about a package or any of its own fields on its row, not one about its files or keys', () => {
    const base = { ...ms03046, discrepancies: [] } as Bulletin;
    const about = (field: string) =>
      packageRowsHtml({ ...base, discrepancies: [{ field, other_value: '<x>', other_source: 'S', note: { en: 'n' } }] }, 'en');
    expect(about('packages[1].size').split('</tr>')[1]).toContain('<code>&lt;x&gt;</code>');
    expect(about('packages[1]').split('</tr>')[1]).toContain('href="#discrepancy-1"');
    expect(about('packages[1].files[0].size')).not.toContain('discrepancy-mark');
    expect(about('packages[1].registry_keys[0].path')).not.toContain('discrepancy-mark');
  });

  it('keeps hostile package text as text and shows a language tag other than ja/en as written', () => {
    const pkg = { ...ms03046.packages[0]!, platform: '<b>unknown</b>', file_name: `a"b'<c>.exe`, language: 'zh-TW', version: '1.0', restart_required: undefined };
    const html = packageRowsHtml({ ...ms03046, packages: [pkg], discrepancies: [] }, 'en');
    expect(html).toContain('<td>&lt;b&gt;unknown&lt;/b&gt;</td>');
    expect(html).toContain('>a&quot;b&#39;&lt;c&gt;.exe</a>');
    expect(html).toContain('<td>zh-TW</td>');
    expect(html).toContain('<td class="nowrap">1.0</td>');
    expect(html.endsWith('<td>—</td></tr>')).toBe(true);
  });

  it('lists download links per affected product that has them, with the label in the page language', () => {
    const html = productDownloadRowsHtml(ms03026, 'en');
    const withLinks = ms03026.affected.filter((a) => a.downloads.length > 0);
    expect(html.split('</tr>').filter(Boolean)).toHaveLength(withLinks.length);
    expect(html.match(/<li>/g)).toHaveLength(withLinks.reduce((n, a) => n + a.downloads.length, 0));
    expect(html).toContain(
      '<tr class="checklist-row"><td>Windows NT Server 4.0 SP6a</td><td><ul class="inline-list">' +
        '<li><a class="download-link" href="https://www.microsoft.com/download/details.aspx?familyid=2cc66f4e-217e-4fa7-bdbf-df77a0b9303f&amp;displaylang=ja" rel="noopener noreferrer">PC/AT compatible</a></li>',
    );
    expect(productDownloadRowsHtml(ms03046, 'en')).toBe('');
    const unlabelled = productDownloadRowsHtml(
      { affected: [{ ...ms03046.affected[0]!, downloads: [{ url: 'https://x.example/?a&b' }] }], discrepancies: [] },
      'ja',
    );
    expect(unlabelled).toContain('<a class="download-link" href="https://x.example/?a&amp;b" rel="noopener noreferrer">ダウンロード</a>');
  });

  it('writes affected rows with the product page link, required service pack, severity badge and discrepancy marks', () => {
    const html = affectedRowsHtml(ms03046, 'en', false);
    const trs = html.split('</tr>').filter(Boolean);
    expect(trs).toHaveLength(ms03046.affected.length);
    expect(trs[0]).toMatch(/^<tr class="checklist-row"><td><a href="\/en\/products\/[^"]+\/">Exchange Server 5\.5<\/a><\/td><td>SP4<\/td><td><span class="badge /);
    // MS03-046 records a discrepancy about affected[2] (Exchange Server 5.0 SP2).
    expect(trs[2]).toContain('<span class="discrepancy-mark">');
    expect(trs[0]).not.toContain('discrepancy-mark');
    const noSp = affectedRowsHtml({ ...ms03046, affected: [{ ...ms03046.affected[0]!, service_pack: undefined, severity: undefined }], discrepancies: [] }, 'ja', false);
    expect(noSp).toContain('<td>—</td>');
    expect(noSp).toContain(`data-severity="${ms03046.severity}"`);
  });

  it('gives the system column when a product is a component on a system, with a dash where a row names none', () => {
    const ie6 = { ...ms03046.affected[0]!, id: 'windows-xp-sp2-ie-6', product: 'Internet Explorer 6', service_pack: undefined, installed_on: 'Windows XP Service Pack 2' };
    const html = affectedRowsHtml({ ...ms03046, affected: [ie6, ms03046.affected[0]!], discrepancies: [] }, 'en', true);
    const trs = html.split('</tr>').filter(Boolean);
    expect(trs[0]).toMatch(/^<tr class="checklist-row"><td><a href="\/en\/products\/internet-explorer-6\/">Internet Explorer 6<\/a><\/td><td>Windows XP Service Pack 2<\/td><td>—<\/td><td><span class="badge /);
    expect(trs[1]).toMatch(/<\/a><\/td><td>—<\/td><td>SP4<\/td>/);
  });
});
