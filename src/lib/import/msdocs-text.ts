/**
 * Prose of a Microsoft Docs bulletin: the summary paragraphs, the problem description and
 * the FAQ answers that say what an attacker can do.
 */
import { headings, plainText, type Label } from './markdown.ts';

/** The first paragraphs under 問題 / 技術的な説明 (how the 1999–2002 bulletins describe the flaw). */
export function problemParagraphs(lines: readonly string[], heads: ReturnType<typeof headings>): string[] {
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
export function scopeAnswers(lines: readonly string[]): string[] {
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



/** Paragraphs that are boilerplate, not a summary of this bulletin. */
const BOILERPLATE = /^(?:マイクロソフトは上記のソフトウェアのテストを行い|上記のソフトウェアのテストを行い|このセキュリティ情報の対象となるユーザー|推奨(?:する|される)対応策|詳細情報は|詳細については|このセキュリティ情報の後半の)/;

/**
 * One or two paragraphs that say what is wrong: 要点 (2005–2008), a 概要 that starts with
 * prose (1999–2002, 2009–2014), else the technical description (技術的な説明, 問題).
 */
export function summaryOf(lines: readonly string[], heads: ReturnType<typeof headings>, labelList: Label[], from: number): string | undefined {
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
