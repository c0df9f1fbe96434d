/**
 * The language-independent facts of one bulletin, written once in
 * `content/bulletins/{id}/bulletin.yaml`. Prose lives in the per-language Markdown files
 * (see `text.ts`); short labels that differ by language are `Localized` values here.
 *
 * Field names follow OSV (`id`, `aliases`, `published`, `modified`, `withdrawn`,
 * `related`, `references`) and CSAF (`revision_history`, `remediations`,
 * `restart_required`) where those standards have a word for the thing.
 */
import { z } from 'zod';
import {
  BulletinId,
  ByteSize,
  CveId,
  IsoDate,
  KbNumber,
  Localized,
  SeverityField,
  Url,
  Version,
} from './common.ts';

/** What an attacker gains; the page shows a translated label. */
export const IMPACTS = [
  'remote-code-execution',
  'elevation-of-privilege',
  'denial-of-service',
  'information-disclosure',
  'spoofing',
  'tampering',
  'security-feature-bypass',
] as const;

/** How soon an administrator should act. */
export const URGENCIES = ['immediate', 'high', 'normal', 'low'] as const;

/** CSAF 2.0 restart categories (`/vulnerabilities[]/remediations[]/restart_required/category`). */
export const RESTART_CATEGORIES = [
  'none',
  'vulnerable_service',
  'service',
  'parent',
  'child',
  'system',
  'zone',
  'dependencies',
  'connected',
  'machine',
  'other',
] as const;

/** Registry hives by their full names; `HKLM`-style abbreviations are expanded. */
const HIVES: Record<string, string> = {
  HKEY_LOCAL_MACHINE: 'HKEY_LOCAL_MACHINE',
  HKLM: 'HKEY_LOCAL_MACHINE',
  HKEY_CURRENT_USER: 'HKEY_CURRENT_USER',
  HKCU: 'HKEY_CURRENT_USER',
  HKEY_CLASSES_ROOT: 'HKEY_CLASSES_ROOT',
  HKCR: 'HKEY_CLASSES_ROOT',
  HKEY_USERS: 'HKEY_USERS',
  HKU: 'HKEY_USERS',
};

export const NotAffectedProduct = z.strictObject({
  /** Product the vendor tested and found not vulnerable, without service pack. @example "Exchange Server 2003" */
  product: z.string().min(1),
  /** Product family. @example "Exchange Server" */
  family: z.string().min(1).optional(),
  /** Service pack (or other baseline) the statement is for, when the vendor names one. @example "SP3" */
  service_pack: z.string().min(1).optional(),
  /**
   * System the product runs on, as the vendor writes it, when the vendor names the product
   * as a component of that system. May list several systems.
   * @example "Windows Vista Service Pack 2"
   */
  installed_on: z.string().min(1).optional(),
});

/** Processor architectures of installers and installed files. */
export const ARCHITECTURES = ['x86', 'x64', 'ia64', 'arm64', 'any'] as const;

export const InstalledFile = z.strictObject({
  /**
   * Folder the file is installed into, as the vendor writes it (environment variables kept).
   * Left out when the vendor's file table has no folder column.
   * @example "%EXSRVROOT%\\bin"
   */
  folder: z.string().min(1).optional(),
  /** File name. @example "exsmtp.dll" */
  name: z.string().min(1).regex(/^[^\\/:*?"<>|\u0000-\u001f]+$/, {
    message: 'a file name cannot contain \\ / : * ? " < > | or control characters; put the path in "folder"',
  }),
  /** File date as the vendor lists it. */
  date: IsoDate,
  /** File version, or null where the vendor lists none. */
  version: Version.nullable(),
  /** Exact size in bytes. */
  size: ByteSize,
  /** Processor architecture of this file, where the vendor's table gives it per file. @example "ia64" */
  architecture: z.enum(ARCHITECTURES).optional(),
  /**
   * Servicing branch folder inside the update package, where the package carries one copy
   * per branch and Windows picks the copy that matches the updates already installed.
   * @example "RTMQFE"
   */
  branch: z.string().min(1).optional(),
  /** What the file is (vendor's description). @example "XEXCH50 sink DLL" */
  description: Localized.optional(),
  /** Installer helper that may not be present after installation (spmsg.dll, spuninst.exe). */
  installer_helper: z.boolean().default(false),
  /** Anything an administrator must know about this file. */
  note: Localized.optional(),
});

export const RegistryKey = z.strictObject({
  /** Registry hive. `HKLM` is accepted and written out in full. */
  hive: z
    .enum(Object.keys(HIVES) as [string, ...string[]], {
      error: (issue) => `${JSON.stringify(issue.input)} is not a registry hive: use HKEY_LOCAL_MACHINE (or HKLM), HKEY_CURRENT_USER, …`,
    })
    .transform((hive) => HIVES[hive] as string),
  /**
   * Key path below the hive, without a leading backslash.
   * @example "SOFTWARE\\Microsoft\\Updates\\Exchange Server 5.5\\SP5\\829436"
   */
  path: z
    .string()
    .min(1)
    .refine((path) => !path.startsWith('\\') && !/[\u0000-\u001f]/.test(path), {
      message: 'write the key path below the hive without a leading backslash or control characters',
    }),
  /** A value the key must hold, when the vendor names one (e.g. IsInstalled = 1). */
  value: z
    .strictObject({
      /** Value name. @example "IsInstalled" */
      name: z.string().min(1),
      /** Registry value type. @example "REG_DWORD" */
      type: z.enum(['REG_DWORD', 'REG_QWORD', 'REG_SZ', 'REG_EXPAND_SZ', 'REG_MULTI_SZ', 'REG_BINARY']),
      /** Data the value holds once the update is installed. @example 1 */
      data: z.union([z.number().int(), z.string()]),
    })
    .optional(),
  /** What an administrator should know when checking this key (a typo in the source, …). */
  note: Localized.optional(),
});

export const Download = z.strictObject({
  /** Where to download the update for this product. */
  url: Url,
  /** Which variant this link is for, when a product has several. @example { ja: "NEC PC-9800 シリーズ", en: "NEC PC-9800 series" } */
  label: Localized.optional(),
});

export const AffectedProduct = z.strictObject({
  /**
   * Stable key other fields point at (packages' `platform`), lower-case.
   * @example "exchange-5.5-sp4"
   */
  id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, {
    message: 'expected a lower-case key such as "exchange-5.5-sp4" (a-z, 0-9, "." and "-")',
  }),
  /**
   * Product name as the vendor writes it, without service pack.
   * @example "Exchange Server 5.5"
   */
  product: z.string().min(1),
  /** Product family, used to group product pages. @example "Exchange Server" */
  family: z.string().min(1).optional(),
  /** Service pack (or other baseline) that must be installed before the patch applies. @example "SP4" */
  service_pack: z.string().min(1).optional(),
  /**
   * System the product is installed on, as the vendor writes it, when the vendor names the
   * product as a component of that system ("Windows XP Service Pack 2 上の Internet Explorer
   * 6": `product` is the component, so one product page gathers it across systems). May
   * list several systems.
   * @example "Windows XP Service Pack 2"
   */
  installed_on: z.string().min(1).optional(),
  /** Severity for this product when it differs from the bulletin's overall rating. */
  severity: SeverityField.optional(),
  /**
   * Download links for this product's update, when the vendor gives links but no installer
   * details (file name, size); otherwise the update is described under `packages`.
   */
  downloads: z.array(Download).default([]),
  /** Files the update installs on this product, as the vendor's file table lists them (when there is no package entry). */
  files: z.array(InstalledFile).default([]),
  /** Registry keys that show the update is installed on this product (when there is no package entry). */
  registry_keys: z.array(RegistryKey).default([]),
});

export const DeploymentEstimate = z.strictObject({
  /** Number of machines in the rollout. @example 500 */
  machines: z.number().int().positive(),
  /** Estimated wall time in whole minutes (1 h 29 min is 89). @example 89 */
  minutes: z.number().int().positive(),
});

export const Package = z.strictObject({
  /** `id` of the affected product this package is for. @example "exchange-5.5-sp4" */
  platform: z.string().min(1),
  /** Installer file name. @example "Exchange5.5-KB829436-x86-jpn.EXE" */
  file_name: z.string().min(1),
  /** Language of the installer (BCP-47). @example "ja" */
  language: z.string().regex(/^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, { message: 'expected a BCP-47 language tag such as "ja" or "en-US"' }),
  /** Processor architecture. @example "x86" */
  architecture: z.enum(ARCHITECTURES),
  /** Package date. */
  date: IsoDate,
  /** Package version, or null where the vendor lists none (the seed's "−"). */
  version: Version.nullable(),
  /** Exact size in bytes. */
  size: ByteSize,
  /** Where to download it. */
  url: Url,
  /** What restarts when it is installed (CSAF category), when the source says. */
  restart_required: z.enum(RESTART_CATEGORIES).optional(),
  /** Files the package installs. */
  files: z.array(InstalledFile).default([]),
  /** Registry keys whose presence proves the package is installed. */
  registry_keys: z.array(RegistryKey).default([]),
  /** Where a patch-management console lists the package. */
  console: z
    .strictObject({
      /** Console product. @example "UpdateEXPERT" */
      tool: z.string().min(1),
      /** View. @example { ja: "展開ビュー", en: "Deployment view" } */
      view: Localized,
      /** Tab within the view. @example "Exchange" */
      tab: z.string().min(1),
      /** Name the package is registered under. */
      name: z.string().min(1),
    })
    .optional(),
  /** Rollout time estimates for this package. */
  deployment: z
    .strictObject({
      /** Deployment tool the estimates were measured with. @example "UpdateEXPERT" */
      tool: z.string().min(1),
      /** Number of consoles used. @example 1 */
      consoles: z.number().int().positive(),
      /** Fleet size to duration, smallest fleet first. */
      estimates: z.array(DeploymentEstimate).min(1),
    })
    .optional(),
});

export const RevisionEntry = z.strictObject({
  /**
   * The vendor's revision number. Left out when the source lists revisions by date only
   * (the Japanese editions do); never invented.
   * @example "2.0"
   */
  version: z.string().regex(/^\d+(?:\.\d+)*$/, { message: 'expected a revision number such as "1.0" or "2.1"' }).optional(),
  /** Date of the revision. */
  date: IsoDate,
  /** What changed. */
  summary: Localized,
});

export const Reference = z.strictObject({
  /** Link target. */
  url: Url,
  /** Link text. */
  title: Localized,
  /** What kind of reference this is. */
  kind: z.enum(['vendor-advisory', 'kb', 'cve', 'download', 'other']).default('other'),
});

export const Discrepancy = z.strictObject({
  /**
   * Field path of the fact in question, in the form the checker prints.
   * @example "packages[1].registry_keys[0].path"
   */
  field: z.string().min(1),
  /** What another source says instead. */
  other_value: z.string().min(1),
  /** Which source says it. @example "Microsoft Security Bulletin MS03-046 (V2.0)" */
  other_source: z.string().min(1),
  /** Link to that source. */
  other_url: Url.optional(),
  /** Why this bulletin keeps its value, and what an administrator should check. */
  note: Localized,
});

export const BulletinFacts = z.strictObject({
  /** Optional `$schema` pointer for editors; ignored by the build. */
  $schema: z.string().optional(),
  /** Bulletin id; the folder name is its lower-case form. */
  id: BulletinId,
  /** Vendor that published the bulletin. @example "Microsoft" */
  vendor: z.string().min(1),
  /** Knowledge Base articles that describe the update. */
  kb: z.array(KbNumber).default([]),
  /** CVE ids of the vulnerabilities fixed (`CAN-` ids normalised to `CVE-`). */
  cves: z.array(CveId).default([]),
  /** Other names of the same bulletin (advisory ids of other databases). */
  aliases: z.array(z.string().min(1)).default([]),
  /** Highest severity over all affected products. */
  severity: SeverityField,
  /** What an attacker gains. */
  impact: z.enum(IMPACTS),
  /** How soon to act; the page's action banner and CSAF remediation use it. */
  urgency: z.enum(URGENCIES),
  /** First publication. */
  published: IsoDate,
  /** Last change (the latest revision). */
  modified: IsoDate.optional(),
  /** Set when the vendor withdrew the bulletin. */
  withdrawn: IsoDate.optional(),
  /** Vendor revision history, oldest first. */
  revision_history: z.array(RevisionEntry).default([]),
  /** Products the vulnerability affects, with the service pack the patch requires. */
  affected: z.array(AffectedProduct).min(1),
  /** Products the vendor states are not affected. */
  not_affected: z.array(NotAffectedProduct).default([]),
  /** Update packages, one per platform and language. */
  packages: z.array(Package).default([]),
  /** How to confirm the update is installed, beyond the registry keys of each package. */
  verification: z
    .strictObject({
      /** What the patch console shows once installed. */
      console_check: Localized.optional(),
      /** How the replaced files confirm installation. */
      file_check: Localized.optional(),
    })
    .optional(),
  /** How the deployment estimates were made (caveats of the tool vendor). */
  deployment_note: Localized.optional(),
  /** Bulletins about the same problem. */
  related: z.array(BulletinId).default([]),
  /** Earlier bulletins this one replaces. */
  supersedes: z.array(BulletinId).default([]),
  /** Later bulletins that replace this one. */
  superseded_by: z.array(BulletinId).default([]),
  /** Further reading. */
  references: z.array(Reference).default([]),
  /** Where sources disagree on a fact, and which value this bulletin keeps. */
  discrepancies: z.array(Discrepancy).default([]),
  /** Where these facts were transcribed from. */
  sources: z
    .array(
      z.strictObject({
        /** Source name. */
        title: z.string().min(1),
        /** Link, when the source is online. */
        url: Url.optional(),
      }),
    )
    .default([]),
});

export type BulletinFactsInput = z.input<typeof BulletinFacts>;
export type BulletinFacts = z.output<typeof BulletinFacts>;
export type AffectedProduct = z.output<typeof AffectedProduct>;
export type NotAffectedProduct = z.output<typeof NotAffectedProduct>;
export type Package = z.output<typeof Package>;
export type InstalledFile = z.output<typeof InstalledFile>;
export type RegistryKey = z.output<typeof RegistryKey>;
export type Download = z.output<typeof Download>;
export type Reference = z.output<typeof Reference>;
export type RevisionEntry = z.output<typeof RevisionEntry>;
export type Discrepancy = z.output<typeof Discrepancy>;
