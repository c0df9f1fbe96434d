/**
 * Progressive enhancement for the bulletin list: sortable column headers and a combined
 * product/severity/year filter that works in place (the product box takes words: see
 * `product-box.ts`). The choice is kept in the query string
 * (`?product=…&severity=…&year=…`) so a filtered list can be bookmarked or shared.
 * Without scripts the list is complete and the static facet pages filter it.
 */

import { productBox } from './product-box.ts';

type SortKey = 'id' | 'title' | 'severity' | 'published';

function compareRows(key: SortKey, a: HTMLTableRowElement, b: HTMLTableRowElement): number {
  if (key === 'severity') return Number(a.dataset.severityRank) - Number(b.dataset.severityRank) || compareRows('published', a, b);
  const va = (key === 'title' ? a.dataset.title : key === 'id' ? a.dataset.id : a.dataset.published) ?? '';
  const vb = (key === 'title' ? b.dataset.title : key === 'id' ? b.dataset.id : b.dataset.published) ?? '';
  if (key === 'title') return va.localeCompare(vb, document.documentElement.lang);
  // Ids compare with numbers as numbers (MS03-046 before MS03-100 before MS10-001).
  return va.localeCompare(vb, 'en', { numeric: true });
}

function enhanceSorting(table: HTMLTableElement): void {
  const body = table.tBodies[0];
  if (!body) return;
  const headers = [...table.querySelectorAll<HTMLTableCellElement>('th[data-sort-key]')];
  for (const th of headers) {
    const key = th.dataset.sortKey as SortKey;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'sort-button';
    button.textContent = th.textContent;
    th.textContent = '';
    th.append(button);
    button.addEventListener('click', () => {
      // First click on a column sorts descending for dates and severity (newest, worst
      // first), ascending for text; a second click reverses.
      const current = th.getAttribute('aria-sort');
      const descendingFirst = key === 'published' || key === 'severity';
      const direction = current === 'descending' ? 'ascending' : current === 'ascending' ? 'descending' : descendingFirst ? 'descending' : 'ascending';
      for (const other of headers) other.removeAttribute('aria-sort');
      th.setAttribute('aria-sort', direction);
      const rows = [...body.rows].sort((a, b) => compareRows(key, a, b) * (direction === 'ascending' ? 1 : -1));
      body.append(...rows);
    });
  }
}

/** Pause in typing in the product box after which the list is filtered. */
const TYPING_DELAY_MS = 200;

function enhanceFilters(table: HTMLTableElement, form: HTMLFormElement): void {
  const selects = [...form.querySelectorAll<HTMLSelectElement>('select')];
  const boxInput = form.querySelector<HTMLInputElement>('input[data-product-box]');
  const box = boxInput ? productBox(boxInput) : undefined;
  const status = form.querySelector<HTMLElement>('.filter-status');
  const count = table.querySelector<HTMLElement>('.table-count');
  const template = count?.dataset.countTemplate ?? '{count}';
  const templateOne = count?.dataset.countOne ?? template;
  const params = new URLSearchParams(location.search);
  for (const select of selects) {
    const wanted = params.get(select.name);
    if (wanted && [...select.options].some((o) => o.value === wanted)) select.value = wanted;
  }
  let generation = 0;
  const apply = async (announce: boolean) => {
    const current = ++generation;
    // The product list downloads on first use (without it the box filters nothing, and says so).
    const selection = await box?.selection();
    const ids = selection && (await box!.bulletins(selection));
    if (current !== generation) return;
    const filter = Object.fromEntries(selects.map((s) => [s.name, s.value]));
    let shown = 0;
    for (const row of table.tBodies[0]?.rows ?? []) {
      const match =
        (!filter.severity || row.dataset.severity === filter.severity) &&
        (!filter.year || row.dataset.year === filter.year) &&
        (!ids || ids.has(row.dataset.id ?? ''));
      row.hidden = !match;
      if (match) shown++;
    }
    const message = (shown === 1 ? templateOne : template).replace('{count}', String(shown));
    if (count) count.textContent = `(${message})`;
    const about = box?.describe(selection) ?? '';
    if (status && announce) status.textContent = about ? `${message} (${about})` : message;
    const query = new URLSearchParams();
    if (box?.addressValue()) query.set('product', box.addressValue());
    for (const select of selects) if (select.value) query.set(select.name, select.value);
    const search = query.toString();
    history.replaceState(null, '', `${location.pathname}${search ? `?${search}` : ''}${location.hash}`);
  };
  form.addEventListener('change', () => void apply(true));
  let typing: ReturnType<typeof setTimeout> | undefined;
  box?.input.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(() => void apply(true), TYPING_DELAY_MS);
  });
  form.addEventListener('reset', () => setTimeout(() => void apply(true)));
  form.addEventListener('submit', (event) => event.preventDefault());
  form.hidden = false;
  const wantedProduct = params.get('product');
  if (box && wantedProduct) void box.fill(wantedProduct).then(() => apply(false));
  else void apply(false);
}

for (const table of document.querySelectorAll<HTMLTableElement>('table[data-bulletin-table]')) {
  enhanceSorting(table);
  const form = document.querySelector<HTMLFormElement>('form[data-filter-form]');
  if (form) enhanceFilters(table, form);
}
