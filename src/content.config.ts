/**
 * The `bulletins` content collection. Its loader is the same `loadContent` that `kb check`
 * runs, so the build accepts exactly what the checker accepts and fails with the same
 * diagnostics.
 */
import { defineCollection } from 'astro:content';
import { bulletinLoader } from './integrations/bulletin-loader.ts';

export const collections = {
  bulletins: defineCollection({ loader: bulletinLoader() }),
};
