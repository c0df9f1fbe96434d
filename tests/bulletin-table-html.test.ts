/**
 * The rows of the bulletin list tables written as one string (`bulletinRowsHtml`) and the
 * severity badge (`severityHtml`). That the markup is the one the Astro components wrote was
 * checked by building content/, the generated 1,000 bulletins and the hostile fixtures both
 * ways (identical sites); these tests pin what a reader and the sort/filter script rely on.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as bulletinTableHtmlModule from '../src/lib/bulletin-table-html.ts';
import { severityHtml } from '../src/lib/fact-html.ts';
import { loadContent } from '../src/lib/load-content.ts';
import type { BulletinRow } from '../src/lib/bulletin-table-html.ts';

const { bulletinRowsHtml } = bulletinTableHtmlModule;
const { bulletins } = await loadContent('content');
const ms03046 = bulletins.find((b) => b.id === 'MS03-046')!;

/** A one-language bulletin with the given title, for escaping and fallback cases. */
function row(over: Partial<BulletinRow> & { title?: string }): BulletinRow {
  const { title = 'Plain title', ...rest } = over;
  return {
    id: 'MS99-001',
    severity: 'moderate',
    published: '1999-03-05',
    affected: [{ ...ms03046.affected[0]!, product: 'Exchange Server 5.5' }],
    text: { ja: { ...ms03046.text.ja!, title } },
    ...rest,
  };
}

const savedBase = process.env.KB_BASE_PATH;
afterEach(() => {
  if (savedBase === undefined) delete process.env.KB_BASE_PATH;
  else process.env.KB_BASE_PATH = savedBase;
});

describe('public exports', () => {
  it('exposes only bulletinRowsHtml', () => {
    expect(Object.keys(bulletinTableHtmlModule).sort()).toEqual(['bulletinRowsHtml']);
  });
});

describe('severityHtml', () => {
  it('writes the translated word with the colour class, so colour is never the only signal', () => {
    expect(severityHtml('critical', 'ja')).toBe('<span class="badge badge--critical" data-severity="critical">緊急</span>');
    expect(severityHtml('low', 'en')).toBe('<span class="badge badge--low" data-severity="low">Low</span>');
  });
});

describe('bulletinRowsHtml', () => {
  it('writes a row with link, title, severity badge, date and products, and the facet values for the script', () => {
    delete process.env.KB_BASE_PATH;
    const html = bulletinRowsHtml([row({ title: 'Exchange の脆弱性' })], 'ja');
    expect(html).toBe(
      '<tr data-id="MS99-001" data-title="Exchange の脆弱性" data-severity="moderate" data-severity-rank="2" data-year="1999" data-published="1999-03-05">' +
        '<td class="nowrap"><a href="/ja/bulletins/ms99-001/">MS99-001</a></td>' +
        '<td>Exchange の脆弱性</td>' +
        '<td><span class="badge badge--moderate" data-severity="moderate">警告</span></td>' +
        '<td class="nowrap"><time datetime="1999-03-05">1999年3月5日</time></td>' +
        '<td>Exchange Server 5.5</td></tr>',
    );
  });

  it('keeps the order given, one row per bulletin, and ranks severities for sorting', () => {
    const html = bulletinRowsHtml([row({ id: 'MS99-002', severity: 'critical' }), row({ id: 'MS99-001', severity: 'low' })], 'en');
    expect([...html.matchAll(/<tr data-id="([^"]+)"/g)].map((m) => m[1])).toEqual(['MS99-002', 'MS99-001']);
    expect([...html.matchAll(/data-severity-rank="(\d)"/g)].map((m) => m[1])).toEqual(['4', '1']);
    expect(html).toContain('<span class="badge badge--critical" data-severity="critical">Critical</span>');
  });

  it('shows html in a title as text, in the cell and in the data attribute', () => {
    const title = `<img src=x onerror="alert(1)"> & 'quoted' </td>`;
    const html = bulletinRowsHtml([row({ title })], 'ja');
    // Outside quoted attribute values there is no markup from the title: five cells, no image.
    const markup = html.replace(/"[^"]*"/g, '""');
    expect(markup).not.toContain('<img');
    expect(markup.match(/<td/g)).toHaveLength(5);
    // Attributes escape & and " as Astro does; the cell escapes all five characters.
    expect(html).toContain(`data-title="<img src=x onerror=&quot;alert(1)&quot;> &amp; 'quoted' </td>"`);
    expect(html).toContain('<td>&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &#39;quoted&#39; &lt;/td&gt;</td>');
  });

  it('writes product names as text and joins them per language', () => {
    const affected = [
      { ...ms03046.affected[0]!, product: 'Exchange <Server> 5.5' },
      { ...ms03046.affected[0]!, product: 'Exchange 2000 Server' },
      { ...ms03046.affected[0]!, product: 'Exchange <Server> 5.5' },
    ];
    expect(bulletinRowsHtml([row({ affected })], 'ja')).not.toContain('data-products');
    expect(bulletinRowsHtml([row({ affected })], 'ja')).toContain('<td>Exchange &lt;Server&gt; 5.5、Exchange 2000 Server</td>');
    expect(bulletinRowsHtml([row({ affected })], 'en')).toContain('<td>Exchange &lt;Server&gt; 5.5, Exchange 2000 Server</td>');
  });

  it('leaves the products cell empty for a bulletin without products, as Astro did', () => {
    const html = bulletinRowsHtml([row({ affected: [] })], 'en');
    expect(html).toMatch(/<td><\/td><\/tr>$/);
  });

  it('marks a title shown in the other language with its lang', () => {
    const html = bulletinRowsHtml([row({ title: 'Vulnérabilité' })], 'en');
    expect(html).toContain('<td lang="ja">Vulnérabilité</td>');
    // The page's own language is not marked again.
    expect(bulletinRowsHtml([row({})], 'ja')).toContain('<td>Plain title</td>');
  });

  it('formats the published date for the page language, machine-readable in datetime', () => {
    expect(bulletinRowsHtml([row({})], 'en')).toContain('<td class="nowrap"><time datetime="1999-03-05">5 Mar 1999</time></td>');
  });

  it('links each bulletin under the base path, id lower-case', () => {
    process.env.KB_BASE_PATH = '/kb/';
    expect(bulletinRowsHtml([ms03046], 'en')).toContain('<a href="/kb/en/bulletins/ms03-046/">MS03-046</a>');
  });

  it('writes nothing for no bulletins', () => {
    expect(bulletinRowsHtml([], 'ja')).toBe('');
  });
});
