import { describe, expect, it } from 'vitest';
import * as api from '../src/lib/import/index.ts';
import {
  decodeVendorText,
  findCves,
  findDate,
  parseByteSize,
  parseDateCell,
  parseMinutes,
  parseVersionCell,
  productFamily,
  productKey,
  readImportStamp,
  bulletinYaml,
  severityFromText,
  splitServicePack,
  urgencyFromAction,
  urgencyFromSeverity,
  impactFromText,
} from '../src/lib/import/index.ts';
import iconv from 'iconv-lite';

describe('import library', () => {
  it('exports exactly its public functions', () => {
    expect(Object.keys(api).sort()).toEqual(
      [
        'DecodeError',
        'bulletinMarkdown',
        'bulletinYaml',
        'decodeVendorText',
        'findCves',
        'findDate',
        'impactFromText',
        'importBytes',
        'legacyToBulletin',
        'mergeFacts',
        'mergeText',
        'msdocsFileRows',
        'msdocsRegistryKeys',
        'msdocsToBulletin',
        'parseByteSize',
        'parseDateCell',
        'parseMinutes',
        'parseVersionCell',
        'productFamily',
        'productKey',
        'readImportStamp',
        'severityFromText',
        'splitServicePack',
        'urgencyFromAction',
        'urgencyFromSeverity',
      ].sort(),
    );
  });
});

describe('sizes, dates, versions and durations', () => {
  it('reads byte sizes with comma, dot or no separators exactly', () => {
    expect(parseByteSize('1,165,928')).toBe(1165928);
    expect(parseByteSize('393.216')).toBe(393216);
    expect(parseByteSize('504080')).toBe(504080);
    expect(parseByteSize('21,832 bytes')).toBe(21832);
    expect(parseByteSize('６,６５６')).toBe(6656);
  });

  it('refuses sizes that are rounded or ambiguous', () => {
    for (const text of ['1.1 MB', '12 KB', '1.5', '1,16', '0', '', '−', '1,165.928']) expect(parseByteSize(text), text).toBeUndefined();
  });

  it('reads Japanese, numeric and English dates', () => {
    expect(findDate('公開日: 2003年10月16日 | 最終更新日: 2004年4月14日')?.iso).toBe('2003-10-16');
    expect(findDate('公開日:2010 年 3 月 9 日')?.iso).toBe('2010-03-09');
    expect(findDate('2003/3/31: 更新履歴を追加')?.iso).toBe('2003-03-31');
    expect(findDate('V1.1 (April 13, 2010):')?.iso).toBe('2010-04-13');
    expect(findDate('13 Apr 2010')?.iso).toBe('2010-04-13');
    expect(parseDateCell('2003/10/14')).toBe('2003-10-14');
    expect(parseDateCell('2003/10/14 extra')).toBeUndefined();
  });

  it('reports the archive typo that writes 日 for 月 but still reads the date', () => {
    const found = findDate('更新済み: 2014 年 12 日 10 日');
    expect(found?.iso).toBe('2014-12-10');
    expect(found?.irregular).toContain('日 for 月');
  });

  it('reads the English file-table forms when the day and month cannot be confused', () => {
    expect(parseDateCell('12-Jan-03')).toBe('2003-01-12');
    expect(parseDateCell('5-Jul-99')).toBe('1999-07-05');
    expect(parseDateCell('23-10-2003')).toBe('2003-10-23');
    expect(parseDateCell('10-23-2003')).toBe('2003-10-23');
  });

  it('refuses dates that do not exist and day/month orders that are ambiguous', () => {
    expect(findDate('2003/02/30')).toBeUndefined();
    expect(findDate('10/16/2003')).toBeUndefined();
    expect(findDate('10-11-2003')).toBeUndefined();
  });

  it('reads versions and the vendor marks for no version', () => {
    expect(parseVersionCell('5.5.2657.72')).toBe('5.5.2657.72');
    expect(parseVersionCell('−')).toBeNull();
    expect(parseVersionCell('N/A')).toBeNull();
    expect(parseVersionCell('5,1,2600,0')).toBe('5.1.2600.0');
    expect(parseVersionCell('')).toBeNull();
    expect(parseVersionCell('version 5')).toBeUndefined();
  });

  it('reads durations as whole minutes', () => {
    expect(parseMinutes('12分')).toBe(12);
    expect(parseMinutes('1時間29分')).toBe(89);
    expect(parseMinutes('2時間')).toBe(120);
    expect(parseMinutes('1 h 29 min')).toBe(89);
    expect(parseMinutes('すぐ')).toBeUndefined();
  });

  it('normalises CAN- candidates to CVE- ids without duplicates', () => {
    expect(findCves('CAN-2003-0714 and cve-2003-0714, CVE-2013-1339')).toEqual(['CVE-2003-0714', 'CVE-2013-1339']);
  });
});

describe('vocabulary rules', () => {
  it('maps severity labels in either language', () => {
    expect(severityFromText('緊急')).toBe('critical');
    expect(severityFromText('**重要**')).toBe('important');
    expect(severityFromText('警告')).toBe('moderate');
    expect(severityFromText('Low')).toBe('low');
    expect(severityFromText('緊急 / 重要')).toBeUndefined();
  });

  it('maps severity to urgency by Microsoft advice per rating', () => {
    expect(urgencyFromSeverity('critical')).toBe('immediate');
    expect(urgencyFromSeverity('important')).toBe('high');
    expect(urgencyFromSeverity('moderate')).toBe('normal');
    expect(urgencyFromSeverity('low')).toBe('low');
  });

  it('reads urgency from a recommendation', () => {
    expect(urgencyFromAction('修正プログラムの適用作業を至急開始してください。')).toBe('immediate');
    expect(urgencyFromAction('できるだけ早く適用してください。')).toBe('high');
    expect(urgencyFromAction('適用してください。')).toBeUndefined();
  });

  it('picks the most serious impact a text names', () => {
    expect(impactFromText('リモートでコードが実行される')).toBe('remote-code-execution');
    expect(impactFromText('サービス拒否、特権の昇格')).toBe('elevation-of-privilege');
    expect(impactFromText('情報漏えい')).toBe('information-disclosure');
    expect(impactFromText('問題があります')).toBeUndefined();
  });

  it('keys products without Microsoft and Server so both spellings meet', () => {
    expect(productKey('Exchange Server 5.5', 'SP4')).toBe('exchange-5.5-sp4');
    expect(productKey('Exchange 2000 Server', 'SP3')).toBe('exchange-2000-sp3');
    expect(productKey('Microsoft Exchange Server 2000')).toBe(productKey('Exchange 2000 Server'));
    expect(productKey('インターネット エクスプローラー')).toBeUndefined();
  });

  it('splits a trailing service pack from a product name', () => {
    expect(splitServicePack('Exchange Server 5.5 SP4')).toEqual({ product: 'Exchange Server 5.5', servicePack: 'SP4' });
    expect(splitServicePack('Windows NT Server 4.0, Service Pack 6a')).toEqual({ product: 'Windows NT Server 4.0', servicePack: 'SP6a' });
    expect(splitServicePack('Windows Server 2003 with SP1 for Itanium-based Systems')).toEqual({ product: 'Windows Server 2003 with SP1 for Itanium-based Systems' });
  });

  it('derives product families from names', () => {
    expect(productFamily('Exchange 2000 Server')).toBe('Exchange Server');
    expect(productFamily('Exchange Server 5.5')).toBe('Exchange Server');
    expect(productFamily('Windows XP Professional x64 Edition')).toBe('Windows');
    expect(productFamily('SQL Server 2000')).toBe('SQL Server');
    expect(productFamily('FrontPage Server Extensions の Support')).toBeUndefined();
  });
});

describe('encoding detection', () => {
  const text = 'MS03-046/829436 |\nExchange ServerのSMTPプロトコルの脆弱性により、任意のコードが実行される可能性 |\n';

  it('reads UTF-8 with and without a byte-order mark', () => {
    expect(decodeVendorText(Buffer.from(text))).toMatchObject({ text, encoding: 'utf-8', bom: false });
    expect(decodeVendorText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).toMatchObject({ text, encoding: 'utf-8', bom: true });
  });

  it('reads Shift_JIS (CP932) and EUC-JP', () => {
    expect(decodeVendorText(iconv.encode(text, 'cp932'))).toMatchObject({ text, encoding: 'cp932' });
    expect(decodeVendorText(iconv.encode(text, 'euc-jp'))).toMatchObject({ text, encoding: 'euc-jp' });
  });

  it('refuses binary and empty files with the reason', () => {
    expect(() => decodeVendorText(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]))).toThrow(/NUL bytes: it is binary/);
    expect(() => decodeVendorText(new Uint8Array([]))).toThrow(/empty/);
    expect(() => decodeVendorText(new Uint8Array([0x82, 0xa0, 0xff, 0xfe, 0x80, 0x41, 0x8e, 0x41]))).toThrow(/not valid UTF-8, Shift_JIS \(CP932\) or EUC-JP/);
  });
});

describe('import stamp', () => {
  it('tells an untouched import from an edited one', () => {
    const yaml = bulletinYaml({ id: 'MS98-900', vendor: 'Microsoft' }, { sources: ['msdocs'], from: ['msdocs ms98-900.md'] });
    expect(readImportStamp(yaml)).toEqual({ sources: ['msdocs'], intact: true });
    expect(readImportStamp(yaml.replace('vendor: Microsoft', 'vendor: Microsoft Corp'))).toEqual({ sources: ['msdocs'], intact: false });
    expect(readImportStamp('id: MS98-900\n')).toBeUndefined();
  });

  it('writes facts in the schema order whatever order they come in', () => {
    const a = bulletinYaml({ vendor: 'Microsoft', id: 'MS98-900', severity: 'low' }, { sources: ['msdocs'], from: ['x'] });
    const b = bulletinYaml({ severity: 'low', id: 'MS98-900', vendor: 'Microsoft' }, { sources: ['msdocs'], from: ['x'] });
    expect(a).toBe(b);
    expect(a.split('\n').filter((l) => !l.startsWith('#'))).toEqual(['id: MS98-900', 'vendor: Microsoft', 'severity: low', '']);
  });
});
