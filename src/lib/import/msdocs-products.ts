/**
 * Affected and not-affected software of a Microsoft Docs bulletin: the lists and tables
 * under the 影響を受ける… / 影響を受けない… markers, as product entries of the model.
 */
import { cleanProductName, maxSeverity, productFamily, productKey, severityFromText, splitServicePack } from './classify.ts';
import { headings, links, listItems, plainText, type Table } from './markdown.ts';
import type { ReportBuilder } from './types.ts';
import { productLabel } from '../update-units.ts';
import type { Severity } from '../../../schemas/common.ts';

export interface AffectedEntry {
  id: string;
  product: string;
  family?: string;
  service_pack?: string;
  installed_on?: string;
  severity?: Severity;
}

/** A product a row or cell names; for a component on a system, the component and that system. */
interface NamedProduct {
  product: string;
  servicePack?: string;
  installedOn?: string;
}

/** The vendor's own words for a component on a system ("Windows XP SP2 上の Internet Explorer 6"). */
function vendorName({ product, servicePack, installedOn }: NamedProduct): string {
  const name = servicePack ? `${product} ${servicePack}` : product;
  return installedOn ? `${installedOn} 上の ${name}` : name;
}

const AFFECTED_MARK = /^影響を受ける(?:ソフトウ[ェエ]ア|プロダクト|コンポーネント|製品)(?:\s*の?\s*バージョン)?(?:を含む製品)?(?:および(?:その)?ダウンロード先|および影響を受けないソフトウ[ェエ]ア)?\s*[:：]?$/;
const NOT_AFFECTED_MARK = /^影響を受けない(?:ソフトウ[ェエ]ア|プロダクト|コンポーネント|製品)(?:\s*の?\s*バージョン)?\s*[:：]?$/;

interface ProductBlock {
  kind: 'affected' | 'not-affected';
  tables: Table[];
  items: Array<{ line: number; text: string }>;
}

/**
 * The lists and tables under each 影響を受ける… / 影響を受けない… marker (a label, heading
 * or line of its own), up to the next marker or section heading.
 */
function productBlocks(lines: readonly string[], allTables: Table[], heads: ReturnType<typeof headings>): ProductBlock[] {
  const markers: Array<{ line: number; kind: ProductBlock['kind']; level?: number }> = [];
  lines.forEach((line, i) => {
    if (!line.includes('影響を受け') || line.length > 120 || /^\s*[|<]/.test(line)) return;
    const text = plainText(line.replace(/^\s*(?:#{1,6}\s+|\d+\.\s+)/, ''));
    const head = heads.find((h) => h.line === i);
    if (AFFECTED_MARK.test(text)) markers.push({ line: i, kind: 'affected', ...(head ? { level: head.level } : {}) });
    else if (NOT_AFFECTED_MARK.test(text)) markers.push({ line: i, kind: 'not-affected', ...(head ? { level: head.level } : {}) });
  });
  const blocks: ProductBlock[] = [];
  markers.forEach((marker, k) => {
    let end = Math.min(lines.length, marker.line + 600, markers[k + 1]?.line ?? Infinity);
    const limitLevel = marker.level ?? 4;
    for (const h of heads) if (h.line > marker.line && h.line < end && h.level <= limitLevel) end = h.line;
    const inRange = allTables.filter((t) => t.start > marker.line && t.start < end);
    const firstTable = inRange[0]?.start ?? end;
    const items = listItems(lines, marker.line + 1, Math.min(end, firstTable)).filter(
      // "Microsoft Update 利用の手順" follows some product lists as a how-to link.
      (item) => !/利用の手順|の手順$|方法$/.test(plainText(item.text.split('\n')[0] ?? '')),
    );
    blocks.push({ kind: marker.kind, tables: inRange, items });
  });
  return blocks;
}

const DOWNLOAD_URL = /download|details\.aspx|downloads\/|update\.microsoft\.com|windowsupdate/i;
const NOT_APPLICABLE = /^(?:なし|該当なし|対象外|適用なし|-|—|−|N\/A|Not applicable)$/i;

/** Turns a product cell ("[Windows Vista Service Pack 2](…)  (2839894)") into product entries. */
function productsFromText(markdown: string, strict = true): NamedProduct[] {
  return productName(plainText(markdown.split('\n')[0] ?? ''), strict);
}

/** Lines of a cell that name products: not the "(KB…)" and "(… のみ)" qualifier lines below them. */
function productLines(markdown: string): string[] {
  return markdown
    .split('\n')
    .map((line) => plainText(line))
    .filter((line) => line !== '' && !/^[(（]/.test(line) && !/^(?:KB)?\d{5,8}$/.test(line));
}

/** True for text that reads as a product name, not a sentence or a note. */
function productLike(text: string): boolean {
  const name = text.replace(/\s*[(（][^()（）]*[)）]$/, '');
  return name.length <= 150 && !/[。]|ください|ます$|です$|ご覧|以下の|下記の|上記|[:：]$/.test(name);
}

/**
 * Product names in one line of a list or cell. `strict` skips sentences and notes; the
 * 1999–2003 pages that describe the product only in a sentence are read with it off.
 */
function productName(line: string, strict = true): NamedProduct[] {
  let text = line;
  text = text
    // "… Service Pack 1: このセキュリティ情報の…をご確認ください。": a note after the name.
    .replace(/\s*[:：]\s*(?=[^\x00-\x7f]).*$/, '')
    .replace(/\s*[:：]\s*$/, '')
    .replace(/\s*-\s*更新プログラムをダウンロード.*$/, '')
    .replace(/\s*[-–]\s*(?:ダウンロード|Download).*$/i, '')
    // "… (Me) - 以下に記載されている…": a remark after a dash, not part of the name.
    .replace(/\s+[-–]\s+(?=[^\x00-\x7f]).*$/, '')
    .replace(/\s*\[\d+\]$/, '')
    .replace(/\s*[(（]\s*(?:KB)?\d{5,8}(?:\s*[,、]\s*(?:KB)?\d{5,8})*\s*[)）]\s*$/, '')
    .replace(/[*＊]+$/, '')
    .replace(/\s+/g, ' ')
    .trim();
  // "Exchange Server 2003 (… の更新プログラムをインストールしてください)": an instruction in
  // parentheses is a note for the reader (it stays in the body), not part of the name.
  if (strict) text = text.replace(/\s*[(（][^()（）]*(?:ください|ます|。|場合)[^()（）]*(?:[)）]|$)$/, '').trim();
  if (text === '' || NOT_APPLICABLE.test(text) || (strict && !productLike(text))) return [];
  // "Windows XP Service Pack 2 上の Internet Explorer 6" (or 用の, or "… にインストールされた …"
  // when a Windows or Mac system comes first and a name follows; "Internet Explorer 9 と一緒
  // にインストール…", "下記環境にインストール…" and "…システムにインストールされているもの" name
  // no system or no component): a component on a system. Split before the
  // "および" below, which would otherwise cut the system's list in two.
  const onSystem = /^(.+?)\s*(?:上の|用の)\s*(.+)$/.exec(text) ?? /^((?:Microsoft\s+)?(?:Windows|Mac)\b.*?)\s*にインストールされ(?:た|ている)\s*([A-Za-z0-9.].*)$/.exec(text);
  if (onSystem) {
    const system = cleanProductName(onSystem[1]!);
    return productName(onSystem[2]!, strict).map((named) => (system ? { ...named, installedOn: system } : named));
  }
  // "Windows XP SP1 および Windows XP SP2": two products when both sides are names.
  // Also "Windows XP, Microsoft Windows XP Service Pack 1" and "…, and Windows …", the lists
  // some pages write in English punctuation.
  const parts = text.split(/\s*(?:、\s*および|および|、|と|,\s*(?:and\s+)?)\s*(?=(?:Microsoft|Windows|Office|Exchange|Internet|SQL|Visual|\.NET)\b)/);
  return parts.map((part) => {
    const cleaned = cleanProductName(part.replace(/\s*[、,]?\s*(?:および|and)?\s*$/, ''));
    // "… Service Pack 2 (Server Core インストール)": the qualifier stays with the product.
    const qualified = /^(.*?)\s*([(（][^()（）]*[)）])$/.exec(cleaned);
    const { product, servicePack } = splitServicePack(qualified ? qualified[1]! : cleaned);
    const name = qualified && servicePack ? `${product} ${qualified[2]}` : product || cleaned;
    return { product: servicePack ? name : cleaned === product ? product : name, ...(servicePack ? { servicePack } : {}) };
  });
}

interface ProductRow {
  markdown: string;
  /** Component installed on the product ("Internet Information Services 6.0"), when the table has a column for it. */
  component?: string;
  severity?: Severity;
  impact?: string;
  links: Array<{ text: string; url: string }>;
}

/** Product rows of a table: first column (plus コンポーネント), skipping group headings that span the table. */
function productRows(t: Table): ProductRow[] {
  const sevCol = t.header.findIndex((h) => /総合的な深刻度|最大深刻度|^深刻度$/.test(h));
  const impactCol = t.header.findIndex((h) => /脆弱性の影響/.test(h));
  const componentCol = t.header.findIndex((h) => /^コンポーネント$/.test(h));
  const columns = Math.max(t.header.length, ...t.rows.map((row) => row.reduce((n, c) => n + c.colspan, 0)));
  const out: ProductRow[] = [];
  for (const row of t.rows) {
    const first = row[0];
    if (!first) continue;
    if (row.length === 1 && (first.header || first.colspan > 1) && columns > 1) continue;
    if (/^(?:オペレーティング システム|ソフトウェア|製品|影響を受け(?:る|ない)ソフトウェア)$/.test(first.text)) continue;
    const component = componentCol > 0 && row[componentCol] ? productLines(row[componentCol]!.markdown).join('\n') : undefined;
    out.push({
      markdown: first.markdown,
      ...(component && !NOT_APPLICABLE.test(component) ? { component } : {}),
      ...(sevCol >= 0 && row[sevCol] ? { severity: severityFromText(row[sevCol]!.text) } : {}),
      ...(impactCol >= 0 && row[impactCol] ? { impact: row[impactCol]!.text } : {}),
      links: row.flatMap((c) => links(c.markdown)),
    });
  }
  return out;
}

export interface ProductsResult {
  affected: AffectedEntry[];
  notAffected: Array<{ product: string; family?: string; service_pack?: string; installed_on?: string }>;
  impacts: string[];
  downloads: Array<{ url: string; product: string }>;
}

export function readProducts(lines: readonly string[], allTables: Table[], heads: ReturnType<typeof headings>, r: ReportBuilder): ProductsResult {
  const affected: AffectedEntry[] = [];
  const notAffected: ProductsResult['notAffected'] = [];
  const impacts: string[] = [];
  const downloads: Array<{ url: string; product: string }> = [];
  const seen = new Map<string, AffectedEntry>();
  const seenNot = new Set<string>();
  let strict = true;
  const identity = (named: NamedProduct) => `${named.product}|${named.servicePack ?? ''}|${named.installedOn ?? ''}`;
  const names = (row: ProductRow): NamedProduct[] => {
    const base = productsFromText(row.markdown, strict);
    if (!row.component) return base;
    // "Windows 2000 Service Pack 4" + component "Internet Information Services 5.0": the
    // component is what is affected, on that system (Microsoft's "… 上の …" form). The
    // component is the product, so its page gathers every system it is affected on.
    const system = cleanProductName(plainText(row.markdown.split('\n')[0] ?? '').replace(/\s*[(（][^)）]*[)）]\s*$/, '').trim());
    return row.component
      .split('\n')
      .flatMap((line) => productName(line))
      .map(({ product, servicePack }) => ({ product, ...(servicePack ? { servicePack } : {}), ...(system ? { installedOn: system } : {}) }));
  };
  const addAffected = (row: ProductRow) => {
    const first = names(row)[0];
    const productText = first ? vendorName(first) : '';
    for (const link of row.links) if (DOWNLOAD_URL.test(link.url) && /^https?:/.test(link.url)) downloads.push({ url: link.url, product: productText });
    if (row.impact) impacts.push(row.impact);
    for (const named of names(row)) {
      const { product, servicePack, installedOn } = named;
      const name = identity(named);
      const existing = seen.get(name);
      if (existing) {
        const severity = maxSeverity(existing.severity, row.severity);
        if (severity) existing.severity = severity;
        continue;
      }
      // Keyed on the vendor's whole name, so a component's key names its system too.
      let key = (installedOn ? productKey(vendorName(named)) : productKey(product, servicePack)) ?? `product-${affected.length + 1}`;
      if (affected.some((e) => e.id === key)) {
        let n = 2;
        while (affected.some((e) => e.id === `${key}-${n}`)) n++;
        key = `${key}-${n}`;
      }
      const family = productFamily(product);
      const entry: AffectedEntry = {
        id: key,
        product,
        ...(family ? { family } : {}),
        ...(servicePack ? { service_pack: servicePack } : {}),
        ...(installedOn ? { installed_on: installedOn } : {}),
      };
      if (row.severity) entry.severity = row.severity;
      seen.set(name, entry);
      affected.push(entry);
    }
  };
  const addNotAffected = (row: ProductRow) => {
    for (const named of names(row)) {
      if (seenNot.has(identity(named))) continue;
      seenNot.add(identity(named));
      const family = productFamily(named.product);
      notAffected.push({
        product: named.product,
        ...(family ? { family } : {}),
        ...(named.servicePack ? { service_pack: named.servicePack } : {}),
        ...(named.installedOn ? { installed_on: named.installedOn } : {}),
      });
    }
  };
  const blocks = productBlocks(lines, allTables, heads);
  for (const block of blocks) {
    const rows: ProductRow[] = [
      ...block.items.map((item) => ({ markdown: item.text, links: links(item.text) })),
      ...block.tables.flatMap((t) => productRows(t)),
    ];
    for (const row of rows) (block.kind === 'affected' ? addAffected : addNotAffected)(row);
  }
  if (affected.length === 0) {
    // Some early pages describe the affected product only in a sentence; the sentence is
    // the vendor's statement, so it is kept as the product text rather than dropped.
    strict = false;
    for (const block of blocks) if (block.kind === 'affected') for (const item of block.items) addAffected({ markdown: item.text, links: links(item.text) });
    if (affected.length > 0) r.warn('affected: the page names the affected software only in a sentence; the sentence is kept as the product name');
  }
  // Per-product ratings from the severity table ("影響を受けるソフトウェアごとの脆弱性の深刻度"),
  // when the affected list itself had none.
  if (affected.length > 0 && affected.every((e) => !e.severity)) {
    for (const t of allTables) {
      if (!t.header.some((h) => /^総合的な深刻度$/.test(h))) continue;
      for (const row of productRows(t)) {
        if (!row.severity) continue;
        for (const named of names(row)) {
          const entry = seen.get(identity(named));
          if (entry) entry.severity = maxSeverity(entry.severity, row.severity)!;
        }
      }
    }
  }
  if (affected.some((e) => e.id.startsWith('product-'))) r.warn('affected: some product names have no ASCII words to key on; they got keys product-N');
  // The page lists a product under both headings: one of the two is wrong, and only a reader
  // of the page can tell which. Both are kept, as the page says.
  const both = [...new Set(notAffected.map(productLabel).filter((label) => affected.some((a) => productLabel(a) === label)))];
  if (both.length > 0) r.warn(`not_affected: ${both.map((label) => `"${label}"`).join(', ')} also listed as affected; check the page and remove the wrong entry`);
  return { affected, notAffected, impacts, downloads };
}
