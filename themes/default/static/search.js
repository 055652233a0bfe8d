// search.js: the search box of every httpcodes page.
//
// The page ships the search box `hidden`, so readers without JavaScript never
// see a box that does nothing; this script shows it and makes it a WAI-ARIA
// combobox with a listbox popup. The index (search-index.js, a classic script
// setting window.HTTPCODES_SEARCH_INDEX, format described in themes/README.md)
// is loaded with a <script> tag on first use, because fetch() is blocked on
// file://. The ranking and the tokeniser are exposed as window.httpcodesSearch
// for the tests and benchmarks.
(function () {
  'use strict';

  // Relative path from this page to the site root ("", "../", or an absolute
  // base path such as "/httpcodes/" on 404.html).
  const ROOT = document.documentElement.getAttribute('data-root') || '';
  const MAX_SHOWN = 10;
  // The index format this script reads (VERSION in src/index/search.rs).
  const INDEX_VERSION = 2;
  const LOAD_FAILED = 'Search could not load; try again';

  // Weight of a query word found in each field of a document.
  const WEIGHT = { code: 100, classMember: 50, title: 10, alias: 8, source: 8, keyword: 6, header: 6, summary: 3, body: 1 };
  // How much of the weight a match keeps: typed prefix of the last word, small typo.
  const PREFIX = 0.6;
  const SAME_STEM = 0.8; // "limiting" finds "limited", "throttle" finds "throttling"
  const FUZZY = [1, 0.5, 0.4]; // by edit distance 0, 1, 2
  // Guides are useful, but a reader searching usually wants a code.
  const KIND_FACTOR = { guide: 0.8, section: 0.8 };
  // Query words that need not match (they still add to the score when they do).
  const OPTIONAL = new Set(('a an the of to in on at by for from with and or is are be was it its i my me not ' +
    'no do does how why what when which this that http status code error response').split(' '));

  // ---------------------------------------------------------------- text

  // The one tokenisation rule of search, the same as `tokens` in
  // src/index/search.rs (which cuts the body words of the index); both are tested
  // against tests/data/search-tokens.json. Lower case; compatibility
  // decomposition (NFKD), so "ﬁ" is "fi" and "é" is "e" plus an accent;
  // combining marks and apostrophes (U+0027, U+2019, U+02BC) dropped; then
  // split on every character that is neither alphabetic nor numeric (Rust's
  // char::is_alphanumeric).
  const MARKS = /\p{M}/gu;
  const APOSTROPHES = /['\u2019\u02bc]/g;
  const SEPARATOR = /[^\p{Alphabetic}\p{N}]+/u;
  const ENDS_WITH_SEPARATOR = /[^\p{Alphabetic}\p{N}]$/u;

  function fold(text) {
    return String(text).toLowerCase().normalize('NFKD').replace(MARKS, '').replace(APOSTROPHES, '');
  }

  function tokenize(text) {
    return fold(text).split(SEPARATOR).filter(Boolean);
  }

  // Optimal string alignment distance (Damerau–Levenshtein with adjacent
  // transpositions), giving up as soon as it must exceed `max`. Rows are
  // reused between calls: this runs for many words on each keystroke.
  let rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];
  function editDistance(a, b, max) {
    const n = a.length;
    const m = b.length;
    if (Math.abs(n - m) > max) return max + 1;
    if (rows[0].length <= m) rows = [new Int32Array(m + 1), new Int32Array(m + 1), new Int32Array(m + 1)];
    let before = rows[0];
    let previous = rows[1];
    let current = rows[2];
    for (let j = 0; j <= m; j++) previous[j] = j;
    for (let i = 1; i <= n; i++) {
      current[0] = i;
      let rowMin = i;
      const ca = a.charCodeAt(i - 1);
      const caBefore = i > 1 ? a.charCodeAt(i - 2) : -1;
      for (let j = 1; j <= m; j++) {
        const cb = b.charCodeAt(j - 1);
        let value = previous[j - 1] + (ca === cb ? 0 : 1);
        if (previous[j] + 1 < value) value = previous[j] + 1;
        if (current[j - 1] + 1 < value) value = current[j - 1] + 1;
        if (j > 1 && ca === b.charCodeAt(j - 2) && caBefore === cb && before[j - 2] + 1 < value) {
          value = before[j - 2] + 1;
        }
        current[j] = value;
        if (value < rowMin) rowMin = value;
      }
      if (rowMin > max) return max + 1;
      const spare = before;
      before = previous;
      previous = current;
      current = spare;
    }
    return previous[m];
  }

  // Which letters a word has, as bits: a cheap test that rules out most
  // words before computing an edit distance (each edit adds or removes at
  // most one letter from the set).
  function letterMask(word) {
    let mask = 0;
    for (let k = 0; k < word.length; k++) {
      const c = word.charCodeAt(k);
      mask |= 1 << (c >= 97 && c <= 122 ? c - 97 : 26 + (c % 5));
    }
    return mask;
  }

  function bitCount(x) {
    x -= (x >>> 1) & 0x55555555;
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  }

  // A crude English stem: the word without one common ending.
  const ENDINGS = ['ations', 'ation', 'ings', 'ions', 'ing', 'ion', 'ies', 'ied', 'ers', 'ed', 'er', 'es', 's', 'e', 'y'];
  function stem(word) {
    if (/\d/.test(word)) return word;
    for (const ending of ENDINGS) {
      if (word.length - ending.length >= 3 && word.endsWith(ending)) return word.slice(0, -ending.length);
    }
    return word;
  }

  // How many typos a word of the query may have (see matchWord: none if the
  // index has the word as typed).
  function allowedTypos(word) {
    if (/\d/.test(word) || word.length < 4) return 0;
    return word.length >= 8 ? 2 : 1;
  }

  // ---------------------------------------------------------------- index

  // Turns the raw index into what a keystroke needs: one vocabulary of every
  // word of every field, each with the documents that contain it and the best
  // weight it has there, sorted for prefix look-ups and bucketed by length
  // for typo look-ups.
  function prepare(raw) {
    if (!raw || raw.version !== INDEX_VERSION || !Array.isArray(raw.docs)) {
      throw new Error('search-index.js is not an index of version ' + INDEX_VERSION);
    }
    const docs = raw.docs.map(function (d, i) {
      return {
        index: i, code: typeof d.code === 'number' ? d.code : null, title: d.title, summary: d.summary || '',
        url: d.url, kind: d.kind, aliases: d.aliases || [], keywords: d.keywords || [], headers: d.headers || [],
        source: d.source || null,
        phrases: [], // [normalised " field text ", weight]
      };
    });
    const postings = new Map(); // word -> Map(doc index -> weight)
    function add(word, doc, weight) {
      let docsOfWord = postings.get(word);
      if (!docsOfWord) postings.set(word, (docsOfWord = new Map()));
      if (!(docsOfWord.get(doc) >= weight)) docsOfWord.set(doc, weight);
    }
    function addField(doc, text, weight, phrase) {
      const words = tokenize(text);
      for (const word of words) add(word, doc.index, weight);
      if (phrase && words.length) doc.phrases.push([' ' + words.join(' ') + ' ', weight]);
    }

    for (const doc of docs) {
      const i = doc.index;
      if (doc.code !== null && doc.code !== undefined) {
        add(String(doc.code), i, WEIGHT.code);
        add(Math.floor(doc.code / 100) + 'xx', i, WEIGHT.classMember);
      }
      if (doc.kind === 'class') {
        const match = /^([1-5]xx)\b/i.exec(doc.title);
        if (match) add(match[1].toLowerCase(), i, WEIGHT.code);
      }
      if (doc.kind === 'section') {
        // "Guide title › Section title": the section's own title is what matters.
        const cut = doc.title.lastIndexOf('›');
        addField(doc, doc.title.slice(cut + 1), WEIGHT.title, true);
        addField(doc, doc.title.slice(0, Math.max(cut, 0)), WEIGHT.summary, false);
        addField(doc, doc.summary, WEIGHT.body, false);
      } else {
        addField(doc, doc.title, WEIGHT.title, true);
        addField(doc, doc.summary, WEIGHT.summary, false);
      }
      for (const alias of doc.aliases) addField(doc, alias, WEIGHT.alias, true);
      for (const keyword of doc.keywords) addField(doc, keyword, WEIGHT.keyword, true);
      // A page about one header is more about it than a page listing five.
      const headerWeight = Math.max(3, WEIGHT.header / Math.sqrt(doc.headers.length || 1));
      for (const header of doc.headers) addField(doc, header, headerWeight, true);
      if (doc.source) addField(doc, doc.source, WEIGHT.source, true);
    }
    const terms = raw.terms || {};
    for (const word in terms) {
      for (const i of terms[word]) add(word, i, WEIGHT.body);
    }

    const vocabulary = new Map();
    const byLength = [];
    const stems = new Map(); // stem -> words of the vocabulary with that stem
    for (const [word, docsOfWord] of postings) {
      const docIndexes = new Int32Array(docsOfWord.size);
      const weights = new Float64Array(docsOfWord.size);
      let k = 0;
      for (const [doc, weight] of docsOfWord) {
        docIndexes[k] = doc;
        weights[k] = weight;
        k++;
      }
      vocabulary.set(word, { docs: docIndexes, weights: weights });
      const wordStem = stem(word);
      if (!stems.has(wordStem)) stems.set(wordStem, []);
      stems.get(wordStem).push(word);
      if (!/\d/.test(word) && word.length >= 3) {
        const bucket = byLength[word.length] || (byLength[word.length] = { words: [], masks: [] });
        bucket.words.push(word);
        bucket.masks.push(letterMask(word));
      }
    }
    const sorted = Array.from(vocabulary.keys()).sort();
    return {
      docs: docs, vocabulary: vocabulary, sorted: sorted, byLength: byLength, stems: stems, cache: new Map(),
      // Work arrays reused by every search.
      scratch: new Float64Array(docs.length), touched: new Int32Array(docs.length),
      scores: new Float64Array(docs.length), hits: new Uint16Array(docs.length),
    };
  }

  // Every document matching one query word: doc index -> best score.
  // Cached, since the earlier words of a query are looked up again on every keystroke.
  function matchWord(index, word, partial) {
    const key = (partial ? '*' : '=') + word;
    const cached = index.cache.get(key);
    if (cached) return cached;

    // Best score per document, in a scratch array kept between calls.
    const best = index.scratch;
    const touched = index.touched;
    let count = 0;
    function take(entry, factor) {
      for (let k = 0; k < entry.docs.length; k++) {
        const score = entry.weights[k] * factor;
        const doc = entry.docs[k];
        if (best[doc] === 0) touched[count++] = doc;
        if (score > best[doc]) best[doc] = score;
      }
    }

    const exact = index.vocabulary.get(word);
    if (exact) take(exact, 1);
    if (partial) {
      let low = 0;
      let high = index.sorted.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (index.sorted[middle] < word) low = middle + 1;
        else high = middle;
      }
      for (let k = low; k < index.sorted.length && index.sorted[k].startsWith(word); k++) {
        if (index.sorted[k] !== word) take(index.vocabulary.get(index.sorted[k]), PREFIX);
      }
    }
    for (const other of index.stems.get(stem(word)) || []) {
      if (other !== word) take(index.vocabulary.get(other), SAME_STEM);
    }
    // Typos are forgiven only in words the site does not have: a reader who
    // typed "café" or "don't" means that word, not "came" or "done".
    const typos = exact ? 0 : allowedTypos(word);
    const mask = letterMask(word);
    for (let length = word.length - typos; typos && length <= word.length + typos; length++) {
      const bucket = index.byLength[length];
      if (!bucket) continue;
      for (let k = 0; k < bucket.words.length; k++) {
        const other = bucket.masks[k];
        if (bitCount(mask & ~other) > typos || bitCount(other & ~mask) > typos) continue;
        const candidate = bucket.words[k];
        if (candidate === word) continue;
        const distance = editDistance(word, candidate, typos);
        if (distance <= typos) take(index.vocabulary.get(candidate), FUZZY[distance]);
      }
    }

    const result = { docs: touched.slice(0, count), scores: new Float64Array(count) };
    for (let k = 0; k < count; k++) {
      result.scores[k] = best[touched[k]];
      best[touched[k]] = 0;
    }
    if (index.cache.size > 5000) index.cache.clear();
    index.cache.set(key, result);
    return result;
  }

  // Bonus when the whole query is one of the document's titles, names,
  // keywords or headers, or appears in one as a run of words.
  function phraseBonus(doc, phrase, multiWord, partial) {
    let bonus = 0;
    for (const [text, weight] of doc.phrases) {
      let found = 0;
      if (text === ' ' + phrase + ' ') found = 3;
      else if (multiWord && text.includes(' ' + phrase + ' ')) found = 2;
      else if (multiWord && partial && text.includes(' ' + phrase)) found = 1;
      if (found * weight > bonus) bonus = found * weight;
    }
    return bonus;
  }

  // Ranks the documents for `query`; returns result objects, best first, at
  // most `limit` of them. The array's `total` is how many documents matched.
  function rank(index, query, limit) {
    const words = tokenize(query);
    if (!words.length) return Object.assign([], { total: 0 });
    // The last word is still being typed unless the query ends with a separator.
    const partial = !ENDS_WITH_SEPARATOR.test(fold(query));
    let required = words.map(function (word) { return !OPTIONAL.has(word); });
    if (!required.includes(true)) required = words.map(function () { return true; });
    const requiredCount = required.filter(Boolean).length;

    const n = index.docs.length;
    const scores = index.scores.fill(0);
    const hits = index.hits.fill(0);
    words.forEach(function (word, w) {
      const matches = matchWord(index, word, partial && w === words.length - 1);
      for (let k = 0; k < matches.docs.length; k++) {
        const doc = matches.docs[k];
        scores[doc] += matches.scores[k];
        if (required[w]) hits[doc]++;
      }
    });

    let candidates = [];
    for (let doc = 0; doc < n; doc++) if (hits[doc] === requiredCount && scores[doc] > 0) candidates.push(doc);
    if (!candidates.length) {
      // Nothing has every word: show what has some of them.
      for (let doc = 0; doc < n; doc++) if (scores[doc] > 0) candidates.push(doc);
    }

    const phrase = words.join(' ');
    const results = candidates.map(function (i) {
      const doc = index.docs[i];
      const score = (scores[i] + phraseBonus(doc, phrase, words.length > 1, partial)) * (KIND_FACTOR[doc.kind] || 1);
      return { doc: doc, score: score };
    });
    // Equal scores: for a number or "4xx" query numeric order; otherwise
    // registered codes before unofficial ones, then numeric order.
    const numeric = words.every(function (word) { return /^\d+$|^[1-5]x{0,2}$/.test(word); });
    results.sort(function (a, b) {
      if (Math.abs(a.score - b.score) > 1e-9) return b.score - a.score;
      if (!numeric) {
        const unofficial = (a.doc.kind === 'unofficial') - (b.doc.kind === 'unofficial');
        if (unofficial) return unofficial;
      }
      const codeA = a.doc.code === null ? 1000 : a.doc.code;
      const codeB = b.doc.code === null ? 1000 : b.doc.code;
      return codeA - codeB || a.doc.index - b.doc.index;
    });
    const shown = results.slice(0, limit === undefined ? results.length : limit).map(function (result) {
      const doc = result.doc;
      return {
        code: doc.code, title: doc.title, summary: doc.summary, url: doc.url, kind: doc.kind,
        source: doc.source, aliases: doc.aliases, score: Math.round(result.score * 100) / 100,
      };
    });
    return Object.assign(shown, { total: results.length });
  }

  // ---------------------------------------------------------------- loading

  let index = null;
  let loading = null; // the promise of the load under way or done; null after a failure
  let indexScript = null; // the <script> of the last attempt: there is never more than one

  function load() {
    if (loading) return loading;
    loading = readIndexScript().then(function (raw) {
      index = prepare(raw);
      whenIdle(warmUp);
    });
    loading.catch(function () { loading = null; }); // the next use tries again
    return loading;
  }

  // Resolves with the raw index, running search-index.js if it has not run.
  function readIndexScript() {
    return new Promise(function (resolve, reject) {
      const present = window.HTTPCODES_SEARCH_INDEX;
      if (present && present.version === INDEX_VERSION) {
        resolve(present);
        return;
      }
      // A failed attempt, or an index of another version, is replaced.
      if (indexScript) indexScript.remove();
      delete window.HTTPCODES_SEARCH_INDEX;
      const script = document.createElement('script');
      script.src = ROOT + 'search-index.js';
      script.onload = function () {
        if (window.HTTPCODES_SEARCH_INDEX) resolve(window.HTTPCODES_SEARCH_INDEX);
        else reject(new Error('search-index.js did not define HTTPCODES_SEARCH_INDEX'));
      };
      script.onerror = function () { reject(new Error('cannot load ' + script.src)); };
      indexScript = script;
      document.head.appendChild(script);
    });
  }

  function whenIdle(task) {
    if (window.requestIdleCallback) window.requestIdleCallback(task, { timeout: 1000 });
    else setTimeout(task, 50);
  }

  // The first searches run cold code, several times slower than later ones:
  // rank a few typical queries while the reader has not typed yet.
  function warmUp() {
    if (!index) return;
    const warmed = index;
    for (const query of ['404', '5xx', 'not found', 'too many requests', 'retry-after', 'forbiden', 'unauthorised']) {
      for (let end = 1; end <= query.length; end++) rank(warmed, query.slice(0, end), MAX_SHOWN);
    }
    warmed.cache.clear();
  }

  window.httpcodesSearch = {
    // Ranked results for `query` (all of them unless `limit` is given);
    // [] until the index is loaded, which the first call starts.
    search: function (query, limit) {
      if (!index) {
        load().catch(function () {});
        return [];
      }
      return rank(index, query, limit);
    },
    // Resolves once the index is loaded (reading it starts the loading).
    get ready() { return load(); },
    // For timing tests: forget the per-word cache, as on a fresh page.
    clearCache: function () { if (index) index.cache.clear(); },
    // For timing tests: use another raw index (same shape as search-index.js).
    useIndex: function (raw) { index = prepare(raw); loading = Promise.resolve(); },
    // For the tests of the tokenisation rule shared with src/index/search.rs.
    tokenize: tokenize,
  };

  // ---------------------------------------------------------------- the box

  function setUp() {
    const box = document.querySelector('[data-search]');
    const input = document.getElementById('search-input');
    const list = document.getElementById('search-results');
    const status = document.getElementById('search-status');
    if (!box || !input || !list) return;
    box.hidden = false;
    // With this script the box is a combobox (WAI-ARIA APG pattern, listbox
    // popup): the results pop up under it, focus stays in the input, the
    // arrows move a selection shown with aria-activedescendant, and the
    // results are not in the Tab order.
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');
    // Chromium puts a scrolling box without focusable children in the Tab
    // order; the list must stay out of it.
    list.tabIndex = -1;

    let selected = -1;

    function isOpen() {
      return input.getAttribute('aria-expanded') === 'true';
    }

    function options() {
      return list.querySelectorAll('a[role="option"]');
    }

    function select(position) {
      const links = options();
      selected = links.length ? (position + links.length) % links.length : -1;
      links.forEach(function (link, k) { link.setAttribute('aria-selected', String(k === selected)); });
      if (selected >= 0) {
        input.setAttribute('aria-activedescendant', links[selected].id);
        links[selected].scrollIntoView({ block: 'nearest' });
      } else {
        input.removeAttribute('aria-activedescendant');
      }
    }

    // Says `text` politely to screen readers (the live region is outside the
    // list, so the list's changes are not read out in full).
    function announce(text) {
      if (status) status.textContent = text;
    }

    function open(items, announcement) {
      list.replaceChildren.apply(list, items);
      selected = -1;
      input.removeAttribute('aria-activedescendant');
      input.setAttribute('aria-expanded', 'true');
      announce(announcement);
    }

    function close() {
      list.replaceChildren();
      selected = -1;
      input.setAttribute('aria-expanded', 'false');
      input.removeAttribute('aria-activedescendant');
      announce('');
    }

    // A line of the list that is not a result ("nothing matches").
    function notice(text) {
      const line = document.createElement('div');
      line.className = 'result-empty';
      line.setAttribute('role', 'option');
      line.setAttribute('aria-disabled', 'true');
      line.textContent = text;
      return line;
    }

    function resultLink(result, k) {
      const link = document.createElement('a');
      link.id = 'search-result-' + k;
      link.href = ROOT + result.url;
      link.tabIndex = -1; // reached with the arrows, not with Tab
      link.setAttribute('role', 'option');
      link.setAttribute('aria-selected', 'false');
      link.className = 'result kind-' + result.kind;
      if (result.code !== null) {
        const code = document.createElement('span');
        code.className = 'result-code';
        code.textContent = result.code;
        link.append(code);
      }
      const title = document.createElement('span');
      title.className = 'result-title';
      title.textContent = result.title;
      link.append(title);
      if (result.kind === 'unofficial') {
        const mark = document.createElement('span');
        mark.className = 'result-unofficial';
        mark.textContent = result.source ? 'unofficial · ' + result.source : 'unofficial';
        link.append(mark);
      } else if (result.kind === 'guide' || result.kind === 'section') {
        const mark = document.createElement('span');
        mark.className = 'result-kind';
        mark.textContent = 'guide';
        link.append(mark);
      }
      const summary = document.createElement('span');
      summary.className = 'result-summary';
      summary.textContent = result.summary;
      link.append(summary);
      return link;
    }

    function countText(results) {
      if (results.total === 1) return '1 result';
      if (results.total <= results.length) return results.total + ' results';
      return results.total + ' results, the first ' + results.length + ' listed';
    }

    // Shows the results for what is in the box, then selects the first
    // (`then` = 'first') or last ('last') of them if asked. Before the index
    // has loaded, it loads it and shows them only if the reader is still in
    // the box with the same text.
    function update(then) {
      const query = input.value;
      if (!query.trim()) {
        close();
        return;
      }
      if (!index) {
        const stillWanted = function () { return document.activeElement === input && input.value === query; };
        load().then(function () {
          if (stillWanted()) update(then);
        }, function () {
          if (stillWanted()) open([notice(LOAD_FAILED)], LOAD_FAILED);
        });
        return;
      }
      const results = rank(index, query, MAX_SHOWN);
      if (!results.length) open([notice('No status code matches “' + query.trim() + '”')], 'No results');
      else open(results.map(resultLink), countText(results));
      if (then === 'first') select(0);
      else if (then === 'last') select(-1);
    }

    input.addEventListener('focus', function () {
      load().catch(function () {});
      if (input.value.trim() && !isOpen()) update();
    });
    input.addEventListener('input', function () { update(); });
    input.addEventListener('keydown', function (event) {
      if (event.isComposing) return;
      const down = event.key === 'ArrowDown';
      if (down || event.key === 'ArrowUp') {
        if (!input.value.trim()) return;
        event.preventDefault();
        if (event.altKey) {
          // Alt+Down shows the list without selecting; Alt+Up closes it.
          if (down && !isOpen()) update();
          else if (!down) close();
        } else if (!isOpen()) {
          update(down ? 'first' : 'last');
        } else if (options().length) {
          if (down) select(selected < 0 ? 0 : selected + 1);
          else select(selected < 0 ? -1 : selected - 1);
        }
      } else if (event.key === 'Enter') {
        const links = options();
        const target = isOpen() && links[selected >= 0 ? selected : 0];
        if (target) {
          event.preventDefault();
          window.location.assign(target.href);
        }
      } else if (event.key === 'Escape') {
        // The first Escape closes the list, the next one clears the box.
        if (isOpen()) {
          event.preventDefault();
          close();
        } else if (input.value) {
          event.preventDefault();
          input.value = '';
        }
      }
    });
    // Pressing the mouse on a result keeps the focus in the input, so the
    // list stays open until the click follows the link.
    list.addEventListener('mousedown', function (event) { event.preventDefault(); });
    // Close the list when focus leaves the search box.
    box.addEventListener('focusout', function (event) {
      if (!box.contains(event.relatedTarget)) close();
    });

    // "/" jumps to the search box, unless the reader is typing somewhere.
    document.addEventListener('keydown', function (event) {
      if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
      const target = event.target;
      if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
      event.preventDefault();
      input.focus();
      input.select();
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', setUp);
  else setUp();
})();
