/** `/api/v1/files.json`: every installed file name and the bulletins that ship it. */
import type { APIRoute } from 'astro';
import { getBulletins } from '../../../data/bulletins.ts';
import { apiListJson, toFilesIndex } from '../../../lib/to-api.ts';

export const GET: APIRoute = async () =>
  new Response(apiListJson(toFilesIndex(await getBulletins())), { headers: { 'Content-Type': 'application/json; charset=utf-8' } });
