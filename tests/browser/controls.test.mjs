// controls.test.mjs: the page's own controls and layouts beyond the search
// box: a constant's copy button, code blocks a keyboard can scroll, what a
// reader without script sees, and the print layout of the read-all page.
// Pages are picked from the built site (api/codes.json), never by number.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileUrl, listFiles, SITE_DIR, useBrowserAndServer } from './helpers.mjs';

const CODES = () => JSON.parse(fs.readFileSync(path.join(SITE_DIR, 'api', 'codes.json'), 'utf8'));

describe('page controls', () => {
  const session = useBrowserAndServer();

  it('copies a constant to the clipboard and says so to screen readers', async () => {
    const code = CODES().find((entry) => Object.keys(entry.references ?? {}).length > 0);
    assert.ok(code, 'no code page lists constants');
    const context = await session.browser.newContext();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(session.server.root).origin });
    const page = await context.newPage();
    await page.goto(`${session.server.root}${code.url}index.html`);
    const buttons = page.locator('button[data-copy]');
    assert.equal(await buttons.count(), Object.keys(code.references).length, 'one copy button per constant');
    const last = buttons.last();
    const constant = await last.locator('xpath=preceding-sibling::code').textContent();
    assert.ok(Object.values(code.references).includes(constant), `${constant} is not one of ${code.code}'s constants`);
    await last.click();
    await page.waitForFunction(() => document.querySelector('[data-copy-status]').textContent !== '');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), constant);
    assert.equal(await page.locator('[data-copy-status]').textContent(), `Copied ${constant}`);
    assert.equal(await page.locator('[data-copy-status]').getAttribute('role'), 'status');
    await context.close();
  });

  it('lets a keyboard scroll a code block wider than a phone', async () => {
    const page = await session.browser.newPage({ viewport: { width: 375, height: 800 } });
    let found = null;
    for (const code of CODES()) {
      await page.goto(fileUrl(`${code.url}index.html`));
      const index = await page.evaluate(() => [...document.querySelectorAll('main pre')].findIndex((pre) => pre.scrollWidth > pre.clientWidth + 20));
      if (index >= 0) {
        found = page.locator('main pre').nth(index);
        break;
      }
    }
    assert.ok(found, 'no code page has a code block wider than 375 px; this test has nothing to scroll');
    await found.focus();
    assert.equal(await found.evaluate((pre) => document.activeElement === pre), true, 'the code block cannot take the focus');
    for (let i = 0; i < 5; i += 1) await page.keyboard.press('ArrowRight');
    // Keyboard scrolling may be animated: wait for it (the test fails if it never moves).
    await found.evaluate((pre) => new Promise((resolve, reject) => {
      const started = Date.now();
      (function check() {
        if (pre.scrollLeft > 0) resolve();
        else if (Date.now() - started > 2000) reject(new Error('the arrow keys did not scroll the code block'));
        else requestAnimationFrame(check);
      })();
    }));
    await page.close();
  });

  it('fits every page into a 320 px screen: only code blocks and tables scroll sideways', async () => {
    const page = await session.browser.newPage({ viewport: { width: 320, height: 640 } });
    const wide = [];
    for (const file of listFiles(SITE_DIR).filter((name) => name.endsWith('.html'))) {
      await page.goto(fileUrl(file));
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      if (overflow > 0) wide.push(`${file} (${overflow} px too wide)`);
    }
    assert.deepEqual(wide, []);
    await page.close();
  });

  it('gives every control of the theme a target at least 44 px tall on a touch screen', async () => {
    // The theme's own links and buttons; links inside running text are
    // exempt (WCAG 2.5.8 "inline"), like those of the Markdown body.
    const controls = ['.skip-link', '.brand', '.class-nav a', '[data-theme-toggle]', '#search-input', '.breadcrumbs a',
      '.facts a', '[data-copy]', '.code-list a', '.pager a', '.heading-anchor', '.site-footer a', '.cell a', '.quick-links a',
      '.toc a', '.class-links a', '.own-page a'].join(', ');
    const context = await session.browser.newContext({ viewport: { width: 375, height: 800 }, hasTouch: true, isMobile: true });
    const page = await context.newPage();
    const code = CODES().find((entry) => Object.keys(entry.references ?? {}).length > 0 && entry.related.length > 0);
    const guide = listFiles(path.join(SITE_DIR, 'guides')).find((file) => file.endsWith('index.html'));
    const small = [];
    // Over HTTP: 404.html is served at an unknown address, as GitHub Pages does.
    for (const file of ['index.html', `${code.url}index.html`, `${code.class}/index.html`, `guides/${guide}`, 'all/index.html', 'no-such-page/']) {
      await page.goto(session.server.root + file);
      assert.equal(await page.evaluate(() => matchMedia('(pointer: coarse)').matches), true, 'not a touch screen');
      await page.locator('.skip-link').focus(); // shown only when focused
      const found = await page.evaluate((selector) => [...document.querySelectorAll(selector)]
        .filter((element) => element.getClientRects().length > 0 && (!element.matches('.skip-link') || element === document.activeElement))
        .map((element) => [element.outerHTML.slice(0, 60), Math.round(element.getBoundingClientRect().height)])
        .filter(([, height]) => height < 44), controls);
      small.push(...found.slice(0, 3).map(([html, height]) => `${file}: ${html} is ${height} px tall`));
    }
    assert.deepEqual(small, []);
    await context.close();
  });

  it('prints in light colours, whatever the reader chose on screen', async () => {
    const page = await session.browser.newPage({ colorScheme: 'light' });
    await page.goto(fileUrl('index.html'));
    const colours = () => page.evaluate(() => [getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color]);
    const light = await colours();
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.evaluate(() => { document.documentElement.dataset.theme = 'dark'; });
    assert.notDeepEqual(await colours(), light, 'the dark theme did not apply on screen');
    await page.emulateMedia({ media: 'print', colorScheme: 'dark' });
    const printed = await colours();
    assert.equal(printed[0], light[0], 'printing from dark mode prints the light background');
    await page.close();
  });

  it('shows no control that needs script to a reader without it', async () => {
    const context = await session.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(fileUrl(`${CODES()[0].url}index.html`));
    for (const selector of ['button[data-theme-toggle]', 'button[data-copy]', '[data-search]']) {
      for (const element of await page.locator(selector).all()) {
        assert.equal(await element.isVisible(), false, `${selector} shows without script`);
      }
    }
    await context.close();
  });

  it('prints the read-all page one code per page, without the site navigation', async () => {
    const page = await session.browser.newPage();
    await page.goto(fileUrl('all/index.html'));
    await page.emulateMedia({ media: 'print' });
    for (const selector of ['.site-header', '.site-footer', '.breadcrumbs']) {
      assert.equal(await page.locator(selector).first().isVisible(), false, `${selector} prints`);
    }
    const codes = page.locator('article.all-code');
    assert.equal(await codes.count(), CODES().length, 'the read-all page has every code');
    const breaks = await codes.evaluateAll((articles) => articles.map((article) => getComputedStyle(article).breakBefore));
    assert.deepEqual([...new Set(breaks)], ['page']);
    // Links to other sites print their address after the text.
    const external = page.locator('article.all-code a[href^="http"]').first();
    const after = await external.evaluate((link) => getComputedStyle(link, '::after').content);
    assert.ok(after.includes('attr(href)') || after.includes('http'), `an external link prints without its address: ${after}`);
    await page.close();
  });
});
