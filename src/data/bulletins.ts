/**
 * The one accessor pages and endpoints use to get bulletins from the content collection,
 * typed with the model's parsed type plus the HTML the loader rendered once.
 */
import { getCollection } from 'astro:content';
import type { Bulletin, Lang } from '../../schemas/index.ts';
import type { StaleInfo } from '../lib/translation-status.ts';

export interface RenderedText {
  summary: string;
  comment: string;
  body: string;
}

/** A bulletin as stored by the loader: the parsed model plus sanitized HTML per language. */
export interface SiteBulletin extends Bulletin {
  html: Partial<Record<Lang, RenderedText>>;
  /** Per language: is the translation behind its source text (git history, bulletin-loader.ts)? */
  translation?: Partial<Record<Lang, StaleInfo>>;
}

let cache: Promise<SiteBulletin[]> | undefined;

/** All bulletins, newest first (published date, then id), loaded once per build. */
export function getBulletins(): Promise<SiteBulletin[]> {
  cache ??= getCollection('bulletins').then((entries) =>
    entries
      .map((entry) => entry.data as unknown as SiteBulletin)
      .sort((a, b) => (a.published < b.published ? 1 : a.published > b.published ? -1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
  );
  return cache;
}
