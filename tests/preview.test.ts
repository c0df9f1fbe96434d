/**
 * `npm run preview` serves the built site on 127.0.0.1: pages, the bilingual 404 and the
 * machine-readable files, exactly as a static server would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
let child: ChildProcess | undefined;
let origin = '';

beforeAll(async () => {
  const siteDir = inject('siteDir');
  // A port of our own: several test runs may share the machine.
  const port = 20000 + (process.pid % 20000);
  child = spawn(process.execPath, [path.join(ROOT, 'node_modules', 'astro', 'bin', 'astro.mjs'), 'preview', '--host', '127.0.0.1', '--port', String(port)], {
    cwd: ROOT,
    env: { ...process.env, KB_OUT_DIR: siteDir, ASTRO_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`astro preview did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        origin = `http://127.0.0.1:${match[1]}`;
        resolve();
      }
    };
    child!.stdout!.on('data', onData);
    child!.stderr!.on('data', onData);
    child!.on('exit', (code) => reject(new Error(`astro preview exited with ${code}:\n${output}`)));
  });
});

afterAll(() => {
  child?.kill();
});

describe('npm run preview', () => {
  it('serves the bulletin pages in both languages', async () => {
    for (const [lang, text] of [['ja', '修正プログラム'], ['en', 'Exchange']] as const) {
      const response = await fetch(`${origin}/${lang}/bulletins/ms03-046/`);
      expect(response.status).toBe(200);
      const html = await response.text();
      expect(html).toContain(`<html lang="${lang}"`);
      expect(html).toContain(text);
      expect(html).toContain('Exchange2000-KB829436-x86-jpn.exe');
    }
  });

  it('serves the json api and the csaf provider metadata', async () => {
    const api = await fetch(`${origin}/api/v1/bulletins/ms03-046.json`);
    expect(api.status).toBe(200);
    expect((await api.json()).id).toBe('MS03-046');
    const csaf = await fetch(`${origin}/.well-known/csaf/provider-metadata.json`);
    expect(csaf.status).toBe(200);
  });

  it('answers an unknown path with the bilingual 404 page', async () => {
    const response = await fetch(`${origin}/ja/bulletins/no-such-bulletin/`);
    expect(response.status).toBe(404);
    const html = await response.text();
    expect(html).toMatch(/見つかりません|not found/i);
  });
});
