// a11y.test.mjs: runs axe-core (every default rule, none turned off) on a
// sample of the built site's pages, each in light and dark colour scheme at a
// phone width (375 px) and a desktop width (1280 px), and fails on any
// violation, naming the rule, its impact, what to fix and the elements.
//
// The pages are derived from the build, never listed by hand: the home page,
// for each status kind found in api/codes.json the first code page of that
// kind, the page of the first code's class, the first guide (by folder name),
// the read-all page all/index.html, and the 404 page as GitHub Pages serves
// it for an unknown address. They are served over HTTP under the build's
// base path (SUBPATH_SITE_DIR, which defaults to SITE_DIR), like the crawl.
//
// Set AXE_REPORT=<file.json> to also write every violation found, by page,
// scheme and width, to that file (to read or diff; the test fails the same).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { launchBrowser, requireBuiltSite, startSiteServer, SUBPATH_SITE_DIR } from './helpers.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const AXE_SOURCE_FILE = path.join(HERE, 'node_modules', 'axe-core', 'axe.min.js');

const SCHEMES = ['light', 'dark'];
const WIDTHS = [375, 1280];
const HEIGHT = 800;

/** The read-all page the theme must have (required: see its own test below). */
const READ_ALL_PAGE = 'all/index.html';

/**
 * The pages to check, as { name, path } with `path` relative to the site
 * root. Reads the build in SUBPATH_SITE_DIR (the one served over HTTP).
 */
function samplePages(dir) {
  const codes = JSON.parse(fs.readFileSync(path.join(dir, 'api', 'codes.json'), 'utf8'));
  assert.ok(Array.isArray(codes) && codes.length > 0, 'api/codes.json lists no code');
  const pages = [{ name: 'home', path: 'index.html' }];

  // One code page per status kind, in the order the kinds first appear.
  const firstOfKind = new Map();
  for (const code of codes) {
    if (!firstOfKind.has(code.status)) firstOfKind.set(code.status, code);
  }
  for (const [status, code] of firstOfKind) {
    pages.push({ name: `${code.code} (${status})`, path: `${code.url}index.html` });
  }

  // Code pages live at "<code>/", classes at "<class>/", like the URLs in the API.
  pages.push({ name: `class ${codes[0].class}`, path: `${codes[0].class}/index.html` });

  const guidesDir = path.join(dir, 'guides');
  const guides = fs.existsSync(guidesDir)
    ? fs.readdirSync(guidesDir).filter((name) => fs.existsSync(path.join(guidesDir, name, 'index.html'))).sort()
    : [];
  if (guides.length) pages.push({ name: `guide ${guides[0]}`, path: `guides/${guides[0]}/index.html` });

  if (fs.existsSync(path.join(dir, READ_ALL_PAGE))) pages.push({ name: 'read all', path: READ_ALL_PAGE });

  // An address with no page: the server answers with 404.html, as GitHub Pages does.
  pages.push({ name: '404', path: 'no-such-page/', notFound: true });
  for (const page of pages) {
    if (!page.notFound) assert.ok(fs.existsSync(path.join(dir, page.path)), `${page.path} is not in the build ${dir}`);
  }
  return pages;
}

/** The violations axe reports, as text a developer can act on. */
function describeViolations(violations) {
  return violations.map((violation) => {
    const nodes = violation.nodes.map((node) => {
      const summary = (node.failureSummary || '').split('\n').map((line) => line.trim()).filter(Boolean).join(' ');
      return `    - ${node.target.join(' >>> ')}: ${node.html}\n      ${summary}`;
    });
    return `  ${violation.id} (${violation.impact}): ${violation.help}\n    ${violation.helpUrl}\n${nodes.join('\n')}`;
  }).join('\n');
}

// Loaded lazily, so that a missing build or package fails its own test.
let axeSource;
function readAxeSource() {
  assert.ok(fs.existsSync(AXE_SOURCE_FILE), `no ${AXE_SOURCE_FILE}: run npm ci in tests/browser`);
  axeSource ??= fs.readFileSync(AXE_SOURCE_FILE, 'utf8');
  return axeSource;
}

/**
 * Runs axe on the page loaded in `page` and returns its violations.
 *
 * How axe gets into the page: the site's CSP (`script-src 'self'`) blocks
 * page.addScriptTag({ content }), an inline script. page.evaluate() runs its
 * source through the DevTools protocol, which the page's CSP does not govern,
 * and defines window.axe; so the pages are tested under their real CSP (no
 * bypassCSP), exactly as readers get them.
 */
async function runAxe(page) {
  await page.evaluate(readAxeSource());
  return page.evaluate(async () => {
    // resultTypes only trims the passes and incomplete lists axe returns: every rule still runs.
    const results = await window.axe.run(document, { resultTypes: ['violations'] });
    return results.violations.map(({ id, impact, help, helpUrl, nodes }) => ({
      id, impact, help, helpUrl, nodes: nodes.map(({ target, html, failureSummary }) => ({
        target, html: html.length > 160 ? html.slice(0, 159) + '…' : html, failureSummary,
      })),
    }));
  });
}

let pages;
let pagesError;
try {
  pages = samplePages(SUBPATH_SITE_DIR);
} catch (error) {
  pagesError = error;
}

const report = [];
after(() => {
  if (process.env.AXE_REPORT) fs.writeFileSync(process.env.AXE_REPORT, JSON.stringify(report, null, 2) + '\n');
});

describe('accessibility (axe-core)', () => {
  it('the build is there and its sample pages are found', () => {
    requireBuiltSite();
    if (pagesError) throw pagesError;
  });

  it(`the read-all page ${READ_ALL_PAGE} exists`, () => {
    assert.ok(fs.existsSync(path.join(SUBPATH_SITE_DIR, READ_ALL_PAGE)),
      `${READ_ALL_PAGE} is missing from ${SUBPATH_SITE_DIR}: the theme must have a page with every code page`);
  });

  if (!pages) return;

  // Pages are opened over HTTP, not file://: axe reads the page's style
  // sheets with XMLHttpRequest (for its css-orientation-lock rule), which
  // Chromium refuses to file:// pages ("Couldn't load preload assets").
  let browser;
  let server;
  before(async () => {
    browser = await launchBrowser();
    server = await startSiteServer();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const scheme of SCHEMES) {
    for (const width of WIDTHS) {
      describe(`${scheme}, ${width} px`, () => {
        // One context per scheme and width, shared by its pages.
        let context;
        before(async () => {
          context = await browser.newContext({
            colorScheme: scheme,
            viewport: { width, height: HEIGHT },
            serviceWorkers: 'block',
          });
        });
        after(async () => {
          await context?.close();
        });

        for (const sample of pages) {
          it(sample.name, async () => {
            const page = await context.newPage();
            try {
              const response = await page.goto(server.root + sample.path, { waitUntil: 'load' });
              assert.equal(response.status(), sample.notFound ? 404 : 200, `${sample.path}: HTTP status`);
              const violations = await runAxe(page);
              report.push({ page: sample.path, scheme, width, violations });
              assert.equal(violations.length, 0,
                `${sample.path} (${scheme}, ${width} px): ${violations.length} axe violation(s):\n${describeViolations(violations)}`);
            } finally {
              await page.close();
            }
          });
        }
      });
    }
  }
});
