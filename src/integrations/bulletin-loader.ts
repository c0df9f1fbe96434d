/**
 * Astro content loader for bulletins. Reads `KB_CONTENT_DIR` (default `content`) through
 * `loadContent`, fails the build on any error diagnostic (printed exactly as `kb check`
 * prints it), renders each language's Markdown once and hands the result to the pages in
 * memory (data/shared-bulletins.ts). The data store keeps only ids: a store of full
 * bulletins is serialised to JSON and parsed back (at 5,000 vendor-length bulletins past
 * V8's 512 MB string limit). In dev each id carries a digest of its bulletin, so a save
 * changes the store only for the bulletins it changed, and that change reloads the pages.
 */
import type { Loader } from 'astro/loaders';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { coalesce } from '../lib/coalesce.ts';
import { countBySeverity, formatDiagnostics } from '../lib/diagnostics.ts';
import { loadContent, type ParseCache } from '../lib/load-content.ts';
import { contentDir } from '../lib/site-config.ts';
import { readGitHistory } from '../lib/git-history.ts';
import { staleInfo, translationInputs, translationStatus } from '../lib/translation-status.ts';
import { reportContentErrors } from './content-errors.ts';
import { publishBulletins } from '../data/shared-bulletins.ts';
import { startDataWorker } from './data-files.ts';
import { renderMarkdownAll, renderMarkdownChanged, type RenderedMarkdown } from './markdown-pool.ts';
import type { SiteBulletin } from '../data/bulletins.ts';

export class ContentError extends Error {
  constructor(report: string, errors: number) {
    super(`${errors} error${errors === 1 ? '' : 's'} in content (same as "kb check"):\n${report}`);
    this.name = 'ContentError';
  }
}

/**
 * How long a reload waits after a change event before it reads the content. Editors that
 * save in place empty the file, then write it, and Vite's watcher drops a file's second
 * change event within 50 ms of the first: a reload that read at once saw the empty file
 * and heard of nothing after it, so the page showed "the file is empty" until the next
 * save (tests/dev-loop.test.ts). Read after more than those 50 ms, the reload sees every
 * write whose event was dropped; later writes have events of their own.
 */
const SAVE_SETTLE_MS = 100;

export function bulletinLoader(): Loader {
  // Dev: the last load's parsed folders and HTML by Markdown text, so a reload parses and
  // renders only what a save changed.
  const parseCache: ParseCache = new Map();
  let renderedBefore = new Map<string, string>();
  // Dev: every load of the content, whichever `load()` call asked for it (start-up, a save,
  // a re-sync), runs one at a time through this queue, and runs the latest call's sync.
  let latestSync: () => Promise<void> = async () => {};
  const reload = coalesce(() => latestSync());
  return {
    name: 'bulletin-kb',
    async load({ store, logger, watcher, generateDigest }) {
      const dir = contentDir();
      const sync = async () => {
        // The git history is read once per load (three git calls, whatever the number of
        // files) for the stale-translation notice; outside git every translation is current.
        const [{ bulletins, diagnostics }, history] = await Promise.all([loadContent(dir, watcher ? { cache: parseCache } : {}), readGitHistory(dir)]);
        const { errors, warnings } = countBySeverity(diagnostics);
        if (errors > 0) {
          const found = diagnostics.filter((d) => d.severity === 'error');
          // In dev the errors go to the browser overlay (content-errors.ts).
          if (watcher) reportContentErrors(found);
          throw new ContentError(formatDiagnostics(found, 'text'), errors);
        }
        const translation = new Map(translationStatus(translationInputs(bulletins), history).map((status) => [status.id, staleInfo(status)]));
        if (warnings > 0) logger.warn(`${warnings} warning${warnings === 1 ? '' : 's'} in content; run "npm run check" to list them`);
        // Every Markdown text of the content, rendered together (on worker threads when
        // there is much of it), then handed back in the same order.
        const documents: string[] = [];
        for (const bulletin of bulletins) {
          for (const text of Object.values(bulletin.text)) documents.push(text.summary, text.comment ?? '', text.body);
        }
        const markdownStarted = performance.now();
        let unchanged = '';
        let markdown: RenderedMarkdown;
        if (watcher) {
          const changed = await renderMarkdownChanged(documents, renderedBefore);
          renderedBefore = changed.byText;
          if (changed.reused > 0) unchanged = ` (the HTML of ${changed.reused} unchanged texts kept)`;
          markdown = changed;
        } else {
          markdown = await renderMarkdownAll(documents);
        }
        const { html: rendered, threads, chars } = markdown;
        logger.info(`Markdown rendered in ${((performance.now() - markdownStarted) / 1000).toFixed(1)} s: ${(chars / 1e6).toFixed(1)} million characters, ${threads ? `${threads} worker thread${threads === 1 ? '' : 's'}` : 'on this thread'}${unchanged}`);
        let next = 0;
        const site: SiteBulletin[] = [];
        for (const bulletin of bulletins) {
          const html: Record<string, { summary: string; comment: string; body: string }> = {};
          for (const lang of Object.keys(bulletin.text)) {
            html[lang] = { summary: rendered[next]!, comment: rendered[next + 1]!, body: rendered[next + 2]! };
            next += 3;
          }
          // `translation[lang].stale`: the page shows "translation may be out of date".
          site.push({ ...bulletin, html, translation: translation.get(bulletin.id) ?? {} } as SiteBulletin);
        }
        publishBulletins(dir, site);
        // The store holds ids. In dev each carries a digest of its bulletin without the HTML
        // (which follows from the text): an unchanged digest leaves the entry, and the store,
        // as it was. A build skips the digest (5,000 hashes of whole bulletins).
        const ids = new Set<string>();
        for (const bulletin of site) {
          const id = bulletin.id.toLowerCase();
          ids.add(id);
          store.set({ id, data: { id: bulletin.id }, ...(watcher ? { digest: generateDigest({ ...bulletin, html: undefined }) } : {}) });
        }
        for (const id of store.keys()) if (!ids.has(id)) store.delete(id);
        if (watcher) reportContentErrors([]);
        else startDataWorker(site);
        logger.info(`${bulletins.length} bulletins loaded from ${dir}`);
      };
      if (!watcher) {
        await sync();
        return;
      }
      latestSync = sync;
      // In dev a broken file must not stop the server: the error shows in the browser and
      // the next save that fixes it loads the content.
      try {
        await reload();
      } catch (error) {
        logger.error((error as Error).message);
      }
      const root = path.resolve(dir);
      watcher.add(root);
      const onChange = async (changed: string) => {
        const file = path.resolve(changed);
        if (file !== root && !file.startsWith(root + path.sep)) return;
        try {
          // Read after the file has had time to be written: see SAVE_SETTLE_MS.
          await sleep(SAVE_SETTLE_MS);
          await reload();
        } catch (error) {
          logger.error((error as Error).message);
        }
      };
      watcher.on('change', onChange);
      watcher.on('add', onChange);
      watcher.on('unlink', onChange);
    },
  };
}
