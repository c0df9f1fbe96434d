/**
 * The one accessor pages and endpoints use to get bulletins from the content collection,
 * typed with the model's parsed type plus the HTML the loader rendered once.
 */
import { getCollection } from 'astro:content';
import type { Bulletin, Lang } from '../../schemas/index.ts';
import type { StaleInfo } from '../lib/translation-status.ts';
import { contentDir } from '../lib/site-config.ts';
import { contentErrorForOverlay, currentContentErrors } from '../integrations/content-errors.ts';
import { publishedBulletins } from './shared-bulletins.ts';

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

let cache: { from: readonly SiteBulletin[] | undefined; sorted: Promise<SiteBulletin[]> } | undefined;

/**
 * All bulletins, newest first (published date, then id). Computed once per build; in dev
 * once per list the loader publishes, whether or not Astro ran this module again (a save
 * that restores the content of the last session changes no entry of the data store).
 */
export function getBulletins(): Promise<SiteBulletin[]> {
  // The loader hands the bulletins over in memory (shared-bulletins.ts); the data store
  // holds their ids.
  const shared = publishedBulletins(contentDir());
  if (!cache || cache.from !== shared) {
    const entry = { from: shared, sorted: sortedBulletins(shared) };
    cache = entry;
    // A failed attempt (dev started on broken content) is not kept: the next request tries again.
    entry.sorted.catch(() => {
      if (cache === entry) cache = undefined;
    });
  }
  return cache.sorted;
}

async function sortedBulletins(shared: readonly SiteBulletin[] | undefined): Promise<SiteBulletin[]> {
  if (!shared) {
    // Nothing published: in dev, the content was broken from the start; show why.
    const errors = currentContentErrors();
    if (errors) throw contentErrorForOverlay(errors);
  }
  const entries = shared ? [...shared] : (await getCollection('bulletins')).map((entry) => entry.data as unknown as SiteBulletin);
  if (entries.some((entry) => entry.text === undefined)) {
    throw new Error('the content collection holds only bulletin ids and the loader\'s bulletins are not in this process: run the build with "npm run build" (one astro process)');
  }
  return entries.sort((a, b) => (a.published < b.published ? 1 : a.published > b.published ? -1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
