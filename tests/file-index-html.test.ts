/**
 * The file index tables written as one string (`fileIndexHtml`). That the markup is the one
 * the Astro components wrote was checked by building the generated 1,000 bulletins and the
 * hostile fixtures both ways (identical sites); these tests pin what a reader relies on.
 */
import { describe, expect, it } from 'vitest';
import * as fileIndexHtmlModule from '../src/lib/file-index-html.ts';
import { fileIndex } from '../src/lib/facets.ts';
import { loadContent } from '../src/lib/load-content.ts';
import type { Bulletin } from '../schemas/index.ts';

const { fileIndexHtml } = fileIndexHtmlModule;
const { bulletins } = await loadContent('content');
const ms03046 = bulletins.find((b) => b.id === 'MS03-046')!;

describe('public exports', () => {
  it('exposes only fileIndexHtml', () => {
    expect(Object.keys(fileIndexHtmlModule).sort()).toEqual(['fileIndexHtml']);
  });
});

describe('fileIndexHtml', () => {
  it('links each shipment to the file table of its bulletin, with date, size and folder for reading', () => {
    const html = fileIndexHtml(
      fileIndex([ms03046]).filter((f) => f.anchor === 'file-drviis.dll'),
      'ja',
    );
    expect(html).toBe(
      '<section aria-labelledby="file-drviis.dll"><h2 id="file-drviis.dll"><span class="path" translate="no">drviis.dll</span></h2>' +
        '<div class="table-wrap"><table><thead><tr><th scope="col">セキュリティ情報</th><th scope="col">プラットフォーム</th><th scope="col">バージョン</th>' +
        '<th scope="col">日付</th><th scope="col" class="num">サイズ</th><th scope="col">アーキテクチャ</th><th scope="col">ブランチ</th><th scope="col">フォルダー</th></tr></thead>' +
        '<tbody><tr><td class="nowrap"><a href="/ja/bulletins/ms03-046/#files-2">MS03-046</a></td><td>Exchange 2000 Server SP3</td><td class="nowrap">6.0.6487.1</td>' +
        '<td class="nowrap"><time datetime="2003-07-15">2003年7月15日</time></td>' +
        '<td class="num"><data value="131072" title="131,072 バイト">128 KB</data><span class="print-only"> (131,072 バイト)</span></td>' +
        '<td>—</td><td>—</td><td><span class="path path--wrap" translate="no">%EXSRVROOT%\\<wbr>bin</span></td></tr></tbody></table></div></section>',
    );
  });

  it('writes names, platforms and paths from content as text, never as markup', () => {
    const file = ms03046.packages[1]!.files[0]!;
    const hostile = {
      ...ms03046,
      packages: [{ ...ms03046.packages[1]!, files: [{ ...file, name: '<img src=x onerror=alert(1)>.dll', folder: 'C:\\a"b\\<script>', branch: "q'&r" }] }],
    } as Bulletin;
    const html = fileIndexHtml(
      fileIndex([hostile]).filter((f) => f.name.startsWith('<img')),
      'en',
    );
    expect(html).not.toMatch(/<img|<script/);
    expect(html).toContain('<h2 id="file--img-src-x-onerror-alert-1-.dll"><span class="path" translate="no">&lt;img src=x onerror=alert(1)&gt;.dll</span></h2>');
    expect(html).toContain('<span class="path path--wrap" translate="no">C:\\<wbr>a&quot;b\\<wbr>&lt;script&gt;</span>');
    expect(html).toContain('<td><span class="path" translate="no">q&#39;&amp;r</span></td>');
  });
});
