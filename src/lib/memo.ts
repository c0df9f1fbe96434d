/**
 * Memos for the small pure functions every page calls thousands of times (a size, a date,
 * a path, a slug). A build of 5,000 bulletins renders 178,000 file rows per language, and
 * the same sizes, dates, folders and names come back across bulletins: computing each
 * once per build took most of these helpers' share of page rendering (bench/README.md,
 * round 8). The memo never changes a result, only how often it is computed.
 */

/**
 * `compute`, remembered by key. The memo is emptied when it reaches `limit` entries, so a
 * long build with many distinct keys keeps a bounded amount of memory.
 */
export function memoize<K, V>(compute: (key: K) => V, limit = 100_000): (key: K) => V {
  const cache = new Map<K, V>();
  return (key: K): V => {
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
    const value = compute(key);
    if (cache.size >= limit) cache.clear();
    cache.set(key, value);
    return value;
  };
}

/**
 * The value of an environment setting, normalised by `normalise` once per distinct raw
 * value: settings are read on every link, and tests change them between builds.
 */
export function memoizeSetting(read: () => string | undefined, normalise: (raw: string | undefined) => string): () => string {
  let lastRaw: string | undefined;
  let last: string | undefined;
  return () => {
    const raw = read();
    if (last === undefined || raw !== lastRaw) {
      last = normalise(raw);
      lastRaw = raw;
    }
    return last;
  };
}
