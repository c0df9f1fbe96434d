/** `/api/v1/bulletins/{id}.json`: one bulletin, every fact, both languages. */
import type { APIRoute, GetStaticPaths } from 'astro';
import { getBulletins, type SiteBulletin } from '../../../../data/bulletins.ts';
import { apiBulletinJson } from '../../../../lib/to-api.ts';
import { dataWorkerInBuild } from '../../../../lib/site-config.ts';
import { bulletinSlug } from '../../../../lib/urls.ts';

// `npm run build` writes these files in the data worker (src/integrations/data-files.ts).
export const getStaticPaths = (async () =>
  (dataWorkerInBuild() ? [] : await getBulletins()).map((bulletin) => ({ params: { id: bulletinSlug(bulletin.id) }, props: { bulletin } }))) satisfies GetStaticPaths;

export const GET: APIRoute<{ bulletin: SiteBulletin }> = ({ props }) =>
  new Response(apiBulletinJson(props.bulletin), { headers: { 'Content-Type': 'application/json; charset=utf-8' } });
