// update.test.mjs: the service worker across a deploy. Two builds of the real
// site are made from a copy of the repository (build B has one marker word
// added to one page), build A is served under /httpcodes/ and visited, then
// the server switches to build B. An open build-A tab must keep getting
// build-A files, the reader must see build B at the next navigation or by
// choosing the offered update, build A's cache must go once no page uses it,
// and build B must then work offline.
//
// Needs the release binary: HTTPCODES_BIN, else $CARGO_TARGET_DIR/release/httpcodes,
// else target/release/httpcodes (./test.sh builds it before the browser tests).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { basePath, copySiteInputs, httpcodesBinary, launchBrowser, listFiles, typeQuery } from './helpers.mjs';
import { startServer } from './server.mjs';

const MARKER = 'quokkaupdatemarker';
const BASE_URL = 'https://example.github.io/httpcodes/';

function build(root, output) {
  execFileSync(httpcodesBinary(), ['build', '--root', root, '--output', output, '--base-url', BASE_URL], { stdio: 'pipe' });
}

/**
 * Builds A from a copy of the repository and B from the same copy with
 * MARKER appended to the body of its first Markdown page; returns the two
 * output folders and the page of B that changed (site-relative).
 */
function buildTwoSites(workDir) {
  const rootA = path.join(workDir, 'root-a');
  const rootB = path.join(workDir, 'root-b');
  copySiteInputs(rootA);
  copySiteInputs(rootB);
  const source = listFiles(path.join(rootB, 'content')).find((file) => file.endsWith('.md') && !file.endsWith('_index.md'));
  assert.ok(source, 'content/ has no page');
  fs.appendFileSync(path.join(rootB, 'content', source), `\n\nThis page was changed by the update test: ${MARKER}.\n`);
  const a = path.join(workDir, 'site-a');
  const b = path.join(workDir, 'site-b');
  build(rootA, a);
  build(rootB, b);
  // The read-all page (all/) repeats every code page: it is not the page the file becomes.
  const changed = listFiles(b)
    .filter((file) => file !== 'all/index.html')
    .filter((file) => file.endsWith('.html') && fs.readFileSync(path.join(b, file), 'utf8').includes(MARKER));
  assert.equal(changed.length, 1, `the marker should show on one page of build B, found on ${changed}`);
  assert.notEqual(fs.readFileSync(path.join(a, 'sw.js'), 'utf8'), fs.readFileSync(path.join(b, 'sw.js'), 'utf8'), 'the two builds have the same service worker');
  return { a, b, changedPage: changed[0] };
}

/** Waits until the first worker has taken over the page (no reload: it stays a page loaded from the network). */
async function claimed(page) {
  await page.waitForFunction(() => Boolean(navigator.serviceWorker.controller), null, { timeout: 20000 });
}

/** Names of this site's caches that hold a build (its home page), whatever else the worker stores. */
function buildCaches(page) {
  return page.evaluate(async (home) => {
    const names = [];
    for (const name of await caches.keys()) {
      if (name.startsWith('httpcodes ') && await (await caches.open(name)).match(home)) names.push(name);
    }
    return names.sort();
  }, new URL('index.html', page.url()).href);
}

/** Polls the async `check()` until it is true. */
async function waitUntil(check, what, timeout = 20000) {
  const end = Date.now() + timeout;
  while (!(await check())) {
    assert.ok(Date.now() < end, `timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Whether the page's own search (its search box's lazy <script>s) finds MARKER, a word of build B only. */
function searchFindsMarker(page) {
  return page.evaluate(async (word) => (await window.httpcodesSearch.search(word)).length > 0, MARKER);
}

/** What `fetch()` from the page gets for a site-relative URL. */
function fetchFromPage(page, relative) {
  return page.evaluate(async (url) => (await fetch(url)).text(), new URL(relative, page.url()).href);
}

describe('service worker update', () => {
  let workDir;
  let builds;
  let browser;
  let server;
  let context;
  let reader; // a tab open on build A through the deploy
  let other; // a second tab, opened after the deploy
  let buildA; // build A's cache names

  before(async () => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'httpcodes-update-'));
    builds = buildTwoSites(workDir);
    browser = await launchBrowser();
    server = await startServer(builds.a, basePath(builds.a));
    context = await browser.newContext();
  });
  after(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  it('installs build A', async () => {
    reader = await context.newPage();
    // The first visit: the page comes from the network, then the worker
    // claims it; it must stay with build A all the same.
    await reader.goto(server.root + 'index.html');
    await claimed(reader);
    buildA = await buildCaches(reader);
    assert.equal(buildA.length, 1, `build caches: ${buildA}`);
  });

  it('after a deploy, a tab of build A keeps getting build A files once build B is active', async () => {
    server.serveFrom(builds.b);
    // A navigation makes the browser look for a new sw.js.
    other = await context.newPage();
    await other.goto(server.root + 'index.html');
    const settled = () => other.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      return !registration.installing && !registration.waiting && registration.active?.state === 'activated';
    });
    await waitUntil(async () => (await settled()) && (await buildCaches(other)).some((name) => !buildA.includes(name)),
      'build B is installed and active');

    assert.ok(!(await searchFindsMarker(reader)), 'the build A tab loaded build B\'s search index');
    const readFrom = (dir, file) => fs.readFileSync(path.join(dir, file), 'utf8');
    assert.equal(await fetchFromPage(reader, 'search/index.js'), readFrom(builds.a, 'search/index.js'));
    assert.equal(await fetchFromPage(reader, builds.changedPage), readFrom(builds.a, builds.changedPage));
  });

  it('shows build B at the next navigation', async () => {
    await reader.goto(server.root + builds.changedPage);
    assert.match(await reader.locator('main').textContent(), new RegExp(MARKER));
    assert.ok(await searchFindsMarker(reader), 'a build B page loaded an old search index');
  });

  it('offers the update to a tab still on build A, which gets build B when the reader chooses it', async () => {
    // `other` was served by the old worker, from build A.
    assert.ok(!(await searchFindsMarker(other)), 'the second tab mixes builds');
    const kept = (await buildCaches(other)).filter((name) => buildA.includes(name));
    assert.deepEqual(kept, buildA, 'build A\'s cache went while a tab still showed build A');
    const notice = other.locator('[data-update-notice]');
    await notice.waitFor({ state: 'visible' });
    assert.equal(await reader.locator('[data-update-notice]').isVisible(), false, 'a build B page offers an update');
    await Promise.all([other.waitForEvent('load'), notice.getByRole('link').click()]);
    assert.equal(await other.locator('[data-update-notice]').isVisible(), false);
    await other.goto(server.root + builds.changedPage);
    assert.match(await other.locator('main').textContent(), new RegExp(MARKER));
  });

  it('deletes build A\'s cache once no page uses it', async () => {
    await reader.goto(server.root + 'index.html');
    await waitUntil(async () => !(await buildCaches(reader)).some((name) => buildA.includes(name)),
      'build A\'s cache is deleted', 10000);
    assert.equal((await buildCaches(reader)).length, 1);
  });

  it('reads and searches build B offline', async () => {
    await context.setOffline(true);
    try {
      const response = await reader.goto(server.root + builds.changedPage);
      assert.equal(response.status(), 200);
      assert.match(await reader.locator('main').textContent(), new RegExp(MARKER));
      const results = await typeQuery(reader, MARKER);
      assert.equal(results[0]?.href, server.root + builds.changedPage);
    } finally {
      await context.setOffline(false);
    }
  });
});
