/**
 * The rows of a product page's tables written as strings (`affectedRowsHtml`,
 * `componentRowsHtml`). That the markup is the one the page's Astro template wrote was
 * checked by building content/ and the real archive both ways (identical sites); these tests
 * pin what a reader sees: links, escaping, the fallback language, severities and service
 * packs once each.
 */
import { describe, expect, it } from 'vitest';
import type { AffectedProduct } from '../schemas/index.ts';
import { loadContent } from '../src/lib/load-content.ts';
import { affectedRowsHtml, componentRowsHtml, type ProductPageRow } from '../src/lib/product-table-html.ts';

const { bulletins } = await loadContent('content');
const ms04013 = bulletins.find((b) => b.id === 'MS04-013')!;
const oe6 = ms04013.affected.filter((a) => a.product === 'Outlook Express 6');

/** A Japanese-only bulletin with a title that needs escaping. */
const jaOnly: ProductPageRow['bulletin'] = { id: 'MS99-001', severity: 'moderate', published: '1999-03-05', text: { ja: { ...ms04013.text.ja!, title: 'A <b> & "C"' } } };
const entry = (over: Partial<AffectedProduct>): AffectedProduct => ({ ...oe6[0]!, ...over });

describe('affectedRowsHtml', () => {
  it('writes one row per bulletin: linked id, title, severities and service packs once each, date', () => {
    const html = affectedRowsHtml([{ bulletin: ms04013, entries: oe6 }], 'en', false);
    expect(html.match(/<tr>/g)).toHaveLength(1);
    expect(html).toContain('<td class="nowrap"><a href="/en/bulletins/ms04-013/">MS04-013</a></td>');
    expect(html).toContain(`<td>${ms04013.text.en!.title}</td>`);
    expect(html.match(/badge--critical/g)).toHaveLength(1);
    expect(html).toContain('<td>SP1</td>');
    expect(html).toContain('<time datetime="2004-04-14">14 Apr 2004</time>');
    expect(html).not.toContain('stacked-list');
  });

  it('adds the systems column on a component\'s page, a dash for an entry without one', () => {
    const html = affectedRowsHtml([{ bulletin: ms04013, entries: [entry({ installed_on: 'Windows XP' }), entry({ installed_on: undefined })] }], 'ja', true);
    expect(html).toContain('<td><ul class="stacked-list"><li>Windows XP</li><li>—</li></ul></td>');
  });

  it('escapes titles and marks a title shown in the other language', () => {
    const html = affectedRowsHtml([{ bulletin: jaOnly, entries: [entry({ severity: undefined, service_pack: undefined })] }], 'en', false);
    expect(html).toContain('<td lang="ja">A &lt;b&gt; &amp; &quot;C&quot;</td>');
    // The bulletin's severity stands in for an entry without one; no service pack reads "—".
    expect(html).toContain('badge--moderate');
    expect(html).toContain('<td>—</td>');
  });
});

describe('componentRowsHtml', () => {
  it('links each component to its page, with its service pack and the systems as the vendor lists them', () => {
    const html = componentRowsHtml([{ bulletin: ms04013, entries: oe6.slice(0, 2) }], 'ja');
    expect(html).toContain('<a href="/ja/bulletins/ms04-013/">MS04-013</a>');
    expect(html).toContain(`<li><a href="/ja/products/outlook-express-6/">Outlook Express 6</a> (${oe6[0]!.installed_on})</li>`);
    expect(html).toContain(`<li><a href="/ja/products/outlook-express-6/">Outlook Express 6</a> SP1 (${oe6[1]!.installed_on})</li>`);
    expect(html).toContain('2004年4月14日');
  });

  it('escapes component and system names', () => {
    const html = componentRowsHtml([{ bulletin: jaOnly, entries: [entry({ product: 'R&D <Tool>', service_pack: undefined, installed_on: 'Windows "XP"' })] }], 'en');
    expect(html).toContain('<li><a href="/en/products/r-d-tool/">R&amp;D &lt;Tool&gt;</a> (Windows &quot;XP&quot;)</li>');
  });
});
