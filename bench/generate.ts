/**
 * Generates N bilingual benchmark bulletins shaped like real ones. Each generated bulletin
 * takes the measured shape of a real Microsoft bulletin (bench/shapes.json: how many CVEs,
 * KB articles, packages, file-table rows, registry keys, revisions, headings and how much
 * prose), and fills it with fictional Contoso facts and Japanese / English prose built from
 * bench/vocabulary.ts. Same N and seed give byte-identical files.
 *
 * CLI: node bench/generate.ts --n 1000 [--seed 1] --out DIR
 *   writes DIR/bulletins/{id}/bulletin.yaml, ja.md, en.md (DIR must not exist or be empty).
 *   --prose-scale X: share of the real prose to write (default: the project's editorial ratio
 *   in bench/shapes.json, about 8 %; 1 writes vendor-document length).
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { SHAPE_FIELDS, type BulletinShape, type ShapesFile } from './real-shapes.ts';
import {
  ACTIONS,
  COMPONENTS,
  FAMILIES,
  FAQ,
  FILE_EXTENSIONS,
  IMPACT_TEXT,
  IMPACT_WEIGHTS,
  PORTS,
  SECTION_HEADINGS,
  SENTENCES,
  SERVICES,
  SETTINGS,
  SEVERITY_WEIGHTS,
  SWITCHES,
  VECTORS,
  VENDOR,
  type Pair,
  type ProductFamily,
} from './vocabulary.ts';

/** Small, fast, seedable PRNG (mulberry32): the same seed gives the same sequence everywhere. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const int = (rng: Rng, min: number, max: number) => min + Math.floor(rng() * (max - min + 1));
const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;
function weighted<T>(rng: Rng, list: ReadonlyArray<readonly [T, number]>): T {
  const total = list.reduce((sum, [, w]) => sum + w, 0);
  let r = rng() * total;
  for (const [value, w] of list) if ((r -= w) < 0) return value;
  return list[list.length - 1]![0];
}

/** Family mix: operating system and browser bulletins dominate real archives. */
const FAMILY_WEIGHTS: ReadonlyArray<readonly [string, number]> = [
  ['os', 38],
  ['browser', 14],
  ['office', 16],
  ['mail', 5],
  ['db', 4],
  ['media', 6],
  ['runtime', 7],
  ['web', 4],
  ['directory', 3],
  ['messenger', 1],
  ['devtools', 2],
];

export const SHAPES_PATH = path.join(import.meta.dirname, 'shapes.json');

export function loadShapes(file = SHAPES_PATH): BulletinShape[] {
  const data = JSON.parse(readFileSync(file, 'utf8')) as ShapesFile;
  return data.rows.map((row) => Object.fromEntries(data.fields.map((field, i) => [field, row[i]])) as unknown as BulletinShape);
}

/**
 * Share of a vendor bulletin's prose that the project's own bulletins keep (bench/shapes.json
 * `editorial`, measured on the project's bulletins against their Microsoft originals). The
 * generator's default: prose as long as a hand-written bulletin of that shape would have.
 */
export function editorialRatio(file = SHAPES_PATH): number {
  return (JSON.parse(readFileSync(file, 'utf8')) as ShapesFile).editorial.ratio;
}

/** What is decided for all bulletins up front: identity, dates and references between them. */
export interface BulletinPlan {
  /** Position in id order. */
  index: number;
  id: string;
  folder: string;
  published: string;
  family: ProductFamily;
  shape: BulletinShape;
  cves: string[];
  kbs: number[];
  supersedes: string[];
  supersededBy: string[];
  related: string[];
}

const isoDay = (year: number, dayOfYear: number) => new Date(Date.UTC(year, 0, 1 + dayOfYear)).toISOString().slice(0, 10);
const addDays = (iso: string, days: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** Plans N bulletins: shapes are drawn from the real ones with replacement, ids follow publication order. */
export function planBulletins(n: number, seed: number, shapes: readonly BulletinShape[] = loadShapes()): BulletinPlan[] {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be a positive whole number (got ${n})`);
  const rng = mulberry32(seed);
  const draws = Array.from({ length: n }, (_, i) => {
    const shape = pick(rng, shapes);
    const day = int(rng, 0, 363);
    const available = FAMILIES.filter((f) => f.versions.some((v) => v.year <= shape.year));
    const key = weighted(rng, FAMILY_WEIGHTS);
    const family = available.find((f) => f.key === key) ?? available[0]!;
    return { i, shape, day, family };
  });
  draws.sort((a, b) => a.shape.year - b.shape.year || a.day - b.day || a.i - b.i);
  const perYear = new Map<number, number>();
  const cvePerYear = new Map<number, number>();
  let nextKb = 900_001;
  const plans: BulletinPlan[] = draws.map((draw, index) => {
    const year = draw.shape.year;
    const number = (perYear.get(year) ?? 0) + 1;
    perYear.set(year, number);
    const id = `CS${String(year % 100).padStart(2, '0')}-${String(number).padStart(3, '0')}`;
    const cves: string[] = [];
    for (let c = 0; c < draw.shape.cves; c++) {
      const next = (cvePerYear.get(year) ?? 1000) + 1;
      cvePerYear.set(year, next);
      cves.push(`CVE-${year}-${next}`);
    }
    const kbs = Array.from({ length: Math.max(1, draw.shape.kbs) }, () => nextKb++);
    return {
      index,
      id,
      folder: id.toLowerCase(),
      published: isoDay(year, draw.day),
      family: draw.family,
      shape: draw.shape,
      cves,
      kbs,
      supersedes: [],
      supersededBy: [],
      related: [],
    };
  });
  // About a third of real bulletins replace an earlier update for the same product family.
  const lastByFamily = new Map<string, number[]>();
  for (const plan of plans) {
    const earlier = lastByFamily.get(plan.family.key) ?? [];
    if (earlier.length > 0 && rng() < 0.35) {
      const target = plans[pick(rng, earlier.slice(-40))]!;
      plan.supersedes.push(target.id);
      target.supersededBy.push(plan.id);
    }
    if (plan.index > 0 && rng() < 0.1) {
      const other = plans[int(rng, 0, plan.index - 1)]!;
      if (!plan.supersedes.includes(other.id)) plan.related.push(other.id);
    }
    earlier.push(plan.index);
    lastByFamily.set(plan.family.key, earlier);
  }
  return plans;
}

/** One generated bulletin folder: its name and files. */
export interface GeneratedBulletin {
  folder: string;
  files: { 'bulletin.yaml': string; 'ja.md': string; 'en.md': string };
}

const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9.]+/g, '-').replace(/^-+|-+$/g, '');
const pascal = (text: string) => text.replace(/^Contoso /, '').replace(/[^A-Za-z0-9.]+/g, '');

interface Context {
  rng: Rng;
  plan: BulletinPlan;
  products: string[];
  files: string[];
  folders: readonly string[];
  component: Pair;
  vector: Pair;
  impact: Pair;
}

/** Fills a sentence pattern in both languages with the same slot values. */
function sentence(ctx: Context, pattern: Pair): Pair {
  const { rng, plan } = ctx;
  const values: Record<string, Pair> = {};
  const slot = (name: string): Pair => {
    if (values[name]) return values[name];
    let value: Pair;
    switch (name) {
      case 'product': {
        const p = pick(rng, ctx.products);
        value = [p, p];
        break;
      }
      case 'component':
        value = rng() < 0.7 ? ctx.component : pick(rng, COMPONENTS);
        break;
      case 'vector':
        value = rng() < 0.7 ? ctx.vector : pick(rng, VECTORS);
        break;
      case 'impact':
        value = ctx.impact;
        break;
      case 'file': {
        const f = `\`${pick(rng, ctx.files)}\``;
        value = [f, f];
        break;
      }
      case 'folder': {
        const f = `\`${pick(rng, ctx.folders)}\``;
        value = [f, f];
        break;
      }
      case 'cve': {
        const c = plan.cves.length > 0 ? pick(rng, plan.cves) : undefined;
        value = c ? [`[${c}](https://www.cve.org/CVERecord?id=${c})`, `[${c}](https://www.cve.org/CVERecord?id=${c})`] : ['共通脆弱性識別子', 'a CVE identifier'];
        break;
      }
      case 'kb': {
        const kb = pick(rng, plan.kbs);
        value = [`[${kb}](https://support.contoso.example/kb/${kb})`, `[${kb}](https://support.contoso.example/kb/${kb})`];
        break;
      }
      case 'port': {
        const port = String(pick(rng, PORTS));
        value = [port, port];
        break;
      }
      case 'service': {
        const s = pick(rng, SERVICES);
        value = [s, s];
        break;
      }
      case 'setting': {
        const s = `\`${pick(rng, SETTINGS)}\``;
        value = [s, s];
        break;
      }
      default:
        throw new Error(`unknown slot {${name}} in a sentence pattern`);
    }
    values[name] = value;
    return value;
  };
  const fill = (text: string, lang: 0 | 1) => text.replace(/\{(\w+)\}/g, (_, name: string) => slot(name)[lang]);
  // Slot values are chosen while filling the Japanese text, then reused for the English.
  const ja = fill(pattern[0], 0);
  const en = fill(pattern[1], 1);
  return [ja, en];
}

function paragraph(ctx: Context, sentences: number): Pair {
  const parts: Pair[] = Array.from({ length: sentences }, () => sentence(ctx, pick(ctx.rng, SENTENCES)));
  return [parts.map((p) => p[0]).join(''), parts.map((p) => p[1]).join(' ')];
}

/** Builds the Markdown body in both languages until the Japanese side reaches `targetChars`. */
function body(ctx: Context, targetChars: number, headings: number, packageFiles: readonly string[]): Pair {
  const { rng, plan } = ctx;
  const ja: string[] = [];
  const en: string[] = [];
  let jaChars = 0;
  const push = (pair: Pair) => {
    ja.push(pair[0]);
    en.push(pair[1]);
    jaChars += pair[0].length;
  };
  const sections = Math.max(1, headings);
  const perSection = targetChars / sections;
  let switchesShown = false;
  for (let s = 0; s < sections; s++) {
    const heading = s === 0 ? SECTION_HEADINGS[0]! : pick(rng, SECTION_HEADINGS);
    const level = s % 4 === 0 ? '##' : '###';
    const cve = heading === SECTION_HEADINGS[2] || heading === SECTION_HEADINGS[4] ? plan.cves[s % Math.max(1, plan.cves.length)] : undefined;
    push([`${level} ${heading[0]}${cve ? ` - ${cve}` : ''}`, `${level} ${heading[1]}${cve ? ` - ${cve}` : ''}`]);
    const goal = jaChars + perSection;
    let blocks = 0;
    while (jaChars < goal || blocks === 0) {
      blocks++;
      const roll = rng();
      if (heading === SECTION_HEADINGS[12] && !switchesShown) {
        switchesShown = true;
        const rows = SWITCHES.slice(0, int(rng, 4, SWITCHES.length));
        push([
          ['| スイッチ | 説明 |', '|---|---|', ...rows.map(([sw, j]) => `| \`${sw}\` | ${j} |`)].join('\n'),
          ['| Switch | Description |', '|---|---|', ...rows.map(([sw, , e]) => `| \`${sw}\` | ${e} |`)].join('\n'),
        ]);
      } else if (heading === SECTION_HEADINGS[5] && roll < 0.6) {
        const q = pick(rng, FAQ);
        const a = paragraph(ctx, int(rng, 2, 4));
        push([`**${q[0]}**\n\n${a[0]}`, `**${q[1]}**\n\n${a[1]}`]);
      } else if (roll < 0.68) {
        push(paragraph(ctx, int(rng, 2, 5)));
      } else if (roll < 0.86) {
        const items = Array.from({ length: int(rng, 3, 6) }, () => sentence(ctx, pick(rng, SENTENCES)));
        push([items.map((i) => `- ${i[0]}`).join('\n'), items.map((i) => `- ${i[1]}`).join('\n')]);
      } else if (roll < 0.94) {
        const steps = Array.from({ length: int(rng, 3, 5) }, () => sentence(ctx, pick(rng, SENTENCES)));
        push([steps.map((i, n) => `${n + 1}. ${i[0]}`).join('\n'), steps.map((i, n) => `${n + 1}. ${i[1]}`).join('\n')]);
      } else {
        const command = `${pick(rng, packageFiles.length > 0 ? packageFiles : ['update.exe'])} /quiet /norestart`;
        push(['次のコマンドで無人インストールを実行できます。\n\n```\n' + command + '\n```', 'To install without user interaction, run:\n\n```\n' + command + '\n```']);
      }
    }
  }
  return [ja.join('\n\n') + '\n', en.join('\n\n') + '\n'];
}

const localized = (pair: Pair) => ({ ja: pair[0], en: pair[1] });

/**
 * Generates one bulletin's three files from its plan. Pure: same plan, seed and scale, same
 * text. `proseScale` is the share of the real bulletin's prose (and headings) to write: 1 for
 * vendor-document length, `editorialRatio()` for the project's own density.
 */
export function generateBulletin(plan: BulletinPlan, seed: number, proseScale = 1): GeneratedBulletin {
  const rng = mulberry32((seed ^ Math.imul(plan.index + 1, 0x9e3779b1)) >>> 0);
  const { shape, family, published } = plan;
  const year = Number(published.slice(0, 4));
  const severity = weighted(rng, SEVERITY_WEIGHTS);
  const impact = weighted(rng, IMPACT_WEIGHTS);
  const urgency = ({ critical: 'immediate', important: 'high', moderate: 'normal', low: 'low' } as Record<string, string>)[severity]!;

  // Revision history: at least the first publication, then later dated revisions.
  const revisions: Array<{ version: string; date: string; summary: { ja: string; en: string } }> = [];
  let date = published;
  for (let r = 0; r < Math.max(1, shape.revisions); r++) {
    if (r > 0) date = addDays(date, int(rng, 1, 60));
    revisions.push({
      version: r === 0 ? '1.0' : `1.${r}`,
      date,
      summary:
        r === 0
          ? { ja: 'セキュリティ情報を公開しました。', en: 'Bulletin published.' }
          : localized(pick(rng, [
              ['影響を受けるソフトウェアの一覧を更新しました。', 'Updated the list of affected software.'],
              ['既知の問題の情報を追加しました。', 'Added information on known issues.'],
              ['ファイル情報を訂正しました。', 'Corrected the file information.'],
              ['検出の変更について説明を追加しました。', 'Added a note on a detection change.'],
            ] as const)),
    });
  }

  // Product variants that existed when the bulletin was published (at most 12 years back).
  const versions = family.versions.filter((v) => v.year <= year && v.year >= year - 12);
  const pool = (versions.length > 0 ? versions : [family.versions[0]!]).flatMap((v) =>
    v.servicePacks.slice(-2).map((sp) => ({ product: v.name, sp })),
  );
  let packageCount = shape.packages;
  if (packageCount === 0 && shape.fileRows > 0) packageCount = 1;
  const affectedCount = Math.max(1, Math.min(pool.length, packageCount > 0 ? Math.ceil(packageCount / int(rng, 1, 3)) : int(rng, 1, 3)));
  const start = int(rng, 0, pool.length - affectedCount);
  const affected = pool.slice(start, start + affectedCount).map((variant) => ({
    id: slug(`${family.key}-${variant.product.replace(/^Contoso /, '').replace(family.family.replace(/^Contoso /, ''), '')}-${variant.sp}`),
    product: variant.product,
    family: family.family,
    service_pack: variant.sp,
    ...(severity !== 'low' && rng() < 0.25 ? { severity: severity === 'critical' ? 'important' : 'moderate' } : {}),
  }));
  const newer = family.versions.filter((v) => v.year > year - 3 && !affected.some((a) => a.product === v.name));
  const notAffected = rng() < 0.4 ? newer.slice(0, int(rng, 1, 3)).map((v) => ({ product: v.name, family: family.family })) : [];

  // Files and registry keys are spread over the packages the way the real tables are: every
  // package gets its share of the bulletin's file rows.
  const architectures = ['x86', 'x64', 'ia64'] as const;
  const kb = plan.kbs[0]!;
  // Files of one update mostly share a build: the real tables hold about ten rows per
  // distinct version, and each distinct version is a word the search index keeps. The
  // bulletin gets its real count of distinct versions (shape.fileVersions), dealt out to the
  // affected products in turn; the files of a product's packages take turns over its share.
  const builds = Array.from({ length: shape.fileVersions }, (_, i) => {
    const major = 5 + family.versions.findIndex((v) => v.name === affected[i % affected.length]!.product);
    return `${major}.${int(rng, 0, 3)}.${int(rng, 2195, 9600)}.${int(rng, 16, 23000)}`;
  });
  const buildsOf = affected.map((_, a) => {
    const own = builds.filter((__, i) => i % affected.length === a);
    // Fewer builds than products: the products share them.
    return own.length > 0 || builds.length === 0 ? own : [builds[a % builds.length]!];
  });
  const fileNames: string[] = [];
  const packages = Array.from({ length: packageCount }, (_, p) => {
    const product = affected[p % affected.length]!;
    const architecture = architectures[Math.floor(p / affected.length) % architectures.length]!;
    const fileName = `${pascal(product.product)}${product.service_pack}-KB${kb}-${architecture}-JPN.exe`;
    const rows = Math.floor(shape.fileRows / packageCount) + (p < shape.fileRows % packageCount ? 1 : 0);
    const keys = Math.floor(shape.registryKeys / packageCount) + (p < shape.registryKeys % packageCount ? 1 : 0);
    const seen = new Set<string>();
    const productBuilds = buildsOf[p % affected.length]!;
    const files = Array.from({ length: rows }, (_, f) => {
      let name = `${pick(rng, family.stems)}.${pick(rng, FILE_EXTENSIONS)}`;
      if (seen.has(name)) name = name.replace(/\./, `${f}.`);
      seen.add(name);
      fileNames.push(name);
      return {
        folder: pick(rng, family.folders),
        name,
        date: addDays(published, -int(rng, 2, 40)),
        version: productBuilds.length === 0 || rng() < 0.05 ? null : productBuilds[f % productBuilds.length]!,
        size: int(rng, 4_096, 18_000_000),
        ...(rng() < 0.15 ? { description: `${pascal(family.family)} ${pick(rng, ['Library', 'Driver', 'Service', 'Resources', 'Runtime'])}` } : {}),
      };
    });
    const registry = Array.from({ length: keys }, (_, k) => ({
      hive: 'HKEY_LOCAL_MACHINE',
      path: `SOFTWARE\\Contoso\\Updates\\${product.product}\\${product.service_pack}\\KB${plan.kbs[k % plan.kbs.length]}${k >= plan.kbs.length ? `\\Filelist${k}` : ''}`,
    }));
    return {
      platform: product.id,
      file_name: fileName,
      language: 'ja',
      architecture,
      date: addDays(published, -int(rng, 1, 14)),
      version: rng() < 0.4 ? null : `${int(rng, 1, 9)}.${int(rng, 0, 9)}.${int(rng, 1, 999)}.${int(rng, 0, 99)}`,
      size: int(rng, 150_000, 60_000_000),
      url: `https://download.contoso.example/ja/kb${kb}/${fileName}`,
      restart_required: weighted(rng, [['machine', 6], ['service', 3], ['none', 1]] as const),
      files,
      registry_keys: registry,
    };
  });

  const component = pick(rng, COMPONENTS);
  const vector = pick(rng, VECTORS);
  const impactText = IMPACT_TEXT[impact]!;
  const references = [
    { url: `https://security.contoso.example/bulletins/${plan.folder}`, title: { ja: `Contoso セキュリティ情報 ${plan.id}`, en: `Contoso Security Bulletin ${plan.id}` }, kind: 'vendor-advisory' },
    ...plan.kbs.map((n) => ({ url: `https://support.contoso.example/kb/${n}`, title: { ja: `サポート技術情報 ${n}`, en: `Knowledge Base article ${n}` }, kind: 'kb' })),
    ...plan.cves.map((cve) => ({ url: `https://www.cve.org/CVERecord?id=${cve}`, title: cve, kind: 'cve' })),
    ...packages.slice(0, 3).map((pkg) => ({ url: pkg.url, title: { ja: `${pkg.file_name} のダウンロード`, en: `Download ${pkg.file_name}` }, kind: 'download' })),
  ];
  const withKey = packages.findIndex((pkg) => pkg.registry_keys.length > 0);
  const discrepancies =
    withKey >= 0 && rng() < 0.03
      ? [
          {
            field: `packages[${withKey}].registry_keys[0].path`,
            other_value: packages[withKey]!.registry_keys[0]!.path.replace(/\\(SP\d|RTM|CU\d)\\/, '\\Service Pack\\'),
            other_source: 'Contoso deployment guide',
            note: {
              ja: '資料によってキーの表記が異なります。インストールの確認では両方のキーを確認してください。',
              en: 'The sources spell the key differently; when verifying an installation, check for either key.',
            },
          },
        ]
      : [];

  const facts = {
    id: plan.id,
    vendor: VENDOR,
    kb: plan.kbs,
    cves: plan.cves,
    severity,
    impact,
    urgency,
    published,
    ...(revisions.length > 1 ? { modified: revisions[revisions.length - 1]!.date } : {}),
    revision_history: revisions,
    affected,
    ...(notAffected.length > 0 ? { not_affected: notAffected } : {}),
    packages,
    ...(rng() < 0.5
      ? {
          verification: {
            file_check: {
              ja: '「ファイル情報」に示したバージョンのファイルに置き換わっていることを確認します。',
              en: 'Check that the files listed under "Files installed" have the versions shown.',
            },
          },
        }
      : {}),
    ...(plan.related.length > 0 ? { related: plan.related } : {}),
    ...(plan.supersedes.length > 0 ? { supersedes: plan.supersedes } : {}),
    ...(plan.supersededBy.length > 0 ? { superseded_by: plan.supersededBy } : {}),
    references,
    ...(discrepancies.length > 0 ? { discrepancies } : {}),
    sources: [{ title: `Generated benchmark bulletin (bench/generate.ts, seed ${seed}); not a real advisory` }],
  };

  const ctx: Context = {
    rng,
    plan,
    products: affected.map((a) => `${a.product} ${a.service_pack}`),
    files: fileNames.length > 0 ? fileNames : family.stems.map((s) => `${s}.dll`),
    folders: family.folders,
    component,
    vector,
    impact: impactText,
  };
  const target = shape.proseChars * proseScale;
  // Short bulletins get a one-paragraph summary, as the hand-written ones have.
  const summary = Array.from({ length: target < 2500 ? 1 : int(rng, 2, 3) }, () => paragraph(ctx, int(rng, 2, 4)));
  const summaryPair: Pair = [summary.map((p) => p[0]).join('\n\n'), summary.map((p) => p[1]).join('\n\n')];
  const comment = rng() < 0.3 ? paragraph(ctx, int(rng, 2, 3)) : undefined;
  const used = summaryPair[0].length + (comment?.[0].length ?? 0);
  const [bodyJa, bodyEn] = body(ctx, Math.max(150, target - used), Math.max(1, Math.round(shape.headings * proseScale)), packages.map((p) => p.file_name));

  const impactTitle = impactText[1].replace(/^./, (c) => c.toLowerCase());
  const text = (lang: 'ja' | 'en', bodyText: string) => {
    const l = lang === 'ja' ? 0 : 1;
    const front = {
      id: plan.id,
      lang,
      ...(lang === 'en' ? { translated_from: 'ja' } : {}),
      title: lang === 'ja' ? `${component[0]}の脆弱性により、${impactText[0]}可能性がある` : `Vulnerability in ${component[1]} could allow ${impactTitle}`,
      subtitle: lang === 'ja' ? `${family.family} のセキュリティ更新プログラム (${plan.kbs.join(', ')})` : `Security update for ${family.family} (${plan.kbs.join(', ')})`,
      action: ACTIONS[severity]![l],
      summary: `${summaryPair[l]}\n`,
      ...(comment ? { comment_by: lang === 'ja' ? 'Contoso 検証チーム' : 'Contoso validation team', comment: `${comment[l]}\n` } : {}),
    };
    return `---\n${stringify(front, { lineWidth: 0 })}---\n\n${bodyText}`;
  };

  const header = `# Generated by bench/generate.ts (seed ${seed}): benchmark content, not a real advisory.\n`;
  return {
    folder: plan.folder,
    files: {
      'bulletin.yaml': header + stringify(facts, { lineWidth: 0 }),
      'ja.md': text('ja', bodyJa),
      'en.md': text('en', bodyEn),
    },
  };
}

export interface GenerateOptions {
  n: number;
  seed?: number;
  shapes?: readonly BulletinShape[];
  /** Share of the real prose length to write (default `editorialRatio()`; 1 = vendor length). */
  proseScale?: number;
}

/** Yields the N bulletins one at a time, so callers can write them without holding all in memory. */
export function* generateBulletins({ n, seed = 1, shapes, proseScale = editorialRatio() }: GenerateOptions): Generator<GeneratedBulletin> {
  if (!(proseScale > 0 && proseScale <= 10)) throw new RangeError(`proseScale must be above 0 and at most 10 (got ${proseScale})`);
  for (const plan of planBulletins(n, seed, shapes)) yield generateBulletin(plan, seed, proseScale);
}

/** Writes N generated bulletins below `dir/bulletins/`. Returns the count and bytes written. */
export async function writeGeneratedContent(dir: string, options: GenerateOptions): Promise<{ bulletins: number; bytes: number }> {
  const root = path.join(dir, 'bulletins');
  await mkdir(root, { recursive: true });
  if ((await readdir(root)).length > 0) throw new Error(`${root} is not empty: generate into a new folder so old bulletins do not mix in`);
  let bulletins = 0;
  let bytes = 0;
  let batch: Promise<void>[] = [];
  for (const generated of generateBulletins(options)) {
    const folder = path.join(root, generated.folder);
    batch.push(
      mkdir(folder).then(async () => {
        for (const [name, content] of Object.entries(generated.files)) {
          await writeFile(path.join(folder, name), content);
          bytes += Buffer.byteLength(content);
        }
      }),
    );
    bulletins++;
    if (batch.length >= 64) {
      await Promise.all(batch);
      batch = [];
    }
  }
  await Promise.all(batch);
  return { bulletins, bytes };
}

export { SHAPE_FIELDS };

if (import.meta.main) {
  const args = process.argv.slice(2);
  let n: number | undefined;
  let seed = 1;
  let proseScale: number | undefined;
  let out: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i]!.split('=', 2) as [string, string | undefined];
    const value = inline ?? args[++i];
    if (flag === '--n') n = Number(value);
    else if (flag === '--seed') seed = Number(value);
    else if (flag === '--out') out = value;
    else if (flag === '--prose-scale') proseScale = Number(value);
    else {
      console.error(`generate: unknown option ${flag}\nUsage: node bench/generate.ts --n N [--seed S] [--prose-scale X] --out DIR`);
      process.exit(2);
    }
  }
  if (!n || !Number.isInteger(n) || n < 1 || !out || !Number.isInteger(seed)) {
    console.error('Usage: node bench/generate.ts --n N [--seed S] --out DIR   (N a positive whole number)');
    process.exit(2);
  }
  const started = performance.now();
  const result = await writeGeneratedContent(path.resolve(out), { n, seed, ...(proseScale !== undefined ? { proseScale } : {}) });
  console.log(`generated ${result.bulletins} bulletins (${(result.bytes / 1e6).toFixed(1)} MB) into ${out} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
