// offline.test.mjs: the service worker. After one visit to the hosted site
// (over HTTP under /httpcodes/), the browser goes offline and every page,
// the styles and the search must still work from the cache.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SUBPATH_SITE_DIR, basePath, typeQuery, useBrowserAndServer } from './helpers.mjs';

/** Every file of the build, as slash-separated paths from its root. */
function builtFiles(dir = SUBPATH_SITE_DIR, prefix = '') {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const relative = prefix + entry.name;
    return entry.isDirectory() ? builtFiles(path.join(dir, entry.name), relative + '/') : [relative];
  }).sort();
}

// What readers never load: data for programs (the JSON API and
// search-index.json; pages search with the files under search/), files for
// crawlers, and the worker itself; hidden files (.nojekyll for the host,
// the build's output marker) are not served at all.
const FOR_TOOLS = (file) => file.endsWith('.json') || file.startsWith('.') || ['sw.js', 'robots.txt', 'sitemap.xml'].includes(file);

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
    // Every file a reader needs was precached under one versioned cache,
    // and nothing else.
    const cached = await page.evaluate(async () => {
      const names = (await caches.keys()).filter((name) => name.startsWith('httpcodes ') && name.includes(' build '));
      const cache = await caches.open(names[0]);
      return { names, urls: (await cache.keys()).map((request) => request.url) };
    });
    assert.equal(cached.names.length, 1, `caches: ${cached.names}`);
    const files = builtFiles();
    assert.ok(files.some((file) => file.startsWith('api/')) && files.includes('search-index.json'), 'the build has no JSON data');
    const expected = files.filter((file) => !FOR_TOOLS(file)).map((file) => session.server.root + encodeURI(file));
    assert.ok(expected.some((url) => url.endsWith('/search/index.js')) && expected.some((url) => url.endsWith('/style.css')));
    assert.deepEqual(cached.urls.slice().sort(), expected.sort());
  });

  it('shows a code page offline, styled', async () => {
    await context.setOffline(true);
    const response = await page.goto(session.server.root + '418/index.html');
    assert.equal(response.status(), 200);
    assert.equal((await page.locator('.code-big').textContent()).trim(), '418');
    assert.match(await page.locator('.facts').textContent(), /teapot/);
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

  it('redirects a folder URL without its slash to the folder offline, as the server does', async () => {
    // Any folder page of the build, e.g. "410".
    const folder = builtFiles().find((file) => /^[^/]+\/index\.html$/.test(file)).split('/')[0];
    const html = fs.readFileSync(path.join(SUBPATH_SITE_DIR, folder, 'index.html'), 'utf8');
    const response = await page.goto(session.server.root + folder);
    assert.equal(response.status(), 200);
    assert.equal(page.url(), session.server.root + folder + '/');
    const title = await page.evaluate((text) => new DOMParser().parseFromString(text, 'text/html').title, html);
    assert.equal(await page.title(), title);
    const border = await page.locator('.site-header').evaluate((header) => getComputedStyle(header).borderBottomStyle);
    assert.equal(border, 'solid', 'the relative link to style.css did not resolve from the folder');
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
