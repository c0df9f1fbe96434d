import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const kb = (...args: string[]) =>
  spawnSync(process.execPath, [path.join(ROOT, 'bin', 'kb.mjs'), ...args], { cwd: ROOT, encoding: 'utf8' });

describe('kb check', () => {
  it('accepts the committed content with exit 0', () => {
    const result = kb('check');
    expect(result.stderr).toMatch(/^ok: \d+ bulletins? checked in content, 0 errors/m);
    expect(result.status).toBe(0);
  });

  it('prints diagnostics as a json array with --format json', () => {
    const result = kb('check', '--format', 'json');
    const list = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    expect(Array.isArray(list)).toBe(true);
    for (const d of list) expect(Object.keys(d)).toEqual(['file', 'line', 'column', 'severity', 'code', 'field', 'message']);
  });

  it('exits 2 on an unknown option', () => {
    const result = kb('check', '--bogus');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('unknown option --bogus');
  });
});
