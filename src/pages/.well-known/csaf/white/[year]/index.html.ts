/** `/.well-known/csaf/white/{yyyy}/`: directory listing of one year (CSAF 2.0 requirement 14). */
import type { APIRoute, GetStaticPaths } from 'astro';
import { getBulletins } from '../../../../../data/bulletins.ts';
import { csafListing, toDirectoryListing } from '../../../../../lib/to-csaf.ts';

export const getStaticPaths = (async () => {
  const byYear = new Map<string, string[]>();
  for (const { entry } of csafListing(await getBulletins())) {
    const [year, file] = entry.split('/') as [string, string];
    byYear.set(year, [...(byYear.get(year) ?? []), file, `${file}.sha512`]);
  }
  return [...byYear].map(([year, files]) => ({ params: { year }, props: { files: files.sort() } }));
}) satisfies GetStaticPaths;

export const GET: APIRoute<{ files: string[] }> = ({ params, props }) =>
  new Response(toDirectoryListing(`/.well-known/csaf/white/${params.year}/`, props.files), { headers: { 'Content-Type': 'text/html; charset=utf-8' } });
