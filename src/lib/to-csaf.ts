/**
 * Bulletins to CSAF 2.0 (`csaf_security_advisory`), plus the files of the directory
 * distribution: `index.txt`, `changes.csv`, the ROLIE feed, hash files and
 * `provider-metadata.json`.
 *
 * One document per language. The language the bulletin was written in is the original
 * (`{id}.json`, tracking id = bulletin id, publisher category `other`: this knowledge base
 * republishes and annotates vendor bulletins). The other language is a translation with
 * `source_lang` (`{id}-{lang}.json`, tracking id `{ID}-{LANG}`, publisher category
 * `translator`): CSAF identifies a document by publisher namespace and tracking id, so a
 * translation needs its own id, and the filename rule derives the file name from it.
 *
 * Every date comes from the bulletin (never the clock), so two builds of the same content
 * give byte-identical documents and hash files.
 */
import { createHash } from 'node:crypto';
import packageJson from '../../package.json' with { type: 'json' };
import { LANGS, type Bulletin, type InstalledFile, type Lang, type Package, type RegistryKey } from '../../schemas/index.ts';
import { compareRevision } from './cross-check.ts';
import { escapeHtml } from './escape-html.ts';
import { CSP_META } from './security-headers.ts';
import { IMPACT_LABELS, LANGUAGE_NAMES, SEVERITY_LABELS, pick } from './export-labels.ts';
import { siteUrl } from './site-config.ts';
import { productLabel, updateUnits, type UpdateUnit } from './update-units.ts';
import { absoluteUrl, paths, productSlug } from './urls.ts';

/** Publisher name in every document and in provider-metadata.json. */
export const CSAF_PUBLISHER_NAME = 'bulletin-kb';
/** Folder of the TLP:WHITE directory distribution, relative to the site root. */
export const CSAF_WHITE_DIR = '.well-known/csaf/white/';
export const CSAF_PROVIDER_METADATA_PATH = '.well-known/csaf/provider-metadata.json';
export const CSAF_ROLIE_FEED_PATH = `${CSAF_WHITE_DIR}csaf-feed-tlp-white.json`;
export const CSAF_SCHEMA_URL = 'https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json';

type Json = Record<string, unknown>;

export interface CsafDocumentRef {
  lang: Lang;
  /** Set on a translation: the language of the original. */
  sourceLang?: Lang;
  trackingId: string;
  /** `{yyyy}/{file}.json`, relative to the white/ folder (as index.txt lists it). */
  entry: string;
  /** Site-relative path of the document. */
  path: string;
}

/**
 * The language a bulletin was written in: the one the other language says it was
 * translated from; failing that the language not marked as a translation; failing that
 * Japanese, the knowledge base's first language. Undefined when there is no text at all.
 */
export function sourceLanguage(bulletin: Bulletin): Lang | undefined {
  const present = LANGS.filter((lang) => bulletin.text[lang]);
  for (const lang of present) {
    const from = bulletin.text[lang]?.translated_from;
    if (from && from !== lang && bulletin.text[from]) return from;
  }
  return present.find((lang) => !bulletin.text[lang]?.translated_from) ?? present[0];
}

/** CSAF 2.0 section 5.1: lower-case the tracking id, runs of other characters become `_`. */
export function csafFileName(trackingId: string): string {
  return `${trackingId.toLowerCase().replace(/[^+\-a-z0-9]+/g, '_')}.json`;
}

/** The CSAF documents of a bulletin: the original first, then the translation. */
export function csafDocumentRefs(bulletin: Bulletin): CsafDocumentRef[] {
  const source = sourceLanguage(bulletin);
  if (!source) return [];
  const year = bulletin.published.slice(0, 4);
  const refs: CsafDocumentRef[] = [];
  for (const lang of [source, ...LANGS.filter((l) => l !== source)]) {
    if (!bulletin.text[lang]) continue;
    const trackingId = lang === source ? bulletin.id : `${bulletin.id}-${lang.toUpperCase()}`;
    const entry = `${year}/${csafFileName(trackingId)}`;
    const ref: CsafDocumentRef = { lang, trackingId, entry, path: `${CSAF_WHITE_DIR}${entry}` };
    if (lang !== source) ref.sourceLang = source;
    refs.push(ref);
  }
  // The original's path is the one the rest of the site links to; keep the two in step.
  if (refs[0] && refs[0].path !== paths.csaf(bulletin.published, bulletin.id)) {
    throw new Error(`CSAF path ${refs[0].path} differs from paths.csaf(): update one of them`);
  }
  return refs;
}

const timestamp = (day: string) => `${day}T00:00:00.000Z`;
const maxDay = (days: Array<string | undefined>) => days.filter((d): d is string => d !== undefined).reduce((a, b) => (b > a ? b : a));

/** Revision history sorted by date, then vendor revision number. */
function vendorRevisions(bulletin: Bulletin) {
  // Same-day entries keep their order in the source unless both carry a number.
  return [...bulletin.revision_history].sort((a, b) =>
    a.date < b.date ? -1 : a.date > b.date ? 1 : a.version && b.version ? compareRevision(a.version, b.version) : 0,
  );
}

/** `/document/tracking/current_release_date` of a bulletin's documents (a day). */
export function csafCurrentReleaseDay(bulletin: Bulletin): string {
  const revisions = vendorRevisions(bulletin);
  return maxDay([bulletin.published, bulletin.modified, bulletin.withdrawn, revisions.at(-1)?.date]);
}

const L = {
  summary: { ja: '概要', en: 'Summary' },
  action: { ja: '対応策', en: 'Recommended action' },
  details: { ja: '詳細', en: 'Details' },
  comment: { ja: 'テスト チームのコメント', en: "Test team's comment" },
  commentBy: { ja: (who: string) => `${who}からのコメント`, en: (who: string) => `Comment from ${who}` },
  package: { ja: '修正プログラムと適用されるファイル', en: 'Update package and files installed' },
  product: { ja: '更新プログラムと適用されるファイル', en: 'Update and files installed' },
  verification: { ja: '確認方法 (レジストリ キーとファイル)', en: 'How to verify installation (registry keys and files)' },
  deployment: { ja: '予想適用時間', en: 'Deployment time estimates' },
  discrepancy: { ja: '資料間の相違', en: 'Discrepancy between sources' },
  sources: { ja: '出典', en: 'Sources' },
  related: { ja: '関連するセキュリティ情報', en: 'Related bulletins' },
  withdrawn: { ja: '公開の取り下げ', en: 'Withdrawn' },
  translation: { ja: '翻訳について', en: 'About this translation' },
} as const;

type Field = readonly [Record<Lang, string>, string | number | undefined | null];
const F = {
  package: { ja: '修正プログラム', en: 'Package' },
  platform: { ja: '対象プラットフォーム', en: 'Platform' },
  language: { ja: '言語', en: 'Language' },
  architecture: { ja: 'アーキテクチャ', en: 'Architecture' },
  date: { ja: '日付', en: 'Date' },
  version: { ja: 'バージョン', en: 'Version' },
  size: { ja: 'サイズ (バイト)', en: 'Size (bytes)' },
  url: { ja: 'ダウンロード', en: 'Download' },
  restart: { ja: '再起動', en: 'Restart required' },
  console: { ja: 'コンソール', en: 'Console' },
  file: { ja: 'ファイル名', en: 'File' },
  folder: { ja: 'フォルダー', en: 'Folder' },
  description: { ja: '機能', en: 'Description' },
  helper: { ja: 'インストーラー用ファイル', en: 'Installer helper' },
  note: { ja: '注意', en: 'Note' },
  registry: { ja: 'レジストリ キー', en: 'Registry key' },
  registryValue: { ja: '値', en: 'Value' },
  fileArchitecture: { ja: 'アーキテクチャ', en: 'Architecture' },
  branch: { ja: 'ブランチ', en: 'Branch' },
  consoleCheck: { ja: 'コンソールでの確認', en: 'Console check' },
  fileCheck: { ja: 'ファイルでの確認', en: 'File check' },
  tool: { ja: 'ツール', en: 'Tool' },
  consoles: { ja: 'コンソール数', en: 'Consoles' },
  field: { ja: '項目', en: 'Field' },
  kept: { ja: 'このセキュリティ情報の値', en: 'Value kept here' },
  otherValue: { ja: '他の資料の値', en: 'Other value' },
  otherSource: { ja: '他の資料', en: 'Other source' },
  supersedes: { ja: '置き換える', en: 'Supersedes' },
  supersededBy: { ja: '置き換えられた', en: 'Superseded by' },
  relatedTo: { ja: '関連', en: 'Related' },
} as const;

/** `Label: value` lines; fields without a value are left out (never guessed). */
function lines(lang: Lang, fields: readonly Field[]): string {
  return fields
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([label, value]) => `${label[lang]}: ${value}`)
    .join('\n');
}

const noneLabel = { ja: 'なし', en: 'none' };

function minutesText(minutes: number, lang: Lang): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (lang === 'ja') return h > 0 ? `${minutes} 分 (${h} 時間 ${m} 分)` : `${minutes} 分`;
  return h > 0 ? `${minutes} min (${h} h ${m} min)` : `${minutes} min`;
}

function languageName(tag: string, lang: Lang): string {
  const known = LANGUAGE_NAMES[tag as Lang];
  return known ? `${known[lang]} (${tag})` : tag;
}

/** Reads the value at a printed field path such as `packages[1].registry_keys[0].path`. */
function valueAt(data: unknown, printed: string): string | undefined {
  let current: unknown = data;
  for (const match of printed.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[match[2] ?? match[1]!];
  }
  return typeof current === 'string' || typeof current === 'number' ? String(current) : undefined;
}

interface ProductIds {
  affected: Map<string, string>;
  notAffected: string[];
  tree: Json;
}

const RANGE_WORDS = /[<>]|\b(?:after|all|before|earlier|later|prior|versions)\b/i;

/**
 * Vendor → product name → service pack, with product ids; not-affected products too. A
 * component the vendor names on a system (`installed_on`) is CSAF's `installed_on`
 * relationship: the component and the system are products of the tree, and the pair is the
 * product the statuses name.
 */
function productTree(bulletin: Bulletin): ProductIds {
  const used = new Set<string>();
  const claim = (wanted: string) => {
    let id = wanted;
    for (let n = 2; used.has(id); n++) id = `${wanted}-${n}`;
    used.add(id);
    return id;
  };
  const affected = new Map<string, string>();
  for (const p of bulletin.affected) if (!affected.has(p.id)) affected.set(p.id, claim(p.id));

  interface Leaf {
    version?: string;
    product: Json;
  }
  const byName = new Map<string, Leaf[]>();
  const add = (name: string, leaf: Leaf) => {
    const list = byName.get(name) ?? [];
    list.push(leaf);
    byName.set(name, list);
  };
  // Components and systems of the relationships, each one product however many pairs name
  // it; a bulletin's own product of that name and version (Windows XP, affected itself) is
  // that product, not a second one of the same name.
  const parts = new Map<string, string>();
  const partKey = (name: string, version: string | undefined) => `${name}\u0000${version ?? ''}`;
  const part = (name: string, version: string | undefined, wanted: string) => {
    const key = partKey(name, version);
    let id = parts.get(key);
    if (id === undefined) {
      parts.set(key, (id = claim(wanted)));
      add(name, { version, product: { name: `${bulletin.vendor} ${productLabel({ product: name, service_pack: version })}`, product_id: id } });
    }
    return id;
  };
  const plain = (p: { product: string; service_pack?: string }, productId: string) => {
    add(p.product, { version: p.service_pack, product: { name: `${bulletin.vendor} ${productLabel(p)}`, product_id: productId } });
    if (!parts.has(partKey(p.product, p.service_pack))) parts.set(partKey(p.product, p.service_pack), productId);
  };
  // The pairs are stated after every product of the bulletin is in the tree.
  const pairs: Array<{ p: { product: string; service_pack?: string; installed_on: string }; productId: string }> = [];
  const seen = new Set<string>();
  for (const p of bulletin.affected) {
    if (seen.has(p.id)) continue;
    seen.add(p.id);
    const productId = affected.get(p.id)!;
    if (p.installed_on !== undefined) pairs.push({ p: { ...p, installed_on: p.installed_on }, productId });
    else plain(p, productId);
  }
  const notAffected: string[] = [];
  for (const p of bulletin.not_affected) {
    const id = claim(`not-affected-${productSlug(productLabel({ product: p.product, service_pack: p.service_pack }))}`);
    notAffected.push(id);
    if (p.installed_on !== undefined) pairs.push({ p: { ...p, installed_on: p.installed_on }, productId: id });
    else plain(p, id);
  }
  const relationships = pairs.map(({ p, productId }) => ({
    category: 'installed_on',
    product_reference: part(p.product, p.service_pack, `component-${productSlug(productLabel({ product: p.product, service_pack: p.service_pack }))}`),
    relates_to_product_reference: part(p.installed_on, undefined, `system-${productSlug(p.installed_on)}`),
    full_product_name: { name: `${bulletin.vendor} ${productLabel(p)}`, product_id: productId },
  }));

  const nameBranches: Json[] = [];
  for (const [name, leaves] of byName) {
    const versioned = leaves.filter((l) => l.version !== undefined);
    const plain = leaves.filter((l) => l.version === undefined);
    if (versioned.length > 0) {
      nameBranches.push({
        category: 'product_name',
        name,
        branches: versioned.map((l) => ({
          // A service pack written as a range ("SP3 and later") is not a single version.
          category: RANGE_WORDS.test(l.version!) ? 'product_version_range' : 'product_version',
          name: l.version,
          product: l.product,
        })),
      });
    }
    // A branch holds either sub-branches or one product, so each unversioned product gets its own.
    for (const l of plain) nameBranches.push({ category: 'product_name', name, product: l.product });
  }
  return {
    affected,
    notAffected,
    tree: {
      branches: [{ category: 'vendor', name: bulletin.vendor, branches: nameBranches }],
      ...(relationships.length > 0 ? { relationships } : {}),
    },
  };
}

/** `HKEY_…\path` plus the value it must hold, when the vendor names one. */
function keyText(k: RegistryKey): string {
  const value = k.value ? ` (${k.value.name} ${k.value.type} = ${k.value.data})` : '';
  return `${k.hive}\\${k.path}${value}`;
}

function fileLines(f: InstalledFile, lang: Lang): string {
  return lines(lang, [
    [F.file, f.name],
    [F.folder, f.folder],
    [F.date, f.date],
    [F.version, f.version ?? noneLabel[lang]],
    [F.size, f.size],
    [F.fileArchitecture, f.architecture],
    [F.branch, f.branch],
    [F.description, pick(f.description, lang)],
    [F.helper, f.installer_helper ? (lang === 'ja' ? 'はい' : 'yes') : undefined],
    [F.note, pick(f.note, lang)],
  ]);
}

function keyLines(k: RegistryKey, lang: Lang): string {
  return lines(lang, [
    [F.registry, keyText(k)],
    [F.note, pick(k.note, lang)],
  ]);
}

/** One update (a package, or an affected product's links and file table) as structured text. */
function unitNote(unit: UpdateUnit, lang: Lang): Json {
  const pkg = unit.package;
  const head = pkg
    ? lines(lang, [
        [F.package, pkg.file_name],
        [F.platform, `${unit.label} (${unit.platform})`],
        [F.language, languageName(pkg.language, lang)],
        [F.architecture, pkg.architecture],
        [F.date, pkg.date],
        [F.version, pkg.version ?? noneLabel[lang]],
        [F.size, pkg.size],
        [F.url, pkg.url],
        [F.restart, pkg.restart_required],
        [F.console, pkg.console && [pkg.console.tool, pick(pkg.console.view, lang), pkg.console.tab, pkg.console.name].join(' / ')],
      ])
    : [
        lines(lang, [[F.platform, `${unit.label} (${unit.platform})`]]),
        ...unit.downloads.map((d) => lines(lang, [[F.url, d.label ? `${d.url} (${pick(d.label, lang)})` : d.url]])),
      ].join('\n');
  return {
    category: 'details',
    text: [head, ...unit.files.map((f) => fileLines(f, lang)), ...unit.registry_keys.map((k) => keyLines(k, lang))].join('\n\n'),
    title: pkg ? `${L.package[lang]}: ${pkg.file_name}` : `${L.product[lang]}: ${unit.label}`,
  };
}

function deploymentNote(bulletin: Bulletin, pkg: Package, lang: Lang): Json | undefined {
  if (!pkg.deployment) return undefined;
  const machines = lang === 'ja' ? (n: number) => `${n} 台` : (n: number) => `${n} machines`;
  const text = [
    lines(lang, [
      [F.package, pkg.file_name],
      [F.tool, pkg.deployment.tool],
      [F.consoles, pkg.deployment.consoles],
    ]),
    pkg.deployment.estimates.map((e) => `${machines(e.machines)}: ${minutesText(e.minutes, lang)}`).join('\n'),
    pick(bulletin.deployment_note, lang),
  ]
    .filter(Boolean)
    .join('\n\n');
  return { category: 'details', text, title: `${L.deployment[lang]}: ${pkg.file_name}` };
}

function verificationNote(bulletin: Bulletin, units: readonly UpdateUnit[], lang: Lang): Json | undefined {
  const parts: string[] = [];
  const console = pick(bulletin.verification?.console_check, lang);
  const file = pick(bulletin.verification?.file_check, lang);
  if (console || file) parts.push(lines(lang, [[F.consoleCheck, console], [F.fileCheck, file]]));
  for (const unit of units) {
    if (unit.registry_keys.length === 0) continue;
    const heading = unit.package ? `${unit.label} (${unit.package.file_name}):` : `${unit.label}:`;
    parts.push([heading, ...unit.registry_keys.map((k) => keyText(k))].join('\n'));
  }
  if (parts.length === 0) return undefined;
  return { category: 'general', text: parts.join('\n\n'), title: L.verification[lang] };
}

interface CsafOptions {
  lang: Lang;
  ref: CsafDocumentRef;
  refs: CsafDocumentRef[];
}

function documentNotes(bulletin: Bulletin, { lang, ref, refs }: CsafOptions): Json[] {
  const text = bulletin.text[lang]!;
  const notes: Json[] = [];
  if (ref.sourceLang) {
    const original = refs[0]!;
    notes.push({
      category: 'general',
      text:
        lang === 'ja'
          ? `この文書は ${original.trackingId} (${LANGUAGE_NAMES[ref.sourceLang].ja}) の翻訳です: ${absoluteUrl(original.path)}`
          : `This document is a translation of ${original.trackingId} (${LANGUAGE_NAMES[ref.sourceLang].en}): ${absoluteUrl(original.path)}`,
      title: L.translation[lang],
    });
  }
  notes.push({ category: 'summary', text: text.summary, title: L.summary[lang] });
  notes.push({ category: 'general', text: text.action, title: L.action[lang] });
  if (bulletin.withdrawn) {
    notes.push({
      category: 'general',
      text: lang === 'ja' ? `ベンダーは ${bulletin.withdrawn} にこのセキュリティ情報を取り下げました。` : `The vendor withdrew this bulletin on ${bulletin.withdrawn}.`,
      title: L.withdrawn[lang],
    });
  }
  if (text.body.trim() !== '') notes.push({ category: 'details', text: text.body.trim(), title: L.details[lang] });
  if (text.comment) {
    notes.push({ category: 'other', text: text.comment, title: text.comment_by ? L.commentBy[lang](text.comment_by) : L.comment[lang] });
  }
  const units = updateUnits(bulletin);
  for (const unit of units) notes.push(unitNote(unit, lang));
  const verification = verificationNote(bulletin, units, lang);
  if (verification) notes.push(verification);
  for (const pkg of bulletin.packages) {
    const note = deploymentNote(bulletin, pkg, lang);
    if (note) notes.push(note);
  }
  for (const d of bulletin.discrepancies) {
    notes.push({
      category: 'other',
      text: [
        lines(lang, [
          [F.field, d.field],
          [F.kept, valueAt(bulletin, d.field)],
          [F.otherValue, d.other_value],
          [F.otherSource, d.other_url ? `${d.other_source} (${d.other_url})` : d.other_source],
        ]),
        pick(d.note, lang),
      ].join('\n\n'),
      title: `${L.discrepancy[lang]}: ${d.field}`,
    });
  }
  const related = lines(lang, [
    [F.supersedes, bulletin.supersedes.join(', ')],
    [F.supersededBy, bulletin.superseded_by.join(', ')],
    [F.relatedTo, bulletin.related.join(', ')],
  ]);
  if (related) notes.push({ category: 'other', text: related, title: L.related[lang] });
  if (bulletin.sources.length > 0) {
    notes.push({
      category: 'other',
      text: bulletin.sources.map((s) => (s.url ? `${s.title} (${s.url})` : s.title)).join('\n'),
      title: L.sources[lang],
    });
  }
  return notes;
}

function documentReferences(bulletin: Bulletin, { lang, ref, refs }: CsafOptions): Json[] {
  const own = lang === 'ja' ? { doc: 'この CSAF 文書', page: 'セキュリティ情報のページ', json: 'JSON API' } : { doc: 'This CSAF document', page: 'Bulletin page', json: 'JSON API' };
  const out: Json[] = [
    { category: 'self', summary: own.doc, url: absoluteUrl(ref.path) },
    { category: 'self', summary: own.page, url: absoluteUrl(paths.bulletin(lang, bulletin.id)) },
    { category: 'self', summary: own.json, url: absoluteUrl(paths.apiBulletin(bulletin.id)) },
  ];
  for (const other of refs) {
    if (other === ref) continue;
    const name = LANGUAGE_NAMES[other.lang][lang];
    const summary = other.sourceLang
      ? lang === 'ja' ? `${name}訳 (CSAF)` : `${name} translation (CSAF)`
      : lang === 'ja' ? `原文 (${name}, CSAF)` : `Original (${name}, CSAF)`;
    out.push({ category: 'external', summary, url: absoluteUrl(other.path) });
  }
  for (const r of bulletin.references) out.push({ category: 'external', summary: pick(r.title, lang)!, url: r.url });
  for (const s of bulletin.sources) if (s.url) out.push({ category: 'external', summary: s.title, url: s.url });
  const linked: Array<[Record<Lang, string>, string[]]> = [
    [F.supersedes, bulletin.supersedes],
    [F.supersededBy, bulletin.superseded_by],
    [F.relatedTo, bulletin.related],
  ];
  for (const [label, ids] of linked) {
    for (const id of ids) out.push({ category: 'external', summary: `${label[lang]}: ${id}`, url: absoluteUrl(paths.bulletin(lang, id)) });
  }
  return out;
}

function remediations(bulletin: Bulletin, ids: ProductIds, lang: Lang): Json[] {
  const out: Json[] = [];
  const covered = new Set<string>();
  for (const unit of updateUnits(bulletin)) {
    const productId = ids.affected.get(unit.platform);
    if (!productId) continue;
    const pkg = unit.package;
    if (pkg) {
      covered.add(unit.platform);
      const facts = [
        languageName(pkg.language, lang),
        pkg.architecture,
        lang === 'ja' ? `${pkg.size} バイト` : `${pkg.size} bytes`,
        pkg.date,
        ...(pkg.version ? [`${lang === 'ja' ? 'バージョン' : 'version'} ${pkg.version}`] : []),
      ].join(', ');
      const remediation: Json = {
        category: 'vendor_fix',
        date: timestamp(pkg.date),
        details: lang === 'ja' ? `修正プログラム ${pkg.file_name} (${facts}) をインストールします。` : `Install ${pkg.file_name} (${facts}).`,
        product_ids: [productId],
        url: pkg.url,
      };
      if (pkg.restart_required) remediation.restart_required = { category: pkg.restart_required };
      out.push(remediation);
    }
    for (const download of unit.downloads) {
      covered.add(unit.platform);
      const variant = download.label ? ` (${pick(download.label, lang)})` : '';
      out.push({
        category: 'vendor_fix',
        details: lang === 'ja' ? `${unit.label} 用の更新プログラムをインストールします${variant}。` : `Install the update for ${unit.label}${variant}.`,
        product_ids: [productId],
        url: download.url,
      });
    }
  }
  // Affected products this bulletin has no update for: the vendor's advisory names the fix.
  const advisory = bulletin.references.find((r) => r.kind === 'vendor-advisory');
  const uncovered = bulletin.affected.filter((p) => !covered.has(p.id)).map((p) => ids.affected.get(p.id)!);
  if (advisory && uncovered.length > 0) {
    out.push({
      category: 'vendor_fix',
      details:
        lang === 'ja'
          ? 'この製品用の修正プログラムの詳細はここに記載されていません。ベンダーのセキュリティ情報を参照してください。'
          : 'The update for this product is not described here; see the vendor advisory.',
      product_ids: [...new Set(uncovered)],
      url: advisory.url,
    });
  }
  return out;
}

function threats(bulletin: Bulletin, ids: ProductIds, lang: Lang): Json[] {
  const bySeverity = new Map<string, string[]>();
  for (const p of bulletin.affected) {
    const severity = p.severity ?? bulletin.severity;
    const list = bySeverity.get(severity) ?? [];
    const id = ids.affected.get(p.id)!;
    if (!list.includes(id)) list.push(id);
    bySeverity.set(severity, list);
  }
  const impact = IMPACT_LABELS[bulletin.impact][lang];
  return [...bySeverity].map(([severity, productIds]) => ({
    category: 'impact',
    details:
      lang === 'ja'
        ? `${impact}。深刻度: ${SEVERITY_LABELS[severity as keyof typeof SEVERITY_LABELS].ja}`
        : `${impact}. Severity: ${SEVERITY_LABELS[severity as keyof typeof SEVERITY_LABELS].en}`,
    product_ids: productIds,
  }));
}

/** One CSAF 2.0 document of a bulletin in one language; `lang` must be one of its refs. */
export function toCsaf(bulletin: Bulletin, lang: Lang): Json {
  const refs = csafDocumentRefs(bulletin);
  const ref = refs.find((r) => r.lang === lang);
  const text = bulletin.text[lang];
  if (!ref || !text) throw new Error(`${bulletin.id} has no ${lang} text, so it has no ${lang} CSAF document`);
  const options: CsafOptions = { lang, ref, refs };
  const ids = productTree(bulletin);
  const current = timestamp(csafCurrentReleaseDay(bulletin));

  const revisions = vendorRevisions(bulletin);
  const history =
    revisions.length > 0
      ? revisions.map((r, i) => ({
          date: timestamp(r.date),
          ...(r.version ? { legacy_version: r.version } : {}),
          number: String(i + 1),
          summary: pick(r.summary, lang)!,
        }))
      : [{ date: timestamp(bulletin.published), number: '1', summary: lang === 'ja' ? '初版' : 'Initial version' }];

  const aliases = [
    ...(ref.sourceLang ? [refs[0]!.trackingId] : []),
    ...bulletin.kb.map((n) => `KB${n}`),
    ...bulletin.aliases,
  ].filter((a, i, all) => a !== ref.trackingId && all.indexOf(a) === i);

  const publisher = { category: ref.sourceLang ? 'translator' : 'other', name: CSAF_PUBLISHER_NAME, namespace: siteUrl() };
  const document: Json = {
    aggregate_severity: { text: SEVERITY_LABELS[bulletin.severity][lang] },
    category: 'csaf_security_advisory',
    csaf_version: '2.0',
    distribution: { tlp: { label: 'WHITE', url: 'https://www.first.org/tlp/' } },
    lang,
    ...(ref.sourceLang ? { source_lang: ref.sourceLang } : {}),
    notes: documentNotes(bulletin, options),
    publisher,
    references: documentReferences(bulletin, options),
    title: `${bulletin.id}: ${text.title}`,
    tracking: {
      ...(aliases.length > 0 ? { aliases } : {}),
      current_release_date: current,
      generator: { date: current, engine: { name: packageJson.name, version: packageJson.version } },
      id: ref.trackingId,
      initial_release_date: timestamp(bulletin.published),
      revision_history: history,
      status: 'final',
      version: history.at(-1)!.number,
    },
  };

  const productStatus: Json = { known_affected: [...new Set(ids.affected.values())] };
  if (ids.notAffected.length > 0) productStatus.known_not_affected = ids.notAffected;
  const remediationList = remediations(bulletin, ids, lang);
  const vulnerability = (cve: string | undefined): Json => ({
    ...(cve ? { cve } : {}),
    notes: [{ category: 'description', text: [text.title, text.subtitle].filter(Boolean).join('\n'), title: L.summary[lang] }],
    product_status: productStatus,
    release_date: timestamp(bulletin.published),
    ...(remediationList.length > 0 ? { remediations: remediationList } : {}),
    threats: threats(bulletin, ids, lang),
    ...(cve ? {} : { title: text.title }),
  });
  const vulnerabilities = bulletin.cves.length > 0 ? bulletin.cves.map((cve) => vulnerability(cve)) : [vulnerability(undefined)];

  return sortKeys({ document, product_tree: ids.tree, vulnerabilities }) as Json;
}

/**
 * Object keys in alphabetical order at every level, as CSAF recommends (optional test
 * 6.2.13) and as its own schema lists them; array order is meaning and stays.
 */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
  return out;
}

/** The one serialisation of CSAF files (the hash covers these exact bytes). */
export function csafJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Content of a `.sha512` file: the hex digest, two spaces, the file name (sha512sum format). */
export function csafHashFile(content: string, fileName: string): string {
  return `${createHash('sha512').update(content, 'utf8').digest('hex')}  ${fileName}\n`;
}

export interface CsafListing {
  entry: string;
  trackingId: string;
  title: string;
  lang: Lang;
  initial: string;
  current: string;
}

/** Every document of every bulletin, newest change first (then by file). */
export function csafListing(bulletins: readonly Bulletin[]): CsafListing[] {
  const out: CsafListing[] = [];
  for (const b of bulletins) {
    const current = timestamp(csafCurrentReleaseDay(b));
    for (const ref of csafDocumentRefs(b)) {
      out.push({ entry: ref.entry, trackingId: ref.trackingId, title: `${b.id}: ${b.text[ref.lang]!.title}`, lang: ref.lang, initial: timestamp(b.published), current });
    }
  }
  return out.sort((a, b) => (a.current !== b.current ? (a.current < b.current ? 1 : -1) : a.entry < b.entry ? -1 : a.entry > b.entry ? 1 : 0));
}

/** `white/index.txt`: every document path relative to white/, one per line. */
export function toCsafIndexTxt(listing: readonly CsafListing[]): string {
  return listing.map((l) => `${l.entry}\n`).join('');
}

/** `white/changes.csv`: path and current_release_date, no header, latest first. */
export function toCsafChangesCsv(listing: readonly CsafListing[]): string {
  return listing.map((l) => `"${l.entry}","${l.current}"\n`).join('');
}

const newest = (listing: readonly CsafListing[]) => listing.reduce<string | undefined>((max, l) => (max === undefined || l.current > max ? l.current : max), undefined);

/** The ROLIE feed (RFC 8322, JSON) of all TLP:WHITE documents. */
export function toRolieFeed(listing: readonly CsafListing[]): Json {
  const feedUrl = absoluteUrl(CSAF_ROLIE_FEED_PATH);
  return {
    feed: {
      id: `${CSAF_PUBLISHER_NAME}-csaf-feed-tlp-white`,
      title: `${CSAF_PUBLISHER_NAME} CSAF feed (TLP:WHITE)`,
      link: [{ rel: 'self', href: feedUrl }],
      category: [{ scheme: 'urn:ietf:params:rolie:category:information-type', term: 'csaf' }],
      // An empty feed still needs a date; the epoch keeps it deterministic.
      updated: newest(listing) ?? '1970-01-01T00:00:00.000Z',
      entry: listing.map((l) => {
        const url = absoluteUrl(`${CSAF_WHITE_DIR}${l.entry}`);
        return {
          id: l.trackingId,
          title: l.title,
          link: [
            { rel: 'self', href: url },
            { rel: 'hash', href: `${url}.sha512` },
          ],
          published: l.initial,
          updated: l.current,
          summary: { content: l.title },
          content: { type: 'application/json', src: url },
          format: { schema: CSAF_SCHEMA_URL, version: '2.0' },
        };
      }),
    },
  };
}

/**
 * `/.well-known/csaf/provider-metadata.json`. Role `csaf_provider`: the site meets
 * requirements 1–7 and 9 (well-known URL), 11–14 (directory distribution with index.txt,
 * changes.csv and HTML directory listings) and 15 (ROLIE feed), and publishes SHA-512
 * hashes (18). `csaf_trusted_provider` also requires OpenPGP signatures and a public key
 * (19, 20), which a static build without a signing key cannot produce.
 */
export function toProviderMetadata(listing: readonly CsafListing[]): Json {
  return {
    canonical_url: absoluteUrl(CSAF_PROVIDER_METADATA_PATH),
    distributions: [
      {
        directory_url: absoluteUrl(CSAF_WHITE_DIR),
        rolie: {
          feeds: [{ summary: `All TLP:WHITE advisories of ${CSAF_PUBLISHER_NAME}.`, tlp_label: 'WHITE', url: absoluteUrl(CSAF_ROLIE_FEED_PATH) }],
        },
      },
    ],
    last_updated: newest(listing) ?? '1970-01-01T00:00:00.000Z',
    list_on_CSAF_aggregators: true,
    metadata_version: '2.0',
    mirror_on_CSAF_aggregators: true,
    publisher: { category: 'other', name: CSAF_PUBLISHER_NAME, namespace: siteUrl() },
    role: 'csaf_provider',
  };
}

/**
 * A plain HTML directory listing (requirement 14) for a folder of the distribution, as a
 * web server's autoindex would show it; links are relative so any base path works.
 */
export function toDirectoryListing(title: string, names: readonly string[], { parent = true }: { parent?: boolean } = {}): string {
  const items = [...(parent ? ['../'] : []), ...names].map((n) => `<li><a href="${escapeHtml(encodeURI(n))}">${escapeHtml(n)}</a></li>`).join('\n');
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${CSP_META}"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Index of ${escapeHtml(title)}</title></head>
<body>
<main>
<h1>Index of ${escapeHtml(title)}</h1>
<ul>
${items}
</ul>
</main>
</body>
</html>
`;
}
