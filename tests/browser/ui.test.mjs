// ui.test.mjs: using the search box from the keyboard ("/", arrows, Enter,
// Escape, with the ARIA state a screen reader relies on), and reading the
// site with JavaScript turned off (no dead search box, working links).
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

  it('Escape clears and closes the results', async () => {
    await page.keyboard.press('/');
    await page.keyboard.type('gone');
    await page.waitForSelector('#search-results a[role="option"]');
    await page.keyboard.press('Escape');
    assert.equal(await input().inputValue(), '');
    assert.equal(await page.locator('#search-results').evaluate((list) => list.children.length), 0);
    assert.equal(await page.locator('#search-results').isVisible(), false);
    assert.equal(await input().getAttribute('aria-expanded'), 'false');
    assert.equal(await input().getAttribute('aria-activedescendant'), null);
  });

  it('"/" typed inside the box is just a character', async () => {
    await input().focus();
    await page.keyboard.type('a/b');
    assert.equal(await input().inputValue(), 'a/b');
    await page.keyboard.press('Escape');
  });

  it('leaving the box closes the results', async () => {
    await typeQuery(page, 'redirect');
    await page.keyboard.press('Shift+Tab');
    assert.notEqual(await activeId(), 'search-input');
    assert.equal(await page.locator('#search-results').evaluate((list) => list.children.length), 0);
    assert.equal(await input().getAttribute('aria-expanded'), 'false');
  });
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
