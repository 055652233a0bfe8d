// run.mjs: Lighthouse scores of the site. Builds the site from the
// repository, serves it on 127.0.0.1 under /httpcodes/ (as GitHub Pages
// serves a project site), runs Lighthouse 12 on the home page, one code page
// and the read-all page all/index.html (when the build has it) with the
// mobile and the desktop preset, prints a Markdown table of the four
// category scores (performance, accessibility, best practices, SEO) and the
// audits that lost points, and exits with status 1 if any score is below the
// minimum (95).
//
// Usage, from the repository root, once `cargo build --release` has built the
// binary and both npm folders are installed:
//   (cd tests/browser && npm ci) && (cd tests/lighthouse && npm ci)
//   node tests/lighthouse/run.mjs [--root DIR] [--preset mobile|desktop|both]
//                                 [--code N] [--min 95] [--reports DIR]
//     --root     the repository to build (default: this one)
//     --preset   Lighthouse's form factor (default both: each page twice)
//     --code     the code page to score (default 404 when the site has it,
//                else the first code of api/codes.json)
//     --min      the lowest score accepted, 0-100 (default 95)
//     --reports  also write each run's full HTML report into DIR
// Environment: CHROME_PATH (default: `which chromium`), HTTPCODES_BIN or
// CARGO_TARGET_DIR to find the binary (like the browser tests).
//
// Why it builds its own copy: the site's canonical links, sitemap.xml and
// robots.txt name its base URL. Scoring a build made for
// https://example.github.io/httpcodes/ from localhost would have Lighthouse
// read pages whose canonical URL is another site's. So the server starts
// first, on a free port, and the site is built with --base-url
// http://127.0.0.1:PORT/httpcodes/: every URL in it then names what is
// actually served. (Lighthouse 12's canonical audit does not compare hosts,
// so the scores come out the same either way; this keeps them honest.) Like a
// real project site, robots.txt is at /httpcodes/robots.txt, not at the
// origin's root where crawlers and Lighthouse look for it: Lighthouse reports
// its robots-txt audit as not applicable (no audit is turned off). Text
// files are served gzipped, as GitHub Pages serves them (see
// compressTextFiles): without that, the read-all page's 400 KB of HTML
// would cross the simulated mobile network four times as large as it does
// for a reader.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import { httpcodesBinary, REPO } from '../browser/helpers.mjs';
import { startServer } from '../browser/server.mjs';

const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'];
const BASE_PATH = '/httpcodes/';

const { values: options } = parseArgs({
  options: {
    root: { type: 'string', default: REPO },
    preset: { type: 'string', default: 'both' },
    code: { type: 'string' },
    min: { type: 'string', default: '95' },
    reports: { type: 'string' },
  },
});
const PRESETS = {
  mobile: undefined, // Lighthouse's default configuration: a mid-range phone, simulated slow 4G
  desktop: desktopConfig,
};
const presetNames = options.preset === 'both' ? Object.keys(PRESETS) : [options.preset];
if (!presetNames.every((name) => name in PRESETS)) throw new Error(`--preset must be mobile, desktop or both, not ${options.preset}`);
const minimum = Number(options.min);

/** The pages to score, relative to the site root: home, a code page, and the read-all page if built. */
function pagesOf(siteDir) {
  const codes = JSON.parse(fs.readFileSync(path.join(siteDir, 'api', 'codes.json'), 'utf8'));
  const wanted = options.code ? Number(options.code) : 404;
  const code = codes.find((entry) => entry.code === wanted) || (options.code ? null : codes[0]);
  if (!code) throw new Error(`--code ${options.code}: no such code in api/codes.json`);
  const pages = ['', code.url];
  if (fs.existsSync(path.join(siteDir, 'all', 'index.html'))) pages.push('all/');
  else console.log('(no all/index.html in this build: the read-all page is not scored)\n');
  return pages;
}

/** The audits of a category that lost points, as "id (score)" strings. */
function lostPoints(lhr, categoryId) {
  return lhr.categories[categoryId].auditRefs
    .filter((ref) => ref.weight > 0)
    .map((ref) => lhr.audits[ref.id])
    .filter((audit) => audit.scoreDisplayMode !== 'notApplicable' && audit.score !== null && audit.score < 1)
    .map((audit) => `${audit.id} (${Math.round(audit.score * 100)}${audit.displayValue ? `, ${audit.displayValue}` : ''})`);
}

/**
 * Writes a gzipped copy (`x.gz`) beside every text file of the site: GitHub
 * Pages sends HTML, CSS, JavaScript and JSON gzipped, and Lighthouse's
 * simulated slow network should see the bytes a reader's would.
 */
function compressTextFiles(dir) {
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.(html|css|js|json|xml|svg|webmanifest|txt)$/.test(entry.name)) continue;
    const file = path.join(entry.parentPath ?? entry.path, entry.name);
    fs.writeFileSync(`${file}.gz`, zlib.gzipSync(fs.readFileSync(file)));
  }
}

const started = Date.now();
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'httpcodes-lighthouse-'));
const siteDir = path.join(workDir, 'site');
const server = await startServer(workDir, BASE_PATH, { gzip: true });
let chrome;
let failed = false;
try {
  // Build for the address the server has: see the note at the top.
  const baseUrl = server.root;
  execFileSync(httpcodesBinary(), ['build', '--root', options.root, '--output', siteDir, '--base-url', baseUrl], { stdio: 'inherit' });
  compressTextFiles(siteDir);
  server.serveFrom(siteDir);
  const pages = pagesOf(siteDir);

  const chromePath = process.env.CHROME_PATH || execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
  // --no-sandbox: Chromium's sandbox cannot start as root, as in the containers this runs in.
  chrome = await chromeLauncher.launch({ chromePath, chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu'] });
  if (options.reports) fs.mkdirSync(options.reports, { recursive: true });

  const rows = [];
  const losses = [];
  let versions = '';
  for (const page of pages) {
    for (const preset of presetNames) {
      const url = baseUrl + page;
      const runStarted = Date.now();
      const result = await lighthouse(url, {
        port: chrome.port,
        output: options.reports ? 'html' : 'json',
        logLevel: 'error',
        onlyCategories: CATEGORIES,
      }, PRESETS[preset]);
      const { lhr } = result;
      versions ||= `Lighthouse ${lhr.lighthouseVersion}, ${lhr.environment.hostUserAgent}`;
      if (lhr.runtimeError) throw new Error(`${url} (${preset}): ${lhr.runtimeError.code}: ${lhr.runtimeError.message}`);
      const scores = CATEGORIES.map((id) => (lhr.categories[id].score === null ? null : Math.round(lhr.categories[id].score * 100)));
      if (scores.some((score) => score === null || score < minimum)) failed = true;
      rows.push(`| ${'/' + page} | ${preset} | ${scores.map((score) => score ?? 'error').join(' | ')} | ${((Date.now() - runStarted) / 1000).toFixed(1)} s |`);
      for (const id of CATEGORIES) {
        const lost = lostPoints(lhr, id);
        if (lost.length) losses.push(`- /${page} ${preset}, ${lhr.categories[id].title}: ${lost.join(', ')}`);
      }
      if (options.reports) {
        const name = `${(page.replace(/\/$/, '') || 'home').replaceAll('/', '-')}-${preset}.html`;
        fs.writeFileSync(path.join(options.reports, name), result.report);
      }
      for (const warning of lhr.runWarnings) console.warn(`warning for ${url} (${preset}): ${warning}`);
    }
  }

  console.log(`${versions}; site served at ${baseUrl}\n`);
  console.log(`| page | preset | ${CATEGORIES.join(' | ')} | time |`);
  console.log(`| --- | --- | ${CATEGORIES.map(() => '---:').join(' | ')} | ---: |`);
  console.log(rows.join('\n'));
  console.log(losses.length ? `\nAudits that lost points:\n${losses.join('\n')}` : '\nNo audit lost points.');
  console.log(`\n${failed ? `FAIL: a score is below ${minimum}` : `OK: every score is at least ${minimum}`} ` +
    `(${((Date.now() - started) / 1000).toFixed(0)} s in all)`);
} finally {
  await chrome?.kill();
  await server.close();
  fs.rmSync(workDir, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
