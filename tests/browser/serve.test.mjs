// serve.test.mjs: `httpcodes serve` (the live preview) in Chromium, on a copy
// of the real site served under a project path. A service worker left by an
// earlier visit (the built site, served by another server on the same port)
// must give way at once; then a save reloads the open page with the new
// text, a broken front matter shows the problems overlay (file:line:col, the
// message and the line) under the pages' Content-Security-Policy, and the
// fix takes it away.
//
// Needs the binary: HTTPCODES_BIN (./test.sh sets it); skipped without it.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { copySiteInputs, launchBrowser, listFiles, watch } from './helpers.mjs';
import { startServer } from './server.mjs';

const BINARY = process.env.HTTPCODES_BIN;
const BASE_URL = 'https://example.github.io/httpcodes/';
const BASE_PATH = new URL(BASE_URL).pathname;
const OLD_MARKER = 'quokkaservedfromanoldbuild';
const SAVED_MARKER = 'quokkasavedinserve';

function build(root, output) {
  execFileSync(BINARY, ['build', '--root', root, '--output', output, '--base-url', BASE_URL], { stdio: 'pipe' });
}

/** The located errors `httpcodes check --format json` reports for `root`: [{ where: "file:line:col", message }]. */
function checkProblems(root) {
  try {
    execFileSync(BINARY, ['check', '--root', root, '--base-url', BASE_URL, '--format', 'json'], { stdio: 'pipe' });
  } catch (failure) {
    return failure.stdout.toString().split('\n').filter(Boolean).map((line) => JSON.parse(line))
      .filter((problem) => problem.severity === 'error' && problem.line)
      .map((problem) => ({
        where: `${problem.file}:${problem.line}${problem.column ? `:${problem.column}` : ''}`,
        message: problem.message,
      }));
  }
  assert.fail('the broken site passed httpcodes check');
}

/** Starts `httpcodes serve` on `port`; resolves to { url, process } once it prints its URL. */
function startServe(root, port) {
  const child = spawn(BINARY, ['serve', '--root', root, '--port', String(port), '--base-url', BASE_URL],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve printed no URL:\n${stderr}`)), 60000);
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${stderr}`)));
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      const found = /^Serving (\S+)/.exec(line);
      if (found) {
        clearTimeout(timer);
        resolve({ url: found[1], process: child });
      }
    });
  });
}

/** Polls the async `check()` until it is true. */
async function waitUntil(check, what, timeout = 30000) {
  const end = Date.now() + timeout;
  while (!(await check())) {
    assert.ok(Date.now() < end, `timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The service worker registrations and this site's caches the page's origin still has. */
function workersAndCaches(page) {
  return page.evaluate(async () => ({
    workers: (await navigator.serviceWorker.getRegistrations()).length,
    caches: (await caches.keys()).filter((name) => name.startsWith('httpcodes ')),
  }));
}

describe('httpcodes serve in Chromium', { skip: !BINARY && 'HTTPCODES_BIN is not set (./test.sh sets it to the release binary)' }, () => {
  let workDir;
  let root; // the site serve previews
  let source; // the Markdown file edited (absolute)
  let original; // its text
  let pageUrl; // its page, relative to the site root ("100/")
  let browser;
  let context;
  let page;
  let serve;
  let recorder;

  before(async () => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'httpcodes-serve-'));
    root = path.join(workDir, 'root');
    copySiteInputs(root);
    const relative = listFiles(path.join(root, 'content')).find((file) => file.endsWith('.md') && !file.endsWith('_index.md'));
    assert.ok(relative, 'content/ has no page');
    source = path.join(root, 'content', relative);
    original = fs.readFileSync(source, 'utf8');
    // The old build, with a marker, tells which page the file becomes.
    fs.appendFileSync(source, `\n\nOld text: ${OLD_MARKER}.\n`);
    build(root, path.join(workDir, 'old-site'));
    fs.writeFileSync(source, original);
    // The read-all page (all/) repeats every code page: it is not the page the file becomes.
    const pages = listFiles(path.join(workDir, 'old-site'))
      .filter((file) => file !== 'all/index.html')
      .filter((file) => file.endsWith('.html') && fs.readFileSync(path.join(workDir, 'old-site', file), 'utf8').includes(OLD_MARKER));
    assert.equal(pages.length, 1, `the marker should show on one page, found on ${pages}`);
    pageUrl = pages[0].replace(/index\.html$/, '');
    browser = await launchBrowser();
    context = await browser.newContext();
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    serve?.process.kill();
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  it('replaces a service worker left by an earlier visit, and shows no page from its cache', async () => {
    // The built site, with its offline worker, served by another server.
    const old = await startServer(path.join(workDir, 'old-site'), BASE_PATH);
    page = await context.newPage();
    await page.goto(old.root + pageUrl);
    await page.waitForFunction(() => Boolean(navigator.serviceWorker.controller), null, { timeout: 30000 });
    assert.ok((await workersAndCaches(page)).caches.length > 0, 'the old worker cached nothing');
    const port = new URL(old.origin).port;
    await old.close();

    // serve on the same origin, with the file as it is now (no marker).
    serve = await startServe(root, port);
    assert.equal(serve.url, `http://127.0.0.1:${port}${BASE_PATH}`);
    await page.goto(serve.url + pageUrl);
    await waitUntil(async () => {
      const text = await page.locator('main').textContent().catch(() => OLD_MARKER);
      return !text.includes(OLD_MARKER);
    }, 'the page is shown from serve, not from the old cache');
    await waitUntil(async () => {
      const { workers, caches } = await workersAndCaches(page).catch(() => ({ workers: 1, caches: [] }));
      return workers === 0 && caches.length === 0;
    }, 'the old worker and its caches are gone');
    assert.equal(await page.evaluate(() => navigator.serviceWorker.controller), null);
  });

  it('reloads the open page with the new text after a save', async () => {
    recorder = watch(context, (url) => url.startsWith(new URL(serve.url).origin + '/'));
    await page.goto(serve.url + pageUrl);
    await page.evaluate(() => { window.notReloadedYet = true; });
    fs.writeFileSync(source, `${original}\n\nSaved while serving: ${SAVED_MARKER}.\n`);
    await page.locator('main', { hasText: SAVED_MARKER }).waitFor({ timeout: 30000 });
    assert.equal(await page.evaluate(() => window.notReloadedYet), undefined, 'the page was not reloaded');
    // No service worker came back with the reload (offline.js registers one
    // on each page; serve's removes itself).
    await waitUntil(async () => (await workersAndCaches(page)).workers === 0, 'no worker stays registered');
    recorder.assertClean('saving under serve');
  });

  it('shows the problems of a broken front matter in an overlay, under the Content-Security-Policy', async () => {
    const saved = fs.readFileSync(source, 'utf8');
    const titleLine = saved.split('\n').find((line) => line.startsWith('title:'));
    assert.ok(titleLine, `${source} has no title line`);
    const brokenLine = 'title: [a list left open';
    fs.writeFileSync(source, saved.replace(titleLine, brokenLine));
    const problems = checkProblems(root);
    assert.ok(problems.length > 0, 'check found no located problem');

    const overlay = page.locator('#__httpcodes-overlay');
    await overlay.waitFor({ state: 'visible', timeout: 30000 });
    const text = await overlay.textContent();
    for (const { where, message } of problems) {
      assert.ok(text.includes(where), `the overlay should name ${where}: ${text}`);
      assert.ok(text.includes(message), `the overlay should say "${message}": ${text}`);
    }
    assert.ok(text.includes(brokenLine), `the overlay should show the line: ${text}`);
    // Styled by the served overlay.css (an inline style would be blocked).
    await waitUntil(() => overlay.evaluate((node) => getComputedStyle(node).position === 'fixed'), 'the overlay is styled');
    // The last good build stays on screen underneath.
    assert.match(await page.locator('main').textContent(), new RegExp(SAVED_MARKER));
    await page.screenshot({ path: path.join(os.tmpdir(), 'httpcodes-serve-overlay.png') });
    recorder.assertClean('the overlay');

    // A tab opened now shows the overlay too.
    const late = await context.newPage();
    await late.goto(serve.url);
    await late.locator('#__httpcodes-overlay').waitFor({ state: 'visible', timeout: 30000 });
    await late.close();
  });

  it('removes the overlay once the save is fixed, and shows the page', async () => {
    await page.evaluate(() => { window.notReloadedYet = true; });
    fs.writeFileSync(source, `${original}\n\nFixed while serving: ${SAVED_MARKER}fixed.\n`);
    await page.locator('main', { hasText: `${SAVED_MARKER}fixed` }).waitFor({ timeout: 30000 });
    assert.equal(await page.locator('#__httpcodes-overlay').count(), 0);
    assert.equal(await page.evaluate(() => window.notReloadedYet), undefined, 'the page was not reloaded');
    recorder.assertClean('the fix');
  });
});
