// offline.test.mjs: the service worker. After one visit to the hosted site
// (over HTTP under /httpcodes/), the browser goes offline and every page,
// the styles and the search must still work from the cache.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { basePath, typeQuery, useBrowserAndServer } from './helpers.mjs';

describe('offline', () => {
  const session = useBrowserAndServer();
  let context;
  let page;
  before(async () => {
    context = await session.browser.newContext();
    page = await context.newPage();
  });
  after(async () => {
    await context?.close();
  });

  it('installs the service worker with the site root as scope and takes control', async () => {
    await page.goto(session.server.root + 'index.html');
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    assert.equal(scope, session.server.root);
    if (!(await page.evaluate(() => Boolean(navigator.serviceWorker.controller)))) {
      await page.reload();
    }
    await page.waitForFunction(() => Boolean(navigator.serviceWorker.controller));
    // Everything of the build was precached under a versioned cache name.
    const cached = await page.evaluate(async () => {
      const names = await caches.keys();
      const cache = await caches.open(names.find((name) => name.startsWith('httpcodes ')));
      return { names, urls: (await cache.keys()).map((request) => request.url) };
    });
    assert.equal(cached.names.length, 1, `caches: ${cached.names}`);
    for (const file of ['index.html', '404.html', '418/index.html', 'style.css', 'search.js', 'search-index.js', 'api/codes.json']) {
      assert.ok(cached.urls.includes(session.server.root + file), `${file} is not precached`);
    }
    assert.ok(!cached.urls.includes(session.server.root + 'sw.js'), 'sw.js must not precache itself');
  });

  it('shows a code page offline, styled', async () => {
    await context.setOffline(true);
    const response = await page.goto(session.server.root + '418/index.html');
    assert.equal(response.status(), 200);
    assert.equal((await page.locator('.code-big').textContent()).trim(), '418');
    assert.match(await page.locator('.aliases').textContent(), /teapot/);
    const border = await page.locator('.site-header').evaluate((header) => getComputedStyle(header).borderBottomStyle);
    assert.equal(border, 'solid', 'style.css did not apply offline');
  });

  it('searches offline', async () => {
    const results = await typeQuery(page, 'teapot');
    assert.equal(results[0].code, 418);
    await Promise.all([page.waitForURL(session.server.root + '429/index.html'), (async () => {
      await typeQuery(page, 'rate limit');
      await page.keyboard.press('Enter');
    })()]);
    assert.equal((await page.locator('.code-big').textContent()).trim(), '429');
  });

  it('serves a folder URL from its cached index.html offline', async () => {
    const response = await page.goto(session.server.root + '410/');
    assert.equal(response.status(), 200);
    assert.equal((await page.locator('.code-big').textContent()).trim(), '410');
  });

  it('answers an unknown page offline with the cached 404 page', async () => {
    const response = await page.goto(session.server.root + 'no/such/page/');
    assert.equal(response.status(), 404);
    assert.match(await page.locator('h1').textContent(), /not found/i);
    const home = await page.locator('.brand').getAttribute('href');
    await Promise.all([page.waitForURL(session.server.root + 'index.html'), page.locator('.brand').click()]);
    assert.equal(home, basePath() + 'index.html');
  });

  it('really is offline (a file outside the cache fails)', async () => {
    const failed = await page.evaluate(async (url) => {
      try {
        await fetch(url);
        return false;
      } catch {
        return true;
      }
    }, session.server.origin + '/elsewhere.txt');
    assert.equal(failed, true);
    await context.setOffline(false);
  });
});
