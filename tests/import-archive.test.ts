/**
 * The whole Microsoft archive (1,193 bulletins) through `kb import msdocs` and `kb check`.
 * Slow-ish by nature (tens of seconds): it is the importer's acceptance test.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const ARCHIVE = path.resolve(ROOT, '..', 'shared', 'data', 'ms-bulletins-ja', 'SecurityBulletins-1999-2014.tar.xz');
const kb = (...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'bin', 'kb.mjs'), ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
const out = mkdtempSync(path.join(os.tmpdir(), 'kb-import-archive-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** A line that starts an HTML block of CommonMark's kind 6, which runs to the next blank line. */
const HTML_BLOCK_START = new RegExp(
  `^ {0,3}</?(?:${'address article aside base basefont blockquote body caption center col colgroup dd details dialog dir div dl dt fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 head header hr html iframe legend li link main menu menuitem nav noframes ol optgroup option p param search section summary table tbody td tfoot th thead title tr track ul'.split(' ').join('|')})(?:[\\s/>]|$)`,
  'i',
);

describe('kb import msdocs: the whole archive', () => {
  it('imports at least 99% of the 1,193 bulletins, reports every failure with a reason, and kb check finds no errors', { timeout: 300_000 }, () => {
    const reportFile = path.join(out, 'report.json');
    const started = Date.now();
    const imported = kb('import', 'msdocs', ARCHIVE, '--out', path.join(out, 'content'), '--report', reportFile);
    const importSeconds = (Date.now() - started) / 1000;
    const report = JSON.parse(readFileSync(reportFile, 'utf8'));
    const inputs = report.inputs as Array<{ input: string; status: string; error?: string }>;

    expect(report.summary.files).toBe(1193);
    expect(report.summary.bulletins / report.summary.files).toBeGreaterThanOrEqual(0.99);
    expect(readdirSync(path.join(out, 'content', 'bulletins'))).toHaveLength(report.summary.bulletins);
    const failures = inputs.filter((r) => r.status === 'failed');
    for (const f of failures) {
      expect(f.error, f.input).toMatch(/\S/);
      expect(f.error, f.input).not.toMatch(/internal error/);
      expect(imported.stderr).toContain(`${f.input}: error: `);
    }
    // Some inputs failed, so the exit status says so.
    expect(imported.status).toBe(failures.length > 0 ? 1 : 0);
    expect(imported.stderr).toMatch(/read 1100\/1193 files/);

    const checkStarted = Date.now();
    const check = kb('check', '--content', path.join(out, 'content'));
    const checkSeconds = (Date.now() - checkStarted) / 1000;
    expect(check.stderr).toMatch(new RegExp(`ok: ${report.summary.bulletins} bulletins checked in .*, 0 errors`));
    expect(check.status).toBe(0);

    const rates = report.rates as Record<string, { bulletins: number; in_facts: number; items: number; percent: number }>;
    const table = Object.entries(rates)
      .map(([field, r]) => `  ${field.padEnd(17)} ${String(r.bulletins).padStart(5)} bulletins ${String(r.percent).padStart(5)}%  ${String(r.items).padStart(7)} items  ${r.in_facts === r.bulletins ? 'in facts' : r.in_facts === 0 ? 'body only' : `${r.in_facts} in facts`}`)
      .join('\n');
    console.log(
      `archive: ${report.summary.files} files, ${report.summary.bulletins} imported (${((report.summary.bulletins / report.summary.files) * 100).toFixed(2)}%), ${failures.length} failed, ${report.summary.warnings} warnings; import ${importSeconds.toFixed(1)} s, kb check ${checkSeconds.toFixed(1)} s\nextraction rates over imported bulletins:\n${table}\nfailures:\n${failures.map((f) => `  ${f.input}: ${f.error}`).join('\n')}`,
    );
    // Fields every imported bulletin must have (the model requires them or the page always states them).
    for (const field of ['published', 'severity', 'impact', 'affected']) expect(rates[field]!.percent, field).toBe(100);

    // Bodies render what the pages say: no line opens an HTML block that would take the
    // lines below it out of the page (CommonMark's block tags, such as the archive's
    // "<p> </p>" above 835 tables and 1,459 captions), and no image points at Microsoft's
    // image folder.
    const swallowing: string[] = [];
    const pictures: string[] = [];
    for (const id of readdirSync(path.join(out, 'content', 'bulletins'))) {
      const lines = readFileSync(path.join(out, 'content', 'bulletins', id, 'ja.md'), 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (HTML_BLOCK_START.test(line) && /\S/.test(lines[i + 1] ?? '') && !/^\s*</.test(lines[i + 1]!)) swallowing.push(`${id}/ja.md:${i + 1}: ${line}`);
        if (/!\[[^\]]*\]\((?:\.\.\/)+images\//.test(line)) pictures.push(`${id}/ja.md:${i + 1}`);
      });
    }
    expect(swallowing).toEqual([]);
    expect(pictures).toEqual([]);
  });
});
