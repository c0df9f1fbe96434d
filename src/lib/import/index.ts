/**
 * Importers: vendor bulletin pages ("legacy") and Microsoft Docs bulletin Markdown
 * ("msdocs") to bulletin content. Everything here is pure: bytes or text in, data out;
 * `src/cli/import.ts` reads and writes the files.
 */
import { DecodeError, decodeVendorText } from './decode.ts';
import { legacyToBulletin } from './legacy.ts';
import { msdocsToBulletin } from './msdocs.ts';
import type { ImportSource } from './serialize.ts';
import type { ImportOutcome } from './types.ts';

export { decodeVendorText, DecodeError, type DecodedText, type TextEncoding } from './decode.ts';
export { findCves, findDate, parseByteSize, parseDateCell, parseMinutes, parseVersionCell } from './numbers.ts';
export { impactFromText, productFamily, productKey, severityFromText, splitServicePack, urgencyFromAction, urgencyFromSeverity } from './classify.ts';
export { legacyToBulletin } from './legacy.ts';
export { msdocsFileRows, msdocsRegistryKeys, msdocsToBulletin, type FileRow } from './msdocs.ts';
export { mergeFacts, mergeText } from './merge.ts';
export { bulletinMarkdown, bulletinYaml, readImportStamp, type ImportSource } from './serialize.ts';
export type { ImportedBulletin, ImportedText, ImportOutcome, ImportReport } from './types.ts';

/**
 * Decodes and converts one input file. Never throws for any input: unreadable bytes and
 * converter bugs both come back as a failed report with the reason.
 */
export function importBytes(kind: ImportSource, bytes: Uint8Array, input: string): ImportOutcome {
  const fail = (error: string): ImportOutcome => ({
    report: { input, importer: kind, status: 'failed', found: [], body_only: [], counts: {}, warnings: [], error },
  });
  let text: string;
  try {
    text = decodeVendorText(bytes).text;
  } catch (error) {
    return fail(error instanceof DecodeError ? error.message : `cannot decode the file (${String(error)})`);
  }
  try {
    return kind === 'legacy' ? legacyToBulletin(text, input) : msdocsToBulletin(text, input);
  } catch (error) {
    return fail(`internal error while converting (please report it): ${(error as Error).stack ?? String(error)}`);
  }
}
