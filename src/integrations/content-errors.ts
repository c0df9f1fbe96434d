/**
 * `npm run dev` only: puts content errors in front of the author, in the browser.
 *
 * The bulletin loader re-reads the content on every save. When the content has errors
 * (the same diagnostics `kb check` prints), it records them here instead of stopping the
 * dev server; this integration then
 * - pushes them to every open page as Astro's error overlay, with the first error's file,
 *   line and a code frame, and
 * - answers every page request with that error (a middleware), so a reload shows it too.
 * When a save fixes the content the record is cleared and open pages reload.
 *
 * The loader and this integration are loaded by different module graphs (the content layer
 * and the Astro config), so the record lives on `globalThis` under a registered symbol.
 */
import type { AstroIntegration } from 'astro';
import path from 'node:path';
import type { Diagnostic } from '../lib/diagnostics.ts';
import { formatDiagnostic } from '../lib/diagnostics.ts';

interface DevContentState {
  /** Error diagnostics of the last content load, absent when it succeeded. */
  errors?: readonly Diagnostic[];
  /** Called whenever `errors` changes. */
  listeners: Set<() => void>;
}

const KEY = Symbol.for('bulletin-kb.dev-content-state');

/** How long after a 500 answer Astro's dev server pushes its error to open pages. */
const ASTRO_ERROR_PUSH_MS = 200;

function state(): DevContentState {
  const holder = globalThis as typeof globalThis & { [KEY]?: DevContentState };
  holder[KEY] ??= { listeners: new Set() };
  return holder[KEY];
}

/** Called by the loader after each load in dev: the error diagnostics, or none. */
export function reportContentErrors(errors: readonly Diagnostic[]): void {
  const current = state();
  const next = errors.length > 0 ? errors : undefined;
  if (!next && !current.errors) return;
  current.errors = next;
  for (const listener of current.listeners) listener();
}

/** The content errors of the last load, if it failed. */
export function currentContentErrors(): readonly Diagnostic[] | undefined {
  return state().errors;
}

/**
 * The error Astro shows for content diagnostics: every diagnostic in the message (as
 * `kb check` prints it), the first one's position as `loc` so the overlay shows its file,
 * line and code frame.
 */
type OverlayError = Error & { title: string; hint: string; loc?: { file: string; line: number; column: number } };

export function contentErrorForOverlay(errors: readonly Diagnostic[]): OverlayError {
  const first = errors[0]!;
  const error = new Error(
    `${errors.length} error${errors.length === 1 ? '' : 's'} in content (same as "kb check"):\n${errors.map(formatDiagnostic).join('\n')}`,
  ) as OverlayError;
  error.name = 'ContentError';
  error.title = 'The content has errors';
  // Astro reads `loc` for the code frame and "open in editor", but only inside the project:
  // it prefixes the project root to any other path. Content elsewhere (KB_CONTENT_DIR=/srv/…)
  // keeps its position in the message only.
  const file = path.resolve(first.file);
  if (!path.relative(process.cwd(), file).startsWith('..')) error.loc = { file, line: first.line, column: first.column };
  error.hint = 'Fix the file and save it: the page reloads by itself. `npm run check` prints the same list.';
  // The stack would point into the loader, which is not where the problem is.
  error.stack = `${error.name}: ${error.message}`;
  return error;
}

export default function contentErrors(): AstroIntegration {
  return {
    name: 'bulletin-kb:content-errors',
    hooks: {
      'astro:config:setup': ({ command, addMiddleware }) => {
        if (command !== 'dev') return;
        addMiddleware({ entrypoint: new URL('./content-errors-middleware.ts', import.meta.url), order: 'pre' });
      },
      'astro:server:setup': ({ server }) => {
        const listeners = state().listeners;
        // A restarted dev server (config change) replaces the old one's listener.
        listeners.clear();
        listeners.add(() => {
          const errors = currentContentErrors();
          if (errors) {
            const error = contentErrorForOverlay(errors);
            const { name, title, hint, message, stack = '', loc } = error;
            server.environments.client.hot.send({ type: 'error', err: { message, stack, ...(loc ? { loc } : {}), ...{ name, title, hint } } });
          } else {
            // Astro pushes the error of a page it answered with a 500 to open pages 200 ms
            // later (astro's vite-plugin-astro-server/response.js), and Vite keeps it for the
            // next page to connect when none is. A reload sent sooner could land in that
            // error's overlay; one sent after it shows the fixed page.
            setTimeout(() => {
              if (!currentContentErrors()) server.environments.client.hot.send({ type: 'full-reload', path: '*' });
            }, ASTRO_ERROR_PUSH_MS + 100);
          }
        });
      },
    },
  };
}
