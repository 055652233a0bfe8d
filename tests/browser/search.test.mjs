// search.test.mjs: the query suite (queries.json) against the real built
// site, through window.httpcodesSearch.search and by typing into the search
// box, both from file:// and hosted under /httpcodes/ over HTTP. Every
// rendered result link must lead to a page that exists. Also: the query
// tokeniser against the cases shared with the Rust indexer
// (tests/data/search-tokens.json), and accented and apostrophe words.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  assertTop, fileUrl, loadQueries, relativeTo, REPO, SITE_DIR, SITE_FILE_ROOT, typeQuery, useBrowserAndServer,
} from './helpers.mjs';

const QUERIES = loadQueries();
const TOKEN_CASES = JSON.parse(fs.readFileSync(path.join(REPO, 'tests/data/search-tokens.json'), 'utf8')).cases;

/**
 * The built pages whose <main> text matches `pattern`, as site-relative
 * URLs ("418/index.html"). Read from the HTML, not from the search index,
 * so that the index is checked against something it did not make.
 */
function pagesContaining(pattern) {
  const found = [];
  for (const entry of fs.readdirSync(SITE_DIR, { recursive: true })) {
    const file = String(entry).split(path.sep).join('/');
    // The read-all page repeats every code page; search leaves it out.
    if (!file.endsWith('index.html') || file === 'all/index.html') continue;
    const html = fs.readFileSync(path.join(SITE_DIR, file), 'utf8');
    const main = /<main[^>]*>([\s\S]*)<\/main>/.exec(html)?.[1] ?? '';
    const text = main.replace(/<[^>]*>/g, ' ')
      .replace(/&#x([0-9a-f]+);/gi, (_, hex) => String.fromCodePoint(parseInt(hex, 16)))
      .replace(/&#(\d+);/g, (_, decimal) => String.fromCodePoint(Number(decimal)))
      .replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    if (pattern.test(text)) found.push(file);
  }
  return found;
}

const pageOf = (result) => result.url.split('#')[0];

describe('search', () => {
  const session = useBrowserAndServer();

  it('has a query suite of at least 30 queries', () => {
    assert.ok(QUERIES.length >= 30, `only ${QUERIES.length} queries`);
    for (const entry of QUERIES) {
      assert.equal(typeof entry.query, 'string');
      assert.ok(Array.isArray(entry.top) && entry.top.length > 0, `"${entry.query}" has no expected results`);
    }
  });

  // Each mode: where the page is, how to tell that a result link exists.
  const modes = [
    {
      name: 'file://',
      root: () => SITE_FILE_ROOT,
      page: 'index.html',
      url: (relative) => fileUrl(relative),
      exists: async (href) => fs.existsSync(fileURLToPath(href.split('#')[0])),
    },
    {
      name: 'HTTP under the base path',
      root: () => session.server.root,
      page: 'guides/choosing-a-status-code/index.html', // two folders deep: links must climb back
      url: (relative) => session.server.root + relative,
      exists: async (href, context) => (await context.request.get(href.split('#')[0])).status() === 200,
    },
  ];

  describe('words with accents and apostrophes', () => {
    let page;
    before(async () => {
      page = await session.browser.newPage();
      await page.goto(fileUrl('index.html'));
      await page.evaluate(() => window.httpcodesSearch.ready);
    });
    after(() => page?.close());

    it('splits text into the tokens of the shared cases, as the Rust indexer does', async () => {
      const found = await page.evaluate((inputs) => inputs.map((input) => window.httpcodesSearch.tokenize(input)),
        TOKEN_CASES.map((entry) => entry.input));
      const wrong = TOKEN_CASES.filter((entry, k) => JSON.stringify(found[k]) !== JSON.stringify(entry.tokens))
        .map((entry) => `${JSON.stringify(entry.input)} gave ${JSON.stringify(found[TOKEN_CASES.indexOf(entry)])}, expected ${JSON.stringify(entry.tokens)}`);
      assert.deepEqual(wrong, []);
    });

    // "café": the pages that contain the word must come before the pages
    // that merely have a word one typo away from it ("safe", "case"): the
    // reader typed a real word of the site, so it is what they mean. The
    // same for every spelling of the query that folds to "cafe".
    it('ranks the page with "café" first, however the query is accented', async () => {
      const pages = pagesContaining(/\bcaf[eé]\u0301?(?![\p{L}\p{N}])/iu);
      assert.ok(pages.length > 0, 'no page has "café" any more: pick another accented probe word');
      for (const query of ['café', 'CAFÉ', 'cafe\u0301', 'cafe']) {
        const results = await page.evaluate((q) => window.httpcodesSearch.search(q), query);
        const top = results.slice(0, pages.length).map(pageOf);
        assert.ok(top.length === pages.length && top.every((url) => pages.includes(url)),
          `"${query}" should rank ${JSON.stringify(pages)} first, got ${JSON.stringify(results.slice(0, pages.length + 3).map(pageOf))}`);
      }
    });

    it('ranks the pages with "don\'t" first, with either apostrophe or none', async () => {
      const pages = pagesContaining(/\bdon['\u2019]t\b/i);
      assert.ok(pages.length > 0, 'no page has "don\'t" any more: pick another probe word');
      const expected = pages.slice(0, 10);
      for (const query of ["don't", 'Don\u2019t', 'dont']) {
        const results = await page.evaluate((q) => window.httpcodesSearch.search(q), query);
        const top = results.slice(0, expected.length).map(pageOf);
        assert.ok(top.length === expected.length && top.every((url) => pages.includes(url)),
          `"${query}" should rank ${JSON.stringify(pages)} first, got ${JSON.stringify(results.slice(0, expected.length + 3).map(pageOf))}`);
      }
    });
  });

  for (const mode of modes) {
    describe(mode.name, () => {
      let context;
      let page;
      before(async () => {
        context = await session.browser.newContext({ serviceWorkers: 'block' });
        page = await context.newPage();
        await page.goto(mode.url(mode.page));
      });
      after(() => context?.close());

      it('shows the search box and loads the index only when it is used', async () => {
        await assert.doesNotReject(page.locator('.search').waitFor({ state: 'visible' }));
        assert.equal(await page.evaluate(() => 'HTTPCODES_SEARCH_PARTS' in window), false, 'index loaded before use');
        await page.locator('#search-input').focus();
        await page.waitForFunction(() => 'HTTPCODES_SEARCH_PARTS' in window);
        await page.evaluate(() => window.httpcodesSearch.ready);
        assert.deepEqual(await page.evaluate(() => window.httpcodesSearch.loadedFiles()), ['search/index.js'],
          'focus loads the entry file only');
      });

      it('ranks every query of the suite as expected (search API)', async () => {
        const all = await page.evaluate(async (queries) => {
          await window.httpcodesSearch.ready;
          return Promise.all(queries.map((query) => window.httpcodesSearch.search(query)));
        }, QUERIES.map((entry) => entry.query));
        QUERIES.forEach((entry, k) => assertTop(all[k], entry, `${mode.name} API`));
      });

      it('renders the same ranking when the queries are typed, with links to existing pages', async () => {
        const root = mode.root();
        for (const entry of QUERIES) {
          const shown = await typeQuery(page, entry.query);
          assert.ok(shown.length > 0 && shown.length <= 10, `"${entry.query}": ${shown.length} results shown`);
          assert.equal(await page.getAttribute('#search-input', 'aria-expanded'), 'true');
          const results = shown.map((result) => ({ code: result.code, url: relativeTo(root, result.href) }));
          assertTop(results, entry, `${mode.name} typed`);
          for (const result of shown) {
            assert.ok(result.href.startsWith(root), `"${entry.query}": ${result.href} is outside the site`);
            assert.ok(result.title && result.summary, `"${entry.query}": result without title or summary`);
          }
        }
      });

      it('links every result of a broad query to an existing page', async () => {
        const hrefs = new Set();
        for (const query of ['4xx', '5xx', 'cloudflare', 'redirect', 'guide', 'timeout']) {
          for (const result of await typeQuery(page, query)) hrefs.add(result.href);
        }
        assert.ok(hrefs.size >= 30, `only ${hrefs.size} distinct result links`);
        for (const href of hrefs) assert.ok(await mode.exists(href, context), `${href} does not exist`);
      });

      it('marks unofficial codes with who uses them', async () => {
        const [first] = await typeQuery(page, 'client closed request');
        assert.equal(first.code, 499);
        assert.equal(first.mark, 'unofficial · nginx');
        const cloudflare = await typeQuery(page, 'cloudflare');
        assert.ok(cloudflare.length >= 7);
        for (const result of cloudflare.slice(0, 7)) assert.equal(result.mark, 'unofficial · Cloudflare', `${result.code}`);
        const [registered] = await typeQuery(page, '404');
        assert.equal(registered.mark, null, '404 is not unofficial');
      });

      it('says so when nothing matches', async () => {
        await typeQuery(page, 'zzqxjv');
        assert.equal(await page.locator('#search-results a').count(), 0);
        assert.match(await page.locator('#search-results').textContent(), /No status code matches/);
      });

      it('follows a result link when clicked', async () => {
        await typeQuery(page, 'teapot');
        await Promise.all([page.waitForURL(/\/418\/index\.html$/), page.locator('#search-results a').first().click()]);
        assert.equal((await page.locator('.code-big').textContent()).trim(), '418');
      });
    });
  }
});
