// The reader's colour theme and the page's small controls.
//
// Loaded in <head> without `defer`, on purpose: the stored choice (light,
// dark, or none to follow the system) must be on <html> before the first
// paint, or a dark-mode reader sees a white flash. The Content-Security-
// Policy forbids inline script, so this tiny file is the one script that
// blocks rendering; keep it small. It also marks <html data-js> so the
// stylesheet shows the controls that need script (the theme button, the
// copy buttons) from the first paint, without a shift when they appear.
(function () {
  'use strict';
  var KEY = 'httpcodes-theme';
  var CHOICES = ['system', 'dark', 'light'];
  var root = document.documentElement;

  // Storage can be switched off or full; the choice then lasts one page.
  function read() {
    try { return localStorage.getItem(KEY); } catch (error) { return null; }
  }
  function write(choice) {
    try {
      if (choice === 'system') localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, choice);
    } catch (error) { /* see read() */ }
  }

  function current() { return root.dataset.theme || 'system'; }

  function apply(choice) {
    if (choice === 'light' || choice === 'dark') root.dataset.theme = choice;
    else delete root.dataset.theme;
    var button = document.querySelector('[data-theme-toggle]');
    if (button) button.textContent = 'Theme: ' + current();
  }

  function copy(button) {
    var text = button.dataset.copy;
    var status = document.querySelector('[data-copy-status]');
    function said(message) {
      if (status) status.textContent = message;
      button.textContent = message === 'Copied ' + text ? 'Copied' : 'Copy';
    }
    if (!navigator.clipboard) return said('Copying needs a newer browser');
    navigator.clipboard.writeText(text).then(
      function () { said('Copied ' + text); },
      function () { said('Could not copy: select the text instead'); }
    );
  }

  apply(read());
  root.dataset.js = '';
  document.addEventListener('DOMContentLoaded', function () { apply(current()); });
  document.addEventListener('click', function (event) {
    var target = event.target instanceof Element ? event.target : null;
    var toggle = target && target.closest('[data-theme-toggle]');
    if (toggle) {
      var next = CHOICES[(CHOICES.indexOf(current()) + 1) % CHOICES.length];
      apply(next);
      write(next);
    }
    var copyButton = target && target.closest('[data-copy]');
    if (copyButton) copy(copyButton);
  });
  // A choice made in another tab of the site applies here too.
  window.addEventListener('storage', function (event) {
    if (event.key === KEY) apply(event.newValue);
  });
})();
