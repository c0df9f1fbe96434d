/** `/api/v1/schema/{name}.schema.json`: JSON Schemas of the API files, generated from the zod model. */
import type { APIRoute, GetStaticPaths } from 'astro';
import { API_SCHEMAS, apiSchemaJson, type ApiSchemaName } from '../../../../lib/api-schemas.ts';

export const getStaticPaths = (() =>
  (Object.keys(API_SCHEMAS) as ApiSchemaName[]).map((file) => ({
    params: { name: file.replace(/\.schema\.json$/, '') },
    props: { file },
  }))) satisfies GetStaticPaths;

export const GET: APIRoute<{ file: ApiSchemaName }> = ({ props }) =>
  new Response(apiSchemaJson(props.file), { headers: { 'Content-Type': 'application/schema+json; charset=utf-8' } });
