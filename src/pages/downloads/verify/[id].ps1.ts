/** `/downloads/verify/{id}.ps1`: read-only PowerShell check for a bulletin's keys and files. */
import type { APIRoute, GetStaticPaths } from 'astro';
import { getBulletins, type SiteBulletin } from '../../../data/bulletins.ts';
import { toVerifyScript } from '../../../lib/to-powershell.ts';
import { dataWorkerInBuild } from '../../../lib/site-config.ts';
import { bulletinSlug } from '../../../lib/urls.ts';

// `npm run build` writes these files in the data worker (src/integrations/data-files.ts).
export const getStaticPaths = (async () =>
  (dataWorkerInBuild() ? [] : await getBulletins()).map((bulletin) => ({ params: { id: bulletinSlug(bulletin.id) }, props: { bulletin } }))) satisfies GetStaticPaths;

export const GET: APIRoute<{ bulletin: SiteBulletin }> = ({ props }) =>
  new Response(toVerifyScript(props.bulletin), { headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
