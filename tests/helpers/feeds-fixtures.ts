/**
 * Shared by the feeds, API and CSAF tests: the committed content loaded the way the site
 * loads it (same parser, same Markdown renderer), plus offline validators.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { loadContent } from '../../src/lib/load-content.ts';
import { renderMarkdown } from '../../src/lib/render-markdown.ts';
import type { BulletinWithHtml } from '../../src/lib/to-api.ts';
import type { Bulletin } from '../../schemas/index.ts';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const SHARED = path.resolve(ROOT, '..', 'shared');
export const CSAF_DATA = path.join(SHARED, 'data', 'csaf-2.0');

/** Adds the loader's HTML to a parsed bulletin, exactly as `bulletin-loader.ts` does. */
export function withHtml(bulletin: Bulletin): BulletinWithHtml {
  const html: BulletinWithHtml['html'] = {};
  for (const [lang, text] of Object.entries(bulletin.text)) {
    html[lang as keyof typeof html] = {
      summary: renderMarkdown(text.summary),
      comment: text.comment ? renderMarkdown(text.comment) : '',
      body: renderMarkdown(text.body),
    };
  }
  return { ...bulletin, html };
}

/** The committed content, parsed and rendered; fails loudly on content errors. */
export async function loadSiteBulletins(dir = 'content'): Promise<BulletinWithHtml[]> {
  const { bulletins, diagnostics } = await loadContent(dir, { cwd: ROOT });
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`content has errors:\n${errors.map((d) => `${d.file}:${d.line}: ${d.message}`).join('\n')}`);
  return bulletins.map(withHtml);
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/** Draft 2020-12 validator with formats. */
export function newAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv;
}

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

/**
 * Validators for the official CSAF 2.0 JSON schemas in ../shared, offline: the CVSS
 * schemas the CSAF schema refers to are registered under their first.org ids.
 */
export function csafValidators() {
  const ajv = newAjv();
  const first = path.join(CSAF_DATA, 'referenced_schema', 'first');
  for (const name of ['cvss-v2.0.json', 'cvss-v3.0.json', 'cvss-v3.1.json']) {
    // The CVSS schemas declare draft-04/07, which Ajv2020 has no meta-schema for. They use
    // no keyword whose meaning changed since (no boolean exclusiveMinimum), so they are
    // compiled as 2020-12 under the ids the CSAF schema refers to.
    // Draft-04 spells the id `id`; the id given to addSchema replaces it.
    const { $schema: _draft, id: _id, ...schema } = readJson(path.join(first, name));
    ajv.addSchema(schema, `https://www.first.org/cvss/${name}`);
  }
  const csafSchema = readJson(path.join(CSAF_DATA, 'json_schema', 'csaf_json_schema.json'));
  ajv.addSchema(csafSchema);
  const provider = ajv.compile(readJson(path.join(CSAF_DATA, 'json_schema', 'provider_json_schema.json')));
  const csaf = ajv.getSchema(csafSchema.$id as string)!;
  return { csaf, provider };
}
