/**
 * Bulletins to RSS 2.0, Atom (RFC 4287) and JSON Feed 1.1, one feed per language.
 *
 * Every vendor revision is an entry, so a reader subscribed to the feed hears about
 * updates (a product added, a file size corrected), not only new bulletins. Entries are
 * newest first and the newest `FEED_ENTRY_LIMIT` are kept, as feed readers expect; the
 * complete list is `/api/v1/bulletins.json`. Dates come from the bulletins, so the same
 * content always gives the same bytes.
 */
import { LANGS, type Bulletin, type Lang } from '../../schemas/index.ts';
import { compareRevision } from './cross-check.ts';
import { escapeHtml } from './escape-html.ts';
import { IMPACT_LABELS, SEVERITY_LABELS, otherLang, pick } from './export-labels.ts';
import type { BulletinWithHtml } from './to-api.ts';
import { absoluteUrl, paths } from './urls.ts';

/** Entries per feed. */
export const FEED_ENTRY_LIMIT = 100;

export const FEED_PATHS = {
  rss: (lang: Lang) => `${lang}/rss.xml`,
  atom: (lang: Lang) => `${lang}/atom.xml`,
  json: (lang: Lang) => `${lang}/feed.json`,
} as const;

const FEED_TEXT = {
  title: { ja: 'bulletin-kb セキュリティ情報', en: 'bulletin-kb security bulletins' },
  description: {
    ja: 'セキュリティ情報の公開と改訂 (対象製品、修正プログラム、適用されるファイル、確認方法)。',
    en: 'Security bulletins as they are published and revised: affected products, update packages, installed files, how to verify.',
  },
  revision: { ja: (v: string) => `改訂 ${v}`, en: (v: string) => `revision ${v}` },
  update: { ja: '更新', en: 'update' },
  severity: { ja: '深刻度', en: 'Severity' },
  impact: { ja: '影響', en: 'Impact' },
  action: { ja: '対応策', en: 'Action' },
  fallback: { ja: 'この情報には日本語版がないため、英語版を表示しています。', en: 'This bulletin has no English text yet; the Japanese text is shown.' },
} as const;

export interface FeedEntry {
  /** Permanent, unique id: the page URL plus the revision. */
  id: string;
  bulletin: string;
  /** Position in the bulletin's revision history, oldest first (0 for the first publication). */
  sequence: number;
  /** True for the first publication, false for an update. */
  initial: boolean;
  url: string;
  title: string;
  /** Language the entry's text is in (the other one when this language has none yet). */
  lang: Lang;
  /** Plain-text summary. */
  summary: string;
  /** Sanitized HTML. */
  contentHtml: string;
  /** `yyyy-mm-dd` of the bulletin's first publication. */
  published: string;
  /** `yyyy-mm-dd` of this revision. */
  updated: string;
  severity: Bulletin['severity'];
  tags: string[];
}

function entriesOf(bulletin: BulletinWithHtml, lang: Lang): FeedEntry[] {
  const textLang = bulletin.text[lang] ? lang : otherLang(lang);
  const text = bulletin.text[textLang];
  if (!text) return [];
  const html = bulletin.html[textLang];
  const pageUrl = absoluteUrl(paths.bulletin(lang, bulletin.id));
  const severity = SEVERITY_LABELS[bulletin.severity][lang];
  const facts = [
    `${FEED_TEXT.severity[lang]}: ${severity}`,
    `${FEED_TEXT.impact[lang]}: ${IMPACT_LABELS[bulletin.impact][lang]}`,
    ...bulletin.kb.map((n) => `KB${n}`),
    ...bulletin.cves,
  ].join(' / ');
  const body = [
    textLang !== lang ? `<p><em>${escapeHtml(FEED_TEXT.fallback[lang])}</em></p>` : '',
    `<p>${escapeHtml(facts)}</p>`,
    `<p><strong>${escapeHtml(FEED_TEXT.action[lang])}:</strong> ${escapeHtml(text.action)}</p>`,
    html?.summary ?? `<p>${escapeHtml(text.summary)}</p>`,
  ].join('\n');
  const tags = [...new Set([severity, ...bulletin.cves, ...bulletin.kb.map((n) => `KB${n}`), ...bulletin.affected.map((p) => p.product)])];

  // Same-day entries keep their source order unless both carry a number.
  const revisions = [...bulletin.revision_history].sort((a, b) =>
    a.date < b.date ? -1 : a.date > b.date ? 1 : a.version && b.version ? compareRevision(a.version, b.version) : 0,
  );
  if (revisions.length === 0) {
    return [
      {
        id: pageUrl,
        bulletin: bulletin.id,
        sequence: 0,
        initial: true,
        url: pageUrl,
        title: `${bulletin.id}: ${text.title}`,
        lang: textLang,
        summary: text.action,
        contentHtml: body,
        published: bulletin.published,
        updated: bulletin.published,
        severity: bulletin.severity,
        tags,
      },
    ];
  }
  const perDay = new Map<string, number>();
  const seen = new Set<string>();
  return revisions.map((revision, i) => {
    // An unnumbered revision is named by its date (and its place among that day's entries),
    // which stays the same when later revisions are added.
    const nth = (perDay.get(revision.date) ?? 0) + 1;
    perDay.set(revision.date, nth);
    let key = revision.version ?? (nth === 1 ? revision.date : `${revision.date}-${nth}`);
    // A number given twice by mistake must still give two distinct ids.
    for (let n = 2; seen.has(key); n++) key = `${revision.version ?? revision.date}-${n}`;
    seen.add(key);
    const label = revision.version ? FEED_TEXT.revision[lang](revision.version) : FEED_TEXT.update[lang];
    const change = pick(revision.summary, textLang) ?? '';
    const initial = i === 0;
    return {
      id: `${pageUrl}#revision-${key}`,
      bulletin: bulletin.id,
      sequence: i,
      initial,
      url: pageUrl,
      title: initial ? `${bulletin.id}: ${text.title}` : `${bulletin.id} ${label} (${revision.date}): ${text.title}`,
      lang: textLang,
      summary: initial ? text.action : `${label} (${revision.date}): ${change}`,
      contentHtml: `<p><strong>${escapeHtml(`${label} (${revision.date})`)}:</strong> ${escapeHtml(change)}</p>\n${body}`,
      published: bulletin.published,
      updated: revision.date,
      severity: bulletin.severity,
      tags,
    };
  });
}

/** Feed entries for one language: every revision of every bulletin, newest first, limited. */
export function feedEntries(bulletins: readonly BulletinWithHtml[], lang: Lang, limit = FEED_ENTRY_LIMIT): FeedEntry[] {
  const all = bulletins.flatMap((b) => entriesOf(b, lang));
  all.sort(
    (a, b) =>
      (a.updated < b.updated ? 1 : a.updated > b.updated ? -1 : 0) ||
      (a.bulletin < b.bulletin ? -1 : a.bulletin > b.bulletin ? 1 : 0) ||
      b.sequence - a.sequence,
  );
  return all.slice(0, limit);
}

/** Removes characters XML 1.0 cannot carry at all (C0 controls except tab/LF/CR, lone surrogates, U+FFFE/F). */
function xmlSafe(s: string): string {
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '');
}

function xml(s: string): string {
  return xmlSafe(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

const rfc3339 = (day: string) => `${day}T00:00:00Z`;
/** RFC 822 date as RSS 2.0 wants it (`Wed, 15 Oct 2003 00:00:00 GMT`). */
export function rfc822(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d!)).toUTCString();
}

const EPOCH = '1970-01-01';
const newestDay = (entries: readonly FeedEntry[]) => entries.reduce((max, e) => (e.updated > max ? e.updated : max), EPOCH);

/** `/{lang}/rss.xml` */
export function toRss(entries: readonly FeedEntry[], lang: Lang): string {
  const items = entries.map(
    (e) => `    <item>
      <title>${xml(e.title)}</title>
      <link>${xml(e.url)}</link>
      <description>${xml(e.contentHtml)}</description>
      <guid isPermaLink="false">${xml(e.id)}</guid>
      <pubDate>${rfc822(e.updated)}</pubDate>
${e.tags.map((t) => `      <category>${xml(t)}</category>`).join('\n')}
    </item>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>${xml(FEED_TEXT.title[lang])}</title>
    <link>${xml(absoluteUrl(paths.home(lang)))}</link>
    <description>${xml(FEED_TEXT.description[lang])}</description>
    <language>${lang}</language>
    <lastBuildDate>${rfc822(newestDay(entries))}</lastBuildDate>
    <generator>bulletin-kb</generator>
    <docs>https://www.rssboard.org/rss-specification</docs>
    <atom:link href="${xml(absoluteUrl(FEED_PATHS.rss(lang)))}" rel="self" type="application/rss+xml"/>
${items.join('\n')}
  </channel>
</rss>
`;
}

/** `/{lang}/atom.xml` */
export function toAtom(entries: readonly FeedEntry[], lang: Lang): string {
  const items = entries.map(
    (e) => `  <entry${e.lang !== lang ? ` xml:lang="${e.lang}"` : ''}>
    <id>${xml(e.id)}</id>
    <title>${xml(e.title)}</title>
    <updated>${rfc3339(e.updated)}</updated>
    <published>${rfc3339(e.initial ? e.published : e.updated)}</published>
    <link rel="alternate" type="text/html" href="${xml(e.url)}"/>
    <summary type="text">${xml(e.summary)}</summary>
    <content type="html">${xml(e.contentHtml)}</content>
${e.tags.map((t) => `    <category term="${xml(t)}"/>`).join('\n')}
  </entry>`,
  );
  const self = absoluteUrl(FEED_PATHS.atom(lang));
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${lang}">
  <id>${xml(self)}</id>
  <title>${xml(FEED_TEXT.title[lang])}</title>
  <subtitle>${xml(FEED_TEXT.description[lang])}</subtitle>
  <updated>${rfc3339(newestDay(entries))}</updated>
  <link rel="self" type="application/atom+xml" href="${xml(self)}"/>
  <link rel="alternate" type="text/html" href="${xml(absoluteUrl(paths.home(lang)))}"/>
${LANGS.filter((l) => l !== lang)
  .map((l) => `  <link rel="alternate" type="application/atom+xml" hreflang="${l}" href="${xml(absoluteUrl(FEED_PATHS.atom(l)))}"/>`)
  .join('\n')}
  <author><name>bulletin-kb</name></author>
  <generator>bulletin-kb</generator>
${items.join('\n')}
</feed>
`;
}

/** `/{lang}/feed.json` (JSON Feed 1.1). */
export function toJsonFeed(entries: readonly FeedEntry[], lang: Lang): string {
  const feed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: FEED_TEXT.title[lang],
    home_page_url: absoluteUrl(paths.home(lang)),
    feed_url: absoluteUrl(FEED_PATHS.json(lang)),
    description: FEED_TEXT.description[lang],
    language: lang,
    authors: [{ name: 'bulletin-kb', url: absoluteUrl(paths.home(lang)) }],
    items: entries.map((e) => ({
      id: e.id,
      url: e.url,
      title: e.title,
      content_html: e.contentHtml,
      summary: e.summary,
      date_published: rfc3339(e.initial ? e.published : e.updated),
      date_modified: rfc3339(e.updated),
      tags: e.tags,
      language: e.lang,
    })),
  };
  return `${JSON.stringify(feed, null, 2)}\n`;
}
