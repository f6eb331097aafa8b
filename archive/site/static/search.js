/* Offline search for the INO Tomsk archive site: no network, no libraries.
 * The index (assets/search-index.js) sets window.INO_SEARCH = {docs, stems, forms}:
 * docs[i] = [path, title, date, language, source]; stems[stem] = [doc numbers];
 * forms[word form] = stem.  Query words are folded like the archive folds them
 * (lower case, ё → е); a form the archive never saw is cut back, at most five
 * letters, to a known stem (or a stem whose last letter Snowball rewrote).
 * Results are built with textContent only, never HTML. */
(function () {
  "use strict";
  var data = window.INO_SEARCH;
  var input = document.getElementById("q");
  var results = document.getElementById("results");
  var status = document.getElementById("status");
  if (!data || !input || !results || !status) { return; }
  var WORD = /[\p{L}\p{N}]+\*?/gu;
  var MAX_CUT = 5, MIN_STEM = 3, SHOWN = 100;

  function fold(word) { return word.toLowerCase().replace(/ё/g, "е"); }
  function has(map, key) { return Object.prototype.hasOwnProperty.call(map, key); }

  // Stems without their last letter: Snowball rewrites final letters ("university" → "universiti").
  var trimmed = null;
  function trimmedStems() {
    if (trimmed === null) {
      trimmed = {};
      Object.keys(data.stems).forEach(function (s) {
        if (s.length > MIN_STEM && !has(trimmed, s.slice(0, -1))) { trimmed[s.slice(0, -1)] = s; }
      });
    }
    return trimmed;
  }

  function stemOf(word) {
    if (has(data.forms, word)) { return data.forms[word]; }
    if (has(data.stems, word)) { return word; }
    for (var cut = 1; cut <= MAX_CUT && word.length - cut >= MIN_STEM; cut++) {
      var head = word.slice(0, word.length - cut);
      if (has(data.stems, head)) { return head; }
      if (has(data.forms, head)) { return data.forms[head]; }
      if (has(trimmedStems(), head)) { return trimmedStems()[head]; }
    }
    return null;
  }

  function docsFor(term) {
    var found = {};
    if (term.charAt(term.length - 1) === "*") {
      var prefix = term.slice(0, -1);
      Object.keys(data.stems).forEach(function (s) {
        if (s.indexOf(prefix) === 0) { data.stems[s].forEach(function (d) { found[d] = true; }); }
      });
      return found;
    }
    var stem = stemOf(term);
    if (stem !== null) { data.stems[stem].forEach(function (d) { found[d] = true; }); }
    return found;
  }

  function search(text) {
    var terms = (fold(text).match(WORD) || []);
    if (!terms.length) { return null; }
    var hits = null;
    terms.forEach(function (term) {
      var docs = docsFor(term);
      hits = hits === null ? docs : Object.keys(hits).reduce(function (kept, d) {
        if (docs[d]) { kept[d] = true; } return kept;
      }, {});
    });
    return Object.keys(hits).map(Number).sort(function (a, b) {
      return (data.docs[b][2] || "").localeCompare(data.docs[a][2] || "") || a - b;
    });
  }

  function show(text) {
    while (results.firstChild) { results.removeChild(results.firstChild); }
    var hits = search(text);
    if (hits === null) { status.textContent = "Type a word to search " + data.docs.length + " articles."; return; }
    status.textContent = hits.length + (hits.length === 1 ? " article" : " articles") + " found";
    hits.slice(0, SHOWN).forEach(function (n) {
      var doc = data.docs[n], item = document.createElement("li"), link = document.createElement("a");
      link.href = doc[0];
      link.textContent = doc[1];
      item.appendChild(link);
      var meta = document.createElement("span");
      meta.className = "meta";
      meta.textContent = " " + (doc[2] || "undated") + " · " + doc[4] + " · " + doc[3];
      item.appendChild(meta);
      results.appendChild(item);
    });
  }

  input.addEventListener("input", function () { show(input.value); });
  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) { input.value = initial; show(initial); }
}());
