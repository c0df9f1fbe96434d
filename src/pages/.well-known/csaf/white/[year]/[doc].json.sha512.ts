/** `/.well-known/csaf/white/{yyyy}/{file}.json.sha512` (CSAF 2.0 requirement 18), sha512sum format. */
import type { APIRoute, GetStaticPaths } from 'astro';
import { getBulletins } from '../../../../../data/bulletins.ts';
import { csafDocumentParams, csafHashText, type CsafRouteProps } from '../../../../../lib/csaf-routes.ts';

export const getStaticPaths = (async () => csafDocumentParams(await getBulletins())) satisfies GetStaticPaths;

export const GET: APIRoute<CsafRouteProps> = ({ props }) =>
  new Response(csafHashText(props), { headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
