/**
 * Settings read from the environment (documented in the README): where content lives,
 * the public site URL and the base path.
 */

/** Content folder (`KB_CONTENT_DIR`, default `content`). */
export function contentDir(): string {
  return process.env.KB_CONTENT_DIR || 'content';
}

/** Absolute site URL without trailing slash (`KB_SITE_URL`), used in feeds, sitemaps, CSAF. */
export function siteUrl(): string {
  return (process.env.KB_SITE_URL || 'https://bulletins.example.org').replace(/\/+$/, '');
}

/** Base path with leading and trailing slash (`KB_BASE_PATH`, default `/`). */
export function basePath(): string {
  const raw = process.env.KB_BASE_PATH || '/';
  const trimmed = raw.replace(/^\/+|\/+$/g, '');
  return trimmed ? `/${trimmed}/` : '/';
}
