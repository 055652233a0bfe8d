// screenshots.mjs: takes the screenshots of the default theme kept in
// docs/screenshots/, for the README and for reviewing a design change. Not a
// test: run it by hand after a redesign and commit the PNGs it writes.
//
//   node tests/browser/screenshots.mjs [SITE_DIR] [--code N] [--out DIR]
//
// SITE_DIR is a built site (default target/test-site, relative to the
// repository root); --code picks the code page (default 404 when the site has
// it, else the first code of api/codes.json); --out the folder (default
// docs/screenshots). It writes {home,code}-{375,1280}-{light,dark}.png: the
// top of each page (375×812 and 1280×800 CSS pixels, device scale factor 1)
// in the light and dark colour schemes, with no theme stored, so each page
// follows the emulated system scheme.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { launchBrowser, REPO } from './helpers.mjs';

const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  options: { code: { type: 'string' }, out: { type: 'string' } },
});
const siteDir = path.resolve(REPO, positionals[0] || 'target/test-site');
const outDir = path.resolve(REPO, options.out || 'docs/screenshots');

const VIEWPORTS = [
  { width: 375, height: 812 },
  { width: 1280, height: 800 },
];
const SCHEMES = ['light', 'dark'];

/** The code page to show: --code, else 404 if the site has it, else the API's first code. */
function codePage() {
  const codes = JSON.parse(fs.readFileSync(path.join(siteDir, 'api', 'codes.json'), 'utf8'));
  const wanted = options.code ? Number(options.code) : 404;
  const found = codes.find((code) => code.code === wanted);
  if (!found && options.code) throw new Error(`--code ${options.code}: no such code in ${siteDir}/api/codes.json`);
  return `${(found || codes[0]).url}index.html`;
}

if (!fs.existsSync(path.join(siteDir, 'index.html'))) {
  console.error(`${siteDir} holds no built site. Build one first, e.g.\n` +
    `  ./target/release/httpcodes build --output target/test-site --base-url https://example.github.io/httpcodes/`);
  process.exit(1);
}

const pages = { home: 'index.html', code: codePage() };
fs.mkdirSync(outDir, { recursive: true });
const browser = await launchBrowser();
try {
  for (const viewport of VIEWPORTS) {
    for (const scheme of SCHEMES) {
      // A fresh context each time: no stored theme choice, only the emulated system scheme.
      const context = await browser.newContext({
        viewport, deviceScaleFactor: 1, colorScheme: scheme, serviceWorkers: 'block',
      });
      const page = await context.newPage();
      for (const [name, relative] of Object.entries(pages)) {
        await page.goto(pathToFileURL(path.join(siteDir, relative)).href, { waitUntil: 'load' });
        const file = path.join(outDir, `${name}-${viewport.width}-${scheme}.png`);
        await page.screenshot({ path: file, fullPage: false });
        console.log(`${path.relative(REPO, file)}  ${relative}  ${fs.statSync(file).size} bytes`);
      }
      await context.close();
    }
  }
} finally {
  await browser.close();
}
