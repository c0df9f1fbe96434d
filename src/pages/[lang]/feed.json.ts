/** `/{lang}/feed.json`: every revision of every bulletin as an entry, newest first. */
import type { APIRoute, GetStaticPaths } from 'astro';
import { LANGS, type Lang } from '../../../schemas/index.ts';
import { getBulletins } from '../../data/bulletins.ts';
import { feedEntries, toJsonFeed } from '../../lib/to-feeds.ts';

export const getStaticPaths = (() => LANGS.map((lang) => ({ params: { lang } }))) satisfies GetStaticPaths;

export const GET: APIRoute = async ({ params }) => {
  const lang = params.lang as Lang;
  return new Response(toJsonFeed(feedEntries(await getBulletins(), lang), lang), { headers: { 'Content-Type': 'application/feed+json; charset=utf-8' } });
};
