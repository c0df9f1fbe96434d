import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as segment from '../src/lib/segment.ts';
import { addTermCounts, exactIdentifier, isStopWord, joinTokens, lookupShard, normalizeTerm, queryTerms, searchTerms, tokenize, withoutCommonTerms } from '../src/lib/segment.ts';

describe('segment module', () => {
  it('exports the tokeniser, the query and index term functions and the identifier helpers only', () => {
    expect(Object.keys(segment).sort()).toEqual(
      [
        'COMMON_TERMS_FILE',
        'FACT_MARK',
        'SECTION_MARK',
        'addTermCounts',
        'exactIdentifier',
        'isStopWord',
        'joinTokens',
        'lookupShard',
        'normalizeTerm',
        'queryTerms',
        'searchTerms',
        'tokenize',
        'withoutCommonTerms',
      ].sort(),
    );
  });
});

describe('japanese text', () => {
  it('drops particles and auxiliaries from the terms of a sentence', () => {
    expect(searchTerms('認証を要求する')).toEqual(['認証', '要求']);
    expect(searchTerms('リモートでコードが実行される')).toEqual(['リモート', 'コード', '実行']);
  });

  it('gives a query the same terms as the sentence it was indexed from', () => {
    const sentence = 'Exchange Server 5.5 と Exchange 2000 Server は、この拡張コマンドを送ってきた相手を認証しません。';
    const indexed = new Set(searchTerms(sentence));
    for (const query of ['認証', '拡張コマンド', '認証しません', 'Exchange 2000', '相手を認証']) {
      for (const term of queryTerms(query)) expect(indexed, `${query} → ${term}`).toContain(term);
    }
  });

  it('cuts a word the same way alone as inside a sentence', () => {
    // Every word a sentence yields is stable when typed on its own.
    for (const sentence of ['セキュリティ更新プログラムをインストールしてください。', '特別に細工されたメッセージを受信すると、サービス拒否が起こる可能性があります。']) {
      for (const term of searchTerms(sentence)) expect(queryTerms(term)).toEqual([term]);
    }
  });

  it('reads full-width letters and digits as their ASCII forms', () => {
    expect(queryTerms('ＫＢ８２９４３６')).toEqual(['829436']);
    expect(searchTerms('Ｗｉｎｄｏｗｓ　ＸＰ')).toEqual(['windows', 'xp']);
  });

  it('keeps readable tokens whose texts join back into the sentence', () => {
    const sentence = 'Exchange ServerのSMTPプロトコルの脆弱性により、任意のコードが実行される可能性';
    expect(joinTokens(tokenize(sentence).map((t) => t.text))).toBe(sentence);
  });

  it('joins latin words with a space and japanese without', () => {
    expect(joinTokens(['Exchange', 'Server', 'の', '脆弱', '性'])).toBe('Exchange Serverの脆弱性');
    expect(joinTokens(['drviis.dll', '6.0.6487.1'])).toBe('drviis.dll 6.0.6487.1');
  });
});

describe('identifiers', () => {
  it('indexes a KB number with and without its prefix and searches the bare number', () => {
    expect(searchTerms('KB829436')).toEqual(['kb829436', '829436']);
    expect(searchTerms('KB 829436')).toEqual(['kb829436', '829436']);
    expect(queryTerms('KB829436')).toEqual(['829436']);
    expect(queryTerms('kb 829436')).toEqual(['829436']);
    expect(queryTerms('829436')).toEqual(['829436']);
    // Bulletins before 2003 write the same article as Q249973.
    expect(searchTerms('(Q249973)')).toEqual(['q249973', '249973']);
    expect(queryTerms('KB249973')).toEqual(queryTerms('Q249973'));
  });

  it('indexes CVE ids, old CAN ids included, with the number alone', () => {
    expect(searchTerms('CVE-2003-0714')).toEqual(['cve20030714', '20030714']);
    expect(searchTerms('(CAN-2003-0714)')).toEqual(['cve20030714', '20030714']);
    expect(queryTerms('cve-2003-0714')).toEqual(['cve20030714']);
  });

  it('keeps a bulletin id whole instead of splitting it at the hyphen', () => {
    expect(searchTerms('MS03-046の修正プログラム')).toEqual(['ms03046', '修正', 'プログラム']);
    expect(queryTerms('ms03046')).toEqual(['ms03046']);
  });

  it('indexes a file name whole, which its name without extension finds as a prefix', () => {
    expect(searchTerms('drviis.dll')).toEqual(['drviisdll']);
    expect(queryTerms('drviis.dll')).toEqual(['drviisdll']);
    expect(queryTerms('drviis')).toEqual(['drviis']);
    expect('drviisdll'.startsWith(queryTerms('drviis')[0]!)).toBe(true);
    expect(searchTerms('Exchange5.5-KB829436-x86-jpn.EXE')).toEqual(
      expect.arrayContaining(['exchange55kb829436x86jpnexe', 'kb829436', '829436', 'x86', 'jpn']),
    );
  });

  it('reads a version as one term, and a version prefix as its start', () => {
    expect(searchTerms('6.0.6487.1')).toEqual(['6064871']);
    expect(queryTerms('6.0.6487')[0]!.startsWith('606487')).toBe(true);
    expect('6064871'.startsWith(queryTerms('6.0.6487')[0]!)).toBe(true);
  });

  it('splits registry paths into key names and matches hives by their abbreviations', () => {
    const key = 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Updates\\Exchange Server 5.5\\SP5\\829436';
    const indexed = new Set(searchTerms(key));
    expect(queryTerms('Updates\\Exchange Server 5.5\\SP5')).toEqual(['updates', 'exchange', 'server', '55', 'sp5']);
    for (const term of queryTerms('HKLM\\SOFTWARE\\Microsoft\\Updates')) expect(indexed).toContain(term);
    for (const term of queryTerms('SP5\\829436')) expect(indexed).toContain(term);
  });

  it('leaves clock times, file-table dates and grouped byte counts out', () => {
    expect(searchTerms('2008/10/17 23:12 310,032 12-Feb-2005 netapi32.dll')).toEqual(['netapi32dll']);
  });

  it('recognises a query that is exactly one id, KB number or CVE id', () => {
    expect(exactIdentifier(' MS03-046 ')).toEqual({ kind: 'id', value: 'MS03-046' });
    expect(exactIdentifier('ms03046')).toEqual({ kind: 'id', value: 'MS03-046' });
    expect(exactIdentifier('KB829436')).toEqual({ kind: 'kb', value: '829436' });
    expect(exactIdentifier('829436')).toEqual({ kind: 'kb', value: '829436' });
    expect(exactIdentifier('Q249973')).toEqual({ kind: 'kb', value: '249973' });
    expect(exactIdentifier('ＣＶＥ－２００３－０７１４')).toEqual({ kind: 'cve', value: 'CVE-2003-0714' });
    expect(exactIdentifier('can-2003-0714')).toEqual({ kind: 'cve', value: 'CVE-2003-0714' });
    expect(exactIdentifier('MS03-046 Exchange')).toBeUndefined();
    expect(exactIdentifier('drviis.dll')).toBeUndefined();
  });

  it('names the lookup shard of an identifier after its prefix', () => {
    expect(lookupShard({ kind: 'id', value: 'MS03-046' })).toBe('id-ms03');
    expect(lookupShard({ kind: 'kb', value: '829436' })).toBe('kb-829');
    expect(lookupShard({ kind: 'cve', value: 'CVE-2003-0714' })).toBe('cve-2003');
  });
});

describe('stop words and terms', () => {
  it('drops terms common to most bulletins from a query that has rarer ones', () => {
    const common = new Set(['windows', 'セキュリティ']);
    expect(withoutCommonTerms(['windows', 'カーネル'], common)).toEqual(['カーネル']);
    // A query of common terms only keeps them: they still find titles, facts and summaries.
    expect(withoutCommonTerms(['windows', 'セキュリティ'], common)).toEqual(['windows', 'セキュリティ']);
  });

  it('treats particles, short hiragana and english function words as stop words', () => {
    for (const word of ['を', 'する', 'により', 'されます', 'the', 'could']) expect(isStopWord(word), word).toBe(true);
    for (const word of ['認証', 'exchange', 'ファイル']) expect(isStopWord(word), word).toBe(false);
  });

  it('normalises a word the way Pagefind indexes it', () => {
    expect(normalizeTerm('Drviis.DLL')).toBe('drviisdll');
    expect(normalizeTerm('HKEY_LOCAL_MACHINE')).toBe('hkey_local_machine');
  });

  it('returns no terms for a query of stop words and punctuation only', () => {
    expect(queryTerms('の を に 、。')).toEqual([]);
    expect(queryTerms('"the"')).toEqual([]);
  });

  it('counts a text\'s terms as its tokens hold them, in order of first appearance', () => {
    // Counting each distinct chunk once, times its occurrences, must change nothing: not the
    // counts, not the order (bodies are indexed in it), not `KB 829436` written apart.
    const pieces = fc.constantFrom('認証', 'を', '要求', 'Exchange', 'Server', 'KB', '829436', 'KB829436', 'drviis.dll', 'CVE-2003-0714', 'の', '脆弱性', 'ＸＰ', 'xp', '(MS03-046)', 'HKEY_LOCAL_MACHINE\\SOFTWARE');
    fc.assert(
      fc.property(fc.array(pieces, { minLength: 1, maxLength: 14 }), fc.array(fc.constantFrom('', ' ', ' ', '\n', '\u3000'), { minLength: 14, maxLength: 14 }), (words, gaps) => {
        const text = words.map((w, i) => w + (gaps[i] ?? '')).join('');
        const expected = new Map<string, number>();
        for (const token of tokenize(text)) for (const term of token.terms) expected.set(term, (expected.get(term) ?? 0) + 1);
        const counts = new Map<string, number>();
        addTermCounts(text, counts);
        expect([...counts]).toEqual([...expected]);
      }),
    );
  });

  it('finds a text by any one of its words typed alone', () => {
    // Whatever the text, each word of it typed on its own as a query searches only for
    // terms the text's index holds: the two sides never disagree.
    const pieces = fc.constantFrom('認証', 'を', '要求', 'する', 'Exchange', 'Server', '5.5', 'KB829436', 'drviis.dll', '6.0.6487.1', 'CVE-2003-0714', 'の', '脆弱性', 'SP5\\829436', '、', 'ＸＰ', '(MS03-046)');
    fc.assert(
      fc.property(fc.array(pieces, { minLength: 1, maxLength: 8 }), fc.array(fc.constantFrom('', ' '), { minLength: 8, maxLength: 8 }), (words, gaps) => {
        const text = words.map((w, i) => w + (gaps[i] ?? '')).join('');
        const indexed = new Set(searchTerms(text));
        return tokenize(text).every((token) => queryTerms(token.text).every((term) => indexed.has(term)));
      }),
    );
  });
});
