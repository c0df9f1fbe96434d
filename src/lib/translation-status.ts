/**
 * Which languages of each bulletin exist, which are missing and which are stale, from the
 * content and its git history (`readGitHistory`). Pure: data in, report out.
 *
 * A translation (a language file with `translated_from: L`) is **stale** when the source
 * file `L.md` has a change the translation has not seen: a commit touching the source that
 * is not an ancestor of the translation's newest commit. Ancestry rather than dates, so a
 * translation finished on a branch while the source changed on another is still caught
 * after the merge, and clock skew between machines does not matter.
 *
 * Uncommitted work counts as the newest change: a translation with uncommitted edits is
 * taken as being brought up to date (once committed, it will be); a source with
 * uncommitted edits makes its committed translations stale. Outside git nothing is stale.
 */
import { LANGS, type Bulletin, type Lang } from '../../schemas/index.ts';
import type { Commit, GitHistory } from './git-history.ts';

export interface TranslationInput {
  id: string;
  /** Language files that exist, with their path relative to the content folder. */
  files: Partial<Record<Lang, { file: string; translatedFrom?: Lang }>>;
}

/** One change of a source file that a translation has not caught up with. */
export interface SourceChange {
  /** Full commit hash; absent for uncommitted changes. */
  commit?: string;
  /** Committer date (ISO 8601, UTC). */
  date?: string;
  subject?: string;
  /** The change is in the working tree, not committed yet. */
  uncommitted?: true;
}

export interface LanguageStatus {
  /** Path relative to the content folder; absent when the language is missing. */
  file?: string;
  /** The language this file was translated from (`translated_from`). */
  translatedFrom?: Lang;
  stale: boolean;
  /** Changes to the source the translation has not seen, newest first. */
  unseen: SourceChange[];
  /** The file's own newest change. */
  lastChange?: SourceChange;
  /** Why staleness could not be decided, when it could not. */
  note?: string;
}

export interface BulletinTranslationStatus {
  id: string;
  present: Lang[];
  missing: Lang[];
  stale: Lang[];
  languages: Partial<Record<Lang, LanguageStatus>>;
}

/** Per language, what a page needs to show the "translation may be out of date" notice. */
export interface StaleInfo {
  stale: boolean;
  /** Language the translation was made from. */
  source?: Lang;
  /** The oldest source commit the translation has not seen: the change that made it stale. */
  sourceCommit?: string;
  /** Date of that commit (ISO 8601, UTC). */
  sourceDate?: string;
  /** The source also (or only) has uncommitted changes. */
  uncommitted?: boolean;
}

/** The language files of parsed bulletins, as `translationStatus` takes them. */
export function translationInputs(bulletins: readonly Bulletin[]): TranslationInput[] {
  return bulletins.map((bulletin) => ({
    id: bulletin.id,
    files: Object.fromEntries(
      LANGS.flatMap((lang) => {
        const text = bulletin.text[lang];
        return text ? [[lang, { file: text.file, translatedFrom: text.translated_from }]] : [];
      }),
    ),
  }));
}

function change(commit: Commit): SourceChange {
  return { commit: commit.hash, date: commit.date, subject: commit.subject };
}

/** Index over a history, built once per report. */
class HistoryIndex {
  private readonly byFile = new Map<string, Commit[]>();
  private readonly byHash = new Map<string, Commit>();
  private readonly ancestorCache = new Map<string, Set<string>>();

  constructor(history: GitHistory) {
    for (const commit of history.commits) {
      this.byHash.set(commit.hash, commit);
      for (const file of commit.files) {
        const list = this.byFile.get(file);
        if (list) list.push(commit);
        else this.byFile.set(file, [commit]);
      }
    }
  }

  /** Commits that touched `file`, newest first. */
  commitsOf(file: string): Commit[] {
    return this.byFile.get(file) ?? [];
  }

  /** `hash` and every commit reachable from it within the history. */
  ancestors(hash: string): Set<string> {
    const cached = this.ancestorCache.get(hash);
    if (cached) return cached;
    const seen = new Set<string>([hash]);
    const queue = [hash];
    while (queue.length > 0) {
      const commit = this.byHash.get(queue.pop()!);
      for (const parent of commit?.parents ?? []) {
        if (!seen.has(parent)) {
          seen.add(parent);
          queue.push(parent);
        }
      }
    }
    this.ancestorCache.set(hash, seen);
    return seen;
  }
}

/** The translation status of every bulletin, in the order given. */
export function translationStatus(bulletins: readonly TranslationInput[], history: GitHistory): BulletinTranslationStatus[] {
  const index = new HistoryIndex(history);
  const lastChange = (file: string): SourceChange | undefined => {
    if (history.uncommitted.has(file)) return { uncommitted: true };
    const newest = index.commitsOf(file)[0];
    return newest ? change(newest) : undefined;
  };

  return bulletins.map(({ id, files }) => {
    const languages: Partial<Record<Lang, LanguageStatus>> = {};
    for (const lang of LANGS) {
      const entry = files[lang];
      if (!entry) continue;
      const status: LanguageStatus = { file: entry.file, stale: false, unseen: [], lastChange: history.available ? lastChange(entry.file) : undefined };
      languages[lang] = status;
      const from = entry.translatedFrom;
      if (!from) continue;
      status.translatedFrom = from;
      const source = files[from];
      if (from === lang) {
        status.note = `translated_from names the file's own language`;
        continue;
      }
      if (!source) {
        status.note = `translated from ${from}, but there is no ${from}.md`;
        continue;
      }
      if (!history.available) {
        status.note = `not in git (${history.reason ?? 'no history'}): staleness unknown`;
        continue;
      }
      if (history.uncommitted.has(entry.file)) continue;
      const own = index.commitsOf(entry.file)[0];
      if (!own) {
        status.note = 'the file is not in git history (ignored or outside the repository): staleness unknown';
        continue;
      }
      const seen = index.ancestors(own.hash);
      if (history.uncommitted.has(source.file)) status.unseen.push({ uncommitted: true });
      for (const commit of index.commitsOf(source.file)) if (!seen.has(commit.hash)) status.unseen.push(change(commit));
      status.stale = status.unseen.length > 0;
    }
    const present = LANGS.filter((lang) => languages[lang]);
    return {
      id,
      present,
      missing: LANGS.filter((lang) => !languages[lang]),
      stale: present.filter((lang) => languages[lang]!.stale),
      languages,
    };
  });
}

/** The per-language stale flags the site stores with each bulletin (`translation`). */
export function staleInfo(status: BulletinTranslationStatus): Partial<Record<Lang, StaleInfo>> {
  const out: Partial<Record<Lang, StaleInfo>> = {};
  for (const lang of status.present) {
    const language = status.languages[lang]!;
    const info: StaleInfo = { stale: language.stale };
    if (language.translatedFrom) info.source = language.translatedFrom;
    const committed = language.unseen.filter((c) => c.commit);
    const oldest = committed[committed.length - 1];
    if (oldest) {
      info.sourceCommit = oldest.commit;
      info.sourceDate = oldest.date;
    }
    if (language.unseen.some((c) => c.uncommitted)) info.uncommitted = true;
    out[lang] = info;
  }
  return out;
}
