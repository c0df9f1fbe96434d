/** `/.well-known/csaf/white/index.txt` (CSAF 2.0 requirement 12). */
import type { APIRoute } from 'astro';
import { getBulletins } from '../../../../data/bulletins.ts';
import { csafListing, toCsafIndexTxt } from '../../../../lib/to-csaf.ts';

export const GET: APIRoute = async () =>
  new Response(toCsafIndexTxt(csafListing(await getBulletins())), { headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
