// helpers.mjs: what the browser tests share: where the built site is, how to
// start Debian's Chromium through playwright-core, the query suite, and a
// recorder of everything a page does wrong (console errors, page errors,
// failed requests, requests that leave the site).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(HERE, '..', '..');

/** The built site (SITE_DIR, relative to the repository root; default public/). */
export const SITE_DIR = path.resolve(REPO, process.env.SITE_DIR || 'public');

/**
 * The build served over HTTP (SUBPATH_SITE_DIR; default SITE_DIR). It must be
 * built for a project path such as https://example.github.io/httpcodes/: it
 * is served under that path, like GitHub Pages would.
 */
export const SUBPATH_SITE_DIR = path.resolve(REPO, process.env.SUBPATH_SITE_DIR || SITE_DIR);

/** Fails early, with what to do, when the site has not been built. */
/** Every file under `dir`, as slash-separated paths relative to it. */
export function listFiles(dir, prefix = '') {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const relative = prefix + entry.name;
    return entry.isDirectory() ? listFiles(path.join(dir, entry.name), relative + '/') : [relative];
  }).sort();
}

/** Copies what a build reads from the repository into `to`: site.yaml, content/, themes/ and templates/ if any. */
export function copySiteInputs(to) {
  for (const name of ['site.yaml', 'content', 'themes', 'templates']) {
    const from = path.join(REPO, name);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(to, name), { recursive: true });
  }
}

/**
 * The release binary: HTTPCODES_BIN, else $CARGO_TARGET_DIR/release/httpcodes,
 * else target/release/httpcodes.
 */
export function httpcodesBinary() {
  const candidates = [
    process.env.HTTPCODES_BIN,
    process.env.CARGO_TARGET_DIR && path.join(path.resolve(REPO, process.env.CARGO_TARGET_DIR), 'release', 'httpcodes'),
    path.join(REPO, 'target', 'release', 'httpcodes'),
  ].filter(Boolean);
  const found = candidates.find((file) => fs.existsSync(file));
  if (!found) throw new Error(`no httpcodes binary (looked at ${candidates.join(', ')}): run cargo build --release first`);
  return found;
}

export function requireBuiltSite() {
  const needed = ['index.html', '404.html', 'search.js', 'search/index.js', 'sw.js'];
  for (const dir of new Set([SITE_DIR, SUBPATH_SITE_DIR])) {
    const missing = needed.filter((file) => !fs.existsSync(path.join(dir, file)));
    assert.deepEqual(missing, [], `${dir} is not a complete build (missing ${missing.join(', ')}). Build it first:\n` +
      `  ./target/release/httpcodes build --base-url https://example.github.io/httpcodes/ --output ${path.relative(REPO, dir) || '.'}`);
  }
}

/** Serves SUBPATH_SITE_DIR under its base path (see server.mjs). */
export function startSiteServer() {
  return startServer(SUBPATH_SITE_DIR, basePath());
}

/**
 * For a `describe` block: starts Chromium and the site server before its
 * tests and stops both after them. The returned object holds `browser` and
 * `server` once the tests run.
 */
export function useBrowserAndServer() {
  const session = { browser: null, server: null };
  before(async () => {
    requireBuiltSite();
    session.browser = await launchBrowser();
    session.server = await startSiteServer();
  });
  after(async () => {
    await session.browser?.close();
    await session.server?.close();
  });
  return session;
}

/** The hosting path the site was built for, read from 404.html (e.g. "/httpcodes/"). */
export function basePath(dir = SUBPATH_SITE_DIR) {
  const html = fs.readFileSync(path.join(dir, '404.html'), 'utf8');
  const root = /<html[^>]*\sdata-root="([^"]*)"/.exec(html)?.[1];
  assert.ok(root && root.startsWith('/') && root.endsWith('/'), `404.html has no absolute data-root (found ${JSON.stringify(root)})`);
  return root;
}

/** file:// URL of a file of the site. */
export function fileUrl(relative = 'index.html') {
  return pathToFileURL(path.join(SITE_DIR, relative)).href;
}

/** file:// URL of the site folder, with a trailing slash. */
export const SITE_FILE_ROOT = pathToFileURL(SITE_DIR + path.sep).href;

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
}

/** The query suite: [{ query, top: [code | url, ...], anyOrder? }]. */
export function loadQueries() {
  return JSON.parse(fs.readFileSync(path.join(HERE, 'queries.json'), 'utf8'));
}

/** How a result is named in queries.json: its code, or its URL for pages without one. */
function keyOf(result, expected) {
  return typeof expected === 'number' ? result.code : result.url;
}

/**
 * Asserts that `results` ([{ code, url }]) start with the expected items,
 * in order, or in any order when `anyOrder`.
 */
export function assertTop(results, { query, top, anyOrder }, where) {
  const got = results.slice(0, top.length).map((result, k) => keyOf(result, top[k]));
  const shown = results.slice(0, top.length + 3).map((result) => result.code ?? result.url);
  const message = `${where}: "${query}" should rank ${JSON.stringify(top)} first${anyOrder ? ' (any order)' : ''}, got ${JSON.stringify(shown)}`;
  if (anyOrder) {
    const keys = results.slice(0, top.length).map((result) => [result.code, result.url]);
    for (const expected of top) {
      assert.ok(keys.some(([code, url]) => code === expected || url === expected), message);
    }
  } else {
    assert.deepEqual(got, top, message);
  }
}

/**
 * Records what goes wrong in a browser context: console errors, uncaught
 * page errors, failed requests, HTTP errors and requests to URLs for which
 * `isInside(url)` is false; `allowErrorStatus(url)` names the URLs expected
 * to answer with an HTTP error. Call `assertClean()` to fail with all of them.
 */
export function watch(context, isInside, { allowErrorStatus = () => false } = {}) {
  const problems = [];
  const requests = [];
  const onPage = (page) => {
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      // Chromium logs every HTTP error status; the expected ones are not problems.
      const expected = /^Failed to load resource/.test(message.text()) && allowErrorStatus(message.location().url);
      if (!expected) problems.push(`console error on ${page.url()}: ${message.text()} (${message.location().url})`);
    });
    page.on('pageerror', (error) => problems.push(`page error on ${page.url()}: ${error.message}`));
  };
  context.pages().forEach(onPage);
  context.on('page', onPage);
  context.on('request', (request) => {
    requests.push(request.url());
    if (!isInside(request.url())) problems.push(`request leaves the site: ${request.url()}`);
  });
  context.on('requestfailed', (request) => {
    // Leaving a page cancels what it still loads (the icon, say): not a failure.
    // A missing file fails otherwise (net::ERR_FILE_NOT_FOUND, or an HTTP status).
    if (request.failure()?.errorText === 'net::ERR_ABORTED') return;
    problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`);
  });
  context.on('response', (response) => {
    if (response.status() >= 400 && !allowErrorStatus(response.url())) {
      problems.push(`HTTP ${response.status()} for ${response.url()}`);
    }
  });
  return {
    problems,
    requests,
    assertClean(what) {
      assert.deepEqual(problems, [], `${what}: ${problems.length} problem(s)`);
    },
  };
}

/** Types `query` into the page's search box and returns the rendered results. */
export async function typeQuery(page, query) {
  const input = page.locator('#search-input');
  await input.fill('');
  await input.focus();
  await page.keyboard.type(query);
  // The list is rendered on every input event; wait until it answers this query.
  await page.waitForFunction(() => document.querySelector('#search-results').children.length > 0);
  return page.$$eval('#search-results a[role="option"]', (links) => links.map((link) => ({
    href: link.href,
    id: link.id,
    selected: link.getAttribute('aria-selected'),
    code: link.querySelector('.result-code') ? Number(link.querySelector('.result-code').textContent) : null,
    title: link.querySelector('.result-title')?.textContent ?? '',
    summary: link.querySelector('.result-summary')?.textContent ?? '',
    mark: link.querySelector('.result-unofficial')?.textContent ?? null,
  })));
}

/** The site-relative URL ("404/index.html", "guides/x/index.html#y") of an absolute URL under `root`. */
export function relativeTo(root, href) {
  return href.startsWith(root) ? href.slice(root.length) : href;
}
