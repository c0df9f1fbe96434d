/**
 * Checks that need more than one field or more than one file: unique ids, references
 * that resolve, dates in order, translations present. Each rule has a stable code.
 */
import { LANGS, type Bulletin, type Lang } from '../../schemas/index.ts';
import { fieldPath, type Diagnostic, type DiagnosticCode, type Severity } from './diagnostics.ts';
import type { Locator } from './parse-source.ts';

type Locators = Map<string, { facts: Locator; text: Partial<Record<Lang, Locator>>; files?: readonly Lang[] }>;

/**
 * Compares dotted revision numbers numerically ("1.10" after "1.9"). A revision without a
 * number (sources that list dates only) compares equal, so callers order those by date.
 */
export function compareRevision(a: string | undefined, b: string | undefined): number {
  if (a === undefined || b === undefined) return 0;
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Resolves a printed field path (`packages[1].registry_keys[0].path`) against data. */
export function resolveFieldPath(data: unknown, printed: string): { found: boolean; path: PropertyKey[] } {
  const path: PropertyKey[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]/g;
  for (const match of printed.matchAll(re)) path.push(match[2] !== undefined ? Number(match[2]) : match[1]!);
  let current: any = data;
  for (const part of path) {
    if (current === null || typeof current !== 'object' || !(part in current)) return { found: false, path };
    current = current[part as any];
  }
  return { found: path.length > 0, path };
}

export function crossCheck(bulletins: readonly Bulletin[], locators: Locators, displayPath: (relative: string) => string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const byId = new Map<string, Bulletin[]>();
  for (const b of bulletins) byId.set(b.id, [...(byId.get(b.id) ?? []), b]);

  for (const b of bulletins) {
    const file = displayPath(b.file);
    const at = (path: PropertyKey[], severity: Severity, code: DiagnosticCode, message: string) => {
      const { line, column } = locators.get(b.id)?.facts.at(path) ?? { line: 1, column: 1 };
      out.push({ file, line, column, severity, code, field: fieldPath(path), message });
    };

    const same = byId.get(b.id)!;
    if (same.length > 1) {
      const others = same.filter((o) => o !== b).map((o) => displayPath(o.file));
      at(['id'], 'error', 'DUPLICATE_ID', `id ${b.id} is also declared in ${others.join(', ')}: each bulletin has one folder`);
    }

    for (const field of ['related', 'supersedes', 'superseded_by'] as const) {
      b[field].forEach((id, i) => {
        if (id === b.id) at([field, i], 'error', 'UNRESOLVED_REFERENCE', `${b.id} cannot name itself in ${field}`);
        else if (!byId.has(id)) at([field, i], 'error', 'UNRESOLVED_REFERENCE', `${id} is not a bulletin in this content folder: add it, or fix the id`);
      });
    }

    const productIds = new Map<string, number>();
    b.affected.forEach((product, i) => {
      if (productIds.has(product.id)) {
        at(['affected', i, 'id'], 'error', 'DUPLICATE_KEY', `affected product id "${product.id}" is already used by affected[${productIds.get(product.id)}]: make each id unique`);
      } else productIds.set(product.id, i);
    });
    b.affected.forEach((product, i) => {
      product.downloads.forEach((download, j) => {
        if (download.url.startsWith('http:')) {
          at(['affected', i, 'downloads', j, 'url'], 'warning', 'INSECURE_URL', 'the download URL uses http: readers may be served a tampered file; prefer the https address if the vendor has one');
        }
      });
    });
    b.packages.forEach((pkg, i) => {
      if (!productIds.has(pkg.platform)) {
        at(['packages', i, 'platform'], 'error', 'UNKNOWN_PLATFORM', `platform "${pkg.platform}" is not an affected product id: use one of ${[...productIds.keys()].join(', ')}`);
      }
      if (pkg.url.startsWith('http:')) {
        at(['packages', i, 'url'], 'warning', 'INSECURE_URL', 'the download URL uses http: readers may be served a tampered package; prefer the https address if the vendor has one');
      }
    });

    if (b.modified && b.modified < b.published) {
      at(['modified'], 'error', 'DATE_ORDER', `modified (${b.modified}) is before published (${b.published}): fix one of the dates`);
    }
    if (b.withdrawn && b.withdrawn < b.published) {
      at(['withdrawn'], 'error', 'DATE_ORDER', `withdrawn (${b.withdrawn}) is before published (${b.published})`);
    }
    b.revision_history.forEach((rev, i) => {
      const prev = b.revision_history[i - 1];
      const name = (r: typeof rev) => (r.version === undefined ? `the revision of ${r.date}` : `revision ${r.version} (${r.date})`);
      // Numbers are compared only where both revisions have one: Japanese editions list dates only.
      const numbersBackwards = prev?.version !== undefined && rev.version !== undefined && compareRevision(rev.version, prev.version) <= 0;
      if (prev && (numbersBackwards || rev.date < prev.date)) {
        at(['revision_history', i], 'error', 'REVISION_ORDER', `${name(rev)} comes after ${name(prev)}: list revisions oldest first with rising numbers and dates`);
      }
      if (b.modified && rev.date > b.modified) {
        at(['revision_history', i, 'date'], 'error', 'DATE_ORDER', `${name(rev)} is dated after modified (${b.modified}): set modified to the latest revision date`);
      }
      if (rev.date < b.published) {
        at(['revision_history', i, 'date'], 'error', 'DATE_ORDER', `${name(rev)} is dated before published (${b.published})`);
      }
    });

    b.discrepancies.forEach((d, i) => {
      if (!resolveFieldPath(b, d.field).found) {
        at(['discrepancies', i, 'field'], 'error', 'DISCREPANCY_FIELD', `"${d.field}" is not a field of this bulletin: write the path as kb check prints it, e.g. packages[0].registry_keys[0].path`);
      }
    });

    const present = LANGS.filter((lang) => b.text[lang]);
    // A language whose file exists but failed to parse already has its own error; saying
    // the translation is missing as well would send the reader to write it again.
    const written = locators.get(b.id)?.files ?? present;
    if (written.length === 0) {
      at([], 'error', 'TEXT_MISSING', `${b.id} has no text: add ${LANGS.map((l) => `${l}.md`).join(' or ')} next to bulletin.yaml`);
    } else {
      for (const lang of LANGS) {
        if (!written.includes(lang)) {
          at([], 'warning', 'TRANSLATION_MISSING', `no ${lang}.md: the ${lang} page shows the ${present[0] ?? written[0]} text with a notice until a translation is added`);
        }
      }
    }
  }
  return out;
}
