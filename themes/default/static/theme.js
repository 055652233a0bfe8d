// The colour theme the reader chose (light, dark, or none: the system's),
// put on <html> before the first paint; loaded in <head> without `defer`
// for that, so keep it small. Also marks <html data-js> (the stylesheet then
// shows the controls that need script from the first paint) and runs the
// theme button and the copy buttons.
(function () {
  'use strict';
  var KEY = 'httpcodes-theme';
  var CHOICES = ['system', 'dark', 'light'];
  var root = document.documentElement;

  // Storage may be off or full: the choice then lasts one page.
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
