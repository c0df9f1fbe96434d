/** `/api/v1/bulletins/{id}.json`: one bulletin, every fact, both languages. */
import type { APIRoute, GetStaticPaths } from 'astro';
import { getBulletins, type SiteBulletin } from '../../../../data/bulletins.ts';
import { apiBulletinJson } from '../../../../lib/to-api.ts';
import { bulletinSlug } from '../../../../lib/urls.ts';

export const getStaticPaths = (async () =>
  (await getBulletins()).map((bulletin) => ({ params: { id: bulletinSlug(bulletin.id) }, props: { bulletin } }))) satisfies GetStaticPaths;

export const GET: APIRoute<{ bulletin: SiteBulletin }> = ({ props }) =>
  new Response(apiBulletinJson(props.bulletin), { headers: { 'Content-Type': 'application/json; charset=utf-8' } });
