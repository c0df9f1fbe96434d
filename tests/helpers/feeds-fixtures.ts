/**
 * Shared by the feeds, API and CSAF tests: the committed content loaded the way the site
 * loads it (same parser, same Markdown renderer), plus offline validators.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DocumentTest } from '@secvisogram/csaf-validator-lib/validate.js';
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

const loaded = new Map<string, Promise<BulletinWithHtml[]>>();

/**
 * The committed content, parsed and rendered once per test file; fails loudly on content
 * errors. Callers share the result: copy before changing anything.
 */
export function loadSiteBulletins(dir = 'content'): Promise<BulletinWithHtml[]> {
  let result = loaded.get(dir);
  if (!result) loaded.set(dir, (result = readSiteBulletins(dir)));
  return result;
}

async function readSiteBulletins(dir: string): Promise<BulletinWithHtml[]> {
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

export interface CsafCheck {
  /** Official CSAF 2.0 JSON schema errors (ajv). */
  schema: string[];
  /** Failed mandatory tests of @secvisogram/csaf-validator-lib (section 6.1), with messages. */
  mandatory: string[];
}

let validators: ReturnType<typeof csafValidators> | undefined;

/**
 * Runs both offline checks on one document: the official JSON schema and every mandatory
 * test of the validator library (6.1.x; none of them touches the network).
 */
export async function checkCsaf(doc: unknown): Promise<CsafCheck> {
  validators ??= csafValidators();
  const { default: validate } = await import('@secvisogram/csaf-validator-lib/validate.js');
  // The module's named exports are the tests (mandatoryTest_6_1_1 …); it has no default export.
  const mandatory = (await import('@secvisogram/csaf-validator-lib/mandatoryTests.js')) as unknown as Record<string, DocumentTest>;
  const schemaOk = validators.csaf(doc);
  const schema = schemaOk ? [] : (validators.csaf.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
  const result = await validate(Object.values(mandatory), doc);
  const failed = result.tests
    .filter((t) => !t.isValid)
    .map((t) => `${t.name}: ${t.errors.map((e) => `${e.instancePath} ${e.message}`).join('; ')}`);
  return { schema, mandatory: failed };
}

/**
 * Every fact of the seed page MS03-046 was transcribed from, read with regular
 * expressions independent of any importer: what the exports must all carry.
 */
export function readSeedFacts() {
  const seed = readFileSync(path.join(SHARED, 'seed', 'MS03-046.updateexpert.ja.txt'), 'utf8');
  const estimates = seed.slice(seed.indexOf('UpdateEXPERTによる予想適用時間'));
  return {
    /** Byte sizes, as plain digits. */
    sizes: [...seed.matchAll(/\b\d{1,3}(?:,\d{3})+\b/g)].map((m) => Number(m[0].replaceAll(',', ''))),
    versions: [...seed.matchAll(/\b\d+(?:\.\d+){2,3}\b/g)].map((m) => m[0]),
    files: [...seed.matchAll(/[A-Za-z0-9][\w.-]*\.(?:dll|exe|EXE)\b/g)].map((m) => m[0]),
    /** Dates as yyyy-mm-dd. */
    dates: [...seed.matchAll(/\b(\d{4})\/(\d{2})\/(\d{2})\b/g)].map((m) => `${m[1]}-${m[2]}-${m[3]}`),
    /** Registry keys, the one wrapped over two lines joined with a space. */
    keys: [...seed.matchAll(/(HKEY_[A-Z_]+\\[^・|]+?)\n(?=・|\||$)/g)].map((m) => m[1]!.replace(/\n/g, ' ')),
    urls: [...seed.matchAll(/https?:\/\/[^\s|]+/g)].map((m) => m[0]),
    folders: [...seed.matchAll(/(%[A-Z]+%[^ |\n]*) \|/g)].map((m) => m[1]!),
    /** Deployment estimates in whole minutes ("1時間29分" is 89). */
    minutes: [...estimates.matchAll(/(?:(\d+)時間)?(\d+)分/g)].map((m) => Number(m[1] ?? 0) * 60 + Number(m[2])),
    /** Fleet sizes of the estimates table. */
    machines: [...new Set([...estimates.matchAll(/(\d+)台/g)].map((m) => Number(m[1])))],
  };
}
