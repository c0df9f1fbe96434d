/**
 * Legacy importer: a patch-management vendor's Japanese bulletin page scraped to text
 * (the seed's format) → bulletin facts and Japanese text.
 *
 * The format: table cells end in ` |`; a line holding only `|` closes the cell above it,
 * or, when nothing is open, is an empty cell; two empty cells separate sections, and a
 * section starts with its heading cell (対応策, 概要, …). Long cells wrap at a space onto
 * the next line. Numbers carry thousands separators, `−` means "none", durations read
 * `1時間29分`.
 */
import { impactFromText, productFamily, productKey, splitServicePack, urgencyFromAction } from './classify.ts';
import { parseByteSize, parseDateCell, parseMinutes, parseVersionCell } from './numbers.ts';
import { ReportBuilder, type ImportOutcome } from './types.ts';

/** One logical line of the page: wrapped lines joined, with whether it closed a cell. */
export interface LegacyItem {
  text: string;
  /** Ended in `|` (a table cell or a one-cell line); false for running prose. */
  cell: boolean;
  /** 1-based line where the item starts. */
  line: number;
}

const ASCII_END = /[\x21-\x7e]$/;
const ASCII_START = /^[\x21-\x7e]/;

function joinWrapped(a: string, b: string): string {
  // The scraper wrapped at spaces; between two Japanese characters there was none.
  return ASCII_END.test(a) || ASCII_START.test(b) ? `${a} ${b}` : `${a}${b}`;
}

/** True when `next` continues `prev` (a wrapped line), not a new paragraph or bullet. */
function continues(prev: string, next: string): boolean {
  if (/[。．！？:：]$/.test(prev)) return false;
  if (/^[・●■◆※]/.test(next) || /^[・●■◆※]/.test(prev) && /[:：]$/.test(prev)) return false;
  if (/^(?:https?:\/\/|HKEY_|HKLM\\)/.test(next)) return false;
  return true;
}

/** Splits the page into logical lines (cells and prose). */
export function legacyItems(text: string): LegacyItem[] {
  const items: LegacyItem[] = [];
  let pending: LegacyItem | undefined;
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n?|\n/);
  lines.forEach((raw, index) => {
    const line = raw.replace(/[\s\u3000]+$/, '').replace(/^[ \t]+/, '');
    const lineNo = index + 1;
    if (line === '') return;
    if (line === '|') {
      if (pending) items.push({ ...pending, cell: true });
      else items.push({ text: '', cell: true, line: lineNo });
      pending = undefined;
      return;
    }
    const closed = line.endsWith('|');
    const content = closed ? line.slice(0, -1).replace(/[\s\u3000]+$/, '') : line;
    if (pending && continues(pending.text, content)) {
      pending = { ...pending, text: joinWrapped(pending.text, content) };
    } else {
      if (pending) items.push(pending);
      pending = { text: content, cell: false, line: lineNo };
    }
    if (closed) {
      items.push({ ...pending, cell: true });
      pending = undefined;
    }
  });
  if (pending) items.push(pending);
  return items;
}

interface Section {
  heading: string;
  line: number;
  items: LegacyItem[];
}

/** Groups items into sections at empty cells. */
function sections(items: LegacyItem[]): Section[] {
  const out: Section[] = [];
  let current: LegacyItem[] = [];
  const flush = () => {
    if (current.length > 0) out.push({ heading: current[0]!.text, line: current[0]!.line, items: current.slice(1) });
    current = [];
  };
  for (const item of items) {
    if (item.cell && item.text === '') flush();
    else current.push(item);
  }
  flush();
  return out;
}

const BULLET = /^[・●■◆]\s*(.+?)\s*[:：]$/;
const FILE_NAME = /^[^\\/:*?"<>|\s][^\\/:*?"<>|]*\.[A-Za-z0-9]{1,4}$/;
const HEADER_WORDS = new Set(['ファイル名', '日付', 'バージョン', 'サイズ', '機能', 'フォルダ', 'フォルダー', '説明']);

const LANGUAGE_CODES: Record<string, string> = {
  jpn: 'ja', enu: 'en', eng: 'en', deu: 'de', fra: 'fr', ita: 'it', esn: 'es', kor: 'ko', chs: 'zh-Hans', cht: 'zh-Hant',
  ptb: 'pt-BR', ptg: 'pt-PT', nld: 'nl', sve: 'sv', nor: 'nb', dan: 'da', fin: 'fi', rus: 'ru', plk: 'pl', csy: 'cs',
  hun: 'hu', trk: 'tr', ell: 'el', heb: 'he', ara: 'ar',
};

/** Installer language from the file name's language code (`-jpn` → ja). */
export function languageFromFileName(name: string): string | undefined {
  const m = /[-_.](jpn|enu|eng|deu|fra|ita|esn|kor|chs|cht|ptb|ptg|nld|sve|nor|dan|fin|rus|plk|csy|hun|trk|ell|heb|ara)(?=[-_.]|$)/i.exec(name);
  return m ? LANGUAGE_CODES[m[1]!.toLowerCase()] : undefined;
}

/** Processor architecture from the file name (`-x86-` → x86; `amd64` is x64). */
export function architectureFromFileName(name: string): 'x86' | 'x64' | 'ia64' | 'arm64' | undefined {
  const m = /(?:^|[-_.])(x86|x64|amd64|ia64|arm64)(?=[-_.]|$)/i.exec(name);
  if (!m) return undefined;
  const arch = m[1]!.toLowerCase();
  return arch === 'amd64' ? 'x64' : (arch as 'x86' | 'x64' | 'ia64' | 'arm64');
}

function paragraphs(items: LegacyItem[]): string {
  return items.map((i) => i.text).join('\n\n');
}

function sentences(text: string): string[] {
  return text.match(/[^。]+(?:。|$)/g)?.map((s) => s.trim()).filter((s) => s !== '') ?? [];
}

interface RawFile {
  folder?: string;
  name: string;
  date: string;
  version: string | null;
  size: number;
  description?: string;
  installer_helper?: boolean;
  note?: string;
}

interface RawPackage {
  label: string;
  file_name?: string;
  date?: string;
  version?: string | null;
  size?: number;
  files: RawFile[];
  line: number;
}

/**
 * Imports one legacy page. Facts the page does not carry (publication date, severity,
 * CVEs, revision history) are left out: the CLI merges the page into the bulletin of the
 * same id that is already in the content folder (e.g. imported from Microsoft's archive)
 * and refuses the page when a required fact is still missing.
 */
export function legacyToBulletin(text: string, input: string): ImportOutcome {
  const r = new ReportBuilder(input, 'legacy');
  const all = sections(legacyItems(text));
  const head = all[0];
  if (!head) return r.fail('the page is empty: expected a first cell such as "MS03-046/829436 |"');
  const idMatch = /^([A-Z]{2,8}\d{2}-\d{3,4})(?:\s*\/\s*(?:KB)?(\d{4,8}))?$/i.exec(head.heading.normalize('NFKC').trim());
  if (!idMatch) {
    return r.fail(`line ${head.line}: the page does not start with a bulletin id cell such as "MS03-046/829436 |" (found ${JSON.stringify(head.heading.slice(0, 60))})`);
  }
  const id = idMatch[1]!.toUpperCase();
  r.report.id = id;
  const facts: Record<string, unknown> = { id };
  const front: Record<string, unknown> = { id, lang: 'ja' };
  const body: string[] = [];
  r.found('id');
  if (/^MS\d{2}-/.test(id)) {
    // MSyy-nnn is Microsoft's bulletin numbering; the vendor page republishes it.
    facts.vendor = 'Microsoft';
    r.found('vendor');
  } else {
    r.warn(`vendor: ${id} is not a Microsoft bulletin id (MSyy-nnn) and the page names no vendor`);
  }
  if (idMatch[2]) {
    facts.kb = [Number(idMatch[2])];
    r.found('kb');
  }
  const [titleItem, subtitleItem, ...restHead] = head.items;
  if (titleItem) {
    front.title = titleItem.text;
    r.found('title');
  }
  if (subtitleItem) {
    front.subtitle = subtitleItem.text;
    r.found('subtitle');
  }
  if (restHead.length > 0) body.push(paragraphs(restHead));

  const affected: Array<{ id: string; product: string; family?: string; service_pack?: string; label: string }> = [];
  const packages: RawPackage[] = [];
  const registry = new Map<string, Array<{ hive: string; path: string }>>();
  const urls = new Map<string, string>();
  const consoles = new Map<string, { tool: string; view: { ja: string }; tab: string; name: string }>();
  let deployment: { tool: string; consoles?: number; rows: Map<string, Array<{ machines: number; minutes: number }>> } | undefined;
  const verification: Record<string, unknown> = {};
  let mentionsJapanese = false;

  const platformOf = (label: string): string | undefined => {
    const normal = label.normalize('NFKC').replace(/\s+/g, ' ').trim();
    return affected.find((a) => a.label === normal)?.id;
  };

  for (const section of all.slice(1)) {
    const heading = section.heading.normalize('NFKC').trim();
    const items = section.items;
    if (heading === '対応策') {
      front.action = paragraphs(items);
      r.found('action');
      const urgency = urgencyFromAction(String(front.action));
      if (urgency) {
        facts.urgency = urgency;
        r.found('urgency');
      } else r.warn(`line ${section.line}: 対応策 "${front.action}" names no urgency (至急, できるだけ早く, …)`);
    } else if (heading === '概要') {
      front.summary = paragraphs(items);
      r.found('summary');
    } else if (/からのコメント$/.test(heading)) {
      front.comment_by = heading.replace(/\s*からのコメント$/, '');
      front.comment = paragraphs(items);
      r.found('comment');
    } else if (heading === '対象プラットフォーム') {
      const start = items.findIndex((i) => i.cell && /影響を受けるソフトウェア/.test(i.text));
      const intro = start >= 0 ? items.slice(0, start) : items;
      if (intro.length > 0) body.push(`## ${section.heading}\n\n${paragraphs(intro)}`);
      if (start >= 0) {
        const cells = items.slice(start + 1).filter((i) => i.cell);
        const pairs = cells[0] && /対象プラットフォーム/.test(cells[0].text) ? cells.slice(1) : cells;
        for (let i = 0; i + 1 < pairs.length; i += 2) {
          const software = pairs[i]!.text.normalize('NFKC').replace(/\s+/g, ' ').trim();
          const platform = pairs[i + 1]!.text.normalize('NFKC').replace(/\s+/g, ' ').trim();
          const servicePack = platform.startsWith(software) ? splitServicePack(`x ${platform.slice(software.length)}`).servicePack : splitServicePack(platform).servicePack;
          const key = productKey(software, servicePack) ?? `product-${affected.length + 1}`;
          const family = productFamily(software);
          affected.push({ id: key, product: software, ...(family ? { family } : {}), ...(servicePack ? { service_pack: servicePack } : {}), label: platform });
        }
        if (pairs.length % 2 === 1) r.warn(`line ${section.line}: the 対象プラットフォーム table has an odd number of cells; the last one was skipped`);
      }
    } else if (heading === '適用されるファイル情報') {
      parseFiles(section, packages, body, r);
    } else if (heading === '確認方法') {
      let label: string | undefined;
      const rest: string[] = [];
      for (const item of items) {
        const bullet = BULLET.exec(item.text);
        if (bullet) {
          label = bullet[1]!.normalize('NFKC').trim();
          continue;
        }
        const key = /^(HKEY_[A-Z_]+|HKLM|HKCU|HKCR|HKU)\\(.+)$/.exec(item.text.trim());
        if (key && label) {
          registry.set(label, [...(registry.get(label) ?? []), { hive: key[1]!, path: key[2]!.replace(/\s*\\\s*/g, '\\').trim() }]);
          continue;
        }
        for (const sentence of sentences(item.text)) {
          if (/アイコン|ステータス|コンソール|上で/.test(sentence) && !verification.console_check) verification.console_check = { ja: sentence };
          else if (/ファイル/.test(sentence) && !verification.file_check) verification.file_check = { ja: sentence };
          else if (!/レジストリ/.test(sentence)) rest.push(sentence);
        }
      }
      if (rest.length > 0) body.push(`## ${section.heading}\n\n${rest.join('')}`);
    } else if (heading === '修正プログラム') {
      let label: string | undefined;
      const rest: LegacyItem[] = [];
      for (const item of items) {
        const bullet = BULLET.exec(item.text);
        if (bullet) label = bullet[1]!.normalize('NFKC').trim();
        else if (/^https?:\/\/\S+$/.test(item.text.trim()) && label) urls.set(label, item.text.trim());
        else rest.push(item);
        if (/\[日本語\]|日本語版/.test(item.text)) mentionsJapanese = true;
      }
      if (rest.length > 0) body.push(`## ${section.heading}\n\n${paragraphs(rest)}`);
    } else if (/による予想適用時間$/.test(heading)) {
      deployment = { tool: heading.replace(/\s*による予想適用時間$/, ''), rows: new Map() };
      const cells = items.filter((i) => i.cell);
      const headerStart = cells.findIndex((c) => /修正プログラム名|ファイル名/.test(c.text));
      const machines: number[] = [];
      let i = headerStart + 1;
      while (headerStart >= 0 && i < cells.length) {
        const m = /^(\d[\d,]*)\s*台$/.exec(cells[i]!.text.normalize('NFKC').trim());
        if (!m) break;
        machines.push(Number(m[1]!.replaceAll(',', '')));
        i++;
      }
      while (machines.length > 0 && i < cells.length && !/。$/.test(cells[i]!.text)) {
        const name = cells[i]!.text.replace(/\s*[(（].*$/, '').trim();
        const durations = cells.slice(i + 1, i + 1 + machines.length).map((c) => parseMinutes(c.text));
        if (durations.length < machines.length || durations.some((d) => d === undefined)) {
          r.warn(`line ${cells[i]!.line}: the deployment-time row for ${name} has a duration that is not "N分" or "N時間N分"; it stays in the body`);
          break;
        }
        deployment.rows.set(name, machines.map((m, k) => ({ machines: m, minutes: durations[k]! })));
        i += 1 + machines.length;
      }
      const prose = items.filter((it) => !it.cell || (it.cell && !cells.slice(0, i).includes(it)));
      const note = prose.filter((it) => /。$/.test(it.text)).map((it) => it.text).join('\n\n');
      if (note) {
        facts.deployment_note = { ja: note };
        const consolesMatch = /(\d+)\s*コンソール/.exec(note.normalize('NFKC'));
        if (consolesMatch) deployment.consoles = Number(consolesMatch[1]);
      }
    } else if (/上の表示$/.test(heading)) {
      const tool = heading.replace(/\s*上の表示$/, '');
      let label: string | undefined;
      for (const item of items) {
        const bullet = BULLET.exec(item.text);
        if (bullet) {
          label = bullet[1]!.normalize('NFKC').trim();
          continue;
        }
        const m = /\[(.+?)\]\s*[−\-―ー–—－]\s*\[(.+?)\]\s*タブ\s*に\s*「\s*名前\s*[:：]\s*(.+?)\s*」/.exec(item.text);
        if (m && label) consoles.set(label, { tool, view: { ja: m[1]! }, tab: m[2]!, name: m[3]! });
        else body.push(`## ${section.heading}\n\n${item.text}`);
      }
    } else {
      body.push(`## ${section.heading}\n\n${paragraphs(items)}`);
      r.bodyOnly(section.heading, 'section not known to the legacy importer');
    }
  }

  // Facts.
  const impact = impactFromText(`${front.title ?? ''} ${front.subtitle ?? ''}`) ?? impactFromText(String(front.summary ?? ''));
  if (impact) {
    facts.impact = impact;
    r.found('impact');
    r.warn(`impact: the page has no impact field; "${impact}" is read from the wording of its title/summary`);
  }
  if (affected.length > 0) {
    facts.affected = affected.map(({ label: _label, ...a }) => a);
    r.found('affected');
    r.count('affected', affected.length);
  }

  const builtPackages: Record<string, unknown>[] = [];
  for (const pkg of packages) {
    const platform = platformOf(pkg.label);
    const problems: string[] = [];
    if (!platform) problems.push(`"${pkg.label}" is not one of the 対象プラットフォーム`);
    if (!pkg.file_name || pkg.size === undefined || !pkg.date || pkg.version === undefined) problems.push('no installer row (ファイル名, 日付, バージョン, サイズ)');
    const url = urls.get(pkg.label);
    if (!url) problems.push('no download URL under 修正プログラム');
    const language = pkg.file_name ? (languageFromFileName(pkg.file_name) ?? (mentionsJapanese ? 'ja' : undefined)) : undefined;
    if (!language) problems.push('the installer language is neither in the file name (-jpn, -enu, …) nor named by the page');
    const architecture = pkg.file_name ? architectureFromFileName(pkg.file_name) : undefined;
    if (!architecture) problems.push('the file name names no processor architecture (x86, x64, ia64)');
    if (problems.length > 0) {
      r.warn(`line ${pkg.line}: package for ${pkg.label}: ${problems.join('; ')}; its table stays in the body`);
      body.push(filesMarkdown(pkg));
      r.bodyOnly('packages', 'a package lacks a fact the model requires');
      continue;
    }
    const out: Record<string, unknown> = {
      platform,
      file_name: pkg.file_name,
      language,
      architecture,
      date: pkg.date,
      version: pkg.version,
      size: pkg.size,
      url,
    };
    if (pkg.files.length > 0) out.files = pkg.files;
    const keys = registry.get(pkg.label);
    if (keys?.length) out.registry_keys = keys;
    const console = consoles.get(pkg.label);
    if (console) out.console = console;
    const rows = deployment?.rows.get(pkg.file_name!);
    if (deployment && rows) {
      if (deployment.consoles) out.deployment = { tool: deployment.tool, consoles: deployment.consoles, estimates: rows };
      else r.warn('deployment: the estimate table does not say how many consoles were used ("1コンソール"); estimates stay in the note');
    }
    builtPackages.push(out);
    r.count('files', pkg.files.length);
    r.count('registry_keys', keys?.length ?? 0);
  }
  for (const label of registry.keys()) if (!packages.some((p) => p.label === label)) r.warn(`registry key for "${label}" matches no package`);
  if (builtPackages.length > 0) {
    facts.packages = builtPackages;
    r.found('packages');
    r.count('packages', builtPackages.length);
    if (builtPackages.some((p) => (p.files as unknown[] | undefined)?.length)) r.found('files');
    if (builtPackages.some((p) => (p.registry_keys as unknown[] | undefined)?.length)) r.found('registry_keys');
    if (builtPackages.some((p) => p.console)) r.found('console');
    if (builtPackages.some((p) => p.deployment)) r.found('deployment');
  }
  if (Object.keys(verification).length > 0) {
    facts.verification = verification;
    r.found('verification');
  }
  if (facts.deployment_note) r.found('deployment_note');
  facts.sources = [{ title: `${deployment?.tool ?? consoles.values().next().value?.tool ?? 'Vendor'} ${head.heading.trim()} remediation page (Japanese)` }];

  for (const [field, message] of [
    ['title', 'the page has no title cell after the id'],
    ['summary', 'the page has no 概要 section'],
    ['action', 'the page has no 対応策 section'],
  ] as const) {
    if (!front[field]) return r.fail(`${field}: ${message}`);
  }
  for (const field of ['published', 'severity', 'cves', 'revision_history']) {
    r.bodyOnly(field, 'not on vendor pages of this kind: merged from the bulletin already in the content folder, if any');
  }
  return {
    bulletin: { id, facts, ja: { frontmatter: front, body: body.join('\n\n') }, source: 'legacy', from: input },
    report: r.report,
  };
}

/** Reads the 適用されるファイル情報 section: per platform, an installer row and installed files. */
function parseFiles(section: Section, packages: RawPackage[], body: string[], r: ReportBuilder): void {
  let pkg: RawPackage | undefined;
  let header: string[] = [];
  let folder: string | undefined;
  const intro: string[] = [];
  const items = section.items;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const text = item.text.normalize('NFKC').trim();
    const bullet = BULLET.exec(item.text);
    if (bullet) {
      pkg = { label: bullet[1]!.normalize('NFKC').replace(/\s+/g, ' ').trim(), files: [], line: item.line };
      packages.push(pkg);
      header = [];
      folder = undefined;
      continue;
    }
    if (!pkg) {
      intro.push(item.text);
      continue;
    }
    if (item.cell && HEADER_WORDS.has(text)) {
      if (text === 'ファイル名') header = [];
      header.push(text);
      continue;
    }
    if (!item.cell) {
      if (/^[(（]注意[)）]|^注意|^※/.test(text)) applyNote(pkg, item.text, r);
      else intro.push(item.text);
      continue;
    }
    // A data row. Files tables (with 機能) may start with 展開ファイル and the folder.
    const cells = items.slice(i, i + 8).map((c) => c.text.normalize('NFKC').replace(/\s+/g, ' ').trim());
    let k = 0;
    let rowFolder: string | undefined;
    if (cells[0] === '展開ファイル') k++;
    if (cells[k + 1] !== undefined && parseDateCell(cells[k + 1]!) === undefined && cells[k + 2] !== undefined && parseDateCell(cells[k + 2]!) !== undefined) {
      rowFolder = cells[k];
      k++;
    }
    const [name, dateText, versionText, sizeText] = cells.slice(k, k + 4);
    const date = dateText !== undefined ? parseDateCell(dateText) : undefined;
    const version = versionText !== undefined ? parseVersionCell(versionText) : undefined;
    const size = sizeText !== undefined ? parseByteSize(sizeText) : undefined;
    if (!name || !FILE_NAME.test(name) || !date || version === undefined || size === undefined) {
      if (/注意|※/.test(text)) applyNote(pkg, item.text, r);
      else {
        r.warn(`line ${item.line}: cell ${JSON.stringify(item.text.slice(0, 60))} is not part of a file row (name, date, version, size); kept in the body`);
        intro.push(item.text);
      }
      continue;
    }
    const withDescription = header.includes('機能') || header.includes('説明');
    if (!withDescription && !pkg.file_name) {
      pkg.file_name = name;
      pkg.date = date;
      pkg.version = version;
      pkg.size = size;
      i += k + 3;
      continue;
    }
    if (rowFolder) folder = rowFolder;
    const description = withDescription ? cells[k + 4] : undefined;
    if (!folder) {
      r.warn(`line ${item.line}: ${name} has no folder (展開ファイル) before it; the file stays in the body`);
      intro.push(`${name} | ${dateText} | ${versionText} | ${sizeText}`);
    } else {
      pkg.files.push({ folder, name, date, version, size, ...(description ? { description } : {}) });
    }
    i += k + 3 + (withDescription ? 1 : 0);
  }
  if (intro.length > 0) body.push(`## ${section.heading}\n\n${intro.join('\n\n')}`);
}

/** A note under a files table: installer helpers named in it are flagged and carry the note. */
function applyNote(pkg: RawPackage, text: string, r: ReportBuilder): void {
  const clean = text.replace(/^[(（]\s*注意\s*[)）]\s*|^注意\s*[:：]?\s*|^※\s*/, '').trim();
  const named = pkg.files.filter((f) => clean.includes(f.name));
  if (named.length === 0) {
    r.warn(`note ${JSON.stringify(clean.slice(0, 40))} names none of the files; kept in the body`);
    return;
  }
  // "spmsg.dllとspuninst.exeは、…": the subject is the file list; the note is the rest.
  const note = clean.replace(/^[^、]*は、/, '').trim();
  const helper = /インストール\s*[/／・]\s*アンインストール|インストーラ|アンインストール/.test(clean);
  for (const file of named) {
    file.note = note;
    if (helper) file.installer_helper = true;
  }
}

function filesMarkdown(pkg: RawPackage): string {
  const rows = [`### ${pkg.label}`, ''];
  if (pkg.file_name) rows.push(`- ${pkg.file_name} (${pkg.date ?? '?'}, ${pkg.version ?? '−'}, ${pkg.size ?? '?'} bytes)`);
  for (const f of pkg.files) rows.push(`- ${f.folder ?? ''}\\${f.name} (${f.date}, ${f.version ?? '−'}, ${f.size} bytes)${f.description ? `: ${f.description}` : ''}`);
  return rows.join('\n');
}
