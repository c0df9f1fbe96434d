/**
 * The string markup of facts (src/lib/fact-html.ts), which the bulletin pages' file tables
 * and the small fact components render: exact values, hostile text kept as text.
 */
import { describe, expect, it } from 'vitest';
import type { InstalledFile } from '../schemas/index.ts';
import { bytesHtml, dateHtml, discrepancyMarksHtml, esc, fileRowsHtml, localizedHtml, pathHtml } from '../src/lib/fact-html.ts';

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
