/** `/.well-known/csaf/provider-metadata.json` (CSAF 2.0 requirements 7 and 9). */
import type { APIRoute } from 'astro';
import { getBulletins } from '../../../data/bulletins.ts';
import { csafJson, csafListing, toProviderMetadata } from '../../../lib/to-csaf.ts';

export const GET: APIRoute = async () =>
  new Response(csafJson(toProviderMetadata(csafListing(await getBulletins()))), { headers: { 'Content-Type': 'application/json; charset=utf-8' } });
