/** `/.well-known/csaf/`: directory listing of the provider's folder. */
import type { APIRoute } from 'astro';
import { CSAF_PROVIDER_METADATA_PATH, CSAF_WHITE_DIR, toDirectoryListing } from '../../../lib/to-csaf.ts';

export const GET: APIRoute = () =>
  new Response(
    toDirectoryListing('/.well-known/csaf/', [CSAF_PROVIDER_METADATA_PATH.split('/').at(-1)!, `${CSAF_WHITE_DIR.split('/').at(-2)!}/`], { parent: false }),
    { headers: { 'Content-Type': 'text/html; charset=utf-8' } },
  );
