// offline.js: registers the service worker (sw.js) of the hosted site, so
// pages can be read offline once visited, and handles its updates: it asks
// for a new build when a tab comes back into view, tells the worker when a
// page has loaded (so it can delete builds no page uses), and offers a
// reload to a page whose build has been replaced. Does nothing from
// file://, where the files are on disk already.
'use strict';

(function () {
  if (!('serviceWorker' in navigator) || !location.protocol.startsWith('http')) return;
  const serviceWorker = navigator.serviceWorker;
  // The site root as an absolute URL: <html data-root="../"> on a code
  // page, "" on the home page.
  const root = new URL(document.documentElement.getAttribute('data-root') || './', location.href);
  // The worker that served this page (none on a first visit).
  const servedBy = serviceWorker.controller;

  function register() {
    serviceWorker.register(new URL('sw.js', root).href, { scope: root.href }).then(function (registration) {
      document.addEventListener('visibilitychange', function () {
        if (document.visibilityState === 'visible') registration.update().catch(function () {});
      });
    }, function () {
      // No service worker (private mode, for one): the site still works online.
    });
    serviceWorker.ready.then(function (registration) {
      if (registration.active) registration.active.postMessage({ type: 'tidy' });
    });
  }

  // A new build took over: this page stays whole (the worker keeps serving
  // it its own build's files) and offers the new version.
  serviceWorker.addEventListener('controllerchange', function () {
    if (!servedBy) return; // the first worker taking over a first visit
    const notice = document.querySelector('[data-update-notice]');
    if (!notice) return;
    // A link to this very page, which a reload shows from the new build.
    const link = notice.querySelector('[data-update-reload]');
    link.href = location.href;
    link.addEventListener('click', function (event) {
      event.preventDefault();
      location.reload();
    });
    notice.hidden = false;
  });

  // A page kept in the back-forward cache across an update may come back
  // after its build was deleted: load it afresh instead.
  window.addEventListener('pageshow', function (event) {
    if (event.persisted && servedBy && serviceWorker.controller !== servedBy) location.reload();
  });

  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register);
})();
