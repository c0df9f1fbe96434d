/**
 * RSS 2.0, Atom and JSON Feed 1.1 per language: parsed back and checked against the
 * elements each format requires, newest first, one entry per revision.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { LANGS, type Lang } from '../schemas/index.ts';
import * as toFeedsModule from '../src/lib/to-feeds.ts';
import { FEED_ENTRY_LIMIT, feedEntries, rfc822, toAtom, toJsonFeed, toRss } from '../src/lib/to-feeds.ts';
import type { BulletinWithHtml } from '../src/lib/to-api.ts';
import { loadSiteBulletins, withHtml } from './helpers/feeds-fixtures.ts';

const siteDir = inject('siteDir');
const SITE = 'https://bulletins.example.org';
const REPEATED = new Set(['rss.channel.item', 'rss.channel.item.category', 'feed.link', 'feed.entry', 'feed.entry.link', 'feed.entry.category']);
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (_name, jpath) => REPEATED.has(String(jpath)) });

type Json = Record<string, any>;
const read = (relative: string) => readFileSync(path.join(siteDir, relative), 'utf8');
const RFC822 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

let bulletins: BulletinWithHtml[];
beforeAll(async () => {
  bulletins = await loadSiteBulletins();
});

/** Number of entries a language's feed must have: every revision (or the publication), capped. */
function expectedEntries(): number {
  const all = bulletins.reduce((n, b) => n + Math.max(1, b.revision_history.length), 0);
  return Math.min(all, FEED_ENTRY_LIMIT);
}

describe('feeds module', () => {
  it('exports the feed builders, nothing else', () => {
    expect(Object.keys(toFeedsModule).sort()).toEqual(['FEED_ENTRY_LIMIT', 'FEED_PATHS', 'feedEntries', 'rfc822', 'toAtom', 'toJsonFeed', 'toRss']);
  });

  it('formats rss dates as rfc 822 in gmt', () => {
    expect(rfc822('2003-10-15')).toBe('Wed, 15 Oct 2003 00:00:00 GMT');
  });
});

describe.each(LANGS)('%s feeds', (lang: Lang) => {
  it('rss 2.0 has the required channel and item elements, newest first', () => {
    const xml = read(`${lang}/rss.xml`);
    expect(XMLValidator.validate(xml)).toBe(true);
    const { rss } = parser.parse(xml);
    expect(rss['@version']).toBe('2.0');
    const channel = rss.channel;
    expect(channel.title).toBeTruthy();
    expect(channel.link).toBe(`${SITE}/${lang}/`);
    expect(channel.description).toBeTruthy();
    expect(channel.language).toBe(lang);
    expect(channel.lastBuildDate).toMatch(RFC822);
    expect(channel['atom:link']['@href']).toBe(`${SITE}/${lang}/rss.xml`);
    expect(channel.item).toHaveLength(expectedEntries());
    const guids = new Set<string>();
    let previous = Infinity;
    for (const item of channel.item) {
      expect(item.title).toBeTruthy();
      expect(item.link).toMatch(new RegExp(`^${SITE}/${lang}/bulletins/[a-z0-9-]+/$`));
      expect(item.description).toContain('<p>');
      expect(item.pubDate).toMatch(RFC822);
      expect(item.guid['@isPermaLink']).toBe('false');
      guids.add(item.guid['#text']);
      const time = Date.parse(item.pubDate);
      expect(time).toBeLessThanOrEqual(previous);
      previous = time;
    }
    expect(guids.size).toBe(channel.item.length);
    expect(Date.parse(channel.lastBuildDate)).toBe(Date.parse(channel.item[0].pubDate));
  });

  it('atom has the required feed and entry elements with unique ids, newest first', () => {
    const xml = read(`${lang}/atom.xml`);
    expect(XMLValidator.validate(xml)).toBe(true);
    const { feed } = parser.parse(xml);
    expect(feed['@xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(feed['@xml:lang']).toBe(lang);
    expect(feed.id).toBe(`${SITE}/${lang}/atom.xml`);
    expect(feed.title).toBeTruthy();
    expect(feed.updated).toMatch(RFC3339);
    expect(feed.author.name).toBeTruthy();
    expect(feed.link.find((l: Json) => l['@rel'] === 'self')['@href']).toBe(`${SITE}/${lang}/atom.xml`);
    expect(feed.entry).toHaveLength(expectedEntries());
    const ids = feed.entry.map((e: Json) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    const updated = feed.entry.map((e: Json) => e.updated);
    for (const entry of feed.entry) {
      expect(entry.id).toMatch(/^https:\/\//);
      expect(entry.title).toBeTruthy();
      expect(entry.updated).toMatch(RFC3339);
      expect(entry.published).toMatch(RFC3339);
      expect(entry.published <= entry.updated).toBe(true);
      expect(entry.link[0]).toMatchObject({ '@rel': 'alternate', '@type': 'text/html' });
      expect(entry.content['@type']).toBe('html');
      expect(entry.summary['#text']).toBeTruthy();
    }
    expect(updated).toEqual([...updated].sort().reverse());
    expect(feed.updated).toBe(updated[0]);
  });

  it('json feed 1.1 has the required keys, unique ids and html content, newest first', () => {
    const feed = JSON.parse(read(`${lang}/feed.json`));
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feed.title).toBeTruthy();
    expect(feed.feed_url).toBe(`${SITE}/${lang}/feed.json`);
    expect(feed.home_page_url).toBe(`${SITE}/${lang}/`);
    expect(feed.language).toBe(lang);
    expect(feed.items).toHaveLength(expectedEntries());
    const ids = feed.items.map((i: Json) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const item of feed.items) {
      expect(typeof item.id).toBe('string');
      expect(item.url).toMatch(new RegExp(`^${SITE}/${lang}/bulletins/`));
      expect(item.content_html).toContain('<p>');
      expect(item.date_published).toMatch(RFC3339);
      expect(item.date_modified).toMatch(RFC3339);
    }
    const modified = feed.items.map((i: Json) => i.date_modified);
    expect(modified).toEqual([...modified].sort().reverse());
  });

  it('makes each revision of ms03-046 an entry of its own', () => {
    const { feed } = parser.parse(read(`${lang}/atom.xml`));
    const page = `${SITE}/${lang}/bulletins/ms03-046/`;
    const entries = feed.entry.filter((e: Json) => e.link[0]['@href'] === page);
    expect(entries.map((e: Json) => e.id)).toEqual(['2.0', '1.2', '1.1', '1.0'].map((v) => `${page}#revision-${v}`));
    expect(entries.map((e: Json) => e.updated)).toEqual(['2004-04-13', '2003-11-11', '2003-10-22', '2003-10-15'].map((d) => `${d}T00:00:00Z`));
    const revision2 = lang === 'ja' ? '改訂 2.0 (2004-04-13)' : 'revision 2.0 (2004-04-13)';
    expect(entries[0].title).toContain(revision2);
    expect(entries[0].summary['#text']).toContain(lang === 'ja' ? 'Exchange Server 5.0 も影響を受ける' : 'Exchange Server 5.0 was found to be affected');
    expect(entries[3].published).toBe('2003-10-15T00:00:00Z');
  });
});

describe('feed entries', () => {
  const bulletinWithoutEnglish = async (): Promise<BulletinWithHtml> => {
    const ms = (await loadSiteBulletins()).find((b) => b.id === 'MS03-046')!;
    const { en: _en, ...text } = ms.text;
    return withHtml({ ...ms, text });
  };

  it('shows a bulletin without english text in the english feeds, marked as japanese', async () => {
    const entries = feedEntries([await bulletinWithoutEnglish()], 'en');
    expect(entries).toHaveLength(4);
    for (const entry of entries) {
      expect(entry.lang).toBe('ja');
      expect(entry.contentHtml).toContain('This bulletin has no English text yet');
    }
    const { feed } = parser.parse(toAtom(entries, 'en'));
    expect(feed.entry[0]['@xml:lang']).toBe('ja');
    expect(JSON.parse(toJsonFeed(entries, 'en')).items[0].language).toBe('ja');
  });

  it('names unnumbered revisions by date, distinct even on the same day', async () => {
    const ms = (await loadSiteBulletins()).find((b) => b.id === 'MS03-046')!;
    const history = [
      { date: '2003-10-15', summary: { ja: 'a', en: 'a' } },
      { date: '2003-10-15', summary: { ja: 'b', en: 'b' } },
      { date: '2003-10-20', summary: { ja: 'c', en: 'c' } },
    ];
    const ids = feedEntries([{ ...ms, revision_history: history }], 'en').map((e) => e.id.split('#')[1]);
    expect(ids).toEqual(['revision-2003-10-20', 'revision-2003-10-15-2', 'revision-2003-10-15']);
  });

  it('escapes markup and drops characters xml cannot carry', async () => {
    const ms = (await loadSiteBulletins()).find((b) => b.id === 'MS03-046')!;
    const hostile = '<script>alert(1)</script> & ]]> \u0001 "quoted" \u{1F600}';
    const en = { ...ms.text.en!, title: hostile };
    const entries = feedEntries([withHtml({ ...ms, text: { ...ms.text, en } })], 'en');
    for (const xml of [toRss(entries, 'en'), toAtom(entries, 'en')]) {
      expect(XMLValidator.validate(xml)).toBe(true);
      expect(xml).not.toContain('<script>');
      expect(xml).not.toContain('\u0001');
    }
    const { feed } = parser.parse(toAtom(entries, 'en'));
    expect(feed.entry[0].title).toBe(`MS03-046 revision 2.0 (2004-04-13): ${hostile.replace('\u0001', '')}`);
  });

  it('keeps only the newest entries when there are more than the limit', async () => {
    const all = await loadSiteBulletins();
    const entries = feedEntries(all, 'ja', 3);
    expect(entries).toHaveLength(3);
    expect(entries[0]!.updated >= entries[2]!.updated).toBe(true);
  });
});
