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
  });
});
