/** Edits a file in place as an author would, for tests that change content between steps. */
import { readFileSync, writeFileSync } from 'node:fs';

/** Replaces `from` with `to` in `file`; throws when nothing matched, so a stale pattern cannot pass silently. */
export function editFile(file: string, from: string | RegExp, to: string): void {
  const text = readFileSync(file, 'utf8');
  const next = text.replace(from, to);
  if (next === text) throw new Error(`edit of ${file} matched nothing: ${from}`);
  writeFileSync(file, next);
}
