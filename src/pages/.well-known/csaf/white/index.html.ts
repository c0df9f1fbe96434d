/** `/.well-known/csaf/white/`: directory listing (CSAF 2.0 requirement 14). */
import type { APIRoute } from 'astro';
import { getBulletins } from '../../../../data/bulletins.ts';
import { CSAF_ROLIE_FEED_PATH, csafListing, toDirectoryListing } from '../../../../lib/to-csaf.ts';

export const GET: APIRoute = async () => {
  const listing = csafListing(await getBulletins());
  const years = [...new Set(listing.map((l) => l.entry.slice(0, 4)))].sort().reverse();
  const names = [...years.map((y) => `${y}/`), 'changes.csv', CSAF_ROLIE_FEED_PATH.split('/').at(-1)!, 'index.txt'];
  return new Response(toDirectoryListing('/.well-known/csaf/white/', names), { headers: { 'Content-Type': 'text/html; charset=utf-8' } });
};
