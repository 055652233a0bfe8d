// search-results.mjs: what the search answers, for comparing two versions
// of the index or of search.js. For every prefix of every query of
// queries.json, the URLs of the first 10 results, in order, and the total,
// as one JSON object on stdout:
//   node tests/browser/search-results.mjs <site-dir> > results.json
// Two runs are equal when the ranking is the same.
import { launchBrowser, loadQueries } from './helpers.mjs';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

/** Runs in the page: { prefix: { top: [url…], total } } for every prefix of every query. */
export async function resultsOfEveryPrefix(queries) {
  const search = window.httpcodesSearch;
  await search.ready;
  const answers = {};
  for (const query of queries) {
    for (let end = 1; end <= query.length; end++) {
      const prefix = query.slice(0, end);
      // Awaiting works for a search that answers at once or with a promise.
      const results = await search.search(prefix, 10);
      answers[prefix] = { top: results.map((result) => result.url), total: results.total };
    }
  }
  return answers;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const site = process.argv[2];
  if (!site) throw new Error('usage: node tests/browser/search-results.mjs <site-dir>');
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(path.join(path.resolve(site), 'index.html')).href);
    const answers = await page.evaluate(resultsOfEveryPrefix, loadQueries().map((entry) => entry.query));
    process.stdout.write(JSON.stringify(answers, null, 1) + '\n');
  } finally {
    await browser.close();
  }
}
