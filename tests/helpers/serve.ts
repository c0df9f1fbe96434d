/**
 * A tiny static file server for tests: serves a built site on 127.0.0.1 (random port) the
 * way a plain static host does: correct content types, `dir/` → `dir/index.html`, a
 * redirect from `dir` to `dir/`, and `404.html` with status 404 for anything missing.
 *
 * Options: `base` mounts the site under a prefix (as `KB_BASE_PATH` does on a real host);
 * `headers: true` sends the `/*` headers from the site's `_headers` file (CSP and friends),
 * so browser tests run under the same policy as production.
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.ps1': 'text/plain; charset=utf-8',
  '.sha512': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.webmanifest': 'application/manifest+json',
  // Pagefind's index files are binary fragments.
  '.pf_meta': 'application/octet-stream',
  '.pf_index': 'application/octet-stream',
  '.pf_fragment': 'application/octet-stream',
  '.pagefind': 'application/octet-stream',
};

/** Content type for a file name; unknown extensions are served as bytes. */
export function contentType(file: string): string {
  const name = path.basename(file);
  if (name === '_headers') return 'text/plain; charset=utf-8';
  return TYPES[path.extname(name).toLowerCase()] ?? 'application/octet-stream';
}

/** Parses the `/*` block of a Netlify/Cloudflare-style `_headers` file. */
export function parseHeadersFile(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  let inAll = false;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      inAll = line.trim() === '/*';
      continue;
    }
    if (!inAll) continue;
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return headers;
}

export interface StaticServer {
  /** `http://127.0.0.1:PORT` plus the base path, with a trailing slash. */
  url: string;
  /** Absolute URL for a site-relative path (`ja/bulletins/`). */
  at(relative: string): string;
  close(): Promise<void>;
}

export interface ServeOptions {
  /** Prefix the site is mounted under, e.g. `/kb/`. Default `/`. */
  base?: string;
  /** Send the `_headers` file's `/*` headers with every response. */
  headers?: boolean;
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

async function isDirectory(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isDirectory();
  } catch {
    return false;
  }
}

/** Serves `root` until `close()` is called. */
export async function serve(root: string, options: ServeOptions = {}): Promise<StaticServer> {
  const base = `/${(options.base ?? '/').replace(/^\/+|\/+$/g, '')}/`.replace(/^\/\/$/, '/');
  const extra = options.headers ? parseHeadersFile(await readFile(path.join(root, '_headers'), 'utf8').catch(() => '')) : {};
  const rootResolved = path.resolve(root);

  const sendFile = (res: http.ServerResponse, file: string, status: number, method: string) => {
    res.writeHead(status, { 'Content-Type': contentType(file), 'Cache-Control': 'no-store', ...extra });
    if (method === 'HEAD') res.end();
    // The file can go between the check and the open (a test removing its site while the
    // browser still fetches a favicon): end that response instead of throwing in the test run.
    else
      createReadStream(file)
        .on('error', () => res.destroy())
        .pipe(res);
  };
  const notFound = async (res: http.ServerResponse, method: string) => {
    const page = path.join(rootResolved, '404.html');
    if (await isFile(page)) sendFile(res, page, 404, method);
    else {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', ...extra });
      res.end('404 Not Found');
    }
  };

  const server = http.createServer(async (req, res) => {
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' });
      res.end();
      return;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      res.writeHead(400);
      res.end();
      return;
    }
    if (!pathname.startsWith(base) && `${pathname}/` !== base) return notFound(res, method);
    const relative = pathname.slice(base.length);
    const file = path.resolve(rootResolved, `.${path.posix.sep}${relative}`);
    // Never serve outside the site folder (../ in the URL).
    if (file !== rootResolved && !file.startsWith(rootResolved + path.sep)) return notFound(res, method);
    if (await isDirectory(file)) {
      if (!pathname.endsWith('/')) {
        res.writeHead(301, { Location: `${pathname}/`, ...extra });
        res.end();
        return;
      }
      const index = path.join(file, 'index.html');
      if (await isFile(index)) return sendFile(res, index, 200, method);
      return notFound(res, method);
    }
    if (await isFile(file)) return sendFile(res, file, 200, method);
    return notFound(res, method);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}${base}`;
  return {
    url,
    at: (relative) => `${url}${relative.replace(/^\/+/, '')}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
