/**
 * Microsoft Docs importer: one Japanese security bulletin from MicrosoftDocs/
 * security-updates (Markdown with YAML frontmatter, 1999–2014) → bulletin facts and the
 * Japanese text. The whole Markdown stays as the body (HTML tables converted to pipe
 * tables so they render); facts are read from it where the page states them.
 *
 * The model keeps installed files and registry keys inside `packages`, and a package needs
 * its installer's size, date and URL, which these pages do not give. File tables and
 * registry keys are therefore read and counted (the report says how many) but stay in the
 * body; see the README's "Importers" section.
 */
import {
  cleanProductName,
  impactEvidence,
  impactsFromText,
  maxSeverity,
  productFamily,
  productKey,
  severityFromText,
  splitServicePack,
  urgencyFromSeverity,
  type Impact,
  type Urgency,
} from './classify.ts';
import { headings, labels, links, listItems, plainText, readFrontmatter, tables, type Label, type Table, type TableCell } from './markdown.ts';
import { findCves, findDate, parseByteSize, parseDateCell, parseVersionCell } from './numbers.ts';
import { ReportBuilder, type ImportOutcome } from './types.ts';
import type { Severity } from '../../../schemas/common.ts';

const JA_SEVERITY: Record<Severity, string> = { critical: '緊急', important: '重要', moderate: '警告', low: '注意' };

/** What the page says to do, by urgency, when it gives no recommendation of its own. */
const DEFAULT_ACTION: Record<Urgency, string> = {
  immediate: '更新プログラムを直ちに適用してください。',
  high: '更新プログラムをできるだけ早く適用してください。',
  normal: '更新プログラムの適用を計画してください。',
  low: '更新プログラムの適用を検討してください。',
};

const IMPACT_RANK: Impact[] = [
  'remote-code-execution',
  'elevation-of-privilege',
  'security-feature-bypass',
  'information-disclosure',
  'spoofing',
  'tampering',
  'denial-of-service',
];

/** Characters `kb check` refuses in a file (invisible controls and bidi overrides). */
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g;

const BULLETIN_ID = /\bMS(\d{2})-(\d{3})\b/gi;

export interface AffectedEntry {
  id: string;
  product: string;
  family?: string;
  service_pack?: string;
  severity?: Severity;
}

/** Imports one Microsoft Docs bulletin page. Never throws on content: problems become the report's error. */
export function msdocsToBulletin(source: string, input: string): ImportOutcome {
  const r = new ReportBuilder(input, 'msdocs');
  const text = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const forbidden = text.match(FORBIDDEN);
  const clean = forbidden ? text.replace(FORBIDDEN, '') : text;
  if (forbidden) r.warn(`removed ${forbidden.length} invisible control character(s) that kb check refuses (${[...new Set(forbidden)].map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`).join(', ')})`);
  const lines = clean.split('\n');
  const front = readFrontmatter(lines);
  const fields = front?.fields ?? {};
  const bodyStart = front?.bodyStart ?? 0;
  if (!front) r.warn('no YAML frontmatter (TOCTitle, Title, ms:mtpsurl): reading the id and title from the page heading');

  // Identity.
  const heads = headings(lines, bodyStart);
  const h1 = heads.find((h) => h.level === 1);
  const idText = [fields.TOCTitle, fields['ms:assetid'], h1?.text, fields.Title].find((v) => v && /\bMS\d{2}-\d{3}\b/i.test(v));
  const idMatch = idText ? /\bMS(\d{2})-(\d{3})\b/i.exec(idText) : null;
  if (!idMatch) return r.fail('no bulletin id: expected frontmatter "TOCTitle: \'MS03-046\'" or a first heading naming MSyy-nnn');
  const id = `MS${idMatch[1]}-${idMatch[2]}`;
  r.report.id = id;
  r.found('id');
  const facts: Record<string, unknown> = { id, vendor: 'Microsoft' };
  r.found('vendor');

  // Title: the second-level heading under the first one; "(829436)" at its end is the KB.
  const h1Index = h1 ? heads.indexOf(h1) : -1;
  let titleHeading = heads.slice(h1Index + 1).find((h) => h.level === 2 && (!h1 || h.line - h1.line < 12));
  let title = titleHeading?.text ?? '';
  if (titleHeading && /^[)）]$/.test(title.trim())) {
    // MS04-001: the KB's closing parenthesis wrapped onto its own line.
    title = `${lines[titleHeading.line - 1]!.trim()}${title.trim()}`;
  }
  const kbs: number[] = [];
  const kbInTitle = /[(（]\s*((?:KB)?\d{5,8}(?:\s*(?:,|、|および|and)\s*(?:KB)?\d{5,8})*)\s*[)）]\s*$/.exec(title);
  if (kbInTitle) {
    for (const n of kbInTitle[1]!.matchAll(/\d{5,8}/g)) kbs.push(Number(n[0]));
    title = title.slice(0, kbInTitle.index).trim();
  }
  title = plainText(title);
  if (!title) {
    const fromFront = fields.Title?.replace(/\s*[-–]\s*(?:緊急|重要|警告|注意)\s*$/, '').trim();
    if (!fromFront) return r.fail('no title: expected a "----"-underlined heading under the "マイクロソフト セキュリティ情報" heading');
    title = fromFront;
    titleHeading = undefined;
    r.warn('title: the page has no subtitle heading; using the frontmatter Title');
  }
  if (title.length > 300) {
    r.warn(`title: ${title.length} characters, the model allows 300; cut at the last "、" or space before 300`);
    const cut = Math.max(title.lastIndexOf('、', 299), title.lastIndexOf(' ', 299));
    title = `${title.slice(0, cut > 100 ? cut : 299)}…`;
  }
  r.found('title');

  // Dates: "公開日: 2003年10月16日 | 最終更新日: 2004年4月14日" below the title.
  const afterTitle = (titleHeading ?? h1)?.line ?? bodyStart;
  const dateLineIndex = lines.findIndex((l, i) => i >= afterTitle && i < afterTitle + 40 && /公開日|Published/.test(l));
  let published: string | undefined;
  let modified: string | undefined;
  if (dateLineIndex >= 0) {
    const dateLine = lines[dateLineIndex]!;
    const [firstPart, ...restParts] = dateLine.split(/[|｜]/);
    const p = findDate(firstPart!);
    if (p) {
      published = p.iso;
      if (p.irregular) r.warn(`published: ${p.irregular}`);
    }
    const rest = restParts.join('|');
    const m = rest ? findDate(rest) : undefined;
    if (m) {
      modified = m.iso;
      if (m.irregular) r.warn(`modified: read ${m.text} as ${m.iso} (${m.irregular})`);
    }
  }
  if (!published) return r.fail('no publication date: expected a line such as "公開日: 2003年10月16日" under the title');
  facts.published = published;
  r.found('published');

  const labelList = labels(lines, bodyStart);
  const label = (re: RegExp): Label | undefined => labelList.find((l) => re.test(l.name));
  const allTables = tables(lines, bodyStart);

  // Severity: 最大深刻度, else the title's " - 緊急".
  const titleSeverity = severityFromText(/[-–]\s*(緊急|重要|警告|注意)\s*$/.exec(fields.Title ?? h1?.text ?? '')?.[1] ?? '');
  const maxLabel = label(/^最大深刻度$/);
  const labelSeverity = maxLabel ? severityFromText(plainText(maxLabel.value).split('\n')[0] ?? '') : undefined;
  let severity = maxSeverity(labelSeverity, titleSeverity);
  const discrepancies: Array<Record<string, unknown>> = [];
  const pageSource = `${fields.Title ?? id} (Microsoft Docs, security-updates.ja-jp)`;
  if (labelSeverity && titleSeverity && labelSeverity !== titleSeverity) {
    // The page contradicts itself; an administrator is better served by the higher rating.
    const lower = severity === labelSeverity ? titleSeverity : labelSeverity;
    const lowerWhere = lower === labelSeverity ? { ja: '概要の「最大深刻度」', en: 'the summary\'s "maximum severity"' } : { ja: 'タイトル', en: 'the title' };
    r.warn(`severity: 最大深刻度 says ${labelSeverity} but the title says ${titleSeverity}; kept the higher (${severity}) and recorded a discrepancy`);
    discrepancies.push({
      field: 'severity',
      other_value: lower,
      other_source: pageSource,
      note: {
        ja: `同じセキュリティ情報の${lowerWhere.ja}は「${JA_SEVERITY[lower]}」です。高い方の評価を採っています。`,
        en: `The same bulletin gives "${lower}" in ${lowerWhere.en}; the higher rating is kept.`,
      },
    });
  }

  // Affected and not-affected software.
  const products = readProducts(lines, allTables, heads, r);
  const affected = { entries: products.affected, impacts: products.impacts, downloads: products.downloads };
  const notAffected = products.notAffected;
  if (!severity) {
    const fromProducts = affected.entries.reduce<Severity | undefined>((acc, a) => maxSeverity(acc, a.severity), undefined);
    if (fromProducts) {
      severity = fromProducts;
      r.warn(`severity: neither 最大深刻度 nor the title rates the bulletin; using the highest per-product rating (${fromProducts})`);
    }
  }
  if (!severity) return r.fail('no severity: the page has no 最大深刻度, no rating after the title (" - 緊急") and no per-product ratings');
  facts.severity = severity;
  r.found('severity');

  // Impact: stated fields first, then the title's wording.
  const impactTexts: string[] = [];
  const impactLabel = label(/^脆弱性の影響$|^最も深刻な脆弱性の影響$/);
  if (impactLabel) impactTexts.push(plainText(impactLabel.value));
  impactTexts.push(...affected.impacts);
  for (const t of allTables) {
    const col = t.header.findIndex((h) => /^脆弱性の影響$|最も深刻な脆弱性の影響/.test(h));
    if (col >= 0) for (const row of t.rows) if (row[col]) impactTexts.push(row[col]!.text);
  }
  let impact = mostSerious(impactTexts.flatMap((t) => impactsFromText(t)));
  if (impact) r.found('impact');
  else {
    // No stated impact (most 1999–2002 bulletins): read the vendor's wording, title first,
    // then the summary and the "what could happen" answers, and say so in the report.
    const prose: Array<[string, string]> = [
      ['title', title],
      ['summary', summaryOf(lines, heads, labelList, bodyStart) ?? ''],
      ...problemParagraphs(lines, heads).map((t): [string, string] => ['problem description', t]),
      ...scopeAnswers(lines).map((t): [string, string] => ['FAQ', t]),
    ];
    for (const [where, t] of prose) {
      const evidence = impactEvidence(t)[0];
      if (!evidence) continue;
      impact = evidence.impact;
      r.found('impact');
      r.warn(`impact: no 脆弱性の影響 field; "${impact}" is read from the ${where}'s wording ("${evidence.words}")`);
      break;
    }
  }
  if (!impact) return r.fail('no impact: no 脆弱性の影響 field, and neither the title, the summary nor the FAQ says what an attacker gains (コードが実行, 特権の昇格, サービス拒否, 情報漏えい, …)');
  facts.impact = impact;

  const urgency = urgencyFromSeverity(severity);
  facts.urgency = urgency;
  r.found('urgency');

  // KB numbers: the title's, then the "サポート技術情報" table row / "(KB) 文書番号" line.
  const kbLabel = labelList.find((l) => /^サポート技術情報$/.test(l.name));
  for (const t of allTables) {
    for (const row of t.rows) {
      if (row.length >= 2 && /^サポート技術情報$/.test(row[0]!.text)) for (const n of row[1]!.text.matchAll(/\b\d{5,8}\b/g)) kbs.push(Number(n[0]));
    }
  }
  for (const l of lines) {
    const m = /サポート技術情報\s*[(（]\s*KB\s*[)）]\s*文書番号\s*[:：]\s*((?:\d{5,8}[\s,、]*)+)/.exec(l);
    if (m) for (const n of m[1]!.matchAll(/\d{5,8}/g)) kbs.push(Number(n[0]));
  }
  if (kbLabel) for (const n of plainText(kbLabel.value).matchAll(/^\s*(\d{5,8})\s*$/gm)) kbs.push(Number(n[1]));
  const kb = [...new Set(kbs)];
  if (kb.length > 0) {
    facts.kb = kb;
    r.found('kb');
    r.count('kb', kb.length);
  }

  const cves = findCves(clean);
  if (cves.length > 0) {
    facts.cves = cves;
    r.found('cves');
    r.count('cves', cves.length);
  }
  if (modified) facts.modified = modified;

  // Revision history.
  const revisions = readRevisions(lines, heads, labelList, published, r);
  if (revisions.length > 0) {
    const last = revisions[revisions.length - 1]!.date;
    if (modified && last > modified) {
      r.warn(`modified: 最終更新日 is ${modified} but the revision history goes to ${last}; modified set to ${last} and a discrepancy recorded`);
      facts.modified = last;
      discrepancies.push({
        field: 'modified',
        other_value: modified,
        other_source: pageSource,
        note: {
          ja: `ページ冒頭の最終更新日は ${modified} ですが、更新履歴の最新の日付は ${last} です。更新履歴の日付を採っています。`,
          en: `The page header gives ${modified} as the last update, but its revision history goes to ${last}; the revision date is kept.`,
        },
      });
    }
    if (!facts.modified) facts.modified = last;
    facts.revision_history = revisions;
    r.found('revision_history');
    r.count('revision_history', revisions.length);
  }
  if (facts.modified) {
    if (String(facts.modified) < published) {
      r.warn(`modified: ${facts.modified} is before the publication date ${published}; left out`);
      delete facts.modified;
    } else r.found('modified');
  }

  if (affected.entries.length === 0) {
    return r.fail('no affected software: the page has no 影響を受けるソフトウェア list or table to read products from');
  }
  facts.affected = affected.entries;
  r.found('affected');
  r.count('affected', affected.entries.length);
  if (affected.entries.some((a) => a.severity)) r.found('affected.severity');
  if (notAffected.length > 0) {
    facts.not_affected = notAffected;
    r.found('not_affected');
    r.count('not_affected', notAffected.length);
  }

  if (discrepancies.length > 0) facts.discrepancies = discrepancies;

  // Supersedes.
  const supersedes = readSupersedes(lines, labelList, allTables, id);
  if (supersedes.length > 0) {
    facts.supersedes = supersedes;
    r.found('supersedes');
    r.count('supersedes', supersedes.length);
  }

  // References.
  const references = readReferences(clean, fields, id, kb, cves, affected.downloads);
  if (references.length > 0) {
    facts.references = references;
    r.found('references');
    r.count('references', references.length);
  }
  facts.sources = [
    {
      title: `${fields.Title ?? `マイクロソフト セキュリティ情報 ${id}`} (Microsoft Docs, security-updates.ja-jp)`,
      ...(fields['ms:mtpsurl'] && /^https?:\/\//.test(fields['ms:mtpsurl']) ? { url: fields['ms:mtpsurl'] } : {}),
    },
  ];

  // File tables and registry keys: read, counted, kept in the body.
  const fileStats = fileRows(allTables);
  if (fileStats.rows.length > 0) {
    r.count('file_tables', fileStats.tables);
    r.count('files', fileStats.rows.length);
    r.bodyOnly('files', 'the model keeps files inside packages, and a package needs the installer size, date and URL, which the page does not give');
  }
  if (fileStats.unreadable > 0) r.warn(`files: ${fileStats.unreadable} file-table row(s) have a size, date or version that cannot be read exactly`);
  const keys = readRegistryKeys(lines, allTables);
  if (keys.length > 0) {
    r.count('registry_keys', keys.length);
    r.bodyOnly('registry_keys', 'the model keeps registry keys inside packages, which the page cannot fill (see files)');
  }

  // Text.
  const frontmatter: Record<string, unknown> = { id, lang: 'ja', title };
  const summary = summaryOf(lines, heads, labelList, bodyStart);
  if (summary) {
    frontmatter.summary = summary;
    r.found('summary');
  } else {
    frontmatter.summary = title;
    r.warn('summary: no 概要/要点 paragraph; the title is used as the summary');
  }
  const actionLabel = label(/^推奨(?:する|される)対応策$/);
  const action = actionLabel ? firstParagraph(actionLabel.value) : undefined;
  if (action) {
    frontmatter.action = action;
    r.found('action');
  } else {
    frontmatter.action = DEFAULT_ACTION[urgency];
    r.warn(`action: the page gives no 推奨する対応策; wrote the standard action for urgency "${urgency}"`);
  }

  const bodyFrom = dateLineIndex >= 0 ? dateLineIndex + 1 : (titleHeading ?? h1) ? (titleHeading ?? h1)!.line + 2 : bodyStart;
  const body = bodyMarkdown(lines, bodyFrom, allTables);
  return {
    bulletin: { id, facts, ja: { frontmatter, body }, source: 'msdocs', from: input },
    report: r.report,
  };
}

/** The first paragraphs under 問題 / 技術的な説明 (how the 1999–2002 bulletins describe the flaw). */
function problemParagraphs(lines: readonly string[], heads: ReturnType<typeof headings>): string[] {
  const head = heads.find((h) => /^(?:問題|技術的な説明|脆弱性の詳細)\s*[:：]?$/.test(plainText(h.text)));
  if (!head) return [];
  const out: string[] = [];
  for (let i = head.line + 2; i < lines.length && out.length < 3; i++) {
    const line = lines[i]!;
    if (heads.some((h) => h.line === i)) break;
    const text = plainText(line);
    if (text.length >= 20) out.push(text);
  }
  return out;
}

/** Answers to the FAQ questions that say what the vulnerability lets an attacker do. */
function scopeAnswers(lines: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.length && out.length < 4; i++) {
    const q = lines[i]!;
    if (!/どのようなことが起こる|何ができ|どれくらいの範囲|脆弱性の範囲|攻撃者は何を/.test(q) || q.length > 200) continue;
    const answer: string[] = [];
    for (let j = i + 1; j < lines.length && j < i + 12; j++) {
      const line = lines[j]!;
      if (line.trim() === '') {
        if (answer.length > 0) break;
        continue;
      }
      if (/^\s*\*\*.*[?？]\s*\*\*\s*$/.test(line) || /^#{1,6}\s/.test(line)) break;
      answer.push(plainText(line));
    }
    if (answer.length > 0) out.push(answer.join(' '));
  }
  return out;
}

function mostSerious(impacts: Impact[]): Impact | undefined {
  return impacts.sort((a, b) => IMPACT_RANK.indexOf(a) - IMPACT_RANK.indexOf(b))[0];
}

function firstParagraph(markdown: string): string | undefined {
  const text = plainText(markdown.split(/\n\s*\n/)[0] ?? '');
  return text === '' || text === 'なし' ? undefined : text;
}

/** Paragraphs that are boilerplate, not a summary of this bulletin. */
const BOILERPLATE = /^(?:マイクロソフトは上記のソフトウェアのテストを行い|上記のソフトウェアのテストを行い|このセキュリティ情報の対象となるユーザー|推奨(?:する|される)対応策|詳細情報は|詳細については|このセキュリティ情報の後半の)/;

/**
 * One or two paragraphs that say what is wrong: 要点 (2005–2008), a 概要 that starts with
 * prose (1999–2002, 2009–2014), else the technical description (技術的な説明, 問題).
 */
function summaryOf(lines: readonly string[], heads: ReturnType<typeof headings>, labelList: Label[], from: number): string | undefined {
  const labelLines = new Set<number>();
  for (const l of labelList) for (let i = l.line; i <= l.end; i++) labelLines.add(i);
  const paragraphsAt = (start: number, labelStart = false): string[] => {
    const paragraphs: string[] = [];
    let current: string[] = [];
    const flush = () => {
      const text = plainText(current.join(' '));
      if (text.length >= 20 && !BOILERPLATE.test(text)) paragraphs.push(text);
      current = [];
    };
    for (let i = start; i < lines.length && paragraphs.length < 2; i++) {
      const line = lines[i]!;
      if (heads.some((h) => h.line === i)) break;
      if (labelLines.has(i) && !(labelStart && i === start)) {
        // A section made of labels (概要 of 2003–2008) has no summary paragraph.
        if (current.length) flush();
        if (paragraphs.length > 0 || i === start || lines.slice(start, i).every((l) => l.trim() === '')) break;
        continue;
      }
      if (line.trim() === '' || /^\s*(?:[|<]|[-*]\s|\d+\.\s)/.test(line)) {
        if (current.length) flush();
        if (/^\s*[|<]/.test(line) && paragraphs.length > 0) break;
        continue;
      }
      current.push(labelStart && i === start ? (labelList.find((l) => l.line === i)?.value ?? line) : line.trim());
      if (labelStart && i === start) i = labelList.find((l) => l.line === i)?.end ?? i;
    }
    if (current.length) flush();
    return paragraphs;
  };
  const order = [/^要点$/, /^概要$/, /^技術的な説明$/, /^問題$/, /^脆弱性の詳細$/];
  for (const re of order) {
    for (const h of heads) {
      if (h.line < from || !re.test(plainText(h.text).replace(/\s*[:：]$/, ''))) continue;
      const found = paragraphsAt(h.line + (lines[h.line + 1] !== undefined && /^(?:=+|-{2,})\s*$/.test(lines[h.line + 1]!) ? 2 : 1));
      if (found.length > 0) return found.join('\n\n');
    }
    for (const l of labelList) {
      if (!re.test(l.name)) continue;
      const found = paragraphsAt(l.line, true);
      if (found.length > 0) return found.join('\n\n');
    }
  }
  return undefined;
}

/** Lines from a label or heading up to the next heading of the same or a higher level, or the next label. */
function blockAfter(lines: readonly string[], start: number, heads: ReturnType<typeof headings>, labelList: Label[], limit = 400): [number, number] {
  const head = heads.find((h) => h.line === start);
  let end = Math.min(lines.length, start + limit);
  for (const h of heads) if (h.line > start && h.line < end && (!head || h.level <= head.level || h.level <= 4)) end = h.line;
  for (const l of labelList) if (l.line > start && l.line < end) end = l.line;
  return [start + 1, end];
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
function productsFromText(markdown: string, strict = true): Array<{ product: string; servicePack?: string }> {
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
function productName(line: string, strict = true): Array<{ product: string; servicePack?: string }> {
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
  if (text === '' || NOT_APPLICABLE.test(text) || (strict && !productLike(text))) return [];
  // "Windows XP SP1 および Windows XP SP2": two products when both sides are names.
  const parts = text.split(/\s*(?:、\s*および|および|、|と)\s*(?=(?:Microsoft|Windows|Office|Exchange|Internet|SQL|Visual|\.NET)\b)/);
  return parts.map((part) => {
    const cleaned = cleanProductName(part.replace(/[、,]\s*$/, ''));
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

interface ProductsResult {
  affected: AffectedEntry[];
  notAffected: Array<{ product: string; family?: string }>;
  impacts: string[];
  downloads: Array<{ url: string; product: string }>;
}

function readProducts(lines: readonly string[], allTables: Table[], heads: ReturnType<typeof headings>, r: ReportBuilder): ProductsResult {
  const affected: AffectedEntry[] = [];
  const notAffected: Array<{ product: string; family?: string }> = [];
  const impacts: string[] = [];
  const downloads: Array<{ url: string; product: string }> = [];
  const seen = new Map<string, AffectedEntry>();
  const seenNot = new Set<string>();
  let strict = true;
  const names = (row: ProductRow): Array<{ product: string; servicePack?: string }> => {
    const base = productsFromText(row.markdown, strict);
    if (!row.component) return base;
    // "Windows 2000 Service Pack 4" + component "Internet Information Services 5.0":
    // the component is what is affected, on that system (Microsoft's "… 上の …" form).
    const system = plainText(row.markdown.split('\n')[0] ?? '').replace(/\s*[(（][^)）]*[)）]\s*$/, '').trim();
    return row.component
      .split('\n')
      .flatMap((line) => productName(line))
      .map(({ product, servicePack }) => ({ product: `${cleanProductName(system)} 上の ${servicePack ? `${product} ${servicePack}` : product}` }));
  };
  const addAffected = (row: ProductRow) => {
    const first = names(row)[0];
    const productText = first ? `${first.product}${first.servicePack ? ` ${first.servicePack}` : ''}` : '';
    for (const link of row.links) if (DOWNLOAD_URL.test(link.url) && /^https?:/.test(link.url)) downloads.push({ url: link.url, product: productText });
    if (row.impact) impacts.push(row.impact);
    for (const { product, servicePack } of names(row)) {
      const name = `${product}|${servicePack ?? ''}`;
      const existing = seen.get(name);
      if (existing) {
        const severity = maxSeverity(existing.severity, row.severity);
        if (severity) existing.severity = severity;
        continue;
      }
      let key = productKey(product, servicePack) ?? `product-${affected.length + 1}`;
      if (affected.some((e) => e.id === key)) {
        let n = 2;
        while (affected.some((e) => e.id === `${key}-${n}`)) n++;
        key = `${key}-${n}`;
      }
      const family = productFamily(product);
      const entry: AffectedEntry = { id: key, product, ...(family ? { family } : {}), ...(servicePack ? { service_pack: servicePack } : {}) };
      if (row.severity) entry.severity = row.severity;
      seen.set(name, entry);
      affected.push(entry);
    }
  };
  const addNotAffected = (row: ProductRow) => {
    for (const { product, servicePack } of names(row)) {
      const name = servicePack ? `${product} ${servicePack}` : product;
      if (seenNot.has(name)) continue;
      seenNot.add(name);
      const family = productFamily(product);
      notAffected.push({ product: name, ...(family ? { family } : {}) });
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
        for (const { product, servicePack } of names(row)) {
          const entry = seen.get(`${product}|${servicePack ?? ''}`);
          if (entry) entry.severity = maxSeverity(entry.severity, row.severity)!;
        }
      }
    }
  }
  if (affected.some((e) => e.id.startsWith('product-'))) r.warn('affected: some product names have no ASCII words to key on; they got keys product-N');
  return { affected, notAffected, impacts, downloads };
}

/** Revision history entries, oldest first. See the README for how unnumbered entries are numbered. */
function readRevisions(lines: readonly string[], heads: ReturnType<typeof headings>, labelList: Label[], published: string, r: ReportBuilder): Array<{ version: string; date: string; summary: { ja: string } }> {
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
function readSupersedes(lines: readonly string[], labelList: Label[], allTables: Table[], self: string): string[] {
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

function readReferences(
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

/** One row of a file-information table, read exactly. */
export interface FileRow {
  name: string;
  /** null where the table lists no version (`-` or empty) or has no version column. */
  version: string | null;
  /** ISO date, or null when the table has no date column. */
  date: string | null;
  size: number;
  folder?: string;
}

/** Every file-information table row whose size, date and version read exactly, plus the count of rows that did not. */
function fileRows(allTables: Table[]): { tables: number; rows: FileRow[]; unreadable: number } {
  let count = 0;
  let unreadable = 0;
  const rows: FileRow[] = [];
  for (const t of allTables) {
    const name = t.header.findIndex((h) => /^(?:ファイル名|File ?Name)$/i.test(h));
    const size = t.header.findIndex((h) => /^(?:サイズ|ファイル サイズ|Size|File ?Size)$/i.test(h));
    if (name < 0 || size < 0) continue;
    const date = t.header.findIndex((h) => /^(?:日付|Date)$/i.test(h));
    const version = t.header.findIndex((h) => /バージョン|Version/i.test(h));
    const folder = t.header.findIndex((h) => /^(?:フォルダー?|Folder|パス|Path)$/i.test(h));
    let ok = 0;
    for (const row of t.rows) {
      const cells: TableCell[] = row;
      const file = cells[name]?.text ?? '';
      if (file === '') continue;
      const bytes = parseByteSize(cells[size]?.text ?? '');
      const day = date >= 0 ? parseDateCell(cells[date]?.text ?? '') : null;
      const ver = version >= 0 ? parseVersionCell(cells[version]?.text ?? '') : null;
      if (bytes === undefined || day === undefined || ver === undefined) {
        unreadable++;
        continue;
      }
      const where = folder >= 0 ? cells[folder]?.text : undefined;
      rows.push({ name: file, version: ver, date: day, size: bytes, ...(where ? { folder: where } : {}) });
      ok++;
    }
    if (ok > 0) count++;
  }
  return { tables: count, rows, unreadable };
}

/** File-information table rows of a Microsoft Docs bulletin, with exact byte sizes. */
export function msdocsFileRows(markdown: string): FileRow[] {
  return fileRows(tables(markdown.replace(/\r\n?/g, '\n').split('\n'))).rows;
}

/** Registry keys a Microsoft Docs bulletin names for verifying the installation. */
export function msdocsRegistryKeys(markdown: string): string[] {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  return readRegistryKeys(lines, tables(lines));
}

/** Registry keys that show an update is installed (…\Updates\… keys and the keys named in verification text). */
function readRegistryKeys(lines: readonly string[], allTables: Table[]): string[] {
  const keys = new Set<string>();
  const KEY = /\b(HKEY_LOCAL_MACHINE|HKLM)\s*\\+\s*((?:[^\\\s"|<>]+(?: [^\\\s"|<>]+)*\\+)*[^\\\s"|<>]+(?: [^\\\s"|<>]+)*)/g;
  const scan = (text: string, always: boolean) => {
    for (const m of plainText(text).replace(/\\\\/g, '\\').matchAll(KEY)) {
      const path = m[2]!.replace(/\s*\\+\s*/g, '\\').replace(/\\$/, '').trim();
      if (always || /\\Updates\\/i.test(path)) keys.add(`HKEY_LOCAL_MACHINE\\${path}`);
    }
  };
  lines.forEach((line, i) => {
    if (!/HKEY_LOCAL_MACHINE|HKEY\\_LOCAL\\_MACHINE|HKLM/.test(line)) return;
    const context = lines.slice(Math.max(0, i - 4), i).join(' ');
    scan(line.replace(/\\_/g, '_'), /レジストリ\s*キーを(?:調べ|確認)|次のレジストリ キー|レジストリ キーの確認/.test(context));
  });
  for (const t of allTables) for (const row of t.rows) if (row.length >= 2 && /レジストリ\s*キーの確認/.test(row[0]!.text)) scan(row[1]!.markdown.replace(/\\_/g, '_'), true);
  return [...keys];
}

/** The page from line `from`, with HTML tables turned into pipe tables (raw HTML does not render). */
function bodyMarkdown(lines: readonly string[], from: number, allTables: Table[]): string {
  const html = new Map(allTables.filter((t) => t.kind === 'html' && t.start >= from).map((t) => [t.start, t]));
  const out: string[] = [];
  for (let i = from; i < lines.length; i++) {
    const line = lines[i]!;
    const table = html.get(i);
    if (table) {
      const before = line.slice(0, line.search(/<table\b/i)).trim();
      if (before) out.push(before, '');
      out.push(...pipeTable(table), '');
      i = table.end;
      continue;
    }
    out.push(line);
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trim();
}

function escapeCell(markdown: string): string {
  return markdown
    .replace(/<\/?(?:p|span|div|strong|em|b|i|sup|sub|font)\b[^>]*>/gi, (tag) => (/^<\/?(?:strong|b)\b/i.test(tag) ? '**' : ''))
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/\s*\n\s*/g, ' ')
    .replace(/(?<!\\)\|/g, '\\|')
    .trim();
}

function pipeTable(table: Table): string[] {
  const width = Math.max(1, table.header.length, ...table.rows.map((row) => row.reduce((n, c) => n + c.colspan, 0)));
  const line = (cells: string[]) => `| ${[...cells, ...Array(Math.max(0, width - cells.length)).fill('')].slice(0, width).join(' | ')} |`;
  const out: string[] = [];
  if (table.caption) out.push(`**${table.caption}**`, '');
  out.push(line(table.header.length > 0 ? table.header.map((h) => escapeCell(h)) : Array(width).fill('')));
  out.push(line(Array(width).fill('---')));
  for (const row of table.rows) {
    const cells: string[] = [];
    for (const c of row) {
      const content = escapeCell(c.markdown);
      cells.push(c.header && content ? `**${content.replace(/\*\*/g, '')}**` : content);
      for (let k = 1; k < c.colspan; k++) cells.push('');
    }
    out.push(line(cells));
  }
  return out;
}
