import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import * as generate from '../bench/generate.ts';
import * as realShapes from '../bench/real-shapes.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const temps: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kb-bench-gen-'));
  temps.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

const readTree = (dir: string) => {
  const out: Record<string, string> = {};
  for (const folder of readdirSync(path.join(dir, 'bulletins')).sort()) {
    for (const file of readdirSync(path.join(dir, 'bulletins', folder)).sort()) {
      out[`${folder}/${file}`] = readFileSync(path.join(dir, 'bulletins', folder, file), 'utf8');
    }
  }
  return out;
};

describe('benchmark generator', () => {
  it('exports the generator, planner and shape tools and nothing else', () => {
    expect(Object.keys(generate).sort()).toEqual([
      'SHAPES_PATH',
      'SHAPE_FIELDS',
      'editorialRatio',
      'generateBulletin',
      'generateBulletins',
      'loadShapes',
      'mulberry32',
      'planBulletins',
      'writeGeneratedContent',
    ]);
    expect(Object.keys(realShapes).sort()).toEqual([
      'REAL_ARCHIVE',
      'ROOT',
      'SHAPES_SOURCE',
      'SHAPE_FIELDS',
      'formatShapesFile',
      'measureArchive',
      'measureEditorial',
      'measureFolder',
      'measureShape',
      'projectProseChars',
      'toShapesFile',
      'withArchive',
    ]);
  });

  it('writes bilingual bulletins that kb check accepts with no errors and no warnings', async () => {
    const dir = tempDir();
    const written = await generate.writeGeneratedContent(dir, { n: 80, seed: 7 });
    expect(written.bulletins).toBe(80);
    const folders = readdirSync(path.join(dir, 'bulletins'));
    expect(folders).toHaveLength(80);
    for (const folder of folders) expect(readdirSync(path.join(dir, 'bulletins', folder)).sort()).toEqual(['bulletin.yaml', 'en.md', 'ja.md']);
    const result = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'kb.mjs'), 'check', '--content', dir, '--format', 'json'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual([]);
    expect(result.status).toBe(0);
  });

  it('gives byte-identical files for the same count and seed, and different ones for another seed', async () => {
    const a = tempDir();
    const b = tempDir();
    const c = tempDir();
    await generate.writeGeneratedContent(a, { n: 25, seed: 3 });
    await generate.writeGeneratedContent(b, { n: 25, seed: 3 });
    await generate.writeGeneratedContent(c, { n: 25, seed: 4 });
    const treeA = readTree(a);
    expect(Object.keys(treeA)).toHaveLength(75);
    expect(readTree(b)).toEqual(treeA);
    expect(readTree(c)).not.toEqual(treeA);
  });

  it('refuses to write into a folder that already holds bulletins', async () => {
    const dir = tempDir();
    await generate.writeGeneratedContent(dir, { n: 2, seed: 1 });
    await expect(generate.writeGeneratedContent(dir, { n: 2, seed: 1 })).rejects.toThrow(/is not empty/);
  });

  it('rejects a bulletin count that is not a positive whole number', () => {
    expect(() => generate.planBulletins(0, 1)).toThrow(RangeError);
    expect(() => generate.planBulletins(2.5, 1)).toThrow(/positive whole number/);
  });

  it('carries each real shape over: CVE, KB, file-row, distinct-version, registry-key and revision counts and prose length', () => {
    const shapes = generate.loadShapes();
    const plans = generate.planBulletins(60, 11, shapes);
    let distinctVersions = 0;
    let measuredVersions = 0;
    for (const plan of plans) {
      const { files } = generate.generateBulletin(plan, 11);
      const facts = parse(files['bulletin.yaml']);
      const { shape } = plan;
      expect(facts.cves).toHaveLength(shape.cves);
      expect(facts.kb).toHaveLength(Math.max(1, shape.kbs));
      const rows = facts.packages.reduce((sum: number, p: { files: unknown[] }) => sum + p.files.length, 0);
      const keys = facts.packages.reduce((sum: number, p: { registry_keys: unknown[] }) => sum + p.registry_keys.length, 0);
      expect(rows).toBe(shape.fileRows);
      // Files share builds as the real tables do: never more distinct versions than measured.
      const versions = new Set(facts.packages.flatMap((p: { files: Array<{ version: string | null }> }) => p.files.map((f) => f.version).filter(Boolean)));
      expect(versions.size).toBeLessThanOrEqual(shape.fileVersions);
      distinctVersions += versions.size;
      measuredVersions += shape.fileVersions;
      expect(keys).toBe(facts.packages.length > 0 ? shape.registryKeys : 0);
      expect(facts.revision_history).toHaveLength(Math.max(1, shape.revisions));
      expect(Number(facts.published.slice(0, 4))).toBe(shape.year);
      // Japanese prose (summary, comment and body) lands within a paragraph of the real length.
      const ja = files['ja.md'];
      const prose = ja.split('\n---\n').slice(1).join('') + (parse(ja.split('---\n')[1]!).summary as string);
      expect(prose.length).toBeGreaterThan(shape.proseChars * 0.7);
      expect(prose.length).toBeLessThan(Math.max(shape.proseChars, 300) * 1.6 + 2000);
      expect(files['en.md']).toContain('translated_from: ja');
    }
    // Only the few rows without a version (5 %) can leave a build unused.
    expect(measuredVersions).toBeGreaterThan(50);
    expect(distinctVersions / measuredVersions).toBeGreaterThan(0.9);
  });

  it('writes prose at the editorial ratio of the project bulletins by default', () => {
    const ratio = generate.editorialRatio();
    expect(ratio).toBeGreaterThan(0.01);
    expect(ratio).toBeLessThan(1);
    const plans = generate.planBulletins(80, 4);
    const defaults = [...generate.generateBulletins({ n: 80, seed: 4 })];
    let target = 0;
    let written = 0;
    plans.forEach((plan, i) => {
      expect(defaults[i]!.folder).toBe(plan.folder);
      target += plan.shape.proseChars * ratio;
      written += realShapes.projectProseChars(defaults[i]!.files['ja.md']);
      // Facts keep their real counts whatever the prose length.
      expect(parse(defaults[i]!.files['bulletin.yaml']).cves).toHaveLength(plan.shape.cves);
    });
    // Over many bulletins the Japanese prose lands near the scaled real length.
    expect(written / target).toBeGreaterThan(0.8);
    expect(written / target).toBeLessThan(1.6);
  });

  it('rejects a prose scale of zero or less', () => {
    expect(() => generate.generateBulletins({ n: 1, proseScale: 0 }).next()).toThrow(RangeError);
  });

  it('keeps replacement links two-way and inside the generated set', () => {
    const plans = generate.planBulletins(400, 5);
    const byId = new Map(plans.map((p) => [p.id, p]));
    expect(byId.size).toBe(400);
    let links = 0;
    for (const plan of plans) {
      for (const older of plan.supersedes) {
        links++;
        expect(byId.get(older)?.supersededBy).toContain(plan.id);
        expect(byId.get(older)!.published <= plan.published).toBe(true);
      }
      for (const other of plan.related) expect(byId.has(other)).toBe(true);
    }
    expect(links).toBeGreaterThan(50);
  });

  it('numbers ids per year in publication order', () => {
    const plans = generate.planBulletins(300, 2);
    for (let i = 1; i < plans.length; i++) {
      const [prev, cur] = [plans[i - 1]!, plans[i]!];
      expect(prev.published <= cur.published).toBe(true);
      if (prev.published.slice(0, 4) === cur.published.slice(0, 4)) expect(prev.id < cur.id).toBe(true);
    }
    expect(plans[0]!.id).toMatch(/^CS\d{2}-001$/);
  });
});

describe('real bulletin shapes', () => {
  it('counts CVEs, KB numbers, packages, file rows and their distinct versions, update keys, revisions and headings of a bulletin', () => {
    const markdown = [
      '---',
      "TOCTitle: 'MS99-999'",
      '---',
      '',
      'セキュリティ情報 MS99-999 - 緊急',
      '================================',
      '',
      'Example のセキュリティ修正プログラム (123456, 234567)',
      '--------------------------------------------------',
      '',
      '#### 概要',
      '',
      'CVE-2004-0001 と CAN-2004-0002 を修正します。CVE-2004-0001 を再掲します。',
      '[ダウンロード](https://www.microsoft.com/download/details.aspx?familyid=7f1713fc-f95c-43e5-b825-3cf72c1a0a3e&displaylang=ja)',
      '',
      '| ファイル名 | バージョン | 日付 | サイズ |',
      '|---|---|---|---|',
      '| a.dll | 1.0.0.1 | 2004/01/01 | 1,024 |',
      '| b.dll | 1.0.0.1 | 2004/01/01 | 2,048 |',
      '| c.dll | 1.0.0.2 | 2004/01/01 | 4,096 |',
      '| c.txt | 該当なし | 2004/01/01 | 512 |',
      '',
      'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Updates\\Windows 2000\\SP5\\KB123456\\Filelist',
      '',
      '#### 更新履歴',
      '',
      '-   V1.0 (2004/04/13): 公開しました。',
      '-   2004/04/20: 更新しました。',
      '',
    ].join('\n');
    const shape = realShapes.measureShape(markdown, 2004);
    expect(shape).toMatchObject({ year: 2004, cves: 2, kbs: 2, packages: 1, fileRows: 4, fileVersions: 2, registryKeys: 1, revisions: 2, headings: 4 });
    expect(shape.proseChars).toBeGreaterThan(50);
    expect(shape.proseChars).toBeLessThan(markdown.length);
  });

  it('bench/shapes.json is what measuring the real archive and the project bulletins gives today', { timeout: 120_000 }, () => {
    const archive = realShapes.REAL_ARCHIVE;
    expect(existsSync(archive), `${archive} is missing: the shared data folder must sit next to the repository`).toBe(true);
    const stored = readFileSync(path.join(ROOT, 'bench', 'shapes.json'), 'utf8');
    // The editorial ratio is pinned to the bulletins it was measured on, so new content does not move it.
    const ids = (JSON.parse(stored) as { editorial: { bulletins: string[] } }).editorial.bulletins;
    expect(ids.length).toBeGreaterThan(0);
    const expected = realShapes.withArchive(archive, (dir) =>
      realShapes.formatShapesFile(
        realShapes.toShapesFile(realShapes.measureFolder(dir), realShapes.SHAPES_SOURCE, realShapes.measureEditorial(path.join(ROOT, 'content'), dir, ids)),
      ),
    );
    expect(stored).toBe(expected);
    expect(JSON.parse(expected).rows).toHaveLength(1193);
  });

  it('measures a project bulletin\'s prose from its summary, comment and body only', () => {
    const ja = '---\nid: MS99-999\nlang: ja\ntitle: 見出しは数えない\nsummary: 要約です。\ncomment: 所見です。\n---\n\n## 回避策\n\n本文です。\n';
    expect(realShapes.projectProseChars(ja)).toBe('要約です。 所見です。 回避策 本文です。'.length);
  });
});
