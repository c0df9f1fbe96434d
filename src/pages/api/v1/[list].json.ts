/**
 * `/api/v1/bulletins.json` (index of all bulletins, newest first), `/api/v1/files.json`
 * (every installed file name and the bulletins that ship it), `/api/v1/products.json`.
 */
import type { APIRoute, GetStaticPaths } from 'astro';
import { getBulletins } from '../../../data/bulletins.ts';
import { listFileText } from '../../../lib/data-files.ts';
import { dataWorkerInBuild } from '../../../lib/site-config.ts';

const LISTS = ['bulletins', 'files', 'products'] as const;

// `npm run build` writes these files in the data worker (src/integrations/data-files.ts).
export const getStaticPaths = (() => (dataWorkerInBuild() ? [] : LISTS.map((list) => ({ params: { list } })))) satisfies GetStaticPaths;

export const GET: APIRoute = async ({ params }) =>
  new Response(listFileText(`api/v1/${params.list as (typeof LISTS)[number]}.json`, await getBulletins()), { headers: { 'Content-Type': 'application/json; charset=utf-8' } });
