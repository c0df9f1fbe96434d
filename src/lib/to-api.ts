/**
 * Bulletins to the JSON API v1 (`/api/v1/…`). Plain functions over parsed bulletins: no
 * file reads, no Markdown rendering (the loader's HTML is reused).
 *
 * Key order is part of the format (diffs of two downloads stay readable): every object
 * is built field by field in the order of `api-schemas.ts`, which follows the content
 * model; optional keys are left out rather than set to null, except `version`, where
 * null means "the vendor lists none".
 */
import { createHash } from 'node:crypto';
import { LANGS, type Bulletin, type InstalledFile, type Lang, type RegistryKey } from '../../schemas/index.ts';
import type { ApiBulletin, ApiFile, ApiFiles, ApiIndex, ApiIndexEntry, ApiLocalized, ApiProducts, ApiRegistryKey, ApiText } from './api-schemas.ts';
import { apiSchemaPath } from './api-schemas.ts';
import { localizedObject } from './export-labels.ts';
import { csafDocumentRefs } from './to-csaf.ts';
import { updateUnits } from './update-units.ts';
import { absoluteUrl, paths, productSlug } from './urls.ts';

/** Sanitized HTML of one language's prose, as the content loader stores it. */
export interface RenderedText {
  summary: string;
  comment: string;
  body: string;
}

/** A parsed bulletin plus the HTML the content loader rendered once (`SiteBulletin`). */
export type BulletinWithHtml = Bulletin & { html: Partial<Record<Lang, RenderedText>> };

/** Serialisation of one-bulletin files and schemas: 2-space indent, trailing newline. */
export function apiJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/**
 * Serialisation of the index files (bulletins.json, files.json, products.json): top-level
 * keys on their own lines and each item of a list on one line. With thousands of
 * bulletins this is about half the size of an indented file, and `grep MS03-046` still
 * finds the whole entry.
 */
export function apiListJson(value: object): string {
  return [...apiListJsonChunks(value)].join('');
}

/**
 * `apiListJson` in pieces, a list item at a time: the build's data worker writes the index
 * files from them without holding a whole file (65 MB for files.json at 5,000 bulletins),
 * its lines and their join in memory at once.
 */
export function* apiListJsonChunks(value: object): Generator<string> {
  const entries = Object.entries(value);
  yield '{\n';
  for (const [i, [key, item]] of entries.entries()) {
    const end = `${i < entries.length - 1 ? ',' : ''}\n`;
    if (Array.isArray(item) && item.length > 0) {
      yield `  ${JSON.stringify(key)}: [\n`;
      for (const [k, element] of item.entries()) yield `    ${JSON.stringify(element)}${k < item.length - 1 ? ',' : ''}\n`;
      yield `  ]${end}`;
    } else yield `  ${JSON.stringify(key)}: ${JSON.stringify(item)}${end}`;
  }
  yield '}\n';
}

function pagesOf(id: string): { ja: string; en: string } {
  return { ja: absoluteUrl(paths.bulletin('ja', id)), en: absoluteUrl(paths.bulletin('en', id)) };
}

/**
 * Builds an object from [key, value] pairs, leaving out keys whose value is undefined.
 * Insertion order is the pair order, which is what fixes the key order of the output.
 */
function ordered<T>(pairs: Array<[string, unknown]>): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of pairs) if (value !== undefined) out[key] = value;
  return out as T;
}

const loc = (value: Parameters<typeof localizedObject>[0] | undefined): ApiLocalized | undefined =>
  value === undefined ? undefined : localizedObject(value);

function toApiFile(f: InstalledFile) {
  return ordered<ApiFile>([
    ['folder', f.folder],
    ['name', f.name],
    ['date', f.date],
    ['version', f.version],
    ['size', f.size],
    ['architecture', f.architecture],
    ['branch', f.branch],
    ['description', loc(f.description)],
    ['installer_helper', f.installer_helper],
    ['note', loc(f.note)],
  ]);
}

function toApiRegistryKey(k: RegistryKey) {
  return ordered<ApiRegistryKey>([
    ['hive', k.hive],
    ['path', k.path],
    ['key', `${k.hive}\\${k.path}`],
    ['value', k.value && { name: k.value.name, type: k.value.type, data: k.value.data }],
    ['note', loc(k.note)],
  ]);
}

function toApiText(bulletin: BulletinWithHtml, lang: Lang): ApiText | undefined {
  const text = bulletin.text[lang];
  if (!text) return undefined;
  // The loader renders every language it stores; an empty string only if it did not.
  const html = bulletin.html[lang] ?? { summary: '', comment: '', body: '' };
  return ordered<ApiText>([
    ['lang', text.lang],
    ['title', text.title],
    ['subtitle', text.subtitle],
    ['action', text.action],
    ['summary', { markdown: text.summary, html: html.summary }],
    ['comment', text.comment === undefined ? undefined : { markdown: text.comment, html: html.comment }],
    ['comment_by', text.comment_by],
    ['body', { markdown: text.body, html: html.body }],
    ['translated_from', text.translated_from],
  ]);
}

/** `/api/v1/bulletins/{id}.json`: every fact, both languages, Markdown and HTML. */
export function toApiBulletin(bulletin: BulletinWithHtml): ApiBulletin {
  const text: ApiBulletin['text'] = {};
  for (const lang of LANGS) {
    const value = toApiText(bulletin, lang);
    if (value) text[lang] = value;
  }
  return ordered<ApiBulletin>([
    ['$schema', absoluteUrl(apiSchemaPath('bulletin.schema.json'))],
    ['id', bulletin.id],
    ['vendor', bulletin.vendor],
    ['kb', [...bulletin.kb]],
    ['cves', [...bulletin.cves]],
    ['aliases', [...bulletin.aliases]],
    ['severity', bulletin.severity],
    ['impact', bulletin.impact],
    ['urgency', bulletin.urgency],
    ['published', bulletin.published],
    ['modified', bulletin.modified],
    ['withdrawn', bulletin.withdrawn],
    ['last_modified', bulletin.modified ?? bulletin.published],
    ['revision_history', bulletin.revision_history.map((r) => ordered([['version', r.version], ['date', r.date], ['summary', localizedObject(r.summary)]]))],
    [
      'affected',
      bulletin.affected.map((p) =>
        ordered([
          ['id', p.id],
          ['product', p.product],
          ['family', p.family],
          ['service_pack', p.service_pack],
          ['installed_on', p.installed_on],
          ['severity', p.severity ?? bulletin.severity],
          ['downloads', p.downloads.map((d) => ordered([['url', d.url], ['label', loc(d.label)]]))],
          ['files', p.files.map(toApiFile)],
          ['registry_keys', p.registry_keys.map(toApiRegistryKey)],
        ]),
      ),
    ],
    ['not_affected', bulletin.not_affected.map((p) => ordered([['product', p.product], ['family', p.family], ['service_pack', p.service_pack], ['installed_on', p.installed_on]]))],
    [
      'packages',
      bulletin.packages.map((pkg) =>
        ordered([
          ['platform', pkg.platform],
          ['file_name', pkg.file_name],
          ['language', pkg.language],
          ['architecture', pkg.architecture],
          ['date', pkg.date],
          ['version', pkg.version],
          ['size', pkg.size],
          ['url', pkg.url],
          ['restart_required', pkg.restart_required],
          ['files', pkg.files.map(toApiFile)],
          ['registry_keys', pkg.registry_keys.map(toApiRegistryKey)],
          [
            'console',
            pkg.console && { tool: pkg.console.tool, view: localizedObject(pkg.console.view), tab: pkg.console.tab, name: pkg.console.name },
          ],
          [
            'deployment',
            pkg.deployment && {
              tool: pkg.deployment.tool,
              consoles: pkg.deployment.consoles,
              estimates: pkg.deployment.estimates.map((e) => ({ machines: e.machines, minutes: e.minutes })),
            },
          ],
        ]),
      ),
    ],
    [
      'verification',
      bulletin.verification &&
        ordered([
          ['console_check', loc(bulletin.verification.console_check)],
          ['file_check', loc(bulletin.verification.file_check)],
        ]),
    ],
    ['deployment_note', loc(bulletin.deployment_note)],
    ['related', [...bulletin.related]],
    ['supersedes', [...bulletin.supersedes]],
    ['superseded_by', [...bulletin.superseded_by]],
    ['references', bulletin.references.map((r) => ({ url: r.url, title: localizedObject(r.title), kind: r.kind }))],
    [
      'discrepancies',
      bulletin.discrepancies.map((d) =>
        ordered([
          ['field', d.field],
          ['other_value', d.other_value],
          ['other_source', d.other_source],
          ['other_url', d.other_url],
          ['note', localizedObject(d.note)],
        ]),
      ),
    ],
    ['sources', bulletin.sources.map((s) => ordered([['title', s.title], ['url', s.url]]))],
    ['text', text],
    [
      'urls',
      {
        pages: pagesOf(bulletin.id),
        json: absoluteUrl(paths.apiBulletin(bulletin.id)),
        csaf: csafDocumentRefs(bulletin).map((ref) =>
          ordered([['lang', ref.lang], ['url', absoluteUrl(ref.path)], ['source_lang', ref.sourceLang]]),
        ),
        verify_script: absoluteUrl(paths.verifyScript(bulletin.id)),
      },
    ],
  ]);
}

/** The text of `/api/v1/bulletins/{id}.json`. */
export function apiBulletinJson(bulletin: BulletinWithHtml): string {
  return apiJson(toApiBulletin(bulletin));
}

/** Newest first: published date descending, then id ascending. Never depends on input order. */
export function byNewest(a: Pick<Bulletin, 'published' | 'id'>, b: Pick<Bulletin, 'published' | 'id'>): number {
  if (a.published !== b.published) return a.published < b.published ? 1 : -1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function titles(bulletin: Bulletin): ApiLocalized {
  const out: ApiLocalized = {};
  for (const lang of LANGS) {
    const title = bulletin.text[lang]?.title;
    if (title !== undefined) out[lang] = title;
  }
  return out;
}

function unique<T>(values: Iterable<T>): T[] {
  return [...new Set(values)];
}

/** SHA-256 (hex) of the text served at a bulletin's JSON URL. */
export function apiBulletinSha256(bulletin: BulletinWithHtml): string {
  return createHash('sha256').update(apiBulletinJson(bulletin)).digest('hex');
}

/**
 * `/api/v1/bulletins.json`. `jsonSha256(b)` must be the SHA-256 of exactly the text served
 * at the bulletin's JSON URL: it lets clients fetch only what changed. A caller that has
 * just written those files passes the digests it computed instead of rendering them again.
 */
export function toApiIndex(bulletins: readonly BulletinWithHtml[], jsonSha256: (b: BulletinWithHtml) => string = apiBulletinSha256): ApiIndex {
  const sorted = [...bulletins].sort(byNewest);
  const entries = sorted.map((b): ApiIndexEntry => {
    const csaf = csafDocumentRefs(b)[0];
    return ordered<ApiIndexEntry>([
      ['id', b.id],
      ['kb', [...b.kb]],
      ['cves', [...b.cves]],
      ['title', titles(b)],
      ['severity', b.severity],
      ['impact', b.impact],
      ['urgency', b.urgency],
      ['published', b.published],
      ['modified', b.modified],
      ['withdrawn', b.withdrawn],
      ['last_modified', b.modified ?? b.published],
      ['products', unique(b.affected.map((p) => p.product))],
      ['supersedes', [...b.supersedes]],
      ['superseded_by', [...b.superseded_by]],
      ['pages', pagesOf(b.id)],
      ['json', absoluteUrl(paths.apiBulletin(b.id))],
      ['json_sha256', jsonSha256(b)],
      ['csaf', csaf ? absoluteUrl(csaf.path) : undefined],
    ]);
  });
  const lastModified = entries.reduce<string | null>((max, e) => (max === null || e.last_modified > max ? e.last_modified : max), null);
  return {
    $schema: absoluteUrl(apiSchemaPath('bulletins.schema.json')),
    count: entries.length,
    last_modified: lastModified,
    bulletins: entries,
  };
}

const ordinal = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** `/api/v1/files.json`: installed files grouped by case-insensitive name. */
export function toFilesIndex(bulletins: readonly Bulletin[]): ApiFiles {
  const groups = new Map<string, ApiFiles['files'][number]['entries']>();
  for (const b of [...bulletins].sort(byNewest)) {
    for (const unit of updateUnits(b)) {
      for (const f of unit.files) {
        const key = f.name.toLowerCase();
        let list = groups.get(key);
        if (!list) groups.set(key, (list = []));
        list.push(
          ordered([
            ['bulletin', b.id],
            ['published', b.published],
            ['severity', unit.product?.severity ?? b.severity],
            ['platform', unit.platform],
            ['product', unit.product?.product ?? unit.platform],
            ['service_pack', unit.product?.service_pack],
            ['installed_on', unit.product?.installed_on],
            ['package', unit.package?.file_name],
            ['name', f.name],
            ['folder', f.folder],
            ['date', f.date],
            ['version', f.version],
            ['size', f.size],
            ['architecture', f.architecture],
            ['branch', f.branch],
            ['installer_helper', f.installer_helper],
            ['description', loc(f.description)],
          ]),
        );
      }
    }
  }
  const files = [...groups.entries()].sort(([a], [b]) => ordinal(a, b)).map(([name, entries]) => ({ name, entries }));
  return { $schema: absoluteUrl(apiSchemaPath('files.schema.json')), count: files.length, files };
}

/** `/api/v1/products.json`: products by page slug, with the bulletins that name them. */
export function toProductsIndex(bulletins: readonly Bulletin[]): ApiProducts {
  type Product = ApiProducts['products'][number];
  const bySlug = new Map<string, Product>();
  const entry = (name: string, family: string | undefined): Product => {
    const slug = productSlug(name);
    let product = bySlug.get(slug);
    if (!product) {
      product = ordered<Product>([
        ['slug', slug],
        ['name', name],
        ['family', family],
        ['pages', { ja: absoluteUrl(paths.product('ja', name)), en: absoluteUrl(paths.product('en', name)) }],
        ['bulletins', []],
      ]);
      bySlug.set(slug, product);
    } else if (product.family === undefined && family !== undefined) {
      // Keep the key order: rebuild with family in its place.
      const rebuilt = ordered<Product>([
        ['slug', product.slug],
        ['name', product.name],
        ['family', family],
        ['pages', product.pages],
        ['bulletins', product.bulletins],
      ]);
      bySlug.set(slug, rebuilt);
      product = rebuilt;
    }
    return product;
  };
  for (const b of [...bulletins].sort(byNewest)) {
    // Affected entries name the platform key and their severity; statements of "not affected" neither.
    const statements = [
      ...b.affected.map((p) => ({ p, status: 'affected' as const, platform: p.id, severity: p.severity ?? b.severity })),
      ...b.not_affected.map((p) => ({ p, status: 'not_affected' as const, platform: undefined, severity: undefined })),
    ];
    for (const { p, status, platform, severity } of statements) {
      entry(p.product, p.family).bulletins.push(
        ordered([
          ['id', b.id],
          ['published', b.published],
          ['status', status],
          ['platform', platform],
          ['service_pack', p.service_pack],
          ['installed_on', p.installed_on],
          ['severity', severity],
        ]),
      );
    }
  }
  const products = [...bySlug.values()].sort((a, b) => ordinal(a.name.toLowerCase(), b.name.toLowerCase()) || ordinal(a.slug, b.slug));
  return { $schema: absoluteUrl(apiSchemaPath('products.schema.json')), count: products.length, products };
}
