/** `/exports/files.csv`: one row per installed file (UTF-8 with BOM, CRLF, RFC 4180). */
import type { APIRoute } from 'astro';
import { getBulletins } from '../../data/bulletins.ts';
import { toFilesCsv } from '../../lib/to-csv.ts';

export const GET: APIRoute = async () =>
  new Response(toFilesCsv(await getBulletins()), { headers: { 'Content-Type': 'text/csv; charset=utf-8; header=present' } });
