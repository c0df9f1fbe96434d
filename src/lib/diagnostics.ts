/**
 * Diagnostics: one problem in one file, with a position, a stable code and a message that
 * says how to fix it. `kb check`, the build and the importers all report through this.
 */

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  /** Path as the user gave it (relative to the working directory where possible). */
  file: string;
  /** 1-based line; 1 when the problem is the whole file. */
  line: number;
  /** 1-based column. */
  column: number;
  severity: Severity;
  /** Stable code from `DIAGNOSTIC_CODES`. */
  code: DiagnosticCode;
  /** Field path such as `packages[1].files[0].size`, or `-` when no field is involved. */
  field: string;
  message: string;
}

/**
 * Every code the checker can report, with what it means. The README and CONTRIBUTING
 * list these; `tests/fixtures/check/` has a fixture for each.
 */
export const DIAGNOSTIC_CODES = {
  FILE_EMPTY: 'The file is empty.',
  FILE_TOO_LARGE: 'The file is larger than the 1 MiB a bulletin file may have.',
  FILE_ENCODING: 'The file is not valid UTF-8.',
  CONTROL_CHARACTER: 'The file contains a control character that is invisible in editors.',
  FRONTMATTER_MISSING: 'A Markdown file does not start with a `---` YAML frontmatter block.',
  YAML_SYNTAX: 'The YAML cannot be parsed (tabs for indentation, unclosed quotes, bad indentation).',
  YAML_DUPLICATE_KEY: 'A key appears twice in the same mapping.',
  YAML_ALIAS_LIMIT: 'The YAML uses more aliases than allowed (protects against alias bombs).',
  YAML_TOO_DEEP: 'The YAML is nested more deeply than a bulletin ever needs.',
  SCHEMA_REQUIRED: 'A required field is missing.',
  SCHEMA_TYPE: 'A field has the wrong type (a list where text is expected, …).',
  SCHEMA_VALUE: 'A field has the right type but a value that is not allowed (bad date, version, id, size, URL, …).',
  UNKNOWN_FIELD: 'A field the model does not know; usually a typo (a did-you-mean is given).',
  ID_MISMATCH: 'The id does not match its folder name or the other files of the bulletin.',
  LANG_MISMATCH: "A language file's `lang` does not match its file name.",
  DUPLICATE_ID: 'Two bulletin folders declare the same id.',
  TEXT_MISSING: 'A bulletin has facts but no language file at all.',
  FACTS_MISSING: 'A bulletin folder has language files but no bulletin.yaml.',
  TRANSLATION_MISSING: 'A bulletin lacks one of the site languages (the page falls back and says so).',
  FACT_MISMATCH: 'A language file restates a fact differently from bulletin.yaml.',
  UNRESOLVED_REFERENCE: 'A related / supersedes / superseded_by id names no bulletin in the content folder.',
  UNKNOWN_PLATFORM: "A package's platform is not the id of an affected product.",
  DUPLICATE_KEY: 'Two entries in one list share a key that must be unique (affected product id, …).',
  DATE_ORDER: 'Dates contradict each other (modified before published, revision after modified, …).',
  REVISION_ORDER: 'The revision history is not in ascending order of version and date.',
  INSECURE_URL: 'A download URL uses http instead of https.',
  DISCREPANCY_FIELD: "A discrepancy's field path does not point at a fact of the bulletin.",
  STRAY_FILE: 'A file in a bulletin folder that the build does not read.',
  CONTENT_DIR: 'The content folder is missing or has no bulletins folder.',
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

/** `FILE:LINE:COLUMN: severity CODE FIELD: message`, the format of `kb check`. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.severity} ${d.code} ${d.field || '-'}: ${d.message}`;
}

/** Sorts by file, position, then code, so output is stable between runs. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.column - b.column ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) ||
      (a.field < b.field ? -1 : a.field > b.field ? 1 : 0),
  );
}

export function countBySeverity(list: readonly Diagnostic[]): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const d of list) d.severity === 'error' ? errors++ : warnings++;
  return { errors, warnings };
}

/** Renders a list as `kb check` prints it: text lines, or a JSON array. */
export function formatDiagnostics(list: readonly Diagnostic[], format: 'text' | 'json'): string {
  const sorted = sortDiagnostics(list);
  if (format === 'json') {
    return JSON.stringify(
      sorted.map(({ file, line, column, severity, code, field, message }) => ({
        file,
        line,
        column,
        severity,
        code,
        field,
        message,
      })),
      null,
      2,
    );
  }
  return sorted.map(formatDiagnostic).join('\n');
}

/** Turns a path array into the printed form: `packages[1].files[0].size`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || '-';
}
