/**
 * `/api/v1/schema/content/{name}.schema.json`: the content model's schemas (what an author
 * writes in bulletin.yaml and ja.md/en.md), served byte for byte as committed in schemas/.
 */
import type { APIRoute, GetStaticPaths } from 'astro';
import bulletinText from '../../../../../../schemas/bulletin-text.schema.json?raw';
import bulletin from '../../../../../../schemas/bulletin.schema.json?raw';

const FILES: Record<string, string> = { bulletin, 'bulletin-text': bulletinText };

export const getStaticPaths = (() => Object.keys(FILES).map((name) => ({ params: { name } }))) satisfies GetStaticPaths;

export const GET: APIRoute = ({ params }) =>
  new Response(FILES[params.name!], { headers: { 'Content-Type': 'application/schema+json; charset=utf-8' } });
