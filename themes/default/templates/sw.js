// sw.js: the service worker of the hosted httpcodes site, so every page can
// be read offline once the site has been visited. Rendered by the build from
// themes/default/templates/sw.js with `version` (a hash of the build) and
// `files` (a JSON array of the files a reader needs, URL-encoded and
// relative to the site root).
//
// Updates. Each build has its own cache. A new build's worker fills its
// cache, then takes over at once. Every page is tied to the build that served
// it: a navigation is answered from the newest build, the worker notes which
// build served which page (the "pages" book; a first visit, which came from
// the network, is noted when the worker takes it over), and whatever a page
// loads later (search files, styles, fetch()) comes from that page's
// build. So an open
// tab never mixes two builds, the next navigation shows the new one, and
// offline.js offers a reload to a tab left on an older build. When a worker
// takes over it marks the other builds retired; a retired build's cache is
// deleted once no open page uses it (checked when a page loads). Only
// retired caches are ever deleted, so an older worker still finishing its
// work cannot delete a newer build.
'use strict';

const VERSION = '{{ version }}';
const FILES = {{ files | safe }};

// The site root, e.g. https://example.github.io/httpcodes/. Several sites may
// share an origin (and so the Cache Storage), hence the root in every name.
const SCOPE = self.registration.scope;
const PREFIX = 'httpcodes ' + SCOPE + ' ';
const CACHE = PREFIX + 'build ' + VERSION;
// The book, shared by every build's worker: which build served each open
// page, and which builds are retired. Entries are keyed by made-up URLs.
const BOOK = PREFIX + 'pages';
const PAGE_KEY = SCOPE + '?served-page=';
const RETIRED_KEY = SCOPE + '?retired-build=';
const PRECACHED = new Set(FILES.map((file) => new URL(file, SCOPE).href));
const NOT_FOUND_PAGE = new URL('404.html', SCOPE).href;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE)
      // `reload` skips the HTTP cache, so the files match this build.
      .then((cache) => cache.addAll(Array.from(PRECACHED, (url) => new Request(url, { cache: 'reload' }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    retireOtherBuilds()
      .then(notePagesLoadedWithoutWorker)
      .then(() => self.clients.claim())
      .then(deleteUnusedBuilds),
  );
});

// offline.js says so when a page has loaded: a page may have closed.
self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'tidy') event.waitUntil(deleteUnusedBuilds());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || !request.url.startsWith(SCOPE)) return;
  if (request.mode === 'navigate') event.respondWith(navigate(event));
  else event.respondWith(fromPageBuild(event));
});

// A page: from the newest build (this worker's), which then serves it.
async function navigate(event) {
  const request = event.request;
  const file = fileUrl(request.url);
  if (!PRECACHED.has(file) && PRECACHED.has(file + '/index.html')) {
    // A folder without its slash ("…/410"): redirect as the server does, so
    // the page's relative links resolve from the folder, offline too.
    const url = new URL(request.url);
    url.pathname += '/';
    return Response.redirect(url.href, 301);
  }
  if (event.resultingClientId) event.waitUntil(notePage(event.resultingClientId, CACHE));
  const cached = PRECACHED.has(file) ? await caches.match(file, { cacheName: CACHE }) : undefined;
  if (cached) return cached;
  try {
    return await fetch(request);
  } catch (error) {
    return notFound();
  }
}

// Anything a page loads: from the build that served the page, so a page
// opened before an update keeps getting its own files. A file its build
// does not have (the JSON API, say) comes from the network.
async function fromPageBuild(event) {
  const build = (await buildOfPage(event.clientId)) || CACHE;
  const cached = await caches.match(fileUrl(event.request.url), { cacheName: build });
  return cached || fetch(event.request);
}

// The cached file for a URL: "…/404/" is "…/404/index.html"; query and
// fragment do not matter for a static site.
function fileUrl(requestUrl) {
  const url = new URL(requestUrl);
  url.search = '';
  url.hash = '';
  if (url.pathname.endsWith('/')) url.pathname += 'index.html';
  return url.href;
}

// The cached 404 page, answered with status 404.
async function notFound() {
  const page = await caches.match(NOT_FOUND_PAGE, { cacheName: CACHE });
  if (!page) return Response.error();
  return new Response(page.body, { status: 404, statusText: 'Not Found', headers: page.headers });
}

// ------------------------------------------------------------------ the book

async function notePage(clientId, build) {
  const book = await caches.open(BOOK);
  await book.put(PAGE_KEY + encodeURIComponent(clientId), new Response(build));
}

async function buildOfPage(clientId) {
  if (!clientId) return null;
  const entry = await caches.match(PAGE_KEY + encodeURIComponent(clientId), { cacheName: BOOK });
  return entry ? entry.text() : null;
}

// The pages this worker is about to claim that no worker served (a first
// visit comes from the network, just as this worker's files did): they
// belong to this build, and must stay with it after the next update.
async function notePagesLoadedWithoutWorker() {
  const pages = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  for (const page of pages) {
    if (page.url.startsWith(SCOPE) && !(await buildOfPage(page.id))) await notePage(page.id, CACHE);
  }
}

// Marks every other build of this site retired (and this one not).
async function retireOtherBuilds() {
  const book = await caches.open(BOOK);
  await book.delete(RETIRED_KEY + encodeURIComponent(CACHE));
  const others = (await caches.keys()).filter((name) => name.startsWith(PREFIX) && name !== CACHE && name !== BOOK);
  await Promise.all(others.map((name) => book.put(RETIRED_KEY + encodeURIComponent(name), new Response(''))));
}

// Forgets closed pages, then deletes each retired build no open page uses.
async function deleteUnusedBuilds() {
  const open = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const openIds = new Set(open.map((client) => client.id));
  const book = await caches.open(BOOK);
  const inUse = new Set();
  const retired = [];
  for (const key of await book.keys()) {
    if (key.url.startsWith(PAGE_KEY)) {
      const clientId = decodeURIComponent(key.url.slice(PAGE_KEY.length));
      if (openIds.has(clientId)) inUse.add(await (await book.match(key)).text());
      else await book.delete(key);
    } else if (key.url.startsWith(RETIRED_KEY)) {
      retired.push(decodeURIComponent(key.url.slice(RETIRED_KEY.length)));
    }
  }
  for (const name of retired) {
    if (inUse.has(name)) continue;
    await caches.delete(name);
    await book.delete(RETIRED_KEY + encodeURIComponent(name));
  }
}
