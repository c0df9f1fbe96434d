/**
 * Turns the bytes of a vendor page into text. Pages saved on Japanese Windows are often
 * Shift_JIS (CP932) or EUC-JP rather than UTF-8, and nothing in a scraped text page says
 * which, so the encoding is detected from the bytes: a BOM wins, then strict UTF-8, then
 * whichever of CP932 and EUC-JP reads the bytes without invalid sequences.
 */
import iconv from 'iconv-lite';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'cp932' | 'euc-jp';

export interface DecodedText {
  text: string;
  encoding: TextEncoding;
  /** True when the file started with a byte-order mark. */
  bom: boolean;
}

/** Why bytes could not be read as text. */
export class DecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecodeError';
  }
}

/** Counts byte sequences that are not valid CP932 (Shift_JIS with Microsoft's extensions). */
export function invalidCp932Sequences(bytes: Uint8Array): number {
  let invalid = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b < 0x80 || (b >= 0xa1 && b <= 0xdf)) continue; // ASCII, half-width katakana
    if ((b >= 0x81 && b <= 0x9f) || (b >= 0xe0 && b <= 0xfc)) {
      const t = bytes[i + 1];
      if (t !== undefined && ((t >= 0x40 && t <= 0x7e) || (t >= 0x80 && t <= 0xfc))) {
        i++;
        continue;
      }
    }
    invalid++;
  }
  return invalid;
}

/** Counts byte sequences that are not valid EUC-JP. */
export function invalidEucJpSequences(bytes: Uint8Array): number {
  let invalid = 0;
  const trail = (t: number | undefined) => t !== undefined && t >= 0xa1 && t <= 0xfe;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b < 0x80) continue;
    if (b === 0x8e && bytes[i + 1] !== undefined && bytes[i + 1]! >= 0xa1 && bytes[i + 1]! <= 0xdf) {
      i++; // SS2: half-width katakana
      continue;
    }
    if (b === 0x8f && trail(bytes[i + 1]) && trail(bytes[i + 2])) {
      i += 2; // SS3: JIS X 0212
      continue;
    }
    if (b >= 0xa1 && b <= 0xfe && trail(bytes[i + 1])) {
      i++;
      continue;
    }
    invalid++;
  }
  return invalid;
}

/**
 * Decodes a vendor page. Throws `DecodeError` (with the reason) when the bytes are not
 * text in any of the supported encodings; a binary file is refused, not turned into
 * mojibake.
 */
export function decodeVendorText(bytes: Uint8Array): DecodedText {
  if (bytes.length === 0) throw new DecodeError('the file is empty');
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: strictUtf8(bytes.subarray(3), 'the file starts with a UTF-8 byte-order mark but is not valid UTF-8'), encoding: 'utf-8', bom: true };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: checked(iconv.decode(Buffer.from(bytes.subarray(2)), 'utf-16le')), encoding: 'utf-16le', bom: true };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: checked(iconv.decode(Buffer.from(bytes.subarray(2)), 'utf-16be')), encoding: 'utf-16be', bom: true };
  // NUL bytes do not occur in any of the byte-oriented encodings' text.
  if (bytes.includes(0)) throw new DecodeError('the file contains NUL bytes: it is binary, not a text page');
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8', bom: false };
  } catch {
    /* not UTF-8: try the Japanese legacy encodings */
  }
  const sjis = invalidCp932Sequences(bytes);
  const euc = invalidEucJpSequences(bytes);
  if (sjis > 0 && euc > 0) {
    throw new DecodeError(
      `the bytes are not valid UTF-8, Shift_JIS (CP932) or EUC-JP (${sjis} invalid Shift_JIS and ${euc} invalid EUC-JP sequences): convert the page to UTF-8, or check that it is a text page`,
    );
  }
  // Both can be valid for short or katakana-heavy text; EUC-JP's two-byte range is a
  // subset of CP932's lead/trail ranges, so prefer EUC-JP only when CP932 is invalid or
  // when the text decodes to more kana/kanji as EUC-JP.
  let encoding: TextEncoding;
  if (sjis === 0 && euc === 0) encoding = japaneseScore(iconv.decode(Buffer.from(bytes), 'euc-jp')) > japaneseScore(iconv.decode(Buffer.from(bytes), 'cp932')) ? 'euc-jp' : 'cp932';
  else encoding = sjis === 0 ? 'cp932' : 'euc-jp';
  return { text: checked(iconv.decode(Buffer.from(bytes), encoding)), encoding, bom: false };
}

function strictUtf8(bytes: Uint8Array, message: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new DecodeError(message);
  }
}

function checked(text: string): string {
  if (text.includes('\uFFFD')) throw new DecodeError('the bytes contain sequences that are not characters in the detected encoding');
  return text;
}

/** Share of characters that are common Japanese (hiragana, katakana, CJK ideographs, punctuation). */
function japaneseScore(text: string): number {
  let score = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if ((c >= 0x3040 && c <= 0x30ff) || (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3000 && c <= 0x303f) || (c >= 0xff01 && c <= 0xff5e)) score++;
  }
  return score / Math.max(1, text.length);
}
