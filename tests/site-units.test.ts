/**
 * Pure helpers behind the pages: locale formatting, UI string checks, list indexes and
 * text/discrepancy picking. Browser and build-output tests are in the other site-* files.
 */
import { describe, expect, it } from 'vitest';
import * as format from '../src/lib/format.ts';
import * as facets from '../src/lib/facets.ts';
import * as localize from '../src/lib/localize.ts';
import * as i18n from '../src/i18n/index.ts';
import ja from '../src/i18n/ja.json' with { type: 'json' };
import en from '../src/i18n/en.json' with { type: 'json' };
import { loadContent } from '../src/lib/load-content.ts';
import { bulletinSections } from '../src/lib/bulletin-sections.ts';
import type { Bulletin } from '../schemas/index.ts';

const { bulletins } = await loadContent('content');
const ms03046 = bulletins.find((b) => b.id === 'MS03-046')!;

describe('public exports', () => {
  it('exposes exactly the documented helpers', () => {
    expect(Object.keys(format).sort()).toEqual(['formatByteCount', 'formatBytes', 'formatDate', 'formatDuration', 'formatInteger', 'isoDuration']);
    expect(Object.keys(i18n).sort()).toEqual(['checkLocale', 'languageName', 'languageNameIn', 'otherLang', 't', 'translator']);
    expect(Object.keys(localize).sort()).toEqual(['discrepanciesAt', 'localize', 'originalLang', 'pickText', 'valueAtField']);
    expect(Object.keys(facets).sort()).toEqual([
      'FACET_PRODUCT_LINKS_MAX',
      'FILE_INDEX_SINGLE_PAGE_ROWS',
      'SEVERITY_ORDER',
      'affectedProductNames',
      'bulletinYear',
      'cachedFacets',
      'cachedFileIndex',
      'cachedFilePages',
      'countBySeverity',
      'countByYear',
      'fileAnchor',
      'fileIndex',
      'fileInitial',
      'filePageKey',
      'filePageNav',
      'filePages',
      'fileTableId',
      'filterBulletins',
      'groupByFamily',
      'identifierIndex',
      'installedOnSystems',
      'platformLabel',
      'productFacet',
      'productIndex',
    ]);
  });
});

describe('formatDate', () => {
  it('writes one ISO day the way each language reads it', () => {
    expect(format.formatDate('2003-10-14', 'ja')).toBe('2003年10月14日');
    expect(format.formatDate('2003-10-14', 'en')).toBe('14 Oct 2003');
    expect(format.formatDate('2004-04-03', 'ja')).toBe('2004年4月3日');
    expect(format.formatDate('2004-09-03', 'en')).toBe('3 Sep 2004');
  });

  it('refuses anything that is not YYYY-MM-DD', () => {
    expect(() => format.formatDate('2003/10/14', 'en')).toThrow('"2003/10/14" is not a YYYY-MM-DD date');
  });
});

describe('formatBytes and formatByteCount', () => {
  it('rounds for reading in 1024-based units with three significant digits', () => {
    expect(format.formatBytes(1165928, 'en')).toBe('1.11 MB');
    expect(format.formatBytes(6656, 'ja')).toBe('6.5 KB');
    expect(format.formatBytes(94208, 'en')).toBe('92 KB');
    expect(format.formatBytes(131072, 'en')).toBe('128 KB');
    expect(format.formatBytes(1048576, 'en')).toBe('1 MB');
  });

  it('keeps small sizes exact, in the page language', () => {
    expect(format.formatBytes(512, 'en')).toBe('512 bytes');
    expect(format.formatBytes(512, 'ja')).toBe('512 バイト');
    expect(format.formatBytes(1, 'en')).toBe('1 byte');
  });

  it('writes the exact byte count with grouping', () => {
    expect(format.formatByteCount(1165928, 'ja')).toBe('1,165,928 バイト');
    expect(format.formatByteCount(1081448, 'en')).toBe('1,081,448 bytes');
    expect(format.formatInteger(1234567890)).toBe('1,234,567,890');
  });

  it('groups every length of number and rounds at the unit edges', () => {
    const grouped = ['0', '12', '123', '1,234', '12,345', '123,456', '1,234,567'];
    for (const text of grouped) expect(format.formatInteger(Number(text.replaceAll(',', '')))).toBe(text);
    expect(format.formatInteger(-1234)).toBe('-1,234');
    expect(format.formatInteger(Number.MAX_SAFE_INTEGER)).toBe('9,007,199,254,740,991');
    expect(format.formatBytes(1023, 'en')).toBe('1,023 bytes');
    expect(format.formatBytes(1024, 'en')).toBe('1 KB');
    expect(format.formatBytes(1048575, 'en')).toBe('1,024 KB');
    expect(format.formatBytes(10240, 'en')).toBe('10 KB');
    expect(format.formatBytes(10342, 'en')).toBe('10.1 KB');
    expect(format.formatBytes(1024 ** 4 * 2000, 'ja')).toBe('2,000 TB');
  });
});

describe('formatDuration', () => {
  it('writes minutes as hours and minutes per language', () => {
    expect(format.formatDuration(89, 'ja')).toBe('1時間29分');
    expect(format.formatDuration(89, 'en')).toBe('1 h 29 min');
    expect(format.formatDuration(12, 'ja')).toBe('12分');
    expect(format.formatDuration(12, 'en')).toBe('12 min');
    expect(format.formatDuration(120, 'ja')).toBe('2時間');
    expect(format.formatDuration(120, 'en')).toBe('2 h');
    expect(format.isoDuration(89)).toBe('PT1H29M');
    expect(format.isoDuration(120)).toBe('PT2H');
  });

  it('refuses fractions and negative durations', () => {
    expect(() => format.formatDuration(1.5, 'en')).toThrow('1.5 is not a whole number of minutes');
  });
});

describe('UI strings', () => {
  it('has the same keys in Japanese and English, none empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(ja).sort());
    for (const value of [...Object.values(ja), ...Object.values(en)]) expect(value.trim()).not.toBe('');
  });

  it('says "1 bulletin", not "1 bulletins": a count of one takes the key\'s .one form', () => {
    expect(i18n.t('en', 'list.count', { count: 1 })).toBe('1 bulletin');
    expect(i18n.t('en', 'list.count', { count: 2 })).toBe('2 bulletins');
    expect(i18n.t('en', 'list.count', { count: 0 })).toBe('0 bulletins');
    expect(i18n.t('en', 'files.count', { count: 1 })).toBe('1 file');
    expect(i18n.t('ja', 'list.count', { count: 1 })).toBe('1 件');
    // Every .one form belongs to a key with a {count}, and says 1 where that key says {count}.
    for (const [key, value] of Object.entries(en).filter(([k]) => k.endsWith('.one'))) {
      const base = en[key.slice(0, -'.one'.length) as keyof typeof en];
      expect(base, key).toContain('{count}');
      expect(value, key).not.toContain('{count}');
    }
  });

  it('fails loudly, naming the file and the key, when a locale misses or adds a key', () => {
    const { ['nav.home']: _dropped, ...missing } = en;
    expect(() => i18n.checkLocale('en.json', ja, missing)).toThrowErrorMatchingInlineSnapshot(`
      [Error: UI strings in src/i18n/en.json do not match src/i18n/ja.json:
        missing key "nav.home": add it to en.json]
    `);
    expect(() => i18n.checkLocale('en.json', ja, { ...en, 'nav.hom': 'Home' })).toThrowErrorMatchingInlineSnapshot(`
      [Error: UI strings in src/i18n/en.json do not match src/i18n/ja.json:
        unknown key "nav.hom": add it to every locale file or remove it]
    `);
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(i18n.t('en', 'bulletin.machines', { count: 50 })).toBe('50 machines');
    expect(i18n.t('ja', 'bulletin.machines', { count: 50 })).toBe('50 台');
    expect(i18n.t('en', 'bulletin.machines')).toBe('{count} machines');
    expect(i18n.languageNameIn('ja', 'en')).toBe('Japanese');
    expect(i18n.languageName('ja')).toBe('日本語');
  });
});

describe('localize and pickText', () => {
  it('returns the language a text is really in', () => {
    expect(localize.localize('exsmtp.dll', 'ja')).toEqual({ text: 'exsmtp.dll', lang: undefined });
    expect(localize.localize({ ja: '展開ビュー', en: 'Deployment view' }, 'en')).toEqual({ text: 'Deployment view', lang: 'en' });
    expect(localize.localize({ ja: '展開ビュー' }, 'en')).toEqual({ text: '展開ビュー', lang: 'ja' });
  });

  it('falls back to the other language and says so', () => {
    const jaOnly = { ...ms03046, text: { ja: ms03046.text.ja } } as Bulletin;
    expect(localize.pickText(jaOnly, 'en')).toMatchObject({ lang: 'ja', fallback: true });
    expect(localize.pickText(ms03046, 'en')).toMatchObject({ lang: 'en', fallback: false });
    expect(localize.originalLang(ms03046)).toBe('ja');
  });

  it('finds the discrepancy about the Exchange 2000 registry key from the key and from its path', () => {
    const atKey = localize.discrepanciesAt(ms03046, 'packages[1].registry_keys[0]');
    expect(atKey.map((d) => d.discrepancy.other_value)).toEqual(['SOFTWARE\\Microsoft\\Updates\\Exchange Server 2000\\SP4\\829436']);
    expect(localize.discrepanciesAt(ms03046, 'packages[1].registry_keys[0]', { deep: false })).toEqual([]);
    expect(localize.discrepanciesAt(ms03046, 'packages[0]')).toEqual([]);
    expect(localize.valueAtField(ms03046, 'packages[1].registry_keys[0].path')).toBe('SOFTWARE\\Microsoft\\Updates\\Exchange Server 2000\\SERVICE PACK 4\\829436');
    expect(localize.valueAtField(ms03046, 'affected[2]')).toBe('Exchange Server 5.0 SP2');
  });
});

describe('list indexes', () => {
  const later = { ...ms03046, id: 'MS04-999', published: '2004-05-01', severity: 'important' } as Bulletin;
  const sample = [later, ms03046];

  it('counts by severity (most severe first, zeros kept) and by year (newest first)', () => {
    expect(facets.countBySeverity(sample)).toEqual([
      { severity: 'critical', count: 1 },
      { severity: 'important', count: 1 },
      { severity: 'moderate', count: 0 },
      { severity: 'low', count: 0 },
    ]);
    expect(facets.countByYear(sample)).toEqual([
      { year: '2004', count: 1 },
      { year: '2003', count: 1 },
    ]);
  });

  it('filters on every given facet at once', () => {
    expect(facets.filterBulletins(sample, { severity: 'critical' }).map((b) => b.id)).toEqual(['MS03-046']);
    expect(facets.filterBulletins(sample, { year: '2004', product: 'exchange-server-5-5' }).map((b) => b.id)).toEqual(['MS04-999']);
    expect(facets.filterBulletins(sample, { year: '2004', severity: 'critical' })).toEqual([]);
  });

  it('indexes products by family and name, with affected and not-affected bulletins', () => {
    const products = facets.productIndex([ms03046]);
    expect(products.map((p) => p.slug)).toEqual(['exchange-2000-server', 'exchange-server-2003', 'exchange-server-5-0', 'exchange-server-5-5']);
    const e2003 = products.find((p) => p.slug === 'exchange-server-2003')!;
    expect(e2003.affectedBy).toEqual([]);
    expect(e2003.notAffectedBy.map((b) => b.bulletin.id)).toEqual(['MS03-046']);
    expect(facets.groupByFamily(products).map((g) => [g.family, g.products.length])).toEqual([['Exchange Server', 4]]);
  });

  it('puts a statement about one service pack or system on the product\'s own page, with the entries it names', () => {
    const statement = { ...ms03046, id: 'MS04-998', not_affected: [
      { product: 'Exchange Server 5.5', service_pack: 'SP3' },
      { product: 'Exchange Server 5.5', installed_on: 'Windows NT 4.0' },
    ] };
    const e55 = facets.productIndex([ms03046, statement]).find((p) => p.slug === 'exchange-server-5-5')!;
    expect(e55.affectedBy.map((a) => a.bulletin.id)).toEqual(['MS03-046', 'MS04-998']);
    expect(e55.notAffectedBy).toEqual([{ bulletin: statement, entries: statement.not_affected }]);
  });

  it('reads the systems a component is installed on from the vendor\'s list, without service packs', () => {
    expect(facets.installedOnSystems('Windows XP、Windows XP SP1、Windows 2000 SP4 および Windows ME')).toEqual(['Windows XP', 'Windows 2000', 'Windows ME']);
    expect(facets.installedOnSystems('Windows Vista Service Pack 2 または Windows 7')).toEqual(['Windows Vista', 'Windows 7']);
    expect(facets.installedOnSystems('Windows XP Service Pack 2 and Windows XP Service Pack 3')).toEqual(['Windows XP']);
    // A comma is part of names the vendor writes, so it does not cut the list.
    expect(facets.installedOnSystems('Windows XP 64-Bit Edition, Version 2003')).toEqual(['Windows XP 64-Bit Edition, Version 2003']);
    // Footnote marks after a name are the vendor's, not the name's.
    expect(facets.installedOnSystems('Windows Server 2008 for x64-based Systems Service Pack 2** および Office 2003 SP3[1]')).toEqual(['Windows Server 2008 for x64-based Systems', 'Office 2003']);
  });

  it('lists a component\'s bulletin on the page of each system it is installed on that has a page', () => {
    const ms04013 = bulletins.find((b) => b.id === 'MS04-013')!;
    const products = facets.productIndex(bulletins);
    const bySlug = new Map(products.map((p) => [p.slug, p]));
    const xp = bySlug.get('windows-xp')!;
    // Windows XP's own bulletins stay where they were; Outlook Express 6 on Windows XP is listed apart.
    expect(xp.affectedBy.map((a) => a.bulletin.id)).toEqual(['MS03-026', 'MS03-039']);
    expect(xp.componentUpdates).toEqual([{ bulletin: ms04013, entries: ms04013.affected.filter((a) => a.product === 'Outlook Express 6' && /Windows XP(?!\S)/.test(a.installed_on ?? '')) }]);
    expect(xp.componentUpdates[0]!.entries.map((e) => e.installed_on)).toEqual(['Windows XP', 'Windows XP、Windows XP SP1、Windows 2000 SP2、Windows 2000 SP3、Windows 2000 SP4、Windows NT 4.0 SP6a、Windows 98、Windows 98 SE および Windows ME']);
    expect(bySlug.get('windows-2000')!.componentUpdates[0]!.entries.map((e) => e.product)).toEqual(['Outlook Express 5.5', 'Outlook Express 6']);
    // "Windows 2003" is not how any bulletin names Windows Server 2003: nothing is guessed.
    expect(bySlug.get('windows-server-2003')!.componentUpdates).toEqual([]);
    // The vendor prefix is dropped when no product is named with it.
    const prefixed = { ...ms04013, id: 'MS04-997', affected: [{ ...ms04013.affected[0]!, installed_on: 'Microsoft Windows XP Service Pack 1' }] };
    const withPrefix = facets.productIndex([...bulletins, prefixed]).find((p) => p.slug === 'windows-xp')!;
    expect(withPrefix.componentUpdates.map((c) => c.bulletin.id)).toEqual(['MS04-013', 'MS04-997']);
    // No page is made for a system only components name, and a component is not its own system.
    expect(bySlug.has('windows-98')).toBe(false);
    expect(bySlug.get('outlook-express-6')!.componentUpdates).toEqual([]);
  });

  it('computes the facets of a bulletin list once, the same as the separate indexes', () => {
    const summary = facets.cachedFacets(sample);
    expect(summary.bySeverity).toEqual(facets.countBySeverity(sample));
    expect(summary.byYear).toEqual(facets.countByYear(sample));
    expect(summary.products).toEqual(facets.productIndex(sample));
    expect(summary.affectedProducts.map((p) => p.slug)).toEqual(['exchange-2000-server', 'exchange-server-5-0', 'exchange-server-5-5']);
    expect(facets.cachedFacets(sample)).toBe(summary);
    expect(facets.cachedFacets([ms03046]).byYear).toEqual([{ year: '2003', count: 1 }]);
  });

  it('links every product from the facet navigation, or only the products index when there are too many', () => {
    const few = facets.productFacet(facets.cachedFacets(bulletins));
    expect(few.kind === 'links' && few.products.map((p) => p.name)).toContain('Windows XP');
    expect(few.kind === 'links' && few.collapsed).toBe(true);
    const small = facets.productFacet(facets.cachedFacets([ms03046]));
    expect(small).toMatchObject({ kind: 'links', collapsed: false });
    const named = (count: number) =>
      Array.from({ length: count }, (_, i) => ({ ...ms03046, id: `MS99-${String(i).padStart(3, '0')}`, affected: [{ ...ms03046.affected[0]!, product: `Product ${i}` }] }) as Bulletin);
    const atLimit = facets.productFacet(facets.cachedFacets(named(facets.FACET_PRODUCT_LINKS_MAX)));
    expect(atLimit.kind === 'links' && atLimit.products).toHaveLength(facets.FACET_PRODUCT_LINKS_MAX);
    // The index lists not-affected products too (MS03-046 names Exchange Server 2003 as not affected).
    expect(facets.productFacet(facets.cachedFacets(named(facets.FACET_PRODUCT_LINKS_MAX + 1)))).toEqual({ kind: 'index', count: facets.FACET_PRODUCT_LINKS_MAX + 2 });
  });

  it('answers "which bulletin last replaced exsmtp.dll?" with the newest file first', () => {
    const newer = {
      ...ms03046,
      id: 'MS04-999',
      published: '2004-05-01',
      packages: [{ ...ms03046.packages[1]!, files: [{ ...ms03046.packages[1]!.files[1]!, name: 'EXSMTP.DLL', date: '2004-04-20', version: '6.0.6500.1' }] }],
    } as Bulletin;
    const exsmtp = facets.fileIndex([ms03046, newer]).find((f) => f.anchor === 'file-exsmtp.dll')!;
    expect(exsmtp.shipments.map((s) => [s.bulletin.id, s.file.version, s.platform])).toEqual([
      ['MS04-999', '6.0.6500.1', 'Exchange 2000 Server SP3'],
      ['MS03-046', '6.0.6487.1', 'Exchange 2000 Server SP3'],
    ]);
  });

  it('indexes files listed under affected products, case-insensitively, pointing at their table', () => {
    const ms04013 = bulletins.find((b) => b.id === 'MS04-013')!;
    const inetcomm = facets.fileIndex([ms04013]).find((f) => f.anchor === 'file-inetcomm.dll')!;
    // INETCOMM.DLL (Outlook Express 5.5/6) and inetcomm.dll (Windows Server 2003) are one file name.
    expect(new Set(inetcomm.shipments.map((s) => s.file.name))).toEqual(new Set(['INETCOMM.DLL', 'inetcomm.dll']));
    expect(inetcomm.shipments[0]).toMatchObject({ platform: 'Outlook Express 5.5 SP2 (Windows 2000 SP3、Windows 2000 SP4、Windows Millennium Edition)', source: { kind: 'affected', index: 0 } });
    expect(facets.fileTableId(inetcomm.shipments[0]!.source)).toBe('files-product-1');
    expect(facets.fileTableId({ kind: 'package', index: 1 })).toBe('files-2');
    const dates = inetcomm.shipments.map((s) => s.file.date);
    expect(dates).toEqual([...dates].sort().reverse());
  });

  it('keeps a small file index on one page and splits a large one by initial', () => {
    const index = facets.fileIndex(bulletins);
    const rows = index.reduce((sum, f) => sum + f.shipments.length, 0);
    expect(facets.filePages(index, rows).map((p) => p.key)).toEqual(['']);
    const split = facets.filePages(index, rows - 1);
    expect(split.map((p) => p.key)).toEqual([...new Set(index.map((f) => facets.fileInitial(f.name)))].sort());
    expect(split.flatMap((p) => p.files)).toHaveLength(index.length);
    expect(split.find((p) => p.key === 'e')!.files.map((f) => f.name)).toContain('exsmtp.dll');
    expect(facets.filePageKey(bulletins, 'exsmtp.dll', rows - 1)).toBe('e');
    expect(facets.filePageKey(bulletins, 'exsmtp.dll', rows)).toBe('');
    expect(facets.fileInitial('_setup.exe')).toBe('_');
    expect(facets.fileInitial('8514a.dll')).toBe('8');
  });

  it('splits a crowded initial further by the next characters, never losing or repeating a file', () => {
    const index = facets.fileIndex(bulletins);
    const pages = facets.filePages(index, 3);
    expect(pages.flatMap((p) => p.files.map((f) => f.anchor)).sort()).toEqual(index.map((f) => f.anchor).sort());
    expect(pages.map((p) => p.key)).toEqual(pages.map((p) => p.key).sort());
    for (const page of pages) {
      const rows = page.files.reduce((sum, f) => sum + f.shipments.length, 0);
      // Only one name shipped many times makes a long page: a name is never split.
      if (page.files.length > 1) expect(rows, page.key).toBeLessThanOrEqual(3);
      for (const file of page.files) expect(file.anchor.slice(5).replace(/[^a-z0-9]/g, '_').padEnd(page.key.length, '_').startsWith(page.key)).toBe(true);
    }
    const inetcomm = pages.find((p) => p.files.some((f) => f.name === 'INETCOMM.DLL'))!;
    expect(inetcomm.key).toMatch(/^ine/);
    expect(facets.filePageKey(bulletins, 'inetcomm.dll', 3)).toBe(inetcomm.key);
    expect(facets.cachedFilePages(bulletins, 3)).toEqual(pages);
  });

  it('splits names sharing a long prefix until each page is small, keeping one crowded name whole', () => {
    const shipments = (name: string, count: number) => ({ name, anchor: facets.fileAnchor(name), shipments: Array.from({ length: count }, () => ({}) as never) });
    const index = [shipments('sheetcalc.dll', 5), shipments('sheetcalc.sys', 2), shipments('sheetcalc2.dll', 2), shipments('shellx.dll', 1)];
    // The largest groups get pages of their own; what is left stays on the shorter prefix's page.
    expect(facets.filePages(index, 4).map((p) => [p.key, p.files.map((f) => f.name)])).toEqual([
      ['she', ['shellx.dll']],
      ['sheetcalc', ['sheetcalc2.dll']],
      ['sheetcalc_', ['sheetcalc.sys']],
      ['sheetcalc_d', ['sheetcalc.dll']],
    ]);
    // Names that differ only in punctuation cannot be told apart by a key: they share a page.
    const twins = [shipments('a-b.dll', 3), shipments('a.b.dll', 3)];
    expect(facets.filePages(twins, 4).map((p) => p.key)).toEqual(['a_b_dll']);
  });

  it('links each other initial once and every page of the current initial from a file-index page', () => {
    const keys = ['a', 'e', 'sa', 'sc', 'she', 'shi', 'w'];
    expect(facets.filePageNav(keys, 'she')).toEqual([
      { key: 'a', label: 'A' },
      { key: 'e', label: 'E' },
      { key: 'sa', label: 'SA' },
      { key: 'sc', label: 'SC' },
      { key: 'she', label: 'SHE' },
      { key: 'shi', label: 'SHI' },
      { key: 'w', label: 'W' },
    ]);
    expect(facets.filePageNav(keys, 'e')).toEqual([
      { key: 'a', label: 'A' },
      { key: 'e', label: 'E' },
      { key: 'sa', label: 'S' },
      { key: 'w', label: 'W' },
    ]);
  });

  it('maps KB numbers and CVE ids to their bulletins', () => {
    const { kb, cve } = facets.identifierIndex([ms03046]);
    expect([...kb.keys()]).toEqual([829436]);
    expect(cve.get('CVE-2003-0714')?.map((b) => b.id)).toEqual(['MS03-046']);
  });
});

describe('bulletinSections', () => {
  it('lists the MS03-046 page sections in order of urgency', () => {
    expect(bulletinSections(ms03046, { comment: true, body: true }).map((s) => s.id)).toEqual([
      'summary',
      'affected',
      'downloads',
      'files',
      'verification',
      'deployment',
      'comment',
      'revisions',
      'references',
      'discrepancies',
      'details',
    ]);
  });

  it('leaves out sections a bulletin has no facts for', () => {
    const bare = { ...ms03046, packages: [], verification: undefined, revision_history: [], references: [], sources: [], discrepancies: [] } as Bulletin;
    expect(bulletinSections(bare, { comment: false, body: false }).map((s) => s.id)).toEqual(['summary', 'affected']);
  });
});
