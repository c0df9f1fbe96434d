/** `/exports/bulletins.csv`: one row per bulletin (UTF-8 with BOM, CRLF, RFC 4180). */
import type { APIRoute } from 'astro';
import { getBulletins } from '../../data/bulletins.ts';
import { toBulletinsCsv } from '../../lib/to-csv.ts';

export const GET: APIRoute = async () =>
  new Response(toBulletinsCsv(await getBulletins()), { headers: { 'Content-Type': 'text/csv; charset=utf-8; header=present' } });
