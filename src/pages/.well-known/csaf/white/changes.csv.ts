/** `/.well-known/csaf/white/changes.csv` (CSAF 2.0 requirement 13). */
import type { APIRoute } from 'astro';
import { getBulletins } from '../../../../data/bulletins.ts';
import { csafListing, toCsafChangesCsv } from '../../../../lib/to-csaf.ts';

export const GET: APIRoute = async () =>
  new Response(toCsafChangesCsv(csafListing(await getBulletins())), { headers: { 'Content-Type': 'text/csv; charset=utf-8' } });
