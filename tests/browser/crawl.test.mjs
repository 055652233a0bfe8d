// crawl.test.mjs: follows every internal link from the home page, breadth
// first, from file:// and over HTTP under /httpcodes/. Every page must load,
// without console or page errors, without failed requests, and without a
// single request leaving the site; every page of the build must be reachable
// and every #fragment must exist. Also checks the 404 page GitHub Pages
// serves for unknown paths, three folders deep.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  fileUrl, SITE_DIR, SITE_FILE_ROOT, SUBPATH_SITE_DIR, typeQuery, useBrowserAndServer, watch,
} from './helpers.mjs';

/** Every index.html of the build in `dir`, relative to the site root. */
function builtPages(dir) {
  const pages = [];
  const walk = (folder) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === 'index.html') pages.push(path.relative(dir, full).split(path.sep).join('/'));
    }
  };
  walk(dir);
  return pages.sort();
}

/**
 * Breadth-first crawl from `start`, following links for which `isInside`
 * holds. Returns { visited: Map(url -> ids on the page), links: [[from, href]] }.
 */
async function crawl(page, start, isInside, checkLoaded) {
  const visited = new Map();
  const links = [];
  const queue = [start];
  const queued = new Set(queue);
  while (queue.length) {
    const url = queue.shift();
    const response = await page.goto(url, { waitUntil: 'load' });
    await checkLoaded(url, response);
    if (!/\.html$/.test(new URL(url).pathname)) {
      visited.set(url, new Set());
      continue;
    }
    const { hrefs, ids, searchShown } = await page.evaluate(() => ({
      hrefs: Array.from(document.querySelectorAll('a[href]'), (a) => a.href),
      ids: Array.from(document.querySelectorAll('[id]'), (element) => element.id),
      searchShown: document.querySelector('[data-search]')?.hidden === false,
    }));
    // search.js ran (it un-hides the search box), so its URL is right at this depth.
    assert.ok(searchShown, `${url}: the search box is still hidden`);
    visited.set(url, new Set(ids));
    for (const href of hrefs) {
      const target = href.split('#')[0];
      if (!/^(file|https?):/.test(target)) continue;
      const sameHost = target.startsWith('file:') || new URL(target).origin === new URL(start).origin;
      if (!sameHost) continue; // external: spec links, never followed
      links.push([url, href]);
      assert.ok(isInside(target), `${url} links outside the site: ${href}`);
      if (!queued.has(target)) {
        queued.add(target);
        queue.push(target);
      }
    }
  }
  return { visited, links };
}

/** Every link with a #fragment must point at an id of the target page. */
function assertFragments({ visited, links }) {
  const broken = [];
  for (const [from, href] of links) {
    const [target, fragment] = href.split('#');
    if (!fragment) continue;
    const ids = visited.get(target);
    if (ids && !ids.has(decodeURIComponent(fragment))) broken.push(`${from} → ${href}`);
  }
  assert.deepEqual(broken, [], 'links to missing #fragments');
}

describe('crawl', () => {
  const session = useBrowserAndServer();

  it('from file://: every page exists and loads cleanly, nothing leaves the folder', async () => {
    const context = await session.browser.newContext();
    const recorder = watch(context, (url) => url.startsWith(SITE_FILE_ROOT));
    const page = await context.newPage();
    const result = await crawl(page, fileUrl('index.html'), (url) => url.startsWith(SITE_FILE_ROOT), async (url) => {
      assert.ok(fs.existsSync(fileURLToPath(url)), `${url} does not exist`);
    });
    await context.close();

    recorder.assertClean('file:// crawl');
    const reached = [...result.visited.keys()].map((url) => url.slice(SITE_FILE_ROOT.length));
    const missing = builtPages(SITE_DIR).filter((file) => !reached.includes(file));
    assert.deepEqual(missing, [], 'pages of the build that no link reaches');
    assertFragments(result);
    console.log(`file:// crawl: ${result.visited.size} pages, ${result.links.length} internal links`);
  });

  it('over HTTP under the base path: every page answers 200 and loads cleanly, nothing leaves the site', async () => {
    const context = await session.browser.newContext();
    // Chromium asks the host root for /favicon.ico when it shows a JSON file
    // (api/codes.json); that path is the host's, not the site's.
    const hostFavicon = new URL('/favicon.ico', session.server.root).href;
    const recorder = watch(context, (url) => url.startsWith(session.server.root), {
      allowErrorStatus: (url) => url === hostFavicon,
    });
    const page = await context.newPage();
    const result = await crawl(page, session.server.root + 'index.html', (url) => url.startsWith(session.server.root), async (url, response) => {
      assert.equal(response?.status(), 200, `${url} answered ${response?.status()}`);
    });
    await context.close();

    recorder.assertClean('HTTP crawl');
    const reached = [...result.visited.keys()].map((url) => url.slice(session.server.root.length));
    const missing = builtPages(SUBPATH_SITE_DIR).filter((file) => !reached.includes(file));
    assert.deepEqual(missing, [], 'pages of the build that no link reaches');
    assertFragments(result);
    assert.ok(recorder.requests.some((url) => url.endsWith('/sw.js')), 'the service worker was never requested');
    console.log(`HTTP crawl: ${result.visited.size} pages, ${result.links.length} internal links, ${recorder.requests.length} requests`);
  });

  it('answers an unknown path with a working 404 page, whatever its depth', async () => {
    const context = await session.browser.newContext({ serviceWorkers: 'block' });
    const missingUrl = session.server.root + 'does/not/exist/';
    const recorder = watch(context, (url) => url.startsWith(session.server.root), {
      allowErrorStatus: (url) => url === missingUrl,
    });
    const page = await context.newPage();
    const response = await page.goto(missingUrl);
    assert.equal(response.status(), 404);
    assert.match(await page.locator('h1').textContent(), /not found/i);

    // The style sheet applied (the header has its border), though the page is three folders deep.
    const border = await page.locator('.site-header').evaluate((header) => getComputedStyle(header).borderBottomStyle);
    assert.equal(border, 'solid', 'style.css did not apply on the 404 page');

    // Every internal link leads to a page that exists.
    const hrefs = await page.$$eval('a[href]', (links) => links.map((link) => link.href));
    // (Leaving out the skip link to #main on the page itself.)
    const internal = hrefs.filter((href) => href.startsWith(session.server.origin) && !href.startsWith(missingUrl));
    assert.ok(internal.length >= 6, `only ${internal.length} internal links on the 404 page`);
    for (const href of internal) {
      assert.ok(href.startsWith(session.server.root), `${href} is outside the site`);
      const answer = await context.request.get(href.split('#')[0]);
      assert.equal(answer.status(), 200, `${href} from the 404 page answered ${answer.status()}`);
    }

    // Search works there too, and its links are absolute to the site root.
    const results = await typeQuery(page, '418');
    assert.equal(results[0].href, session.server.root + '418/index.html');
    await Promise.all([page.waitForURL(session.server.root + '418/index.html'), page.keyboard.press('Enter')]);
    assert.equal((await page.locator('.code-big').textContent()).trim(), '418');

    await context.close();
    recorder.assertClean('404 page');
  });

  it('redirects a folder without its trailing slash, like GitHub Pages', async () => {
    const context = await session.browser.newContext({ serviceWorkers: 'block' });
    const page = await context.newPage();
    const response = await page.goto(session.server.root + '404');
    assert.equal(response.status(), 200);
    assert.equal(page.url(), session.server.root + '404/');
    assert.equal((await page.locator('.code-big').textContent()).trim(), '404');
    await context.close();
  });
});
