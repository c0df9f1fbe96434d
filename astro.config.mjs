// @ts-check
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'astro/config';
import { devWatchIgnored } from './src/lib/dev-watch.ts';
import { contentDir } from './src/lib/site-config.ts';
import contentErrors from './src/integrations/content-errors.ts';
import dataFiles from './src/integrations/data-files.ts';
import searchIndex from './src/integrations/pagefind.ts';

const base = (() => {
  const trimmed = (process.env.KB_BASE_PATH || '/').replace(/^\/+|\/+$/g, '');
  return trimmed ? `/${trimmed}/` : '/';
})();

const outDir = process.env.KB_OUT_DIR || 'dist';

export default defineConfig({
  site: (process.env.KB_SITE_URL || 'https://bulletins.example.org').replace(/\/+$/, ''),
  base,
  trailingSlash: 'always',
  outDir,
  ...(process.env.KB_CACHE_DIR ? { cacheDir: process.env.KB_CACHE_DIR } : {}),
  // Strict CSP (no inline style or script): CSS and scripts are always separate files.
  // Two pages at a time: each page waits on four file-system calls (mkdir, open, write,
  // close), slow on this kind of VM. At 1,000 bulletins the main thread sat idle 11.2 s of
  // the render phase one page at a time, 4.4 s two at a time, 3.2 s four at a time (CPU
  // profiles); at 5,000 the Astro process peaked at 1,734, 1,804 and 1,996 MiB. Two keeps
  // the 2 GB limit's margin (bench/README.md). Pages do not depend on each other.
  build: { format: 'directory', inlineStylesheets: 'never', concurrency: 2 },
  vite: {
    build: { assetsInlineLimit: 0 },
    // `npm run dev` watches the content and the code, not build output (src/lib/dev-watch.ts).
    // The content folder is resolved against the working folder, as the loader resolves it.
    server: { watch: { ignored: [devWatchIgnored({ root: fileURLToPath(new URL('.', import.meta.url)), contentDir: path.resolve(contentDir()), outDir })] } },
  },
  devToolbar: { enabled: false },
  server: { host: '127.0.0.1' },
  integrations: [dataFiles(), searchIndex(), contentErrors()],
});
