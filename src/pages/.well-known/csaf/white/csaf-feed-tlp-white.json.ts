/** `/.well-known/csaf/white/csaf-feed-tlp-white.json`: the ROLIE feed (CSAF 2.0 requirement 15). */
import type { APIRoute } from 'astro';
import { getBulletins } from '../../../../data/bulletins.ts';
import { csafJson, csafListing, toRolieFeed } from '../../../../lib/to-csaf.ts';

export const GET: APIRoute = async () =>
  new Response(csafJson(toRolieFeed(csafListing(await getBulletins()))), { headers: { 'Content-Type': 'application/json; charset=utf-8' } });
