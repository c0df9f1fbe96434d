/**
 * History and links of a Microsoft Docs bulletin: revision history, the bulletins it
 * replaces, and references.
 */
import { findDate } from './numbers.ts';
import { headings, links, listItems, plainText, type Label, type Table } from './markdown.ts';
import type { ReportBuilder } from './types.ts';

const BULLETIN_ID = /\bMS(\d{2})-(\d{3})\b/gi;

/** Revision history entries, oldest first. See the README for how unnumbered entries are numbered. */
export function readRevisions(lines: readonly string[], heads: ReturnType<typeof headings>, labelList: Label[], published: string, r: ReportBuilder): Array<{ version: string; date: string; summary: { ja: string } }> {
  const starts: number[] = [];
  for (const h of heads) if (/^更新履歴\s*[:：]?$/.test(plainText(h.text))) starts.push(h.line + 1);
  for (const l of labelList) if (/^更新履歴$/.test(l.name)) starts.push(l.line + 1);
  lines.forEach((line, i) => {
    if (/^\s*更新履歴\s*[:：]?\s*$/.test(line)) starts.push(i + 1);
  });
  const start = starts.sort((a, b) => a - b)[0];
  if (start === undefined) return [];
  const items = listItems(lines, start);
  const raw: Array<{ version?: string; date: string; summary: string; line: number }> = [];
  for (const item of items) {
    const text = item.text.replace(/\s{2,}$/gm, '');
    const m = /^(?:\*\*)?\s*(?:V(?:er(?:sion)?)?\.?\s*(\d+(?:\.\d+)*)\s*)?(?:\*\*)?\s*[(（]?\s*([^)）:：]*?\d{4}[^)）:：]*?)\s*[)）]?\s*(?:\*\*)?\s*[:：]\s*([\s\S]*)$/i.exec(text);
    const date = m ? findDate(m[2]!) : undefined;
    if (!m || !date) {
      r.warn(`revision_history: line ${item.line + 1}: "${plainText(text).slice(0, 50)}" has no date; kept in the body only`);
      continue;
    }
    const summary = plainText(m[3]!.replace(/\n/g, ' '));
    if (!summary) continue;
    raw.push({ ...(m[1] ? { version: m[1] } : {}), date: date.iso, summary, line: item.line + 1 });
  }
  if (raw.length === 0) return [];
  const numbered = raw.every((e) => e.version);
  let entries: Array<{ version: string; date: string; summary: { ja: string } }>;
  if (numbered) {
    entries = raw
      .map((e) => ({ version: normaliseVersion(e.version!), date: e.date, summary: { ja: e.summary } }))
      .sort((a, b) => compareVersions(a.version, b.version));
  } else {
    const sorted = [...raw].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    if (sorted[0]!.date !== published) {
      r.bodyOnly('revision_history', `the Japanese history gives dates without revision numbers and does not start at publication (${published}), so no truthful numbers can be given`);
      r.count('revision_history_body_only', raw.length);
      return [];
    }
    // Unnumbered Japanese history starting at publication: numbered 1, 2, 3… in date order
    // (revisions of the Japanese page, deliberately not Microsoft's English 1.0/1.1 form).
    entries = sorted.map((e, i) => ({ version: String(i + 1), date: e.date, summary: { ja: e.summary } }));
    if (raw.some((e) => e.version)) r.warn('revision_history: some entries have V-numbers and some do not; all were numbered 1, 2, 3… by date');
  }
  const kept: typeof entries = [];
  for (const e of entries) {
    const prev = kept[kept.length - 1];
    if (e.date < published) {
      r.warn(`revision_history: revision ${e.version} is dated ${e.date}, before publication (${published}); kept in the body only`);
      continue;
    }
    if (prev && (compareVersions(e.version, prev.version) <= 0 || e.date < prev.date)) {
      r.warn(`revision_history: revision ${e.version} (${e.date}) does not follow ${prev.version} (${prev.date}); kept in the body only`);
      continue;
    }
    kept.push(e);
  }
  return kept;
}

function normaliseVersion(v: string): string {
  return v.includes('.') ? v : `${v}.0`;
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Bulletins this one replaces: ids under 含まれる過去の…/置き換えられる… labels, columns and rows. */
export function readSupersedes(lines: readonly string[], labelList: Label[], allTables: Table[], self: string): string[] {
  const found = new Set<string>();
  const take = (text: string) => {
    for (const m of text.matchAll(BULLETIN_ID)) {
      const id = `MS${m[1]}-${m[2]}`;
      if (id !== self) found.add(id);
    }
  };
  const SUPERSEDES = /含まれる過去の|置き換えられる(?:セキュリティ情報|更新プログラム)|置き換えられるもの|置き換えられますか/;
  for (const l of labelList) if (SUPERSEDES.test(l.name)) take(plainText(l.value));
  for (const t of allTables) {
    const col = t.header.findIndex((h) => SUPERSEDES.test(h));
    if (col >= 0) for (const row of t.rows) if (row[col]) take(row[col]!.text);
    for (const row of t.rows) if (row.length >= 2 && SUPERSEDES.test(row[0]!.text)) take(row.slice(1).map((c) => c.text).join(' '));
  }
  lines.forEach((line) => {
    if (!line.includes('置き換え') && !line.includes('含まれる過去')) return;
    // "KB2839894 に置き換えられるセキュリティ情報: MS13-001" (reference tables in text form).
    const m = /(?:置き換えられる(?:セキュリティ情報|更新プログラム)|含まれる過去の(?:セキュリティ)?(?:更新プログラム|修正))\s*[:：]\s*(.+)$/.exec(plainText(line));
    if (m) take(m[1]!);
  });
  return [...found].sort();
}

export function readReferences(
  text: string,
  fields: Record<string, string>,
  id: string,
  kb: number[],
  cves: string[],
  downloads: Array<{ url: string; product: string }>,
): Array<{ url: string; title: string | { ja: string }; kind: string }> {
  const out: Array<{ url: string; title: string | { ja: string }; kind: string }> = [];
  const seen = new Set<string>();
  const push = (url: string, title: string | { ja: string }, kind: string) => {
    if (!/^https?:\/\/[^\s]+$/.test(url)) return;
    try {
      new URL(url);
    } catch {
      return;
    }
    if (seen.has(url)) return;
    seen.add(url);
    out.push({ url, title, kind });
  };
  const mtps = fields['ms:mtpsurl'];
  if (mtps) push(mtps, { ja: fields.Title ?? `マイクロソフト セキュリティ情報 ${id}` }, 'vendor-advisory');
  const all = links(text).map((l) => ({ ...l, lower: l.url.toLowerCase() }));
  const lower = id.toLowerCase();
  const advisory = new RegExp(`/security/bulletin/${lower}(?:\\.mspx)?$`);
  for (const link of all) {
    if (link.lower.includes(lower) && advisory.test(link.lower)) push(link.url, { ja: `マイクロソフト セキュリティ情報 ${id} (英語)` }, 'vendor-advisory');
  }
  for (const n of kb) {
    const re = new RegExp(`support\\.microsoft\\.com/(?:default\\.aspx\\?scid=)?kb/${n}(?:/|$|\\?)`);
    const link = all.find((l) => l.lower.includes(`/kb/${n}`) && re.test(l.lower));
    if (link) push(link.url, { ja: `サポート技術情報 ${n}` }, 'kb');
  }
  for (const cve of cves) {
    const number = cve.slice(4).toLowerCase();
    const link = all.find((l) => l.lower.includes(number) && (l.lower.includes(`cve-${number}`) || l.lower.includes(`can-${number}`)));
    if (link) push(link.url, cve, 'cve');
  }
  for (const d of downloads) {
    const product = d.product.replace(/\s+/g, ' ').trim().slice(0, 200);
    push(d.url, { ja: product ? `${product} 用の更新プログラム` : '更新プログラムのダウンロード' }, 'download');
  }
  return out;
}
