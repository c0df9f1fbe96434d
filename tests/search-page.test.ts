import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser } from './helpers/browser.ts';
import { serve, type StaticServer } from './helpers/serve.ts';

// The search page of the shared content build, served as a plain static host does, with
// the production security headers (CSP `script-src 'self' 'wasm-unsafe-eval'`).
let server: StaticServer;
let browser: Browser;
const siteDir = inject('siteDir');

beforeAll(async () => {
  server = await serve(siteDir, { headers: true });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** A page that collects script errors and CSP violations. */
async function openPage(): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`script error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  return { page, problems };
}

/** Waits until the search triggered by the page has finished. */
async function searched(page: Page, count = 1): Promise<void> {
  await page.waitForFunction((n) => performance.getEntriesByName('kb-search').length >= n || document.querySelector('[data-search]')?.getAttribute('data-state') === 'error', count, {
    timeout: 15_000,
  });
}

async function resultIds(page: Page): Promise<string[]> {
  return page.locator('#search-results li .search-result__id').allTextContents();
}

describe('search page', () => {
  it('runs the query of ?q= on load and lists results as links to bulletin pages in rank order', async () => {
    const { page, problems } = await openPage();
    await page.goto(server.at(`ja/search/?q=${encodeURIComponent('drviis.dll')}`));
    await searched(page);
    expect(await page.inputValue('#search-q')).toBe('drviis.dll');
    const links = page.locator('#search-results > li a.search-result__link');
    expect(await links.count()).toBeGreaterThan(0);
    expect(await links.first().getAttribute('href')).toBe('/ja/bulletins/ms03-046/');
    // Every result links to a page that exists on the static host.
    for (const href of await links.evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).pathname))) {
      expect(readFileSync(path.join(siteDir, href, 'index.html'), 'utf8')).toContain('<html');
    }
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows id, title, severity, date and an excerpt with the match highlighted', async () => {
    const { page } = await openPage();
    await page.goto(server.at(`ja/search/?q=${encodeURIComponent('drviis')}`));
    await searched(page);
    const first = page.locator('#search-results > li').first();
    expect(await first.locator('.search-result__id').textContent()).toBe('MS03-046');
    expect(await first.locator('.search-result__title').textContent()).toBe('Exchange ServerのSMTPプロトコルの脆弱性により、任意のコードが実行される可能性');
    expect(await first.locator('.badge').textContent()).toBe('緊急');
    expect(await first.locator('time').getAttribute('datetime')).toBe('2003-10-15');
    expect(await first.locator('time').textContent()).toBe('2003年10月15日');
    expect(await first.locator('.search-result__excerpt mark').first().textContent()).toBe('drviis.dll');
    expect(await first.locator('.search-result__excerpt').textContent()).toContain('6.0.6487.1');
    await page.close();
  });

  it('highlights a japanese word inside the summary it was found in', async () => {
    const { page } = await openPage();
    await page.goto(server.at(`ja/search/?q=${encodeURIComponent('拡張コマンドを認証')}`));
    await searched(page);
    const first = page.locator('#search-results > li').first();
    expect(await first.locator('.search-result__id').textContent()).toBe('MS03-046');
    const marks = await first.locator('.search-result__excerpt mark').allTextContents();
    // Adjacent matched words form one mark; the excerpt is the stretch with the most matches.
    expect(marks).toContain('拡張コマンド');
    // Particles between the words are shown but never marked.
    expect(marks).not.toContain('を');
    // A word that matched beyond the excerpt is listed under it.
    expect(await first.locator('.search-result__matched mark').allTextContents()).toEqual(['認証']);
    await page.close();
  });

  it('searches the english index from the english page', async () => {
    const { page } = await openPage();
    await page.goto(server.at(`en/search/?q=${encodeURIComponent('SMTP extension verbs')}`));
    await searched(page);
    expect((await resultIds(page))[0]).toBe('MS03-046');
    expect(await page.locator('#search-results a.search-result__link').first().getAttribute('href')).toBe('/en/bulletins/ms03-046/');
    expect(await page.locator('#search-results .badge').first().textContent()).toBe('Critical');
    expect(await page.locator('#search-results time').first().textContent()).toBe('15 Oct 2003');
    await page.close();
  });

  it('filters by product, severity and year and sorts by date', async () => {
    const { page } = await openPage();
    const query = encodeURIComponent('コード');
    await page.goto(server.at(`ja/search/?q=${query}`));
    await searched(page);
    const all = await resultIds(page);
    expect(all.length).toBeGreaterThan(2);

    await page.goto(server.at(`ja/search/?q=${query}&year=2004`));
    await searched(page);
    expect(await resultIds(page)).toEqual(['MS04-013']);
    expect(await page.inputValue('select[name="year"]')).toBe('2004');

    await page.goto(server.at(`ja/search/?q=${query}&product=exchange-2000-server`));
    await searched(page);
    expect(await resultIds(page)).toEqual(['MS03-046']);
    await expect.poll(() => page.inputValue('#search-product')).toBe('Exchange 2000 Server');

    // Words in the product box select every product whose name holds them.
    await page.goto(server.at(`ja/search/?q=${query}&product=${encodeURIComponent('exchange 5')}`));
    await searched(page);
    expect(await resultIds(page)).toEqual(['MS03-046']);
    expect(await page.locator('#search-status').textContent()).toBe('1 件見つかりました。 (名前に「exchange 5」を含む製品 2 件)');
    // English says one result and one product in the singular.
    await page.goto(server.at(`en/search/?q=Exchange&product=${encodeURIComponent('exchange 2000')}`));
    await searched(page);
    expect(await resultIds(page)).toEqual(['MS03-046']);
    expect(await page.locator('#search-status').textContent()).toBe('1 bulletin found. (1 product whose name contains “exchange 2000”)');
    await page.goto(server.at(`ja/search/?q=${query}&product=${encodeURIComponent('Outlook 7')}`));
    await searched(page);
    expect(await resultIds(page)).toEqual([]);
    expect(await page.locator('#search-status').textContent()).toBe('一致するセキュリティ情報は見つかりませんでした。 (名前に「Outlook 7」を含む製品はありません。)');
    await page.goto(server.at(`ja/search/?q=${query}`));
    await searched(page);
    await page.fill('#search-product', 'outlook 6');
    await page.press('#search-product', 'Enter');
    await searched(page, 2);
    expect(await resultIds(page)).toEqual(['MS04-013']);
    expect(new URL(page.url()).searchParams.get('product')).toBe('outlook 6');

    await page.goto(server.at(`ja/search/?q=${query}&severity=low`));
    await searched(page);
    expect(await resultIds(page)).toEqual([]);
    expect(await page.locator('#search-status').textContent()).toBe('一致するセキュリティ情報は見つかりませんでした。');

    await page.goto(server.at(`ja/search/?q=${query}&sort=oldest`));
    await searched(page);
    const dates = await page.locator('#search-results time').evaluateAll((ts) => ts.map((t) => t.getAttribute('datetime')!));
    expect(dates).toEqual([...dates].sort());
    expect(new Set(await resultIds(page))).toEqual(new Set(all));
    await page.close();
  });

  it('searches without the product filter, and says so, when the product list cannot be loaded', async () => {
    const { page } = await openPage();
    await page.route('**/products.json', (route) => route.fulfill({ status: 404, body: '' }));
    await page.goto(server.at(`ja/search/?q=${encodeURIComponent('コード')}&product=${encodeURIComponent('outlook 6')}`));
    await searched(page);
    expect((await resultIds(page)).length).toBeGreaterThan(1);
    expect(await page.locator('#search-status').textContent()).toMatch(/件見つかりました。 \(製品の一覧を読み込めなかったため、製品による絞り込みは行っていません。\)$/);
    await page.close();
  });

  it('lists the newest bulletins first when only a filter is chosen', async () => {
    const { page } = await openPage();
    await page.goto(server.at('ja/search/?severity=critical'));
    await searched(page);
    const dates = await page.locator('#search-results time').evaluateAll((ts) => ts.map((t) => t.getAttribute('datetime')!));
    expect(dates.length).toBeGreaterThan(1);
    expect(dates).toEqual([...dates].sort().reverse());
    expect(new Set(await page.locator('#search-results .badge').allTextContents())).toEqual(new Set(['緊急']));
    await page.close();
  });

  it('changing a filter reruns the search and keeps the choice in the address', async () => {
    const { page } = await openPage();
    await page.goto(server.at(`ja/search/?q=${encodeURIComponent('コード')}`));
    await searched(page);
    await page.selectOption('select[name="year"]', '2004');
    await searched(page, 2);
    expect(new URL(page.url()).searchParams.get('year')).toBe('2004');
    expect(await resultIds(page)).toEqual(['MS04-013']);
    await page.goBack();
    await searched(page, 3);
    expect(await page.inputValue('select[name="year"]')).toBe('');
    expect((await resultIds(page)).length).toBeGreaterThan(1);
    await page.close();
  });

  it('offers a direct jump when the query is exactly a bulletin id, KB number or CVE id', async () => {
    const { page } = await openPage();
    for (const query of ['KB829436', '829436', 'ms03-046', 'CVE-2003-0714', 'ＫＢ８２９４３６']) {
      await page.goto(server.at(`ja/search/?q=${encodeURIComponent(query)}`));
      await searched(page);
      const jump = page.locator('#search-jump a');
      await jump.waitFor({ timeout: 5_000 });
      expect(await jump.textContent(), query).toBe('MS03-046 を開く');
      expect(await jump.getAttribute('href'), query).toBe('/ja/bulletins/ms03-046/');
    }
    await page.locator('#search-jump a').click();
    await page.waitForURL(/\/ja\/bulletins\/ms03-046\/$/);
    expect(await page.locator('h1').textContent()).toContain('MS03-046');

    // A query that is not exactly an identifier offers no jump.
    await page.goto(server.at(`ja/search/?q=${encodeURIComponent('drviis')}`));
    await searched(page);
    await page.waitForTimeout(300);
    expect(await page.locator('#search-jump a').count()).toBe(0);
    await page.close();
  });

  it('does not submit when enter confirms a japanese IME conversion, and submits on the next enter', async () => {
    const { page } = await openPage();
    await page.goto(server.at('ja/search/'));
    await page.focus('#search-q');
    const cdp = await page.context().newCDPSession(page);
    let submits = 0;
    await page.exposeFunction('countSubmit', () => submits++);
    await page.evaluate(() => document.querySelector('#search-form')!.addEventListener('submit', () => (window as unknown as { countSubmit(): void }).countSubmit()));
    // Type よみ, convert, and confirm the conversion with Enter: the browser sends that
    // Enter as a keydown with isComposing set and keyCode 229, then commits the text.
    await cdp.send('Input.imeSetComposition', { text: 'にんしょう', selectionStart: 5, selectionEnd: 5 });
    await cdp.send('Input.imeSetComposition', { text: '認証', selectionStart: 2, selectionEnd: 2 });
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key: 'Enter', code: 'Enter', text: '\r', windowsVirtualKeyCode: 229, nativeVirtualKeyCode: 229 });
    await cdp.send('Input.insertText', { text: '認証' });
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13 });
    await page.waitForTimeout(500);
    expect(submits).toBe(0);
    expect(new URL(page.url()).search).toBe('');
    expect(await page.inputValue('#search-q')).toBe('認証');
    expect(await page.locator('#search-results li').count()).toBe(0);

    // Safari's order: the composition ends first, then a keydown with keyCode 229.
    await page.evaluate(() => {
      const input = document.querySelector<HTMLInputElement>('#search-q')!;
      input.dispatchEvent(new CompositionEvent('compositionstart', { data: '' }));
      input.dispatchEvent(new CompositionEvent('compositionend', { data: '認証' }));
    });
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key: 'Enter', code: 'Enter', text: '\r', windowsVirtualKeyCode: 229, nativeVirtualKeyCode: 229 });
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 229 });
    await page.waitForTimeout(300);
    expect(submits).toBe(0);

    // The next plain Enter searches.
    await page.keyboard.press('Enter');
    await searched(page);
    expect(submits).toBe(1);
    expect(new URL(page.url()).searchParams.get('q')).toBe('認証');
    expect(await page.locator('#search-results li').count()).toBeGreaterThan(0);
    await page.close();
  });

  it('guards the header search box the same way', async () => {
    const { page } = await openPage();
    await page.goto(server.at('ja/bulletins/'));
    await page.focus('#site-search-q');
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Input.imeSetComposition', { text: 'にんしょう', selectionStart: 5, selectionEnd: 5 });
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key: 'Enter', code: 'Enter', text: '\r', windowsVirtualKeyCode: 229, nativeVirtualKeyCode: 229 });
    await cdp.send('Input.insertText', { text: '認証' });
    await page.waitForTimeout(500);
    expect(new URL(page.url()).pathname).toBe('/ja/bulletins/');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/ja\/search\/\?q=/);
    await searched(page);
    expect(new URL(page.url()).searchParams.get('q')).toBe('認証');
    await page.close();
  });

  it('works with the keyboard alone', async () => {
    const { page } = await openPage();
    await page.goto(server.at('ja/search/'));
    await page.focus('#search-q');
    await page.keyboard.type('コード');
    await page.keyboard.press('Enter');
    await searched(page);
    const ids = await resultIds(page);
    expect(ids.length).toBeGreaterThan(1);
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.closest('li')?.querySelector('.search-result__id')?.textContent)).toBe(ids[0]);
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.closest('li')?.querySelector('.search-result__id')?.textContent)).toBe(ids[1]);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('search-q');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Escape');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('search-q');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/ja\/bulletins\/ms\d\d-\d{3}\/$/);
    await page.close();
  });

  it('says so when the query has only particles', async () => {
    const { page } = await openPage();
    await page.goto(server.at(`ja/search/?q=${encodeURIComponent('のを')}`));
    await expect.poll(() => page.locator('#search-status').textContent()).toBe('検索できる語句がありません。助詞などを除いた語句で検索してください。');
    await page.close();
  });

  it('reports a search index that cannot run instead of waiting forever', async () => {
    // Without 'wasm-unsafe-eval' Chromium refuses to compile Pagefind's WebAssembly.
    const { page } = await openPage();
    await page.route('**/*', async (route) => {
      const response = await route.fetch();
      const headers = { ...response.headers() };
      for (const name of Object.keys(headers)) if (name.toLowerCase() === 'content-security-policy') headers[name] = headers[name]!.replace(" 'wasm-unsafe-eval'", '');
      const body = (await response.body()).toString('latin1').replace(" 'wasm-unsafe-eval'", '');
      await route.fulfill({ response, headers, body: Buffer.from(body, 'latin1') });
    });
    await page.goto(server.at(`ja/search/?q=${encodeURIComponent('drviis')}`));
    await page.waitForFunction(() => document.querySelector('[data-search]')?.getAttribute('data-state') === 'error', null, { timeout: 20_000 });
    expect(await page.locator('#search-status').textContent()).toContain('検索インデックスを読み込めませんでした');
    // Requests still in flight (prefetches) must not reach the handler after the page closes.
    await page.unrouteAll({ behavior: 'ignoreErrors' });
    await page.close();
  });
});
