/** `/.well-known/csaf/white/{yyyy}/{file}.json.sha512` (CSAF 2.0 requirement 18), sha512sum format. */
import type { APIRoute, GetStaticPaths } from 'astro';
import { getBulletins } from '../../../../../data/bulletins.ts';
import { dataWorkerInBuild } from '../../../../../lib/site-config.ts';
import { csafDocumentParams, csafHashText, type CsafRouteProps } from '../../../../../lib/csaf-routes.ts';

// `npm run build` writes these files in the data worker (src/integrations/data-files.ts).
export const getStaticPaths = (async () => (dataWorkerInBuild() ? [] : csafDocumentParams(await getBulletins()))) satisfies GetStaticPaths;

export const GET: APIRoute<CsafRouteProps> = ({ props }) =>
  new Response(csafHashText(props), { headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
