/** `/api/v1/bulletins.json`: index of all bulletins, newest first. */
import type { APIRoute } from 'astro';
import { getBulletins } from '../../../data/bulletins.ts';
import { apiListJson, toApiIndex } from '../../../lib/to-api.ts';

export const GET: APIRoute = async () =>
  new Response(apiListJson(toApiIndex(await getBulletins())), { headers: { 'Content-Type': 'application/json; charset=utf-8' } });
