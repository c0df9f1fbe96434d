/**
 * Mapping rules from vendor wording to the model's closed vocabularies (severity, impact,
 * urgency) and product keys. Each rule reads only what the source says; the README's
 * "Importers" section lists them.
 */
import type { Severity } from '../../../schemas/common.ts';
import type { IMPACTS, URGENCIES } from '../../../schemas/bulletin.ts';

export type Impact = (typeof IMPACTS)[number];
export type Urgency = (typeof URGENCIES)[number];

const SEVERITY_WORDS: Array<[RegExp, Severity]> = [
  [/緊急|\bcritical\b/i, 'critical'],
  [/重要|\bimportant\b/i, 'important'],
  [/警告|\bmoderate\b/i, 'moderate'],
  [/注意|\blow\b/i, 'low'],
];

/** Severity named in a short label (`緊急`, `**重要**`, `Critical`); undefined when none or several. */
export function severityFromText(text: string): Severity | undefined {
  const found = SEVERITY_WORDS.filter(([re]) => re.test(text)).map(([, s]) => s);
  return found.length === 1 ? found[0] : undefined;
}

const SEVERITY_RANK: Record<Severity, number> = { low: 0, moderate: 1, important: 2, critical: 3 };

/** The higher of two severities. */
export function maxSeverity(a: Severity | undefined, b: Severity | undefined): Severity | undefined {
  if (!a) return b;
  if (!b) return a;
  return SEVERITY_RANK[a] >= SEVERITY_RANK[b] ? a : b;
}

/**
 * Urgency from severity, Microsoft's own advice per rating: critical → apply immediately,
 * important → at the earliest opportunity, moderate → plan it in, low → consider it.
 */
export function urgencyFromSeverity(severity: Severity): Urgency {
  return ({ critical: 'immediate', important: 'high', moderate: 'normal', low: 'low' } as const)[severity];
}

/** Urgency from a vendor's recommendation ("至急", "直ちに" → immediate, …); undefined when it says none. */
export function urgencyFromAction(text: string): Urgency | undefined {
  if (/至急|直ちに|ただちに|すぐに|即座に|緊急に|immediately/i.test(text)) return 'immediate';
  if (/できる限り早|できるだけ早|早期に|早急に|速やかに|as soon as|at the earliest/i.test(text)) return 'high';
  if (/計画的|次回の|定期|\bplan\b/i.test(text)) return 'normal';
  if (/検討|必要に応じ|\bconsider\b/i.test(text)) return 'low';
  return undefined;
}

/**
 * Impact wording, most serious first: when a text names several, the first one listed
 * wins. The first patterns of each line are Microsoft's own impact names (脆弱性の影響);
 * the rest are how the 1999–2002 bulletins describe the same outcomes in prose.
 */
const IMPACT_WORDS: Array<[RegExp, Impact]> = [
  [/リモートでコードが実行|リモートでのコードの実行|コードが実行され|コードがサーバーで実行|コードを実行|コードの実行|任意のコード|選択したコード|任意の操作を実行|何でも行う|ソフトウ[ェエ]アをインストール|プログラムを実行|コマンドを実行|コマンドが実行|スクリプトを実行|スクリプトが実行|システムを制御|制御される|システムが侵害|remote code execution/i, 'remote-code-execution'],
  [/特権の昇格|特権が昇格|特権を昇格|権限の昇格|権限が昇格|権限を昇格|権限を高|特権を取得|管理者権限を取得|権限を取得|権限を追加|elevation of privilege/i, 'elevation-of-privilege'],
  [/セキュリティ機能のバイパス|セキュリティ機能が回避|セキュリティ機能の回避|認証回避|アクセス制御をバイパス|制限をバイパス|制限が正しく機能しない|パスワードを使用することなく|ロックアウト|保護が著しく侵害|ソース ?ルーティングを実行|保護が弱くなる|警告なしで|警告なしに|security feature bypass/i, 'security-feature-bypass'],
  [/情報漏え|情報の漏え|情報漏洩|情報の漏洩|情報が漏|情報を漏|情報の公開|ファイルを読|を読む|を読め|読み取|閲覧|ファイルを見る|ファイルを表示|ソース ?コード(?:が|を)(?:表示|送信|公開|見)|パスワードを知|パスワードを入手|パスワードが記録|情報が誤って提示|プレーンテキスト|ソース ?コード|パスワードが(?:漏|盗|知|取得|解読)|パスワード.{0,20}(?:取得|知られ|盗)|アカウント情報.{0,30}(?:取得|盗|知)|情報が(?:悪質なサーバーによって)?取得|information disclosure/i, 'information-disclosure'],
  [/なりすまし|なりすま|スプーフィング|偽装|偽る|偽って|ように装|spoofing/i, 'spoofing'],
  [/改ざん|削除される|ファイルを作成または変更|tampering/i, 'tampering'],
  [/サービス拒否|サービス妨害|サービスを提供できな|応答しなくな|停止する|停止させ|クラッシュ|リソースを消費|使用できなくな|利用できなくな|不可能にして|denial of service/i, 'denial-of-service'],
];

/** Every impact a text names, most serious first, with the words that named it. */
export function impactEvidence(text: string): Array<{ impact: Impact; words: string }> {
  const out: Array<{ impact: Impact; words: string }> = [];
  for (const [re, impact] of IMPACT_WORDS) {
    const m = re.exec(text);
    if (m) out.push({ impact, words: m[0] });
  }
  return out;
}

/** Every impact a text names, most serious first. */
export function impactsFromText(text: string): Impact[] {
  return impactEvidence(text).map((e) => e.impact);
}

/** The most serious impact a text names. */
export function impactFromText(text: string): Impact | undefined {
  return impactsFromText(text)[0];
}

/** A product name split from a trailing service pack ("Exchange Server 5.5 SP4", "…, Service Pack 2"). */
export function splitServicePack(text: string): { product: string; servicePack?: string } {
  const m = /^(.*?)[\s,、]*(?:\b(?:with\s+)?(?:Service Pack|SP)\s*(\d+[a-z]?)|サービス ?パック ?(\d+[a-z]?))$/i.exec(text.trim());
  if (!m || !m[1]) return { product: text.trim() };
  return { product: m[1].trim(), servicePack: `SP${(m[2] ?? m[3])!.toLowerCase()}` };
}

/** Product name without the vendor prefix the whole archive shares ("Microsoft® Windows XP" → "Windows XP"). */
export function cleanProductName(text: string): string {
  return text
    .replace(/[®™]/g, '')
    .replace(/^\s*Microsoft\s+(?=\S)/i, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Stable lower-case key for an affected product: the ASCII words of its name without
 * "Microsoft" and "Server" (so "Exchange 2000 Server" and "Exchange Server 2000" meet),
 * plus the service pack. Undefined when the name has no ASCII words to key on.
 * @example productKey('Exchange Server 5.5', 'SP4') === 'exchange-5.5-sp4'
 */
export function productKey(product: string, servicePack?: string): string | undefined {
  const words = product
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[®™]/g, '')
    .split(/[^a-z0-9.]+/)
    .map((w) => w.replace(/^\.+|\.+$/g, ''))
    .filter((w) => w !== '');
  const kept = words.filter((w) => w !== 'microsoft' && w !== 'server');
  const base = (kept.length > 0 ? kept : words).join('-');
  if (!/^[a-z0-9]/.test(base)) return undefined;
  return servicePack ? `${base}-${servicePack.toLowerCase().replace(/[^a-z0-9]+/g, '')}` : base;
}

/**
 * Product family for grouping: the words before the version ("Windows XP Professional" →
 * "Windows", "SQL Server 2000" → "SQL Server"), plus a trailing "Server" after the version
 * ("Exchange 2000 Server" → "Exchange Server"). Only for plain ASCII names; undefined when
 * nothing general is left.
 */
export function productFamily(product: string): string | undefined {
  if (!/^[\x20-\x7e]+$/.test(product)) return undefined;
  const words = product.replace(/\s*\(.*$/, '').split(/\s+/).filter((w) => w !== '');
  const isVersion = (w: string) => /\d/.test(w) || /^(?:XP|Vista|NT|Me|RT|SP\d*|R2|Gold|RTM|for|on|with|x64|x86|Itanium)$/i.test(w);
  const first = words.findIndex(isVersion);
  if (first <= 0) return undefined;
  const prefix = words.slice(0, first);
  const rest = words.slice(first).filter((w) => !isVersion(w));
  if (rest.length === 1 && rest[0] === 'Server' && !prefix.includes('Server') && words.slice(first).every((w) => isVersion(w) || w === 'Server')) prefix.push('Server');
  const family = prefix.join(' ');
  return family && family !== product ? family : undefined;
}
