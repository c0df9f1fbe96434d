/** `/.well-known/csaf/white/{yyyy}/{id}.json` (and `{id}-{lang}.json`): one CSAF 2.0 document. */
import type { APIRoute, GetStaticPaths } from 'astro';
import { getBulletins } from '../../../../../data/bulletins.ts';
import { dataWorkerInBuild } from '../../../../../lib/site-config.ts';
import { csafDocumentParams, csafDocumentText, type CsafRouteProps } from '../../../../../lib/csaf-routes.ts';

// `npm run build` writes these files in the data worker (src/integrations/data-files.ts).
export const getStaticPaths = (async () => (dataWorkerInBuild() ? [] : csafDocumentParams(await getBulletins()))) satisfies GetStaticPaths;

export const GET: APIRoute<CsafRouteProps> = ({ props }) =>
  new Response(csafDocumentText(props), { headers: { 'Content-Type': 'application/json; charset=utf-8' } });
