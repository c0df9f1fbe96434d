/**
 * The spreadsheet exports: UTF-8 with BOM, CRLF, RFC 4180 quoting, and no cell a
 * spreadsheet would run as a formula. Read back with an RFC 4180 parser written here, so
 * the test does not share a bug with the writer.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import * as toCsvModule from '../src/lib/to-csv.ts';
import { BULLETINS_CSV_HEADER, FILES_CSV_HEADER, csvCell, toBulletinsCsv, toCsv, toFilesCsv } from '../src/lib/to-csv.ts';
import type { BulletinWithHtml } from '../src/lib/to-api.ts';
import { loadSiteBulletins, readSeedFacts } from './helpers/feeds-fixtures.ts';

const siteDir = inject('siteDir');

/**
 * RFC 4180 reader: records end in CRLF, fields are separated by commas, a field in double
 * quotes may hold commas, CR, LF and doubled quotes. Rejects anything else (a bare LF, a
 * quote inside an unquoted field, text after a closing quote), so a sloppy writer fails.
 */
function parseCsv(text: string): string[][] {
  if (!text.startsWith('\uFEFF')) throw new Error('no byte order mark');
  const records: string[][] = [];
  let record: string[] = [];
  let i = 1;
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted field');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
          } else {
            i++;
            break;
          }
        } else field += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
        if (text[i] === '"') throw new Error(`quote inside an unquoted field at ${i}`);
        field += text[i++];
      }
    }
    record.push(field);
    if (text[i] === ',') {
      i++;
    } else if (text.startsWith('\r\n', i)) {
      records.push(record);
      record = [];
      i += 2;
    } else {
      throw new Error(`expected a comma or CRLF at ${i}, found ${JSON.stringify(text.slice(i, i + 5))}`);
    }
  }
  if (record.length > 0) throw new Error('last record does not end in CRLF');
  return records;
}

const FORMULA = /^[=+\-@\t\r]/;

let bulletins: BulletinWithHtml[];
beforeAll(async () => {
  bulletins = await loadSiteBulletins();
});

describe('csv module', () => {
  it('exports the cell and file writers, nothing else', () => {
    expect(Object.keys(toCsvModule).sort()).toEqual(['BULLETINS_CSV_HEADER', 'CSV_BOM', 'FILES_CSV_HEADER', 'csvCell', 'csvChunks', 'filesCsvChunks', 'toBulletinsCsv', 'toCsv', 'toFilesCsv']);
  });

  it('quotes commas, quotes and line breaks and doubles quotes', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\r\nlines')).toBe('"two\r\nlines"');
    expect(csvCell(1165928)).toBe('1165928');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(null)).toBe('');
    expect(csvCell(false)).toBe('false');
  });

  it('neutralises cells a spreadsheet would run as formulas', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tcmd')).toBe("'\tcmd");
    expect(csvCell('\rcmd')).toBe('"\'\rcmd"');
    expect(csvCell('＝1+1')).toBe("'＝1+1");
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('reads back any table exactly, with formula cells neutralised', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string({ unit: 'binary' }), { minLength: 1, maxLength: 5 }), { maxLength: 8 }), (rows) => {
        const width = Math.max(1, ...rows.map((r) => r.length));
        const table = rows.map((r) => [...r, ...Array<string>(width - r.length).fill('x')]);
        const header = Array.from({ length: width }, (_, i) => `c${i}`);
        const parsed = parseCsv(toCsv(header, table));
        expect(parsed[0]).toEqual(header);
        const expected = table.map((r) => r.map((cell) => (/^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/.test(cell) ? `'${cell}` : cell)));
        expect(parsed.slice(1)).toEqual(expected);
      }),
    );
  });
});

describe('exports in the build', () => {
  it('writes bulletins.csv as utf-8 with bom and crlf, one row per bulletin, newest first', () => {
    const bytes = readFileSync(path.join(siteDir, 'exports', 'bulletins.csv'));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text).toBe(toBulletinsCsv(bulletins));
    expect(text.replace(/\r\n/g, '')).not.toMatch(/(?<!")\n/);
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual([...BULLETINS_CSV_HEADER]);
    expect(rows).toHaveLength(bulletins.length);
    const published = rows.map((r) => r[header!.indexOf('published')]!);
    expect(published).toEqual([...published].sort().reverse());
    const ms = rows.find((r) => r[0] === 'MS03-046')!;
    const cell = (name: string) => ms[header!.indexOf(name)];
    expect(cell('kb')).toBe('829436');
    expect(cell('cves')).toBe('CVE-2003-0714');
    expect(cell('title_ja')).toBe('Exchange ServerのSMTPプロトコルの脆弱性により、任意のコードが実行される可能性');
    expect(cell('title_en')).toBe("A flaw in Exchange Server's SMTP extension handling can let an attacker run arbitrary code");
    expect(cell('products')).toBe('Exchange Server 5.5 SP4; Exchange 2000 Server SP3; Exchange Server 5.0 SP2');
    expect(cell('csaf')).toBe('https://bulletins.example.org/.well-known/csaf/white/2003/ms03-046.json');
  });

  it('writes files.csv with every installed file of the seed, exact sizes and versions', () => {
    const text = readFileSync(path.join(siteDir, 'exports', 'files.csv'), 'utf8');
    expect(text).toBe(toFilesCsv(bulletins));
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual([...FILES_CSV_HEADER]);
    const col = (name: string) => header!.indexOf(name);
    const ms = rows.filter((r) => r[col('bulletin')] === 'MS03-046');
    const seed = readSeedFacts();
    expect(ms.map((r) => r[col('file_name')])).toEqual(['msexcimc.exe', 'imcmsg.dll', 'drviis.dll', 'exsmtp.dll', 'peexch50.dll', 'phatcat.dll', 'spmsg.dll', 'spuninst.exe']);
    expect(ms.map((r) => Number(r[col('size_bytes')]))).toEqual(seed.sizes.filter((s) => s !== 1165928 && s !== 1081448));
    expect(ms.map((r) => r[col('folder')])).toEqual([
      '%EXSRVROOT%\\connect\\msexcimc\\bin',
      '%EXSRVROOT%\\res',
      ...Array<string>(6).fill('%EXSRVROOT%\\bin'),
    ]);
    const exsmtp = ms.find((r) => r[col('file_name')] === 'exsmtp.dll')!;
    expect(exsmtp[col('version')]).toBe('6.0.6487.1');
    expect(exsmtp[col('package')]).toBe('Exchange2000-KB829436-x86-jpn.exe');
    expect(exsmtp[col('description_ja')]).toBe('SMTP Exchange Store Driver - ストア モジュール');
    expect(exsmtp[col('description_en')]).toBe('SMTP Exchange Store Driver - Store module');
    expect(ms.find((r) => r[col('file_name')] === 'spmsg.dll')![col('installer_helper')]).toBe('true');
    // A component's files name the system they are for: Outlook Express 6 on Windows 2003.
    const on2003 = rows.filter((r) => r[col('platform')] === 'outlook-express-6-windows-server-2003');
    expect(on2003.map((r) => [r[col('product')], r[col('installed_on')], r[col('file_name')]])).toEqual([
      ['Outlook Express 6', 'Windows 2003', 'inetcomm.dll'],
      ['Outlook Express 6', 'Windows 2003', 'inetcomm.dll'],
    ]);
    expect(ms.every((r) => r[col('installed_on')] === '')).toBe(true);
  });

  it('leaves no cell that starts like a formula', () => {
    for (const file of ['bulletins.csv', 'files.csv']) {
      for (const row of parseCsv(readFileSync(path.join(siteDir, 'exports', file), 'utf8'))) {
        for (const cell of row) expect(FORMULA.test(cell), `${file}: ${cell}`).toBe(false);
      }
    }
  });

  it('neutralises a hostile title and file description from content', () => {
    const ms = bulletins.find((b) => b.id === 'MS03-046')!;
    const hostile = {
      ...ms,
      text: { ...ms.text, en: { ...ms.text.en!, title: '=cmd|\' /C calc\'!A0' } },
      packages: ms.packages.map((p) => ({ ...p, files: p.files.map((f) => ({ ...f, description: '@SUM(1+1)*cmd|"/C calc"!A0' })) })),
    };
    const bulletinsRows = parseCsv(toBulletinsCsv([hostile]));
    expect(bulletinsRows[1]![BULLETINS_CSV_HEADER.indexOf('title_en')]).toBe("'=cmd|' /C calc'!A0");
    const fileRows = parseCsv(toFilesCsv([hostile]));
    expect(fileRows[1]![FILES_CSV_HEADER.indexOf('description_en')]).toBe('\'@SUM(1+1)*cmd|"/C calc"!A0');
  });
});
