/**
 * The search page (`/{lang}/search/`): runs `?q=` on load, searches on submit, filters by
 * product, severity and year, sorts by relevance or date, offers a direct jump when the
 * query is exactly a bulletin id, KB number or CVE id, and renders results as links in
 * rank order inside `#search-results`.
 *
 * The query goes through the same tokeniser the index was written with
 * (`src/lib/segment.ts`), then to Pagefind as plain terms. Pagefind runs on the main thread
 * (`noWorker`): one download fewer on the first query, and a search takes milliseconds.
 *
 * Everything is plain DOM (text nodes, no innerHTML): the site runs under `script-src 'self'`.
 * Each finished search is recorded as a `kb-search` performance measure (query, result
 * count) for the benchmark and the browser tests.
 */
import { formatDate } from '../lib/format.ts';
import { COMMON_TERMS_FILE, exactIdentifier, joinTokens, lookupShard, queryTerms, withoutCommonTerms } from '../lib/segment.ts';
import { productBox } from './product-box.ts';
import { buildExcerpt } from './search-excerpt.ts';

interface PagefindData {
  url: string;
  content: string;
  locations: number[];
  meta: Record<string, string | undefined>;
}
interface PagefindResult {
  id: string;
  score: number;
  data(): Promise<PagefindData>;
}
interface PagefindResponse {
  results: PagefindResult[];
}
/** A filter's value: one value, or any of several (the product box selects several). */
type Filters = Partial<Record<'product' | 'severity' | 'year', string | { any: string[] }>>;
interface PagefindInstance {
  search(term: string | null, options?: { filters?: Filters; sort?: Record<string, 'asc' | 'desc'> }): Promise<PagefindResponse>;
  preload(term: string): Promise<void>;
  init(): Promise<void>;
}
interface PagefindModule {
  createInstance(options: Record<string, unknown>): PagefindInstance;
}

interface Strings {
  severity: Record<string, string>;
  count: string;
  /** `count` and `partial` for exactly one result. */
  countOne: string;
  none: string;
  noneAll: string;
  partial: string;
  partialOne: string;
  empty: string;
  loading: string;
  error: string;
  jump: string;
  matched: string;
}

/**
 * Results rendered at once; each downloads its fragment (2 KB median, 3 KB at the 90th
 * percentile on the real archive), so five keep the first query well under its 150 KB
 * budget. "Show more" renders the next five.
 */
const PAGE_SIZE = 5;

/**
 * Ranking weights. Title, id and KB matches in metadata are boosted over body matches;
 * the date and severity fields are searchable only so that "2003" or "critical" still
 * find bulletins, not to rank them.
 */
const RANKING = { metaWeights: { title: 6, id: 10, kb: 10, date: 0, severity: 0 } };

/** Pause in typing after which the index chunks of the words typed so far are fetched. */
const PRELOAD_DELAY_MS = 150;

/** The smallest valid WebAssembly module (magic number and version). */
const EMPTY_WASM = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

/** A search that has not answered in this long has failed (an index file did not load). */
const SEARCH_TIMEOUT_MS = 15_000;

/** Rejects when `promise` takes longer than `ms`. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

const root = document.querySelector<HTMLElement>('[data-search]');
if (root) start(root);

function start(root: HTMLElement): void {
  const form = root.querySelector<HTMLFormElement>('#search-form')!;
  const input = form.querySelector<HTMLInputElement>('input[name="q"]')!;
  const selects = [...form.querySelectorAll<HTMLSelectElement>('select')];
  const products = productBox(form.querySelector<HTMLInputElement>('input[data-product-box]')!);
  const status = root.querySelector<HTMLElement>('#search-status')!;
  const jump = root.querySelector<HTMLElement>('#search-jump')!;
  const list = root.querySelector<HTMLOListElement>('#search-results')!;
  const more = root.querySelector<HTMLButtonElement>('#search-more')!;
  const lang = root.dataset.lang === 'en' ? 'en' : 'ja';
  const bundle = root.dataset.bundle!;
  const lookup = root.dataset.lookup!;
  const bulletinUrl = root.dataset.bulletinUrl!;
  const strings = JSON.parse(root.dataset.strings!) as Strings;

  let pagefind: Promise<{ instance: PagefindInstance; common: ReadonlySet<string> }> | undefined;
  const loadPagefind = () => {
    pagefind ??= (async () => {
      // Pagefind asks for its WebAssembly only after its script and entry file have
      // arrived; a preload starts that download now.
      if (root.dataset.wasm) {
        const preload = document.createElement('link');
        preload.rel = 'preload';
        preload.as = 'fetch';
        preload.crossOrigin = 'anonymous';
        preload.href = `${bundle}${root.dataset.wasm}`;
        document.head.append(preload);
      }
      // Pagefind waits forever when its WebAssembly cannot run (a CSP without
      // 'wasm-unsafe-eval', a failed download): find out first, with an empty module.
      await WebAssembly.compile(EMPTY_WASM);
      const [module, common] = await Promise.all([
        import(/* @vite-ignore */ `${bundle}pagefind.js`) as Promise<PagefindModule>,
        fetch(`${bundle}${COMMON_TERMS_FILE}`).then((r) => (r.ok ? (r.json() as Promise<string[]>) : [])),
      ]);
      const instance = module.createInstance({ basePath: bundle, noWorker: true, ranking: RANKING });
      await instance.init();
      return { instance, common: new Set(common) };
    })();
    return pagefind;
  };

  // Warm up on focus: the first query then only waits for its own index chunks.
  input.addEventListener('focus', () => void loadPagefind().catch(() => undefined), { once: true });
  // While typing (not while an IME is composing), fetch the index chunks of the words so
  // far, so that Enter only waits for the results' own data.
  let typing: ReturnType<typeof setTimeout> | undefined;
  const preloadTyped = () => {
    clearTimeout(typing);
    typing = setTimeout(() => {
      const terms = queryTerms(input.value);
      if (!terms.length || !pagefind) return;
      void pagefind.then(({ instance, common }) => instance.preload(withoutCommonTerms(terms, common).join(' '))).catch(() => undefined);
    }, PRELOAD_DELAY_MS);
  };
  input.addEventListener('input', (event) => {
    if (!(event as InputEvent).isComposing) preloadTyped();
  });
  input.addEventListener('compositionend', preloadTyped);

  let generation = 0;
  let pending: PagefindResult[] = [];

  const readForm = () => {
    const params = new URLSearchParams();
    if (input.value.trim()) params.set('q', input.value.trim());
    if (products.addressValue()) params.set('product', products.addressValue());
    for (const select of selects) if (select.value) params.set(select.name, select.value);
    return params;
  };

  const fillForm = (params: URLSearchParams) => {
    input.value = params.get('q') ?? '';
    void products.fill(params.get('product') ?? '');
    for (const select of selects) {
      const wanted = params.get(select.name) ?? '';
      select.value = [...select.options].some((o) => o.value === wanted) ? wanted : '';
    }
  };

  const say = (text: string) => {
    status.textContent = text;
  };

  async function run(params: URLSearchParams): Promise<void> {
    const current = ++generation;
    const started = performance.now();
    const query = params.get('q') ?? '';
    const terms = queryTerms(query);
    const filters: Filters = {};
    for (const key of ['severity', 'year'] as const) {
      const value = params.get(key);
      if (value) filters[key] = value;
    }
    const productText = params.get('product')?.trim() ?? '';
    const sortParam = params.get('sort');
    // Without words there is no relevance: filters alone list the newest first.
    const sort = sortParam === 'oldest' ? { date: 'asc' as const } : sortParam === 'newest' || !terms.length ? { date: 'desc' as const } : undefined;

    list.replaceChildren();
    jump.replaceChildren();
    more.hidden = true;
    if (!terms.length && !Object.keys(filters).length && !productText) {
      say(query ? strings.noneAll : strings.empty);
      return;
    }
    say(strings.loading);
    void offerJump(query, current);

    try {
      const [{ instance, common }, selection] = await withTimeout(Promise.all([loadPagefind(), productText ? products.selection() : undefined]), SEARCH_TIMEOUT_MS);
      if (current !== generation) return;
      // Words in the product box select every product whose name holds them.
      if (selection?.slugs.length) filters.product = selection.slugs.length === 1 ? selection.slugs[0]! : { any: selection.slugs };
      const options = { filters, ...(sort ? { sort } : {}) };
      // Words in a third of all bulletins are indexed only where they matter (titles,
      // facts, summaries): searched alone they find those; next to rarer words they add
      // nothing but downloads, so they are left out (see findCommonTerms).
      const searchTerms = withoutCommonTerms(terms, common);
      const ready = performance.now();
      let response: PagefindResponse = { results: [] };
      let partial = false;
      // Product words that name no product match no bulletin.
      if (!selection || selection.slugs.length) {
        response = await withTimeout(instance.search(searchTerms.length ? searchTerms.join(' ') : null, options), SEARCH_TIMEOUT_MS);
        if (!response.results.length && searchTerms.length > 1) {
          // No bulletin has every word: rank the ones that have some of them.
          response = await anyTerm(instance, searchTerms, options);
          partial = response.results.length > 0;
        }
      }
      if (current !== generation) return;
      const found = performance.now();
      pending = [...response.results];
      await renderMore(current);
      if (current !== generation) return;
      const count = response.results.length;
      const about = products.describe(selection);
      const status = count === 1 ? (partial ? strings.partialOne : strings.countOne) : (partial ? strings.partial : strings.count).replace('{count}', String(count));
      say(`${count ? status : strings.none}${about ? ` (${about})` : ''}`);
      root.dataset.state = 'done';
      const end = performance.now();
      // Phases: loading Pagefind (first query only), the search with its index chunks, the
      // results' fragments and rendering.
      const phases = { loadMs: ready - started, searchMs: found - ready, renderMs: end - found };
      performance.measure('kb-search', { start: started, end, detail: { query, results: count, ...phases } });
    } catch (error) {
      if (current !== generation) return;
      say(strings.error);
      root.dataset.state = 'error';
      console.error(error);
    }
  }

  /** Renders the next results, unless a newer search has started meanwhile. */
  async function renderMore(current: number): Promise<void> {
    const batch = pending.splice(0, PAGE_SIZE);
    const data = await Promise.all(batch.map((r) => r.data()));
    if (current !== generation) return;
    for (const item of data) list.append(renderResult(item));
    more.hidden = pending.length === 0;
  }

  function renderResult(item: PagefindData): HTMLLIElement {
    const li = document.createElement('li');
    li.className = 'search-result';
    const link = document.createElement('a');
    link.href = item.url;
    link.className = 'search-result__link';
    const id = document.createElement('span');
    id.className = 'search-result__id';
    id.textContent = item.meta.id ?? '';
    const title = document.createElement('span');
    title.className = 'search-result__title';
    title.textContent = joinTokens((item.meta.title ?? '').split(' '));
    link.append(id, ' ', title);

    const facts = document.createElement('p');
    facts.className = 'search-result__facts';
    const severity = item.meta.severity ?? '';
    if (strings.severity[severity]) {
      const badge = document.createElement('span');
      badge.className = `badge badge--${severity}`;
      badge.dataset.severity = severity;
      badge.textContent = strings.severity[severity]!;
      facts.append(badge, ' ');
    }
    if (item.meta.date) {
      const time = document.createElement('time');
      time.dateTime = item.meta.date;
      time.textContent = formatDate(item.meta.date, lang);
      facts.append(time);
    }
    if (item.meta.kb) facts.append(' ', item.meta.kb.split(' ').map((kb) => `KB${kb}`).join(', '));

    const excerpt = buildExcerpt(item.content, item.locations);
    const text = document.createElement('p');
    text.className = 'search-result__excerpt';
    for (const part of excerpt.parts) {
      if (part.mark) {
        const mark = document.createElement('mark');
        mark.textContent = part.text;
        text.append(mark);
      } else text.append(part.text);
    }
    li.append(link, facts, text);
    if (excerpt.matched.length) {
      const matched = document.createElement('p');
      matched.className = 'search-result__matched';
      matched.append(`${strings.matched} `);
      excerpt.matched.forEach((word, i) => {
        const mark = document.createElement('mark');
        mark.textContent = word;
        matched.append(...(i ? [', '] : []), mark);
      });
      li.append(matched);
    }
    return li;
  }

  async function offerJump(query: string, current: number): Promise<void> {
    const exact = exactIdentifier(query);
    if (!exact) return;
    const shard = lookupShard(exact);
    let ids: string[] | undefined;
    try {
      const response = await fetch(`${lookup}${shard}.json`);
      if (!response.ok) return;
      ids = ((await response.json()) as Record<string, string[]>)[exact.value];
    } catch {
      return;
    }
    if (!ids?.length || current !== generation) return;
    const p = document.createElement('p');
    p.className = 'search-jump';
    ids.forEach((id, i) => {
      const a = document.createElement('a');
      a.href = bulletinUrl.replace('{id}', id.toLowerCase());
      a.textContent = strings.jump.replace('{id}', id).replace('{query}', query.trim());
      p.append(...(i ? [' '] : []), a);
    });
    jump.replaceChildren(p);
  }

  /** Results holding any of the terms, best total score first. */
  async function anyTerm(instance: PagefindInstance, terms: readonly string[], options: Parameters<PagefindInstance['search']>[1]): Promise<PagefindResponse> {
    const scores = new Map<string, { result: PagefindResult; score: number }>();
    for (const term of terms) {
      const { results } = await instance.search(term, options);
      for (const result of results) {
        const seen = scores.get(result.id);
        if (seen) seen.score += result.score;
        else scores.set(result.id, { result, score: result.score });
      }
    }
    const results = [...scores.values()].sort((a, b) => b.score - a.score).map((entry) => entry.result);
    return { results };
  }

  // Keyboard: ↓ from the box goes to the first link, ↑/↓ move between links, Esc goes back.
  const links = () => [...root.querySelectorAll<HTMLAnchorElement>('#search-jump a, #search-results a')];
  input.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown' && !event.isComposing && links().length) {
      event.preventDefault();
      links()[0]!.focus();
    }
  });
  root.addEventListener('keydown', (event) => {
    const all = links();
    // The key's target, not the focus: the box's own ↓ has already moved the focus here.
    const at = all.indexOf(event.target as HTMLAnchorElement);
    if (at === -1) return;
    if (event.key === 'ArrowDown' && at < all.length - 1) {
      event.preventDefault();
      all[at + 1]!.focus();
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      (at > 0 ? all[at - 1]! : input).focus();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      input.focus();
    }
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const params = readForm();
    const search = params.toString();
    if (search !== location.search.replace(/^\?/, '')) history.pushState(null, '', search ? `?${search}` : location.pathname);
    void run(params);
  });
  for (const select of selects) select.addEventListener('change', () => form.requestSubmit());
  // A suggestion picked from the product list searches at once, as a changed select does;
  // typed words wait for Enter.
  products.input.addEventListener('input', (event) => {
    if ((event as InputEvent).inputType === 'insertReplacementText') form.requestSubmit();
  });
  more.addEventListener('click', () => {
    const next = list.children.length;
    void renderMore(generation).then(() => list.querySelectorAll('a')[next]?.focus());
  });
  addEventListener('popstate', () => {
    const params = new URLSearchParams(location.search);
    fillForm(params);
    void run(params);
  });

  const initial = new URLSearchParams(location.search);
  fillForm(initial);
  if ([...initial.keys()].length) void run(initial);
  else say(strings.empty);
}
