// theme.test.mjs: the reader's choice of colour theme, from file:// and over
// HTTP under /httpcodes/. The theme's contract:
// - theme.js, a blocking script in <head>, reads localStorage["httpcodes-theme"]
//   ("light" or "dark"; absent = follow the system) and sets
//   <html data-theme="…"> before the first paint (no attribute for "system");
// - a button[data-theme-toggle] in the site header cycles
//   system → dark → light → system, stores the choice, and its accessible
//   name says the current one;
// - dark colours apply for [data-theme=dark], or for prefers-color-scheme:
//   dark when no data-theme is set.
// No colour is written here: the light and dark backgrounds are read from
// the pages themselves (with the stored choice and the system agreeing, so
// that each reference is right whichever of the two the page obeys).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileUrl, launchBrowser, requireBuiltSite, SITE_DIR, startSiteServer } from './helpers.mjs';

const STORAGE_KEY = 'httpcodes-theme';
const TOGGLE = 'button[data-theme-toggle]';

/** A second page to move to: the first code page of the API. */
function firstCodePage() {
  const codes = JSON.parse(fs.readFileSync(path.join(SITE_DIR, 'api', 'codes.json'), 'utf8'));
  return `${codes[0].url}index.html`;
}

/**
 * Runs in every document before its own scripts (page.addInitScript): notes
 * the theme attribute and the backgrounds (1) when <body> is first inserted
 * and (2) in the first requestAnimationFrame callback, which runs in the
 * first rendering update, before the first frame is painted (and not before
 * the head's style sheets have loaded: they block rendering). The notes are
 * in window.__themeMoments.
 */
function recordEarlyMoments() {
  const moments = [];
  window.__themeMoments = moments;
  const note = (moment) => {
    const html = document.documentElement;
    const body = document.body;
    moments.push({
      moment,
      theme: html.dataset.theme ?? null,
      htmlBackground: getComputedStyle(html).backgroundColor,
      bodyBackground: body ? getComputedStyle(body).backgroundColor : null,
    });
  };
  requestAnimationFrame(() => note('first frame'));
  const observer = new MutationObserver(() => {
    if (!document.body) return;
    observer.disconnect();
    note('body inserted');
  });
  observer.observe(document, { childList: true, subtree: true });
}

/** The theme attribute and backgrounds of the page as it is now. */
function currentLook(page) {
  return page.evaluate(() => ({
    theme: document.documentElement.dataset.theme ?? null,
    htmlBackground: getComputedStyle(document.documentElement).backgroundColor,
    bodyBackground: document.body ? getComputedStyle(document.body).backgroundColor : null,
  }));
}

/**
 * The colour the canvas is painted with: the root's background, or the
 * body's when the root has none (CSS propagates it to the canvas).
 */
function canvasColour(look) {
  const transparent = (colour) => !colour || colour === 'transparent' || /^rgba\(.*,\s*0\)$/.test(colour);
  return transparent(look.htmlBackground) && look.bodyBackground ? look.bodyBackground : look.htmlBackground;
}

/** The stored choice, or null. */
function storedChoice(page) {
  return page.evaluate((key) => localStorage.getItem(key), STORAGE_KEY);
}

/** The accessible name of the first element matching `selector`, as Chromium's accessibility tree has it. */
async function accessibleName(page, selector) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
    const { nodes } = await cdp.send('Accessibility.getPartialAXTree', { nodeId, fetchRelatives: false });
    const name = nodes[0]?.name?.value;
    assert.ok(name, `${selector} has no accessible name`);
    return name;
  } finally {
    await cdp.detach();
  }
}

describe('theme choice', () => {
  let browser;
  let server;
  before(async () => {
    requireBuiltSite();
    browser = await launchBrowser();
    server = await startSiteServer();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const origins = [
    { name: 'file://', url: (relative) => fileUrl(relative) },
    { name: 'http', url: (relative) => server.root + relative },
  ];

  for (const origin of origins) {
    describe(origin.name, () => {
      const contexts = [];
      after(async () => {
        await Promise.all(contexts.map((context) => context.close()));
      });

      /**
       * A page of a fresh context (empty storage) whose system scheme is
       * `system`, showing `relative` with `choice` stored ("light", "dark",
       * or null for none): loaded once, the choice stored, then reloaded.
       */
      async function openWith(relative, { system, choice }) {
        const context = await browser.newContext({ colorScheme: system, serviceWorkers: 'block' });
        contexts.push(context);
        await context.addInitScript(recordEarlyMoments);
        const page = await context.newPage();
        await page.goto(origin.url(relative));
        await page.evaluate(([key, value]) => {
          if (value) localStorage.setItem(key, value);
          else localStorage.removeItem(key);
        }, [STORAGE_KEY, choice]);
        await page.reload();
        return page;
      }

      /** The canvas colour of the home page with `choice` stored and a `system` scheme. */
      async function backgroundWith(system, choice) {
        const page = await openWith('index.html', { system, choice });
        const look = await currentLook(page);
        await page.context().close();
        return { theme: look.theme, canvas: canvasColour(look) };
      }

      // The references: each with the system and the stored choice agreeing.
      let light;
      let dark;
      before(async () => {
        light = (await backgroundWith('light', 'light')).canvas;
        dark = (await backgroundWith('dark', 'dark')).canvas;
      });

      it('the dark background differs from the light one', () => {
        assert.notEqual(dark, light, `light and dark pages both have the background ${light}`);
      });

      it('"system" follows prefers-color-scheme, and a stored choice beats it', async () => {
        const cases = [
          { system: 'light', choice: null, theme: null, canvas: light },
          { system: 'dark', choice: null, theme: null, canvas: dark },
          { system: 'dark', choice: 'light', theme: 'light', canvas: light },
          { system: 'light', choice: 'dark', theme: 'dark', canvas: dark },
        ];
        for (const expected of cases) {
          const got = await backgroundWith(expected.system, expected.choice);
          const where = `system ${expected.system}, stored ${expected.choice ?? 'nothing'}`;
          assert.equal(got.theme, expected.theme, `${where}: <html data-theme>`);
          assert.equal(got.canvas, expected.canvas, `${where}: background (light is ${light}, dark is ${dark})`);
        }
      });

      it('the toggle in the header cycles system → dark → light → system, stores the choice and names it', async () => {
        const page = await openWith('index.html', { system: 'light', choice: null });
        const toggle = page.locator(TOGGLE);
        assert.equal(await toggle.count(), 1, `one ${TOGGLE} on the page`);
        assert.ok(await toggle.evaluate((button) => button.closest('header') !== null), 'the toggle is in the header');
        assert.ok(await toggle.isVisible(), 'the toggle is visible');

        const steps = [
          { choice: null, name: /system|auto/i, canvas: light },
          { choice: 'dark', name: /dark/i, canvas: dark },
          { choice: 'light', name: /light/i, canvas: light },
          { choice: null, name: /system|auto/i, canvas: light },
        ];
        const names = [];
        for (const [k, step] of steps.entries()) {
          if (k > 0) await toggle.click();
          const label = `after ${k} click(s)`;
          const look = await currentLook(page);
          assert.equal(look.theme, step.choice, `${label}: <html data-theme>`);
          assert.equal(await storedChoice(page), step.choice, `${label}: localStorage["${STORAGE_KEY}"]`);
          assert.equal(canvasColour(look), step.canvas, `${label}: background (light is ${light}, dark is ${dark})`);
          const name = await accessibleName(page, TOGGLE);
          assert.match(name, step.name, `${label}: the toggle's accessible name "${name}" should say the choice`);
          names.push(name);
        }
        assert.equal(new Set(names.slice(0, 3)).size, 3, `each choice has its own accessible name: ${JSON.stringify(names)}`);
      });

      it('dark chosen with the toggle survives a reload and holds on the next page', async () => {
        const page = await openWith('index.html', { system: 'light', choice: null });
        const toggle = page.locator(TOGGLE);
        assert.equal(await toggle.count(), 1, `one ${TOGGLE} on the page`);
        for (let clicks = 0; clicks < 3 && (await currentLook(page)).theme !== 'dark'; clicks++) await toggle.click();
        assert.equal((await currentLook(page)).theme, 'dark', 'three clicks of the toggle never chose dark');

        const pagesAfter = [
          ['the reload', () => page.reload()],
          [`the next page (${firstCodePage()})`, () => page.goto(origin.url(firstCodePage()))],
        ];
        if (origin.name === 'http') {
          pagesAfter.push(['the 404 page', () => page.goto(server.root + 'no-such-page/')]);
        }
        for (const [what, go] of pagesAfter) {
          await go();
          const look = await currentLook(page);
          assert.equal(look.theme, 'dark', `after ${what}: <html data-theme>`);
          assert.equal(canvasColour(look), dark, `after ${what}: background`);
        }
      });

      for (const [system, choice] of [['light', 'dark'], ['dark', 'light']]) {
        it(`the first frame already shows a stored ${choice} choice (system ${system}): no flash`, async () => {
          const page = await openWith('index.html', { system, choice });
          // Let the load finish and a frame or two pass: this is what the reader ends up with.
          await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
          const final = await currentLook(page);
          assert.equal(canvasColour(final), choice === 'dark' ? dark : light,
            `the background once loaded, with ${choice} stored (light is ${light}, dark is ${dark})`);
          const moments = await page.evaluate(() => window.__themeMoments);
          const bodyInserted = moments.find((moment) => moment.moment === 'body inserted');
          const firstFrame = moments.find((moment) => moment.moment === 'first frame');
          assert.ok(bodyInserted && firstFrame, `recorded moments: ${JSON.stringify(moments)}`);

          // When <body> appears, theme.js must already have run. (Its colours are
          // not compared here: the style sheet may still be loading then, which
          // is no flash, since the first paint waits for it.)
          assert.equal(bodyInserted.theme, choice, 'data-theme when <body> is inserted');
          // The first frame painted must look like the last.
          assert.equal(firstFrame.theme, choice, 'data-theme at the first frame');
          assert.equal(canvasColour(firstFrame), canvasColour(final),
            `background at the first frame (${JSON.stringify(firstFrame)}) vs now (${JSON.stringify(final)})`);
        });
      }
    });
  }
});
