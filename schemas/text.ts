/**
 * The per-language part of a bulletin: frontmatter of `content/bulletins/{id}/{lang}.md`.
 * The Markdown body below the frontmatter holds the technical details in that language.
 */
import { z } from 'zod';
import { BulletinId, CveId, IsoDate, KbNumber, Lang, SeverityField } from './common.ts';

export const BulletinText = z.strictObject({
  /** Optional `$schema` pointer for editors; ignored by the build. */
  $schema: z.string().optional(),
  /** Bulletin id; must match `bulletin.yaml` in the same folder. @example "MS03-046" */
  id: BulletinId,
  /** Language of this file; must match the file name (`ja.md`, `en.md`). */
  lang: Lang,
  /** Headline: what the flaw lets an attacker do. */
  title: z.string().min(1).max(300),
  /** Short form of the vendor's title, shown under the headline. */
  subtitle: z.string().min(1).max(300).optional(),
  /** One or two paragraphs: what is wrong and what the fix changes (Markdown). */
  summary: z.string().min(1),
  /** What to do now, one or two sentences. @example "Start applying the update immediately." */
  action: z.string().min(1),
  /** The test team's notes from rolling the update out (Markdown). */
  comment: z.string().min(1).optional(),
  /** Who wrote the comment. @example "DA Lab HotFix testing team" */
  comment_by: z.string().min(1).optional(),
  /** Set on a translation: the language it was translated from. */
  translated_from: Lang.optional(),
  /**
   * Optional restatements of identity facts, so a language file reads on its own (and
   * imports can carry them). When present they must equal `bulletin.yaml`.
   */
  kb: z.array(KbNumber).optional(),
  /** See `kb`. */
  cves: z.array(CveId).optional(),
  /** See `kb`. */
  severity: SeverityField.optional(),
  /** See `kb`. */
  published: IsoDate.optional(),
});

export type BulletinTextInput = z.input<typeof BulletinText>;
export type BulletinText = z.output<typeof BulletinText>;
