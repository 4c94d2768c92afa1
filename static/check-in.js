// Check-in page, progressive enhancement only: the page works without this
// file (the search form submits, the buttons post). With it:
//  - typing in #search filters #guest-list items on their data-search text,
//    ignoring case and accents;
//  - every 5 s the counts are fetched from the bar's data-counts-url
//    ({came, came_people, walk_ins, expected}) and updated in place; on any
//    error the old numbers stay.
// Plain ES2017, no libraries, no inline script (the CSP forbids them).
(function () {
  'use strict';

  function fold(text) {
    return String(text || '')
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/\s+/g, ' ')
      .trim();
  }

  // True when every word of the query appears in the haystack.
  function matches(haystack, query) {
    var words = fold(query).split(' ').filter(Boolean);
    var folded = fold(haystack);
    return words.every(function (word) { return folded.indexOf(word) !== -1; });
  }

  function setUpFilter() {
    var input = document.getElementById('search');
    var list = document.getElementById('guest-list');
    if (!input || !list) return;
    var items = Array.prototype.slice.call(list.querySelectorAll('li[data-search]'));
    var empty = document.getElementById('filter-empty');
    items.forEach(function (li) { li.dataset.folded = fold(li.getAttribute('data-search')); });

    function apply() {
      var query = input.value;
      var shown = 0;
      items.forEach(function (li) {
        var visible = matches(li.dataset.folded, query);
        li.hidden = !visible;
        if (visible) shown += 1;
      });
      if (empty) empty.hidden = shown !== 0 || items.length === 0;
    }

    input.addEventListener('input', apply);
    // The search box's own "clear" button fires `search` in some browsers.
    input.addEventListener('search', apply);
    // On load, filter only what the browser restored (back button); a query
    // the server already searched for is left as the server answered it.
    if (input.value !== input.defaultValue) apply();
  }

  function setUpCounts() {
    var bar = document.querySelector('[data-counts-url]');
    if (!bar || !window.fetch) return;
    var url = bar.getAttribute('data-counts-url');
    var fields = {
      came: document.getElementById('count-came'),
      came_people: document.getElementById('count-people'),
      walk_ins: document.getElementById('count-walk-ins'),
      expected: document.getElementById('count-expected')
    };
    var busy = false;

    function update(data) {
      Object.keys(fields).forEach(function (key) {
        var el = fields[key];
        var value = data ? data[key] : undefined;
        if (!el || typeof value !== 'number' || !isFinite(value)) return;
        var text = String(value);
        // Only touch the DOM on a change, so the live region speaks only then.
        if (el.textContent !== text) el.textContent = text;
      });
    }

    function refresh() {
      if (busy || document.hidden) return;
      busy = true;
      fetch(url, { credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'application/json' } })
        .then(function (response) {
          if (!response.ok) throw new Error('HTTP ' + response.status);
          return response.json();
        })
        .then(update)
        .catch(function () { /* keep the old numbers */ })
        .then(function () { busy = false; });
    }

    window.setInterval(refresh, 5000);
    document.addEventListener('visibilitychange', function () {
      if (!document.hidden) refresh();
    });
  }

  if (typeof module !== 'undefined' && module.exports) {
    module.exports = { fold: fold, matches: matches };
  }
  if (typeof document === 'undefined') return;
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', function () { setUpFilter(); setUpCounts(); });
  } else {
    setUpFilter();
    setUpCounts();
  }
})();
