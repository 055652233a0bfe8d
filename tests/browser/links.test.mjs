// links.test.mjs: site-absolute links and images written in Markdown
// (tests/fixtures/hostile/content/guides/odd-links.md) work from file://
// and under a project path: to pages with a query, to ids the theme gives
// (`/404/#at-a-glance`), to files that are not pages (`/api/codes.json`,
// `/icon.svg`), to percent-encoded fragments. Headings never take the
// theme's ids. HOSTILE_SITE_DIR is that build (test.sh makes it).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launchBrowser, REPO } from './helpers.mjs';
import { startServer } from './server.mjs';

const SITE = path.resolve(REPO, process.env.HOSTILE_SITE_DIR || 'target/hostile-site');
const PAGE = 'guides/odd-links/index.html';

describe('links written in Markdown', () => {
  let browser;
  let server;
  before(async () => {
    assert.ok(fs.existsSync(path.join(SITE, PAGE)), `${SITE} is not the hostile build; see test.sh`);
    browser = await launchBrowser();
    server = await startServer(SITE, '/httpcodes/');
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const roots = [['file://', () => pathToFileURL(SITE + path.sep).href], ['HTTP under /httpcodes/', () => server.root]];
  for (const [where, rootOf] of roots) {
    it(`reach what the build wrote, from ${where}`, async () => {
      const root = rootOf();
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(root + PAGE);
      const images = await page.$$eval('main article img', (all) => all.map((img) => ({ src: img.src, width: img.naturalWidth })));
      assert.ok(images.length >= 2, 'the fixture has its images');
      for (const image of images) assert.ok(image.width > 0, `${image.src} did not load`);

      const links = await page.$$eval('main article a[href]:not(.heading-anchor)', (all) => all.map((a) => a.href));
      assert.ok(links.length >= 10, `the fixture has its links: ${links}`);
      const problems = [];
      for (const link of links) {
        const url = new URL(link);
        assert.ok(url.href.startsWith(root), `${link} leaves the site`);
        const fragment = decodeURIComponent(url.hash.slice(1));
        url.hash = '';
        if (url.protocol === 'file:') {
          url.search = '';
          if (!fs.existsSync(fileURLToPath(url))) problems.push(`${link}: no such file`);
        } else {
          const answer = await context.request.get(url.href);
          if (answer.status() !== 200) problems.push(`${link}: status ${answer.status()}`);
        }
        if (fragment) {
          const target = await context.newPage();
          await target.goto(url.href);
          if (!(await target.evaluate((id) => Boolean(document.getElementById(id)), fragment))) {
            problems.push(`${link}: no element with id "${fragment}"`);
          }
          await target.close();
        }
      }
      assert.deepEqual(problems, []);
      await context.close();
    });
  }

  it('give headings ids the theme does not use, so every id is unique', async () => {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(path.join(SITE, PAGE)).href);
    const ids = await page.$$eval('[id]', (all) => all.map((element) => element.id));
    assert.deepEqual(ids.filter((id, k) => ids.indexOf(id) !== k), [], 'an id appears twice');
    const heading = await page.locator('h2', { hasText: 'Main' }).getAttribute('id');
    assert.notEqual(heading, 'main');
    assert.equal(await page.evaluate(() => document.getElementById('main').tagName), 'MAIN');
    await page.close();
  });
});
