// bench-search.mjs: what search costs in the real browser: download and time.
// A benchmark, not a test (figures are measured, not asserted in the test
// suite):
//   node tests/browser/bench-search.mjs [<site-dir>...]
// With no folder it measures the real site (SITE_DIR) and a generated
// 10,000-page site built by the release binary (see generated-site.mjs).
// For each site: every query of queries.json is "typed" one character at a
// time, from a page that has only the entry file of the index, and the
// index files it loads are counted (gzipped, as GitHub Pages serves them),
// and again searched whole, as when pasted; then, every file loaded, each prefix is timed with performance.now(). The
// figures are printed, then one line `RESULT {json}` per site for scripts
// (bench/run.sh): site, documents, files, bytes, gzipBytes, largestQuery
// and largestWholeQuery { query, gzipBytes, files }, uncached and typed { median, p95 } ms, and
// firstSearch { median, max } ms (first keystroke on a fresh page, loading
// included).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { pathToFileURL } from 'node:url';
import { SITE_DIR, launchBrowser, listFiles, loadQueries } from './helpers.mjs';
import { generateSite } from './generated-site.mjs';

const QUERIES = loadQueries().map((entry) => entry.query);
const GOAL_MS = 2;
const GENERATED_PAGES = 10000;

/**
 * Runs in the page, every index file loaded. For every prefix of every
 * query, two figures:
 * - cold: the mean of `repeats` runs, each with the per-word caches emptied
 *   first (an upper bound: when typing, the earlier words are cached);
 * - typed: one run in typing order, caches as they would be (coarse, since
 *   performance.now() is rounded to 0.1 ms in pages that are not
 *   cross-origin isolated).
 */
function timeKeystrokes({ queries, repeats }) {
  const search = window.httpcodesSearch;
  const cold = [];
  const typed = [];
  for (const query of queries) {
    search.clearCache();
    for (let end = 1; end <= query.length; end++) {
      const prefix = query.slice(0, end);
      const start = performance.now();
      search.searchLoaded(prefix, 10);
      typed.push(performance.now() - start);
    }
    for (let end = 1; end <= query.length; end++) {
      const prefix = query.slice(0, end);
      const start = performance.now();
      for (let k = 0; k < repeats; k++) {
        search.clearCache();
        if (!search.searchLoaded(prefix, 10)) throw new Error(`"${prefix}" needs a file that is not loaded`);
      }
      cold.push({ prefix, ms: (performance.now() - start) / repeats });
    }
  }
  return { cold, typed };
}

/**
 * Runs in the page: for each query, from only the entry file loaded, types
 * it one character at a time through the search API (or, `whole`, searches
 * it once, as when pasted) and lists the files it loaded (the entry
 * included).
 */
async function filesOfEachQuery({ queries, whole }) {
  const search = window.httpcodesSearch;
  await search.ready;
  const loaded = [];
  for (const query of queries) {
    search.forgetShards();
    if (whole) await search.search(query, 10);
    else for (let end = 1; end <= query.length; end++) await search.search(query.slice(0, end), 10);
    loaded.push(search.loadedFiles());
  }
  return loaded;
}

/**
 * Runs in the page: types every query into the real search box, one
 * character every few milliseconds as a person would (which leaves the
 * browser idle time between keystrokes), and times the whole input handler,
 * ranking and rendering the list, from listeners before and after it.
 */
async function timeTyping({ queries, gap }) {
  const input = document.getElementById('search-input');
  let start = 0;
  const times = [];
  const before = () => { start = performance.now(); };
  const afterHandler = () => times.push(performance.now() - start);
  window.addEventListener('input', before, true);
  window.addEventListener('input', afterHandler, false);
  input.focus();
  for (const query of queries) {
    for (let end = 1; end <= query.length; end++) {
      await new Promise((resolve) => setTimeout(resolve, gap));
      input.value = query.slice(0, end);
      input.dispatchEvent(new Event('input', { bubbles: true }));
    }
  }
  window.removeEventListener('input', before, true);
  window.removeEventListener('input', afterHandler, false);
  return times;
}

function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { count: sorted.length, median: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] };
}

const format = ({ count, median, p95, max }) =>
  `${count} keystrokes: median ${median.toFixed(3)} ms, p95 ${p95.toFixed(3)} ms, max ${max.toFixed(3)} ms`;

/** The index files of a built site (search/), with their sizes raw and gzipped. */
function indexFiles(site) {
  const sizes = new Map();
  for (const file of listFiles(path.join(site, 'search'))) {
    const bytes = fs.readFileSync(path.join(site, 'search', file));
    sizes.set(`search/${file}`, { bytes: bytes.length, gzipBytes: zlib.gzipSync(bytes).length });
  }
  return sizes;
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

async function measureSite(browser, site) {
  const home = pathToFileURL(path.join(site, 'index.html')).href;
  const files = indexFiles(site);
  const total = (names) => names.reduce((sum, name) => sum + files.get(name).gzipBytes, 0);
  const bytes = [...files.values()].reduce((sum, file) => sum + file.bytes, 0);
  const gzipBytes = total([...files.keys()]);

  // Downloads: the files each query loads, typed from a page with only the entry.
  const page = await browser.newPage();
  await page.goto(home);
  const largestOf = (loaded) => QUERIES
    .map((query, k) => ({ query, gzipBytes: total(loaded[k]), files: loaded[k].length }))
    .reduce((a, b) => (b.gzipBytes > a.gzipBytes ? b : a));
  const largest = largestOf(await page.evaluate(filesOfEachQuery, { queries: QUERIES, whole: false }));
  const largestWhole = largestOf(await page.evaluate(filesOfEachQuery, { queries: QUERIES, whole: true }));

  // Time: every file loaded, then each prefix.
  await page.evaluate(() => window.httpcodesSearch.loadAll());
  await page.evaluate(timeKeystrokes, { queries: QUERIES, repeats: 1 }); // warm up
  const { cold, typed } = await page.evaluate(timeKeystrokes, { queries: QUERIES, repeats: 20 });
  const typing = await page.evaluate(timeTyping, { queries: QUERIES, gap: 5 });
  await page.close();

  // First search on a fresh page, loading included: one per distinct first character.
  const firsts = [];
  for (const first of new Set(QUERIES.map((query) => query[0]))) {
    const fresh = await browser.newPage();
    await fresh.goto(home);
    firsts.push(await fresh.evaluate(async (prefix) => {
      const start = performance.now();
      await window.httpcodesSearch.search(prefix, 10);
      return performance.now() - start;
    }, first));
    await fresh.close();
  }
  const docCount = await countDocuments(site);

  const coldStats = summary(cold.map((entry) => entry.ms));
  const slowest = cold.reduce((a, b) => (b.ms > a.ms ? b : a));
  const typedStats = summary(typed);
  const firstStats = summary(firsts);
  console.log(`${site} (${docCount} documents, ${QUERIES.length} queries, every prefix):`);
  console.log(`  index: ${files.size} files, ${kb(bytes)} raw, ${kb(gzipBytes)} gzipped (${[...files.keys()].filter((name) => name.startsWith('search/terms-')).length} term shards)`);
  console.log(`  largest download of one query: ${kb(largest.gzipBytes)} gzipped in ${largest.files} files ("${largest.query}")`);
  console.log(`  searched whole (pasted): ${kb(largestWhole.gzipBytes)} gzipped in ${largestWhole.files} files ("${largestWhole.query}")`);
  console.log(`  uncached (mean of 20 runs each): ${format(coldStats)} (slowest: "${slowest.prefix}")`);
  console.log(`  as typed (one run each):         ${format(typedStats)}`);
  console.log(`  typed into the box (search + rendering the list): ${format(summary(typing))}`);
  console.log(`  first search on a fresh page, loading included: ${format(firstStats)}`);
  const round = (ms) => Math.round(ms * 1000) / 1000;
  const result = {
    site, documents: docCount, files: files.size, bytes, gzipBytes,
    largestQuery: { query: largest.query, gzipBytes: largest.gzipBytes, files: largest.files },
    largestWholeQuery: { query: largestWhole.query, gzipBytes: largestWhole.gzipBytes, files: largestWhole.files },
    uncached: { median: round(coldStats.median), p95: round(coldStats.p95) },
    typed: { median: round(typedStats.median), p95: round(typedStats.p95) },
    firstSearch: { median: round(firstStats.median), max: round(firstStats.max) },
  };
  console.log(`RESULT ${JSON.stringify(result)}`);
  return result;
}

/** How many documents the site's index has (one letter per document in the entry's `kinds`). */
async function countDocuments(site) {
  const script = fs.readFileSync(path.join(site, 'search/index.js'), 'utf8');
  return JSON.parse(script.slice(script.indexOf('] = ') + 4).trim().replace(/;$/, '')).kinds.length;
}

const sites = process.argv.slice(2).map((dir) => path.resolve(dir));
let generated = null;
if (!sites.length) {
  sites.push(SITE_DIR);
  generated = generateSite(GENERATED_PAGES);
  console.log(`generated site: ${generated.line}`);
  sites.push(generated.output);
}
const browser = await launchBrowser();
try {
  for (const site of sites) {
    const result = await measureSite(browser, site);
    const verdict = result.uncached.p95 < GOAL_MS ? 'meets' : 'MISSES';
    console.log(`  ${verdict} the ${GOAL_MS} ms goal (p95 of uncached keystrokes ${result.uncached.p95} ms)`);
  }
} finally {
  await browser.close();
  if (generated) fs.rmSync(generated.folder, { recursive: true, force: true });
}
