/**
 * The JSON API v1 in the built site: every file validates against the schema published
 * beside it, the schemas are the ones generated from the zod model, and the MS03-046 facts
 * of the seed are all in `bulletins/ms03-046.json`, in the right fields.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import * as apiSchemasModule from '../src/lib/api-schemas.ts';
import { API_SCHEMAS, ApiBulletin, apiSchemaJson, type ApiSchemaName } from '../src/lib/api-schemas.ts';
import * as toApiModule from '../src/lib/to-api.ts';
import { apiListJson, apiListJsonChunks, toApiBulletin, toApiIndex, type BulletinWithHtml } from '../src/lib/to-api.ts';
import { loadSiteBulletins, newAjv, readSeedFacts } from './helpers/feeds-fixtures.ts';

const siteDir = inject('siteDir');
const API = path.join(siteDir, 'api', 'v1');
const SITE = 'https://bulletins.example.org';

type Json = Record<string, any>;
const readJson = (file: string): Json => JSON.parse(readFileSync(file, 'utf8'));

let bulletins: BulletinWithHtml[];
beforeAll(async () => {
  bulletins = await loadSiteBulletins();
});

/** Ajv validators compiled from the schemas as the site publishes them. */
function publishedValidators() {
  const ajv = newAjv();
  const out = {} as Record<ApiSchemaName, ReturnType<typeof ajv.compile>>;
  for (const name of Object.keys(API_SCHEMAS) as ApiSchemaName[]) out[name] = ajv.compile(readJson(path.join(API, 'schema', name)));
  return out;
}

describe('api modules', () => {
  it('export the converters and schemas, nothing else', () => {
    expect(Object.keys(toApiModule).sort()).toEqual(['apiBulletinJson', 'apiBulletinSha256', 'apiJson', 'apiListJson', 'apiListJsonChunks', 'byNewest', 'toApiBulletin', 'toApiIndex', 'toFilesIndex', 'toProductsIndex']);
    expect(Object.keys(apiSchemasModule).sort()).toEqual([
      'API_SCHEMAS',
      'ApiBulletin',
      'ApiFiles',
      'ApiIndex',
      'ApiIndexEntry',
      'ApiProducts',
      'ApiText',
      'apiSchema',
      'apiSchemaJson',
      'apiSchemaPath',
    ]);
  });
});

describe('api files', () => {
  it('publishes each schema exactly as generated from the zod schemas', () => {
    for (const name of Object.keys(API_SCHEMAS) as ApiSchemaName[]) {
      const published = readFileSync(path.join(API, 'schema', name), 'utf8');
      expect(published, name).toBe(apiSchemaJson(name));
      const schema = JSON.parse(published);
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(schema.$id).toBe(`${SITE}/api/v1/schema/${name}`);
    }
  });

  it('publishes the content model schemas byte for byte as committed', () => {
    for (const name of ['bulletin.schema.json', 'bulletin-text.schema.json']) {
      const committed = readFileSync(path.resolve(import.meta.dirname, '..', 'schemas', name), 'utf8');
      expect(readFileSync(path.join(API, 'schema', 'content', name), 'utf8'), name).toBe(committed);
    }
  });

  it('validates every emitted json file against its published schema', () => {
    const validate = publishedValidators();
    const check = (file: string, name: ApiSchemaName) => {
      const data = readJson(file);
      expect(validate[name](data), `${path.relative(siteDir, file)}: ${JSON.stringify(validate[name].errors?.slice(0, 3))}`).toBe(true);
      expect(data.$schema).toBe(`${SITE}/api/v1/schema/${name}`);
    };
    check(path.join(API, 'bulletins.json'), 'bulletins.schema.json');
    check(path.join(API, 'files.json'), 'files.schema.json');
    check(path.join(API, 'products.json'), 'products.schema.json');
    const files = readdirSync(path.join(API, 'bulletins'));
    expect(files.sort()).toEqual(bulletins.map((b) => `${b.id.toLowerCase()}.json`).sort());
    for (const file of files) check(path.join(API, 'bulletins', file), 'bulletin.schema.json');
  });

  it('rejects a broken bulletin document against the published schema', () => {
    const validate = publishedValidators()['bulletin.schema.json'];
    const good = readJson(path.join(API, 'bulletins', 'ms03-046.json'));
    expect(validate(good)).toBe(true);
    const sizeAsText = structuredClone(good);
    sizeAsText.packages[0].files[0].size = '504,080';
    expect(validate(sizeAsText)).toBe(false);
    const unknownField = structuredClone(good);
    unknownField.packages[0].sha1 = 'x';
    expect(validate(unknownField)).toBe(false);
    const badSeverity = structuredClone(good);
    badSeverity.severity = '緊急';
    expect(validate(badSeverity)).toBe(false);
  });

  it('writes keys in the order of the schema, with every key of the model', () => {
    const data = readJson(path.join(API, 'bulletins', 'ms03-046.json'));
    expect(Object.keys(data)).toEqual(Object.keys(ApiBulletin.shape).filter((key) => key in data));
    expect(Object.keys(data)).toEqual([
      '$schema', 'id', 'vendor', 'kb', 'cves', 'aliases', 'severity', 'impact', 'urgency', 'published', 'modified', 'last_modified',
      'revision_history', 'affected', 'not_affected', 'packages', 'verification', 'deployment_note', 'related', 'supersedes',
      'superseded_by', 'references', 'discrepancies', 'sources', 'text', 'urls',
    ]);
    expect(Object.keys(data.packages[0])).toEqual([
      'platform', 'file_name', 'language', 'architecture', 'date', 'version', 'size', 'url', 'restart_required', 'files', 'registry_keys', 'console', 'deployment',
    ]);
    expect(Object.keys(data.packages[0].files[0])).toEqual(['folder', 'name', 'date', 'version', 'size', 'description', 'installer_helper']);
  });

  it('matches the converter output and the zod schema for every bulletin', () => {
    for (const b of bulletins) {
      const file = readJson(path.join(API, 'bulletins', `${b.id.toLowerCase()}.json`));
      expect(file).toEqual(JSON.parse(JSON.stringify(toApiBulletin(b))));
      expect(ApiBulletin.safeParse(file).success, b.id).toBe(true);
    }
  });
});

describe('bulletins.json', () => {
  it('lists every bulletin newest first with links that exist in the build', () => {
    const index = readJson(path.join(API, 'bulletins.json'));
    expect(index.count).toBe(bulletins.length);
    const published = index.bulletins.map((b: Json) => b.published);
    expect(published).toEqual([...published].sort().reverse());
    for (const entry of index.bulletins) {
      for (const url of [entry.pages.ja, entry.pages.en, entry.json, entry.csaf]) {
        expect(url.startsWith(`${SITE}/`), url).toBe(true);
        const relative = url.slice(SITE.length + 1);
        expect(existsSync(path.join(siteDir, relative.endsWith('/') ? `${relative}index.html` : relative)), url).toBe(true);
      }
    }
  });

  it('writes one entry per line, the same data the converters return', () => {
    const text = readFileSync(path.join(API, 'bulletins.json'), 'utf8');
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(toApiIndex(bulletins))));
    const lines = text.split('\n');
    for (const b of bulletins) expect(lines.filter((line) => line.includes(`{"id":"${b.id}",`)), b.id).toHaveLength(1);
    expect(lines.slice(0, 4)).toEqual([
      '{',
      '  "$schema": "https://bulletins.example.org/api/v1/schema/bulletins.schema.json",',
      `  "count": ${bulletins.length},`,
      expect.stringMatching(/^ {2}"last_modified": "\d{4}-\d{2}-\d{2}",$/),
    ]);
    expect(apiListJson({ a: 1, list: [] })).toBe('{\n  "a": 1,\n  "list": []\n}\n');
    // The data worker writes the pieces: an item per line, each piece a whole line.
    expect([...apiListJsonChunks({ list: [{ id: 'MS03-046' }, 2], last: 'x' })]).toEqual(['{\n', '  "list": [\n', '    {"id":"MS03-046"},\n', '    2\n', '  ],\n', '  "last": "x"\n', '}\n']);
  });

  it('gives the sha256 of each bulletin file so clients fetch only what changed', () => {
    const index = readJson(path.join(API, 'bulletins.json'));
    for (const entry of index.bulletins) {
      const bytes = readFileSync(path.join(siteDir, entry.json.slice(SITE.length + 1)));
      expect(entry.json_sha256, entry.id).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
    expect(index.last_modified).toBe(index.bulletins.map((b: Json) => b.last_modified).sort().at(-1));
  });

  it('carries the titles of both languages, kb numbers and cves', () => {
    const index = readJson(path.join(API, 'bulletins.json'));
    const ms = index.bulletins.find((b: Json) => b.id === 'MS03-046');
    expect(ms).toMatchObject({
      kb: [829436],
      cves: ['CVE-2003-0714'],
      severity: 'critical',
      published: '2003-10-15',
      modified: '2004-04-13',
      last_modified: '2004-04-13',
      products: ['Exchange Server 5.5', 'Exchange 2000 Server', 'Exchange Server 5.0'],
      pages: { ja: `${SITE}/ja/bulletins/ms03-046/`, en: `${SITE}/en/bulletins/ms03-046/` },
      json: `${SITE}/api/v1/bulletins/ms03-046.json`,
      csaf: `${SITE}/.well-known/csaf/white/2003/ms03-046.json`,
    });
    expect(ms.title.ja).toBe('Exchange ServerのSMTPプロトコルの脆弱性により、任意のコードが実行される可能性');
    expect(ms.title.en).toBe("A flaw in Exchange Server's SMTP extension handling can let an attacker run arbitrary code");
  });
});

describe('ms03-046.json', () => {
  const seed = readSeedFacts();
  let data: Json;
  beforeAll(() => {
    data = readJson(path.join(API, 'bulletins', 'ms03-046.json'));
  });

  it('carries every package of the seed with its size, date, version and URL', () => {
    expect(data.packages.map((p: Json) => [p.file_name, p.date, p.version, p.size, p.url])).toEqual([
      ['Exchange5.5-KB829436-x86-jpn.EXE', '2003-10-14', null, 1165928, seed.urls[0]],
      ['Exchange2000-KB829436-x86-jpn.exe', '2003-10-10', '5.3.18.5', 1081448, seed.urls[1]],
    ]);
  });

  it('carries every installed file of the seed with folder, date, version and exact size', () => {
    const files = data.packages.flatMap((p: Json) => p.files);
    const sizes = [data.packages[0].size, ...files.slice(0, 2).map((f: Json) => f.size), data.packages[1].size, ...files.slice(2).map((f: Json) => f.size)];
    expect(sizes).toEqual(seed.sizes);
    const versions = [files[0].version, files[1].version, data.packages[1].version, ...files.slice(2).map((f: Json) => f.version)];
    expect(versions).toEqual(seed.versions);
    const dates = [data.packages[0].date, files[0].date, files[1].date, data.packages[1].date, ...files.slice(2).map((f: Json) => f.date)];
    expect(dates).toEqual(seed.dates);
    expect([...new Set(files.map((f: Json) => f.folder))]).toEqual(seed.folders);
    for (const name of seed.files) {
      const found = data.packages.some((p: Json) => p.file_name === name || p.files.some((f: Json) => f.name === name));
      expect(found, name).toBe(true);
    }
    expect(files.filter((f: Json) => f.installer_helper).map((f: Json) => f.name)).toEqual(['spmsg.dll', 'spuninst.exe']);
  });

  it('carries both registry keys and the deployment times of the seed', () => {
    expect(data.packages.flatMap((p: Json) => p.registry_keys.map((k: Json) => k.key))).toEqual(seed.keys);
    expect(data.packages[1].registry_keys[0]).toEqual({
      hive: 'HKEY_LOCAL_MACHINE',
      path: 'SOFTWARE\\Microsoft\\Updates\\Exchange Server 2000\\SERVICE PACK 4\\829436',
      key: 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Updates\\Exchange Server 2000\\SERVICE PACK 4\\829436',
    });
    const estimates = data.packages.flatMap((p: Json) => p.deployment.estimates);
    expect(estimates.map((e: Json) => e.minutes)).toEqual(seed.minutes);
    expect([...new Set(estimates.map((e: Json) => e.machines))]).toEqual(seed.machines);
    expect(data.packages[0].deployment).toMatchObject({ tool: 'UpdateEXPERT', consoles: 1 });
  });

  it('carries the text of both languages as markdown and sanitized html', () => {
    expect(data.text.ja.title).toBe('Exchange ServerのSMTPプロトコルの脆弱性により、任意のコードが実行される可能性');
    expect(data.text.en.translated_from).toBe('ja');
    expect(data.text.ja.summary.markdown).toContain('RFC 2821');
    expect(data.text.ja.summary.html).toMatch(/^<p>Exchange Server は、RFC 2821/);
    expect(data.text.en.body.html).toContain('<h2>Workarounds</h2>');
    expect(data.text.ja.comment_by).toBe('DA Lab:HotFixテスティング・チーム');
    expect(data.text.ja.comment.markdown).toContain('5 分');
  });

  it('writes every localized label as an object with both languages', () => {
    expect(data.packages[1].files[1].description).toEqual({ ja: 'SMTP Exchange Store Driver - ストア モジュール', en: 'SMTP Exchange Store Driver - Store module' });
    expect(data.packages[1].files[0].description).toEqual({ ja: 'SMTP Exchange Store Driver - IIS', en: 'SMTP Exchange Store Driver - IIS' });
    expect(data.revision_history[3]).toEqual({
      version: '2.0',
      date: '2004-04-13',
      summary: {
        ja: 'Exchange Server 5.0 も影響を受けることが判明したため、同製品用の更新プログラムについての情報を追加。',
        en: 'Exchange Server 5.0 was found to be affected; added the update for that product.',
      },
    });
  });

  it('links the pages, the csaf documents and the verification script', () => {
    expect(data.urls).toEqual({
      pages: { ja: `${SITE}/ja/bulletins/ms03-046/`, en: `${SITE}/en/bulletins/ms03-046/` },
      json: `${SITE}/api/v1/bulletins/ms03-046.json`,
      csaf: [
        { lang: 'ja', url: `${SITE}/.well-known/csaf/white/2003/ms03-046.json` },
        { lang: 'en', url: `${SITE}/.well-known/csaf/white/2003/ms03-046-en.json`, source_lang: 'ja' },
      ],
      verify_script: `${SITE}/downloads/verify/ms03-046.ps1`,
    });
  });
});

describe('files.json and products.json', () => {
  it('answers which bulletin ships which version of a file, newest first', () => {
    const { files } = readJson(path.join(API, 'files.json'));
    const names = files.map((f: Json) => f.name);
    expect(names).toEqual([...names].sort());
    const exsmtp = files.find((f: Json) => f.name === 'exsmtp.dll');
    expect(exsmtp.entries).toEqual([
      {
        bulletin: 'MS03-046',
        published: '2003-10-15',
        severity: 'critical',
        platform: 'exchange-2000-sp3',
        product: 'Exchange 2000 Server',
        service_pack: 'SP3',
        package: 'Exchange2000-KB829436-x86-jpn.exe',
        name: 'exsmtp.dll',
        folder: '%EXSRVROOT%\\bin',
        date: '2003-07-15',
        version: '6.0.6487.1',
        size: 307200,
        installer_helper: false,
        description: { ja: 'SMTP Exchange Store Driver - ストア モジュール', en: 'SMTP Exchange Store Driver - Store module' },
      },
    ]);
    for (const file of files) {
      const dates = file.entries.map((e: Json) => e.published);
      expect(dates, file.name).toEqual([...dates].sort().reverse());
    }
  });

  it('lists each product with its page and the bulletins that name it', () => {
    const { products } = readJson(path.join(API, 'products.json'));
    for (const product of products) {
      for (const url of [product.pages.ja, product.pages.en]) {
        expect(existsSync(path.join(siteDir, url.slice(SITE.length + 1), 'index.html')), url).toBe(true);
      }
    }
    const exchange2003 = products.find((p: Json) => p.name === 'Exchange Server 2003');
    expect(exchange2003.bulletins).toEqual([{ id: 'MS03-046', published: '2003-10-15', status: 'not_affected' }]);
    const exchange55 = products.find((p: Json) => p.name === 'Exchange Server 5.5');
    expect(exchange55).toMatchObject({ slug: 'exchange-server-5-5', family: 'Exchange Server' });
    expect(exchange55.bulletins).toContainEqual({ id: 'MS03-046', published: '2003-10-15', status: 'affected', platform: 'exchange-5.5-sp4', service_pack: 'SP4', severity: 'important' });
    // One product for a component, each entry with the system its update is for.
    const oe6 = products.find((p: Json) => p.name === 'Outlook Express 6');
    expect(oe6.bulletins.filter((b: Json) => b.id === 'MS04-013').map((b: Json) => [b.platform, b.service_pack, b.installed_on])).toEqual([
      ['outlook-express-6', undefined, 'Windows XP'],
      ['outlook-express-6-sp1', 'SP1', 'Windows XP、Windows XP SP1、Windows 2000 SP2、Windows 2000 SP3、Windows 2000 SP4、Windows NT 4.0 SP6a、Windows 98、Windows 98 SE および Windows ME'],
      ['outlook-express-6-windows-server-2003', undefined, 'Windows 2003'],
    ]);
  });
});
