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
  // Four pages at a time: each page waits on four file-system calls (mkdir, open, write,
  // close), slow on this kind of VM; one at a time left the main thread idle 11.2 of the
  // render phase's 18.3 s at 1,000 bulletins, four at a time 3.2 of 13.8 s (CPU profiles,
  // bench/README.md). Pages do not depend on each other, so the output is the same.
  build: { format: 'directory', inlineStylesheets: 'never', concurrency: 4 },
  vite: { build: { assetsInlineLimit: 0 } },
  devToolbar: { enabled: false },
  server: { host: '127.0.0.1' },
  integrations: [dataFiles(), searchIndex(), contentErrors()],
});
