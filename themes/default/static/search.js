// search.js: the search box of every httpcodes page, and the service worker
// registration that makes the hosted site readable offline.
//
// The page ships the search box `hidden`, so readers without JavaScript never
// see a box that does nothing; this script shows it. The index
// (search-index.js, a classic script setting window.HTTPCODES_SEARCH_INDEX) is
// loaded with a <script> tag on first use, because fetch() is blocked on
// file://. The ranking is exposed as window.httpcodesSearch for the tests.
(function () {
  'use strict';

  // Relative path from this page to the site root ("", "../", or an absolute
  // base path such as "/httpcodes/" on 404.html).
  const ROOT = document.documentElement.getAttribute('data-root') || '';
  const MAX_SHOWN = 10;

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

  const SEPARATOR = /[^\p{L}\p{N}]+/u;

  function normalize(text) {
    return String(text).normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/['\u2019]/g, '');
  }

  function tokenize(text) {
    return normalize(text).split(SEPARATOR).filter(Boolean);
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
    const docs = raw.docs.map(function (d, i) {
      return {
        index: i, code: d[0], title: d[1], summary: d[2], url: d[3], kind: d[4],
        aliases: d[5] || [], keywords: d[6] || [], headers: d[7] || [], source: d[8] || null,
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
    const typos = allowedTypos(word);
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

  // Ranks the documents for `query`; returns result objects, best first.
  function rank(index, query, limit) {
    const words = tokenize(query);
    if (!words.length) return [];
    // The last word is still being typed unless the query ends with a separator.
    const partial = !/[^\p{L}\p{N}]$/u.test(query);
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
    return results.slice(0, limit === undefined ? results.length : limit).map(function (result) {
      const doc = result.doc;
      return {
        code: doc.code, title: doc.title, summary: doc.summary, url: doc.url, kind: doc.kind,
        source: doc.source, aliases: doc.aliases, score: Math.round(result.score * 100) / 100,
      };
    });
  }

  // ---------------------------------------------------------------- loading

  let index = null;
  let loading = null;

  function load() {
    if (loading) return loading;
    loading = new Promise(function (resolve, reject) {
      if (window.HTTPCODES_SEARCH_INDEX) {
        resolve();
        return;
      }
      const script = document.createElement('script');
      script.src = ROOT + 'search-index.js';
      script.onload = function () {
        if (window.HTTPCODES_SEARCH_INDEX) resolve();
        else reject(new Error('search-index.js did not define HTTPCODES_SEARCH_INDEX'));
      };
      script.onerror = function () { reject(new Error('cannot load ' + script.src)); };
      document.head.appendChild(script);
    }).then(function () {
      index = prepare(window.HTTPCODES_SEARCH_INDEX);
      whenIdle(warmUp);
    });
    loading.catch(function () { loading = null; }); // allow a retry on the next focus
    return loading;
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
  };

  // ---------------------------------------------------------------- the box

  function setUp() {
    const box = document.querySelector('[data-search]');
    const input = document.getElementById('search-input');
    const list = document.getElementById('search-results');
    if (!box || !input || !list) return;
    box.hidden = false;
    // With this script the box is a combobox: the list of results pops up
    // under it, and the arrows move through it.
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');

    let selected = -1;

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

    function close() {
      list.replaceChildren();
      selected = -1;
      input.setAttribute('aria-expanded', 'false');
      input.removeAttribute('aria-activedescendant');
    }

    function resultLink(result, k) {
      const link = document.createElement('a');
      link.id = 'search-result-' + k;
      link.href = ROOT + result.url;
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

    function update() {
      const query = input.value;
      if (!query.trim()) {
        close();
        return;
      }
      if (!index) {
        load().then(function () { if (input.value === query) update(); }, function () {});
        return;
      }
      const results = rank(index, query, MAX_SHOWN);
      if (!results.length) {
        const empty = document.createElement('div');
        empty.className = 'result-empty';
        empty.setAttribute('role', 'option');
        empty.setAttribute('aria-disabled', 'true');
        empty.textContent = 'No status code matches “' + query.trim() + '”';
        list.replaceChildren(empty);
      } else {
        list.replaceChildren.apply(list, results.map(resultLink));
      }
      selected = -1;
      input.removeAttribute('aria-activedescendant');
      input.setAttribute('aria-expanded', 'true');
    }

    input.addEventListener('focus', function () {
      load().catch(function () {});
      if (input.value.trim() && !list.firstChild) update();
    });
    input.addEventListener('input', update);
    input.addEventListener('keydown', function (event) {
      if (event.isComposing) return;
      const links = options();
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        if (!links.length) return;
        event.preventDefault();
        if (event.key === 'ArrowDown') select(selected < 0 ? 0 : selected + 1);
        else select(selected < 0 ? links.length - 1 : selected - 1);
      } else if (event.key === 'Enter') {
        const target = links[selected >= 0 ? selected : 0];
        if (target) {
          event.preventDefault();
          window.location.assign(target.href);
        }
      } else if (event.key === 'Escape') {
        event.preventDefault();
        input.value = '';
        close();
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
