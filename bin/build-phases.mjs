// Splits the timestamped log of one `astro build` into phases, for `npm run build --
// --timings` and the benchmark. Astro prints a line when each phase starts; the time a
// phase took is the distance to the next phase's first line. Route lines ("├─ /ja/… (+12ms)")
// carry each page's own render time, so pages, feeds and other endpoints can be told apart.
//
// Plain JavaScript (not .ts) because bin/build.mjs must start on any Node that runs npm.

/** Astro's own log labels; anything else in brackets is an integration. */
const CORE_LABELS = new Set(['build', 'vite', 'content', 'types', 'WARN', 'ERROR', 'check', 'router', 'assets', 'glob-loader', 'config']);

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/**
 * Kind of output a route line names, by its path: bulletin pages, other HTML pages, or
 * an endpoint (feed, API JSON, CSV, CSAF, script).
 * @param {string} route
 */
export function routeKind(route) {
  if (/\/bulletins\/[^/]+\/(?:index\.html)?$/.test(route)) return 'bulletin-page';
  if (/\.html$|\/$/.test(route)) return 'page';
  if (/\/(?:rss|atom)\.xml$|\/feed\.json$|rolie|\.well-known\/csaf\/[^/]*\.json$/.test(route) && !/\/white\/\d{4}\//.test(route)) return 'feed';
  if (/\.well-known\/csaf\//.test(route)) return 'csaf';
  if (/\/api\//.test(route)) return 'api';
  if (/\.csv$/.test(route)) return 'export';
  if (/\/downloads\//.test(route)) return 'download';
  return 'other-endpoint';
}

/** @param {string} text "12ms", "1.23s", "2m 3s" */
function durationMs(text) {
  let ms = 0;
  for (const [, value, unit] of text.matchAll(/([\d.]+)\s*(ms|s|m)\b/g)) ms += Number(value) * (unit === 'ms' ? 1 : unit === 's' ? 1000 : 60_000);
  return ms;
}

/**
 * @param {ReadonlyArray<readonly [number, string]>} lines  [ms since the build started, line]
 * @param {number} endMs  when the astro process exited
 */
export function parseBuildLog(lines, endMs) {
  /** @type {Array<{ name: string, startMs: number }>} */
  const marks = [{ name: 'startup', startMs: 0 }];
  const mark = (name, t) => {
    if (!marks.some((m) => m.name === name)) marks.push({ name, startMs: t });
  };
  /** @type {Record<string, { count: number, ms: number }>} */
  const routes = {};
  /** @type {Record<string, { firstMs: number, lastMs: number, lines: number }>} */
  const integrations = {};
  let inRoutes = false;
  let routesDone = false;
  for (const [t, raw] of lines) {
    const line = raw.replace(ANSI, '');
    const label = /^(?:\d\d:\d\d:\d\d )?\[([^\]]+)\]/.exec(line)?.[1];
    if (/\[content\] Syncing content/.test(line)) mark('content', t);
    else if (/\[content\] Synced content/.test(line)) mark('types', t);
    else if (/\[build\] Collecting build info/.test(line)) mark('collect', t);
    else if (/\[build\] Building static entrypoints/.test(line)) mark('bundle', t);
    else if (/generating static routes/.test(line)) {
      mark('render', t);
      inRoutes = true;
    } else if (inRoutes && /✓ Completed in/.test(line)) {
      inRoutes = false;
      routesDone = true;
      mark('after-render', t);
    } else if (/\[build\] .*page\(s\) built in/.test(line)) mark('summary', t);
    if (inRoutes) {
      const route = /[├└]─ (\S+)(?: \(\+([^)]+)\))?/.exec(line);
      if (route) {
        const kind = routeKind(route[1]);
        routes[kind] ??= { count: 0, ms: 0 };
        routes[kind].count++;
        routes[kind].ms += route[2] ? durationMs(route[2]) : 0;
      }
    }
    if (label && !CORE_LABELS.has(label)) {
      integrations[label] ??= { firstMs: t, lastMs: t, lines: 0 };
      integrations[label].lastMs = t;
      integrations[label].lines++;
      // Integrations that log after the pages were written run in astro:build:done.
      if (routesDone) mark('build-done', Math.min(t, integrations[label].firstMs));
    }
  }
  marks.sort((a, b) => a.startMs - b.startMs);
  const phases = marks.map((m, i) => ({ name: m.name, startMs: m.startMs, ms: (marks[i + 1]?.startMs ?? endMs) - m.startMs }));
  for (const r of Object.values(routes)) r.ms = Math.round(r.ms);
  return { phases, routes, integrations };
}
