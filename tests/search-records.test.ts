import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Bulletin } from '../schemas/index.ts';
import { loadContent } from '../src/lib/load-content.ts';
import * as records from '../src/lib/search-records.ts';
import { PAGEFIND_LANGUAGE, bagOfTerms, bodyTermCounts, countTerms, findBoilerplate, findCommonTerms, indexOrder, languageRecords, markdownToText, toLookupShards, toSearchRecord } from '../src/lib/search-records.ts';
import { FACT_MARK, SECTION_MARK } from '../src/lib/segment.ts';
import { buildExcerpt } from '../src/scripts/search-excerpt.ts';
import { isImeEnter } from '../src/scripts/search-ime.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
let bulletins: Bulletin[];
let ms03046: Bulletin;

beforeAll(async () => {
  ({ bulletins } = await loadContent(path.join(ROOT, 'content')));
  ms03046 = bulletins.find((b) => b.id === 'MS03-046')!;
});

/** The words of a record's content without Pagefind's weight markers, as search results return them. */
function returnedContent(content: string): string {
  return content
    .split(' ')
    .filter((w) => !w.startsWith('___'))
    .join(' ');
}

/** Weight of every word of a record's content, as Pagefind reads the markers. */
function wordWeights(content: string): { word: string; weight: number }[] {
  const stack = [1];
  const out: { word: string; weight: number }[] = [];
  for (const word of content.split(' ')) {
    if (word.startsWith('___PAGEFIND_WEIGHT___')) stack.push(Number(word.slice('___PAGEFIND_WEIGHT___'.length)));
    else if (word === '___END_PAGEFIND_WEIGHT___') stack.pop();
    else out.push({ word, weight: stack.at(-1)! });
  }
  return out;
}

describe('search-records module', () => {
  it('exports the record builder, the lookup builder and their helpers only', () => {
    expect(Object.keys(records).sort()).toEqual(
      [
        'PAGEFIND_LANGUAGE',
        'PAGEFIND_WASM',
        'SEARCH_DIR',
        'SECTION_WEIGHTS',
        'bagOfTerms',
        'bodyTermCounts',
        'buildsSideBySide',
        'bundlesAtOnce',
        'countTerms',
        'findBoilerplate',
        'findCommonTerms',
        'indexOrder',
        'languageRecords',
        'markdownToText',
        'pagefindPeakBytes',
        'toLookupShards',
        'toSearchRecord',
      ].sort(),
    );
  });
});

describe('indexOrder and languageRecords', () => {
  it('index oldest first, then by id, and give each language only the bulletins written in it', () => {
    const older: Bulletin = { ...ms03046, id: 'MS03-045', published: '2003-10-01', text: { ja: ms03046.text.ja! } };
    const sameDay: Bulletin = { ...ms03046, id: 'MS03-044' };
    const sorted = indexOrder([ms03046, older, sameDay]);
    expect(sorted.map((b) => b.id)).toEqual(['MS03-045', 'MS03-044', 'MS03-046']);
    expect(languageRecords(sorted, 'ja').records.map((r) => r.url)).toEqual(['ja/bulletins/ms03-045/', 'ja/bulletins/ms03-044/', 'ja/bulletins/ms03-046/']);
    // MS03-045 has no English text: no English record points at a page that falls back.
    const en = languageRecords(sorted, 'en');
    expect(en.records.map((r) => r.url)).toEqual(['en/bulletins/ms03-044/', 'en/bulletins/ms03-046/']);
    expect(en.records[1]).toEqual(toSearchRecord(ms03046, 'en', { boilerplate: findBoilerplate(sorted, 'en'), common: en.common }));
  });
});

describe('toSearchRecord', () => {
  it('points at the bulletin page in its language and indexes japanese without pagefind segmentation', () => {
    const ja = toSearchRecord(ms03046, 'ja')!;
    const en = toSearchRecord(ms03046, 'en')!;
    expect(ja.url).toBe('ja/bulletins/ms03-046/');
    expect(en.url).toBe('en/bulletins/ms03-046/');
    expect(ja.language).toBe(PAGEFIND_LANGUAGE.ja);
    expect(ja.language).not.toMatch(/^(ja|zh|th)(-|$)/);
    expect(en.language).toBe('en');
  });

  it('leaves a bulletin out of the index of a language it has no text in', () => {
    const jaOnly: Bulletin = { ...ms03046, text: { ja: ms03046.text.ja! } };
    expect(toSearchRecord(jaOnly, 'en')).toBeUndefined();
    expect(toSearchRecord(jaOnly, 'ja')).toBeDefined();
  });

  it('carries id, title, date, severity and KB as metadata and product, severity and year as filters', () => {
    const ja = toSearchRecord(ms03046, 'ja')!;
    expect(ja.meta).toEqual({
      id: 'MS03-046',
      title: expect.stringContaining('SMTP'),
      date: '2003-10-15',
      severity: 'critical',
      kb: '829436',
    });
    expect(ja.filters).toEqual({ product: ['exchange-server-5-5', 'exchange-2000-server', 'exchange-server-5-0'], severity: ['critical'], year: ['2003'] });
    expect(ja.sort).toEqual({ date: '2003-10-15' });
  });

  it('lays the content out as summary, facts and index-only terms with no page chrome', () => {
    const ja = toSearchRecord(ms03046, 'ja')!;
    const [summary, facts, terms] = returnedContent(ja.content).split(` ${SECTION_MARK} `);
    expect(summary).toMatch(/^Exchange Server は 、 RFC 2821/);
    expect(facts).toContain(`MS03-046 KB829436 CVE-2003-0714 ${FACT_MARK}`);
    expect(facts).toContain('drviis.dll 6.0.6487.1');
    expect(facts).toContain('HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Updates\\Exchange Server 5.5\\SP5\\829436');
    // Microsoft's spelling of the Exchange 2000 key, kept as a discrepancy, is searchable too.
    expect(facts).toContain('SOFTWARE\\Microsoft\\Updates\\Exchange Server 2000\\SP4\\829436');
    expect(terms).toContain('認証');
    for (const chrome of ['ホーム', 'セキュリティ情報一覧', 'データとフィード']) expect(ja.content).not.toContain(chrome);
  });

  it('weighs ids, KB and CVE above the title, the title above facts and facts above the body', () => {
    const weights = wordWeights(toSearchRecord(ms03046, 'ja')!.content);
    const weightOf = (word: string) => Math.max(...weights.filter((w) => w.word === word).map((w) => w.weight));
    expect(weightOf('829436')).toBe(10);
    expect(weightOf('cve20030714')).toBe(10);
    expect(weightOf('smtp')).toBe(6);
    expect(weightOf('drviisdll')).toBe(4);
    expect(weightOf('6064871')).toBe(4);
    expect(weightOf('認証')).toBeLessThan(4);
  });

  it('gives stop words of the readable summary no weight', () => {
    const weights = wordWeights(toSearchRecord(ms03046, 'ja')!.content);
    const particles = weights.filter((w) => ['は', 'を', 'の', 'に'].includes(w.word));
    expect(particles.length).toBeGreaterThan(0);
    for (const p of particles) expect(p.weight).toBe(0);
  });

  it('is deterministic', () => {
    expect(toSearchRecord(ms03046, 'ja')).toEqual(toSearchRecord(structuredClone(ms03046), 'ja'));
  });
});

describe('bagOfTerms', () => {
  it('lists each term once and weighs it by how often it occurs', () => {
    const bag = bagOfTerms(countTerms(['認証 認証 認証 認証 要求 Exchange']));
    const weights = wordWeights(bag.join(' '));
    expect(weights.map((w) => w.word).sort()).toEqual(['exchange', '要求', '認証'].sort());
    expect(weights.find((w) => w.word === '認証')!.weight).toBe(2);
    expect(weights.find((w) => w.word === '要求')!.weight).toBe(1);
  });

  it('counts terms already weighted in the title once less', () => {
    const weights = wordWeights(bagOfTerms(countTerms(['認証 認証 要求']), new Set(['認証', '要求'])).join(' '));
    expect(weights).toEqual([{ word: '認証', weight: 0.5 }]);
  });

  it('leaves out the terms it is told to omit', () => {
    const words = bagOfTerms(countTerms(['認証 要求 windows']), new Set(), new Set(['windows'])).filter((w) => !w.startsWith('___'));
    expect(words).toEqual(['認証', '要求']);
  });
});

describe('findCommonTerms', () => {
  it('finds body terms in at least the given share of the bulletins, never in a small index', () => {
    const bodies = Array.from({ length: 100 }, (_, i) => countTerms([`windows セキュリティ only${i}`, i % 2 ? 'カーネル' : '']));
    expect([...findCommonTerms(bodies, 0.3, 50)].sort()).toEqual(['windows', 'カーネル', 'セキュリティ'].sort());
    expect([...findCommonTerms(bodies, 0.6, 50)].sort()).toEqual(['windows', 'セキュリティ'].sort());
    expect(findCommonTerms(bodies.slice(0, 10), 0.3, 50).size).toBe(0);
  });

  it('leaves common terms out of the body but keeps them in the title', () => {
    // "認証" is in the body of MS03-046 (not its title); "smtp" is in both.
    expect(bodyTermCounts(ms03046, 'ja')!.get('認証')).toBeGreaterThan(0);
    const bodyWords = (content: string) => returnedContent(content).split(` ${SECTION_MARK} `)[2]!.split(' ');
    const plain = toSearchRecord(ms03046, 'ja')!;
    const without = toSearchRecord(ms03046, 'ja', { common: new Set(['認証', 'smtp']) })!;
    expect(bodyWords(plain.content)).toContain('認証');
    expect(bodyWords(without.content)).not.toContain('認証');
    const titleWeighted = wordWeights(without.content).filter((w) => w.word === 'smtp').map((w) => w.weight);
    expect(titleWeighted).toEqual([6]);
  });

});

describe('findBoilerplate', () => {
  it('finds body lines that many bulletins share and leaves their words out of the index', () => {
    const shared = '| /norestart | インストールの完了後、再起動しません。 |';
    const make = (id: string, line: string): Bulletin => ({ ...ms03046, id, text: { ja: { ...ms03046.text.ja!, body: `${line}\n${shared}\n` } } });
    const set = [make('MS01-001', '固有の説明 いち'), make('MS01-002', '固有の説明 に'), make('MS01-003', '固有の説明 さん')];
    const boilerplate = findBoilerplate(set, 'ja');
    expect([...boilerplate]).toEqual([shared]);
    const record = toSearchRecord(set[0]!, 'ja', { boilerplate })!;
    expect(record.content).not.toContain('norestart');
    expect(record.content).toContain('固有');
  });
});

describe('markdownToText', () => {
  it('keeps link text, drops link targets, URLs, markup and escapes', () => {
    expect(markdownToText('**重要:** [MS03-046](https://example.org/x) と `drviis.dll`、HKEY\\_LOCAL\\_MACHINE\\\\SOFTWARE https://a.example/b')).toBe(
      '重要: MS03-046 と drviis.dll、HKEY_LOCAL_MACHINE\\SOFTWARE  ',
    );
  });
});

describe('toLookupShards', () => {
  it('maps every id, KB number and CVE id to its bulletins in sorted shards', () => {
    const shards = toLookupShards(bulletins);
    expect(shards['id-ms03']!['MS03-046']).toEqual(['MS03-046']);
    expect(shards['kb-829']!['829436']).toEqual(['MS03-046']);
    expect(shards['cve-2003']!['CVE-2003-0714']).toEqual(['MS03-046']);
    expect(Object.keys(shards)).toEqual([...Object.keys(shards)].sort());
  });
});

describe('buildExcerpt', () => {
  const content = `認証 を 要求 する 。 ${SECTION_MARK} MS03-046 KB829436 ${FACT_MARK} drviis.dll 6.0.6487.1 ${SECTION_MARK} 829436 drviis smtp`;

  it('marks the matched words of the summary', () => {
    expect(buildExcerpt(content, [0, 2])).toEqual({
      parts: [
        { text: '認証', mark: true },
        { text: 'を', mark: false },
        { text: '要求', mark: true },
        { text: 'する。', mark: false },
      ],
      matched: [],
    });
  });

  it('shows the fact that matched when the summary did not', () => {
    const excerpt = buildExcerpt(content, [9]);
    expect(excerpt.parts.map((p) => p.text).join('')).toBe('…drviis.dll 6.0.6487.1');
    expect(excerpt.parts.find((p) => p.mark)).toEqual({ text: 'drviis.dll', mark: true });
  });

  it('lists words that matched only in the index-only terms', () => {
    const excerpt = buildExcerpt(content, [14]);
    expect(excerpt.matched).toEqual(['smtp']);
    expect(excerpt.parts.map((p) => p.text).join('')).toBe('認証を要求する。');
  });
});

describe('isImeEnter', () => {
  it('recognises the enter that confirms an IME conversion in every browser', () => {
    expect(isImeEnter({ key: 'Enter', isComposing: true, keyCode: 229 }, false)).toBe(true); // Chromium, Firefox
    expect(isImeEnter({ key: 'Enter', isComposing: false, keyCode: 229 }, false)).toBe(true); // Safari
    expect(isImeEnter({ key: 'Enter', isComposing: false, keyCode: 13 }, true)).toBe(true); // still composing
    expect(isImeEnter({ key: 'Enter', isComposing: false, keyCode: 13 }, false)).toBe(false);
    expect(isImeEnter({ key: 'a', isComposing: true, keyCode: 229 }, true)).toBe(false);
  });
});

describe('Pagefind memory estimate', () => {
  // Peaks measured on this machine kind (bench/README.md, round 11): content characters of
  // a bundle's records, and the Pagefind process's peak RSS building it. The estimate
  // decides whether two bundles may build at once; below a measured peak it would let a
  // build run out of memory on a machine that has just enough for one.
  const MIB = 2 ** 20;
  const measured: Array<[chars: number, peakMiB: number]> = [
    [4_534_923, 299], // 1,000 generated, English
    [5_071_641, 354], // 1,000 generated, Japanese
    [5_935_530, 417], // the imported real archive, Japanese
    [22_723_236, 1_398], // 5,000 generated, English, alone
    [25_355_893, 1_575], // 5,000 generated, Japanese
  ];
  it('is at or above every measured peak, and within a quarter of it', () => {
    for (const [chars, peak] of measured) {
      expect(records.pagefindPeakBytes(chars) / MIB).toBeGreaterThanOrEqual(peak);
      expect(records.pagefindPeakBytes(chars) / MIB).toBeLessThan(peak * 1.25);
    }
  });
  it('lets a bundle build beside others only when memory holds all their peaks', () => {
    expect(records.buildsSideBySide(3_000 * MIB, 1_500 * MIB, 1_500 * MIB)).toBe(true);
    expect(records.buildsSideBySide(2_999 * MIB, 1_500 * MIB, 1_500 * MIB)).toBe(false);
    expect(records.buildsSideBySide(0, 0, 1)).toBe(false);
  });
  it('builds one bundle at a time beside Astro on two cores, one per core otherwise', () => {
    expect(records.bundlesAtOnce(2, true)).toBe(1);
    expect(records.bundlesAtOnce(2, false)).toBe(2);
    expect(records.bundlesAtOnce(4, true)).toBe(3);
    expect(records.bundlesAtOnce(1, false)).toBe(1);
    expect(records.bundlesAtOnce(1, true)).toBe(1);
  });
});
