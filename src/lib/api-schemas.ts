/**
 * The JSON API v1 output, as zod schemas: the one source for the TypeScript types the
 * converters in `to-api.ts` return and for the JSON Schemas published under
 * `/api/v1/schema/`. Pieces that mean the same thing as in the content model are taken
 * from `schemas/` (ids, versions, languages, the enums), so the API cannot drift from it.
 *
 * The content model accepts loose input (a KB number as "KB829436", a size as
 * "1,165,928", a label as a plain string); the API publishes the normalised output: KB
 * numbers and sizes are numbers, and every localized label is an object `{ ja, en }`.
 */
import { z } from 'zod';
import { ARCHITECTURES, BulletinId, IMPACTS, LANGS, RESTART_CATEGORIES, SEVERITIES, URGENCIES, Version } from '../../schemas/index.ts';
import { absoluteUrl } from './urls.ts';

const text = z.string().min(1);
const isoDate = z.iso.date().describe('Calendar day, ISO 8601 (YYYY-MM-DD).');
const url = z.url().describe('Absolute http(s) URL.');
const installedOn = text
  .optional()
  .describe('System the product is installed on, as the vendor writes it, when the vendor names the product as a component of that system (may list several systems).');
const severity = z.enum(SEVERITIES).describe('Vendor severity rating, lowest to highest: low, moderate, important, critical.');
const cve = z.string().regex(/^CVE-\d{4}-\d{4,7}$/).describe('CVE id. Old CAN- candidate ids are published as CVE-.');
const kb = z.int().positive().describe('Knowledge Base article number, e.g. 829436.');
const bytes = z.int().positive().describe('Exact size in bytes.');

const localized = z
  .strictObject({
    ja: text.optional().describe('Japanese text.'),
    en: text.optional().describe('English text.'),
  })
  .describe('Text per language. A language-neutral value (a product or file name) appears under both keys; a language the source lacks is left out.');

const pages = z
  .strictObject({ ja: url.describe('Japanese page.'), en: url.describe('English page.') })
  .describe('Absolute URLs of the bulletin page in each language.');

const rendered = z
  .strictObject({
    markdown: z.string().describe('Markdown as written.'),
    html: z.string().describe('The Markdown rendered to sanitized HTML (no scripts, no event handlers).'),
  })
  .describe('One piece of prose in Markdown and in HTML.');

const architecture = z.enum(ARCHITECTURES);

const apiFile = z
  .strictObject({
    folder: text.optional().describe('Install folder as the vendor writes it, environment variables kept (%EXSRVROOT%\\bin); absent when the vendor lists none.'),
    name: text,
    date: isoDate,
    version: Version.nullable().describe('File version; null where the vendor lists none.'),
    size: bytes,
    architecture: architecture.optional().describe('Processor architecture of this file, where the vendor gives it per file.'),
    branch: text.optional().describe('Servicing branch folder inside the update package (e.g. RTMQFE).'),
    description: localized.optional(),
    installer_helper: z.boolean().describe('Installer helper that may be absent after installation.'),
    note: localized.optional(),
  })
  .describe('A file the update installs.');

const apiRegistryKey = z
  .strictObject({
    hive: z.enum(['HKEY_LOCAL_MACHINE', 'HKEY_CURRENT_USER', 'HKEY_CLASSES_ROOT', 'HKEY_USERS']),
    path: text,
    key: text.describe('Hive and path joined with a backslash, ready to paste into regedit or reg query.'),
    value: z
      .strictObject({
        name: text,
        type: z.enum(['REG_DWORD', 'REG_QWORD', 'REG_SZ', 'REG_EXPAND_SZ', 'REG_MULTI_SZ', 'REG_BINARY']),
        data: z.union([z.int(), z.string()]),
      })
      .optional()
      .describe('A value the key holds once the update is installed, when the vendor names one.'),
    note: localized.optional().describe('What to know when checking this key.'),
  })
  .describe('A registry key whose presence shows the update is installed.');

export const ApiText = z
  .strictObject({
    lang: z.enum(LANGS),
    title: text.describe('Headline: what the flaw lets an attacker do.'),
    subtitle: text.optional().describe("Short form of the vendor's title."),
    action: text.describe('What to do now.'),
    summary: rendered.describe('What is wrong and what the fix changes.'),
    comment: rendered.optional().describe("The test team's notes from rolling the update out."),
    comment_by: text.optional().describe('Who wrote the comment.'),
    body: rendered.describe('Technical details (workarounds, installation notes).'),
    translated_from: z.enum(LANGS).optional().describe('Set on a translation: the language it was translated from.'),
  })
  .describe('Text of one language version.');

export const ApiBulletin = z
  .strictObject({
    $schema: url.describe('JSON Schema of this document.'),
    id: BulletinId,
    vendor: text,
    kb: z.array(kb),
    cves: z.array(cve),
    aliases: z.array(text).describe('Other names of the same bulletin.'),
    severity,
    impact: z.enum(IMPACTS),
    urgency: z.enum(URGENCIES).describe('How soon to act.'),
    published: isoDate.describe('First publication.'),
    modified: isoDate.optional().describe('Last change (latest revision), when there was one.'),
    withdrawn: isoDate.optional().describe('Set when the vendor withdrew the bulletin.'),
    last_modified: isoDate.describe('modified, or published when there is no later revision.'),
    revision_history: z
      .array(
        z.strictObject({
          version: z.string().regex(/^\d+(?:\.\d+)*$/).optional().describe("The vendor's revision number; absent where the source numbers none."),
          date: isoDate,
          summary: localized,
        }),
      )
      .describe('Vendor revision history, oldest first.'),
    affected: z
      .array(
        z.strictObject({
          id: z.string().describe('Key that packages[].platform points at.'),
          product: text,
          family: text.optional(),
          service_pack: text.optional().describe('Service pack (or baseline) the update requires.'),
          installed_on: installedOn,
          severity: severity.describe("Severity for this product (the bulletin's rating unless the vendor rates it differently)."),
          downloads: z
            .array(z.strictObject({ url, label: localized.optional().describe('Which variant the link is for.') }))
            .describe('Download links for this product, where the vendor gives links but no installer details.'),
          files: z.array(apiFile).describe('Files the update installs on this product (when there is no package entry).'),
          registry_keys: z.array(apiRegistryKey).describe('Registry keys that show the update is installed (when there is no package entry).'),
        }),
      )
      .min(1),
    not_affected: z.array(z.strictObject({ product: text, family: text.optional(), service_pack: text.optional(), installed_on: installedOn })),
    packages: z.array(
      z.strictObject({
        platform: text.describe('affected[].id of the product this package is for.'),
        file_name: text,
        language: text.describe('BCP-47 language of the installer.'),
        architecture,
        date: isoDate,
        version: Version.nullable().describe('Package version; null where the vendor lists none.'),
        size: bytes,
        url,
        restart_required: z.enum(RESTART_CATEGORIES).optional().describe('What restarts on installation (CSAF restart category).'),
        files: z.array(apiFile),
        registry_keys: z.array(apiRegistryKey),
        console: z
          .strictObject({ tool: text, view: localized, tab: text, name: text })
          .optional()
          .describe('Where a patch-management console lists the package.'),
        deployment: z
          .strictObject({
            tool: text,
            consoles: z.int().positive(),
            estimates: z.array(z.strictObject({ machines: z.int().positive(), minutes: z.int().positive() })).min(1),
          })
          .optional()
          .describe('Rollout time estimates: fleet size to whole minutes.'),
      }),
    ),
    verification: z.strictObject({ console_check: localized.optional(), file_check: localized.optional() }).optional(),
    deployment_note: localized.optional(),
    related: z.array(BulletinId),
    supersedes: z.array(BulletinId),
    superseded_by: z.array(BulletinId),
    references: z.array(
      z.strictObject({ url, title: localized, kind: z.enum(['vendor-advisory', 'kb', 'cve', 'download', 'other']) }),
    ),
    discrepancies: z
      .array(
        z.strictObject({
          field: text.describe('Field path of the fact in question, e.g. packages[1].registry_keys[0].path.'),
          other_value: text,
          other_source: text,
          other_url: url.optional(),
          note: localized,
        }),
      )
      .describe('Where sources disagree on a fact, and which value this bulletin keeps.'),
    sources: z.array(z.strictObject({ title: text, url: url.optional() })),
    text: z.strictObject({ ja: ApiText.optional(), en: ApiText.optional() }).describe('Prose per language; a language may be missing.'),
    urls: z.strictObject({
      pages,
      json: url.describe('This document.'),
      csaf: z
        .array(z.strictObject({ lang: z.enum(LANGS), url, source_lang: z.enum(LANGS).optional() }))
        .describe('CSAF 2.0 documents: the original first, then translations (with source_lang).'),
      verify_script: url.describe('PowerShell script that checks a host for the registry keys and file versions.'),
    }),
  })
  .describe('One bulletin: every fact, the text in both languages (Markdown and HTML), and links.');

export const ApiIndexEntry = z.strictObject({
  id: BulletinId,
  kb: z.array(kb),
  cves: z.array(cve),
  title: localized,
  severity,
  impact: z.enum(IMPACTS),
  urgency: z.enum(URGENCIES),
  published: isoDate,
  modified: isoDate.optional(),
  withdrawn: isoDate.optional(),
  last_modified: isoDate,
  products: z.array(text).describe('Names of the affected products.'),
  supersedes: z.array(BulletinId),
  superseded_by: z.array(BulletinId),
  pages,
  json: url.describe('/api/v1/bulletins/{id}.json'),
  json_sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .describe('SHA-256 of that file: fetch it again only when this value changed.'),
  csaf: url.optional().describe('The CSAF 2.0 document in the original language (absent only for a bulletin with no text).'),
});

export const ApiIndex = z
  .strictObject({
    $schema: url,
    count: z.int().nonnegative(),
    last_modified: isoDate.nullable().describe('Newest last_modified of all bulletins; null when there are none.'),
    bulletins: z.array(ApiIndexEntry).describe('Newest first (published, then id).'),
  })
  .describe('Index of all bulletins.');

export const ApiFiles = z
  .strictObject({
    $schema: url,
    count: z.int().nonnegative().describe('Number of distinct file names.'),
    files: z
      .array(
        z.strictObject({
          name: text.describe('File name in lower case (Windows file names are case-insensitive); sort key.'),
          entries: z
            .array(
              z.strictObject({
                bulletin: BulletinId,
                published: isoDate,
                severity,
                platform: text,
                product: text,
                service_pack: text.optional(),
                installed_on: installedOn,
                package: text.optional().describe('Installer file name, when the update is described as a package.'),
                name: text.describe('File name as the vendor spells it.'),
                folder: text.optional(),
                date: isoDate,
                version: Version.nullable(),
                size: bytes,
                architecture: architecture.optional(),
                branch: text.optional(),
                installer_helper: z.boolean(),
                description: localized.optional(),
              }),
            )
            .min(1)
            .describe('Every bulletin that ships this file, newest first.'),
        }),
      )
      .describe('Sorted by name.'),
  })
  .describe('Every installed file name: which bulletin ships which version.');

export const ApiProducts = z
  .strictObject({
    $schema: url,
    count: z.int().nonnegative(),
    products: z
      .array(
        z.strictObject({
          slug: z.string().regex(/^[a-z0-9-]+$/).describe('URL segment of the product page.'),
          name: text,
          family: text.optional(),
          pages,
          bulletins: z
            .array(
              z.strictObject({
                id: BulletinId,
                published: isoDate,
                status: z.enum(['affected', 'not_affected']),
                platform: text.optional().describe('affected[].id, for affected products.'),
                service_pack: text.optional(),
                installed_on: installedOn,
                severity: severity.optional().describe('Severity for this product, for affected products.'),
              }),
            )
            .min(1)
            .describe('Newest first.'),
        }),
      )
      .describe('Sorted by name.'),
  })
  .describe('Products and the bulletins that affect them (or state they are not affected).');

export type ApiBulletin = z.output<typeof ApiBulletin>;
export type ApiText = z.output<typeof ApiText>;
export type ApiIndex = z.output<typeof ApiIndex>;
export type ApiIndexEntry = z.output<typeof ApiIndexEntry>;
export type ApiFiles = z.output<typeof ApiFiles>;
export type ApiProducts = z.output<typeof ApiProducts>;
export type ApiLocalized = z.output<typeof localized>;
export type ApiFile = z.output<typeof apiFile>;
export type ApiRegistryKey = z.output<typeof apiRegistryKey>;

/** Published schemas by file name under `/api/v1/schema/`. */
export const API_SCHEMAS = {
  'bulletins.schema.json': { schema: ApiIndex, title: 'bulletin-kb API v1: bulletins.json' },
  'bulletin.schema.json': { schema: ApiBulletin, title: 'bulletin-kb API v1: bulletins/{id}.json' },
  'files.schema.json': { schema: ApiFiles, title: 'bulletin-kb API v1: files.json' },
  'products.schema.json': { schema: ApiProducts, title: 'bulletin-kb API v1: products.json' },
} as const;
export type ApiSchemaName = keyof typeof API_SCHEMAS;

/** Site-relative path of a published schema. */
export function apiSchemaPath(name: ApiSchemaName): string {
  return `api/v1/schema/${name}`;
}

/** The JSON Schema (draft 2020-12) of one API file, with its absolute `$id`. */
export function apiSchema(name: ApiSchemaName): Record<string, unknown> {
  const { schema, title } = API_SCHEMAS[name];
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'output' }) as Record<string, unknown>;
  const { $schema, ...rest } = json;
  return { $schema, $id: absoluteUrl(apiSchemaPath(name)), title, ...rest };
}

/** Stable JSON text of one schema (2-space indent, trailing newline). */
export function apiSchemaJson(name: ApiSchemaName): string {
  return `${JSON.stringify(apiSchema(name), null, 2)}\n`;
}
