/**
 * `renderMarkdown` renders in runs of blocks, remembers runs and skips the pipeline for
 * plain paragraphs; the HTML must still be byte for byte what the plain unified pipeline
 * makes of the whole document, hostile input included. The oracle below is that pipeline,
 * built here on purpose rather than imported, so a change to the renderer cannot change
 * the oracle with it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import rehypeSanitize, { defaultSchema } from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { loadContent } from '../src/lib/load-content.ts';
import * as blocks from '../src/lib/markdown-blocks.ts';
import { plainHeadingHtml, plainListHtml, plainParagraphHtml, splitMarkdownBlocks } from '../src/lib/markdown-blocks.ts';
import * as inline from '../src/lib/markdown-inline.ts';
import { plainInlineHtml } from '../src/lib/markdown-inline.ts';
import * as table from '../src/lib/markdown-table.ts';
import { plainTableHtml } from '../src/lib/markdown-table.ts';
import * as render from '../src/lib/render-markdown.ts';
import { renderMarkdown } from '../src/lib/render-markdown.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

const oracle = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(remarkRehype)
  .use(rehypeSanitize, { ...defaultSchema, protocols: { ...defaultSchema.protocols, href: ['http', 'https', 'mailto'] } })
  .use(rehypeStringify)
  .freeze();

function reference(markdown: string): string {
  return markdown.trim() === '' ? '' : String(oracle.processSync(markdown));
}

/**
 * What a renderer makes of `markdown`: its HTML, or the message it fails with. Under the
 * test runner the mdast utilities run their development builds, whose assertions fail on
 * a few inputs (an empty list item followed by a line starting `[x]`, fed to GFM's task
 * list); a renderer that equals the pipeline then fails the same way.
 */
function outcome(render: (markdown: string) => string, markdown: string): string {
  try {
    return render(markdown);
  } catch (error) {
    return `failed: ${(error as Error).message}`;
  }
}

describe('render-markdown modules', () => {
  it('export the renderer, the block splitter and the inline, paragraph, list, heading and table shortcuts only', () => {
    expect(Object.keys(render)).toEqual(['renderMarkdown']);
    expect(Object.keys(blocks).sort()).toEqual(['plainHeadingHtml', 'plainListHtml', 'plainParagraphHtml', 'splitMarkdownBlocks']);
    expect(Object.keys(table)).toEqual(['plainTableHtml']);
    expect(Object.keys(inline)).toEqual(['plainInlineHtml']);
  });
});

describe('hostile markdown', () => {
  const cases: Array<[string, string]> = [
    ['<script>alert(1)</script>\n\ntext', '<p>text</p>'],
    ['a <iframe src="https://evil.example"></iframe> b', '<p>a  b</p>'],
    ['<img src=x onerror="alert(1)">', ''],
    ['[click](javascript:alert(1))', '<p><a>click</a></p>'],
    ['[click](vbscript:msgbox)', '<p><a>click</a></p>'],
    ['![x](data:image/png;base64,AAAA)', '<p><img alt="x"></p>'],
    ['<style>body{display:none}</style>\n\n<div onclick="x()">hi</div>', ''],
    ['<!--\n\n<script>x</script>\n\n-->\n\nafter', '<p>after</p>'],
    // Found by the generated documents below: a space line is code inside a list item.
    ['- ```\n   \n\nafter', '<ul>\n<li>\n<pre><code> \n</code></pre>\n</li>\n</ul>\n<p>after</p>'],
  ];
  it.each(cases)('renders %j without scripts, frames, handlers or script links', (markdown, html) => {
    expect(renderMarkdown(markdown)).toBe(html);
    expect(renderMarkdown(markdown)).toBe(reference(markdown));
  });
});

describe('block runs', () => {
  it('cuts a document before a block that starts in column 0 after a blank line', () => {
    expect(splitMarkdownBlocks('# Title\n\npara one\nline two\n\n\n| a |\n| - |\n| 1 |\n')).toEqual(['# Title\n', 'para one\nline two\n\n', '| a |\n| - |\n| 1 |\n']);
  });

  it('keeps a loose list, indented continuations and fenced code with blank lines in one run', () => {
    expect(splitMarkdownBlocks('- a\n\n- b\n\n  more b')).toEqual(['- a\n\n- b\n\n  more b']);
    expect(splitMarkdownBlocks('```\ncode\n\nnot a paragraph\n```\n\nafter')).toEqual(['```\ncode\n\nnot a paragraph\n```\n', 'after']);
    expect(splitMarkdownBlocks('~~~~\n~~~\n\nx\n~~~~')).toEqual(['~~~~\n~~~\n\nx\n~~~~']);
  });

  it('cuts after a list whose items go on in indented lines, before a block in column 0, unless an item may hold a fence', () => {
    // The vendor's shape: the list alone repeats across bulletins, the paragraph after it does not.
    const list = '-   Windows 2000:  \n    [KB1](https://x.example/kb/1)\n    -   PC/AT 互換機用\n\n    確認するには:\n\n        HKEY_LOCAL_MACHINE\n\n';
    expect(splitMarkdownBlocks(`${list}**次の段落**`)).toEqual([list.slice(0, -1), '**次の段落**']);
    expect(renderMarkdown(`${list}**次の段落**`)).toBe(reference(`${list}**次の段落**`));
    expect(splitMarkdownBlocks('-   a\n\n    ~~~\n    x\n    ~~~\n\nb')).toHaveLength(1);
  });

  it('leaves documents with references, footnotes, comments or ambiguous fences in one piece', () => {
    for (const markdown of ['[a]\n\n[a]: https://example.com', 'x[^1]\n\n[^1]: note', '<!--\n\nx\n\n-->', '- a\n\n  ```\n\nb', 'a\r\n\r\nb', '<div>\n```\n\nx']) {
      expect(splitMarkdownBlocks(markdown)).toBeUndefined();
    }
    // A label may end in an escaped backslash (`\\]:`), and another `]:` may follow an escaped one.
    for (const markdown of ['[a\\\\]: https://x\n\n[a\\\\]', '[a\\]: b]: https://x\n\n[a\\]: b]', '[a]\n\n- [a]: https://x']) {
      expect(splitMarkdownBlocks(markdown), markdown).toBeUndefined();
    }
  });

  it('cuts a document whose only `]:` is escaped, which ends no label', () => {
    const markdown = '\\[HKEY\\_LOCAL\\_MACHINE\\]:Version\n\n[\\[MS-RAP\\]: spec](https://x.example/rap)\n\n# Next';
    expect(splitMarkdownBlocks(markdown)).toHaveLength(3);
    expect(renderMarkdown(markdown)).toBe(reference(markdown));
  });

  it('renders a one-line ATX heading of plain text without the pipeline, and declines other headings', () => {
    for (const run of ['#### 概要 :\n', '# a', '###### **注:** 1.0\n\n', '## <https://x.y/a>', '# a  ', '#   a b']) {
      expect(plainHeadingHtml(run), run).toBe(reference(run));
    }
    expect(plainHeadingHtml('#### 概要 :')).toBe('<h4>概要 :</h4>');
    // Closing sequences, seven marks, no space, empty, setext, two lines, syntax the inline shortcut leaves.
    for (const run of ['# a #', '# a#', '####### a', '#a', '#', '# ', ' # a', 'a\n===', '# a\nb', '# *a*', '# a\tb']) {
      expect(plainHeadingHtml(run), run).toBeUndefined();
    }
  });

  it('renders a plain paragraph without the pipeline, and declines anything with syntax', () => {
    expect(plainParagraphHtml('このセキュリティ更新プログラムは\n脆弱性を解決します。\n\n')).toBe('<p>このセキュリティ更新プログラムは\n脆弱性を解決します。</p>');
    // Two spaces before a line ending make a hard break, one goes, and so do a last line's.
    expect(plainParagraphHtml('a  \nb \nc   \n[KB1](https://x.example/kb/1) d  ')).toBe('<p>a<br>\nb\nc<br>\n<a href="https://x.example/kb/1">KB1</a> d</p>');
    // A line `-:` under text is a one-column table's delimiter row (GFM), not text.
    for (const run of ['証\n-:', 'a *b*', '1. a', 'a\t\nb', 'a\\\nb', 'see www.example.com', 'a@b.co', 'x &copy; y', '   indented', 'a\n===', '[a](b)', 'a ![i](https://x.y)']) {
      expect(plainParagraphHtml(run)).toBeUndefined();
    }
  });

  it('renders bullet and ordered lists of paragraphs and lists without the pipeline, tight or loose at each level', () => {
    const run = '-   Windows 2000 Service Pack 4  \n-   **Windows XP** [KB1](https://x.example/kb/1)\n\n';
    expect(plainListHtml(run)).toBe('<ul>\n<li>Windows 2000 Service Pack 4</li>\n<li><strong>Windows XP</strong> <a href="https://x.example/kb/1">KB1</a></li>\n</ul>');
    // The vendor's shapes: further lines indented to the item's text, nested lists, and
    // items of several paragraphs.
    const nested = '-   Windows 2000:  \n    -   PC/AT 互換機用  \n        [ダウンロード](https://x.example/d?a=1&amp;b=2)\n    -   NEC PC-9800\n-   Windows XP';
    expect(plainListHtml(nested)).toBe('<ul>\n<li>Windows 2000:\n<ul>\n<li>PC/AT 互換機用<br>\n<a href="https://x.example/d?a=1&#x26;b=2">ダウンロード</a></li>\n<li>NEC PC-9800</li>\n</ul>\n</li>\n<li>Windows XP</li>\n</ul>');
    const loose = '-   US セキュリティ情報\n\n    [MS00-021](https://x.example/ms00-021)\n-   サポート技術情報 [1]\n  \n';
    expect(plainListHtml(loose)).toBe('<ul>\n<li>\n<p>US セキュリティ情報</p>\n<p><a href="https://x.example/ms00-021">MS00-021</a></p>\n</li>\n<li>\n<p>サポート技術情報 [1]</p>\n</li>\n</ul>');
    // Steps under a loose item: the blank line before the nested list makes the outer
    // list loose, the one between the steps the nested list, and `start` keeps the number.
    const steps = '-   **グループ ポリシー:** 次の手順に従います。\n\n    3.  オブジェクトを作成します。\n\n    4.  \\[OK\\] をクリックします。\n\n    **注:** 再起動します。\n-   -m が指定されている場合\n';
    expect(plainListHtml(steps)).toBe('<ul>\n<li>\n<p><strong>グループ ポリシー:</strong> 次の手順に従います。</p>\n<ol start="3">\n<li>\n<p>オブジェクトを作成します。</p>\n</li>\n<li>\n<p>[OK] をクリックします。</p>\n</li>\n</ol>\n<p><strong>注:</strong> 再起動します。</p>\n</li>\n<li>\n<p>-m が指定されている場合</p>\n</li>\n</ul>');
    for (const list of [run, nested, loose, steps, '- a\n\n- b', '- a\n  - b', '* a\n  + b\n  + c\n* d', '- a\n  b\n  - c\n    d\n- e',
      // Lazy lines; ordered lists and their numbers; blank lines that count for a nested
      // list alone, for the outer item, or between outer items.
      '- a\nb', '-   [https://x.y/d](https://x.y/d)  \nWindows NT4.0', '1. a', '3) a\n4) b', '- a\n  1. b', '- a\n  - b\n\n- c', '- a\n  - b\n\n  c', '- a\n  - b\n\n    c', '- a\n\n  - b\n  - c', '- a\n  - b\n\n  - c', '1. a\n\n   - b\n\n   c\n2. d']) {
      expect(plainListHtml(list), list).toBe(reference(list));
    }
    // Mixed markers and delimiters, tasks, breaks, code, other blocks in items; lines
    // indented more or less than the item's text; text after a nested list without a blank
    // line (a lazy line of the nested paragraph); `2.` right after a paragraph (text).
    for (const other of ['- a\n* b', '1. a\n2) b', '- a\n1. b', '- [ ] a', '1. [x] a', '- [x]', '* * *', '- ---', '-     code', '-\ta', '- # h', '- > q', '- a\n  - b\n  c', '- a\n   b', '- a\n\n      code', '- a\n  - b\n  * c', '- a\n  2. b', '- a\n  ---', '- a\n  b\\\n  c', '- a\n\n  > q', '- a\n\n b', '- a\n\nb']) {
      expect(plainListHtml(other), other).toBeUndefined();
    }
  });

  it('renders strong emphasis where CommonMark opens and closes it, and declines where it may not', () => {
    expect(plainInlineHtml('**バージョン:** 1.0')).toBe('<strong>バージョン:</strong> 1.0');
    expect(plainInlineHtml('の**重要**な')).toBe('の<strong>重要</strong>な');
    expect(plainInlineHtml('HKEY\\_LOCAL\\_MACHINE \\& \\< \\|')).toBe('HKEY_LOCAL_MACHINE &#x26; &#x3C; |');
    expect(plainInlineHtml('`a<b` [KB1](https://x.example/kb/1)')).toBe('<code>a&#x3C;b</code> <a href="https://x.example/kb/1">KB1</a>');
    // Punctuation inside the delimiters next to a letter outside: not emphasis in CommonMark.
    // Runs that open nothing, with nothing open before them, are text; so are link texts.
    for (const text of ['** a**', 'Windows Server 2008 for 32-bit Systems*', 'Pack 2**', 'HKEY_CURRENT_USER', 'vcredist_x86 /q', 'a_', '[https://www.x.y/a](https://www.x.y/a)', '[詳細](/downloads/details.aspx?FamilyId=1&displaylang=ja)', '[a](/x&amp;y)']) {
      expect(`<p>${plainInlineHtml(text)}</p>`, text).toBe(reference(text));
    }
    for (const text of ['の**「重要」**な', '**a **', '_a', '(_(a)_)', '[a](/x&lt;y)', '[a](//x.y)', '**a', '*a*', '***a***', '**a\\**', '__a__', 'a\\', '![a](https://x.y)', '[a](javascript:x)', '` a `']) {
      expect(plainInlineHtml(text), text).toBeUndefined();
      expect(reference(text)).not.toContain('<strong>「');
    }
  });

  it('renders footnote marks, bracketed UI names, bare tags, character references and vendor download links without the pipeline', () => {
    // The shapes that kept most of the archive's tables in the pipeline (bench/README.md).
    const cases: Array<[string, string]> = [
      ['緊急 <sup>[1]</sup>', '緊急 [1]'],
      ['**<sup>[2]</sup>** この更新プログラムは', '<strong>[2]</strong> この更新プログラムは'],
      ['[コントロール パネル] の [プログラムの追加と削除] を使用します。', '[コントロール パネル] の [プログラムの追加と削除] を使用します。'],
      ['(深刻度なし[2])<br />次の行', '(深刻度なし[2])次の行'],
      ['[ダウンロード](https://www.microsoft.com/download/details.aspx?familyid=661f&amp;displaylang=ja-nec)', '<a href="https://www.microsoft.com/download/details.aspx?familyid=661f&#x26;displaylang=ja-nec">ダウンロード</a>'],
      ['[ダウンロード](https://www.microsoft.com/download/details.aspx?familyid=%20b009)', '<a href="https://www.microsoft.com/download/details.aspx?familyid=%20b009">ダウンロード</a>'],
      ['Windows![1] [**x**]', 'Windows![1] [<strong>x</strong>]'],
      ['**&lt;IMG SRC&gt; タグ**とは &quot;a&quot; &amp; b &#42; &#x5F; AT&T', '<strong>&#x3C;IMG SRC> タグ</strong>とは "a" &#x26; b * _ AT&#x26;T'],
      ['Systems\\* **注:** a\\*b', 'Systems* <strong>注:</strong> a*b'],
      // Autolinks, and link labels that show the URL with its `&` and escaped underscores.
      ['<https://www.microsoft.com/technet/security/tools/default.mspx> (英語)', '<a href="https://www.microsoft.com/technet/security/tools/default.mspx">https://www.microsoft.com/technet/security/tools/default.mspx</a> (英語)'],
      ['<https://x.y/d?a=1&b=%20>', '<a href="https://x.y/d?a=1&#x26;b=%20">https://x.y/d?a=1&#x26;b=%20</a>'],
      ['[https://x.y/d?Id=C9&lang=ja](https://x.y/d?id=c9&lang=ja)', '<a href="https://x.y/d?id=c9&#x26;lang=ja">https://x.y/d?Id=C9&#x26;lang=ja</a>'],
      ['[Q280838\\_w2k\\_JA.EXE \\<x\\>](https://x.y/q280838_w2k_ja.exe)', '<a href="https://x.y/q280838_w2k_ja.exe">Q280838_w2k_JA.EXE &#x3C;x></a>'],
    ];
    for (const [text, html] of cases) {
      expect(plainInlineHtml(text), text).toBe(html);
      expect(`<p>${html}</p>`, text).toBe(reference(text));
    }
    // A reference link after brackets, brackets before a destination the pipeline must
    // judge, tags with attributes, autolinks, other character references, task boxes.
    for (const text of ['&copy;', '&#0;', '&#x10FFFF;', 'www&#46;x.y', '[a][b]', '[a] [b](c)', '[a](x y)', '[^1]', '<a href="x">a</a>', '<https://x.y/?a&amp;b>', '<https://x y>', '<mailto:a@b.c>', '[a&amp;b](https://x.y)', '[a](/x&lt;y)', '[[1]](https://x.y)', '<sup', '[a]]', '[a\\]']) {
      expect(plainInlineHtml(text), text).toBeUndefined();
    }
    expect(plainListHtml('- [ ] a\n- [x] b')).toBeUndefined();
    for (const list of ['- [1] a\n- [KB1](https://x.example/kb/1)', '- a [1]\n- [b]']) expect(plainListHtml(list), list).toBe(reference(list));
  });

  it('renders a table of plain cells without the pipeline, and declines cells with syntax', () => {
    const file = '| ファイル名 | バージョン | フォルダー |\n|:--|--:|:-:|\n| Isign32.dll | 6.0.3790.4799 | SP2GDR\\\\WOW |\n| a\\|b |\n';
    expect(plainTableHtml(file)).toBe(reference(file));
    expect(plainTableHtml(file)).toContain('<td align="center">SP2GDR\\WOW</td>');
    expect(plainTableHtml('| **x** |\n|---|')).toBe('<table>\n<thead>\n<tr>\n<th><strong>x</strong></th>\n</tr>\n</thead>\n</table>');
    for (const run of ['| *x* |\n|---|', '| [a](b) |\n|---|', '| a | b |\n|---|', 'a | b\n--|--', '| www.example.com |\n|---|', '| a |\n|---|\nnot a row']) {
      expect(plainTableHtml(run)).toBeUndefined();
    }
  });
});

describe('same html as the unified pipeline on the whole document', () => {
  const mdFiles = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true, recursive: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.md'))
      .map((entry) => path.join(entry.parentPath, entry.name));

  it('on every Markdown file of the fixtures and the content folder, read as Markdown', () => {
    const files = [...mdFiles(path.join(ROOT, 'tests', 'fixtures')), ...mdFiles(path.join(ROOT, 'content'))];
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const markdown = readFileSync(file, 'utf8');
      expect(renderMarkdown(markdown), file).toBe(reference(markdown));
    }
  });

  it('on every text of the content folder and the hostile fixture', async () => {
    for (const dir of [path.join(ROOT, 'content'), path.join(ROOT, 'tests', 'fixtures', 'hostile')]) {
      const { bulletins } = await loadContent(dir);
      expect(bulletins.length).toBeGreaterThan(0);
      for (const bulletin of bulletins) {
        for (const text of Object.values(bulletin.text)) {
          for (const markdown of [text!.summary, text!.comment ?? '', text!.body]) expect(renderMarkdown(markdown)).toBe(reference(markdown));
        }
      }
    }
  });

  // Lines made of the pieces that decide where blocks start and end, plus hostile HTML.
  const piece = fc.constantFrom(
    '', '', '', ' ', '  ', '   ', '    ', '\t', '- ', '* ', '+ ', '1. ', '2) ', '10. ', '> ', '# ', '### ', '```', '```js', '~~~', '````', '---', '===', '***',
    '| a | b |', '|---|:-:|', '| 1 | 2 |', 'text', '認証を要求する', 'KB829436', '**bold**', '_em_', '~~del~~', '`code`', '``',
    '**', '*', '「', '」', '.', ':', 'a**b', '**「x」**', '**x:**', '\\*', '\\.', '\\\\',
    '`a`', '`', '` a `', '`a b`', '[a](https://x.y/z)', '[a](http://x)', '![a](https://x.y)', '[a](https://x y)', '[**a**](https://x)', '[a](https://x)b',
    '[link](https://example.com)', '[x](javascript:alert(1))', '[ref]', '[ref]: https://example.com', '[^1]', '[^1]: note',
    '<div>', '</div>', '<p>', '<span>', '<script>alert(1)</script>', '<iframe src=x>', '<img src=x onerror=alert(1)>', '<!--', '-->', '<pre>', '<?php', '<![CDATA[',
    'www.example.com', 'https://example.com/a?b', 'user@example.com', '&amp;', '&#64;', '\\', '\\@', 'www\\.x.com', '\r', '\uFEFF', '\u3000', '\u00a0', '  ', '\0', '@', '!',
    // GFM's own syntax at the edges of what the renderer checks for before leaving GFM out.
    '[ ]', '[x]', '[X]', '- [ ] ', '~', 'a~b~', ':-:', '|', '&commat;', '&#x40;', 'x&#58;//y', 'WWW.X.COM', 'http\\://x', 'HTTPS://X', 'mailto:a', 'a\\@b.co',
    // Links the literal-link test looks past, and what can keep them from being links.
    '<sup>', '</sup>', '<br />', '[1]', '![1]', '[a b]', '&lt;', '&gt;', '&quot;', '&nbsp;', '&#42;', '&#x5F;', '&#0;', '&copy;', '&amp', 'AT&T', '&#46;', '[a](https://x.y/?a=1&amp;b=2)', '[a](https://x.y/%20z)', '[a](/x%2)',
    '\\]:', '\\\\]:', '[a\\]: b', '<https://x.y/z>', '<http://a|b>', '[www.x.y](https://x)', '[a@b.co](mailto:a@b.co)', '[a][b]', '[b]: https://y', '(https://x)', '](https://x)', '[', ']', '\\[',
  );
  const line = fc.array(piece, { maxLength: 5 }).map((pieces) => pieces.join(''));
  const document = fc.array(line, { minLength: 1, maxLength: 14 }).map((lines) => lines.join('\n'));

  it('on the shapes the generators found', () => {
    // An empty list item followed by `[x]`: GFM's task list drops the `[x]` (production
    // builds) or fails an assertion (development builds); either way, as the pipeline does.
    for (const markdown of ['*\n[X]\n``', '*\n[x]\n&commat;', '*\n[x]\n', 'a\n:-:']) {
      expect(outcome(renderMarkdown, markdown), markdown).toBe(outcome(reference, markdown));
    }
  });

  it('where links hide a literal link, or look like links and are text', () => {
    // The literal-link walk is left out only when every URL is inside a link; each of these
    // has one that is text, or is a link the walk must skip.
    for (const markdown of [
      '[a][b](http://x.y)\n\n[b]: https://z',
      '| h |\n|---|\n| [a|b](http://x.y) |',
      '| h |\n|---|\n| <http://a|www.b.c> |',
      '\\[a](http://x.y)',
      '[^1](http://x.y)\n\n[^1]: note',
      '[[a](b)](http://x.y)',
      '[a](http://x.y)(http://z.w)',
      '[a\n\nb](http://x.y)',
      '`[a](http://x.y)` and [b](https://c.d)',
      '[https://www.x.y/a](https://www.x.y/a) <https://x.y> ![www.x.y](https://i) [a@b.co](mailto:a@b.co)',
      '- [a](https://x.y)\n  www.z.w',
    ]) {
      expect(outcome(renderMarkdown, markdown), markdown).toBe(outcome(reference, markdown));
    }
  });

  it('on generated markdown with lists, fences, tables, raw html and hostile links', () => {
    fc.assert(
      fc.property(document, (markdown) => {
        expect(outcome(renderMarkdown, markdown)).toBe(outcome(reference, markdown));
      }),
      { numRuns: 3000 },
    );
  });

  it('on generated markdown followed by different blocks, remembered runs included', () => {
    // A run's HTML is remembered: it must not depend on the block that follows it.
    const tail = fc.constantFrom('x', '> x', '> ', '# h', '```\ncode', '~~~', '| a |\n|---|', '<div>', '---', '**b**', 'x\n\n- y', '    code', '');
    // Ends of runs that leave a list item or a quote open across the blank lines.
    const openEnd = fc.constantFrom('', '- ~~~', '- ```', '> ```', '1. ~~~\n   x', '- a', '> a', '- a\n\n  b', '-     code', '* x\n  ```');
    const blanks = fc.constantFrom('\n\n', '\n\n\n', '\n   \n\n', '\n\n  \n');
    fc.assert(
      fc.property(document, openEnd, blanks, tail, tail, (markdown, open, blank, first, second) => {
        for (const end of [first, second]) {
          const source = `${markdown}\n\n${open}${blank}${end}`;
          expect(outcome(renderMarkdown, source)).toBe(outcome(reference, source));
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('on generated sequences of blocks and lists separated by blank lines, where runs are cut', () => {
    // Cuts after a list item's lines and before a list that nothing above could continue;
    // the shapes next to them are the ones whose end depends on what follows: code,
    // quotes, HTML, tables and nested lists inside items, indented by various amounts.
    const block = fc.constantFrom(
      '- a', '-   a', '1. a', '10.    a', '2) x', '+ y', '* a\n* b', '- a\nlazy', '- a\n  b', '- a\n\n  b', '-     code', '-\ta', '- ', '-',
      '- a\n\n      code', '-   a\n\n        code  ', '- a\n  - b\n\n    c', '- a\n    - b\n\n        c', '1. a\n\n       code', '- a\n\n  <div>', '-   a\n\n    <!-- x',
      '- a\n\n  ---', '- a\n  > q\n\n  > r', '- a\n\n  | t |\n  |---|', '-   **a**\n\n    HKEY\\_X\\\\Y', '- a\n\t\n\tb', '- a\n\n  b\\', '- a\n\n  c\n  ~~~', '- a\n\n  [x]',
      '- ```', '- ~~~\n  x', '- > q', '- <pre>', '- <div>', '- # h', '> q', '> - a', 'para', 'para\nmore', '# h', '<div>', '---', '* * *', '- - -',
      '    code', '```\nf\n```', '~~~', 'a\n===', '| a |\n|---|', '**b**', '1) a\n2) b', '3. c',
      '#### 概要 :', '## a #', '# a#', '#  **b**  ', '###### x', '####### x', '#', '# <https://x.y>', '# a\nb', 'a\n# b',
      '<https://x.y/a> (英語)', '<https://x.y/?a&amp;b>', '<http://a|b>', '2001/10/19: a', '1.5 a', '2000 年\n1. a', 'a\n2) b', '- 2000 年\n- 1.5',
    );
    const gap = fc.constantFrom('\n\n', '\n\n\n', '\n \n', '\n');
    const doc = fc.array(fc.tuple(block, gap), { minLength: 2, maxLength: 7 }).map((parts) => parts.map(([b, g]) => b + g).join(''));
    fc.assert(
      fc.property(doc, (markdown) => {
        expect(outcome(renderMarkdown, markdown)).toBe(outcome(reference, markdown));
      }),
      { numRuns: 3000 },
    );
  });

  it('on generated pipe tables, the plain-table shortcut included', () => {
    const plainText = fc.constantFrom('', ' ', 'a', 'x86', '**', '**b**', '**「b」**', '「', ':', '`c`', '[KB1](https://x.example/kb/1)', '認証', '6.0.3790.4799', 'SP2GDR\\\\WOW', '\\|', '\\_', '\\&', '\\<', '\\', '\\a', '-', ':', '---', '"', "'", '#');
    const oddText = fc.constantFrom('>', '\u3000', '\u00a0', '\\@', '*', '**b**', '`c`', '[a](b)', 'www.x.com', 'a@b.co', '&amp;', '<br>', '~~', '\t', '_', 'a_b', 'x*', '[a](/p?q=1&r=2)', '[www.x.y](https://x.y)', '<sup>[1]</sup>', '[1]', '[a] ', '</b>', '<br />', '&lt;a&gt;', '&quot;', '&#42;', '\\*', 'A & B', '&x', '[a](/p?q=1&amp;r=2)', '[a](https://x.y/%41)');
    const cell = fc.array(fc.oneof({ weight: 12, arbitrary: plainText }, { weight: 1, arbitrary: oddText }), { maxLength: 3 }).map((parts) => parts.join(''));
    const pad = fc.constantFrom('', ' ', '  ');
    const pipe = fc.oneof({ weight: 19, arbitrary: fc.constant('|') }, fc.constant(''));
    // Whitespace after the last pipe, as vendor tables have it.
    const after = fc.constantFrom('', '', '', ' ', '  ', '\t', ' \t ');
    const row = (cells: number) =>
      fc.tuple(pipe, fc.oneof({ weight: 4, arbitrary: fc.constant(cells) }, fc.integer({ min: Math.max(1, cells - 1), max: cells + 1 })).chain((n) => fc.array(fc.tuple(pad, cell, pad), { minLength: n, maxLength: n })), pipe, after).map(([lead, parts, trail, space]) => lead + parts.map(([a, c, b]) => a + c + b).join('|') + trail + space);
    const delimiterCell = fc.constantFrom('---', ':--', '--:', ':-:', ' - ', '-', ': -', '');
    const tableDoc = fc.integer({ min: 1, max: 4 }).chain((columns) =>
      fc
        .tuple(row(columns), fc.array(fc.oneof({ weight: 9, arbitrary: delimiterCell.filter((c) => c !== '' && c !== ': -') }, delimiterCell), { minLength: columns, maxLength: columns }), fc.array(row(columns), { maxLength: 5 }), fc.constantFrom('', '\n', '\n\n', '\n\nafter'))
        .map(([head, delimiter, body, tail]) => [head, `|${delimiter.join('|')}|${delimiter.length % 2 ? '  ' : ''}`, ...body].join('\n') + tail),
    );
    fc.assert(
      fc.property(tableDoc, (markdown) => {
        expect(outcome(renderMarkdown, markdown)).toBe(outcome(reference, markdown));
      }),
      { numRuns: 3000 },
    );
  });

  it('on generated runs of plain text, the plain-paragraph shortcut included', () => {
    const plainLine = fc.stringMatching(/^[a-zA-Z0-9 .,;:'"()%$€ー。、「」認証更新\u3000\u00a0*\\-]{1,30}$/);
    fc.assert(
      fc.property(fc.array(plainLine, { minLength: 1, maxLength: 6 }), fc.constantFrom('\n', '\n\n', '\n \n'), (lines, join) => {
        const markdown = lines.join(join);
        expect(renderMarkdown(markdown)).toBe(reference(markdown));
      }),
      { numRuns: 2000 },
    );
  });

  it('on generated bullet lists, the plain-list shortcut included', () => {
    const text = fc.constantFrom('a', 'Windows XP', '更新', '**b**', '`c`', '[KB1](https://x.example/kb/1)', '[ ] a', '[x]', '[X] b', '[1] a', 'a [1]', '[\t] a', '<sup>1</sup>',
      'a\n  b', 'a  \n    b', 'a\n    b', 'a\n\n  b', 'a\n\n    b', 'a\n  \n  b', 'a\n   b', 'a\n b', 'a\n      b', 'a\n\n      code', 'a\n  - b', 'a\n    - b\n      c', 'a\nb', 'a\n  [x] b', 'a\n  **b**  \n  c', '* *', '**', '- a', '# h', '> q', '1. a', '---', '***', '|', '<b>', 'a  ', 'a ', 'www.x.y', 'a_b', '',
      '2000 年', '1) a', '<https://x.y/a>', 'a\n  <https://x.y/a>', '[a&b\\_c](https://x)', 'a\n\n  2001/10/19: b',
      'a\n  1. b', 'a\n  2. b', 'a\n\n  2. b\n\n  c', 'a\n    1. b\n\n       c\n\n    d', 'a\n  - b\n\n  c', 'a\n  - b\n\n    c', 'a\n\n  - b\n\n  - c', 'a\n   1) b\nlazy', 'a\nlazy', '-m a', '--a', '+a');
    const marker = fc.constantFrom('-', '-', '*', '+', '1.', '2.', '1)', '10.', '003.');
    const gap = fc.constantFrom(' ', ' ', '   ', '    ', '     ', '\t');
    const item = fc.tuple(fc.constantFrom('', '', '', '  ', '    '), marker, gap, text).map(([indent, m, g, t]) => indent + m + g + t);
    const list = fc.tuple(fc.array(item, { minLength: 1, maxLength: 5 }), fc.constantFrom('\n', '\n', '\n\n'), fc.constantFrom('', '\n', '\n\nafter', '\n\n- next')).map(([items, join, tail]) => items.join(join) + tail);
    fc.assert(
      fc.property(list, (markdown) => {
        expect(outcome(renderMarkdown, markdown)).toBe(outcome(reference, markdown));
      }),
      { numRuns: 4000 },
    );
  });

  it('on generated paragraphs with links, code and hard breaks, the plain-paragraph shortcut included', () => {
    const word = fc.constantFrom('a', 'KB', '更新', '**b**', '**「b」**', '`c`', '`a b`', '_', '__', 'a_b', 'HKEY_X', 'x*', 'y**', '(**「b」**の', '「', '[a](/d?x=1&y=2)', '[a](/x&amp;y)', '[a](/x&copy;)', '[https://x.y](https://x.y)', '[299444](https://support.example.com/kb/299444)', '[a](http://x.y/z?q=1#f)', '[**a**](https://x)', '[www.x.y](https://x)', '[a](https://x y)', '![i](https://x)', '\\[', '[', ']', '*', '\\', '\u3000', '.', '(', ')', '[1]', '[a b]', '<sup>', '</sup>', '<br />', '<x-y>', '&quot;', '&lt;', '&nbsp;', '&#42;', '\\*', '&', '&foo;', '[a](https://x/?a&amp;b)', '[a](/%zz)',
      '<https://x.y/a?b=1&c=2>', '<https://x.y/&amp;>', '<http://a|b>', '<https://x y>', '<https://x.y>z', '[a&b](https://x)', '[a&amp;b](https://x)', '[Q\\_w](https://x.y/q_w.exe)', '[a\\]b](https://x)', '[\\*a](https://x)', '2001/10/19:', '1.', '10)', '1.5');
    const space = fc.constantFrom('', ' ', ' ', '  ', '   ', '\t');
    const line = fc.array(fc.tuple(word, space), { minLength: 1, maxLength: 5 }).map((parts) => parts.map(([w, s]) => w + s).join(''));
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 5 }), fc.constantFrom('\n', '\n', '\n\n'), (lines, join) => {
        const markdown = lines.join(join);
        expect(renderMarkdown(markdown)).toBe(reference(markdown));
      }),
      { numRuns: 2000 },
    );
  });
});
