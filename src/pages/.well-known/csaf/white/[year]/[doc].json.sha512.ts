/** `/.well-known/csaf/white/{yyyy}/{file}.json.sha512` (CSAF 2.0 requirement 18), sha512sum format. */
import type { APIRoute, GetStaticPaths } from 'astro';
import type { Lang } from '../../../../../../schemas/index.ts';
import { getBulletins, type SiteBulletin } from '../../../../../data/bulletins.ts';
import { csafDocumentParams } from '../../../../../lib/csaf-routes.ts';
import { csafHashFile, csafJson, toCsaf } from '../../../../../lib/to-csaf.ts';

export const getStaticPaths = (async () => csafDocumentParams(await getBulletins())) satisfies GetStaticPaths;

export const GET: APIRoute<{ bulletin: SiteBulletin; lang: Lang }> = ({ params, props }) =>
  new Response(csafHashFile(csafJson(toCsaf(props.bulletin, props.lang)), `${params.doc}.json`), { headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
