/**
 * What an importer hands back for one input file: the bulletin (facts in the model's input
 * form plus the Japanese text) and a fidelity report of what was and was not extracted.
 */
import type { ImportSource } from './serialize.ts';

/** Per-input fidelity report, written by `--report FILE`. */
export interface ImportReport {
  /** Input as the user named it (archive member path for a .tar.xz). */
  input: string;
  importer: ImportSource;
  /** Bulletin id, when the input named one. */
  id?: string;
  /** imported: written; unchanged: already up to date; failed: see `error`. */
  status: 'imported' | 'unchanged' | 'failed';
  /** Model fields filled from the input. */
  found: string[];
  /** Facts the input has that stay as Markdown body text only, with why. */
  body_only: Array<{ field: string; reason: string }>;
  /** Counts of extracted items (files, registry keys, revisions, …), including body-only ones. */
  counts: Record<string, number>;
  warnings: string[];
  /** Why the input was not imported. */
  error?: string;
}

/** One language file of an imported bulletin. */
export interface ImportedText {
  frontmatter: Record<string, unknown>;
  body: string;
}

export interface ImportedBulletin {
  id: string;
  /** Facts in the input form of `BulletinFacts` (what bulletin.yaml holds). */
  facts: Record<string, unknown>;
  /** The archive and the vendor pages are Japanese: only `ja` is produced. */
  ja: ImportedText;
  source: ImportSource;
  /** Input name recorded in the file header. */
  from: string;
}

export interface ImportOutcome {
  bulletin?: ImportedBulletin;
  report: ImportReport;
}

/** Collects a report while a parser runs. */
export class ReportBuilder {
  readonly report: ImportReport;
  constructor(input: string, importer: ImportSource) {
    this.report = { input, importer, status: 'imported', found: [], body_only: [], counts: {}, warnings: [] };
  }
  found(field: string): void {
    if (!this.report.found.includes(field)) this.report.found.push(field);
  }
  bodyOnly(field: string, reason: string): void {
    if (!this.report.body_only.some((b) => b.field === field)) this.report.body_only.push({ field, reason });
  }
  count(name: string, n: number): void {
    if (n > 0) this.report.counts[name] = (this.report.counts[name] ?? 0) + n;
  }
  warn(message: string): void {
    if (!this.report.warnings.includes(message)) this.report.warnings.push(message);
  }
  fail(error: string): ImportOutcome {
    this.report.status = 'failed';
    this.report.error = error;
    return { report: this.report };
  }
}
