// offline.js: registers the service worker (sw.js) of the hosted site, so
// pages can be read offline once visited. Does nothing from file://, where
// the files are on disk already.
'use strict';

(function () {
  if (!('serviceWorker' in navigator) || !location.protocol.startsWith('http')) return;
  // The site root as an absolute URL: <html data-root="../"> on a code
  // page, "" on the home page.
  const root = new URL(document.documentElement.getAttribute('data-root') || './', location.href);

  function register() {
    navigator.serviceWorker.register(new URL('sw.js', root).href, { scope: root.href }).catch(function () {
      // No service worker (private mode, for one): the site still works online.
    });
  }

  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register);
})();
