/** `/.well-known/csaf/white/{yyyy}/{id}.json` (and `{id}-{lang}.json`): one CSAF 2.0 document. */
import type { APIRoute, GetStaticPaths } from 'astro';
import type { Lang } from '../../../../../../schemas/index.ts';
import { getBulletins, type SiteBulletin } from '../../../../../data/bulletins.ts';
import { csafDocumentParams } from '../../../../../lib/csaf-routes.ts';
import { csafJson, toCsaf } from '../../../../../lib/to-csaf.ts';

export const getStaticPaths = (async () => csafDocumentParams(await getBulletins())) satisfies GetStaticPaths;

export const GET: APIRoute<{ bulletin: SiteBulletin; lang: Lang }> = ({ props }) =>
  new Response(csafJson(toCsaf(props.bulletin, props.lang)), { headers: { 'Content-Type': 'application/json; charset=utf-8' } });
