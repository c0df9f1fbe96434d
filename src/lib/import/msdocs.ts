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
  impactEvidence,
  impactsFromText,
  maxSeverity,
  severityFromText,
  urgencyFromSeverity,
  type Impact,
  type Urgency,
} from './classify.ts';
import { headings, labels, plainText, readFrontmatter, tables, type Label } from './markdown.ts';
import { findCves, findDate } from './numbers.ts';
import { readProducts } from './msdocs-products.ts';
import { readReferences, readRevisions, readSupersedes } from './msdocs-history.ts';
import { bodyMarkdown, fileRows, readRegistryKeys } from './msdocs-tables.ts';
import { problemParagraphs, scopeAnswers, summaryOf } from './msdocs-text.ts';
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
  const { markdown: body, missingImages } = bodyMarkdown(lines, bodyFrom, allTables);
  if (missingImages.length > 0) r.warn(`body: left out ${missingImages.length} picture(s) of the original page (${[...new Set(missingImages)].join(', ')}), which the archive does not hold`);
  return {
    bulletin: { id, facts, ja: { frontmatter, body }, source: 'msdocs', from: input },
    report: r.report,
  };
}

function mostSerious(impacts: Impact[]): Impact | undefined {
  return impacts.sort((a, b) => IMPACT_RANK.indexOf(a) - IMPACT_RANK.indexOf(b))[0];
}

function firstParagraph(markdown: string): string | undefined {
  const text = plainText(markdown.split(/\n\s*\n/)[0] ?? '');
  return text === '' || text === 'なし' ? undefined : text;
}

export { msdocsFileRows, msdocsRegistryKeys, type FileRow } from './msdocs-tables.ts';
export type { AffectedEntry } from './msdocs-products.ts';
