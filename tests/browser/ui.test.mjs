// ui.test.mjs: using the search box from the keyboard ("/", arrows, Enter,
// Escape, Tab, with the ARIA state and live announcements a screen reader
// relies on: the WAI-ARIA APG combobox with a listbox popup), the box while
// its index loads slowly or fails to load, and reading the site with
// JavaScript turned off (no dead search box, working links).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { fileUrl, launchBrowser, requireBuiltSite, typeQuery, useBrowserAndServer } from './helpers.mjs';

describe('keyboard', () => {
  const session = useBrowserAndServer();
  let context;
  let page;
  before(async () => {
    context = await session.browser.newContext({ serviceWorkers: 'block' });
    page = await context.newPage();
    await page.goto(session.server.root + 'index.html');
  });
  after(async () => {
    await context?.close();
  });

  const input = () => page.locator('#search-input');
  const activeId = () => page.evaluate(() => document.activeElement?.id);
  const selected = () => page.$$eval('#search-results a[role="option"]', (links) =>
    links.map((link, k) => (link.getAttribute('aria-selected') === 'true' ? k : -1)).filter((k) => k >= 0));

  it('"/" focuses the search box', async () => {
    assert.notEqual(await activeId(), 'search-input');
    await page.keyboard.press('/');
    assert.equal(await activeId(), 'search-input');
    assert.equal(await input().inputValue(), '', 'the "/" must not be typed into the box');
  });

  it('typing "404" lists results and marks the box expanded', async () => {
    await page.keyboard.type('404');
    await page.waitForSelector('#search-results a[role="option"]');
    assert.equal(await input().getAttribute('aria-expanded'), 'true');
    assert.equal(await input().getAttribute('aria-controls'), 'search-results');
    assert.equal(await input().getAttribute('role'), 'combobox');
    assert.equal(await page.getAttribute('#search-results', 'role'), 'listbox');
    const first = page.locator('#search-results a[role="option"]').first();
    assert.equal((await first.locator('.result-code').textContent()).trim(), '404');
    assert.deepEqual(await selected(), [], 'nothing is selected before the arrows are used');
  });

  it('announces the number of results in a polite live region outside the list', async () => {
    const shown = await page.locator('#search-results a[role="option"]').count();
    const status = page.locator('.search [role="status"], .search [aria-live="polite"]');
    assert.equal(await status.count(), 1, 'one live region in the search box');
    assert.equal(await status.evaluate((region) => region.closest('#search-results')), null, 'not inside the list');
    assert.notEqual(await status.getAttribute('aria-live'), 'off');
    const text = await status.textContent();
    const count = Number(/(\d+) results?/.exec(text)?.[1]);
    assert.ok(count >= shown && count > 0, `the live region says "${text}" for ${shown} results shown`);
    await typeQuery(page, 'zzqxjv');
    assert.match(await status.textContent(), /^No results/);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await page.keyboard.type('404');
    await page.waitForSelector('#search-results a[role="option"]');
  });

  it('ArrowDown and ArrowUp move the selection and aria-activedescendant', async () => {
    const count = await page.locator('#search-results a[role="option"]').count();
    assert.ok(count >= 2, `"404" should list several results, got ${count}`);
    const ids = await page.$$eval('#search-results a[role="option"]', (links) => links.map((link) => link.id));
    assert.equal(new Set(ids).size, ids.length, 'result ids must be unique');

    await page.keyboard.press('ArrowDown');
    assert.deepEqual(await selected(), [0]);
    assert.equal(await input().getAttribute('aria-activedescendant'), ids[0]);
    await page.keyboard.press('ArrowDown');
    assert.deepEqual(await selected(), [1]);
    assert.equal(await input().getAttribute('aria-activedescendant'), ids[1]);
    await page.keyboard.press('ArrowUp');
    assert.deepEqual(await selected(), [0]);
    assert.equal(await input().getAttribute('aria-activedescendant'), ids[0]);
    assert.equal(await activeId(), 'search-input', 'focus stays in the box');
  });

  it('Enter opens the selected result', async () => {
    await Promise.all([page.waitForURL(session.server.root + '404/index.html'), page.keyboard.press('Enter')]);
    assert.equal((await page.locator('.code-big').textContent()).trim(), '404');
  });

  it('Enter without a selection opens the first result', async () => {
    await page.keyboard.press('/');
    await page.keyboard.type('teapot');
    await page.waitForSelector('#search-results a[role="option"]');
    await Promise.all([page.waitForURL(session.server.root + '418/index.html'), page.keyboard.press('Enter')]);
  });

  it('Enter opens the result selected with the arrows, not the first one', async () => {
    await page.keyboard.press('/');
    await page.keyboard.type('50');
    await page.waitForSelector('#search-results a[role="option"]');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const second = await page.locator('#search-results a[aria-selected="true"]').getAttribute('href');
    assert.match(second, /501\/index\.html$/);
    await Promise.all([page.waitForURL(session.server.root + '501/index.html'), page.keyboard.press('Enter')]);
  });

  it('Escape closes the list first and keeps the text; a second Escape clears it', async () => {
    await page.keyboard.press('/');
    await page.keyboard.type('gone');
    await page.waitForSelector('#search-results a[role="option"]');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Escape');
    assert.equal(await input().inputValue(), 'gone', 'the first Escape only closes the list');
    assert.equal(await page.locator('#search-results').isVisible(), false);
    assert.equal(await input().getAttribute('aria-expanded'), 'false');
    assert.equal(await input().getAttribute('aria-activedescendant'), null);
    await page.keyboard.press('Escape');
    assert.equal(await input().inputValue(), '', 'the second Escape clears the text');
    assert.equal(await page.locator('#search-results').evaluate((list) => list.children.length), 0);
    assert.equal(await input().getAttribute('aria-expanded'), 'false');
  });

  it('ArrowDown reopens a closed list on the first result; ArrowUp on the last', async () => {
    await page.keyboard.type('gone');
    await page.waitForSelector('#search-results a[role="option"]');
    await page.keyboard.press('Escape');
    assert.equal(await input().getAttribute('aria-expanded'), 'false');
    await page.keyboard.press('ArrowDown');
    assert.equal(await input().getAttribute('aria-expanded'), 'true');
    const ids = await page.$$eval('#search-results a[role="option"]', (links) => links.map((link) => link.id));
    assert.ok(ids.length > 0, 'ArrowDown shows the results again');
    assert.deepEqual(await selected(), [0]);
    assert.equal(await input().getAttribute('aria-activedescendant'), ids[0]);
    await page.keyboard.press('Escape');
    await page.keyboard.press('ArrowUp');
    assert.equal(await input().getAttribute('aria-expanded'), 'true');
    assert.deepEqual(await selected(), [ids.length - 1]);
    assert.equal(await activeId(), 'search-input', 'focus stays in the box');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
  });

  it('"/" typed inside the box is just a character', async () => {
    await input().focus();
    await page.keyboard.type('a/b');
    assert.equal(await input().inputValue(), 'a/b');
    await page.keyboard.press('Escape');
  });

  it('Tab leaves the box instead of entering the list, and closes it', async () => {
    await typeQuery(page, 'redirect');
    const tabIndexes = await page.$$eval('#search-results a[role="option"]', (links) => links.map((link) => link.tabIndex));
    assert.ok(tabIndexes.length > 0 && tabIndexes.every((tabIndex) => tabIndex === -1),
      `options must not be in the Tab order (tabIndex ${JSON.stringify(tabIndexes)})`);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => Boolean(document.activeElement?.closest('#search-results'))), false,
      'Tab moved focus into the list');
    assert.notEqual(await activeId(), 'search-input');
    assert.equal(await input().getAttribute('aria-expanded'), 'false');
    assert.equal(await page.locator('#search-results').evaluate((list) => list.children.length), 0);
  });

  it('leaving the box closes the results', async () => {
    await typeQuery(page, 'redirect');
    await page.keyboard.press('Shift+Tab');
    assert.notEqual(await activeId(), 'search-input');
    assert.equal(await page.locator('#search-results').evaluate((list) => list.children.length), 0);
    assert.equal(await input().getAttribute('aria-expanded'), 'false');
  });
});

describe('search index loading', () => {
  const session = useBrowserAndServer();
  let context;
  let page;
  // Stand-in for the files under search/: route() decides what each request gets.
  let route = null;
  let requests = 0;
  before(async () => {
    context = await session.browser.newContext({ serviceWorkers: 'block' });
    await context.route('**/search/*.js', (request) => {
      requests++;
      return route(request);
    });
  });
  after(() => context?.close());

  async function openHome() {
    requests = 0;
    page = await context.newPage();
    await page.goto(session.server.root + 'index.html');
  }
  const input = () => page.locator('#search-input');
  // The <script>s of search files, and the most there are for any one file.
  const indexScripts = () => page.$$eval('script[src*="search/"]', (scripts) => scripts.map((script) => script.src));
  const mostScriptsForOneFile = async () => {
    const counts = {};
    for (const src of await indexScripts()) counts[src] = (counts[src] || 0) + 1;
    return Math.max(0, ...Object.values(counts));
  };

  it('does not open the results when the index arrives after focus has left the box', async () => {
    let release;
    const released = new Promise((resolve) => { release = resolve; });
    route = async (request) => { await released; await request.continue(); };
    await openHome();
    await input().focus();
    await page.keyboard.type('404');
    await page.keyboard.press('Tab');
    assert.notEqual(await page.evaluate(() => document.activeElement?.id), 'search-input');
    release();
    await page.evaluate(() => window.httpcodesSearch.ready);
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 100)));
    assert.equal(await input().getAttribute('aria-expanded'), 'false', 'the list opened with focus elsewhere');
    assert.equal(await page.locator('#search-results').evaluate((list) => list.children.length), 0);
    // Back in the box, the results are there.
    await input().focus();
    await page.waitForSelector('#search-results a[role="option"]');
    assert.equal(await input().getAttribute('aria-expanded'), 'true');
    await page.close();
  });

  it('says so when the index cannot load, and retries with one <script> at a time', async () => {
    route = (request) => request.abort();
    await openHome();
    await input().focus();
    await page.keyboard.type('404');
    const results = page.locator('#search-results');
    await page.waitForFunction(() => /Search could not load; try again/.test(document.querySelector('#search-results').textContent),
      null, { timeout: 5000 });
    assert.equal(await input().getAttribute('aria-expanded'), 'true');
    assert.match(await page.locator('.search [role="status"]').textContent(), /Search could not load/);
    assert.equal((await indexScripts()).length, 1);
    // Each keystroke retries; each retry replaces the failed <script>.
    for (const key of ['4', 'Backspace', '4']) {
      const before = requests;
      await page.keyboard.press(key);
      await assert.doesNotReject(waitUntil(() => requests > before), `"${key}" did not retry`);
      await page.waitForTimeout(150); // the aborted load is reported before the next keystroke
      assert.ok((await indexScripts()).length <= 1, `${(await indexScripts()).length} search scripts at once`);
    }
    await page.waitForFunction(() => /Search could not load/.test(document.querySelector('#search-results').textContent));
    // Once the file can be read, the next keystroke finds the results.
    route = (request) => request.continue();
    await page.keyboard.press('Backspace');
    await page.waitForSelector('#search-results a[role="option"]');
    assert.doesNotMatch(await results.textContent(), /could not load/);
    assert.equal(await mostScriptsForOneFile(), 1);
    await page.close();
  });

  it('says so when a shard cannot load, and finds the results on the next keystroke once it can', async () => {
    const entry = (request) => request.request().url().endsWith('/search/index.js');
    route = (request) => (entry(request) ? request.continue() : request.abort());
    await openHome();
    await input().focus();
    await page.keyboard.type('404');
    await page.waitForFunction(() => /Search could not load; try again/.test(document.querySelector('#search-results').textContent),
      null, { timeout: 5000 });
    const before = requests;
    await page.keyboard.press('Backspace');
    await assert.doesNotReject(waitUntil(() => requests > before), 'the keystroke did not retry');
    await page.waitForTimeout(150);
    assert.equal(await mostScriptsForOneFile(), 1, 'a failed shard\'s <script> was not replaced');
    route = (request) => request.continue();
    await page.keyboard.type('4');
    await page.waitForSelector('#search-results a[role="option"]');
    assert.equal((await page.locator('#search-results a[role="option"] .result-code').first().textContent()).trim(), '404');
    assert.equal(await mostScriptsForOneFile(), 1);
    await page.close();
  });

  it('refuses an index of another format version, with the same message', async () => {
    route = (request) => (request.request().url().endsWith('/search/index.js') ? request.fulfill({
      contentType: 'text/javascript',
      body: '(window.HTTPCODES_SEARCH_PARTS = window.HTTPCODES_SEARCH_PARTS || {})["search/index.js"] = ' +
        '{"version": 999, "words": [], "terms": [], "docs": []};\n',
    }) : request.continue());
    await openHome();
    await input().focus();
    await page.keyboard.type('404');
    await page.waitForFunction(() => /Search could not load/.test(document.querySelector('#search-results').textContent),
      null, { timeout: 5000 });
    await page.close();
  });

  /** Resolves once `condition()` is true, polling for up to two seconds. */
  async function waitUntil(condition) {
    for (let tries = 0; tries < 40; tries++) {
      if (condition()) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('timed out');
  }
});

describe('without JavaScript', () => {
  let browser;
  let context;
  let page;
  before(async () => {
    requireBuiltSite();
    browser = await launchBrowser();
    context = await browser.newContext({ javaScriptEnabled: false });
    page = await context.newPage();
    await page.goto(fileUrl('index.html'));
  });
  after(async () => {
    await context?.close();
    await browser?.close();
  });

  it('hides the search box', async () => {
    assert.equal(await page.locator('[data-search]').count(), 1);
    assert.equal(await page.locator('[data-search]').isVisible(), false);
    assert.equal(await page.locator('#search-input').isVisible(), false);
  });

  it('lists the codes on the home page with links to existing pages', async () => {
    const hrefs = await page.$$eval('main a[href]', (links) => links.map((link) => link.href));
    const codePages = hrefs.filter((href) => /\/\d{3}\/index\.html$/.test(href));
    assert.ok(codePages.length >= 80, `only ${codePages.length} code links on the home page`);
    for (const href of hrefs.filter((href) => href.startsWith('file:'))) {
      assert.ok(fs.existsSync(fileURLToPath(href.split('#')[0])), `${href} does not exist`);
    }
  });

  it('follows a code link to a readable page', async () => {
    await Promise.all([page.waitForURL(/\/429\/index\.html$/), page.locator('main a[href$="429/index.html"]').first().click()]);
    assert.equal((await page.locator('.code-big').textContent()).trim(), '429');
    assert.match(await page.locator('h1').textContent(), /Too Many Requests/);
    assert.equal(await page.locator('[data-search]').isVisible(), false);
  });
});
