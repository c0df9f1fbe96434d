/**
 * `/{lang}/bulletins/products.json`: the products the bulletin list's product box can select
 * (every product a bulletin affects, as `[slug, name, [bulletin id…]]`), loaded when the
 * box is first used; the list filters its rows by the ids.
 */
import type { APIRoute, GetStaticPaths } from 'astro';
import { LANGS } from '../../../../schemas/index.ts';
import { getBulletins } from '../../../data/bulletins.ts';
import { cachedFacets } from '../../../lib/facets.ts';
import { productChoicesJson } from '../../../lib/product-match.ts';

export const getStaticPaths = (() => LANGS.map((lang) => ({ params: { lang } }))) satisfies GetStaticPaths;

export const GET: APIRoute = async () =>
  new Response(productChoicesJson(cachedFacets(await getBulletins()).affectedProducts, true), { headers: { 'Content-Type': 'application/json; charset=utf-8' } });
