/**
 * `/{lang}/search/products.json`: the products the search page's product box can select,
 * as `[slug, name]`: those of the bulletins this language's index holds, since no other
 * bulletin can match. Loaded when the box is first used.
 */
import type { APIRoute, GetStaticPaths } from 'astro';
import { LANGS, type Lang } from '../../../../schemas/index.ts';
import { getBulletins } from '../../../data/bulletins.ts';
import { productIndex } from '../../../lib/facets.ts';
import { productChoicesJson } from '../../../lib/product-match.ts';

export const getStaticPaths = (() => LANGS.map((lang) => ({ params: { lang } }))) satisfies GetStaticPaths;

export const GET: APIRoute = async ({ params }) => {
  const lang = params.lang as Lang;
  const indexed = (await getBulletins()).filter((b) => b.text[lang]);
  const products = productIndex(indexed).filter((p) => p.affectedBy.length > 0);
  return new Response(productChoicesJson(products), { headers: { 'Content-Type': 'application/json; charset=utf-8' } });
};
