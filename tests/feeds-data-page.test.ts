/**
 * The bilingual "Data & feeds" page lists every machine-readable file the build
 * publishes, each link resolving to a file in the build, with curl, jq and PowerShell
 * examples that point at this site.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { LANGS } from '../schemas/index.ts';

const siteDir = inject('siteDir');

/** The hrefs of a page, decoded from HTML. */
function hrefs(html: string): string[] {
  return [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
}

const PUBLISHED = [
  '/api/v1/bulletins.json',
  '/api/v1/bulletins/ms03-046.json',
  '/api/v1/files.json',
  '/api/v1/products.json',
  '/api/v1/schema/bulletins.schema.json',
  '/api/v1/schema/bulletin.schema.json',
  '/api/v1/schema/files.schema.json',
  '/api/v1/schema/products.schema.json',
  '/ja/rss.xml',
  '/ja/atom.xml',
  '/ja/feed.json',
  '/en/rss.xml',
  '/en/atom.xml',
  '/en/feed.json',
  '/.well-known/csaf/provider-metadata.json',
  '/.well-known/csaf/white/',
  '/.well-known/csaf/white/index.txt',
  '/.well-known/csaf/white/changes.csv',
  '/.well-known/csaf/white/csaf-feed-tlp-white.json',
  '/.well-known/csaf/white/2003/ms03-046.json',
  '/exports/bulletins.csv',
  '/exports/files.csv',
  '/downloads/verify/ms03-046.ps1',
];

describe.each(LANGS)('the %s data page', (lang) => {
  const html = readFileSync(path.join(siteDir, lang, 'data', 'index.html'), 'utf8');

  it('is written in its language and links every published feed', () => {
    expect(html).toMatch(new RegExp(`<html lang="${lang}"`));
    const links = hrefs(html);
    for (const href of PUBLISHED) expect(links, href).toContain(href);
  });

  it('links only files that exist in the build', () => {
    for (const href of hrefs(html).filter((h) => /^\/(api|exports|downloads|\.well-known|ja\/(rss|atom|feed)|en\/(rss|atom|feed))/.test(h))) {
      const file = path.join(siteDir, href.endsWith('/') ? `${href}index.html` : href);
      expect(existsSync(file), href).toBe(true);
    }
  });

  it('announces its feeds to feed readers', () => {
    expect(html).toContain(`<link rel="alternate" type="application/rss+xml" title="RSS (${lang})" href="https://bulletins.example.org/${lang}/rss.xml">`);
    expect(html).toContain(`type="application/atom+xml"`);
    expect(html).toContain(`type="application/feed+json"`);
  });

  it('shows curl, jq and powershell examples against this site', () => {
    const text = html.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/&gt;/g, '>').replace(/&lt;/g, '<');
    expect(text).toContain("curl -s https://bulletins.example.org/api/v1/bulletins.json");
    expect(text).toContain('jq -r \'.bulletins[] | select(.severity == "critical") | .id\'');
    expect(text).toContain('sha512sum -c -');
    expect(text).toContain('Invoke-RestMethod https://bulletins.example.org/api/v1/bulletins/');
    expect(text).toContain('powershell -NoProfile -ExecutionPolicy Bypass -File');
  });
});
