// search-shards.test.mjs: the sharded search index loses nothing by loading
// lazily. A generated site big enough to get several term and document
// shards is built with the release binary (see generated-site.mjs). Each
// query of the suite is typed one character at a time from a page with just
// the entry file; for every prefix, the results found with only the files
// the query has loaded so far must equal the results found with every file
// loaded: the same documents in the same order, the same scores and the
// same total.
//
// Needs the release binary: HTTPCODES_BIN, else $CARGO_TARGET_DIR/release/httpcodes,
// else target/release/httpcodes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { launchBrowser, listFiles, loadQueries, requireBuiltSite } from './helpers.mjs';
import { generateSite } from './generated-site.mjs';

const PAGES = 2000;
const QUERIES = loadQueries().map((entry) => entry.query);

describe('sharded search index', () => {
  let site;
  let browser;
  before(async () => {
    requireBuiltSite(); // the generator draws words from the real site's index
    site = generateSite(PAGES);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    if (site) fs.rmSync(site.folder, { recursive: true, force: true });
  });

  it('splits a big site into several shards of each kind', () => {
    const files = listFiles(path.join(site.output, 'search'));
    assert.ok(files.filter((file) => file.startsWith('terms-')).length > 1, `term shards: ${files}`);
    assert.ok(files.filter((file) => file.startsWith('docs-')).length > 1, `document shards: ${files}`);
  });

  it('finds for every prefix of the suite, with only the files its query loaded, what it finds with every file', async () => {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(path.join(site.output, 'index.html')).href);
    const { prefixes, lazy, loadedCounts, all } = await page.evaluate(async (queries) => {
      const search = window.httpcodesSearch;
      await search.ready;
      const brief = (results) => ({ total: results.total, top: results.map((result) => [result.url, result.score]) });
      const prefixes = [];
      const lazy = [];
      const loadedCounts = [];
      for (const query of queries) {
        search.forgetShards();
        search.clearCache();
        for (let end = 1; end <= query.length; end++) {
          const prefix = query.slice(0, end);
          prefixes.push(prefix);
          lazy.push(brief(await search.search(prefix, 10)));
          // Every file the ranking needs is now in: it answers without loading.
          if (!search.searchLoaded(prefix, 10)) throw new Error(`"${prefix}" still needs a file`);
        }
        loadedCounts.push(search.loadedFiles().length);
      }
      search.forgetShards();
      await search.loadAll();
      const all = [];
      for (const prefix of prefixes) {
        search.clearCache();
        all.push(brief(search.searchLoaded(prefix, 10)));
      }
      return { prefixes, lazy, loadedCounts, all: { results: all, files: search.loadedFiles().length } };
    }, QUERIES);
    await page.close();
    const differ = prefixes.filter((prefix, k) => JSON.stringify(lazy[k]) !== JSON.stringify(all.results[k]));
    assert.deepEqual(differ, [], 'prefixes whose results change when only their files are loaded');
    assert.ok(all.results.some((results) => results.total > 10), 'the suite finds nothing on the generated site');
    assert.ok(Math.max(...loadedCounts) < all.files, 'some query loaded every file: nothing is lazy');
  });
});
