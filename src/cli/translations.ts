/**
 * `kb translations [--content DIR] [--format text|json]`: per bulletin, the languages that
 * exist, are missing, or are stale (the source language changed after the translation, from
 * git history). A report, not a check: exit 0 whatever it finds, 2 on usage or internal error.
 */
import path from 'node:path';
import { LANGS } from '../../schemas/index.ts';
import { countBySeverity } from '../lib/diagnostics.ts';
import { readGitHistory, type GitHistory } from '../lib/git-history.ts';
import { loadContent } from '../lib/load-content.ts';
import { translationInputs, translationStatus, type BulletinTranslationStatus, type SourceChange } from '../lib/translation-status.ts';
import { formatOption, parseArgs, UsageError } from './args.ts';

export const translationsHelp = `Usage: kb translations [--content DIR] [--format text|json]

Lists, for every bulletin under DIR/bulletins (default: $KB_CONTENT_DIR or ./content), which
languages exist, which are missing and which are stale. A translation (a file with
"translated_from: L") is stale when L.md has a change it has not seen: a commit to L.md that
is not in the translation's history, or uncommitted edits to L.md. A translation with
uncommitted edits of its own counts as being updated. Outside git nothing is reported stale.

Exit status: 0 report printed (whatever it says), 2 usage or internal error.`;

const short = (hash: string) => hash.slice(0, 10);
const day = (iso: string) => iso.slice(0, 10);

function describeChange(c: SourceChange): string {
  return c.uncommitted ? '(uncommitted changes in the working tree)' : `${short(c.commit!)} ${day(c.date!)} ${c.subject}`;
}

/** The text report: one line per bulletin, then the unseen source changes of stale translations. */
export function formatTranslationsText(report: readonly BulletinTranslationStatus[], history: GitHistory, show: (file: string) => string): string {
  const lines: string[] = [];
  for (const bulletin of report) {
    const parts = LANGS.map((lang) => {
      const status = bulletin.languages[lang];
      if (!status) return `${lang}: missing`;
      if (!status.translatedFrom) return `${lang}: source`;
      return `${lang}: ${status.stale ? 'stale' : status.note ? 'unknown' : 'current'} (from ${status.translatedFrom})`;
    });
    lines.push(`${bulletin.id}  ${parts.join('  ')}`);
    for (const lang of LANGS) {
      const status = bulletin.languages[lang];
      if (!status) continue;
      // Without git every translation would carry the same note; the summary says it once.
      if (status.note && history.available) lines.push(`  ${lang}: ${status.note}`);
      if (!status.stale) continue;
      const source = bulletin.languages[status.translatedFrom!]!;
      const since = status.lastChange?.commit ? ` since ${short(status.lastChange.commit)} ${day(status.lastChange.date!)}` : '';
      lines.push(`  ${show(status.file!)} has not seen ${status.unseen.length} change${status.unseen.length === 1 ? '' : 's'} to ${show(source.file!)}${since}:`);
      for (const c of status.unseen) lines.push(`    ${describeChange(c)}`);
    }
  }
  return lines.join('\n');
}

/** The JSON report: git state plus one entry per bulletin. */
export function translationsJson(report: readonly BulletinTranslationStatus[], history: GitHistory, show: (file: string) => string): string {
  return JSON.stringify(
    {
      git: { available: history.available, shallow: history.shallow, ...(history.reason ? { reason: history.reason } : {}) },
      bulletins: report.map((b) => ({
        id: b.id,
        present: b.present,
        missing: b.missing,
        stale: b.stale,
        languages: Object.fromEntries(
          Object.entries(b.languages).map(([lang, s]) => [
            lang,
            {
              file: show(s.file!),
              translated_from: s.translatedFrom ?? null,
              stale: s.stale,
              unseen: s.unseen,
              last_change: s.lastChange ?? null,
              ...(s.note ? { note: s.note } : {}),
            },
          ]),
        ),
      })),
    },
    null,
    2,
  );
}

export async function runTranslations(argv: readonly string[]): Promise<number> {
  const { options, positionals } = parseArgs(argv, { content: { value: true }, format: { value: true }, help: { value: false } });
  if (options.help) {
    console.log(translationsHelp);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`kb translations takes no arguments (got ${positionals.join(' ')}); use --content DIR`);
  const format = formatOption(options.format);
  const contentDir = (options.content as string | undefined) || process.env.KB_CONTENT_DIR || 'content';
  const [{ bulletins, diagnostics }, history] = await Promise.all([loadContent(contentDir), readGitHistory(contentDir)]);
  if (diagnostics.some((d) => d.code === 'CONTENT_DIR')) {
    console.error(`kb translations: no bulletins folder in ${contentDir}: point --content (or KB_CONTENT_DIR) at a folder that holds bulletins/{id}/`);
    return 2;
  }
  const report = translationStatus(translationInputs(bulletins), history);
  const show = (file: string) => path.join(contentDir, file).split(path.sep).join('/');
  if (format === 'json') console.log(translationsJson(report, history, show));
  else if (report.length > 0) console.log(formatTranslationsText(report, history, show));

  const missing = report.reduce((n, b) => n + b.missing.length, 0);
  const stale = report.reduce((n, b) => n + b.stale.length, 0);
  const { errors } = countBySeverity(diagnostics);
  const notes: string[] = [];
  if (!history.available) notes.push(`${contentDir} is not in a git checkout (${history.reason}): stale translations cannot be detected`);
  if (history.shallow) notes.push('this is a shallow clone: changes older than the clone depth are not seen (git fetch --unshallow)');
  if (errors > 0) notes.push(`${errors} error${errors === 1 ? '' : 's'} in content: files with errors are left out and show as missing; run "kb check"`);
  if (format === 'text' || notes.length > 0) {
    console.error(
      [
        `${report.length} bulletin${report.length === 1 ? '' : 's'}: ${missing} missing translation${missing === 1 ? '' : 's'}, ${stale} stale`,
        ...notes.map((n) => `note: ${n}`),
      ].join('\n'),
    );
  }
  return 0;
}
