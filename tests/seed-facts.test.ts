/**
 * Every fact in the vendor page MS03-046 was transcribed from (../shared/seed) must be in
 * content/ MS03-046, in the field that means the same thing. The seed is read with
 * regular expressions here, independently of any importer, so a transcription slip in
 * bulletin.yaml (a digit, a version, a key, a moved value) fails this test.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Bulletin, Localized, Package } from '../schemas/index.ts';
import { loadContent } from '../src/lib/load-content.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const SEED = readFileSync(path.join(ROOT, '..', 'shared', 'seed', 'MS03-046.updateexpert.ja.txt'), 'utf8');

// Independent extractors: each finds every occurrence of one kind of fact in the seed.
const SIZE = /\b\d{1,3}(?:,\d{3})+\b/g;
const VERSION = /\b\d+(?:\.\d+){2,3}\b/g;
const FILE_NAME = /[A-Za-z0-9][\w.-]*\.(?:dll|exe|EXE)\b/g;
const DATE = /\b(\d{4})\/(\d{2})\/(\d{2})\b/g;
// A key runs to the end of its entry; the seed wraps one key over two lines
// ("SERVICE PACK\n4\829436"), so the entry ends at the next "・" item or "|" line.
const REGISTRY_KEY = /(HKEY_[A-Z_]+)\\([^・|]+?)\n(?=・|\||$)/g;
const URL_RE = /https?:\/\/[^\s|]+/g;
const DURATION = /(?:(\d+)時間)?(\d+)分/g;
const FLEET = /(\d+)台/g;

const toIso = (seedDate: string) => seedDate.replaceAll('/', '-');
const toBytes = (grouped: string) => Number(grouped.replaceAll(',', ''));
const ja = (value: Localized | undefined) => (typeof value === 'string' ? value : value?.ja);
const all = (re: RegExp, text = SEED) => [...text.matchAll(re)].map((m) => m[0]);

/** The seed's text between a section heading cell ("確認方法 |") and the next heading. */
function section(heading: string, next: string): string {
  const start = SEED.indexOf(`\n${heading} |\n`);
  const end = next ? SEED.indexOf(`\n${next} |\n`, start + 1) : SEED.length;
  expect(start, `section ${heading}`).toBeGreaterThan(0);
  expect(end, `section after ${heading}`).toBeGreaterThan(start);
  return SEED.slice(start, end);
}

/** Splits a section into its "・Exchange Server 5.5 SP4:" parts. */
function byPlatform(text: string): Array<{ label: string; body: string }> {
  const parts = text.split(/^・(.+?):\n/m);
  const out: Array<{ label: string; body: string }> = [];
  for (let i = 1; i < parts.length; i += 2) out.push({ label: parts[i]!, body: parts[i + 1]! });
  return out;
}

/**
 * Table cells of a seed fragment: a cell ends with " |" at the end of a line, or with a
 * line that is only "|" (sizes); a cell wrapped over lines is joined with a space.
 */
function cells(text: string): string[] {
  const out: string[] = [];
  let current: string[] = [];
  const end = () => {
    const cell = current.join(' ').trim();
    if (cell) out.push(cell);
    current = [];
  };
  for (const line of text.split('\n')) {
    if (line === '|') end();
    else if (line.endsWith(' |')) {
      current.push(line.slice(0, -2));
      end();
    } else current.push(line);
  }
  end();
  return out;
}

interface FileRow {
  name: string;
  date: string;
  version: string;
  size: string;
  folder?: string;
  description?: string;
}

/** Reads one platform's file tables: the package row first, then the installed files. */
function fileRows(body: string): { pkg: FileRow; files: FileRow[] } {
  const list = cells(body);
  const rows: FileRow[] = [];
  let folder: string | undefined;
  let inFiles = false;
  for (let i = 0; i < list.length; i++) {
    const cell = list[i]!;
    if (cell === '機能') inFiles = true;
    if (cell.startsWith('%')) folder = cell;
    if (!/^[\w.-]+\.(?:dll|exe|EXE)$/.test(cell)) continue;
    const [date, version, size] = [list[i + 1]!, list[i + 2]!, list[i + 3]!];
    rows.push({ name: cell, date, version, size, ...(inFiles ? { folder, description: list[i + 4] } : {}) });
    i += inFiles ? 4 : 3;
  }
  const [pkg, ...files] = rows;
  return { pkg: pkg!, files };
}

let bulletin: Bulletin;
/** The package for a seed platform label, found through the affected product it names. */
let packageFor: (label: string) => Package;

beforeAll(async () => {
  const { bulletins, diagnostics } = await loadContent('content', { cwd: ROOT });
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  bulletin = bulletins.find((b) => b.id === 'MS03-046')!;
  expect(bulletin).toBeDefined();
  packageFor = (label) => {
    const product = bulletin.affected.find((p) => `${p.product} ${p.service_pack}` === label);
    expect(product, `an affected product for the seed's "${label}"`).toBeDefined();
    const matches = bulletin.packages.filter((p) => p.platform === product!.id);
    expect(matches, `one package for ${label}`).toHaveLength(1);
    return matches[0]!;
  };
});

describe('MS03-046 against the seed', () => {
  it('keeps the id, the KB number and the Japanese title, subtitle and action', () => {
    const [idLine, titleLine, subtitleLine] = SEED.split('\n');
    expect(idLine).toBe(`${bulletin.id}/${bulletin.kb[0]} |`);
    expect(bulletin.kb).toEqual([829436]);
    expect(bulletin.text.ja?.title).toBe(titleLine!.replace(/ \|$/, ''));
    expect(bulletin.text.ja?.subtitle).toBe(subtitleLine!.replace(/ \|$/, ''));
    const action = /\n対応策 \|\n(.+) \|\n/.exec(SEED)![1];
    expect(bulletin.text.ja?.action).toBe(action);
  });

  it('lists the affected products with the service pack each requires', () => {
    const table = section('対象プラットフォーム', '適用されるファイル情報');
    const list = cells(table.split('対象プラットフォーム |').at(-1)!);
    const pairs: Array<[string, string]> = [];
    for (let i = 0; i + 1 < list.length; i += 2) pairs.push([list[i]!, list[i + 1]!]);
    expect(pairs).toEqual([
      ['Exchange Server 5.5', 'Exchange Server 5.5 SP4'],
      ['Exchange 2000 Server', 'Exchange 2000 Server SP3'],
    ]);
    for (const [product, platform] of pairs) {
      const match = bulletin.affected.find((p) => p.product === product);
      expect(match, product).toBeDefined();
      expect(`${match!.product} ${match!.service_pack}`).toBe(platform);
    }
  });

  it('has every package row (file name, date, version or none, size) on the package of its platform', () => {
    const platforms = byPlatform(section('適用されるファイル情報', '確認方法'));
    expect(platforms.map((p) => p.label)).toEqual(['Exchange Server 5.5 SP4', 'Exchange 2000 Server SP3']);
    for (const { label, body } of platforms) {
      const { pkg } = fileRows(body);
      const found = packageFor(label);
      expect(found.file_name).toBe(pkg.name);
      expect(found.date).toBe(toIso(pkg.date));
      // The seed's "−" means the vendor gives no version.
      expect(found.version).toBe(pkg.version === '−' ? null : pkg.version);
      expect(found.size).toBe(toBytes(pkg.size));
    }
    expect(bulletin.packages[0]!.size).toBe(1165928);
    expect(bulletin.packages[1]!.size).toBe(1081448);
  });

  it('has every installed file with its folder, date, version, exact size and description', () => {
    for (const { label, body } of byPlatform(section('適用されるファイル情報', '確認方法'))) {
      const { files } = fileRows(body);
      const pkg = packageFor(label);
      expect(pkg.files.map((f) => f.name), label).toEqual(files.map((f) => f.name));
      for (const row of files) {
        const file = pkg.files.find((f) => f.name === row.name)!;
        expect({ folder: file.folder, date: file.date, version: file.version, size: file.size, description: ja(file.description) }, row.name).toEqual({
          folder: row.folder,
          date: toIso(row.date),
          version: row.version,
          size: toBytes(row.size),
          description: row.description,
        });
      }
    }
    const exchange2000 = packageFor('Exchange 2000 Server SP3');
    for (const name of ['drviis.dll', 'exsmtp.dll', 'peexch50.dll', 'phatcat.dll']) {
      expect(exchange2000.files.find((f) => f.name === name)?.version, name).toBe('6.0.6487.1');
    }
  });

  it('marks the files named in the installer note as helpers that may not be installed', () => {
    const note = /^\(注意\)(.+) \|$/m.exec(SEED)![1]!;
    const named = all(FILE_NAME, note);
    expect(named).toEqual(['spmsg.dll', 'spuninst.exe']);
    for (const file of bulletin.packages.flatMap((p) => p.files)) {
      expect(file.installer_helper, file.name).toBe(named.includes(file.name));
      if (file.installer_helper) expect(ja(file.note)).toContain('インストールされない場合があります');
    }
  });

  it('has every registry key (the wrapped Exchange 2000 key joined) on the package of its platform', () => {
    const platforms = byPlatform(section('確認方法', '修正プログラム'));
    const keys = platforms.flatMap(({ label, body }) =>
      [...body.matchAll(REGISTRY_KEY)].map((m) => ({ label, hive: m[1]!, path: m[2]!.trim().replace(/\s*\n\s*/g, ' ') })),
    );
    expect(keys.map((k) => k.path)).toEqual([
      'SOFTWARE\\Microsoft\\Updates\\Exchange Server 5.5\\SP5\\829436',
      'SOFTWARE\\Microsoft\\Updates\\Exchange Server 2000\\SERVICE PACK 4\\829436',
    ]);
    for (const key of keys) expect(packageFor(key.label).registry_keys).toEqual([{ hive: key.hive, path: key.path }]);
    // Microsoft writes SP4 for the Exchange 2000 key; the seed's value is kept and the
    // difference is shown to readers.
    expect(bulletin.discrepancies.find((d) => d.field === 'packages[1].registry_keys[0].path')?.other_value).toBe(
      'SOFTWARE\\Microsoft\\Updates\\Exchange Server 2000\\SP4\\829436',
    );
  });

  it('has the console check and the file check from the verification section', () => {
    const text = section('確認方法', '修正プログラム');
    expect(text).toContain('グレーから緑色');
    expect(ja(bulletin.verification?.console_check)).toContain('グレーから緑色');
    expect(ja(bulletin.verification?.console_check)).toContain('インストール ステータス アイコン');
    expect(ja(bulletin.verification?.file_check)).toContain('適用されるファイル情報');
  });

  it('has every download URL, unchanged, as the url of the package of its platform', () => {
    const platforms = byPlatform(section('修正プログラム', 'UpdateEXPERTによる予想適用時間'));
    expect(platforms).toHaveLength(2);
    for (const { label, body } of platforms) {
      const urls = all(URL_RE, body);
      expect(urls).toHaveLength(1);
      expect(packageFor(label).url).toBe(urls[0]);
    }
  });

  it('has the deployment estimates (fleet size to minutes) on the package each row names', () => {
    const text = section('UpdateEXPERTによる予想適用時間', 'UpdateEXPERT上の表示');
    const fleets = [...text.matchAll(FLEET)].map((m) => Number(m[1]));
    expect(fleets).toEqual([50, 100, 250, 500]);
    const rows = [...text.matchAll(/^([\w.-]+\.(?:exe|EXE))\n\((.+)\) \|\n((?:.+分 \|\n)+)/gm)];
    expect(rows).toHaveLength(2);
    for (const [, fileName, label, times] of rows) {
      const minutes = [...times!.matchAll(DURATION)].map((m) => Number(m[1] ?? 0) * 60 + Number(m[2]));
      const pkg = packageFor(label!);
      expect(pkg.file_name).toBe(fileName);
      expect(pkg.deployment?.tool).toBe('UpdateEXPERT');
      expect(pkg.deployment?.estimates).toEqual(fleets.map((machines, i) => ({ machines, minutes: minutes[i] })));
    }
    // 1時間29分 is stored as 89 minutes; one console was used.
    expect(bulletin.packages[0]!.deployment?.estimates.at(-1)).toEqual({ machines: 500, minutes: 89 });
    expect(text).toContain('1コンソール');
    for (const pkg of bulletin.packages) expect(pkg.deployment?.consoles).toBe(1);
  });

  it('has where the console lists each package (view, tab, name)', () => {
    const platforms = byPlatform(section('UpdateEXPERT上の表示', ''));
    expect(platforms).toHaveLength(2);
    for (const { label, body } of platforms) {
      const [, view, tab, name] = /\[(.+?)\]−\[(.+?)\]タブに「名前:(.+?)」で登録/.exec(body)!;
      expect(packageFor(label).console).toEqual({ tool: 'UpdateEXPERT', view: expect.objectContaining({ ja: view }), tab, name });
    }
  });

  it('has the test team comment, install time and summary facts in the Japanese text', () => {
    const comment = bulletin.text.ja?.comment ?? '';
    expect(SEED).toContain('適用時間は、5分程度');
    expect(comment).toMatch(/5 ?分/);
    expect(comment).toContain('すべての対象プラットフォーム');
    expect(bulletin.text.ja?.comment_by).toBe('DA Lab:HotFixテスティング・チーム');
    expect(bulletin.text.en?.comment).toContain('about 5 minutes');
    expect(SEED).toContain('RFC 2821');
    expect(bulletin.text.ja?.summary).toContain('RFC 2821');
    expect(bulletin.text.en?.summary).toContain('RFC 2821');
  });
});

describe('the seed has no fact that the checks above miss', () => {
  it('finds each size, version, file name, date, key and URL where the structured checks look', () => {
    const facts = bulletin.packages.flatMap((p) => [p, ...p.files]);
    const sizes = all(SIZE).map(toBytes);
    expect(sizes).toHaveLength(10);
    for (const size of sizes) expect(facts.map((f) => f.size), `size ${size}`).toContain(size);
    const versions = all(VERSION);
    expect(new Set(versions)).toEqual(new Set(['5.5.2657.72', '5.3.18.5', '6.0.6487.1', '5.3.18.6']));
    for (const version of versions) expect(facts.map((f) => f.version), `version ${version}`).toContain(version);
    const dates = all(DATE).map(toIso);
    expect(dates).toHaveLength(10);
    for (const date of dates) expect(facts.map((f) => f.date), `date ${date}`).toContain(date);
    const names = new Set(all(FILE_NAME));
    expect(names.size).toBe(10);
    for (const name of names) expect([...bulletin.packages.map((p) => p.file_name), ...facts.map((f) => 'name' in f && f.name)], name).toContain(name);
    const keys = [...SEED.matchAll(REGISTRY_KEY)];
    expect(keys).toHaveLength(2);
    const urls = all(URL_RE);
    expect(urls).toHaveLength(2);
    expect(bulletin.packages.map((p) => p.url)).toEqual(urls);
  });

  it('leaves no number in the seed unaccounted for', () => {
    // Remove every fact the tests above check; what is left must be a known mention.
    let rest = SEED;
    for (const re of [URL_RE, REGISTRY_KEY, FILE_NAME, SIZE, VERSION, DATE, DURATION, FLEET]) rest = rest.replace(re, ' ');
    const known: Array<[RegExp, () => void]> = [
      [/MS03-046\/829436/, () => expect([bulletin.id, bulletin.kb[0]]).toEqual(['MS03-046', 829436])],
      [/MS03-046/, () => expect(bulletin.id).toBe('MS03-046')],
      [/XEXCH50 sink DLL/, () => expect(bulletin.packages[1]!.files.map((f) => ja(f.description))).toContain('XEXCH50 sink DLL')],
      [/The Exchange 2000 Categorizer!/, () => expect(bulletin.packages[1]!.files.map((f) => ja(f.description))).toContain('The Exchange 2000 Categorizer!')],
      [/RFC 2821/, () => expect(bulletin.text.ja?.summary).toContain('RFC 2821')],
      [/Exchange Server 5\.5 SP4/, () => expect(bulletin.affected.some((p) => p.product === 'Exchange Server 5.5' && p.service_pack === 'SP4')).toBe(true)],
      [/Exchange 2000 Server SP3/, () => expect(bulletin.affected.some((p) => p.product === 'Exchange 2000 Server' && p.service_pack === 'SP3')).toBe(true)],
      [/Exchange Server\s+5\.5/, () => expect(bulletin.affected.some((p) => p.product === 'Exchange Server 5.5')).toBe(true)],
      [/Exchange\s+2000 Server/, () => expect(bulletin.affected.some((p) => p.product === 'Exchange 2000 Server')).toBe(true)],
      [/1コンソール/, () => expect(bulletin.packages.every((p) => p.deployment?.consoles === 1)).toBe(true)],
    ];
    for (const [re, assert] of known) {
      expect(rest, String(re)).toMatch(re);
      assert();
      rest = rest.replace(new RegExp(re.source, 'g'), ' ');
    }
    expect(rest.match(/\d+/g) ?? []).toEqual([]);
  });
});

/**
 * The three bulletins transcribed by hand from Microsoft's Japanese pages: their
 * identifiers, dates, revision dates, download links, registry keys and file tables must
 * be exactly what the pages say. The pages are read from the archive in ../shared.
 */
describe('hand-transcribed Microsoft bulletins against their Japanese pages', () => {
  const ARCHIVE = path.join(ROOT, '..', 'shared', 'data', 'ms-bulletins-ja', 'SecurityBulletins-1999-2014.tar.xz');
  const PAGES = { 'MS03-026': '2003/ms03-026.md', 'MS03-039': '2003/ms03-039.md', 'MS04-013': '2004/ms04-013.md' } as const;
  type Id = keyof typeof PAGES;
  const page: Partial<Record<Id, string>> = {};
  let all: Bulletin[];
  const get = (id: Id) => all.find((b) => b.id === id)!;
  /** Markdown escapes (`HKEY\_LOCAL\_MACHINE\\SOFTWARE`) removed. */
  const unescape = (text: string) => text.replace(/\\([\\_[\]*])/g, '$1');

  beforeAll(async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kb-msdocs-'));
    try {
      execFileSync('tar', ['-xJf', ARCHIVE, '-C', dir, ...Object.values(PAGES)]);
      for (const [id, file] of Object.entries(PAGES)) page[id as Id] = readFileSync(path.join(dir, file), 'utf8');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    all = (await loadContent('content', { cwd: ROOT })).bulletins;
  });

  it.each(Object.keys(PAGES) as Id[])('%s keeps the KB number, CVE ids, dates and revision dates of its page', (id) => {
    const text = page[id]!;
    const bulletin = get(id);
    expect(bulletin.kb).toEqual([Number(/\((\d{6})\)\n-{10,}/.exec(text)![1])]);
    const cves = [...new Set([...text.matchAll(/\bCAN-(\d{4}-\d{4})\b/g)].map((m) => `CVE-${m[1]}`))];
    expect([...bulletin.cves].sort()).toEqual(cves.sort());
    const [, py, pm, pd, my, mm, md] = /公開日: (\d{4})年(\d+)月(\d+)日 \| 最終更新日: (\d{4})年(\d+)月(\d+)日/.exec(text)!.map(Number);
    const iso = (y: number, m: number, d: number) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    expect(bulletin.published).toBe(iso(py!, pm!, pd!));
    expect(bulletin.modified).toBe(iso(my!, mm!, md!));
    const history = text.slice(text.indexOf('**更新履歴'));
    const revisionDates = [...history.matchAll(/^-\s+(\d{4})\/(\d{1,2})\/(\d{1,2})\s*:/gm)].map((m) => iso(Number(m[1]), Number(m[2]), Number(m[3])));
    expect(bulletin.revision_history.map((r) => r.date)).toEqual(revisionDates);
    expect(bulletin.severity).toBe('critical');
    expect(text).toContain(`セキュリティ情報 ${id} - 緊急`);
  });

  it.each(Object.keys(PAGES) as Id[])('%s has every download link and registry key of its page on an affected product', (id) => {
    const text = page[id]!;
    const bulletin = get(id);
    const downloads = bulletin.affected.flatMap((p) => p.downloads.map((d) => d.url));
    const links = [...text.matchAll(/\((https:\/\/(?:www\.)?microsoft\.com\/downloads?\/details\.aspx\?familyid=[^)]+)\)/g)].map((m) => m[1]!);
    // Other downloads the pages link to, which are not this bulletin's update.
    const notUpdates = [
      'dc27b8c6-2a5a-4399-ad3d-4a97a25f41d9', // Windows 2000 Service Pack 4 (a prerequisite)
      '48b0bc6a-b123-4f48-b27d-119078b4819f', // Outlook 98 E-mail Security Update (a workaround)
    ];
    const updateLinks = [...new Set(links.filter((url) => !notUpdates.some((familyId) => url.includes(familyId))))];
    expect(updateLinks.length).toBeGreaterThan(0);
    expect(new Set(downloads)).toEqual(new Set(updateLinks));
    const keys = [...unescape(text).matchAll(/HKEY_LOCAL_MACHINE\\([^*\n]+?)\s*(?:\*\*|\n|$)/g)].map((m) => m[1]!.trim());
    expect(keys.length).toBeGreaterThan(0);
    const ours = bulletin.affected.flatMap((p) => p.registry_keys.map((k) => `${k.hive}|${k.path}`));
    for (const key of keys) expect(ours, key).toContain(`HKEY_LOCAL_MACHINE|${key}`);
    expect(new Set(ours.map((k) => k.split('|')[1]))).toEqual(new Set(keys));
  });

  it('MS03-039 supersedes MS03-026 and MS03-026 says so both ways', () => {
    expect(page['MS03-039']).toMatch(/MS03-026.{0,80}更新プログラムを含みます/s);
    expect(get('MS03-039').supersedes).toEqual(['MS03-026']);
    expect(get('MS03-026').superseded_by).toEqual(['MS03-039']);
    for (const id of ['MS03-026', 'MS03-039'] as const) {
      expect(get(id).not_affected.map((p) => p.product)).toEqual(['Windows Millennium Edition']);
      expect(page[id]).toMatch(/影響を受けないソフトウェア[^]*?Windows Millennium Edition/);
    }
  });

  it('MS04-013 has every row of every file table, exactly, on the product and system the table is for', () => {
    const tables: Record<string, string> = {
      'Windows XP、Windows XP SP1、Windows 2000 SP2、Windows 2000 SP3、Windows 2000 SP4、Windows NT 4.0 SP6a、Windows 98、Windows 98 SE および Windows ME 上の Outlook Express 6 SP1': 'outlook-express-6-sp1',
      'Windows XP 64-Bit Edition Service Pack 1 の Outlook Express 6 SP1 (64-Bit)': 'outlook-express-6-sp1-64-bit',
      'Windows XP の Outlook Express 6': 'outlook-express-6',
      'Windows 2003 の Outlook Express 6': 'outlook-express-6-windows-server-2003',
      'Windows 2003 64-Bit Versions および Windows XP 64-Bit Edition, Version 2003 上の Outlook Express 6 (64-Bit)': 'outlook-express-6-windows-server-2003-64-bit',
      'Windows 2000 SP3、Windows 2000 SP4、Windows Millennium Edition 上の Outlook Express 5.5 SP2': 'outlook-express-5.5-sp2',
    };
    const bulletin = get('MS04-013');
    const sections = page['MS04-013']!.split(/^#### /m);
    let rows = 0;
    for (const [heading, productId] of Object.entries(tables)) {
      const section = sections.find((s) => s.startsWith(`${heading}\n`));
      expect(section, heading).toBeDefined();
      const expected = [...section!.matchAll(/^\| (\d{4})\/(\d{2})\/(\d{2}) \| [\d:]+ +\| ([\d.]+) +\| ([\d,]+) +\| ([\w.]+) +\| (x86|IA64) +\|(?: (\w+) +\|)?/gm)].map((m) => ({
        name: m[6],
        date: `${m[1]}-${m[2]}-${m[3]}`,
        version: m[4],
        size: Number(m[5]!.replaceAll(',', '')),
        architecture: m[7]!.toLowerCase(),
        ...(m[8] ? { branch: m[8] } : {}),
      }));
      expect(expected.length, heading).toBeGreaterThan(0);
      rows += expected.length;
      const product = bulletin.affected.find((p) => p.id === productId)!;
      // The heading names the system before "上の" / "の": that is where the files go.
      expect(product.installed_on, heading).toBe(/^(.*?) (?:上)?の Outlook Express/.exec(heading)![1]);
      expect(
        product.files.map(({ name, date, version, size, architecture, branch }) => ({ name, date, version, size, architecture, ...(branch ? { branch } : {}) })),
        heading,
      ).toEqual(expected);
    }
    // Every file row of the page is in one of the tables above.
    expect(rows).toBe([...page['MS04-013']!.matchAll(/^\| \d{4}\/\d{2}\/\d{2} \|/gm)].length);
    expect(bulletin.affected.flatMap((p) => p.files)).toHaveLength(rows);
  });
});
