/**
 * The content model. Everything that reads bulletins (pages, feeds, CLI, importers) takes
 * these parsed types; the published JSON Schemas are generated from these zod schemas.
 */
import type { BulletinFacts } from './bulletin.ts';
import type { BulletinText } from './text.ts';
import type { Lang } from './common.ts';

export * from './common.ts';
export * from './bulletin.ts';
export * from './text.ts';

/** One language version of a bulletin: its frontmatter plus the Markdown body. */
export interface BulletinLanguage extends BulletinText {
  /** Markdown below the frontmatter. */
  body: string;
  /** Path of the Markdown file, relative to the content folder. */
  file: string;
}

/** A whole bulletin: facts once, text per language. */
export interface Bulletin extends BulletinFacts {
  /** Text per language; a language may be missing (then pages fall back and say so). */
  text: Partial<Record<Lang, BulletinLanguage>>;
  /** Path of `bulletin.yaml`, relative to the content folder. */
  file: string;
}
