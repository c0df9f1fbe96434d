/**
 * The Content-Security-Policy the site is built to run under, shared by the `<meta>` tag in
 * every page and checked against `public/_headers` by the tests. Pages carry no inline
 * script or style, so `'self'` is enough; `'wasm-unsafe-eval'` lets the search index's
 * WebAssembly (Pagefind) compile and does not allow JavaScript `eval`.
 */

/** Directives valid in a `<meta http-equiv>` policy. */
const META_DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
] as const;

/** Policy for the `<meta http-equiv="Content-Security-Policy">` tag. */
export const CSP_META = META_DIRECTIVES.join('; ');

/**
 * Full policy for the HTTP header. `frame-ancestors` is ignored in a meta tag (CSP 3 §6.1),
 * so only the header can forbid framing.
 */
export const CSP_HEADER = [...META_DIRECTIVES, "frame-ancestors 'none'"].join('; ');
