/**
 * Dev-only middleware (added by `content-errors.ts`): while the content has errors, every
 * page answers with them, so the browser shows Astro's error overlay instead of a page
 * built from content that no longer exists on disk.
 */
import { defineMiddleware } from 'astro:middleware';
import { contentErrorForOverlay, currentContentErrors } from './content-errors.ts';

export const onRequest = defineMiddleware((_context, next) => {
  const errors = currentContentErrors();
  if (errors) throw contentErrorForOverlay(errors);
  return next();
});
