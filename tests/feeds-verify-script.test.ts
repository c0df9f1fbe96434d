/**
 * The PowerShell verification scripts. No PowerShell runs here, so the script is read
 * with a tokenizer that follows PowerShell's own rules for what ends a single-quoted
 * string (' and the typographic ‘ ’ ‚ ‛, a pair of them being one literal quote). Facts
 * must come back out of the literals exactly, and the code around the literals must be
 * the same whatever the facts are: then no fact can become code.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { Bulletin } from '../schemas/index.ts';
import * as toPowershellModule from '../src/lib/to-powershell.ts';
import { psLiteral, toVerifyScript } from '../src/lib/to-powershell.ts';
import type { BulletinWithHtml } from '../src/lib/to-api.ts';
import { loadSiteBulletins, readSeedFacts } from './helpers/feeds-fixtures.ts';

const siteDir = inject('siteDir');
const SINGLE_QUOTES = "'\u2018\u2019\u201A\u201B";
const DOUBLE_QUOTES = '"\u201C\u201D\u201E';

interface Tokens {
  /** The script with every single-quoted literal replaced by `'…'`. */
  skeleton: string;
  /** The literals' values, decoded. */
  literals: string[];
}

/** Splits a script into code (with comments and double-quoted strings) and single-quoted literals. */
function tokenize(script: string): Tokens {
  let skeleton = '';
  const literals: string[] = [];
  let i = script.startsWith('\uFEFF') ? 1 : 0;
  while (i < script.length) {
    const c = script[i]!;
    if (script.startsWith('<#', i)) {
      const end = script.indexOf('#>', i + 2);
      if (end < 0) throw new Error('unterminated block comment');
      skeleton += script.slice(i, end + 2);
      i = end + 2;
    } else if (c === '#') {
      const end = script.indexOf('\n', i);
      const stop = end < 0 ? script.length : end;
      skeleton += script.slice(i, stop);
      i = stop;
    } else if (SINGLE_QUOTES.includes(c)) {
      let value = '';
      i++;
      for (;;) {
        if (i >= script.length) throw new Error('unterminated single-quoted string');
        const q = script[i]!;
        if (SINGLE_QUOTES.includes(q)) {
          const next = script[i + 1];
          if (next === undefined || !SINGLE_QUOTES.includes(next)) {
            i++;
            break;
          }
          value += script[i + 1];
          i += 2;
        } else value += script[i++];
      }
      literals.push(value);
      skeleton += "'…'";
    } else if (DOUBLE_QUOTES.includes(c)) {
      let end = i + 1;
      while (end < script.length && !(DOUBLE_QUOTES.includes(script[end]!) && script[end - 1] !== '`')) end++;
      if (end >= script.length) throw new Error('unterminated double-quoted string');
      skeleton += script.slice(i, end + 1);
      i = end + 1;
    } else {
      skeleton += c;
      i++;
    }
  }
  return { skeleton, literals };
}

/** Brackets outside strings and comments must balance, as the parser requires. */
function expectBalanced(skeleton: string) {
  const code = skeleton.replace(/<#[\s\S]*?#>/g, '').replace(/#[^\n]*/g, '').replace(/"[^"]*"/g, '""');
  const stack: string[] = [];
  const pairs: Record<string, string> = { ')': '(', '}': '{', ']': '[' };
  for (const ch of code) {
    if ('({['.includes(ch)) stack.push(ch);
    else if (ch in pairs) expect(stack.pop(), `unbalanced ${ch}`).toBe(pairs[ch]);
  }
  expect(stack).toEqual([]);
}

let bulletins: BulletinWithHtml[];
let ms: BulletinWithHtml;
beforeAll(async () => {
  bulletins = await loadSiteBulletins();
  ms = bulletins.find((b) => b.id === 'MS03-046')!;
});

describe('verification script module', () => {
  it('exports the script builder and the literal quoting, nothing else', () => {
    expect(Object.keys(toPowershellModule).sort()).toEqual(['KNOWN_FOLDER_VARIABLES', 'psLiteral', 'toVerifyScript']);
  });

  it('doubles every quote character powershell recognises in a literal', () => {
    expect(psLiteral("it's")).toBe("'it''s'");
    expect(psLiteral('‘a’ ‚b‛')).toBe("'‘‘a’’ ‚‚b‛‛'");
    expect(psLiteral('$(Remove-Item C:\\) `n "x"')).toBe('\'$(Remove-Item C:\\) `n "x"\'');
    for (const value of ["it's", '‘a’', "''", '’', "a'‘’‚‛b"]) expect(tokenize(psLiteral(value)).literals).toEqual([value]);
  });
});

describe('ms03-046.ps1', () => {
  let script: string;
  let tokens: Tokens;
  beforeAll(() => {
    script = toVerifyScript(ms);
    tokens = tokenize(script);
  });

  it('is what the build serves, as utf-8 with bom and crlf line ends', () => {
    const bytes = readFileSync(path.join(siteDir, 'downloads', 'verify', 'ms03-046.ps1'));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toBe(script);
    expect(tokens.skeleton).not.toMatch(/[^\r]\n/);
  });

  it('embeds every registry key, folder, file, version and size of the seed as a literal', () => {
    const seed = readSeedFacts();
    for (const key of seed.keys) expect(tokens.literals).toContain(key);
    for (const folder of seed.folders) expect(tokens.literals).toContain(folder);
    for (const version of seed.versions) expect(tokens.literals).toContain(version);
    const fileSizes = ms.packages.flatMap((p) => p.files.map((f) => String(f.size)));
    for (const size of fileSizes) expect(tokens.literals).toContain(size);
    for (const file of ms.packages.flatMap((p) => p.files.map((f) => f.name))) expect(tokens.literals).toContain(file);
    // The other spelling of the Exchange 2000 key that Microsoft's bulletin gives is checked too.
    expect(tokens.literals).toContain('HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Updates\\Exchange Server 2000\\SP4\\829436');
    // Exchange Server 5.0 SP2 has no package here and is reported as not checked.
    expect(script).toContain("$Unchecked = @('Exchange Server 5.0 SP2')");
  });

  it('marks installer helpers as optional and resolves %EXSRVROOT% from the exchange setup key', () => {
    expect(script).toContain("Name = 'spmsg.dll'; Version = '5.3.18.6'; Size = '6656'; Branch = ''; Optional = 'yes'");
    expect(script).toContain("Name = 'exsmtp.dll'; Version = '6.0.6487.1'; Size = '307200'; Branch = ''; Optional = 'no'");
    expect(script).toContain("'EXSRVROOT' = @{ Key = 'HKLM:\\SOFTWARE\\Microsoft\\Exchange\\Setup'; Value = 'Services' }");
    expect(script).toContain("cannot resolve %");
  });

  it('only reads: no network, no registry or file changes', () => {
    const code = tokens.skeleton.replace(/<#[\s\S]*?#>/g, '');
    for (const forbidden of [/Invoke-WebRequest/i, /Invoke-RestMethod/i, /WebClient/i, /Net\.Sockets/i, /BitsTransfer/i, /Set-Item/i, /New-Item/i, /Remove-Item/i, /Copy-Item/i, /Move-Item/i, /Rename-Item/i, /Out-File/i, /Set-Content/i, /Add-Content/i, /https?:/i]) {
      expect(code, String(forbidden)).not.toMatch(forbidden);
    }
  });

  it('prints a verdict per platform and sets the exit code from them', () => {
    for (const verdict of ["'PASS'", "'FAIL'", "'UNKNOWN'", "'NOT FOUND'"]) expect(script).toContain(verdict);
    expect(script).toContain('exit $exitCode');
    expectBalanced(tokens.skeleton);
  });
});

describe('hostile facts', () => {
  const EVIL = [
    "x'; Remove-Item -Recurse C:\\ ; '",
    'x’; Remove-Item C:\\ ; ‘',
    '$(Remove-Item C:\\)',
    '"; Remove-Item C:\\; "',
    '`$env:PATH`',
    '#> Remove-Item C:\\ <#',
    'line one\nline two',
    "‚‛''’’",
  ];

  /** The bulletin with every fact that reaches the script replaced by `value(i)`. */
  function withFacts(bulletin: Bulletin, value: (i: number) => string): Bulletin {
    let n = 0;
    const next = () => value(n++);
    const text = Object.fromEntries(Object.entries(bulletin.text).map(([lang, t]) => [lang, { ...t, title: next() }]));
    return {
      ...bulletin,
      text,
      affected: bulletin.affected.map((p) => ({ ...p, product: next(), service_pack: next() })),
      packages: bulletin.packages.map((p) => ({
        ...p,
        file_name: next(),
        files: p.files.map((f) => ({ ...f, folder: next(), name: next(), version: next() })),
        registry_keys: p.registry_keys.map((k) => ({ ...k, path: next(), note: next() })),
      })),
      discrepancies: bulletin.discrepancies.map((d) => ({ ...d, other_value: next() })),
      references: bulletin.references.map((r) => ({ ...r, url: `https://example.org/${encodeURIComponent(next())}` })),
    };
  }

  it('keep every hostile value inside its literal, exactly', () => {
    const hostile = withFacts(ms, (i) => EVIL[i % EVIL.length]!);
    const tokens = tokenize(toVerifyScript(hostile));
    for (const evil of EVIL) expect(tokens.literals.some((l) => l.includes(evil)), evil).toBe(true);
    expect(tokens.literals).toContain(`HKEY_LOCAL_MACHINE\\${hostile.packages[0]!.registry_keys[0]!.path}`);
  });

  it('leave the code around the literals unchanged', () => {
    const hostile = tokenize(toVerifyScript(withFacts(ms, (i) => EVIL[i % EVIL.length]!))).skeleton;
    const benign = tokenize(toVerifyScript(withFacts(ms, (i) => `fact${i}`))).skeleton;
    expect(hostile).toBe(benign);
    expectBalanced(hostile);
  });

  it('refuse an id that could leave the help comment', () => {
    expect(() => toVerifyScript({ ...ms, id: 'MS03-046 #> Remove-Item' })).toThrow(/cannot go into a script comment/);
  });
});

describe('every bulletin', () => {
  it('gets a script in the build whose code is balanced and whose facts are literals', () => {
    for (const b of bulletins) {
      const file = readFileSync(path.join(siteDir, 'downloads', 'verify', `${b.id.toLowerCase()}.ps1`), 'utf8');
      expect(file, b.id).toBe(toVerifyScript(b));
      const tokens = tokenize(file);
      expectBalanced(tokens.skeleton);
      expect(tokens.literals).toContain(b.id);
      for (const product of b.affected) {
        for (const key of product.registry_keys) expect(tokens.literals, b.id).toContain(`${key.hive}\\${key.path}`);
      }
    }
  });
});
