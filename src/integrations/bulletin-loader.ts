/**
 * Astro content loader for bulletins. Reads `KB_CONTENT_DIR` (default `content`) through
 * `loadContent`, fails the build on any error diagnostic (printed exactly as `kb check`
 * prints it), renders each language's Markdown once and stores the result. In a build
 * the result goes to the pages in memory (data/shared-bulletins.ts) and the data store
 * keeps only the ids; the dev server keeps the full entries, which drive its live reload.
 */
import type { Loader } from 'astro/loaders';
import path from 'node:path';
import { coalesce } from '../lib/coalesce.ts';
import { countBySeverity, formatDiagnostics } from '../lib/diagnostics.ts';
import { loadContent } from '../lib/load-content.ts';
import { contentDir } from '../lib/site-config.ts';
import { readGitHistory } from '../lib/git-history.ts';
import { staleInfo, translationInputs, translationStatus } from '../lib/translation-status.ts';
import { reportContentErrors } from './content-errors.ts';
import { publishBulletins } from '../data/shared-bulletins.ts';
import { startDataWorker } from './data-files.ts';
import { renderMarkdownAll } from './markdown-pool.ts';
import type { SiteBulletin } from '../data/bulletins.ts';

export class ContentError extends Error {
  constructor(report: string, errors: number) {
    super(`${errors} error${errors === 1 ? '' : 's'} in content (same as "kb check"):\n${report}`);
    this.name = 'ContentError';
  }
}

export function bulletinLoader(): Loader {
  return {
    name: 'bulletin-kb',
    async load({ store, logger, watcher, generateDigest }) {
      const dir = contentDir();
      const sync = async () => {
        // The git history is read once per load (three git calls, whatever the number of
        // files) for the stale-translation notice; outside git every translation is current.
        const [{ bulletins, diagnostics }, history] = await Promise.all([loadContent(dir), readGitHistory(dir)]);
        const { errors, warnings } = countBySeverity(diagnostics);
        // In dev the errors go to the browser overlay (content-errors.ts); cleared on success.
        if (watcher) reportContentErrors(diagnostics.filter((d) => d.severity === 'error'));
        if (errors > 0) throw new ContentError(formatDiagnostics(diagnostics.filter((d) => d.severity === 'error'), 'text'), errors);
        const translation = new Map(translationStatus(translationInputs(bulletins), history).map((status) => [status.id, staleInfo(status)]));
        if (warnings > 0) logger.warn(`${warnings} warning${warnings === 1 ? '' : 's'} in content; run "npm run check" to list them`);
        store.clear();
        // Every Markdown text of the content, rendered together (on worker threads when
        // there is much of it), then handed back in the same order.
        const documents: string[] = [];
        for (const bulletin of bulletins) {
          for (const text of Object.values(bulletin.text)) documents.push(text.summary, text.comment ?? '', text.body);
        }
        const markdownStarted = performance.now();
        const { html: rendered, threads, chars } = await renderMarkdownAll(documents);
        logger.info(`Markdown rendered in ${((performance.now() - markdownStarted) / 1000).toFixed(1)} s: ${(chars / 1e6).toFixed(1)} million characters, ${threads ? `${threads} worker thread${threads === 1 ? '' : 's'}` : 'on this thread'}`);
        let next = 0;
        const site: SiteBulletin[] = [];
        for (const bulletin of bulletins) {
          const html: Record<string, { summary: string; comment: string; body: string }> = {};
          for (const lang of Object.keys(bulletin.text)) {
            html[lang] = { summary: rendered[next]!, comment: rendered[next + 1]!, body: rendered[next + 2]! };
            next += 3;
          }
          // `translation[lang].stale`: the page shows "translation may be out of date".
          const data = { ...bulletin, html, translation: translation.get(bulletin.id) ?? {} } as unknown as Record<string, unknown>;
          if (watcher) store.set({ id: bulletin.id.toLowerCase(), data, digest: generateDigest(data) });
          else {
            site.push(data as unknown as SiteBulletin);
            store.set({ id: bulletin.id.toLowerCase(), data: { id: bulletin.id } });
          }
        }
        if (!watcher) {
          publishBulletins(dir, site);
          startDataWorker(site);
        }
        logger.info(`${bulletins.length} bulletins loaded from ${dir}`);
      };
      if (watcher) {
        // In dev a broken file must not stop the server: the error shows in the browser
        // and the next save that fixes it loads the content.
        try {
          await sync();
        } catch (error) {
          logger.error((error as Error).message);
        }
      } else {
        await sync();
      }
      if (watcher) {
        const root = path.resolve(dir);
        watcher.add(root);
        const reload = coalesce(sync);
        const onChange = async (changed: string) => {
          const file = path.resolve(changed);
          if (file !== root && !file.startsWith(root + path.sep)) return;
          try {
            await reload();
          } catch (error) {
            logger.error((error as Error).message);
          }
        };
        watcher.on('change', onChange);
        watcher.on('add', onChange);
        watcher.on('unlink', onChange);
      }
    },
  };
}
