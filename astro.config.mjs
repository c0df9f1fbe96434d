// @ts-check
import { defineConfig } from 'astro/config';
import contentErrors from './src/integrations/content-errors.ts';
import dataFiles from './src/integrations/data-files.ts';
import searchIndex from './src/integrations/pagefind.ts';

const base = (() => {
  const trimmed = (process.env.KB_BASE_PATH || '/').replace(/^\/+|\/+$/g, '');
  return trimmed ? `/${trimmed}/` : '/';
})();

export default defineConfig({
  site: (process.env.KB_SITE_URL || 'https://bulletins.example.org').replace(/\/+$/, ''),
  base,
  trailingSlash: 'always',
  outDir: process.env.KB_OUT_DIR || 'dist',
  ...(process.env.KB_CACHE_DIR ? { cacheDir: process.env.KB_CACHE_DIR } : {}),
  // Strict CSP (no inline style or script): CSS and scripts are always separate files.
  build: { format: 'directory', inlineStylesheets: 'never' },
  vite: { build: { assetsInlineLimit: 0 } },
  devToolbar: { enabled: false },
  server: { host: '127.0.0.1' },
  integrations: [dataFiles(), searchIndex(), contentErrors()],
});
