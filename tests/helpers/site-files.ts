/** Listings of a built site's files, for tests that compare or scan every file. */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Every file below `dir`, relative to it with forward slashes, sorted. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const file = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(file);
      else out.push(path.relative(dir, file).split(path.sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

/** Every HTML page below `dir`, as `filesUnder` lists it. */
export function htmlPages(dir: string): string[] {
  return filesUnder(dir).filter((file) => file.endsWith('.html'));
}

/**
 * Every file below `dir`, or below its subfolder `sub`, mapped to the sha256 of its bytes;
 * keys are relative to `dir`. Two trees are the same site byte for byte when their maps are
 * equal.
 */
export function hashTree(dir: string, sub = ''): Record<string, string> {
  const base = path.join(dir, sub);
  const out: Record<string, string> = {};
  // filesUnder's order, so the keys (one prefix before each) are sorted too.
  for (const file of filesUnder(base)) {
    const full = path.join(base, file);
    out[path.relative(dir, full).split(path.sep).join('/')] = createHash('sha256').update(readFileSync(full)).digest('hex');
  }
  return out;
}
