import { describe, expect, it } from 'vitest';
import { productSlug } from '../src/lib/urls.ts';

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
