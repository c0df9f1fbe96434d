/**
 * `/exports/bulletins.csv` (one row per bulletin) and `/exports/files.csv` (one row per
 * installed file): UTF-8 with BOM, CRLF, RFC 4180.
 */
import type { APIRoute, GetStaticPaths } from 'astro';
import { getBulletins } from '../../data/bulletins.ts';
import { listFileText } from '../../lib/data-files.ts';
import { dataWorkerInBuild } from '../../lib/site-config.ts';

const EXPORTS = ['bulletins', 'files'] as const;

// `npm run build` writes these files in the data worker (src/integrations/data-files.ts).
export const getStaticPaths = (() => (dataWorkerInBuild() ? [] : EXPORTS.map((name) => ({ params: { name } })))) satisfies GetStaticPaths;

export const GET: APIRoute = async ({ params }) =>
  new Response(listFileText(`exports/${params.name as (typeof EXPORTS)[number]}.csv`, await getBulletins()), { headers: { 'Content-Type': 'text/csv; charset=utf-8; header=present' } });
