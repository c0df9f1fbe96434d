/** `/api/v1/products.json`: products and the bulletins that name them. */
import type { APIRoute } from 'astro';
import { getBulletins } from '../../../data/bulletins.ts';
import { apiListJson, toProductsIndex } from '../../../lib/to-api.ts';

export const GET: APIRoute = async () =>
  new Response(apiListJson(toProductsIndex(await getBulletins())), { headers: { 'Content-Type': 'application/json; charset=utf-8' } });
