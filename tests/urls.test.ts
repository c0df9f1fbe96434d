import { describe, expect, it } from 'vitest';
import { absoluteUrl, productSlug, withBase } from '../src/lib/urls.ts';

describe('productSlug', () => {
  it('turns a product name into a lower-case ascii url segment', () => {
    expect(productSlug('Exchange Server 5.5')).toBe('exchange-server-5-5');
    expect(productSlug('Ｗｉｎｄｏｗｓ 2000 (SP4)')).toBe('windows-2000-sp4');
  });

  it('keeps very long product names short enough for a file system, without collisions', () => {
    const base = 'Microsoft Windows XP Professional Service Pack 1 '.repeat(8);
    const a = productSlug(`${base}x86`);
    const b = productSlug(`${base}ia64`);
    expect(a.length).toBeLessThanOrEqual(80);
    expect(b.length).toBeLessThanOrEqual(80);
    expect(a).not.toBe(b);
    expect(a).toBe(productSlug(`${base}x86`));
  });
});

describe('withBase and absoluteUrl', () => {
  it('follow KB_BASE_PATH and KB_SITE_URL as they change, normalising slashes', () => {
    const saved = { base: process.env.KB_BASE_PATH, site: process.env.KB_SITE_URL };
    try {
      delete process.env.KB_BASE_PATH;
      process.env.KB_SITE_URL = 'https://a.example/';
      expect(withBase('/ja/')).toBe('/ja/');
      expect(absoluteUrl('ja/')).toBe('https://a.example/ja/');
      // Values are normalised once per setting, and read again on every call.
      process.env.KB_BASE_PATH = '//kb//';
      process.env.KB_SITE_URL = 'https://b.example//';
      expect(withBase('ja/kb/829436/')).toBe('/kb/ja/kb/829436/');
      expect(absoluteUrl('ja/')).toBe('https://b.example/kb/ja/');
      process.env.KB_BASE_PATH = '';
      expect(withBase('en/')).toBe('/en/');
    } finally {
      if (saved.base === undefined) delete process.env.KB_BASE_PATH;
      else process.env.KB_BASE_PATH = saved.base;
      if (saved.site === undefined) delete process.env.KB_SITE_URL;
      else process.env.KB_SITE_URL = saved.site;
    }
  });
});
